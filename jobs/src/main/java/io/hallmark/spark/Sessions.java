package io.hallmark.spark;

import io.hallmark.config.HallmarkConfig;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * The only place a SparkSession is built for a command. Under spark-submit the master comes from
 * spark-submit (config master empty or overridden); locally it comes from the config file.
 */
public final class Sessions {
  private Sessions() {}

  public static SparkSession create(HallmarkConfig config) {
    SparkSession.Builder builder = SparkSession.builder().appName(config.sparkAppName());
    String submittedMaster = System.getProperty("spark.master");
    if (submittedMaster == null && !config.sparkMaster().isBlank()) {
      builder.master(config.sparkMaster());
    }
    applyLakeDefaults(builder);
    for (Map.Entry<String, String> e : config.sparkConf().entrySet()) {
      builder.config(e.getKey(), e.getValue());
    }
    return builder.getOrCreate();
  }

  /** Settings every Hallmark session needs, whatever the environment: Delta, and UTC everywhere. */
  public static SparkSession.Builder applyLakeDefaults(SparkSession.Builder builder) {
    return builder
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        // All time arithmetic and year attribution is in UTC (landing contract)
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.ansi.enabled", "true")
        // Hallmark adds no per-session jars or classes; with session artifact isolation on (Spark 4),
        // executors looked classes of generated code up on the driver over RPC (seen in thread dumps
        // of a test stuck compiling a MERGE on a loaded machine)
        .config("spark.sql.artifact.isolation.enabled", "false");
  }
}
