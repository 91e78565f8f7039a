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
 * seller with nothing else new, a new seller, and new accounts that change the link groups of sellers
 * with nothing new of their own: one links a blocked account into a group two fingerprint hops from a
 * carried seller, two more turn a shared address into a hub (cutting a carried seller off a blocked one).
 */
class NightlyCarryTest {
  static final LocalDate NIGHT_1 = LocalDate.of(2024, 6, 1);
  static final LocalDate NIGHT_2 = LocalDate.of(2024, 6, 2);

  @TempDir Path nightly;
  @TempDir Path rebuilt;

  private static HallmarkConfig config(Path lake) {
    // a handful of sellers: night 2 touches more accounts than there are sellers, which by default
    // recomputes all of them; a hub is any fingerprint of more than 3 accounts
    return HallmarkConfig.defaults().with("hallmark.lake", lake.toString()).with("hallmark.features.max-touched-share", 10.0)
        .with("hallmark.risk.graph.max-fingerprint-degree", 3);
  }

  /** Six sellers and three accounts that are no seller (two of them blocked), 2021-2024. */
  static RiskFixtures firstNight() {
    return new RiskFixtures()
        .brand("Lux", true).brand("Plain", false)
        .product("P1", "Lux", 400.0).product("P5", "Plain", 50.0)
        .authorization("Plain", "s5", "2023-01-01T00:00:00Z", null)
        .registered("s1", "2021-01-01T00:00:00Z", "US", "pay-1", null, null)
        .created("L1", "s1", "2021-03-01T00:00:00Z", "P1", "Lux", "jewellery", 100.0, "US")
        .order("o1", "L1", "s1", "2021-05-01T00:00:00Z", "INSTAGRAM", "aff-1")
        .order("o2", "L1", "s1", "2022-01-01T00:00:00Z", "INSTAGRAM", "aff-2")
        .registered("s2", "2022-01-01T00:00:00Z", "US", null, "dev-2", "adr-2")
        .created("L2", "s2", "2022-02-01T00:00:00Z", "P2", "Lux", "jewellery", 50.0, "US")
        .order("o3", "L2", "s2", "2023-01-01T00:00:00Z", "TIKTOK", "aff-1")
        .registered("s3", "2022-01-01T00:00:00Z", "US", null, null, "adr-h")
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
        .registered("x9", "2022-01-01T00:00:00Z", "US", "pay-5", null, null)
        // b1 blocked and linked to no one yet; b2 blocked and sharing s3's address
        .registered("b1", "2023-01-01T00:00:00Z", "US", "pay-b", null, null)
        .accountEvent("b1", "BLOCKED", "2023-05-01T00:00:00Z", "COUNTERFEIT")
        .registered("b2", "2023-01-01T00:00:00Z", "US", null, null, "adr-h")
        .accountEvent("b2", "BLOCKED", "2023-06-01T00:00:00Z", "FRAUD");
  }

  /** Night 2's delivery: late rows into 2021 and 2024. */
  static RiskFixtures secondNight() {
    return new RiskFixtures("night2-")
        .complaint("o1", "2021-06-01T00:00:00Z", "COUNTERFEIT")
        .product("P2", "Lux", 200.0)
        .accountEvent("x9", "BLOCKED", "2024-06-02T08:00:00Z", "COUNTERFEIT")
        .registered("s7", "2024-06-02T01:00:00Z", "US", null, null, null)
        .created("L7", "s7", "2024-06-02T02:00:00Z", "P1", "Lux", "jewellery", 90.0, "US")
        // n1 shares b1's card and s2's address: b1 joins the group of s2 and s4 (s4 only through s2's device)
        .registered("n1", "2024-06-02T03:00:00Z", "US", "pay-b", null, "adr-2")
        // s3's address now has 4 accounts: a hub, so s3 is no longer linked to b2
        .registered("h1", "2024-06-02T04:00:00Z", "US", null, null, "adr-h")
        .registered("h2", "2024-06-02T05:00:00Z", "US", null, null, "adr-h");
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
    // (new), x9 (blocked; no seller), n1, h1, h2 (new, no sellers); s3, s4 and s5 carried (s3's top tag
    // aff-1 moved, s5's linked account was blocked, s3's and s4's groups changed)
    assertEquals("incremental: years [2021, 2022, 2024] recomputed, the rest carried from version 0",
        second.get("yearly-stats").details().get("gold.yearly_stats"));
    Map<String, Object> features = DeltaVersions.lastCommit(spark(), carried.paths().gold(RiskTables.FEATURES))
        .orElseThrow().metadata();
    assertEquals("incremental", features.get(FeaturesJob.MODE));
    assertEquals(8, ((Number) features.get(FeaturesJob.SELLERS_RECOMPUTED)).intValue());
    // the link features recomputed in the reached groups only: {x9, s5}, {s2, s4, n1, b1}, s3 and b2 (their
    // address became a hub), and h1, h2, s7 (new); s1 and s6 carried
    assertEquals(11, ((Number) features.get(FeaturesJob.LINK_ACCOUNTS_RECOMPUTED)).intValue());
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
    // night 1: s3 shared its address with blocked b2, s4 was in no group with a blocked account
    Row s3Before = onDate(carried, RiskTables.FEATURES, NIGHT_1).filter(col("seller_id").equalTo("s3")).head();
    assertEquals(List.of(1.0, 1.0), List.of(s3Before.<Double>getAs("linked_blocked_direct"), s3Before.<Double>getAs("linked_blocked_group")));
    Row s4Before = onDate(carried, RiskTables.FEATURES, NIGHT_1).filter(col("seller_id").equalTo("s4")).head();
    assertEquals(List.of(0.0, 0.0), List.of(s4Before.<Double>getAs("linked_blocked_direct"), s4Before.<Double>getAs("linked_blocked_group")));
    // night 2: the hub cut s3 off; b1 is in s4's group (through n1 and s2) but shares nothing with s4
    assertEquals(List.of(0.0, 0.0), List.of(s3.<Double>getAs("linked_blocked_direct"), s3.<Double>getAs("linked_blocked_group")));
    assertEquals(List.of(0.0, 1.0), List.of(s4.<Double>getAs("linked_blocked_direct"), s4.<Double>getAs("linked_blocked_group")));
    assertEquals(7L, onDate(carried, RiskTables.FEATURES, NIGHT_2).count());
  }
}
