package io.hallmark.nightly;

import static io.hallmark.testing.SparkTestSupport.spark;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hallmark.cli.Hallmark;
import io.hallmark.config.HallmarkConfig;
import io.hallmark.config.LakePaths;
import io.hallmark.jobs.Console;
import io.hallmark.testing.GeneratedSampleLake;
import io.hallmark.testing.SparkTestSupport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hallmark nightly --step NAME} in process, on a copy of the generated sample lake (every nightly
 * step already run once for 2024-12-31) without its gold.yearly_stats: a step alone publishes what the
 * nightly's step published, under the lock and recorded in job_runs; a step whose input is missing exits 1
 * naming the step to run first. (Reruns leave the tables unchanged: NightlyJobTest, for the driver.)
 */
class NightlyStepCommandTest {
  static final String RUN_DATE = GeneratedSampleLake.RUN_DATE.toString();

  @TempDir Path tmp;
  Path lake;
  Path confFile;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();

  @BeforeEach
  void setUp() {
    PrintStream capture = new PrintStream(out, true, StandardCharsets.UTF_8);
    Console.redirect(capture, capture);
  }

  @AfterEach
  void restoreConsole() {
    Console.redirect(System.out, System.err);
    System.out.print(out.toString(StandardCharsets.UTF_8));
  }

  private int hallmark(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    // keep the shared test session's settings; the report (if it ran) would write below tmp
    all.addAll(List.of("--lake", lake.toString(), "--conf-file", confFile.toString(),
        "--conf", "spark.sql.shuffle.partitions=" + SparkTestSupport.SHUFFLE_PARTITIONS));
    return Hallmark.execute(all.toArray(String[]::new));
  }

  private static Dataset<Row> table(String path) {
    return spark().read().format("delta").load(path);
  }

  /** Copies the lake folder, leaving out {@code skip} (a folder below it). */
  private static void copyLake(Path from, Path to, Path... skip) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path source : files.toList()) {
        if (java.util.Arrays.stream(skip).anyMatch(source::startsWith)) {
          continue;
        }
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
  }

  @Test
  void aStepAloneIsTheNightlysStepRecordedInJobRunsAndAMissingInputNamesTheStepToRunFirst()
      throws Exception {
    spark(); // the commands reuse the suite's session (and leave it running)
    GeneratedSampleLake sample = GeneratedSampleLake.get();
    Path sampleLake = Path.of(sample.lake());
    lake = tmp.resolve("lake");
    copyLake(sampleLake, lake, sampleLake.resolve("gold/yearly_stats"),
        sampleLake.resolve("gold/yearly_stats_publications"));
    confFile = tmp.resolve("step.conf");
    Files.writeString(confFile, "hallmark { report { dir = \"" + tmp.resolve("reports") + "\" } }\n");
    LakePaths paths = new LakePaths(lake.toString());
    String yearly = paths.gold("yearly_stats");

    // the report reads gold.yearly_stats, which this lake lacks: exit 1, naming the step that publishes it
    assertEquals(1, hallmark("nightly", "--run-date", RUN_DATE, "--step", "report"));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("[hallmark] ERROR: step run step-report-" + RUN_DATE),
        out.toString(StandardCharsets.UTF_8));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("failed at step 6 of 6 (report): step report needs"
        + " gold.yearly_stats: no gold.yearly_stats at " + yearly + "; run 'hallmark nightly --run-date " + RUN_DATE
        + " --step yearly-stats' first"), out.toString(StandardCharsets.UTF_8));
    assertFalse(Files.exists(tmp.resolve("reports")), "nothing written");

    // yearly-stats alone publishes exactly the table the nightly's yearly-stats step published from this silver
    out.reset();
    assertEquals(0, hallmark("nightly", "--run-date", RUN_DATE, "--step", "yearly-stats"));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("step 3 of 6: yearly-stats: "),
        out.toString(StandardCharsets.UTF_8));
    Dataset<Row> expected = table(sampleLake.resolve("gold/yearly_stats").toString());
    SparkTestSupport.assertSameRows(expected, table(yearly));
    assertFalse(Files.exists(Path.of(NightlyJob.lockPath(paths))), "the lock is released");

    List<RunRecord> runs = JobRuns.recent(spark(), paths, 10);
    assertEquals(List.of("SUCCEEDED", "FAILED"), runs.stream().map(RunRecord::status).toList());
    RunRecord failed = runs.get(1);
    assertTrue(failed.runId().startsWith("step-report-" + RUN_DATE + "-"), failed.runId());
    assertEquals("report", failed.failedStep());
    assertEquals(List.of("6 report FAILED"), describe(failed));
    RunRecord alone = runs.get(0);
    assertTrue(alone.runId().startsWith("step-yearly-stats-" + RUN_DATE + "-"), alone.runId());
    assertEquals(GeneratedSampleLake.RUN_DATE, alone.runDate());
    assertEquals(List.of("3 yearly-stats SUCCEEDED"), describe(alone));
    StepRecord step = alone.steps().get(0);
    assertEquals(expected.count(), step.rows());
    // the first version of the table, and its publication kept as rows (the table created, then written)
    assertEquals(Map.of("gold.yearly_stats", 0L, "gold.yearly_stats_publications", 1L), step.tablesWritten());
    assertTrue(step.tablesRead().containsKey("silver.account_timeline"), step.tablesRead().toString());

    // what the other steps run alone would need, on this lake (the check itself, without a run)
    HallmarkConfig config = HallmarkConfig.defaults().with("hallmark.lake", lake.toString());
    assertEquals(Optional.of("no gold.seller_features rows for as_of 2024-06-30 at " + paths.gold("seller_features")),
        NightlyJob.missingInput(spark(), config, "risk-scores", LocalDate.parse("2024-06-30")));
    for (String name : List.of("silver", "yearly-stats", "seller-features", "risk-scores", "report")) {
      assertEquals(Optional.empty(), NightlyJob.missingInput(spark(), config, name, GeneratedSampleLake.RUN_DATE), name);
    }
    HallmarkConfig empty = HallmarkConfig.defaults().with("hallmark.lake", tmp.resolve("empty").toString());
    assertEquals(Optional.of("no bronze table under " + new LakePaths(tmp.resolve("empty").toString()).bronze("")),
        NightlyJob.missingInput(spark(), empty, "seller-features", GeneratedSampleLake.RUN_DATE));
    assertTrue(NightlyJob.missingInput(spark(), empty, "yearly-stats", GeneratedSampleLake.RUN_DATE).orElseThrow()
        .startsWith("silver table(s) account_timeline, listing_timeline, "));
  }

  private static List<String> describe(RunRecord run) {
    return run.steps().stream().map(s -> s.stepNo() + " " + s.name() + " " + s.status()).toList();
  }
}
