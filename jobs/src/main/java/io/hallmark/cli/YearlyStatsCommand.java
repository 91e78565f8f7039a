package io.hallmark.cli;

import io.hallmark.config.HallmarkConfig;
import io.hallmark.config.JobFailure;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;

@Command(name = "yearly-stats", mixinStandardHelpOptions = true, description = "Rebuild silver timelines and publish the gold yearly_stats table.")
public class YearlyStatsCommand extends SparkCommand {
  @Override
  protected int run(SparkSession spark, HallmarkConfig config) {
    throw new JobFailure("'yearly-stats' is not implemented yet");
  }
}
