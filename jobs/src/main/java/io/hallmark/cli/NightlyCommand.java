package io.hallmark.cli;

import io.hallmark.config.HallmarkConfig;
import io.hallmark.config.JobFailure;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;

@Command(name = "nightly", mixinStandardHelpOptions = true, description = "The nightly run: ingest, silver, yearly statistics, features, risk scores, report.")
public class NightlyCommand extends SparkCommand {
  @Override
  protected int run(SparkSession spark, HallmarkConfig config) {
    throw new JobFailure("'nightly' is not implemented yet");
  }
}
