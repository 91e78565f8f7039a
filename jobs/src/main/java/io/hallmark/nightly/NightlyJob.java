package io.hallmark.nightly;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.delta.tables.DeltaTable;
import io.hallmark.config.ConfigError;
import io.hallmark.config.HallmarkConfig;
import io.hallmark.config.JobFailure;
import io.hallmark.config.LakePaths;
import io.hallmark.ingest.IngestJob;
import io.hallmark.jobs.Console;
import io.hallmark.jobs.NightlyStep;
import io.hallmark.jobs.StepResult;
import io.hallmark.lake.BronzeSchemas;
import io.hallmark.report.ReportJob;
import io.hallmark.risk.FeaturesJob;
import io.hallmark.risk.RiskTables;
import io.hallmark.risk.ScoreJob;
import io.hallmark.yearly.SilverJob;
import io.hallmark.yearly.SilverTables;
import io.hallmark.yearly.YearlyStatsJob;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.spark.sql.SparkSession;

/**
 * The nightly run: every step in order for one run date, under the lake's lock, recorded in job_runs;
 * or one of its steps alone ({@link #runStep}, {@code hallmark nightly --step NAME}: one scheduler task
 * per step), run by the same step object under the same lock and recorded the same way.
 *
 * <p>Rerunning a date redoes every step (no skipping of steps an earlier run of that date finished):
 * each step is idempotent by contract (ingest reads only files not yet ingested, the others rebuild
 * what they publish with replaceWhere / MERGE / whole-table overwrite), so a rerun after a failure or
 * a kill ends with the same tables as a clean run, and never trusts a half-known earlier state.
 *
 * <p>Wall clock use: run ids, the lock's start and lease, and timings only. Everything the steps compute
 * comes from the run date.
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

  /** The steps' names in run order: what {@code hallmark nightly --step} accepts. */
  public List<String> stepNames() {
    return steps.stream().map(NightlyStep::name).toList();
  }

  /**
   * The position (1-based) of the named step in the nightly; a name that is no step is bad usage
   * (ConfigError, exit 2) and the message lists the valid names.
   */
  public int stepNumber(String name) {
    int i = stepNames().indexOf(name);
    if (i < 0) {
      throw new ConfigError("unknown step '" + name + "' for --step: the steps are "
          + String.join(", ", stepNames()));
    }
    return i + 1;
  }

  public static String lockPath(LakePaths paths) {
    return paths.ops(LOCK_FILE);
  }

  /** The lock's lease, renewal and max age from the settings (ConfigError, exit 2, when malformed). */
  public static NightlyLock.Settings lockSettings(HallmarkConfig config) {
    return NightlyLock.Settings.from(config);
  }

  /** The plan --dry-run prints: nothing is read or written. */
  public List<String> plan(HallmarkConfig config, LocalDate runDate) {
    return plan(config, runDate, null);
  }

  /** The plan --dry-run prints for the whole nightly, or for {@code only} that step (null: every step). */
  public List<String> plan(HallmarkConfig config, LocalDate runDate, String only) {
    List<String> lines = new ArrayList<>();
    lines.add((only == null ? "dry run: nightly for run date " : "dry run: nightly step " + only + " for run date ")
        + runDate + " (nothing is read or written)");
    lines.add("  lake " + config.lake() + ", landing " + config.landing());
    for (int n : selection(only)) {
      NightlyStep step = steps.get(n - 1);
      lines.add(String.format(Locale.ROOT, "  step %d of %d: %s (%s)", n, steps.size(), step.name(),
          step.getClass().getName()));
      Optional<Prerequisite> needs = only == null ? Optional.empty() : prerequisiteOf(step.name());
      needs.ifPresent(p -> lines.add("    needs " + p.what() + " (published by step " + p.fromStep() + ")"));
    }
    NightlyLock.Settings lock = lockSettings(config);
    lines.add("  lock " + lockPath(config.paths()) + " (lease " + lock.lease() + " renewed every " + lock.renewEvery()
        + ", max age " + lock.maxAge() + "), audit " + JobRuns.path(config.paths()));
    return lines;
  }

  /**
   * Runs every step for the date. Returns the finished run record; throws JobFailure (exit 1) naming
   * the failed step after recording it, or when another run holds the lake.
   */
  public RunRecord run(SparkSession spark, HallmarkConfig config, LocalDate runDate, boolean forceUnlock) {
    return execute(spark, config, runDate, null, forceUnlock);
  }

  /**
   * Runs the one named step for the date, as the nightly runs it: the same step object, under the
   * same lock, recorded in job_runs the same way (run id {@code step-<name>-<date>-...}, its one step
   * under its number in the nightly). Each step is idempotent, so running it again for the date
   * leaves the same tables. Before the step, its input is checked: a missing table fails the run
   * (JobFailure, exit 1, recorded) naming the step to run first. An unknown name is a ConfigError.
   */
  public RunRecord runStep(SparkSession spark, HallmarkConfig config, LocalDate runDate, String step,
      boolean forceUnlock) {
    stepNumber(step); // an unknown name fails before the lock or the audit table is touched
    return execute(spark, config, runDate, step, forceUnlock);
  }

  /** What a step run alone needs from an earlier step of the nightly, and which step publishes it. */
  record Prerequisite(String what, String fromStep) {}

  /** The input each default step reads that an earlier step publishes (ingest needs only the landing zone). */
  static Optional<Prerequisite> prerequisiteOf(String step) {
    return Optional.ofNullable(switch (step) {
      case "silver", "seller-features" -> new Prerequisite("the bronze tables", "ingest");
      case "yearly-stats" -> new Prerequisite("every silver table", "silver");
      case "risk-scores" -> new Prerequisite("gold.seller_features for the run date", "seller-features");
      case "report" -> new Prerequisite("gold.yearly_stats", "yearly-stats");
      default -> null;
    });
  }

  /** What of the step's input is missing on the lake, or empty when it is all there. */
  static Optional<String> missingInput(SparkSession spark, HallmarkConfig config, String step, LocalDate runDate) {
    LakePaths paths = config.paths();
    switch (step) {
      case "silver", "seller-features" -> {
        boolean any = BronzeSchemas.TABLES.stream().anyMatch(t -> DeltaTable.isDeltaTable(spark, paths.bronze(t)));
        return any ? Optional.empty() : Optional.of("no bronze table under " + paths.bronze(""));
      }
      case "yearly-stats" -> {
        List<String> absent = SilverTables.TABLES.stream()
            .filter(t -> !DeltaTable.isDeltaTable(spark, paths.silver(t))).toList();
        return absent.isEmpty() ? Optional.empty()
            : Optional.of("silver table(s) " + String.join(", ", absent) + " missing under " + paths.silver(""));
      }
      case "risk-scores" -> {
        return RiskTables.readFeatures(spark, config, runDate) != null ? Optional.empty()
            : Optional.of("no gold.seller_features rows for as_of " + runDate + " at " + paths.gold(RiskTables.FEATURES));
      }
      case "report" -> {
        String path = paths.gold(YearlyStatsJob.TABLE);
        return DeltaTable.isDeltaTable(spark, path) ? Optional.empty() : Optional.of("no gold.yearly_stats at " + path);
      }
      default -> {
        return Optional.empty();
      }
    }
  }

  private static void requireInput(SparkSession spark, HallmarkConfig config, String step, LocalDate runDate) {
    Optional<Prerequisite> needs = prerequisiteOf(step);
    if (needs.isEmpty()) {
      return;
    }
    missingInput(spark, config, step, runDate).ifPresent(missing -> {
      throw new JobFailure("step " + step + " needs " + needs.get().what() + ": " + missing + "; run 'hallmark nightly"
          + " --run-date " + runDate + " --step " + needs.get().fromStep() + "' first (or the whole nightly for that date)");
    });
  }

  /** The 1-based numbers of the steps to run: all, or only the named one. */
  private List<Integer> selection(String only) {
    if (only != null) {
      return List.of(stepNumber(only));
    }
    List<Integer> all = new ArrayList<>();
    for (int n = 1; n <= steps.size(); n++) {
      all.add(n);
    }
    return all;
  }

  private RunRecord execute(SparkSession spark, HallmarkConfig config, LocalDate runDate, String only,
      boolean forceUnlock) {
    LakePaths paths = config.paths();
    List<Integer> selected = selection(only);
    Instant start = clock.instant();
    String runId = newRunId(only == null ? "nightly" : "step-" + only, runDate, start);
    String host = NightlyLock.currentHost();
    long pid = ProcessHandle.current().pid();
    NightlyLock.Holder me = new NightlyLock.Holder(runId, runDate.toString(), host, pid, start.toString());
    try (NightlyLock lock = NightlyLock.acquire(spark.sparkContext().hadoopConfiguration(), lockPath(paths), me,
        lockSettings(config), forceUnlock, clock)) {
      long abandoned = JobRuns.markAbandoned(spark, paths, runId);
      if (abandoned > 0) {
        Console.info("marked " + abandoned + " earlier run(s) that never finished as ABANDONED in job_runs");
      }
      Console.info((only == null ? "nightly run " : "step run ") + runId + " for " + runDate);
      return runSteps(spark, config, runDate, new RunRecord(runId, runDate, RunRecord.RUNNING, start, null, null,
          host, pid, null, null, null, pendingSteps(selected)), selected, only != null);
    }
  }

  private RunRecord runSteps(SparkSession spark, HallmarkConfig config, LocalDate runDate, RunRecord initial,
      List<Integer> selected, boolean alone) {
    LakePaths paths = config.paths();
    String label = alone ? "step run" : "nightly run";
    RunRecord run = initial;
    JobRuns.upsert(spark, paths, run);
    long runNanos = System.nanoTime();
    int of = steps.size();
    for (int k = 0; k < selected.size(); k++) {
      int n = selected.get(k);
      NightlyStep step = steps.get(n - 1);
      Console.info(String.format(Locale.ROOT, "step %d of %d: %s: started", n, of, step.name()));
      Instant stepStart = clock.instant();
      long stepNanos = System.nanoTime();
      StepResult result;
      try {
        if (alone) {
          // inside the nightly the step before has just published it; run alone, say what to run first
          requireInput(spark, config, step.name(), runDate);
        }
        result = step.run(spark, config, runDate);
        if (result == null) {
          throw new IllegalStateException("step returned no result");
        }
      } catch (Exception | LinkageError e) {
        double seconds = secondsSince(stepNanos);
        String message = messageOf(e);
        run = withStep(run, new StepRecord(n, step.name(), StepRecord.FAILED, stepStart, clock.instant(), seconds,
            null, Map.of(), Map.of(), null, message));
        for (int later : selected.subList(k + 1, selected.size())) {
          run = withStep(run, new StepRecord(later, steps.get(later - 1).name(), StepRecord.NOT_RUN, null, null, null,
              null, Map.of(), Map.of(), null, null));
        }
        run = run.finished(RunRecord.FAILED, clock.instant(), secondsSince(runNanos), step.name(), message);
        JobRuns.upsert(spark, paths, run);
        String failure = String.format(Locale.ROOT, "%s %s for %s failed at step %d of %d (%s): %s",
            label, run.runId(), runDate, n, of, step.name(), message);
        if (causedByConfigError(e)) {
          throw new ConfigError(failure, e); // a setting the step needs is wrong or missing: exit 2
        }
        throw new JobFailure(failure, e);
      }
      double seconds = secondsSince(stepNanos);
      Console.step(n, of, step.name(), result.rows(), seconds);
      String details = toJson(result.details());
      run = withStep(run, new StepRecord(n, step.name(), StepRecord.SUCCEEDED, stepStart, clock.instant(), seconds,
          result.rows(), versions(result.tablesRead()), versions(result.tablesWritten()), details, null));
      if (step instanceof IngestJob || "ingest".equals(step.name())) {
        run = run.withIngestBalances(details);
      }
      if (k == selected.size() - 1) {
        run = run.finished(RunRecord.SUCCEEDED, clock.instant(), secondsSince(runNanos), null, null);
      }
      JobRuns.upsert(spark, paths, run);
    }
    if (selected.isEmpty()) {
      run = run.finished(RunRecord.SUCCEEDED, clock.instant(), secondsSince(runNanos), null, null);
      JobRuns.upsert(spark, paths, run);
    }
    Console.info(String.format(Locale.ROOT, "%s %s for %s succeeded: %d steps in %.1f s", label, run.runId(),
        runDate, selected.size(), run.seconds()));
    return run;
  }

  /** The run with the record of one step replaced (matched by its number in the nightly). */
  private static RunRecord withStep(RunRecord run, StepRecord step) {
    List<StepRecord> updated = new ArrayList<>(run.steps());
    for (int i = 0; i < updated.size(); i++) {
      if (updated.get(i).stepNo() == step.stepNo()) {
        updated.set(i, step);
      }
    }
    return new RunRecord(run.runId(), run.runDate(), run.status(), run.startedAt(), run.endedAt(), run.seconds(),
        run.host(), run.pid(), run.failedStep(), run.error(), run.ingestBalances(), updated);
  }

  private List<StepRecord> pendingSteps(List<Integer> selected) {
    List<StepRecord> pending = new ArrayList<>();
    for (int n : selected) {
      pending.add(StepRecord.pending(n, steps.get(n - 1).name()));
    }
    return pending;
  }

  private static String newRunId(String kind, LocalDate runDate, Instant start) {
    // readable and sortable; the random suffix separates two runs started in the same second
    return String.format(Locale.ROOT, "%s-%s-%s-%04x", kind, runDate, RUN_ID_TIME.format(start),
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
