package io.hallmark.risk;

import static io.hallmark.testing.SparkTestSupport.spark;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hallmark.lake.Bronze;
import io.hallmark.config.HallmarkConfig;
import io.hallmark.config.JobFailure;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "As known then": a complaint (and an order) that arrive after the date's nightly do not change that
 * date's score backfilled as known, while they do change it backfilled in event time.
 */
class AsKnownTest {
  static final LocalDate D = LocalDate.of(2024, 3, 10);
  static final LocalDate LATER = LocalDate.of(2024, 3, 20);

  @TempDir Path lake;

  /** Ingested by the run of 2024-03-10: S1 with 4 orders and one counterfeit complaint, S2 with 4 orders. */
  static RiskFixtures onTime() {
    RiskFixtures f = new RiskFixtures("", "ingest-2024-03-10-1")
        .registered("S1", "2024-01-01T00:00:00Z", "US", null, null, null)
        .registered("S2", "2024-01-01T00:00:00Z", "US", null, null, null)
        .created("L1", "S1", "2024-01-05T00:00:00Z", "P1", null, "Home", 10.0, "US")
        .created("L2", "S2", "2024-01-05T00:00:00Z", "P1", null, "Home", 10.0, "US");
    for (int i = 1; i <= 4; i++) {
      f.order("O" + i, "L1", "S1", "2024-02-10T00:00:00Z", "SEARCH", null);
      f.order("O1" + i, "L2", "S2", "2024-02-10T00:00:00Z", "SEARCH", null);
    }
    return f.complaint("O1", "2024-03-01T00:00:00Z", "COUNTERFEIT");
  }

  /**
   * Ingested by the run of 2024-03-20, both with times before the end of 2024-03-10: a counterfeit complaint on
   * O2 (2024-03-05) and an order O5 (2024-03-08).
   */
  static RiskFixtures late() {
    return new RiskFixtures("late-", "ingest-2024-03-20-1")
        .order("O5", "L1", "S1", "2024-03-08T00:00:00Z", "SEARCH", null)
        .complaint("O2", "2024-03-05T00:00:00Z", "COUNTERFEIT");
  }

  private static List<String> content(Dataset<Row> df) {
    List<String> out = new ArrayList<>();
    for (Row r : df.collectAsList()) {
      out.add(r.toString());
    }
    out.sort(null);
    return out;
  }

  private static double rateOf(Dataset<Row> features, String seller, LocalDate asOf) {
    return features.filter("seller_id = '" + seller + "' and as_of = date'" + asOf + "'")
        .select("counterfeit_complaint_rate").head().getDouble(0);
  }

  private static void score(HallmarkConfig config, LocalDate date, boolean asKnown) throws Exception {
    new FeaturesJob(asKnown).run(spark(), config, date);
    new ScoreJob(null, asKnown).run(spark(), config, date);
  }

  @Test
  void aLateComplaintChangesTheEventTimeBackfillButNotTheAsKnownOne() throws Exception {
    HallmarkConfig config = HallmarkConfig.defaults().with("hallmark.lake", lake.toString());
    RiskFixtures onTime = onTime();
    onTime.appendAsIngested(config);
    onTime.recordRun(config, D);
    // the nightly of D: S1's rate (1 + 20 * 0.01) / (4 + 20) = 0.05
    score(config, D, false);
    List<String> published = content(RiskTables.readScores(spark(), config, D));
    assertEquals(0.05, rateOf(RiskTables.readFeatures(spark(), config, D), "S1", D), 1e-12);

    RiskFixtures late = late();
    late.appendAsIngested(config);
    late.recordRun(config, LATER);

    // backfilled in event time: 2 complaints on 5 orders, (2 + 0.2) / (5 + 20) = 0.088, and another score
    score(config, D, false);
    assertEquals(0.088, rateOf(RiskTables.readFeatures(spark(), config, D), "S1", D), 1e-12);
    assertNotEquals(published, content(RiskTables.readScores(spark(), config, D)));

    // backfilled as known: exactly what the nightly of D published
    score(config, D, true);
    assertEquals(0.05, rateOf(RiskTables.readFeatures(spark(), config, D), "S1", D), 1e-12);
    assertEquals(published, content(RiskTables.readScores(spark(), config, D)));

    // a backtest over both dates as known on each: D without the late rows, 2024-03-20 with them
    Bronze eachDate = RiskTables.asKnownOnEachDate(spark(), config, io.hallmark.lake.BronzeReader.readBronze(spark(), config.paths(), RiskTables.BRONZE_TABLES, null), LATER);
    Dataset<Row> both = SellerFeatures.compute(eachDate, RiskTables.asOfDates(spark(), List.of(D, LATER)),
        SellerFeatures.Params.of(RiskSettings.from(config)));
    assertEquals(0.05, rateOf(both, "S1", D), 1e-12);
    assertEquals(0.088, rateOf(both, "S1", LATER), 1e-12);
    assertEquals((0 + 0.2) / 24, rateOf(both, "S2", D), 1e-12);
  }

  @Test
  void rowsOfARunNotRecordedInIngestRunsCannotBeReadAsKnown() {
    HallmarkConfig config = HallmarkConfig.defaults().with("hallmark.lake", lake.toString());
    JobFailure e = assertThrows(JobFailure.class, () -> RiskTables.knownBy(spark(), config, onTime().bronze(), D));
    assertEquals("cannot read bronze.account_events as known then: its rows of ingest run(s) [ingest-2024-03-10-1] have"
        + " no finished run in ops/ingest_runs, so when they arrived is unknown (use event time: drop --as-known)",
        e.getMessage());
  }
}
