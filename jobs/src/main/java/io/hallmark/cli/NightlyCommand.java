package io.hallmark.cli;

import io.hallmark.config.HallmarkConfig;
import io.hallmark.jobs.NightlyStep;
import io.hallmark.nightly.NightlyJob;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "nightly", mixinStandardHelpOptions = true,
    description = {
        "The nightly run: ingest, silver, yearly statistics, seller features, risk scores, report, in order,"
            + " for one run date. Stops at the first failed step (exit 1, naming it). Rerunning a date redoes"
            + " every step; each is idempotent, so the tables end as after a clean run.",
        "Every run is recorded in lake/ops/job_runs (see: hallmark runs). One run per lake at a time: a second"
            + " one refuses to start (exit 1)."})
public class NightlyCommand extends SparkCommand {
  @Option(names = "--run-date", required = true, paramLabel = "YYYY-MM-DD",
      description = "The business date of the run; all time in the computed tables comes from it.")
  LocalDate runDate;

  @Option(names = "--dry-run",
      description = "Check the arguments and configuration and print the plan; read and write nothing, start no Spark.")
  boolean dryRun;

  @Option(names = "--force-unlock",
      description = "Remove a stale lock left by a run that died (reported by a previous attempt), then run.")
  boolean forceUnlock;

  private final List<NightlyStep> steps;

  public NightlyCommand() {
    this(NightlyJob.defaultSteps());
  }

  /** Tests inject fake steps. */
  NightlyCommand(List<NightlyStep> steps) {
    this.steps = steps;
  }

  @Override
  public Integer call() throws Exception {
    if (dryRun) {
      HallmarkConfig config = lakeOptions.load();
      validate(config);
      new NightlyJob(steps, Clock.systemUTC()).plan(config, runDate).forEach(Console::info);
      return Hallmark.EXIT_OK;
    }
    return super.call();
  }

  @Override
  protected void validate(HallmarkConfig config) {
    NightlyJob.lockMaxAge(config); // a malformed duration fails here (exit 2), not after the run started
  }

  @Override
  protected int run(SparkSession spark, HallmarkConfig config) {
    new NightlyJob(steps, Clock.systemUTC()).run(spark, config, runDate, forceUnlock);
    return Hallmark.EXIT_OK;
  }
}
