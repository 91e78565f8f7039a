package io.hallmark.cli;

import static io.hallmark.testing.SparkTestSupport.spark;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hallmark.config.HallmarkConfig;
import io.hallmark.report.ReportFixtures;
import io.hallmark.report.ReportJob;
import io.hallmark.report.ReportWriter;
import io.hallmark.report.SampleReport;
import io.hallmark.risk.EvaluateJob;
import io.hallmark.testing.ConsoleCapture;
import io.hallmark.yearly.YearlyStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Paths without a scheme are on the default file system (fs.defaultFS), not in the driver's working
 * directory: here the default is a viewfs mount whose every path lives under a folder of this test, and
 * the report, an export and the ground truth land there. The lake itself is a file: URI, and the nightly's
 * report goes under it when hallmark.report.dir is not set.
 */
class PathsOnTheDefaultFileSystemTest {
  static final String MOUNT = "hallmark-paths";
  static final String DEFAULT_FS = "viewfs://" + MOUNT + "/";
  static final String FALLBACK_KEY = "fs.viewfs.mounttable." + MOUNT + ".linkFallback";
  static final String USER = System.getProperty("user.name");
  static final Path CWD = Path.of("").toAbsolutePath();

  @TempDir static Path tmp;
  @RegisterExtension final ConsoleCapture console = new ConsoleCapture();

  static SampleReport sample;
  static Path store;
  static Path confFile;
  static String lake;

  @BeforeAll
  static void mountTheDefaultFileSystem() throws Exception {
    sample = SampleReport.get();
    lake = "file:" + sample.lake();
    store = Files.createDirectories(tmp.resolve("store"));
    // the session reads and writes viewfs:// URIs through its own Hadoop settings
    spark().sparkContext().hadoopConfiguration().set(FALLBACK_KEY, store.toUri().toString());
    confFile = tmp.resolve("viewfs.conf");
    Files.writeString(confFile, "hallmark.spark.conf {\n"
        + "  \"spark.hadoop.fs.defaultFS\" = \"" + DEFAULT_FS + "\"\n"
        + "  \"spark.hadoop." + FALLBACK_KEY + "\" = \"" + store.toUri() + "\"\n}\n");
  }

  @AfterAll
  static void unmount() {
    spark().sparkContext().hadoopConfiguration().unset(FALLBACK_KEY);
    spark().conf().unset("spark.hadoop.fs.defaultFS"); // the commands set them on the shared session
    spark().conf().unset("spark.hadoop." + FALLBACK_KEY);
  }

  /** The settings of the sample lake as a file: URI, with fs.defaultFS the viewfs mount. */
  static HallmarkConfig onViewfs() {
    return sample.config.with("hallmark.lake", lake)
        .with("hallmark.spark.conf.\"spark.hadoop.fs.defaultFS\"", DEFAULT_FS)
        .with("hallmark.spark.conf.\"spark.hadoop." + FALLBACK_KEY + "\"", store.toUri().toString());
  }

  /** Where viewfs://hallmark-paths/user/<me>/<relative> lives on disk. */
  static Path home(String relative) {
    return store.resolve("user").resolve(USER).resolve(relative);
  }

  @Test
  void anExportToASchemeLessPathLandsOnTheDefaultFileSystem() throws Exception {
    assertEquals(0, Hallmark.execute("export", "yearly-stats", "--lake", lake, "--conf-file", confFile.toString(),
        "--out", "exports/yearly_stats.csv"), console.text());
    List<String> csv = Files.readAllLines(home("exports/yearly_stats.csv"));
    assertEquals(String.join(",", YearlyStats.SCHEMA.fieldNames()), csv.get(0));
    assertEquals(1 + 12, csv.size(), "4 years x (ALL, US, DE)");
    assertTrue(console.text().contains("to viewfs://hallmark-paths/user/" + USER + "/exports/yearly_stats.csv"),
        console.text());
    assertFalse(Files.exists(CWD.resolve("exports")), "nothing in the working directory");
  }

  @Test
  void theNightlysReportGoesUnderTheLakeOrToTheConfiguredFolderOnTheDefaultFileSystem() throws Exception {
    Path underLake = Path.of(sample.lake(), "reports", ReportFixtures.RUN_DATE.toString());
    try {
      new ReportJob().run(spark(), onViewfs(), ReportFixtures.RUN_DATE);
      assertTrue(Files.isRegularFile(underLake.resolve(ReportWriter.HTML)), "default: <lake>/reports/<run date>/");
    } finally {
      deleteTree(Path.of(sample.lake(), "reports"));
    }

    new ReportJob().run(spark(), onViewfs().with("hallmark.report.dir", "reports"), ReportFixtures.RUN_DATE);
    Path landed = home("reports/" + ReportFixtures.RUN_DATE);
    try (var files = Files.list(landed)) {
      assertEquals(List.of(ReportWriter.HEADLINE_CSV, ReportWriter.HTML, ReportWriter.JSON, ReportWriter.RESTATEMENTS_CSV,
          ReportWriter.SELLERS_CSV, ReportWriter.YEARLY_CSV), files.map(p -> p.getFileName().toString()).sorted().toList());
    }
    assertFalse(Files.exists(CWD.resolve("reports").resolve(ReportFixtures.RUN_DATE.toString())));
  }

  @Test
  void theGroundTruthIsReadFromTheDefaultFileSystemAndAMissingOneNamesItsUri() throws Exception {
    Files.createDirectories(home("truth"));
    Files.copy(sample.truth, home("truth/ground_truth.csv"));
    HallmarkConfig config = onViewfs();
    List<Row> labels = EvaluateJob.readTruth(spark(), config.qualify("truth/ground_truth.csv"))
        .orderBy("seller_id").collectAsList();
    assertEquals("[[s01,1.0], [s02,1.0], [s03,0.0], [s04,0.0], [s05,0.0], [s06,1.0]]", labels.toString());

    assertEquals(Hallmark.EXIT_USAGE, Hallmark.execute("evaluate", "--as-of", "2026-03-01", "--truth",
        "truth/missing.csv", "--lake", lake, "--conf-file", confFile.toString()));
    assertTrue(console.text().contains("ground-truth file not found: viewfs://hallmark-paths/user/" + USER
        + "/truth/missing.csv (check --truth)"), console.text());
  }

  private static void deleteTree(Path dir) throws Exception {
    if (Files.exists(dir)) {
      try (var walk = Files.walk(dir)) {
        for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }
}
