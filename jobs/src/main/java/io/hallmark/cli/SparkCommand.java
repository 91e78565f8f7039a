package io.hallmark.cli;

import io.hallmark.config.HallmarkConfig;
import io.hallmark.jobs.Console;
import io.hallmark.spark.Sessions;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Mixin;

/**
 * Base of every command that needs Spark: parse and validate first (exit 2 on bad usage or config,
 * before a session exists), log the effective settings, then call the job's run(spark, config).
 */
public abstract class SparkCommand implements Callable<Integer> {
  @Mixin
  protected LakeOptions lakeOptions;

  /** Validates arguments that picocli cannot (dates in range, files present); throw ConfigError. */
  protected void validate(HallmarkConfig config) {}

  /** The job itself; returns the exit code (0 on success). */
  protected abstract int run(SparkSession spark, HallmarkConfig config) throws Exception;

  /** Says where Spark's own log lines go: the console keeps only Hallmark's lines and errors (log4j2.properties). */
  static void announceSparkLog() {
    Sessions.logFile().ifPresent(file -> Console.info("Spark's log: " + file));
  }

  @Override
  public Integer call() throws Exception {
    HallmarkConfig config = lakeOptions.load();
    validate(config);
    Console.info("effective settings:\n" + config.describe().stripTrailing());
    announceSparkLog();
    // A session that already exists (tests calling Hallmark.execute, a notebook) belongs to its owner
    boolean ownSession = SparkSession.getDefaultSession().isEmpty() && SparkSession.getActiveSession().isEmpty();
    SparkSession spark = Sessions.create(config);
    try {
      return run(spark, config);
    } finally {
      // Under spark-submit the application ends with main; stopping here frees local resources early
      if (ownSession) {
        spark.stop();
      }
    }
  }
}
