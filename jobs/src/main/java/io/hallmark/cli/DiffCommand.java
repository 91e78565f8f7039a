package io.hallmark.cli;

import io.hallmark.config.HallmarkConfig;
import io.hallmark.config.JobFailure;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;

@Command(name = "diff", mixinStandardHelpOptions = true, description = "Show which published figures changed against the previous version (yearly-stats).")
public class DiffCommand extends SparkCommand {
  @Override
  protected int run(SparkSession spark, HallmarkConfig config) {
    throw new JobFailure("'diff' is not implemented yet");
  }
}
