package io.hallmark.risk;

import io.hallmark.config.HallmarkConfig;
import io.hallmark.config.JobFailure;
import io.hallmark.jobs.NightlyStep;
import io.hallmark.jobs.StepResult;
import java.time.LocalDate;
import org.apache.spark.sql.SparkSession;

public class FeaturesJob implements NightlyStep {
  @Override
  public String name() {
    return "seller-features";
  }

  @Override
  public StepResult run(SparkSession spark, HallmarkConfig config, LocalDate runDate) {
    throw new JobFailure("step 'seller-features' is not implemented yet");
  }
}
