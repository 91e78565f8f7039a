package io.hallmark.cli;

import io.hallmark.config.ConfigError;
import io.hallmark.config.HallmarkConfig;
import io.hallmark.config.JobFailure;
import io.hallmark.jobs.Console;
import io.hallmark.lake.DeltaVersions;
import io.hallmark.yearly.YearlyStatsDiff;
import io.hallmark.yearly.YearlyStatsJob;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "diff", mixinStandardHelpOptions = true,
    description = "Show which published figures changed against the previous version (yearly-stats).")
public class DiffCommand extends SparkCommand {
  @Parameters(index = "0", paramLabel = "TABLE", description = "Published table to compare: yearly-stats.")
  String table;

  @Option(names = "--from-version", paramLabel = "N", description = "Older version (default: the one before --to-version).")
  Long fromVersion;

  @Option(names = "--to-version", paramLabel = "M", description = "Newer version (default: the latest).")
  Long toVersion;

  @Override
  protected void validate(HallmarkConfig config) {
    if (!"yearly-stats".equals(table)) {
      throw new ConfigError("diff supports the table 'yearly-stats' only, got '" + table + "'");
    }
    if ((fromVersion != null && fromVersion < 0) || (toVersion != null && toVersion < 0)) {
      throw new ConfigError("versions must be >= 0");
    }
  }

  @Override
  protected int run(SparkSession spark, HallmarkConfig config) {
    String path = config.paths().gold(YearlyStatsJob.TABLE);
    long latest = DeltaVersions.latest(spark, path).orElseThrow(() ->
        new JobFailure("no yearly_stats published at " + path + ": run 'hallmark yearly-stats' first"));
    long to = toVersion == null ? latest : toVersion;
    long from = fromVersion == null ? to - 1 : fromVersion;
    if (to > latest || from > latest) {
      throw new ConfigError("version " + Math.max(from, to) + " does not exist: the latest published version is " + latest);
    }
    if (from < 0) {
      Console.info("yearly_stats has a single published version (" + to + "): nothing to compare yet");
      return Hallmark.EXIT_OK;
    }
    System.out.print(YearlyStatsDiff.between(spark, path, from, to));
    System.out.flush();
    return Hallmark.EXIT_OK;
  }
}
