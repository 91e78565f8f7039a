package io.hallmark.nightly;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.hallmark.cli.Console;
import io.hallmark.config.ConfigError;
import io.hallmark.config.HallmarkConfig;
import io.hallmark.config.JobFailure;
import io.hallmark.config.LakePaths;
import io.hallmark.ingest.IngestJob;
import io.hallmark.jobs.NightlyStep;
import io.hallmark.jobs.StepResult;
import io.hallmark.report.ReportJob;
import io.hallmark.risk.FeaturesJob;
import io.hallmark.risk.ScoreJob;
import io.hallmark.yearly.SilverJob;
import io.hallmark.yearly.YearlyStatsJob;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.spark.sql.SparkSession;

/**
 * The nightly run: every step in order for one run date, under the lake's lock, recorded in job_runs.
 *
 * <p>Rerunning a date redoes every step (no skipping of steps an earlier run of that date finished):
 * each step is idempotent by contract (ingest reads only files not yet ingested, the others rebuild
 * what they publish with replaceWhere / MERGE / whole-table overwrite), so a rerun after a failure or
 * a kill ends with the same tables as a clean run, and never trusts a half-known earlier state.
 *
 * <p>Wall clock use: run ids, the lock's start and timings only. Everything the steps compute comes
 * from the run date.
 */
public final class NightlyJob {
  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
  private static final DateTimeFormatter RUN_ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  public static final String LOCK_FILE = "_nightly.lock";

  private final List<NightlyStep> steps;
  private final Clock clock;

  public NightlyJob(List<NightlyStep> steps, Clock clock) {
    this.steps = List.copyOf(steps);
    this.clock = clock;
  }

  /** ingest -> silver -> yearly-stats -> seller-features -> risk-scores -> report. */
  public static List<NightlyStep> defaultSteps() {
    return List.of(new IngestJob(), new SilverJob(), new YearlyStatsJob(), new FeaturesJob(), new ScoreJob(),
        new ReportJob());
  }

  public List<NightlyStep> steps() {
    return steps;
  }

  public static String lockPath(LakePaths paths) {
    return paths.ops(LOCK_FILE);
  }

  public static Duration lockMaxAge(HallmarkConfig config) {
    return config.raw().getDuration("hallmark.nightly.lock-max-age");
  }

  /** The plan --dry-run prints: nothing is read or written. */
  public List<String> plan(HallmarkConfig config, LocalDate runDate) {
    List<String> lines = new ArrayList<>();
    lines.add("dry run: nightly for run date " + runDate + " (nothing is read or written)");
    lines.add("  lake " + config.lake() + ", landing " + config.landing());
    for (int i = 0; i < steps.size(); i++) {
      lines.add(String.format(Locale.ROOT, "  step %d of %d: %s (%s)", i + 1, steps.size(), steps.get(i).name(),
          steps.get(i).getClass().getName()));
    }
    lines.add("  lock " + lockPath(config.paths()) + " (max age " + lockMaxAge(config) + "), audit "
        + JobRuns.path(config.paths()));
    return lines;
  }

  /**
   * Runs every step for the date. Returns the finished run record; throws JobFailure (exit 1) naming
   * the failed step after recording it, or when another run holds the lake.
   */
  public RunRecord run(SparkSession spark, HallmarkConfig config, LocalDate runDate, boolean forceUnlock) {
    LakePaths paths = config.paths();
    Instant start = clock.instant();
    String runId = newRunId(runDate, start);
    String host = NightlyLock.currentHost();
    long pid = ProcessHandle.current().pid();
    NightlyLock.Holder me = new NightlyLock.Holder(runId, runDate.toString(), host, pid, start.toString());
    try (NightlyLock lock = NightlyLock.acquire(spark.sparkContext().hadoopConfiguration(), lockPath(paths), me,
        lockMaxAge(config), forceUnlock, start)) {
      long abandoned = JobRuns.markAbandoned(spark, paths, runId);
      if (abandoned > 0) {
        Console.info("marked " + abandoned + " earlier run(s) that never finished as ABANDONED in job_runs");
      }
      Console.info("nightly run " + runId + " for " + runDate);
      return runSteps(spark, config, runDate, new RunRecord(runId, runDate, RunRecord.RUNNING, start, null, null,
          host, pid, null, null, null, pendingSteps()));
    }
  }

  private RunRecord runSteps(SparkSession spark, HallmarkConfig config, LocalDate runDate, RunRecord initial) {
    LakePaths paths = config.paths();
    RunRecord run = initial;
    JobRuns.upsert(spark, paths, run);
    long runNanos = System.nanoTime();
    int of = steps.size();
    for (int i = 0; i < of; i++) {
      NightlyStep step = steps.get(i);
      int n = i + 1;
      Console.info(String.format(Locale.ROOT, "step %d of %d: %s: started", n, of, step.name()));
      Instant stepStart = clock.instant();
      long stepNanos = System.nanoTime();
      StepResult result;
      try {
        result = step.run(spark, config, runDate);
        if (result == null) {
          throw new IllegalStateException("step returned no result");
        }
      } catch (Exception | LinkageError e) {
        double seconds = secondsSince(stepNanos);
        String message = messageOf(e);
        run = run.withStep(new StepRecord(n, step.name(), StepRecord.FAILED, stepStart, clock.instant(), seconds,
            null, Map.of(), Map.of(), null, message));
        for (int later = n + 1; later <= of; later++) {
          run = run.withStep(new StepRecord(later, steps.get(later - 1).name(), StepRecord.NOT_RUN, null, null, null,
              null, Map.of(), Map.of(), null, null));
        }
        run = run.finished(RunRecord.FAILED, clock.instant(), secondsSince(runNanos), step.name(), message);
        JobRuns.upsert(spark, paths, run);
        String failure = String.format(Locale.ROOT, "nightly run %s for %s failed at step %d of %d (%s): %s",
            run.runId(), runDate, n, of, step.name(), message);
        if (causedByConfigError(e)) {
          throw new ConfigError(failure, e); // a setting the step needs is wrong or missing: exit 2
        }
        throw new JobFailure(failure, e);
      }
      double seconds = secondsSince(stepNanos);
      Console.step(n, of, step.name(), result.rows(), seconds);
      String details = toJson(result.details());
      run = run.withStep(new StepRecord(n, step.name(), StepRecord.SUCCEEDED, stepStart, clock.instant(), seconds,
          result.rows(), versions(result.tablesRead()), versions(result.tablesWritten()), details, null));
      if (step instanceof IngestJob || "ingest".equals(step.name())) {
        run = run.withIngestBalances(details);
      }
      if (n == of) {
        run = run.finished(RunRecord.SUCCEEDED, clock.instant(), secondsSince(runNanos), null, null);
      }
      JobRuns.upsert(spark, paths, run);
    }
    if (of == 0) {
      run = run.finished(RunRecord.SUCCEEDED, clock.instant(), secondsSince(runNanos), null, null);
      JobRuns.upsert(spark, paths, run);
    }
    Console.info(String.format(Locale.ROOT, "nightly run %s for %s succeeded: %d steps in %.1f s", run.runId(),
        runDate, of, run.seconds()));
    return run;
  }

  private List<StepRecord> pendingSteps() {
    List<StepRecord> pending = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      pending.add(StepRecord.pending(i + 1, steps.get(i).name()));
    }
    return pending;
  }

  private static String newRunId(LocalDate runDate, Instant start) {
    // readable and sortable; the random suffix separates two runs started in the same second
    return String.format(Locale.ROOT, "nightly-%s-%s-%04x", runDate, RUN_ID_TIME.format(start),
        ThreadLocalRandom.current().nextInt(0x10000));
  }

  private static Map<String, Long> versions(Map<String, Long> versions) {
    return versions == null ? Map.of() : new TreeMap<>(versions);
  }

  static String toJson(Map<String, Object> details) {
    if (details == null || details.isEmpty()) {
      return null;
    }
    try {
      return JSON.writeValueAsString(details);
    } catch (JsonProcessingException e) {
      return String.valueOf(details); // still recorded, if not as JSON
    }
  }

  private static boolean causedByConfigError(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof JobFailure) {
        return false;
      }
      if (t instanceof ConfigError) {
        return true;
      }
    }
    return false;
  }

  private static String messageOf(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && !(t instanceof JobFailure) && !(t instanceof ConfigError)) {
      t = t.getCause();
    }
    String message = t.getMessage() == null ? t.toString() : t.getMessage();
    return message.lines().findFirst().orElse(message);
  }

  private static double secondsSince(long nanos) {
    return (System.nanoTime() - nanos) / 1e9;
  }
}
