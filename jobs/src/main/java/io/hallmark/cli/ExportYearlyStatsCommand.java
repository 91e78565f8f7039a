package io.hallmark.cli;

import io.hallmark.config.HallmarkConfig;
import io.hallmark.config.JobFailure;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;

@Command(name = "yearly-stats", mixinStandardHelpOptions = true, description = "Write gold yearly_stats as CSV (columns in the spec's order).")
public class ExportYearlyStatsCommand extends SparkCommand {
  @Override
  protected int run(SparkSession spark, HallmarkConfig config) {
    throw new JobFailure("'export yearly-stats' is not implemented yet");
  }
}
