package io.hallmark.ingest;

import io.hallmark.config.HallmarkConfig;
import io.hallmark.config.JobFailure;
import io.hallmark.jobs.NightlyStep;
import io.hallmark.jobs.StepResult;
import java.time.LocalDate;
import org.apache.spark.sql.SparkSession;

public class IngestJob implements NightlyStep {
  @Override
  public String name() {
    return "ingest";
  }

  @Override
  public StepResult run(SparkSession spark, HallmarkConfig config, LocalDate runDate) {
    throw new JobFailure("step 'ingest' is not implemented yet");
  }
}
