package io.hallmark.yearly;

import static io.hallmark.testing.SparkTestSupport.row;
import static io.hallmark.testing.SparkTestSupport.rows;
import static io.hallmark.testing.SparkTestSupport.spark;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hallmark.config.HallmarkConfig;
import io.hallmark.jobs.StepResult;
import io.hallmark.lake.DeltaVersions;
import io.hallmark.testing.SparkTestSupport;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18, point 3: the yearly step recomputes only the years that silver's changes reach and carries
 * the other years' rows, and what it publishes equals a rebuild of every year from scratch, for nights
 * with late events into earlier years, a late registration that moves a seller's old orders to another
 * marketplace, a brand enrolled late, and a night with nothing new.
 */
// Rows are compared without nullability: the same version of a table read by path, through time travel or
// recomputed in memory reports different nullability (seen in CI after session 15's merges; to be looked into).
class YearlyCarryTest {
  static final LocalDate RUN = LocalDate.of(2024, 6, 1);
  @TempDir Path lake;
  private boolean silverIncremental = true;

  private HallmarkConfig config() {
    return HallmarkConfig.defaults().with("hallmark.lake", lake.toString())
        .with("hallmark.silver.incremental", silverIncremental).with("hallmark.yearly.incremental", true);
  }

  private void append(History history) {
    History.appendAsIngested(config(), history.bronze());
  }

  /** The silver and yearly steps of one nightly; returns how yearly_stats was published. */
  private String night() {
    new SilverJob().run(spark(), config(), RUN);
    StepResult yearly = new YearlyStatsJob().run(spark(), config(), RUN);
    return String.valueOf(yearly.details().get("gold." + YearlyStatsJob.TABLE));
  }

  private Dataset<Row> published() {
    return spark().read().format("delta").load(config().paths().gold(YearlyStatsJob.TABLE));
  }

  /**
   * Every year recomputed from scratch over the published silver (that silver equals a rebuild from
   * bronze is SilverIncrementalTest's part).
   */
  private Dataset<Row> rebuiltFromScratch() {
    java.util.function.Function<String, Dataset<Row>> silver =
        table -> spark().read().format("delta").load(config().paths().silver(table));
    return YearlyStats.yearlyStats(new YearlyStats.Silver(silver.apply(SilverTables.ACCOUNT_TIMELINE),
        silver.apply(SilverTables.LISTING_TIMELINE), silver.apply(SilverTables.ORDER_FACTS),
        silver.apply(SilverTables.NOTICE_FACTS), silver.apply(SilverTables.BRAND_FACTS),
        silver.apply(SilverTables.ACTIVITY_YEARS)));
  }

  /** Base (2021-2022) plus a5 selling in 2022 without a registration (UNKNOWN) and a6 active in 2023 and 2024. */
  private static History firstNights() {
    return History.base()
        .order("o5", "a5", "2022-07-01T00:00:00Z", 3)
        .registered("r6", "a6", "2023-03-01T00:00:00Z", "DE")
        .created("c6", "l6", "a6", "2023-03-05T00:00:00Z")
        .order("o6", "a6", "2023-04-01T00:00:00Z", 1)
        .order("o7", "a6", "2024-05-01T00:00:00Z", 1);
  }

  @Test
  void carriedYearsAndRecomputedYearsTogetherEqualARebuildFromScratch() {
    append(firstNights());
    assertEquals("full: first build", night());

    // late events: a block dated 2021 for a1, and a5 registering in FR (2024), which moves its 2022
    // order from UNKNOWN to FR; nothing reaches 2023
    append(new History().inRun("run-2")
        .blocked("b1-late", "a1", "2021-02-15T00:00:00Z", "COUNTERFEIT")
        .registered("r5", "a5", "2024-05-31T00:00:00Z", "FR"));
    assertEquals("incremental: years [2021, 2022, 2024] recomputed, the rest carried from version 0", night());
    SparkTestSupport.assertSameRowsIgnoringNullable(rebuiltFromScratch(), published());
    // spot check by hand: a5's order (3 units) is FR's now beside a1's (2 units), the UNKNOWN row is gone
    assertEquals(List.of("ALL:2:5", "DE:0:0", "FR:2:5"), published().filter(col("year").equalTo(2022))
        .orderBy("marketplace").collectAsList().stream()
        .map(r -> r.getAs("marketplace") + ":" + r.getAs("orders") + ":" + r.getAs("units_sold")).toList());

    // nothing new: no year recomputed, the rows unchanged, the new silver versions recorded
    Dataset<Row> before = SparkTestSupport.snapshot(published());
    assertEquals("incremental: no year recomputed, the rest carried from version 1", night());
    SparkTestSupport.assertSameRowsIgnoringNullable(before, published());

    // a brand enrolled in 2023 reaches 2023 and every later covered year (brands_enrolled is cumulative);
    // a complaint in 2025 on a 2024 order reaches the order's year and makes 2025 a covered year
    append(new History().inRun("run-3")
        .brand("BrandY", "2023-01-15T00:00:00Z")
        .complaint("k7", "o7", "2025-01-02T00:00:00Z", "COUNTERFEIT"));
    assertEquals("incremental: years [2023, 2024, 2025] recomputed, the rest carried from version 2", night());
    SparkTestSupport.assertSameRowsIgnoringNullable(rebuiltFromScratch(), published());
    assertEquals(List.of(1L, 1L, 2L, 2L, 2L), published().filter(col("marketplace").equalTo(YearlyStats.ALL))
        .orderBy("year").select("brands_enrolled").collectAsList().stream().map(r -> r.getLong(0)).toList());

    // late rows into every covered year: the plan stops early and recomputes every year
    append(new History().inRun("run-4")
        .blocked("b6", "a6", "2021-03-01T00:00:00Z", "FRAUD")
        .order("o9", "a6", "2022-03-01T00:00:00Z", 1)
        .order("o10", "a6", "2023-03-01T00:00:00Z", 1)
        .order("o11", "a6", "2024-03-01T00:00:00Z", 1)
        .order("o12", "a6", "2025-03-01T00:00:00Z", 1));
    assertEquals("full: the changes reach every covered year [2021, 2022, 2023, 2024, 2025]", night());
    SparkTestSupport.assertSameRowsIgnoringNullable(rebuiltFromScratch(), published());

    // silver rebuilt in full: its changes are not known, every year is recomputed (to the same rows)
    Dataset<Row> carried = SparkTestSupport.snapshot(published());
    silverIncremental = false;
    assertEquals("full: silver account_timeline was rewritten since the last publication (WRITE)", night());
    SparkTestSupport.assertSameRowsIgnoringNullable(carried, published());
  }

  private static final StructType ACCOUNT_CHANGES = SilverTables.ACCOUNT_TIMELINE_SCHEMA.add(DeltaVersions.CHANGE_TYPE, DataTypes.StringType);

  private static Row accountChange(String account, String marketplace, String registered, String changeType, Row... blocks) {
    return row(account, marketplace, registered == null ? null : History.ts(registered), null, null, null,
        List.of(blocks), List.of(), changeType);
  }

  private static Row block(String time) {
    return row(History.ts(time), "e", "FRAUD", false);
  }

  private static List<Integer> years(Dataset<Row> years) {
    return years.orderBy("year").collectAsList().stream().map(r -> r.getInt(0)).toList();
  }

  @Test
  void anAccountRowReachesItsRegistrationYearAndEachBlockYear() {
    Dataset<Row> changes = rows(ACCOUNT_CHANGES,
        accountChange("a", "FR", "2021-12-31T23:00:00Z", "update_preimage"),
        accountChange("a", "FR", "2021-12-31T23:00:00Z", "update_postimage", block("2023-02-01T00:00:00Z")),
        // never registered, blocked twice in 2020
        accountChange("b", null, null, "insert", block("2020-01-01T00:00:00Z"), block("2020-05-01T00:00:00Z")));
    assertEquals(List.of(2020, 2021, 2023), years(TouchedYears.accountYears(changes)));
  }

  @Test
  void aMarketplaceChangesWhenTwoImagesDifferOrARowWithAMarketplaceAppearsOrGoes() {
    Dataset<Row> changes = rows(ACCOUNT_CHANGES,
        accountChange("same", "FR", null, "update_preimage"), accountChange("same", "FR", null, "update_postimage"),
        accountChange("moved", null, null, "update_preimage"), accountChange("moved", "DE", null, "update_postimage"),
        accountChange("new-unregistered", null, null, "insert"),
        accountChange("new-registered", "FR", null, "insert"),
        accountChange("gone", "DE", null, "delete"));
    assertEquals(List.of("gone", "moved", "new-registered"), TouchedYears.marketplaceChanged(changes).orderBy("key")
        .collectAsList().stream().map(r -> r.getString(0)).toList());
  }

  @Test
  void aSellersYearsAreThoseOfItsListingsOrdersAndNoticesIncludingNeverLiveListings() {
    Dataset<Row> sellers = rows(new StructType().add("key", DataTypes.StringType), row("s"));
    Row ref2020 = row(History.ts("2020-03-01T00:00:00Z"), "e1", "s");
    Dataset<Row> listings = rows(SilverTables.LISTING_TIMELINE_SCHEMA,
        // never went live: attributed to the seller of its blocked submission (2020)
        row("l1", null, "s", null, null, List.of(), List.of(ref2020)),
        row("l2", "s", "s", History.ts("2021-06-01T00:00:00Z"), null, List.of(), List.of()),
        row("l3", "other", "other", History.ts("2019-06-01T00:00:00Z"), null, List.of(), List.of()));
    Dataset<Row> orders = rows(SilverTables.ORDER_FACTS_SCHEMA,
        row("o1", "s", History.ts("2022-01-01T00:00:00Z"), 1L, false),
        row("o2", "other", History.ts("2018-01-01T00:00:00Z"), 1L, false));
    Dataset<Row> notices = rows(SilverTables.NOTICE_FACTS_SCHEMA,
        row("n1", "l2", "s", History.ts("2023-01-01T00:00:00Z"), "VALID", null));
    assertEquals(List.of(2020, 2021, 2022, 2023), years(TouchedYears.sellerYears(sellers, listings, orders, notices)));
  }

  private static Dataset<Row> yearRows(int... years) {
    return rows(new StructType().add("year", DataTypes.IntegerType),
        java.util.Arrays.stream(years).mapToObj(y -> row(y)).toArray(Row[]::new));
  }

  @Test
  void newlyCoveredYearsAndEveryCoveredYearFromAChangedBrandsEnrolmentAreReached() {
    Dataset<Row> brandsThen = rows(SilverTables.BRAND_FACTS_SCHEMA, row("X", History.ts("2019-05-01T00:00:00Z")));
    Dataset<Row> brandsNow = rows(SilverTables.BRAND_FACTS_SCHEMA, row("X", History.ts("2019-05-01T00:00:00Z")),
        row("Y", History.ts("2022-05-01T00:00:00Z")));
    // facts reach 2021; 2024 is newly covered; brand Y (2022) reaches 2022 and later covered years
    assertEquals(List.of(2021, 2022, 2023, 2024), years(TouchedYears.reached(yearRows(2021),
        yearRows(2020, 2021, 2022, 2023, 2024), yearRows(2020, 2021, 2022, 2023), brandsNow, brandsThen)));
    // same brands, same coverage: only the fact years
    assertEquals(List.of(2021), years(TouchedYears.reached(yearRows(2021),
        yearRows(2020, 2021), yearRows(2020, 2021), brandsThen, brandsThen)));
  }
}
