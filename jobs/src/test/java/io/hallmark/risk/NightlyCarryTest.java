package io.hallmark.risk;

import static io.hallmark.testing.SparkTestSupport.spark;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hallmark.config.HallmarkConfig;
import io.hallmark.jobs.NightlyStep;
import io.hallmark.jobs.StepResult;
import io.hallmark.lake.DeltaVersions;
import io.hallmark.testing.SparkTestSupport;
import io.hallmark.yearly.SilverJob;
import io.hallmark.yearly.YearlyStatsJob;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18, must show: a nightly whose seller features and yearly rows are partly carried from the night
 * before publishes exactly what a rebuild from scratch publishes, for a day with late events into earlier
 * years: a counterfeit complaint dated 2021 on a 2021 order, a catalog product delivered late, an order
 * that was already in bronze but dated after the previous cutoff, a block of an account linked to a
 * seller with nothing else new, and a new seller.
 */
class NightlyCarryTest {
  static final LocalDate NIGHT_1 = LocalDate.of(2024, 6, 1);
  static final LocalDate NIGHT_2 = LocalDate.of(2024, 6, 2);

  @TempDir Path nightly;
  @TempDir Path rebuilt;

  private static HallmarkConfig config(Path lake) {
    // a handful of sellers: night 2 touches most of them, which by default recomputes all of them
    return HallmarkConfig.defaults().with("hallmark.lake", lake.toString()).with("hallmark.features.max-touched-share", 1.0);
  }

  /** Six sellers and one linked account that is no seller, 2021-2024. */
  static RiskFixtures firstNight() {
    return new RiskFixtures()
        .brand("Lux", true).brand("Plain", false)
        .product("P1", "Lux", 400.0).product("P5", "Plain", 50.0)
        .authorization("Plain", "s5", "2023-01-01T00:00:00Z", null)
        .registered("s1", "2021-01-01T00:00:00Z", "US", "pay-1", null, null)
        .created("L1", "s1", "2021-03-01T00:00:00Z", "P1", "Lux", "jewellery", 100.0, "US")
        .order("o1", "L1", "s1", "2021-05-01T00:00:00Z", "INSTAGRAM", "aff-1")
        .order("o2", "L1", "s1", "2022-01-01T00:00:00Z", "INSTAGRAM", "aff-2")
        .registered("s2", "2022-01-01T00:00:00Z", "US", null, "dev-2", null)
        .created("L2", "s2", "2022-02-01T00:00:00Z", "P2", "Lux", "jewellery", 50.0, "US")
        .order("o3", "L2", "s2", "2023-01-01T00:00:00Z", "TIKTOK", "aff-1")
        .registered("s3", "2022-01-01T00:00:00Z", "US", null, null, null)
        .created("L3", "s3", "2022-03-01T00:00:00Z", "P1", "Lux", "jewellery", 380.0, "US")
        .order("o4", "L3", "s3", "2023-02-01T00:00:00Z", "INSTAGRAM", "aff-1")
        .order("o5", "L3", "s3", "2023-03-01T00:00:00Z", "INSTAGRAM", "aff-1")
        .complaint("o4", "2023-03-10T00:00:00Z", "COUNTERFEIT")
        .registered("s4", "2022-01-01T00:00:00Z", "US", null, "dev-2", null)
        .created("L4", "s4", "2022-04-01T00:00:00Z", "P5", "Plain", "home", 40.0, "CN")
        .order("o6", "L4", "s4", "2022-05-01T00:00:00Z", "DIRECT", null)
        .registered("s5", "2023-01-01T00:00:00Z", "US", "pay-5", null, null)
        .created("L5", "s5", "2023-02-01T00:00:00Z", "P5", "Plain", "home", 45.0, "US")
        .order("o7", "L5", "s5", "2023-03-01T00:00:00Z", "DIRECT", null)
        .registered("s6", "2023-01-01T00:00:00Z", "US", null, null, null)
        .created("L6", "s6", "2023-02-01T00:00:00Z", "P5", "Plain", "home", 45.0, "US")
        // delivered early (a clock ahead of ours): in bronze on night 1, but only visible from night 2's cutoff on
        .order("o8", "L6", "s6", "2024-06-02T10:00:00Z", "INSTAGRAM", "aff-3")
        .registered("x9", "2022-01-01T00:00:00Z", "US", "pay-5", null, null);
  }

  /** Night 2's delivery: late rows into 2021 and 2024. */
  static RiskFixtures secondNight() {
    return new RiskFixtures("night2-")
        .complaint("o1", "2021-06-01T00:00:00Z", "COUNTERFEIT")
        .product("P2", "Lux", 200.0)
        .accountEvent("x9", "BLOCKED", "2024-06-02T08:00:00Z", "COUNTERFEIT")
        .registered("s7", "2024-06-02T01:00:00Z", "US", null, null, null)
        .created("L7", "s7", "2024-06-02T02:00:00Z", "P1", "Lux", "jewellery", 90.0, "US");
  }

  private static final List<NightlyStep> STEPS = List.of(new SilverJob(), new YearlyStatsJob(), new FeaturesJob(), new ScoreJob());

  private static Map<String, StepResult> night(HallmarkConfig config, LocalDate date) throws Exception {
    Map<String, StepResult> results = new java.util.LinkedHashMap<>();
    for (NightlyStep step : STEPS) {
      results.put(step.name(), step.run(spark(), config, date));
    }
    return results;
  }

  private static Dataset<Row> table(HallmarkConfig config, String table) {
    return spark().read().format("delta").load(config.paths().gold(table));
  }

  private static Dataset<Row> onDate(HallmarkConfig config, String table, LocalDate date) {
    return table(config, table).filter(col("as_of").equalTo(java.sql.Date.valueOf(date)));
  }

  @Test
  void aNightOnCarriedFeaturesAndYearsPublishesWhatARebuildFromScratchPublishes() throws Exception {
    HallmarkConfig carried = config(nightly);
    firstNight().appendAsIngested(carried);
    night(carried, NIGHT_1);
    secondNight().appendAsIngested(carried);
    Map<String, StepResult> second = night(carried, NIGHT_2);

    // the same bronze, delivered at once, every table computed once on night 2
    HallmarkConfig scratch = config(rebuilt);
    firstNight().appendAsIngested(scratch);
    secondNight().appendAsIngested(scratch);
    Map<String, StepResult> rebuild = night(scratch, NIGHT_2);

    // night 2 really carried: 2023 kept (2022 is recomputed: x9, blocked now, registered then), and only these accounts recomputed (by hand): s1 (a
    // complaint on its order), s2 (its listing's product arrived), s6 (its order became visible), s7
    // (new), x9 (blocked; no seller); s3, s4 and s5 carried (s3's top tag aff-1 moved, s5's linked account
    // was blocked)
    assertEquals("incremental: years [2021, 2022, 2024] recomputed, the rest carried from version 0",
        second.get("yearly-stats").details().get("gold.yearly_stats"));
    Map<String, Object> features = DeltaVersions.lastCommit(spark(), carried.paths().gold(RiskTables.FEATURES))
        .orElseThrow().metadata();
    assertEquals("incremental", features.get(FeaturesJob.MODE));
    assertEquals(5, ((Number) features.get(FeaturesJob.SELLERS_RECOMPUTED)).intValue());
    assertEquals("full: first build", rebuild.get("seller-features").details().get("gold." + RiskTables.FEATURES));

    SparkTestSupport.assertSameRows(table(scratch, YearlyStatsJob.TABLE), table(carried, YearlyStatsJob.TABLE));
    SparkTestSupport.assertSameRows(onDate(scratch, RiskTables.FEATURES, NIGHT_2), onDate(carried, RiskTables.FEATURES, NIGHT_2));
    SparkTestSupport.assertSameRows(onDate(scratch, RiskTables.SCORES, NIGHT_2), onDate(carried, RiskTables.SCORES, NIGHT_2));

    // spot checks by hand on carried rows
    Row s3 = onDate(carried, RiskTables.FEATURES, NIGHT_2).filter(col("seller_id").equalTo("s3")).head();
    RiskSettings settings = RiskSettings.from(carried);
    // aff-1: o1, o3, o4, o5; counterfeit complaints on o4 and (late) o1
    double rate = (2 + settings.complaintPriorWeight() * settings.complaintPriorRate()) / (4 + settings.complaintPriorWeight());
    assertEquals(rate, s3.<Double>getAs("top_tag_complaint_rate"), 1e-15);
    Row s4 = onDate(carried, RiskTables.FEATURES, NIGHT_2).filter(col("seller_id").equalTo("s4")).head();
    double days = Duration.between(Instant.parse("2022-01-01T00:00:00Z"), Instant.parse("2024-06-03T00:00:00Z")).toSeconds() / 86400.0;
    assertEquals(days, s4.<Double>getAs("account_age_days"), 0.0);
    Row s5 = onDate(carried, RiskTables.FEATURES, NIGHT_2).filter(col("seller_id").equalTo("s5")).head();
    assertEquals(1.0, s5.<Double>getAs("linked_blocked_direct"), 0.0);
    assertEquals(7L, onDate(carried, RiskTables.FEATURES, NIGHT_2).count());
  }
}
