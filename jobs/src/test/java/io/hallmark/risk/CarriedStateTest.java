package io.hallmark.risk;

import static io.hallmark.testing.SparkTestSupport.row;
import static io.hallmark.testing.SparkTestSupport.spark;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.delta.tables.DeltaTable;
import io.hallmark.config.HallmarkConfig;
import io.hallmark.ingest.IngestLake;
import io.hallmark.jobs.StepResult;
import io.hallmark.lake.BronzeSchemas;
import io.hallmark.testing.SparkTestSupport;
import io.hallmark.yearly.DeltaVersions;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The features' states carried from night to night (order counts, folded listing events) equal a
 * recount of all of bronze: by hand on the transforms, and through the job over a Delta lake whose
 * bronze gains late orders, complaints and listing events, with the recount fallbacks (backfill of an
 * earlier date, rows removed from bronze, switched off).
 */
class CarriedStateTest {
  static final LocalDate D = SellerFeaturesTest.AS_OF;
  @TempDir Path lake;

  static final StructType COUNTS = new StructType()
      .add("seller_id", "string").add("referral_tag", "string")
      .add("orders", "long").add("external", "long").add("cf", "long");

  /** Delivered after the run for D - 1: a late order and a late complaint (before its cutoff), and day D's rows. */
  static RiskFixtures secondDelivery() {
    return new RiskFixtures()
        .order("O5", "L4", "S2", "2024-02-20T00:00:00Z", "TIKTOK", "inf2")   // late: before D - 1's cutoff
        .order("O6", "L1", "S1", "2024-03-10T12:00:00Z", "DIRECT", null)     // on D
        .complaint("O4", "2024-03-09T12:00:00Z", "COUNTERFEIT")             // late, on an order counted at D - 1
        .complaint("O5", "2024-03-10T06:00:00Z", "COUNTERFEIT")             // on D, on the late order
        .listingEvent("L4", "S2", "UPDATED", "2024-03-05T00:00:00Z", 20.0, null)   // late: before D - 1's cutoff
        .created("L4", "S2", "2024-01-09T00:00:00Z", "P2", "PLAIN", "Home", 55.0, "FR") // late, before L4's known CREATED
        .listingEvent("L1", "S1", "UPDATED", "2024-03-10T09:00:00Z", 42.0, null)   // on D
        .created("L7", "S2", "2024-03-10T08:00:00Z", "P1", "LUX", "Bags", 30.0, "CN"); // on D
  }

  /**
   * The listings at D over both deliveries, by hand: L1 repriced on D (its update after D ignored); L4
   * created at the late CREATED's earlier time, repriced by the late update, still shipping from the
   * later CREATED's US; L7 created on D; L3, L5 and L6 are created after D.
   */
  static final List<Row> LISTINGS_AT_D = List.of(
      row(java.sql.Date.valueOf(D), "L1", "S1", "P1", "LUX", "Bags", RiskFixtures.ts("2024-01-05T10:00:00Z"), 42.0, "CN", 2L),
      row(java.sql.Date.valueOf(D), "L2", "S1", "P9", null, "Watch", RiskFixtures.ts(SellerFeaturesTest.LAST_MS), 10.0, "US", 0L),
      row(java.sql.Date.valueOf(D), "L4", "S2", "P2", "PLAIN", "Home", RiskFixtures.ts("2024-01-09T00:00:00Z"), 20.0, "US", 1L),
      row(java.sql.Date.valueOf(D), "L7", "S2", "P1", "LUX", "Bags", RiskFixtures.ts("2024-03-10T08:00:00Z"), 30.0, "CN", 0L));

  @Test
  void theListingFoldAtTheLastCutoffMergedWithTheNewEventsGivesTheHandListedStates() {
    Dataset<Row> first = SellerFeaturesTest.history().bronze().listingEvents();
    Dataset<Row> added = secondDelivery().bronze().listingEvents();
    java.sql.Timestamp from = OrderCountState.cutoff(D.minusDays(1));
    java.sql.Timestamp to = OrderCountState.cutoff(D);
    Dataset<Row> foldAtDMinus1 = ListingState.fold(ListingState.foldable(first).filter(col("event_time").lt(from)));
    Dataset<Row> merged = ListingState.merge(foldAtDMinus1,
        ListingState.fold(ListingState.newEvents(first.unionByName(added), added, from, to)));
    SparkTestSupport.assertRows(LISTINGS_AT_D,
        ListingState.listings(merged.withColumn("as_of", lit(java.sql.Date.valueOf(D)))));
    // and what the listing states of all events at once are (the recount)
    SparkTestSupport.assertRows(LISTINGS_AT_D, SellerFeatures.listingStates(first.unionByName(added),
        RiskTables.asOfDates(spark(), List.of(D))));
  }

  /**
   * Counts at D - 1's cutoff (2024-03-10 00:00) over the first delivery, by hand: O1 (inf1, INSTAGRAM;
   * its complaint comes at D's last ms) and O4 (inf1, INSTAGRAM, one COUNTERFEIT on 02-10, one DAMAGED);
   * O2 (D's last ms) and O3 (after D) not yet.
   */
  static final List<Row> COUNTS_AT_D_MINUS_1 = List.of(
      row("S1", "inf1", 1L, 1L, 0L),
      row("S2", "inf1", 1L, 1L, 1L));

  /**
   * Counts at D's cutoff (2024-03-11 00:00) over both deliveries, by hand: S1/inf1 gains O1's complaint
   * of D; S1 untagged is O2 (SEARCH; its complaint is after D) and O6 (DIRECT); S2/inf1 gains the late
   * complaint on O4; S2/inf2 is the late order O5 (TIKTOK) with its complaint of D.
   */
  static final List<Row> COUNTS_AT_D = List.of(
      row("S1", "inf1", 1L, 1L, 1L),
      row("S1", null, 2L, 0L, 0L),
      row("S2", "inf1", 1L, 1L, 2L),
      row("S2", "inf2", 1L, 1L, 1L));

  @Test
  void theStatePlusTheDeltaIsTheHandCountedTotalAndARecountAgrees() {
    RiskTables.Bronze first = SellerFeaturesTest.history().bronze();
    RiskTables.Bronze added = secondDelivery().bronze();
    Dataset<Row> orders = first.orders().unionByName(added.orders());
    Dataset<Row> complaints = first.complaints().unionByName(added.complaints());

    Dataset<Row> delta = OrderCountState.delta(orders, complaints, added.orders(), added.complaints(),
        OrderCountState.cutoff(D.minusDays(1)), OrderCountState.cutoff(D), 10);
    Dataset<Row> advanced = OrderCountState.advance(spark().createDataFrame(COUNTS_AT_D_MINUS_1, COUNTS), delta);
    SparkTestSupport.assertRows(COUNTS_AT_D, advanced);
    // a pair without a tag is merged with its own counts (null matches null), the others kept as they are
    SparkTestSupport.assertRows(List.of(
            row("S1", "inf1", 1L, 1L, 1L),
            row("S1", null, 3L, 0L, 1L),
            row("S2", "inf1", 1L, 1L, 2L),
            row("S2", "inf2", 1L, 1L, 1L)),
        OrderCountState.advance(spark().createDataFrame(COUNTS_AT_D, COUNTS),
            spark().createDataFrame(List.of(row("S1", null, 1L, 0L, 0L), row("S1", null, 0L, 0L, 1L)), COUNTS)));

    // the hand values are what the recount (SellerFeatures.sellerTagOrders) gives, at both cutoffs;
    // and without broadcasting the complaints the delta is the same
    SparkTestSupport.assertRows(COUNTS_AT_D_MINUS_1, OrderCountState.recount(first.orders(), first.complaints(),
        RiskTables.asOfDates(spark(), List.of(D.minusDays(1))), 10));
    SparkTestSupport.assertRows(COUNTS_AT_D, OrderCountState.recount(orders, complaints,
        RiskTables.asOfDates(spark(), List.of(D)), 10));
    SparkTestSupport.assertRows(COUNTS_AT_D, OrderCountState.advance(spark().createDataFrame(COUNTS_AT_D_MINUS_1, COUNTS),
        OrderCountState.delta(orders, complaints, added.orders(), added.complaints(),
            OrderCountState.cutoff(D.minusDays(1)), OrderCountState.cutoff(D), 0)));
  }

  private HallmarkConfig config() {
    return HallmarkConfig.defaults().with("hallmark.lake", lake.toString());
  }

  /** Appended to bronze tables created as ingest creates them (change data feed on). */
  private void deliver(RiskFixtures delivery) {
    new IngestLake(spark(), config().paths()).ensureBronzeTables();
    RiskTables.Bronze b = delivery.bronze();
    append(b.accountEvents(), BronzeSchemas.ACCOUNT_EVENTS);
    append(b.listingEvents(), BronzeSchemas.LISTING_EVENTS);
    append(b.orders(), BronzeSchemas.ORDERS);
    append(b.complaints(), BronzeSchemas.COMPLAINTS);
    append(b.notices(), BronzeSchemas.NOTICES);
    append(b.brands(), BronzeSchemas.BRANDS);
    append(b.catalog(), BronzeSchemas.CATALOG);
    append(b.authorizations(), BronzeSchemas.AUTHORIZATIONS);
  }

  private void append(Dataset<Row> rows, String table) {
    if (!rows.isEmpty()) {
      rows.write().format("delta").mode("append").save(config().paths().bronze(table));
    }
  }

  private StepResult features(HallmarkConfig config, LocalDate asOf) {
    return new FeaturesJob().run(spark(), config, asOf);
  }

  private Dataset<Row> state() {
    return spark().read().format("delta").load(RiskTables.orderCountStatePath(config()));
  }

  /** What the features of {@code asOf} are when every order is recounted (the multi-date path). */
  private Dataset<Row> recounted(LocalDate asOf) {
    return FeaturesJob.compute(spark(), config(), RiskSettings.from(config()), List.of(asOf));
  }

  @Test
  void theNightlyCarriesTheCountsForwardAndPublishesWhatARecountGives() {
    deliver(SellerFeaturesTest.history());
    assertEquals("full: no state yet", features(config(), D.minusDays(1)).details().get("order_counts"));
    SparkTestSupport.assertRows(COUNTS_AT_D_MINUS_1, state());

    deliver(secondDelivery());
    StepResult night = features(config(), D);
    assertEquals("incremental: advanced from cutoff 2024-03-10T00:00:00Z", night.details().get("order_counts"));
    assertEquals("incremental: advanced from cutoff 2024-03-10T00:00:00Z", night.details().get("listing_states"));
    SparkTestSupport.assertRows(COUNTS_AT_D, state());
    SparkTestSupport.assertRows(LISTINGS_AT_D, ListingState.listings(spark().read().format("delta")
        .load(RiskTables.listingStatePath(config())).withColumn("as_of", lit(java.sql.Date.valueOf(D)))));
    SparkTestSupport.assertSameRows(recounted(D), RiskTables.readFeatures(spark(), config(), D));
    List<Row> published = RiskTables.readFeatures(spark(), config(), D).collectAsList();

    // a rerun of D advances from D's own cutoff by nothing
    assertEquals("incremental: advanced from cutoff 2024-03-11T00:00:00Z",
        features(config(), D).details().get("order_counts"));
    SparkTestSupport.assertRows(published, RiskTables.readFeatures(spark(), config(), D));
    SparkTestSupport.assertRows(COUNTS_AT_D, state());

    // a backfill of an earlier date recounts and leaves the state at D
    assertEquals("full: the state counts to 2024-03-11T00:00:00Z, after this cutoff 2024-03-06T00:00:00Z",
        features(config(), D.minusDays(5)).details().get("order_counts"));
    SparkTestSupport.assertSameRows(recounted(D.minusDays(5)), RiskTables.readFeatures(spark(), config(), D.minusDays(5)));
    assertEquals("2024-03-11T00:00:00Z", DeltaVersions.lastCommit(spark(), RiskTables.orderCountStatePath(config()))
        .orElseThrow().metadata().get(CarriedState.CUTOFF));
    SparkTestSupport.assertRows(COUNTS_AT_D, state());
  }

  @Test
  void rowsRemovedFromBronzeOrASwitchedOffStateMakeTheJobRecount() {
    deliver(SellerFeaturesTest.history());
    deliver(secondDelivery());
    features(config(), D.minusDays(1));
    // what ingest does to the rows of a run that was killed while publishing
    DeltaTable.forPath(spark(), config().paths().bronze(BronzeSchemas.ORDERS)).delete(col("order_id").equalTo("O5"));
    StepResult night = features(config(), D);
    assertEquals("full: bronze orders had rows deleted or updated since the state (a killed ingest run removed)",
        night.details().get("order_counts"));
    // the listing events lost nothing: that state still advances
    assertEquals("incremental: advanced from cutoff 2024-03-10T00:00:00Z", night.details().get("listing_states"));
    SparkTestSupport.assertRows(List.of(
        row("S1", "inf1", 1L, 1L, 1L),
        row("S1", null, 2L, 0L, 0L),
        row("S2", "inf1", 1L, 1L, 2L)), state());
    SparkTestSupport.assertSameRows(recounted(D), RiskTables.readFeatures(spark(), config(), D));

    long stateVersion = DeltaVersions.latest(spark(), RiskTables.orderCountStatePath(config())).orElseThrow();
    HallmarkConfig off = config().with("hallmark.risk.features.incremental", false);
    StepResult switchedOff = features(off, D);
    assertEquals("full: hallmark.risk.features.incremental is off", switchedOff.details().get("order_counts"));
    assertEquals("full: hallmark.risk.features.incremental is off", switchedOff.details().get("listing_states"));
    assertEquals(stateVersion, DeltaVersions.latest(spark(), RiskTables.orderCountStatePath(config())).orElseThrow());
    SparkTestSupport.assertSameRows(recounted(D), RiskTables.readFeatures(spark(), config(), D));
  }
}
