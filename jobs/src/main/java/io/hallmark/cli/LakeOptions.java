package io.hallmark.cli;

import io.hallmark.config.HallmarkConfig;
import java.io.File;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options shared by every command that touches the lake; they override the config file. */
public class LakeOptions {
  @Option(names = "--conf-file", paramLabel = "FILE",
      description = "Settings file (HOCON); its keys override the embedded conf/local.conf.")
  File confFile;

  @Option(names = "--lake", paramLabel = "DIR", description = "Root folder of the Delta lake (overrides hallmark.lake).")
  String lake;

  @Option(names = "--landing", paramLabel = "DIR", description = "Landing zone folder (overrides hallmark.landing).")
  String landing;

  @Option(names = "--master", paramLabel = "URL",
      description = "Spark master (local[2], spark://host:7077, yarn, k8s://...); overrides hallmark.spark.master.")
  String master;

  @Option(names = "--conf", paramLabel = "KEY=VALUE",
      description = "Extra Spark setting, repeatable (e.g. --conf spark.sql.shuffle.partitions=16).")
  Map<String, String> sparkConf = new LinkedHashMap<>();

  public HallmarkConfig load() {
    Map<String, Object> overrides = new LinkedHashMap<>();
    if (lake != null) {
      overrides.put("hallmark.lake", lake);
    }
    if (landing != null) {
      overrides.put("hallmark.landing", landing);
    }
    if (master != null) {
      overrides.put("hallmark.spark.master", master);
    }
    HallmarkConfig config = HallmarkConfig.load(confFile, overrides);
    for (Map.Entry<String, String> e : sparkConf.entrySet()) {
      config = config.with("hallmark.spark.conf.\"" + e.getKey() + "\"", e.getValue());
    }
    return config;
  }
}
