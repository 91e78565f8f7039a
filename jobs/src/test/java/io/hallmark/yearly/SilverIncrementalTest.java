package io.hallmark.yearly;

import static io.hallmark.testing.SparkTestSupport.spark;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.input_file_name;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hallmark.lake.Bronze;
import io.delta.tables.DeltaTable;
import io.hallmark.config.HallmarkConfig;
import io.hallmark.jobs.StepResult;
import io.hallmark.lake.BronzeReader;
import io.hallmark.lake.BronzeSchemas;
import io.hallmark.lake.DeltaVersions;
import io.hallmark.testing.SparkTestSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The incremental silver step (change data feed + MERGE of the touched entities) publishes exactly
 * what a full rebuild over the same bronze publishes, and falls back to a full rebuild when bronze
 * lost rows.
 */
// Rows are compared without nullability: the same version of a table read by path, through time travel or
// recomputed in memory reports different nullability (seen in CI after session 15's merges; to be looked into).
class SilverIncrementalTest {
  static final LocalDate RUN = LocalDate.of(2023, 6, 1);
  /**
   * The night before an incremental run, built once for the class and copied into each test's lake
   * (a Delta table is a folder with relative paths, so a copy is the same table): bronze holding the
   * base history, silver fully built from it, then the next day's rows appended to bronze.
   */
  @TempDir static Path nightBefore;
  /** Version of the night before's silver account_timeline: the full build's. */
  static long fullBuild;
  @TempDir Path lake;
  /** null: the default of conf/local.conf. */
  private Long mergeBroadcastMax;

  private HallmarkConfig config() {
    return config(lake, mergeBroadcastMax);
  }

  private static HallmarkConfig config(Path lake, Long mergeBroadcastMax) {
    HallmarkConfig config = HallmarkConfig.defaults().with("hallmark.lake", lake.toString())
        .with("hallmark.silver.incremental", true);
    return mergeBroadcastMax == null ? config : config.with("hallmark.silver.merge-broadcast-max", mergeBroadcastMax);
  }

  @BeforeAll
  static void buildTheNightBefore() {
    HallmarkConfig config = config(nightBefore, null);
    append(config, History.base().bronze());
    StepResult first;
    // one shuffle partition: the full build writes each table as one file, so a2 (untouched by run 2)
    // shares its file with a1 and a3, and a MERGE that rewrote files would copy it
    spark().conf().set("spark.sql.shuffle.partitions", "1");
    try {
      first = new SilverJob().run(spark(), config, RUN);
    } finally {
      spark().conf().set("spark.sql.shuffle.partitions", SparkTestSupport.SHUFFLE_PARTITIONS);
    }
    assertTrue(first.details().get("silver.account_timeline").toString().startsWith("full: first build"),
        first.details().toString());
    fullBuild = DeltaVersions.latest(spark(), config.paths().silver(SilverTables.ACCOUNT_TIMELINE)).orElseThrow();
    append(config, nextDay().bronze());
  }

  /** This test's lake becomes a copy of the night before. */
  private void fromTheNightBefore() {
    try (Stream<Path> files = Files.walk(nightBefore)) {
      for (Path from : (Iterable<Path>) files::iterator) {
        Path to = lake.resolve(nightBefore.relativize(from).toString());
        if (Files.isDirectory(from)) {
          Files.createDirectories(to);
        } else {
          Files.copy(from, to);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Bronze tables as ingest creates them (change data feed on), then the history appended. */
  private static void append(HallmarkConfig config, Bronze bronze) {
    History.appendAsIngested(config, bronze);
  }

  private StepResult silver() {
    return new SilverJob().run(spark(), config(), RUN);
  }


  /** Late and new rows touching old and new entities of every silver table. */
  private static History nextDay() {
    return new History().inRun("run-2")
        .blocked("b1-late", "a1", "2021-02-15T00:00:00Z", "COUNTERFEIT")   // old account, closed year
        .created("c2", "l2", "a3", "2023-05-31T10:00:00Z")                // a3's first listing
        .notice("n2", "l1", "2022-02-01T00:00:00Z", "INVALID", null)       // earlier notice on old listing
        .order("o2", "a3", "2023-05-31T11:00:00Z", 1)                     // new order, new year 2023
        .complaint("k1", "o1", "2023-05-31T12:00:00Z", "COUNTERFEIT");     // complaint on an old order
  }

  /** What a full rebuild over the current bronze gives, per silver table (the reference). */
  private Bronze currentBronze() {
    return BronzeReader.readBronze(spark(), config().paths(), SilverJob.BRONZE_TABLES, null);
  }

  private Map<String, Dataset<Row>> fullRebuild() {
    YearlyStats.Silver s = YearlyStats.Silver.fromBronze(currentBronze());
    return Map.of(SilverTables.ACCOUNT_TIMELINE, s.accountTimeline(), SilverTables.LISTING_TIMELINE, s.listingTimeline(),
        SilverTables.ORDER_FACTS, s.orderFacts(), SilverTables.NOTICE_FACTS, s.noticeFacts(),
        SilverTables.BRAND_FACTS, s.brandFacts(), SilverTables.ACTIVITY_YEARS, s.activityYears());
  }

  private Dataset<Row> published(String table) {
    return spark().read().format("delta").load(config().paths().silver(table));
  }

  private void assertEqualsFullRebuild() {
    for (Map.Entry<String, Dataset<Row>> reference : fullRebuild().entrySet()) {
      SparkTestSupport.assertSameRowsIgnoringNullable(reference.getValue(), published(reference.getKey()));
    }
  }

  @Test
  void mergingTheTouchedEntitiesGivesWhatAFullRebuildGivesRewritesNoOtherRowAndARerunChangesNothing() {
    fromTheNightBefore();
    String accounts = config().paths().silver(SilverTables.ACCOUNT_TIMELINE);
    assertEquals(1, published(SilverTables.ACCOUNT_TIMELINE).select(input_file_name()).distinct().count());
    assertEquals(fullBuild, DeltaVersions.latest(spark(), accounts).orElseThrow());

    StepResult second = silver();
    // deletion vectors switched on before the first MERGE, in a commit of its own that still stands
    // for the full build's bronze versions; the MERGE replaced a1 and a3 and copied nothing else
    for (String table : List.of(SilverTables.ACCOUNT_TIMELINE, SilverTables.LISTING_TIMELINE,
        SilverTables.NOTICE_FACTS, SilverTables.ORDER_FACTS)) {
      assertTrue(DeltaVersions.propertyIsTrue(spark(), config().paths().silver(table), SilverJob.DELETION_VECTORS), table);
    }
    List<Row> commits = DeltaTable.forPath(spark(), accounts).history().orderBy("version")
        .select("version", "operation", "userMetadata", "operationMetrics").collectAsList();
    assertEquals(List.of(fullBuild, fullBuild + 1, fullBuild + 2), commits.stream().map(r -> r.getLong(0)).toList());
    assertEquals(List.of("SET TBLPROPERTIES", "MERGE"), List.of(commits.get(1).getString(1), commits.get(2).getString(1)));
    assertEquals(commits.get(0).getString(2), commits.get(1).getString(2));
    Map<String, String> merge = scala.jdk.javaapi.CollectionConverters.asJava(
        commits.get(2).<scala.collection.Map<String, String>>getAs(3));
    assertEquals(List.of("2", "0", "2"), List.of(merge.get("numTargetRowsUpdated"), merge.get("numTargetRowsCopied"),
        merge.get("numOutputRows")), merge.toString());
    // touched: a1 (late block) and a3 (listing c2); l1 (notice n2) and l2 (c2); o1 (complaint) and o2
    assertEquals("incremental: 2 touched account_id value(s) recomputed", second.details().get("silver.account_timeline"));
    assertEquals("incremental: 2 touched listing_id value(s) recomputed", second.details().get("silver.listing_timeline"));
    assertEquals("incremental: 2 touched listing_id value(s) recomputed", second.details().get("silver.notice_facts"));
    assertEquals("incremental: 2 touched order_id value(s) recomputed", second.details().get("silver.order_facts"));
    assertEquals("incremental: years of the inserted rows added", second.details().get("silver.activity_years"));
    assertEqualsFullRebuild();

    // spot checks by hand
    Row a1 = published(SilverTables.ACCOUNT_TIMELINE).filter(col("account_id").equalTo("a1")).head();
    assertEquals(1, a1.getList(a1.fieldIndex("blocks")).size());
    Row o1 = published(SilverTables.ORDER_FACTS).filter(col("order_id").equalTo("o1")).head();
    assertTrue(o1.getBoolean(o1.fieldIndex("has_counterfeit_complaint")));
    Row l1 = published(SilverTables.LISTING_TIMELINE).filter(col("listing_id").equalTo("l1")).head();
    assertEquals(History.ts("2022-02-01T00:00:00Z"), l1.<Timestamp>getAs("first_notice_at"));
    assertEquals(List.of(2021, 2022, 2023), published(SilverTables.ACTIVITY_YEARS).select("year").distinct()
        .orderBy("year").collectAsList().stream().map(r -> r.getInt(0)).toList());

    // a rerun without new bronze rows touches nothing and changes nothing
    Map<String, Dataset<Row>> before = new java.util.TreeMap<>();
    for (String table : SilverTables.TABLES) {
      before.put(table, SparkTestSupport.snapshot(published(table)));
    }
    StepResult rerun = silver();
    assertEquals("incremental: 0 touched order_id value(s) recomputed", rerun.details().get("silver.order_facts"));
    assertEquals("incremental: 0 touched account_id value(s) recomputed", rerun.details().get("silver.account_timeline"));
    for (String table : SilverTables.TABLES) {
      SparkTestSupport.assertSameRowsIgnoringNullable(before.get(table), published(table));
    }

    // and the yearly job accepts the mixed full/incremental commits (same bronze versions everywhere)
    new YearlyStatsJob().run(spark(), config(), RUN);
    SparkTestSupport.assertSameRowsIgnoringNullable(YearlyStats.yearlyStats(YearlyStats.Silver.fromBronze(currentBronze())),
        spark().read().format("delta").load(config().paths().gold(YearlyStatsJob.TABLE)));
  }

  /**
   * Plans of every query run while {@code body} runs whose join of the recomputed rows with the silver
   * table is a broadcast (an inner broadcast hash join: the MERGE's search for the touched files). Spark's
   * own size-based broadcasting is off meanwhile, so only the hint can make one.
   */
  private List<String> broadcastMergeJoins(Runnable body) {
    List<String> plans = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    org.apache.spark.sql.util.QueryExecutionListener listener = new org.apache.spark.sql.util.QueryExecutionListener() {
      @Override
      public void onSuccess(String funcName, org.apache.spark.sql.execution.QueryExecution qe, long durationNs) {
        plans.add(qe.executedPlan().toString());
      }

      @Override
      public void onFailure(String funcName, org.apache.spark.sql.execution.QueryExecution qe, Exception exception) {}
    };
    String threshold = spark().conf().get("spark.sql.autoBroadcastJoinThreshold");
    spark().conf().set("spark.sql.autoBroadcastJoinThreshold", "-1");
    spark().listenerManager().register(listener);
    try {
      body.run();
      spark().sparkContext().listenerBus().waitUntilEmpty(60_000);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("query listeners did not catch up within a minute", e);
    } finally {
      spark().listenerManager().unregister(listener);
      spark().conf().set("spark.sql.autoBroadcastJoinThreshold", threshold);
    }
    return plans.stream().filter(p -> p.lines().anyMatch(l -> l.contains("BroadcastHashJoin") && l.contains("Inner")))
        .toList();
  }

  @Test
  void touchedRowsAreBroadcastToTheMergeUpToTheLimitAndShuffledAboveItWithTheSameResult() {
    fromTheNightBefore();
    // 2 touched keys per table, limit 1: every MERGE shuffles
    mergeBroadcastMax = 1L;
    assertEquals(List.of(), broadcastMergeJoins(this::silver));
    assertEqualsFullRebuild();

    // the same night on another copy of the night before, limit 2: the MERGEs broadcast, and publish the same tables
    Map<String, Dataset<Row>> shuffled = new java.util.TreeMap<>();
    for (String table : SilverTables.TABLES) {
      shuffled.put(table, SparkTestSupport.snapshot(published(table)));
    }
    lake = lake.resolve("again");
    fromTheNightBefore();
    mergeBroadcastMax = 2L;
    assertTrue(broadcastMergeJoins(this::silver).size() >= 4, "a broadcast MERGE join per entity table");
    for (String table : SilverTables.TABLES) {
      SparkTestSupport.assertSameRowsIgnoringNullable(shuffled.get(table), published(table));
    }
  }

  @Test
  void aNegativeMergeBroadcastLimitIsAConfigurationError() {
    fromTheNightBefore();
    mergeBroadcastMax = -1L;
    io.hallmark.config.ConfigError error = org.junit.jupiter.api.Assertions.assertThrows(
        io.hallmark.config.ConfigError.class, this::silver);
    assertEquals("hallmark.silver.merge-broadcast-max must be >= 0 (0: never broadcast), got -1", error.getMessage());
  }

  @Test
  void rowsRemovedFromBronzeForceAFullRebuild() {
    fromTheNightBefore();
    silver(); // silver now holds run 2's rows
    // what ingest does to the rows of a run that was killed while publishing
    DeltaTable.forPath(spark(), config().paths().bronze(BronzeSchemas.ORDERS)).delete(col(BronzeSchemas.RUN_ID).equalTo("run-2"));
    StepResult after = silver();
    assertEquals("full: bronze.orders had rows deleted or updated since (a killed ingest run removed)",
        after.details().get("silver.order_facts"));
    assertEquals(List.of("o1"), published(SilverTables.ORDER_FACTS).select("order_id").collectAsList()
        .stream().map(r -> r.getString(0)).toList());
    assertEqualsFullRebuild();
  }

  @Test
  void tablesWithoutChangeDataFeedAreRebuiltInFull() {
    // bronze written by plain appends (a lake from before ingest turned the feed on)
    History.base().bronze().accountEvents().write().format("delta").save(config().paths().bronze(BronzeSchemas.ACCOUNT_EVENTS));
    silver();
    nextDay().bronze().accountEvents().write().format("delta").mode("append")
        .save(config().paths().bronze(BronzeSchemas.ACCOUNT_EVENTS));
    StepResult after = silver();
    assertEquals("full: bronze.account_events has no change data feed for versions 1..1",
        after.details().get("silver.account_timeline"));
    assertEqualsFullRebuild();
  }
}
