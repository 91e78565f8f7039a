package io.hallmark.cli;

import io.delta.tables.DeltaTable;
import io.hallmark.config.ConfigError;
import io.hallmark.config.HallmarkConfig;
import io.hallmark.config.JobFailure;
import io.hallmark.jobs.Console;
import io.hallmark.yearly.YearlyStatsDiff;
import io.hallmark.lake.YearlyStatsPublications;
import java.time.LocalDate;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "diff", mixinStandardHelpOptions = true,
    description = {"Show which published figures changed between two publications of yearly-stats (by default the"
        + " latest and the one before it).",
        "Publications are read from gold.yearly_stats_publications, which keeps every one as rows, so a diff"
            + " against an old publication still works after 'hallmark maintain' vacuumed yearly_stats' old files."})
public class DiffCommand extends SparkCommand {
  @Parameters(index = "0", paramLabel = "TABLE", description = "Published table to compare: yearly-stats.")
  String table;

  @Option(names = "--from-version", paramLabel = "N",
      description = "Older publication (a yearly_stats version; default: the publication before --to-version).")
  Long fromVersion;

  @Option(names = "--to-version", paramLabel = "M", description = "Newer publication (default: the latest).")
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
    if (!YearlyStatsPublications.exists(spark, config.paths())
        && !DeltaTable.isDeltaTable(spark, config.paths().gold(YearlyStatsPublications.PUBLISHED_TABLE))) {
      throw new JobFailure("no yearly_stats published under " + config.paths().gold("")
          + ": run 'hallmark yearly-stats' first");
    }
    TreeMap<Long, LocalDate> kept = YearlyStatsPublications.list(spark, config.paths()); // newest first
    if (kept.isEmpty()) {
      throw new JobFailure("no yearly_stats publication recorded in " + YearlyStatsPublications.path(config.paths())
          + ": run 'hallmark yearly-stats' first");
    }
    List<Long> versions = List.copyOf(kept.keySet());
    long to = toVersion == null ? versions.get(0) : requireKept(toVersion, kept);
    long from;
    if (fromVersion == null) {
      int i = versions.indexOf(to);
      if (i + 1 >= versions.size()) {
        Console.info("yearly_stats has no publication before version " + to + ": nothing to compare yet");
        return Hallmark.EXIT_OK;
      }
      from = versions.get(i + 1);
    } else {
      from = requireKept(fromVersion, kept);
    }
    System.out.print(YearlyStatsDiff.between(spark, config.paths(), from, to));
    System.out.flush();
    return Hallmark.EXIT_OK;
  }

  /** A version that is a kept publication; else bad usage naming the ones there are (newest first, at most 20). */
  private static long requireKept(long version, TreeMap<Long, LocalDate> kept) {
    if (!kept.containsKey(version)) {
      String listed = kept.entrySet().stream().limit(20)
          .map(e -> e.getKey() + (e.getValue() == null ? "" : " (" + e.getValue() + ")"))
          .collect(Collectors.joining(", "));
      throw new ConfigError("version " + version + " is no kept publication of yearly_stats; the publications are: "
          + listed + (kept.size() > 20 ? ", ... (" + kept.size() + " in all)" : ""));
    }
    return version;
  }
}
