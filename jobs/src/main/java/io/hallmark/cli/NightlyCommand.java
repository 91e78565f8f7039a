package io.hallmark.cli;

import io.hallmark.config.HallmarkConfig;
import io.hallmark.jobs.Console;
import io.hallmark.jobs.NightlyStep;
import io.hallmark.nightly.NightlyJob;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "nightly", mixinStandardHelpOptions = true,
    description = {
        "The nightly run: ingest, silver, yearly statistics, seller features, risk scores, report, in order,"
            + " for one run date. Stops at the first failed step (exit 1, naming it). Rerunning a date redoes"
            + " every step; each is idempotent, so the tables end as after a clean run.",
        "With --step NAME only that step runs, exactly as inside the nightly (same code, same lock, same"
            + " job_runs record): one scheduler task per step, so a retry redoes only the failed step.",
        "Every run is recorded in lake/ops/job_runs (see: hallmark runs). One run per lake at a time: a second"
            + " one refuses to start (exit 1)."})
public class NightlyCommand extends SparkCommand {
  @Option(names = "--run-date", required = true, paramLabel = "YYYY-MM-DD",
      description = "The business date of the run; all time in the computed tables comes from it.")
  LocalDate runDate;

  @Option(names = "--step", paramLabel = "NAME", completionCandidates = StepNames.class,
      description = "Run only this step of the nightly, one of: ${COMPLETION-CANDIDATES}. Safe to rerun for the"
          + " same date. When the table it reads is missing it exits 1 naming the step to run first.")
  String step;

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

  /** The names --step accepts, for the help text: the default steps in run order. */
  static final class StepNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return new NightlyJob(NightlyJob.defaultSteps(), Clock.systemUTC()).stepNames().iterator();
    }
  }

  private NightlyJob job() {
    return new NightlyJob(steps, Clock.systemUTC());
  }

  @Override
  public Integer call() throws Exception {
    if (dryRun) {
      HallmarkConfig config = lakeOptions.load();
      validate(config);
      job().plan(config, runDate, step).forEach(Console::info);
      return Hallmark.EXIT_OK;
    }
    return super.call();
  }

  @Override
  protected void validate(HallmarkConfig config) {
    if (step != null) {
      job().stepNumber(step); // an unknown step is bad usage (exit 2), listing the valid names, before Spark starts
    }
    NightlyJob.lockSettings(config); // a malformed or inconsistent lock setting fails here (exit 2), not after the run started
  }

  @Override
  protected int run(SparkSession spark, HallmarkConfig config) {
    if (step != null) {
      job().runStep(spark, config, runDate, step, forceUnlock);
    } else {
      job().run(spark, config, runDate, forceUnlock);
    }
    return Hallmark.EXIT_OK;
  }
}
