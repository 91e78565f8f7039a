package io.hallmark.bench;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.delta.tables.DeltaTable;
import io.hallmark.config.HallmarkConfig;
import io.hallmark.config.LakePaths;
import io.hallmark.generate.GeneratorOptions;
import io.hallmark.ingest.IngestJob;
import io.hallmark.ingest.LandingFiles;
import io.hallmark.jobs.NightlyStep;
import io.hallmark.jobs.StepResult;
import io.hallmark.lake.Bronze;
import io.hallmark.lake.BronzeReader;
import io.hallmark.risk.FeaturesJob;
import io.hallmark.risk.ScoreJob;
import io.hallmark.spark.Sessions;
import io.hallmark.yearly.SilverJob;
import io.hallmark.yearly.Timelines;
import io.hallmark.yearly.YearlyStats;
import io.hallmark.yearly.YearlyStatsJob;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The nightly benchmark (bench/run.sh): per lake size, generate (cached) a landing zone, run each
 * nightly step on a fresh lake over the history (every day before the one-day case's day) and measure
 * it, time the DuckDB peer over the same bronze snapshot and compare figures, time the bare column read
 * the yearly job needs (the floor), the DuckDB query translated into Spark SQL over the same files, Spark's
 * bare JSON read of the landing files ingest read (the ingest floor), then add one day to that lake and
 * time the nightly again (and check its figures against DuckDB once more), then once more with no new
 * file (the fixed cost of a night). Writes one JSON per run and regenerates the results section of
 * BENCHMARKS.md. Not a test: CI only checks it runs on a tiny lake.
 */
@Command(name = "nightly-benchmark", mixinStandardHelpOptions = true,
    description = "Measure every nightly step per lake size against DuckDB; write JSON and BENCHMARKS.md.")
public final class NightlyBenchmark implements Callable<Integer> {
  @Option(names = "--sizes", split = ",", defaultValue = "10000,100000,1000000",
      description = "Accounts per generated lake (default: ${DEFAULT-VALUE}).")
  List<Integer> sizes;

  @Option(names = "--quick", description = "Skip the one-day incremental case and the empty nightly (CI smoke run).")
  boolean quick;

  @Option(names = "--seed", defaultValue = "42") long seed;

  @Option(names = "--layout", defaultValue = "DAILY",
      description = "Landing sub-folders: DAILY (dt=, needed for the incremental case) or MONTHLY (few files, smoke runs).")
  GeneratorOptions.Layout layout;

  @Option(names = "--from", defaultValue = "2021", description = "First generated year (default: ${DEFAULT-VALUE}).")
  int fromYear;

  @Option(names = "--to", defaultValue = "2025", description = "Last generated year (default: ${DEFAULT-VALUE}).")
  int toYear;

  @Option(names = "--work", defaultValue = "bench/work", description = "Cached landing zones and scratch lakes.")
  Path work;

  @Option(names = "--results", defaultValue = "bench/results", description = "Where the run's JSON goes.")
  Path results;

  @Option(names = "--label", description = "Name of this run's JSON (default: UTC timestamp).")
  String label;

  @Option(names = "--benchmarks-md", defaultValue = "BENCHMARKS.md",
      description = "Markdown file whose results section is regenerated from every JSON in --results; 'none' to skip.")
  String benchmarksMd;

  @Option(names = "--note", defaultValue = "", description = "Free text stored with the run (e.g. machine load).")
  String note;

  @Option(names = "--duckdb-threads", defaultValue = "0",
      description = "DuckDB threads; 0 = as many as Spark's local cores.")
  int duckdbThreads;

  @Option(names = "--conf-file", description = "Hallmark config file (default: the embedded conf/local.conf).")
  java.io.File confFile;

  @Option(names = "--spark-sql", description = "The Spark SQL translation of the DuckDB peer "
      + "(default: bench/spark/yearly_stats.sql, looked for from the working directory upwards).")
  Path sparkSql;

  /** Stored in every JSON: runs before it rebuilt a second lake for the one-day case. */
  static final String PROTOCOL = "one-lake: full rebuild over every day before D, then day D added to the same lake";

  public static void main(String[] args) {
    System.exit(new CommandLine(new NightlyBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    HallmarkConfig config = HallmarkConfig.load(confFile, Map.of());
    SparkSession spark = Sessions.create(config);
    try {
      Path json = run(spark, config);
      System.out.println("[bench] results: " + json);
      if (!"none".equals(benchmarksMd)) {
        BenchmarkReport.regenerate(results, Path.of(benchmarksMd));
        System.out.println("[bench] regenerated " + benchmarksMd);
      }
      return 0;
    } finally {
      spark.stop();
    }
  }

  /** Runs every size on the given session and writes the JSON; returns its path. */
  public Path run(SparkSession spark, HallmarkConfig baseConfig) throws Exception {
    String runLabel = label != null ? label
        : ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"));
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("label", runLabel);
    doc.put("started_utc", ZonedDateTime.now(ZoneOffset.UTC).toString());
    doc.put("note", note);
    doc.put("quick", quick);
    doc.put("years", fromYear + "-" + toYear);
    doc.put("seed", seed);
    doc.put("layout", layout.name());
    doc.put("protocol", PROTOCOL);
    doc.put("machine", machine(spark));
    List<Map<String, Object>> sizeResults = new ArrayList<>();
    doc.put("sizes", sizeResults);
    for (int accounts : sizes) {
      System.out.println("[bench] accounts=" + accounts);
      sizeResults.add(runSize(spark, baseConfig, accounts, runLabel));
    }
    Files.createDirectories(results);
    Path out = results.resolve(runLabel + ".json");
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), doc);
    return out;
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> runSize(SparkSession spark, HallmarkConfig baseConfig, int accounts, String runLabel)
      throws Exception {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("accounts", accounts);
    Path zone;
    try {
      zone = LandingZones.generated(work.toAbsolutePath(), accounts, seed, fromYear, toYear, layout);
    } catch (Exception e) {
      r.put("error", "landing zone: " + e);
      System.out.println("[bench]   " + r.get("error"));
      return r;
    }
    r.put("landing", zone.toString());
    r.put("landing_bytes", LandingZones.sizeBytes(zone));
    // Full rebuild: the nightly on a fresh lake over the history, i.e. every landing file before day D
    // (the latest day of typical volume). The one-day case then adds day D's files to that same lake, so
    // one rebuild serves both (at 1 M accounts a second rebuild would cost hours). Without day folders
    // (MONTHLY layout) or with --quick, the history is the whole zone and the one-day case is skipped.
    Optional<LocalDate> day = quick ? Optional.empty() : LandingZones.typicalLastDay(zone);
    Path root = work.toAbsolutePath().resolve("lakes").resolve(runLabel).resolve("accounts-" + accounts);
    LandingZones.deleteTree(root);
    Path landing = zone;
    LocalDate runDate;
    if (day.isPresent()) {
      landing = root.resolve("landing");
      r.put("history_files", LandingZones.linkDays(zone, landing, day.get(), true));
      runDate = day.get();
    } else {
      // the night after the last day of data (or after the last generated year when not laid out by day)
      runDate = LandingZones.lastDay(zone).map(d -> d.plusDays(1)).orElse(LocalDate.of(toYear + 1, 1, 1));
    }
    r.put("run_date", runDate.toString());
    HallmarkConfig config = baseConfig.with("hallmark.lake", root.resolve("lake").toString())
        .with("hallmark.landing", landing.toString());
    List<Map<String, Object>> steps = runSteps(spark, config, runDate);
    r.put("steps", steps);
    // exactly the files the full rebuild ingested: its lake's landing zone before day D is linked in
    Map<String, List<String>> rebuildLanding = LandingFloor.byTable(LandingFiles.list(spark, landing.toString()));
    double fullWall = sum(steps, "wall_s");
    r.put("nightly_wall_s", fullWall);
    r.put("nightly_cpu_s", sum(steps, "cpu_s"));
    LakePaths paths = config.paths();
    int threads = duckdbThreads > 0 ? duckdbThreads : spark.sparkContext().defaultParallelism();

    PeerRun peer = againstDuckDb(spark, paths, threads);
    r.put("bronze_rows", peer.bronzeRows());
    r.put("bronze_files", peer.bronzeFiles());
    r.put("snapshot_rows_match", peer.snapshotRowsMatch());
    r.put("duckdb", peer.duckdb());
    Map<String, Object> floor = Measurement.measure("spark-read-yearly-columns", () -> {
      readFloor(spark, paths);
      return peer.bronzeTotal();
    });
    r.put("floor", floor);
    r.put("figures", peer.figures());
    Map<String, Object> inMemory = inMemory(spark, paths, peer);
    r.put("in_memory", inMemory);
    Map<String, Object> sqlPeer = sparkSqlPeer(spark, peer);
    r.put("spark_sql_peer", sqlPeer);
    System.out.println("[bench]   duckdb " + peer.duckdb().get("wall_s") + " s, spark read floor " + floor.get("wall_s")
        + " s, spark in memory " + inMemory.get("wall_s") + " s, spark sql peer " + sqlPeer.get("wall_s") + " s");
    r.put("ratio_spark_sql_peer_vs_duckdb",
        ratio(((Number) sqlPeer.get("wall_s")).doubleValue(), ((Number) peer.duckdb().get("wall_s")).doubleValue()));

    // the ingest floor: Spark's JSON reader over the same landing files with the contract's schema
    Map<String, Object> ingest = steps.get(0);
    long lines = ((Number) ingest.getOrDefault("lines_read", -1L)).longValue();
    Map<String, Object> landingFloor = Measurement.measure("spark-read-landing-json", () -> {
      LandingFloor.read(spark, rebuildLanding);
      return lines;
    });
    landingFloor.put("files", rebuildLanding.values().stream().mapToInt(List::size).sum());
    r.put("landing_floor", landingFloor);
    double floorWall = ((Number) landingFloor.get("wall_s")).doubleValue();
    r.put("ratio_ingest_vs_landing_floor", ratio(((Number) ingest.get("wall_s")).doubleValue(), floorWall));
    r.put("cpu_us_per_landing_line_ingest", perLine(ingest, lines));
    r.put("cpu_us_per_landing_line_floor", perLine(landingFloor, lines));
    System.out.println("[bench]   landing floor " + floorWall + " s over " + lines + " lines (ingest "
        + ingest.get("wall_s") + " s)");

    double yearly = wallOf(steps, "yearly-stats");
    double silverYearly = yearly + wallOf(steps, "silver");
    double duckWall = ((Number) peer.duckdb().get("wall_s")).doubleValue();
    r.put("ratio_yearly_vs_duckdb", ratio(yearly, duckWall));
    r.put("ratio_silver_plus_yearly_vs_duckdb", ratio(silverYearly, duckWall));

    if (!quick) {
      Map<String, Object> inc = new LinkedHashMap<>();
      if (day.isEmpty()) {
        inc.put("error", "the landing zone has no day folders (dt=YYYY-MM-DD): cannot split off one day");
      } else {
        inc.put("day", day.get().toString());
        inc.put("day_files", LandingZones.linkDays(zone, landing, day.get(), false));
        List<Map<String, Object>> oneDay = runSteps(spark, config, day.get().plusDays(1));
        inc.put("day_steps", oneDay);
        double dayWall = sum(oneDay, "wall_s");
        inc.put("day_wall_s", dayWall);
        inc.put("full_rebuild_wall_s", fullWall);
        inc.put("ratio_day_vs_full", ratio(dayWall, fullWall));
        // the figures the incremental path published, checked against DuckDB from scratch on the new snapshot
        PeerRun after = againstDuckDb(spark, paths, threads);
        inc.put("duckdb_after_day", after.duckdb());
        inc.put("figures_after_day", after.figures());
      }
      r.put("incremental", inc);
      if (day.isPresent()) {
        // only a night with nothing new if the one-day ingest registered day D's files
        boolean dayIngested = "ok".equals(((List<Map<String, Object>>) inc.get("day_steps")).get(0).get("status"));
        r.put("empty_nightly", dayIngested ? emptyNightly(spark, config, day.get().plusDays(2))
            : Map.of("error", "not run: the one-day ingest failed, so day D's files would still be new to ingest"));
      }
    }
    LandingZones.deleteTree(root);
    return r;
  }

  /** DuckDB's figures over the lake's current bronze snapshot, timed, and compared with gold/yearly_stats. */
  private record PeerRun(Map<String, Long> bronzeRows, long bronzeTotal, int bronzeFiles, boolean snapshotRowsMatch,
      Map<String, Object> duckdb, Map<String, Object> figures, List<List<Object>> duckdbFigures,
      Map<String, List<String>> files) {}

  private static PeerRun againstDuckDb(SparkSession spark, LakePaths paths, int threads) throws Exception {
    // the same bronze snapshot for DuckDB and for the floor
    Map<String, List<String>> files = DuckDbYearlyStats.snapshotFiles(spark, paths);
    Map<String, Long> bronzeRows = new LinkedHashMap<>();
    for (String table : DuckDbYearlyStats.INPUT_COLUMNS.keySet()) {
      bronzeRows.put(table, BronzeReader.read(spark, paths, table).count());
    }
    long bronzeTotal = bronzeRows.values().stream().mapToLong(Long::longValue).sum();
    // guard: DuckDB reads raw Parquet, so the files must hold exactly the snapshot's rows (no deletion vectors)
    boolean rowsMatch = DuckDbYearlyStats.rowCounts(files).equals(bronzeRows);

    List<List<List<Object>>> duck = new ArrayList<>();
    Map<String, Object> duckdb = Measurement.measure("duckdb-yearly-stats", () -> {
      duck.add(DuckDbYearlyStats.compute(files, threads));
      return bronzeTotal;
    });
    duckdb.put("threads", threads);

    Map<String, Object> comparison = new LinkedHashMap<>();
    String gold = paths.gold("yearly_stats");
    if (!duck.isEmpty() && DeltaTable.isDeltaTable(spark, gold)) {
      List<List<Object>> hallmark = YearlyFigures.readDelta(spark, gold);
      List<String> diffs = YearlyFigures.differences(hallmark, duck.get(0), "hallmark", "duckdb");
      comparison.put("identical", diffs.isEmpty());
      comparison.put("rows_hallmark", hallmark.size());
      comparison.put("rows_duckdb", duck.get(0).size());
      comparison.put("difference_count", diffs.size());
      comparison.put("differences", diffs.subList(0, Math.min(30, diffs.size())));
    } else {
      comparison.put("identical", false);
      comparison.put("reason", duck.isEmpty() ? "DuckDB failed" : "no gold yearly_stats table");
    }
    return new PeerRun(bronzeRows, bronzeTotal, files.values().stream().mapToInt(List::size).sum(), rowsMatch, duckdb,
        comparison, duck.isEmpty() ? null : duck.get(0), files);
  }

  static final List<NightlyStep> STEPS = List.of(
      new IngestJob(), new SilverJob(), new YearlyStatsJob(), new FeaturesJob(), new ScoreJob());

  private static List<Map<String, Object>> runSteps(SparkSession spark, HallmarkConfig config, LocalDate runDate) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (NightlyStep step : STEPS) {
      List<StepResult> result = new ArrayList<>();
      Map<String, Object> m = Measurement.measure(step.name(), () -> {
        result.add(step.run(spark, config, runDate));
        return result.get(0).rows();
      });
      if (step instanceof IngestJob && !result.isEmpty()) {
        m.put("lines_read", linesRead(result.get(0).details()));
      }
      System.out.println("[bench]   " + step.name() + ": " + m.get("status") + " " + m.get("wall_s") + " s"
          + (m.containsKey("error") ? " (" + m.get("error") + ")" : ""));
      out.add(m);
    }
    return out;
  }

  /** Landing lines an ingest run read: the sum of its per-table {@code read} counts (0 when it found no new file). */
  static long linesRead(Map<String, Object> details) {
    long n = 0;
    for (Object v : details.values()) {
      if (v instanceof Map<?, ?> table && table.get("read") instanceof Number read) {
        n += read.longValue();
      }
    }
    return n;
  }

  /**
   * The fixed cost of a night: the whole nightly again with no new landing file (the JVM warm, the lake as
   * the one-day case left it): per step and in total, and whether the published yearly figures stayed the same.
   */
  private static Map<String, Object> emptyNightly(SparkSession spark, HallmarkConfig config, LocalDate runDate) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("run_date", runDate.toString());
    String gold = config.paths().gold("yearly_stats");
    List<List<Object>> before;
    try {
      before = YearlyFigures.readDelta(spark, gold);
    } catch (Exception ex) {
      e.put("error", "no yearly_stats to compare with before the empty nightly: " + ex.getMessage());
      return e;
    }
    List<Map<String, Object>> steps = runSteps(spark, config, runDate);
    e.put("steps", steps);
    e.put("wall_s", sum(steps, "wall_s"));
    e.put("cpu_s", sum(steps, "cpu_s"));
    try {
      List<String> diffs = YearlyFigures.differences(before, YearlyFigures.readDelta(spark, gold), "before", "after");
      e.put("figures_unchanged", diffs.isEmpty());
      e.put("differences", diffs.subList(0, Math.min(30, diffs.size())));
    } catch (Exception ex) {
      e.put("figures_unchanged", false);
      e.put("error", "yearly_stats unreadable after the empty nightly: " + ex.getMessage());
    }
    System.out.println("[bench]   empty nightly " + e.get("wall_s") + " s, figures unchanged: " + e.get("figures_unchanged"));
    return e;
  }

  /**
   * The DuckDB peer's own query in Spark SQL (bench/spark/yearly_stats.sql) over the same Parquet files, figures
   * collected and compared with DuckDB's: the engines on one plan, apart from Hallmark's Spark code.
   */
  private Map<String, Object> sparkSqlPeer(SparkSession spark, PeerRun peer) {
    List<List<List<Object>>> figures = new ArrayList<>();
    Path sqlFile = sparkSql != null ? sparkSql : SparkSqlYearlyStats.defaultSqlFile();
    Map<String, Object> m = Measurement.measure("spark-sql-peer-yearly-stats", () -> {
      figures.add(SparkSqlYearlyStats.compute(spark, sqlFile, peer.files()));
      return peer.bronzeTotal();
    });
    if (!figures.isEmpty() && peer.duckdbFigures() != null) {
      List<String> diffs = YearlyFigures.differences(figures.get(0), peer.duckdbFigures(), "spark-sql", "duckdb");
      m.put("figures_identical_to_duckdb", diffs.isEmpty());
      m.put("differences", diffs.subList(0, Math.min(30, diffs.size())));
    } else {
      m.put("figures_identical_to_duckdb", false);
    }
    return m;
  }

  /**
   * Spark doing DuckDB's job: the yearly figures straight from the same bronze snapshot, silver built in
   * memory (local checkpoints) and nothing written. Against the silver + yearly-stats steps it shows
   * what the lake design costs (Delta writes, six tables, the incremental machinery); against DuckDB,
   * what the engine does. Its figures are checked against DuckDB's.
   */
  private static Map<String, Object> inMemory(SparkSession spark, LakePaths paths, PeerRun peer) {
    List<List<List<Object>>> figures = new ArrayList<>();
    JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Set<Integer> heldBefore = new HashSet<>(context.getPersistentRDDs().keySet());
    Map<String, Object> m = Measurement.measure("spark-yearly-in-memory", () -> {
      Bronze bronze = BronzeReader.readBronze(spark, paths, SilverJob.BRONZE_TABLES, null);
      figures.add(YearlyFigures.collect(YearlyStats.yearlyStats(YearlyStats.Silver.fromBronze(bronze))));
      return peer.bronzeTotal();
    });
    if (!figures.isEmpty() && peer.duckdbFigures() != null) {
      List<String> diffs = YearlyFigures.differences(figures.get(0), peer.duckdbFigures(), "in-memory", "duckdb");
      m.put("figures_identical_to_duckdb", diffs.isEmpty());
      m.put("differences", diffs.subList(0, Math.min(30, diffs.size())));
    }
    // free the in-memory silver (local checkpoints) so the one-day steps that follow start without it
    context.getPersistentRDDs().forEach((id, rdd) -> {
      if (!heldBefore.contains(id)) {
        rdd.unpersist(true);
      }
    });
    return m;
  }

  /** The floor: Spark reading just the bronze columns the yearly statistics use, nothing computed. */
  private static void readFloor(SparkSession spark, LakePaths paths) {
    for (Map.Entry<String, Map<String, String>> t : DuckDbYearlyStats.INPUT_COLUMNS.entrySet()) {
      Column[] cols = t.getValue().keySet().stream().map(c -> col(c)).toArray(Column[]::new);
      // noop sink: every column value is decoded, nothing is written
      BronzeReader.read(spark, paths, t.getKey()).select(cols).write().format("noop").mode("overwrite").save();
    }
  }

  private static Map<String, Object> machine(SparkSession spark) {
    Map<String, Object> m = new LinkedHashMap<>();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    m.put("cpu", cpuModel());
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("ram_gb", Measurement.round(os.getTotalMemorySize() / 1073741824.0));
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    m.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    m.put("jvm_max_heap_gb", Measurement.round(Runtime.getRuntime().maxMemory() / 1073741824.0));
    m.put("spark", spark.version());
    m.put("spark_master", spark.sparkContext().master());
    m.put("shuffle_partitions", spark.conf().get("spark.sql.shuffle.partitions"));
    m.put("delta", deltaVersion());
    m.put("duckdb", duckdbVersion());
    return m;
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static String deltaVersion() {
    // Delta's own version constant: the jar it was loaded from may be Hallmark's shaded jar
    return io.delta.package$.MODULE$.VERSION();
  }

  private static String duckdbVersion() {
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
         ResultSet rs = db.createStatement().executeQuery("SELECT version()")) {
      rs.next();
      return rs.getString(1);
    } catch (Exception e) {
      return "unavailable: " + e.getMessage();
    }
  }

  private static double sum(List<Map<String, Object>> steps, String key) {
    return Measurement.round(steps.stream().mapToDouble(s -> ((Number) s.get(key)).doubleValue()).sum());
  }

  private static double wallOf(List<Map<String, Object>> steps, String name) {
    return steps.stream().filter(s -> name.equals(s.get("name")))
        .mapToDouble(s -> ((Number) s.get("wall_s")).doubleValue()).sum();
  }

  /** Process CPU microseconds per landing line of a measured row, or null without lines. */
  private static Double perLine(Map<String, Object> m, long lines) {
    return lines > 0 ? Measurement.round(((Number) m.get("cpu_s")).doubleValue() * 1e6 / lines) : null;
  }

  private static Double ratio(double a, double b) {
    return b > 0 ? Measurement.round(a / b) : null;
  }
}
