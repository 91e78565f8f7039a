package io.hallmark.cli;

import io.hallmark.config.ConfigError;
import io.hallmark.config.HallmarkConfig;
import io.hallmark.config.JobFailure;
import io.hallmark.jobs.Console;
import io.hallmark.lake.DeltaVersions;
import io.hallmark.yearly.YearlyStatsExport;
import io.hallmark.yearly.YearlyStatsJob;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "yearly-stats", mixinStandardHelpOptions = true,
    description = "Write gold yearly_stats as CSV (columns in the spec's order).")
public class ExportYearlyStatsCommand extends SparkCommand {
  @Option(names = "--out", required = true, paramLabel = "FILE.csv",
      description = "CSV file to write (replaced whole): a Hadoop URI or a path on the default file system.")
  String out;

  @Option(names = "--version", paramLabel = "N", description = "Published version to export (default: the latest).")
  Long version;

  @Override
  protected void validate(HallmarkConfig config) {
    if (version != null && version < 0) {
      throw new ConfigError("--version must be >= 0, got " + version);
    }
  }

  @Override
  protected int run(SparkSession spark, HallmarkConfig config) throws Exception {
    String path = config.paths().gold(YearlyStatsJob.TABLE);
    long latest = DeltaVersions.latest(spark, path).orElseThrow(() ->
        new JobFailure("no yearly_stats published at " + path + ": run 'hallmark yearly-stats' first"));
    long chosen = version == null ? latest : version;
    if (chosen > latest) {
      throw new ConfigError("--version " + chosen + " does not exist: the latest published version is " + latest);
    }
    String target = config.qualify(out);
    long rows = YearlyStatsExport.write(DeltaVersions.readAt(spark, path, chosen), target,
        spark.sparkContext().hadoopConfiguration());
    Console.info("wrote " + rows + " rows of yearly_stats version " + chosen + " to " + target);
    return Hallmark.EXIT_OK;
  }
}
