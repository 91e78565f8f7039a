package io.hallmark.nightly;

import static io.hallmark.testing.SparkTestSupport.spark;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.tables.DeltaTable;
import io.hallmark.cli.Hallmark;
import io.hallmark.config.LakePaths;
import io.hallmark.jobs.Console;
import io.hallmark.lake.DeltaVersions;
import io.hallmark.lake.YearlyStatsPublications;
import io.hallmark.testing.SparkTestSupport;
import io.hallmark.yearly.YearlyStats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 40 nightlies' worth of commits on a small hand-made lake (each "nightly" writes what the real steps
 * write, one day per nightly: a MERGE into a year-partitioned bronze table, a MERGE updating rows of a
 * silver table with deletion vectors, a replaceWhere of some years of gold/yearly_stats recorded in
 * yearly_stats_publications (nightly 1 creates it as the yearly-stats step does; maintain records the later
 * ones before its VACUUM), a replaceWhere of the last two as_of
 * partitions of a scores table), then {@code hallmark maintain} with retention 0: every table keeps its
 * rows, each table's stored files drop to at most one per partition, time travel to the first
 * publication is gone and {@code diff} against it still works. A 41st nightly then shows the next
 * maintenance compacting only the partitions that nightly wrote.
 */
class MaintainJobTest {
  static final int NIGHTLIES = 40;
  static final LocalDate FIRST = LocalDate.of(2024, 3, 1);
  static final List<Integer> YEARS = List.of(2022, 2023, 2024);
  static final StructType ORDERS = new StructType().add("order_id", DataTypes.StringType, false)
      .add("event_year", DataTypes.IntegerType, false).add("amount", DataTypes.LongType, false);
  static final StructType TIMELINE = new StructType().add("account_id", DataTypes.StringType, false)
      .add("events", DataTypes.LongType, false).add("last_day", DataTypes.IntegerType, false);
  static final StructType SCORES = new StructType().add("seller_id", DataTypes.StringType, false)
      .add("as_of", DataTypes.DateType, false).add("risk_score", DataTypes.DoubleType, false);
  static final List<String> HAND_MADE = List.of("bronze/orders", "silver/account_timeline", "gold/yearly_stats",
      "gold/seller_risk_scores");

  /**
   * Session settings for this test only, none of which a check below depends on: the hand-made history is
   * ~200 tiny commits, and per commit Delta would otherwise collect column statistics, write a checksum file,
   * materialize each MERGE's (local, deterministic) source and write a checkpoint every 10 commits. Most of
   * the time went to code generation (a JFR profile: the source of an UnsafeProjection over Delta's wide log
   * schema is built in every task, even when the compiled class is cached): on rows this few, Spark's
   * interpreted evaluation is faster.
   */
  static final Map<String, String> FAST_DELTA = Map.of(
      "spark.sql.codegen.wholeStage", "false",
      "spark.sql.codegen.factoryMode", "NO_CODEGEN",
      "spark.databricks.delta.stats.collect", "false",
      "spark.databricks.delta.writeChecksumFile.enabled", "false",
      "spark.databricks.delta.merge.materializeSource", "none",
      "spark.databricks.delta.properties.defaults.checkpointInterval", "1000");

  @TempDir Path tmp;
  LakePaths paths;

  @Test
  void fortyNightliesThenMaintainKeepsRowsBoundsFilesAndDiffStillWorksAfterVacuum() throws IOException {
    FAST_DELTA.forEach((k, v) -> spark().conf().set(k, v));
    try {
      fortyNightliesThenMaintain();
    } finally {
      FAST_DELTA.keySet().forEach(k -> spark().conf().unset(k));
    }
  }

  private void fortyNightliesThenMaintain() throws IOException {
    Path lake = tmp.resolve("lake");
    paths = new LakePaths(lake.toString());
    long started = System.nanoTime();
    createTables();
    Map<Integer, List<Row>> published = new TreeMap<>();
    List<Long> publicationVersions = new ArrayList<>();
    for (int day = 1; day <= NIGHTLIES; day++) {
      publicationVersions.add(nightly(day, published));
    }
    double historySeconds = (System.nanoTime() - started) / 1e9;

    Map<String, List<String>> rowsBefore = new LinkedHashMap<>();
    for (String table : HAND_MADE) { // yearly_stats_publications: maintain records nightlies 2..40 into it
      rowsBefore.put(table, rowsOf(table));
      assertTrue(storedFiles(lake.resolve(table)) >= NIGHTLIES, table + " has a file per nightly at least");
    }
    assertTrue(deletionVectorFiles(lake.resolve("silver/account_timeline")) > 0, "the MERGEs wrote deletion vectors");
    long first = publicationVersions.get(0);
    long last = publicationVersions.get(NIGHTLIES - 1);

    Path conf = tmp.resolve("maintain.conf");
    Files.writeString(conf, "hallmark { maintain { retention = \"0 hours\" } }\n");
    // Delta's retention check is on: a retention of 0 is bad configuration, refused before anything is done
    long bronzeFiles = storedFiles(lake.resolve("bronze/orders"));
    assertEquals(2, Hallmark.execute("maintain", "--lake", lake.toString(), "--conf-file", conf.toString()));
    SparkTestSupport.spark().conf().set("spark.sql.shuffle.partitions", SparkTestSupport.SHUFFLE_PARTITIONS);
    assertEquals(bronzeFiles, storedFiles(lake.resolve("bronze/orders")), "a refused run compacted nothing");

    // the lake's nightly lock held by a live run: maintain does not start (exit 1), nothing is touched
    NightlyLock.Holder other = new NightlyLock.Holder("nightly-other", "2024-04-10", NightlyLock.currentHost(),
        ProcessHandle.current().pid(), Instant.parse("2024-04-10T01:00:00Z").toString());
    try (NightlyLock held = NightlyLock.acquire(spark().sparkContext().hadoopConfiguration(),
        NightlyJob.lockPath(paths), other, new NightlyLock.Settings(java.time.Duration.ofMinutes(3),
            java.time.Duration.ofSeconds(30), java.time.Duration.ofDays(365)), false, java.time.Clock.systemUTC())) {
      assertEquals(1, maintain(lake, conf));
    }
    assertEquals(bronzeFiles, storedFiles(lake.resolve("bronze/orders")), "a run refused the lock compacted nothing");

    long maintainStart = System.nanoTime();
    String out = captured(() -> assertEquals(0, maintain(lake, conf)));
    double maintainSeconds = (System.nanoTime() - maintainStart) / 1e9;
    assertTrue(out.contains("step 1 of " + allTables().size() + ": bronze/orders: files"), out);

    // every table keeps exactly its rows
    for (String table : HAND_MADE) {
      assertEquals(rowsBefore.get(table), rowsOf(table), table + ": rows changed by maintain");
    }
    // ...and yearly_stats_publications holds every nightly's publication, recorded before the VACUUM
    assertEquals(NIGHTLIES, YearlyStatsPublications.list(spark(), paths).size());
    // the bound: after OPTIMIZE and VACUUM with retention 0, at most one stored file per partition
    // (bronze/orders: 3 years, seller_risk_scores: 41 days (the day before the first too), the unpartitioned
    // tables: 1), no deletion vector
    Map<String, Integer> bound = Map.of("bronze/orders", YEARS.size(), "silver/account_timeline", 1,
        "gold/yearly_stats", 1, "gold/seller_risk_scores", NIGHTLIES + 1, "gold/" + YearlyStatsPublications.TABLE, 1);
    bound.forEach((table, max) -> {
      long stored = storedFiles(lake.resolve(table));
      assertTrue(stored >= 1 && stored <= max, table + ": " + stored + " stored files, bound " + max);
    });
    assertEquals(0, deletionVectorFiles(lake.resolve("silver/account_timeline")), "deletion vectors purged");

    // VACUUM removed the files time travel to the first publication needs...
    assertThrows(Exception.class, () -> DeltaVersions.readAt(spark(), paths.gold("yearly_stats"), first).collectAsList());
    // ...but the publication is kept as rows: exactly what nightly 1 published, and diff against it works
    assertEquals(sorted(published.get(1)), sorted(YearlyStatsPublications.read(spark(), paths, first).collectAsList()));
    String diff = captured(() -> assertEquals(0, Hallmark.execute("diff", "yearly-stats", "--lake", lake.toString(),
        "--from-version", String.valueOf(first), "--to-version", String.valueOf(last))));
    // nightly 1 (1 % 3 == 1 -> years 2023 and 2024) wrote FR 2023 with accounts_registered 1 * 1000 + 23; the
    // last write of 2023 was nightly 40 (40 % 3 == 1 again), so 40 * 1000 + 23
    assertTrue(diff.lines().anyMatch(l -> l.matches("2023\\s+FR\\s+accounts_registered\\s+1023\\s+40023\\s*")), diff);

    // what maintain did is recorded: one SUCCEEDED row per table of the lake, at the version it left
    Dataset<Row> runs = spark().read().format("delta").load(paths.ops(MaintainJob.RUNS_TABLE));
    assertEquals(allTables().size(), runs.filter(col("status").equalTo(MaintainJob.SUCCEEDED)).count());
    assertEquals(DeltaVersions.current(spark(), paths.bronze("orders")), runs
        .filter(col("table_name").equalTo("bronze/orders")).select("version_after").head().getLong(0));

    // one more nightly, then maintain again: only the partitions that nightly wrote are compacted
    nightly(NIGHTLIES + 1, published);
    captured(() -> assertEquals(0, maintain(lake, conf)));
    Map<String, String> compacted = new TreeMap<>();
    for (Row r : spark().read().format("delta").load(paths.ops(MaintainJob.RUNS_TABLE))
        .filter(col("started_at").equalTo(
            spark().read().format("delta").load(paths.ops(MaintainJob.RUNS_TABLE)).agg(org.apache.spark.sql.functions.max("started_at")).head().get(0)))
        .select("table_name", "compacted").collectAsList()) {
      compacted.put(r.getString(0), r.getString(1));
    }
    // nightly 41: 41 % 3 == 2 -> bronze year 2024 only; scores as_of days 41 and 40
    assertEquals("1 partition(s)", compacted.get("bronze/orders"));
    assertEquals("2 partition(s)", compacted.get("gold/seller_risk_scores"));
    assertEquals("whole table", compacted.get("silver/account_timeline"));
    System.out.printf(java.util.Locale.ROOT, "MaintainJobTest: %d nightlies in %.1f s, maintain in %.1f s%n",
        NIGHTLIES, historySeconds, maintainSeconds);
  }

  /**
   * A table already holding one file and nothing beside it gets no OPTIMIZE, no VACUUM and no commit (each
   * costs Spark jobs and commits even when it finds nothing to do); a table with two small files in a
   * partition is compacted and vacuumed as before.
   */
  @Test
  void aTableWithNothingToCompactOrVacuumGetsNoCommit() throws IOException {
    Path lake = tmp.resolve("small");
    paths = new LakePaths(lake.toString());
    spark().createDataFrame(List.of(RowFactory.create("a0", 0L, 0)), TIMELINE).coalesce(1).write().format("delta")
        .save(paths.silver("account_timeline"));
    for (int day = 1; day <= 2; day++) {
      spark().createDataFrame(List.of(RowFactory.create("o" + day, 2024, (long) day)), ORDERS).coalesce(1).write()
          .format("delta").mode("append").partitionBy("event_year").save(paths.bronze("orders"));
    }
    Path conf = tmp.resolve("maintain.conf");
    Files.writeString(conf, "hallmark { maintain { retention = \"0 hours\" } }\n");
    captured(() -> assertEquals(0, maintain(lake, conf)));

    Map<String, Row> run = new TreeMap<>();
    for (Row r : spark().read().format("delta").load(paths.ops(MaintainJob.RUNS_TABLE))
        .select("table_name", "version_before", "version_after", "message", "stored_files_after").collectAsList()) {
      run.put(r.getString(0), r);
    }
    Row untouched = run.get("silver/account_timeline");
    assertTrue(untouched.getString(3).startsWith("nothing to do"), untouched.toString());
    assertEquals(List.of(0L, 0L), List.of(untouched.getLong(1), untouched.getLong(2)), untouched.toString());
    assertEquals(0L, DeltaVersions.current(spark(), paths.silver("account_timeline")), "no commit");
    Row compacted = run.get("bronze/orders");
    assertTrue(compacted.getString(3).contains("vacuumed"), compacted.toString());
    assertTrue(compacted.getLong(2) > compacted.getLong(1), compacted.toString());
    assertEquals(1L, compacted.getLong(4), compacted.toString());
    assertEquals(1L, storedFiles(lake.resolve("bronze/orders")));
  }

  private int maintain(Path lake, Path conf) {
    try {
      return Hallmark.execute("maintain", "--lake", lake.toString(), "--conf-file", conf.toString(),
          "--conf", MaintainJob.RETENTION_CHECK + "=false", "--conf", "spark.sql.shuffle.partitions=2");
    } finally {
      // the test session is shared: put back what the command's settings changed
      spark().conf().unset(MaintainJob.RETENTION_CHECK);
      spark().conf().set("spark.sql.shuffle.partitions", SparkTestSupport.SHUFFLE_PARTITIONS);
    }
  }

  private List<String> allTables() {
    List<String> tables = new ArrayList<>(HAND_MADE);
    tables.add("gold/" + YearlyStatsPublications.TABLE);
    tables.sort(java.util.Comparator.comparingInt((String t) -> MaintainJob.LAYERS.indexOf(t.split("/")[0]))
        .thenComparing(t -> t));
    return tables;
  }

  private void createTables() {
    DeltaTable.create(spark()).location(paths.bronze("orders")).addColumns(ORDERS).partitionedBy("event_year")
        .property("delta.enableChangeDataFeed", "true").execute();
    List<Row> accounts = new ArrayList<>();
    for (int a = 0; a < 20; a++) {
      accounts.add(RowFactory.create("a" + a, 0L, 0));
    }
    spark().createDataFrame(accounts, TIMELINE).coalesce(1).write().format("delta")
        .option("delta.enableDeletionVectors", "true").option("delta.enableChangeDataFeed", "true")
        .save(paths.silver("account_timeline"));
    DeltaTable.create(spark()).location(paths.gold("seller_risk_scores")).addColumns(SCORES).partitionedBy("as_of")
        .execute();
  }

  /** One nightly's writes for day {@code day}; returns the yearly_stats version it published. */
  private long nightly(int day, Map<Integer, List<Row>> published) {
    LocalDate runDate = FIRST.plusDays(day - 1);
    int year = YEARS.get(day % YEARS.size());
    List<Row> orders = List.of(RowFactory.create("o" + day + "-1", year, (long) day),
        RowFactory.create("o" + day + "-2", year, (long) day * 2));
    DeltaTable.forPath(spark(), paths.bronze("orders")).as("t")
        .merge(spark().createDataFrame(orders, ORDERS).as("s"), col("t.order_id").equalTo(col("s.order_id")))
        .whenNotMatched().insertAll().execute();

    List<Row> touched = List.of(RowFactory.create("a" + (day % 20), (long) day, day),
        RowFactory.create("a" + ((day + 7) % 20), (long) day, day));
    DeltaTable.forPath(spark(), paths.silver("account_timeline")).as("t")
        .merge(spark().createDataFrame(touched, TIMELINE).as("s"), col("t.account_id").equalTo(col("s.account_id")))
        .whenMatched().updateExpr(Map.of("events", "t.events + s.events", "last_day", "s.last_day"))
        .whenNotMatched().insertAll().execute();

    // yearly-stats recomputes the year of the day's orders and the one after (2024 and 2022 alone)
    List<Integer> years = year == 2024 ? List.of(2024) : List.of(year, year + 1);
    List<Row> stats = new ArrayList<>();
    for (int y : years) {
      for (String marketplace : List.of("FR", "DE")) {
        stats.add(statsRow(y, marketplace, day));
      }
    }
    Map<String, Object> metadata = Map.of("step", "yearly-stats", "run_date", runDate.toString());
    String yearly = paths.gold("yearly_stats");
    Dataset<Row> frame = spark().createDataFrame(stats, YearlyStats.SCHEMA).coalesce(1);
    long version = DeltaTable.isDeltaTable(spark(), yearly)
        ? DeltaVersions.replaceWhere(spark(), frame, yearly, "year IN (" + years.toString().replaceAll("[\\[\\]]", "") + ")",
            metadata).version()
        : DeltaVersions.overwrite(spark(), frame, yearly, metadata).version();
    if (day == 1) {
      // nightly 1 creates yearly_stats_publications as the yearly-stats step does; the later publications are
      // recorded by maintain itself before its VACUUM (the same YearlyStatsPublications.record, in one go
      // instead of ~5 Spark jobs a nightly), which the diff against the first publication below relies on
      YearlyStatsPublications.record(spark(), paths, YearlyStats.SCHEMA);
    }
    if (day == 1) { // the publication the check after VACUUM compares with (one Spark job, not one a nightly)
      published.put(day, DeltaVersions.readAt(spark(), yearly, version).collectAsList());
    }

    List<Row> scores = new ArrayList<>();
    for (LocalDate asOf : List.of(runDate.minusDays(1), runDate)) {
      for (int s = 0; s < 3; s++) {
        scores.add(RowFactory.create("s" + s, Date.valueOf(asOf), (day * 10 + s) / 1000.0));
      }
    }
    DeltaVersions.replaceWhere(spark(), spark().createDataFrame(scores, SCORES).coalesce(1),
        paths.gold("seller_risk_scores"), "as_of IN (DATE'" + runDate.minusDays(1) + "', DATE'" + runDate + "')",
        Map.of("step", "risk-scores", "run_date", runDate.toString()));
    return version;
  }

  /** A yearly_stats row whose counts say which nightly wrote it: accounts_registered = day * 1000 + year % 100. */
  static Row statsRow(int year, String marketplace, int day) {
    Object[] values = new Object[YearlyStats.SCHEMA.size()];
    int i = 0;
    for (StructField f : YearlyStats.SCHEMA.fields()) {
      values[i] = switch (f.name()) {
        case "year" -> year;
        case "marketplace" -> marketplace;
        case "accounts_registered" -> (long) day * 1000 + year % 100;
        default -> f.dataType().equals(DataTypes.LongType) ? (Object) (long) (day + i)
            : f.dataType().equals(DataTypes.DoubleType) ? (Object) (day / 100.0)
            : f.dataType().equals(DataTypes.IntegerType) ? (Object) (day + i) : null;
      };
      i++;
    }
    return RowFactory.create(values);
  }

  private List<String> rowsOf(String table) {
    return sorted(spark().read().format("delta").load(paths.root() + "/" + table).collectAsList());
  }

  private static List<String> sorted(List<Row> rows) {
    return rows.stream().map(Row::toString).sorted().toList();
  }

  /** Data files stored under the table (Parquet and deletion vectors), counted on disk, outside _delta_log. */
  static long storedFiles(Path table) {
    try (Stream<Path> files = Files.walk(table)) {
      return files.filter(Files::isRegularFile).filter(p -> !table.relativize(p).toString().startsWith("_delta_log"))
          .filter(p -> !p.getFileName().toString().endsWith(".crc")).count();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static long deletionVectorFiles(Path table) {
    try (Stream<Path> files = Files.walk(table)) {
      return files.filter(p -> p.getFileName().toString().startsWith("deletion_vector_")
          && p.getFileName().toString().endsWith(".bin")).count();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String captured(Runnable action) {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    PrintStream capture = new PrintStream(buffer, true, StandardCharsets.UTF_8);
    System.setOut(capture);
    Console.redirect(capture, System.err);
    try {
      action.run();
    } finally {
      System.setOut(stdout);
      Console.redirect(stdout, System.err);
    }
    String text = buffer.toString(StandardCharsets.UTF_8);
    stdout.print(text);
    return text;
  }
}
