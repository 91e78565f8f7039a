package io.hallmark.jobs;

import io.hallmark.config.HallmarkConfig;
import java.time.LocalDate;
import org.apache.spark.sql.SparkSession;

/**
 * One step of the nightly run. Every job's class implements it so that its own command and the
 * nightly driver call the same code. All time comes from {@code runDate}, never the wall clock.
 * Implementations publish atomically and idempotently: running a step twice for the same date
 * leaves the same tables.
 */
public interface NightlyStep {
  String name();

  StepResult run(SparkSession spark, HallmarkConfig config, LocalDate runDate) throws Exception;
}
