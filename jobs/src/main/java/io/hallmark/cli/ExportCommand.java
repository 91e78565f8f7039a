package io.hallmark.cli;

import io.hallmark.config.HallmarkConfig;
import io.hallmark.config.JobFailure;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;

@Command(name = "export", mixinStandardHelpOptions = true, description = "Export a published table as CSV (yearly-stats, risk-scores).")
public class ExportCommand extends SparkCommand {
  @Override
  protected int run(SparkSession spark, HallmarkConfig config) {
    throw new JobFailure("'export' is not implemented yet");
  }
}
