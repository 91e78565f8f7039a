package io.hallmark.cli;

import io.hallmark.config.ConfigError;
import io.hallmark.config.HallmarkConfig;
import io.hallmark.nightly.JobRuns;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "runs", mixinStandardHelpOptions = true,
    description = "List recent nightly runs from the job_runs audit table, newest first, each with its steps.")
public class RunsCommand extends SparkCommand {
  @Option(names = "--limit", paramLabel = "N", defaultValue = "10", description = "How many runs (default: ${DEFAULT-VALUE}).")
  int limit;

  @Override
  protected void validate(HallmarkConfig config) {
    if (limit < 1) {
      throw new ConfigError("--limit must be at least 1, got " + limit);
    }
  }

  @Override
  protected int run(SparkSession spark, HallmarkConfig config) {
    System.out.print(JobRuns.format(JobRuns.recent(spark, config.paths(), limit)));
    System.out.flush();
    return Hallmark.EXIT_OK;
  }
}
