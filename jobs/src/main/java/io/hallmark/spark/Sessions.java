package io.hallmark.spark;

import io.hallmark.config.HallmarkConfig;
import java.util.Map;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.FileAppender;
import org.apache.spark.sql.SparkSession;

/**
 * The only place a SparkSession is built for a command. Under spark-submit the master comes from
 * spark-submit (config master empty or overridden); locally it comes from the config file.
 */
public final class Sessions {
  private static final String WAREHOUSE = "spark.sql.warehouse.dir";

  private Sessions() {}

  public static SparkSession create(HallmarkConfig config) {
    SparkSession.Builder builder = SparkSession.builder().appName(config.sparkAppName());
    String submittedMaster = System.getProperty("spark.master");
    if (submittedMaster == null && !config.sparkMaster().isBlank()) {
      builder.master(config.sparkMaster());
    }
    applyLakeDefaults(builder);
    // a warehouse given to spark-submit (a system property of the driver, like the master) is kept
    if (System.getProperty(WAREHOUSE) == null) {
      builder.config(WAREHOUSE, config.paths().sparkWarehouse());
    }
    for (Map.Entry<String, String> e : config.sparkConf().entrySet()) {
      builder.config(e.getKey(), e.getValue());
    }
    return builder.getOrCreate();
  }

  /**
   * The file Spark's own log lines go to (the jar's log4j2.properties: its "file" appender), or empty when
   * another log4j configuration is in force (a cluster's).
   */
  public static Optional<String> logFile() {
    if (LogManager.getContext(false) instanceof LoggerContext context
        && context.getConfiguration().getAppenders().get("file") instanceof FileAppender file) {
      return Optional.of(file.getFileName());
    }
    return Optional.empty();
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
