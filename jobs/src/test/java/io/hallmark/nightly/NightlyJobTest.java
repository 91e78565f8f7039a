package io.hallmark.nightly;

import static io.hallmark.testing.SparkTestSupport.spark;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hallmark.config.ConfigError;
import io.hallmark.config.HallmarkConfig;
import io.hallmark.config.JobFailure;
import io.hallmark.jobs.Console;
import io.hallmark.jobs.NightlyStep;
import io.hallmark.jobs.StepResult;
import io.hallmark.testing.SparkTestSupport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The driver with fake steps: order, progress lines, failure handling, audit rows, reruns. */
class NightlyJobTest {
  static final LocalDate RUN_DATE = LocalDate.of(2024, 12, 31);

  @TempDir Path lake;
  HallmarkConfig config;
  final List<String> calls = Collections.synchronizedList(new ArrayList<>());
  final ByteArrayOutputStream out = new ByteArrayOutputStream();

  @BeforeEach
  void setUp() {
    config = HallmarkConfig.defaults().with("hallmark.lake", lake.toString());
    Console.redirect(new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
  }

  @AfterEach
  void restoreConsole() {
    Console.redirect(System.out, System.err);
  }

  /** Writes gold/days: one row per day of the run date's month up to the run date (overwrite: idempotent). */
  class DaysStep implements NightlyStep {
    @Override
    public String name() {
      return "days";
    }

    @Override
    public StepResult run(SparkSession spark, HallmarkConfig c, LocalDate runDate) {
      calls.add(name() + "@" + runDate);
      Dataset<Row> days = spark.range(1, runDate.getDayOfMonth() + 1).select(col("id").as("day"),
          lit(runDate.toString()).as("run_date"));
      days.write().format("delta").mode("overwrite").save(c.paths().gold("days"));
      return new StepResult(runDate.getDayOfMonth(), Map.of(), Map.of("gold.days", 7L), Map.of());
    }
  }

  /** Reads gold/days, writes gold/day_total (overwrite). */
  class TotalStep implements NightlyStep {
    @Override
    public String name() {
      return "total";
    }

    @Override
    public StepResult run(SparkSession spark, HallmarkConfig c, LocalDate runDate) {
      calls.add(name() + "@" + runDate);
      spark.read().format("delta").load(c.paths().gold("days")).selectExpr("sum(day) AS total")
          .write().format("delta").mode("overwrite").save(c.paths().gold("day_total"));
      return new StepResult(1, Map.of("gold.days", 7L), Map.of("gold.day_total", 3L), Map.of());
    }
  }

  /** Named "ingest": its details are the run's balances. */
  class FakeIngest implements NightlyStep {
    @Override
    public String name() {
      return "ingest";
    }

    @Override
    public StepResult run(SparkSession spark, HallmarkConfig c, LocalDate runDate) {
      calls.add(name() + "@" + runDate);
      return new StepResult(5, Map.of(), Map.of("bronze.accounts", 2L),
          Map.of("accounts", Map.of("read", 6, "accepted", 5, "duplicate", 0, "rejected", 1)));
    }
  }

  class Failing implements NightlyStep {
    private final RuntimeException failure;

    Failing(RuntimeException failure) {
      this.failure = failure;
    }

    @Override
    public String name() {
      return "boom";
    }

    @Override
    public StepResult run(SparkSession spark, HallmarkConfig c, LocalDate runDate) {
      calls.add(name() + "@" + runDate);
      throw failure;
    }
  }

  private NightlyJob job(NightlyStep... steps) {
    return new NightlyJob(List.of(steps), Clock.systemUTC());
  }

  @Test
  void runsEveryStepInOrderPrintsProgressRecordsTheRunAndARerunChangesNoTable() {
    NightlyJob nightly = job(new FakeIngest(), new DaysStep(), new TotalStep());
    RunRecord run = nightly.run(spark(), config, RUN_DATE, false);

    assertEquals(List.of("ingest@2024-12-31", "days@2024-12-31", "total@2024-12-31"), calls);
    String console = out.toString(StandardCharsets.UTF_8);
    assertTrue(console.contains("step 1 of 3: ingest: 5 rows in "), console);
    assertTrue(console.contains("step 2 of 3: days: 31 rows in "), console);
    assertTrue(console.contains("step 3 of 3: total: 1 rows in "), console);
    // 1 + 2 + ... + 31, written by the last step from what the previous one published
    assertEquals(496L, spark().read().format("delta").load(config.paths().gold("day_total")).first().getLong(0));

    List<RunRecord> recorded = JobRuns.recent(spark(), config.paths(), 10);
    assertEquals(1, recorded.size());
    RunRecord audit = recorded.get(0);
    assertEquals(run.runId(), audit.runId());
    assertTrue(audit.runId().startsWith("nightly-2024-12-31-"), audit.runId());
    assertEquals(RUN_DATE, audit.runDate());
    assertEquals("SUCCEEDED", audit.status());
    assertNull(audit.failedStep());
    assertEquals(ProcessHandle.current().pid(), audit.pid());
    assertEquals(List.of("ingest", "days", "total"), audit.steps().stream().map(StepRecord::name).toList());
    assertEquals(List.of("SUCCEEDED", "SUCCEEDED", "SUCCEEDED"), audit.steps().stream().map(StepRecord::status).toList());
    assertEquals(List.of(5L, 31L, 1L), audit.steps().stream().map(StepRecord::rows).toList());
    assertEquals(Map.of("gold.days", 7L), audit.steps().get(2).tablesRead());
    assertEquals(Map.of("gold.day_total", 3L), audit.steps().get(2).tablesWritten());
    assertEquals("{\"accounts\":{\"accepted\":5,\"duplicate\":0,\"read\":6,\"rejected\":1}}", audit.ingestBalances());
    assertTrue(audit.seconds() >= audit.steps().stream().mapToDouble(StepRecord::seconds).sum() - 1e-6);
    assertFalse(Files.exists(lake.resolve("ops/_nightly.lock")), "the lock is released");

    // the same date again: same tables, one more audit row
    Dataset<Row> daysAfterFirst = SparkTestSupport.snapshot(spark().read().format("delta").load(config.paths().gold("days")));
    nightly.run(spark(), config, RUN_DATE, false);
    SparkTestSupport.assertSameRows(daysAfterFirst, spark().read().format("delta").load(config.paths().gold("days")));
    assertEquals(496L, spark().read().format("delta").load(config.paths().gold("day_total")).first().getLong(0));
    List<RunRecord> runs = JobRuns.recent(spark(), config.paths(), 10);
    assertEquals(List.of("SUCCEEDED", "SUCCEEDED"), runs.stream().map(RunRecord::status).toList());
    assertEquals(run.runId(), runs.get(1).runId(), "newest first");
  }

  @Test
  void aFailedStepStopsTheRunNamesItAndIsRecorded() {
    JobFailure failure = assertThrows(JobFailure.class, () -> job(new DaysStep(),
        new Failing(new IllegalStateException("disk full")), new TotalStep()).run(spark(), config, RUN_DATE, false));

    assertTrue(failure.getMessage().contains("failed at step 2 of 3 (boom): disk full"), failure.getMessage());
    assertEquals(List.of("days@2024-12-31", "boom@2024-12-31"), calls, "the step after the failure did not run");
    RunRecord audit = JobRuns.recent(spark(), config.paths(), 10).get(0);
    assertEquals("FAILED", audit.status());
    assertEquals("boom", audit.failedStep());
    assertEquals("disk full", audit.error());
    assertEquals(List.of("SUCCEEDED", "FAILED", "NOT_RUN"), audit.steps().stream().map(StepRecord::status).toList());
    assertEquals("disk full", audit.steps().get(1).error());
    assertFalse(Files.exists(lake.resolve("ops/_nightly.lock")), "the lock is released after a failure too");
  }

  @Test
  void aStepsConfigErrorStaysAConfigError() {
    ConfigError error = assertThrows(ConfigError.class, () -> job(new Failing(new ConfigError("no PII key")))
        .run(spark(), config, RUN_DATE, false));
    assertTrue(error.getMessage().contains("failed at step 1 of 1 (boom): no PII key"), error.getMessage());
  }

  @Test
  void aRerunAfterAFailureRedoesEveryStepAndEndsLikeACleanRun() {
    assertThrows(JobFailure.class, () -> job(new DaysStep(), new Failing(new IllegalStateException("x")))
        .run(spark(), config, RUN_DATE, false));
    calls.clear();
    job(new DaysStep(), new TotalStep()).run(spark(), config, RUN_DATE, false);
    assertEquals(List.of("days@2024-12-31", "total@2024-12-31"), calls);
    // 1 + 2 + ... + 31
    assertEquals(496L, spark().read().format("delta").load(config.paths().gold("day_total")).first().getLong(0));
  }

  @Test
  void planListsTheStepsAndTouchesNothing() {
    List<String> plan = new NightlyJob(NightlyJob.defaultSteps(), Clock.systemUTC()).plan(config, RUN_DATE);
    assertEquals("dry run: nightly for run date 2024-12-31 (nothing is read or written)", plan.get(0));
    assertEquals(List.of("ingest", "silver", "yearly-stats", "seller-features", "risk-scores", "report"),
        plan.subList(2, 8).stream().map(l -> l.replaceAll("^  step \\d of 6: ([a-z-]+) .*$", "$1")).toList());
    assertFalse(Files.exists(lake.resolve("ops")));
  }
}
