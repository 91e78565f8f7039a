package io.hallmark.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import java.io.File;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;

/**
 * Effective settings: command-line overrides, then the chosen --conf-file, then conf/local.conf
 * shipped in the jar (reference defaults). Validated once, at start, so a typo fails with exit 2
 * naming the key instead of half-way through a run.
 */
public final class HallmarkConfig {
  private final Config config;
  private volatile Configuration hadoop;

  private HallmarkConfig(Config config) {
    this.config = config;
  }

  /** The embedded default only (conf/local.conf, packaged as a resource). */
  public static HallmarkConfig defaults() {
    return load(null, Map.of());
  }

  /**
   * @param confFile optional file whose keys override the defaults
   * @param overrides dotted keys (e.g. {@code hallmark.lake}) that override everything
   */
  public static HallmarkConfig load(File confFile, Map<String, Object> overrides) {
    Config reference = ConfigFactory.parseResources(
        HallmarkConfig.class, "/local.conf", ConfigParseOptions.defaults().setAllowMissing(false));
    Config merged = reference;
    if (confFile != null) {
      if (!confFile.isFile()) {
        throw new ConfigError("config file not found: " + confFile + " (check --conf-file)");
      }
      try {
        Config fromFile = ConfigFactory.parseFile(confFile, ConfigParseOptions.defaults().setAllowMissing(false));
        merged = fromFile.withFallback(merged);
      } catch (ConfigException e) {
        throw new ConfigError("malformed config file " + confFile + ": " + e.getMessage(), e);
      }
    }
    if (!overrides.isEmpty()) {
      merged = ConfigFactory.parseMap(overrides, "command line").withFallback(merged);
    }
    try {
      Config resolved = merged.resolve();
      HallmarkConfig result = new HallmarkConfig(resolved);
      result.validate();
      return result;
    } catch (ConfigException e) {
      throw new ConfigError("bad configuration: " + e.getMessage(), e);
    }
  }

  /** Fails on unknown keys under hallmark.* and on values of the wrong type, naming the key. */
  private void validate() {
    Config reference = ConfigFactory.parseResources(HallmarkConfig.class, "/local.conf").resolve();
    for (Map.Entry<String, ConfigValue> entry : config.getConfig("hallmark").entrySet()) {
      String key = "hallmark." + entry.getKey();
      if (key.startsWith("hallmark.spark.conf.") || key.startsWith("hallmark.risk.coefficients.")) {
        continue; // free-form maps
      }
      if (!reference.hasPathOrNull(key)) {
        throw new ConfigError("unknown config key '" + key + "' (from " + entry.getValue().origin().description()
            + "); see conf/local.conf for the known keys");
      }
      ConfigValue expected = reference.getValue(key);
      if (expected.valueType() != entry.getValue().valueType()
          && !(expected.valueType() == com.typesafe.config.ConfigValueType.NUMBER && isNumeric(entry.getValue()))) {
        throw new ConfigError("config key '" + key + "' must be a " + expected.valueType().name().toLowerCase()
            + " but is " + entry.getValue().render() + " (from " + entry.getValue().origin().description() + ")");
      }
    }
    // range checks live in the accessors, so a bad value stops every command here, at start
    rejectThreshold();
    silverMergeBroadcastMax();
  }

  private static boolean isNumeric(ConfigValue value) {
    try {
      Double.parseDouble(String.valueOf(value.unwrapped()));
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  public Config raw() {
    return config;
  }

  /** The landing folder as a URI (a path without a scheme is qualified: {@link #qualify}). */
  public String landing() {
    return qualify(config.getString("hallmark.landing"));
  }

  /** The lake's root as a URI (a path without a scheme is qualified: {@link #qualify}). */
  public String lake() {
    return qualify(config.getString("hallmark.lake"));
  }

  /**
   * The folder the nightly's report step writes {@code <run date>/} into: {@code hallmark.report.dir}
   * when set, else {@code <lake>/reports}, so the report lives where the lake does (a driver pod's disk
   * is gone when the pod is).
   */
  public String reportDir() {
    String dir = config.getString("hallmark.report.dir");
    return dir.isBlank() ? paths().reports() : qualify(dir);
  }

  /**
   * The Hadoop settings paths are qualified with, as Spark builds its own: core-site.xml on the class
   * path, then every {@code spark.hadoop.*} setting, from spark-submit (JVM system properties) and then
   * from {@code hallmark.spark.conf}. Built once per settings object, before any session exists, so the
   * effective settings printed at start already show where each path points.
   */
  public Configuration hadoop() {
    Configuration result = hadoop;
    if (result == null) {
      result = new Configuration();
      Map<String, String> spark = new TreeMap<>();
      System.getProperties().stringPropertyNames().forEach(k -> spark.put(k, System.getProperty(k)));
      spark.putAll(sparkConf());
      for (Map.Entry<String, String> e : spark.entrySet()) {
        if (e.getKey().startsWith("spark.hadoop.")) {
          result.set(e.getKey().substring("spark.hadoop.".length()), e.getValue());
        }
      }
      hadoop = result;
    }
    return result;
  }

  /**
   * A path from the settings or the command line as the URI every job uses: kept when it has a scheme,
   * otherwise qualified against {@code fs.defaultFS} (see {@link HadoopFiles#qualify}).
   */
  public String qualify(String path) {
    return HadoopFiles.qualify(hadoop(), path);
  }

  public String sparkMaster() {
    return config.getString("hallmark.spark.master");
  }

  public String sparkAppName() {
    return config.getString("hallmark.spark.app-name");
  }

  public Map<String, String> sparkConf() {
    Map<String, String> result = new TreeMap<>();
    Config sparkConf = config.getConfig("hallmark.spark.conf");
    for (Map.Entry<String, ConfigValue> e : sparkConf.entrySet()) {
      result.put(stripQuotes(e.getKey()), String.valueOf(e.getValue().unwrapped()));
    }
    return result;
  }

  /** Largest rejected share of a table an ingest run may have and still publish (0..1). */
  public double rejectThreshold() {
    double threshold = config.getDouble("hallmark.ingest.reject-threshold");
    if (threshold < 0 || threshold > 1) {
      throw new ConfigError("config key 'hallmark.ingest.reject-threshold' must be between 0 and 1, got " + threshold);
    }
    return threshold;
  }

  /** Most touched keys per silver table whose recomputed rows are broadcast to the MERGE (0: never). */
  public long silverMergeBroadcastMax() {
    long max = config.getLong("hallmark.silver.merge-broadcast-max");
    if (max < 0) {
      throw new ConfigError("hallmark.silver.merge-broadcast-max must be >= 0 (0: never broadcast), got " + max);
    }
    return max;
  }

  /** {@code hallmark.pii.key-file} as a URI, or "" when unset. */
  public String piiKeyFile() {
    String file = config.getString("hallmark.pii.key-file");
    return file.isBlank() ? "" : qualify(file);
  }

  public LakePaths paths() {
    return new LakePaths(lake());
  }

  /** A copy with one more override (used by tests and by the nightly driver). */
  public HallmarkConfig with(String key, Object value) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put(key, value);
    return new HallmarkConfig(ConfigFactory.parseMap(o, "override").withFallback(config).resolve());
  }

  /** The effective settings, one per line, secrets masked: logged at the start of every command. */
  public String describe() {
    StringBuilder out = new StringBuilder();
    Map<String, String> flat = new TreeMap<>();
    for (Map.Entry<String, ConfigValue> e : config.getConfig("hallmark").entrySet()) {
      String key = "hallmark." + e.getKey();
      String value = String.valueOf(e.getValue().unwrapped());
      if (key.toLowerCase().matches(".*(secret|password|token|key)(\\\")?$") && !key.endsWith("key-file")) {
        value = "****";
      }
      flat.put(key, value);
    }
    // paths as the jobs use them: qualified against fs.defaultFS (and the report folder's default shown)
    for (String key : java.util.List.of("hallmark.lake", "hallmark.landing", "hallmark.report.dir", "hallmark.pii.key-file")) {
      try {
        String shown = switch (key) {
          case "hallmark.lake" -> lake();
          case "hallmark.landing" -> landing();
          case "hallmark.report.dir" -> reportDir();
          default -> piiKeyFile();
        };
        flat.put(key, shown);
      } catch (RuntimeException e) {
        // shown as configured; the job that uses the path reports the problem
      }
    }
    flat.forEach((k, v) -> out.append("  ").append(k).append(" = ").append(v).append('\n'));
    return out.toString();
  }

  private static String stripQuotes(String key) {
    return key.startsWith("\"") && key.endsWith("\"") ? key.substring(1, key.length() - 1) : key;
  }
}
