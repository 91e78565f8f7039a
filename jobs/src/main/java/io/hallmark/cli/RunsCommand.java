package io.hallmark.cli;

import io.hallmark.config.HallmarkConfig;
import io.hallmark.config.JobFailure;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;

@Command(name = "runs", mixinStandardHelpOptions = true, description = "List recent nightly runs from the job_runs audit table.")
public class RunsCommand extends SparkCommand {
  @Override
  protected int run(SparkSession spark, HallmarkConfig config) {
    throw new JobFailure("'runs' is not implemented yet");
  }
}
