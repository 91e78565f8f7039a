package io.hallmark.risk;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import io.hallmark.config.ConfigError;
import io.hallmark.config.HallmarkConfig;
import io.hallmark.config.JobFailure;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A linear risk model in the form scoring needs: {@code logit = intercept + sum(weight * (x - baseline))},
 * {@code risk_score = sigmoid(slope * logit + offset)} (the model's {@link Calibration}: the probability
 * of {@link #EVENT}), contribution of a feature = {@code weight * (x - baseline)} (logit units).
 * A trained logistic regression on standardised features is exactly this with baseline = the
 * training mean and weight = coefficient / training standard deviation, so the conf default and a
 * trained model score and explain the same way.
 *
 * <p>Bands are thresholds on that probability, the same for every model ({@code hallmark.risk.bands}):
 * every model's risk_score is a calibrated probability of the same event, so "HIGH" means one stated chance
 * whichever model scored. A model carries the thresholds it scores with; a saved model is loaded with the
 * configuration's current ones.
 *
 * @param trainedAsOf null for the conf default
 * @param metrics training/validation metrics (empty for the conf default)
 * @param bands the probability thresholds of the MEDIUM, HIGH and CRITICAL bands it scores with
 */
public record RiskModel(String version, LocalDate trainedAsOf, double intercept,
    Map<String, Double> weights, Map<String, Double> baselines, Map<String, Object> metrics, Bands bands,
    Calibration calibration) {

  /**
   * Platt scaling of the linear logit: {@code risk_score = sigmoid(slope * logit + offset)}, the
   * probability of the event the model is calibrated for ({@link #EVENT}). A positive slope keeps the
   * ranking and the reasons (contributions stay in the uncalibrated logit's units) and, below 1, pulls
   * an over-confident logit back from 1.0.
   *
   * @param fittedOn where the two numbers came from (held-out rows, or the conf default's comment)
   */
  public record Calibration(double slope, double offset, String fittedOn) {
    public static final Calibration NONE = new Calibration(1.0, 0.0, "none (raw logit)");

    public Calibration {
      if (!(slope > 0) || !Double.isFinite(slope) || !Double.isFinite(offset)) {
        throw new IllegalArgumentException("calibration needs a finite slope > 0 and a finite offset, got "
            + slope + ", " + offset + " (a slope <= 0 would reverse or flatten the ranking)");
      }
    }

    /** The calibrated probability of a raw logit, the same rule the Spark expression applies. */
    public double probability(double logit) {
      return 1.0 / (1.0 + Math.exp(-(slope * logit + offset)));
    }

    Column probabilityOf(Column logit) {
      return lit(1.0).divide(lit(1.0).plus(exp(logit.multiply(slope).plus(offset).multiply(-1))));
    }

    Map<String, Object> asMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("method", "platt");
      m.put("slope", slope);
      m.put("offset", offset);
      m.put("fitted_on", fittedOn);
      return m;
    }
  }

  /** The event every model's risk_score is the probability of (README, "Seller counterfeit risk"). */
  public static final String EVENT = "the seller's account is blocked for COUNTERFEIT within"
      + " hallmark.risk.training.horizon-days (90) days after the end of as_of";

  /** Score thresholds (score >= threshold) of the MEDIUM, HIGH and CRITICAL bands; below medium = LOW. */
  public record Bands(double medium, double high, double critical) {
    public Bands {
      if (!(medium <= high && high <= critical)) {
        throw new IllegalArgumentException("band thresholds must satisfy medium <= high <= critical: "
            + medium + ", " + high + ", " + critical);
      }
    }

    /** LOW / MEDIUM / HIGH / CRITICAL of a score, the same rule the Spark expression applies. */
    public String band(double score) {
      return score >= critical ? "CRITICAL" : score >= high ? "HIGH" : score >= medium ? "MEDIUM" : "LOW";
    }

    Column bandOf(Column score) {
      return when(score.geq(critical), "CRITICAL").when(score.geq(high), "HIGH")
          .when(score.geq(medium), "MEDIUM").otherwise("LOW");
    }

    Map<String, Double> asMap() {
      Map<String, Double> m = new LinkedHashMap<>();
      m.put("medium", medium);
      m.put("high", high);
      m.put("critical", critical);
      return m;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  static final String MODEL_FILE = "model.json";

  /** The documented default from hallmark.risk.intercept / hallmark.risk.coefficients. */
  public static RiskModel fromConfig(HallmarkConfig config) {
    Config risk = config.raw().getConfig("hallmark.risk");
    Map<String, Double> weights = new LinkedHashMap<>();
    Map<String, Double> baselines = new LinkedHashMap<>();
    Config coefficients = risk.getConfig("coefficients");
    for (String key : coefficients.root().keySet()) {
      if (!SellerFeatures.FEATURES.contains(key)) {
        throw new ConfigError("hallmark.risk.coefficients." + key + " is not a feature; known: " + SellerFeatures.FEATURES);
      }
    }
    for (String f : SellerFeatures.FEATURES) {
      if (!coefficients.hasPath(f)) {
        weights.put(f, 0.0);
        baselines.put(f, 0.0);
        continue;
      }
      try {
        weights.put(f, coefficients.getDouble(f + ".weight"));
        baselines.put(f, coefficients.getDouble(f + ".baseline"));
      } catch (com.typesafe.config.ConfigException e) {
        throw new ConfigError("hallmark.risk.coefficients." + f + " needs numeric weight and baseline: " + e.getMessage(), e);
      }
    }
    RiskSettings settings = RiskSettings.from(config);
    return new RiskModel(settings.defaultModelVersion(), null, risk.getDouble("intercept"),
        weights, baselines, Map.of(), settings.confBands(), settings.confCalibration());
  }

  /**
   * Adds risk_score, risk_band, the top three reasons (largest signed contribution first, ties by
   * feature name) and model_version to seller features; output is the seller_risk_scores schema.
   * Bands are the thresholds this model carries ({@link #bands()}, the configuration's).
   */
  public Dataset<Row> score(Dataset<Row> features) {
    List<Column> contributions = new ArrayList<>();
    for (String f : SellerFeatures.FEATURES) {
      contributions.add(struct(contribution(f).as("contribution"), lit(f).as("reason")));
    }
    Column score = calibration.probabilityOf(logit());
    Dataset<Row> scored = features
        .withColumn("risk_score", score)
        .withColumn("reasons", sort_array(array(contributions.toArray(new Column[0])), false));
    return scored.select(
        col("seller_id"),
        col("as_of"),
        col("risk_score"),
        bands.bandOf(col("risk_score")).as("risk_band"),
        element_at(col("reasons"), 1).getField("reason").as("reason_1"),
        element_at(col("reasons"), 1).getField("contribution").as("contribution_1"),
        element_at(col("reasons"), 2).getField("reason").as("reason_2"),
        element_at(col("reasons"), 2).getField("contribution").as("contribution_2"),
        element_at(col("reasons"), 3).getField("reason").as("reason_3"),
        element_at(col("reasons"), 3).getField("contribution").as("contribution_3"),
        lit(version).as("model_version"));
  }

  /** A feature's contribution to the (uncalibrated) logit: {@code weight * (x - baseline)}, 0 when x is null. */
  Column contribution(String feature) {
    return lit(weights.get(feature))
        .multiply(coalesce(col(feature), lit(baselines.get(feature))).minus(lit(baselines.get(feature))));
  }

  /** The uncalibrated logit over the feature columns: intercept plus every contribution. */
  public Column logit() {
    Column logit = lit(intercept);
    for (String f : SellerFeatures.FEATURES) {
      logit = logit.plus(contribution(f));
    }
    return logit;
  }

  /** This model with another calibration and bands. */
  public RiskModel withCalibration(Calibration c, Bands b, Map<String, Object> moreMetrics) {
    Map<String, Object> m = new LinkedHashMap<>(metrics);
    m.putAll(moreMetrics);
    return new RiskModel(version, trainedAsOf, intercept, weights, baselines, m, b, c);
  }

  // ---- persistence: <models/risk>/<version>/model.json, one line of JSON (Jackson), written through Hadoop's
  // FileSystem so any store the lake lives on (local, HDFS, S3A) works, and read through Spark.

  public void save(SparkSession spark, String modelsRoot) throws IOException {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("version", version);
    doc.put("trained_as_of", trainedAsOf == null ? null : trainedAsOf.toString());
    doc.put("intercept", intercept);
    doc.put("weights", weights);
    doc.put("baselines", baselines);
    doc.put("metrics", metrics);
    doc.put("calibration", calibration.asMap());
    org.apache.hadoop.conf.Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    String file = modelsRoot + "/" + version + "/" + MODEL_FILE;
    if (io.hallmark.config.HadoopFiles.isDirectory(hadoop, file)) {
      // saved by an earlier Hallmark as a Spark text output (a folder of that name): replaced by the file
      org.apache.hadoop.fs.Path old = new org.apache.hadoop.fs.Path(file);
      old.getFileSystem(hadoop).delete(old, true);
    }
    io.hallmark.config.HadoopFiles.writeString(hadoop, file, JSON.writeValueAsString(doc) + "\n");
  }

  /** A saved model, scoring with {@code bands} (the configuration's: bands are not part of a model). */
  public static RiskModel load(SparkSession spark, String modelsRoot, String version, Bands bands) {
    String path = modelsRoot + "/" + version + "/" + MODEL_FILE;
    List<String> lines;
    try {
      lines = spark.read().textFile(path).collectAsList();
    } catch (Exception e) {
      throw new ConfigError("no trained risk model '" + version + "' under " + modelsRoot
          + " (train one with: hallmark train --as-of D, or omit --model)");
    }
    if (lines.size() != 1) {
      throw new JobFailure("risk model file " + path + " is damaged (expected one JSON line, found " + lines.size() + ")");
    }
    return parse(lines.get(0), path, bands);
  }

  @SuppressWarnings("unchecked")
  static RiskModel parse(String json, String where, Bands bands) {
    try {
      Map<String, Object> doc = JSON.readValue(json, Map.class);
      Map<String, Double> weights = new LinkedHashMap<>();
      Map<String, Double> baselines = new LinkedHashMap<>();
      Map<String, Object> w = (Map<String, Object>) doc.get("weights");
      Map<String, Object> b = (Map<String, Object>) doc.get("baselines");
      for (String f : SellerFeatures.FEATURES) {
        if (!w.containsKey(f) || !b.containsKey(f)) {
          throw new JobFailure("model " + where + " has no coefficient for feature '" + f + "' (trained with another feature set; retrain)");
        }
        weights.put(f, ((Number) w.get(f)).doubleValue());
        baselines.put(f, ((Number) b.get(f)).doubleValue());
      }
      Object asOf = doc.get("trained_as_of");
      // bands a model saved at training (before they were probabilities, the same for every model) are ignored
      // a model saved before models were calibrated scores its raw logit, as it did when it was trained
      Map<String, Object> savedCalibration = (Map<String, Object>) doc.get("calibration");
      Calibration calibration = savedCalibration == null ? Calibration.NONE : new Calibration(
          ((Number) savedCalibration.get("slope")).doubleValue(), ((Number) savedCalibration.get("offset")).doubleValue(),
          String.valueOf(savedCalibration.get("fitted_on")));
      return new RiskModel((String) doc.get("version"), asOf == null ? null : LocalDate.parse((String) asOf),
          ((Number) doc.get("intercept")).doubleValue(), weights, baselines,
          (Map<String, Object>) doc.getOrDefault("metrics", Map.of()), bands, calibration);
    } catch (IOException e) {
      throw new JobFailure("cannot parse risk model " + where + ": " + e.getMessage(), e);
    }
  }

  /** This model as indented JSON (what train prints). */
  public String describe() {
    try {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("version", version);
      doc.put("trained_as_of", trainedAsOf == null ? null : trainedAsOf.toString());
      doc.put("intercept", intercept);
      doc.put("weights", weights);
      doc.put("metrics", metrics);
      doc.put("bands", bands.asMap());
      doc.put("calibration", calibration.asMap());
      doc.put("risk_score", "probability that " + EVENT);
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(doc);
    } catch (IOException e) {
      throw new JobFailure("cannot render model: " + e.getMessage(), e);
    }
  }

  /**
   * The model scoring uses for a date: the named version if given; otherwise the trained model with
   * the latest trained_as_of on or before the date (a model trained later has seen that date's future);
   * otherwise the conf default.
   */
  public static RiskModel choose(SparkSession spark, HallmarkConfig config, String version, LocalDate asOf) {
    String root = config.paths().models("risk");
    RiskSettings settings = RiskSettings.from(config);
    if (version != null) {
      return version.equals(settings.defaultModelVersion())
          ? fromConfig(config) : load(spark, root, version, settings.confBands());
    }
    List<String> docs = List.of();
    try {
      org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(root);
      org.apache.hadoop.fs.FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
      org.apache.hadoop.fs.FileStatus[] found = fs.globStatus(new org.apache.hadoop.fs.Path(root + "/*/" + MODEL_FILE));
      if (found != null && found.length > 0) {
        // the matched files by name, not the glob: Spark would look for a streaming-sink log under a glob
        // and log a FileNotFoundException at WARN
        docs = spark.read().textFile(java.util.Arrays.stream(found).map(f -> f.getPath().toString())
            .toArray(String[]::new)).collectAsList();
      }
    } catch (java.io.IOException e) {
      throw new JobFailure("cannot list trained risk models under " + root + ": " + e.getMessage(), e);
    }
    RiskModel best = null;
    for (String doc : docs) {
      RiskModel m = parse(doc, root, settings.confBands());
      if (m.trainedAsOf() != null && !m.trainedAsOf().isAfter(asOf)
          && (best == null || m.trainedAsOf().isAfter(best.trainedAsOf())
              || (m.trainedAsOf().equals(best.trainedAsOf()) && m.version().compareTo(best.version()) > 0))) {
        best = m;
      }
    }
    return best != null ? best : fromConfig(config);
  }
}
