package io.hallmark.risk;

import static io.hallmark.testing.SparkTestSupport.spark;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hallmark.config.HallmarkConfig;
import io.hallmark.lake.Bronze;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** The reasons' sentences on a hand-built lake whose counts are worked out by hand below. */
class RiskReasonsTest {
  static final LocalDate AS_OF = SellerFeaturesTest.AS_OF;

  /**
   * S1: 10 orders, 8 through tag inf1, 3 counterfeit complaints (all on inf1 orders); shares pay-1 with
   * B1, B2 (blocked COUNTERFEIT) and dev-1 with B3 (blocked FRAUD), B5 (blocked COUNTERFEIT) and B4 (blocked,
   * then reinstated).
   * S2: 10 orders, 2 through inf1, no complaint, no shared fingerprint. Marketplace: 3 complaints on
   * 20 orders (15 %); inf1: 10 orders across 2 sellers, 3 complaints (30 %).
   */
  static RiskFixtures lake() {
    RiskFixtures f = new RiskFixtures()
        .registered("S1", "2024-01-01T00:00:00Z", "US", "pay-1", "dev-1", null)
        .registered("S2", "2023-01-01T00:00:00Z", "US", null, null, null)
        .registered("B1", "2023-06-01T00:00:00Z", "US", "pay-1", null, null)
        .registered("B2", "2023-06-01T00:00:00Z", "US", "pay-1", null, null)
        .registered("B3", "2023-06-01T00:00:00Z", "US", null, "dev-1", null)
        .registered("B4", "2023-06-01T00:00:00Z", "US", null, "dev-1", null)
        .registered("B5", "2023-06-01T00:00:00Z", "US", null, "dev-1", null)
        .accountEvent("B1", "BLOCKED", "2024-02-01T00:00:00Z", "COUNTERFEIT")
        .accountEvent("B2", "BLOCKED", "2024-02-02T00:00:00Z", "COUNTERFEIT")
        .accountEvent("B3", "BLOCKED", "2024-02-03T00:00:00Z", "FRAUD")
        .accountEvent("B4", "BLOCKED", "2024-02-04T00:00:00Z", "COUNTERFEIT")
        .accountEvent("B4", "REINSTATED", "2024-02-05T00:00:00Z", null)
        .accountEvent("B5", "BLOCKED", "2024-02-06T00:00:00Z", "COUNTERFEIT")
        .brand("PLAIN", false).product("P2", "PLAIN", 50.0)
        .created("L1", "S1", "2024-01-05T10:00:00Z", "P2", "PLAIN", "Home", 50.0, "US")
        .created("L2", "S2", "2024-01-10T00:00:00Z", "P2", "PLAIN", "Home", 50.0, "US");
    for (int i = 1; i <= 10; i++) {
      f.order("O" + i, "L1", "S1", "2024-02-10T00:00:00Z", "SEARCH", i <= 8 ? "inf1" : null);
      f.order("O" + (10 + i), "L2", "S2", "2024-02-10T00:00:00Z", "SEARCH", i <= 2 ? "inf1" : null);
    }
    return f.complaint("O1", "2024-02-20T00:00:00Z", "COUNTERFEIT")
        .complaint("O2", "2024-02-20T00:00:00Z", "COUNTERFEIT")
        .complaint("O3", SellerFeaturesTest.LAST_MS, "COUNTERFEIT")
        .complaint("O4", SellerFeaturesTest.NEXT_DAY, "COUNTERFEIT") // after as_of: not evidence
        .complaint("O5", "2024-02-20T00:00:00Z", "DAMAGED");
  }

  private static Row of(List<Row> rows, String seller) {
    return rows.stream().filter(r -> r.getString(0).equals(seller)).findFirst().orElseThrow();
  }

  @Test
  void eachTopReasonIsASentenceWithTheSellersValueTheMarketplaceAndTheEvidence() {
    Bronze bronze = lake().bronze();
    Dataset<Row> dates = RiskTables.asOfDates(spark(), List.of(AS_OF));
    Dataset<Row> features = SellerFeatures.compute(bronze, dates, SellerFeaturesTest.PARAMS);
    RiskModel model = RiskModel.fromConfig(HallmarkConfig.defaults());
    List<Row> rows = RiskReasons.explain(model.score(features), features,
        RiskReasons.evidence(bronze, dates, SellerFeaturesTest.PARAMS)).collectAsList();
    assertEquals(2, rows.size(), "S1 and S2 list; the blocked accounts do not");
    assertEquals(RiskReasons.SCORE_COLUMNS, List.of(RiskTables.SCORES_SCHEMA.fieldNames()));

    // conf default contributions of S1: linked 2 * 4 = 8.0; own rate 60 * ((3 + 0.2) / 30 - 0.01) = 5.8;
    // tag rate 40 * ((3 + 0.2) / 30 - 0.01) = 3.87; group 0.5 * 4 = 2.0; top tag share 2 * 0.8 = 1.6
    Row s1 = of(rows, "S1");
    assertEquals("linked_blocked_direct", s1.getAs("reason_1"));
    assertEquals(8.0, s1.<Double>getAs("contribution_1"), 1e-9);
    // the marketplace average is over the two scored sellers: (4 + 0) / 2
    assertEquals("shares a payment card with 2 accounts blocked for COUNTERFEIT, a device with 2 blocked accounts"
        + " (1 COUNTERFEIT, 1 FRAUD); 4 distinct blocked accounts, marketplace average 2.00", s1.getAs("evidence_1"));
    assertEquals("counterfeit_complaint_rate", s1.getAs("reason_2"));
    assertEquals(5.8, s1.<Double>getAs("contribution_2"), 1e-9);
    assertEquals("3 counterfeit complaints on 10 orders (30 %); marketplace 15 %", s1.getAs("evidence_2"));
    assertEquals("top_tag_complaint_rate", s1.getAs("reason_3"));
    assertEquals("80 % of orders came through one referral tag whose 10 orders across 2 sellers drew 30 %"
        + " counterfeit complaints; marketplace 15 %", s1.getAs("evidence_3"));

    // S2 sends 2 of its 10 orders through the same tag: the tag's reach is the same, its own share is not
    Row s2 = of(rows, "S2");
    assertEquals("top_tag_complaint_rate", s2.getAs("reason_1"));
    assertEquals("20 % of orders came through one referral tag whose 10 orders across 2 sellers drew 30 %"
        + " counterfeit complaints; marketplace 15 %", s2.getAs("evidence_1"));
    assertEquals("top_tag_share", s2.getAs("reason_2"));
  }

  @Test
  void earlyLuxuryListingsAndATagSharedWithBlockedSellersReadAsEvidence() {
    Bronze bronze = SellerFeaturesTest.tagLake().bronze();
    Dataset<Row> dates = RiskTables.asOfDates(spark(), List.of(AS_OF));
    Dataset<Row> features = SellerFeatures.compute(bronze, dates, SellerFeaturesTest.PARAMS);
    // a model that weighs only the two features, so they are the top reasons
    java.util.Map<String, Double> weights = new java.util.LinkedHashMap<>();
    java.util.Map<String, Double> baselines = new java.util.LinkedHashMap<>();
    for (String f : SellerFeatures.FEATURES) {
      weights.put(f, f.equals("top_tag_blocked_share") ? 10.0 : f.equals("luxury_listings_first_30d") ? 1.0 : 0.0);
      baselines.put(f, 0.0);
    }
    RiskModel model = new RiskModel("two", null, -3, weights, baselines, java.util.Map.of(),
        new RiskModel.Bands(0.1, 0.2, 0.3), RiskModel.Calibration.NONE);
    List<Row> rows = RiskReasons.explain(model.score(features), features,
        RiskReasons.evidence(bronze, dates, SellerFeaturesTest.PARAMS)).collectAsList();
    Row y = of(rows, "Y");
    // Y: luxury 2 * 1.0 = 2.0; tag 10 * 3 / 28 = 1.07
    assertEquals("luxury_listings_first_30d", y.getAs("reason_1"));
    // average over the four scored sellers (Y, B1, B2, H): (2 + 0 + 0 + 0) / 4
    assertEquals("2 listings in its first 30 days in luxury brands it is not authorised for or unbranded jewellery,"
        + " watches or bags; marketplace average 0.5", y.getAs("evidence_1"));
    assertEquals("top_tag_blocked_share", y.getAs("reason_2"));
    // the others' 8 orders through @h, B1's 3 at a blocked seller; average of 3/28, 0 (B1), 3/26 (B2), 3/29 (H)
    assertEquals("of the 8 orders other sellers received through its top referral tag, 38 % went to 1 seller blocked"
        + " (COUNTERFEIT, FRAUD or RELATED_ACCOUNT); marketplace average 8.1 %", y.getAs("evidence_2"));
    // B2 is blocked for POLICY (no link reason): B1 is still the only other blocked seller of @h
    assertEquals("of the 6 orders other sellers received through its top referral tag, 50 % went to 1 seller blocked"
        + " (COUNTERFEIT, FRAUD or RELATED_ACCOUNT); marketplace average 8.1 %", of(rows, "B2").getAs("evidence_1"));
  }

  @Test
  void percentagesKeepADecimalBelowTenPercent() {
    List<Row> r = spark().sql("select 0.004 as a, 0.22 as b, 0.0995 as c, cast(null as double) as d")
        .select(RiskReasons.percent(org.apache.spark.sql.functions.col("a")),
            RiskReasons.percent(org.apache.spark.sql.functions.col("b")),
            RiskReasons.percent(org.apache.spark.sql.functions.col("c")),
            RiskReasons.percent(org.apache.spark.sql.functions.col("d"))).collectAsList();
    assertEquals("0.4 %", r.get(0).getString(0));
    assertEquals("22 %", r.get(0).getString(1));
    assertEquals("10 %", r.get(0).getString(2));
    assertEquals("n/a", r.get(0).getString(3));
  }
}
