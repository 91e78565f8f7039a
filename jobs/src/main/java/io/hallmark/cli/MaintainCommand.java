package io.hallmark.cli;

import io.hallmark.config.HallmarkConfig;
import io.hallmark.nightly.MaintainJob;
import io.hallmark.nightly.NightlyJob;
import java.time.Clock;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "maintain", mixinStandardHelpOptions = true,
    description = {
        "Keeps the lake healthy (weekly): for every Delta table under bronze/, silver/, gold/ and ops/, OPTIMIZE"
            + " (compaction) of the partitions the nightlies wrote since the last maintenance, purge of deletion"
            + " vectors, then VACUUM with hallmark.maintain.retention (default 168 hours). No row changes.",
        "First it makes sure every yearly_stats publication is kept in gold/yearly_stats_publications (backfilled"
            + " from time travel on a lake from before that table), so 'hallmark diff' and the report still compare"
            + " old publications after VACUUM. What it did per table goes to ops/maintenance_runs.",
        "Holds the nightly lock: it never runs beside a nightly (exit 1 while one runs; retry later). A"
            + " retention below Delta's 168 hours is refused (exit 2) unless"
            + " spark.databricks.delta.retentionDurationCheck.enabled=false is set."})
public class MaintainCommand extends SparkCommand {
  @Option(names = "--dry-run",
      description = "Print, per table, what would be compacted and how many files VACUUM would delete; write nothing,"
          + " take no lock.")
  boolean dryRun;

  @Option(names = "--force-unlock",
      description = "Remove a stale nightly lock left by a run that died (reported by a previous attempt), then run.")
  boolean forceUnlock;

  @Override
  protected void validate(HallmarkConfig config) {
    MaintainJob.retention(config); // a malformed or negative retention is bad configuration (exit 2) before Spark
    NightlyJob.lockSettings(config);
  }

  @Override
  protected int run(SparkSession spark, HallmarkConfig config) {
    new MaintainJob(Clock.systemUTC()).run(spark, config, dryRun, forceUnlock);
    return Hallmark.EXIT_OK;
  }
}
