package io.hallmark.cli;

import io.hallmark.config.HallmarkConfig;
import io.hallmark.config.JobFailure;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;

@Command(name = "risk-scores", mixinStandardHelpOptions = true, description = "Write seller_risk_scores of one date as CSV.")
public class ExportRiskScoresCommand extends SparkCommand {
  @Override
  protected int run(SparkSession spark, HallmarkConfig config) {
    throw new JobFailure("'export risk-scores' is not implemented yet");
  }
}
