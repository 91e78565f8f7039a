package io.hallmark.risk;

import static io.hallmark.testing.SparkTestSupport.spark;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Point-in-time features on a hand-built history around the end of 2024-03-10 (UTC). */
class SellerFeaturesTest {
  static final LocalDate AS_OF = LocalDate.of(2024, 3, 10);
  static final String LAST_MS = "2024-03-10T23:59:59.999Z";
  static final String NEXT_DAY = "2024-03-11T00:00:00Z";
  static final SellerFeatures.Params PARAMS = new SellerFeatures.Params(0.01, 20, 25, 10, "jewel|watch|bag", 1000);

  static RiskFixtures history() {
    return new RiskFixtures()
        .registered("S1", "2024-01-01T00:00:00Z", "US", "pay-1", null, null)
        .registered("S2", "2024-01-02T00:00:00Z", "US", null, null, null)
        .brand("LUX", true).brand("PLAIN", false)
        .product("P1", "LUX", 100.0).product("P2", "PLAIN", 50.0)
        // S1: a cheap unauthorised luxury bag shipped from CN, an unbranded watch listed in the last millisecond
        .created("L1", "S1", "2024-01-05T10:00:00Z", "P1", "LUX", "Bags", 40.0, "CN")
        .listingEvent("L1", "S1", "UPDATED", "2024-02-01T00:00:00Z", 45.0, null)
        .listingEvent("L1", "S1", "UPDATED", NEXT_DAY, 200.0, null) // after as_of: ignored
        .created("L2", "S1", LAST_MS, "P9", null, "Watch", 10.0, "US")
        .created("L3", "S1", NEXT_DAY, "P1", "LUX", "Bags", 1.0, "CN") // after as_of: ignored
        .created("L4", "S2", "2024-01-10T00:00:00Z", "P2", "PLAIN", "Home", 50.0, "US")
        // L6: its update is delivered with an earlier timestamp than its creation (after as_of): not a listing yet
        .listingEvent("L6", "S2", "UPDATED", "2024-03-01T00:00:00Z", 1.0, null)
        .created("L6", "S2", NEXT_DAY, "P2", "PLAIN", "Home", 1.0, "US")
        // S3 only lists after as_of: not scored
        .created("L5", "S3", NEXT_DAY, "P2", "PLAIN", "Home", 50.0, "US")
        .order("O1", "L1", "S1", "2024-02-02T00:00:00Z", "INSTAGRAM", "inf1")
        .order("O2", "L1", "S1", LAST_MS, "SEARCH", null)
        .order("O3", "L1", "S1", NEXT_DAY, "TIKTOK", "inf1") // after as_of: ignored
        .order("O4", "L4", "S2", "2024-02-05T00:00:00Z", "INSTAGRAM", "inf1")
        .complaint("O1", LAST_MS, "COUNTERFEIT")
        .complaint("O2", NEXT_DAY, "COUNTERFEIT") // after as_of: ignored
        .complaint("O4", "2024-02-10T00:00:00Z", "COUNTERFEIT")
        .complaint("O4", "2024-02-11T00:00:00Z", "DAMAGED")
        .notice("LUX", "L1", "COUNTERFEIT", "2024-03-01T00:00:00Z", "VALID", LAST_MS)
        .notice("LUX2", "L1", "TRADEMARK", "2024-03-05T00:00:00Z", "VALID", NEXT_DAY) // outcome not yet known
        .notice("LUX3", "L1", "COUNTERFEIT", NEXT_DAY, "VALID", NEXT_DAY); // after as_of: ignored
  }

  static Map<String, Double> featuresOf(List<Row> rows, String seller) {
    for (Row r : rows) {
      if (r.getString(r.fieldIndex("seller_id")).equals(seller)) {
        Map<String, Double> out = new TreeMap<>();
        for (String f : SellerFeatures.FEATURES) {
          out.put(f, r.getDouble(r.fieldIndex(f)));
        }
        return out;
      }
    }
    throw new AssertionError("no features for " + seller);
  }

  @Test
  void featuresSeeEventsUpToTheLastMillisecondOfAsOfAndNothingAfter() {
    List<Row> rows = SellerFeatures.compute(history().bronze(), RiskTables.asOfDates(spark(), List.of(AS_OF)), PARAMS)
        .collectAsList();
    assertEquals(2, rows.size(), "S1 and S2 are scored; S3's first listing is at as_of + 1 day 00:00");
    Map<String, Double> s1 = featuresOf(rows, "S1");
    double tol = 1e-9;
    assertEquals(70.0, s1.get("account_age_days"), tol); // 2024-01-01 -> 2024-03-11 00:00 (leap year)
    assertEquals(1.0, s1.get("listings_first_30d"), tol); // L1 (Jan 5); L2 is on day 70
    assertEquals(0.5, s1.get("edits_per_listing"), tol); // one update before the cutoff over L1, L2
    assertEquals(1.0, s1.get("share_below_half_ref"), tol); // L1 at 45 of 100; the 200 update is after as_of
    assertEquals(0.45, s1.get("median_price_ratio"), tol);
    assertEquals(0.5, s1.get("share_unauthorised_luxury"), tol); // L1 of L1, L2
    assertEquals(1.0, s1.get("generic_luxury_category_listings"), tol); // L2: unbranded "Watch"
    assertEquals(0.5, s1.get("external_referral_share"), tol); // O1 INSTAGRAM, O2 SEARCH; O3 excluded
    assertEquals(0.5, s1.get("top_tag_share"), tol); // inf1 on 1 of 2 orders
    // tag inf1 across sellers: O1 and O4, both with a counterfeit complaint: (2 + 20*0.01) / (2 + 20)
    assertEquals(2.2 / 22, s1.get("top_tag_complaint_rate"), tol);
    // S1: O1's complaint at the last millisecond counts, O2's at midnight does not: (1 + 0.2) / (2 + 20)
    assertEquals(1.2 / 22, s1.get("counterfeit_complaint_rate"), tol);
    assertEquals(1.0, s1.get("valid_notices"), tol); // LUX2's outcome is only known after as_of
    assertEquals(2.0, s1.get("complaining_brands"), tol); // LUX, LUX2
    assertEquals(0.0, s1.get("linked_blocked_direct"), tol);
    assertEquals(0.5, s1.get("ship_from_mismatch_share"), tol); // L1 from CN, declared US
    assertEquals(1.0, s1.get("luxury_listings_first_30d"), tol); // L1 (day 4, unauthorised LUX); L2 is on day 70
    // no seller of inf1 is blocked
    assertEquals(0.0, s1.get("top_tag_blocked_share"), tol);

    Map<String, Double> s2 = featuresOf(rows, "S2");
    assertEquals(0.0, s2.get("share_below_half_ref"), tol); // L6 (1 of 50) is not S2's listing on as_of
    assertEquals(0.0, s2.get("edits_per_listing"), tol); // nor is L6's update
    assertEquals(1.0, s2.get("median_price_ratio"), tol);
    assertEquals(0.0, s2.get("share_unauthorised_luxury"), tol);
    assertEquals(0.0, s2.get("valid_notices"), tol);
  }

  /**
   * Y (registered Feb 1) lists early luxury; tag @h brings 2 orders to Y, 3 to B1 (blocked COUNTERFEIT), 4 to B2
   * (blocked POLICY), 1 to H (blocked FRAUD after the cutoff).
   */
  static RiskFixtures tagLake() {
    return new RiskFixtures()
        .registered("Y", "2024-02-01T00:00:00Z", "US", null, null, null)
        .registered("B1", "2023-06-01T00:00:00Z", "US", null, null, null)
        .registered("B2", "2023-06-01T00:00:00Z", "US", null, null, null)
        .registered("H", "2023-06-01T00:00:00Z", "US", null, null, null)
        .brand("LUX", true).brand("PLAIN", false).product("P1", "LUX", 100.0).product("P2", "PLAIN", 50.0)
        .authorization("LUX", "Y", "2024-02-20T00:00:00Z", null)
        // Y, registered Feb 1: in its first 30 days an unauthorised LUX bag and an unbranded ring count, a
        // PLAIN kettle does not; a LUX bag after its authorisation (Feb 25) does not, nor one on day 31
        .created("Y1", "Y", "2024-02-02T00:00:00Z", "P1", "LUX", "Bags", 70.0, "US")
        .created("Y2", "Y", "2024-02-03T00:00:00Z", "P9", null, "jewellery/rings", 20.0, "US")
        .created("Y3", "Y", "2024-02-04T00:00:00Z", "P2", "PLAIN", "Home", 50.0, "US")
        .created("Y4", "Y", "2024-02-25T00:00:00Z", "P1", "LUX", "Bags", 70.0, "US")
        .created("Y5", "Y", "2024-03-03T00:00:00Z", "P9", null, "watches", 20.0, "US")
        .created("BL", "B1", "2023-06-02T00:00:00Z", "P2", "PLAIN", "Home", 50.0, "US")
        .created("CL", "B2", "2023-06-02T00:00:00Z", "P2", "PLAIN", "Home", 50.0, "US")
        .created("HL", "H", "2023-06-02T00:00:00Z", "P2", "PLAIN", "Home", 50.0, "US")
        // tag @h: 2 orders at Y, 3 at B1 (blocked for COUNTERFEIT before the cutoff), 4 at B2 (blocked for
        // POLICY: not a link reason), 1 at H (blocked for FRAUD only after the cutoff)
        .order("O1", "Y1", "Y", "2024-02-10T00:00:00Z", "INSTAGRAM", "@h")
        .order("O2", "Y1", "Y", "2024-02-11T00:00:00Z", "INSTAGRAM", "@h")
        .order("O3", "BL", "B1", "2023-07-01T00:00:00Z", "INSTAGRAM", "@h")
        .order("O4", "BL", "B1", "2023-07-02T00:00:00Z", "INSTAGRAM", "@h")
        .order("O5", "BL", "B1", "2023-07-03T00:00:00Z", "INSTAGRAM", "@h")
        .order("O6", "CL", "B2", "2023-07-01T00:00:00Z", "INSTAGRAM", "@h")
        .order("O7", "CL", "B2", "2023-07-02T00:00:00Z", "INSTAGRAM", "@h")
        .order("O8", "CL", "B2", "2023-07-03T00:00:00Z", "INSTAGRAM", "@h")
        .order("O9", "CL", "B2", "2023-07-04T00:00:00Z", "INSTAGRAM", "@h")
        .order("O10", "HL", "H", "2023-07-01T00:00:00Z", "INSTAGRAM", "@h")
        .accountEvent("B1", "BLOCKED", "2023-08-01T00:00:00Z", "COUNTERFEIT")
        .accountEvent("B2", "BLOCKED", "2023-08-01T00:00:00Z", "POLICY")
        .accountEvent("H", "BLOCKED", NEXT_DAY, "FRAUD");
  }

  @Test
  void earlyLuxuryListingsAndTheShareOfATagsOrdersAtBlockedSellers() {
    List<Row> rows = SellerFeatures.compute(tagLake().bronze(), RiskTables.asOfDates(spark(), List.of(AS_OF)), PARAMS)
        .collectAsList();
    double tol = 1e-9;
    Map<String, Double> y = featuresOf(rows, "Y");
    assertEquals(2.0, y.get("luxury_listings_first_30d"), tol); // Y1 and Y2
    // other sellers' 8 orders through @h, 3 of them at a seller blocked for a link reason, smoothed by 20
    assertEquals(3.0 / (8 + 20), y.get("top_tag_blocked_share"), tol);
    // B1 is itself blocked: its own 3 orders are left out, no other seller of @h is blocked for a link reason
    assertEquals(0.0, featuresOf(rows, "B1").get("top_tag_blocked_share"), tol);
    assertEquals(3.0 / (6 + 20), featuresOf(rows, "B2").get("top_tag_blocked_share"), tol);
    assertEquals(0.0, featuresOf(rows, "H").get("luxury_listings_first_30d"), tol);
  }

  @Test
  void complaintCountsAreTheSameWhetherTheComplainedOrdersAreBroadcastOrShuffled() {
    // O1 and O4 are the complained orders: a limit of 1 shuffles them, 2 broadcasts them
    for (long limit : new long[] {1, 2}) {
      SellerFeatures.Params p = new SellerFeatures.Params(0.01, 20, 25, 10, "jewel|watch|bag", limit);
      List<Row> rows = SellerFeatures.compute(history().bronze(), RiskTables.asOfDates(spark(),
          List.of(LocalDate.of(2024, 2, 10), AS_OF)), p).collectAsList();
      Map<String, Double> s1 = featuresOf(rows.stream().filter(r -> r.getDate(1).toLocalDate().equals(AS_OF)).toList(), "S1");
      Map<String, Double> s2Feb10 = featuresOf(rows.stream().filter(r -> !r.getDate(1).toLocalDate().equals(AS_OF)).toList(), "S2");
      // as in the test above: O1's complaint at the last millisecond counts, O2's at midnight does not
      assertEquals(1.2 / 22, s1.get("counterfeit_complaint_rate"), 1e-9, "limit " + limit);
      assertEquals(2.2 / 22, s1.get("top_tag_complaint_rate"), 1e-9, "limit " + limit);
      // on Feb 10 S2's only order O4 has its COUNTERFEIT complaint (that day, 00:00); DAMAGED never counts
      assertEquals(1.2 / 21, s2Feb10.get("counterfeit_complaint_rate"), 1e-9, "limit " + limit);
    }
  }

  @Test
  void manyDatesAtOnceGiveTheSameFeaturesAsOneDateAtATime() {
    LocalDate earlier = LocalDate.of(2024, 2, 3);
    List<Row> both = SellerFeatures.compute(history().bronze(),
        RiskTables.asOfDates(spark(), List.of(earlier, AS_OF)), PARAMS).collectAsList();
    List<Row> alone = SellerFeatures.compute(history().bronze(),
        RiskTables.asOfDates(spark(), List.of(earlier)), PARAMS).collectAsList();
    List<Row> earlierRows = both.stream().filter(r -> r.getDate(1).toLocalDate().equals(earlier)).toList();
    assertEquals(featuresOf(alone, "S1"), featuresOf(earlierRows, "S1"));
    // on Feb 3 S1 had one order (O1), its complaint not filed yet, and no edits... except Feb 1's
    Map<String, Double> s1 = featuresOf(alone, "S1");
    assertEquals(1.0, s1.get("edits_per_listing"), 1e-9);
    assertEquals(1.0, s1.get("external_referral_share"), 1e-9);
    assertEquals(0.2 / 21, s1.get("counterfeit_complaint_rate"), 1e-9);
  }

  @Test
  void medianPriceRatioIsTheExactMedianOfTheBrandedPricedListingsForEvenAndOddCounts() {
    RiskFixtures lake = new RiskFixtures()
        .brand("LUX", true).product("P1", "LUX", 100.0)
        // M4: ratios 0.2, 0.9, 0.4, 0.5 and an unbranded listing (no ratio): (0.4 + 0.5) / 2
        .created("A1", "M4", "2024-01-01T00:00:00Z", "P1", "LUX", "Bags", 20.0, "US")
        .created("A2", "M4", "2024-01-02T00:00:00Z", "P1", "LUX", "Bags", 90.0, "US")
        .created("A3", "M4", "2024-01-03T00:00:00Z", "P1", "LUX", "Bags", 40.0, "US")
        .created("A4", "M4", "2024-01-04T00:00:00Z", "P1", "LUX", "Bags", 50.0, "US")
        .created("A5", "M4", "2024-01-05T00:00:00Z", "P9", null, "Home", 1.0, "US")
        // M3: 0.3, 0.7, 0.1: the middle one
        .created("B1", "M3", "2024-01-01T00:00:00Z", "P1", "LUX", "Bags", 30.0, "US")
        .created("B2", "M3", "2024-01-02T00:00:00Z", "P1", "LUX", "Bags", 70.0, "US")
        .created("B3", "M3", "2024-01-03T00:00:00Z", "P1", "LUX", "Bags", 10.0, "US")
        // M2: a tie, 0.25 twice
        .created("C1", "M2", "2024-01-01T00:00:00Z", "P1", "LUX", "Bags", 25.0, "US")
        .created("C2", "M2", "2024-01-02T00:00:00Z", "P1", "LUX", "Bags", 25.0, "US")
        // M0: nothing priced against a reference: the neutral 1.0
        .created("D1", "M0", "2024-01-01T00:00:00Z", "P9", null, "Home", 5.0, "US");
    // seeded mix of 60 more sellers with 1..7 listings on a few prices (ties), a third unbranded;
    // expected: sort the ratios here and interpolate at (n - 1) / 2 as the percentile definition says
    Random random = new Random(7);
    Map<String, Double> expected = new TreeMap<>(Map.of("M4", 0.45, "M3", 0.3, "M2", 0.25, "M0", 1.0));
    int listing = 0;
    for (int seller = 0; seller < 60; seller++) {
      String sellerId = "R" + seller;
      List<Double> ratios = new ArrayList<>();
      for (int i = 0, n = 1 + random.nextInt(7); i < n; i++) {
        double price = 5.0 * (1 + random.nextInt(12));
        boolean branded = random.nextInt(3) > 0;
        lake.created("R-" + listing++, sellerId, "2024-02-01T00:00:00Z", branded ? "P1" : "P9", branded ? "LUX" : null,
            "Bags", price, "US");
        if (branded) {
          ratios.add(price / 100.0);
        }
      }
      Collections.sort(ratios);
      double median = 1.0;
      if (!ratios.isEmpty()) {
        double lower = ratios.get((ratios.size() - 1) / 2);
        double higher = ratios.get(ratios.size() / 2);
        median = ratios.size() % 2 == 1 ? lower : 0.5 * lower + 0.5 * higher;
      }
      expected.put(sellerId, median);
    }
    // computed for an earlier as_of in the same run too: each date's median sees only its own listings
    LocalDate early = LocalDate.of(2024, 1, 3);
    List<Row> rows = SellerFeatures.compute(lake.bronze(), RiskTables.asOfDates(spark(), List.of(early, AS_OF)), PARAMS)
        .collectAsList();
    Map<String, Double> actual = new TreeMap<>();
    Map<String, Double> actualEarly = new TreeMap<>();
    for (Row r : rows) {
      (r.getDate(r.fieldIndex("as_of")).toLocalDate().equals(early) ? actualEarly : actual)
          .put(r.getString(r.fieldIndex("seller_id")), r.getDouble(r.fieldIndex("median_price_ratio")));
    }
    // before 2024-01-04 00:00: M4 has A1..A3 (0.2, 0.9, 0.4), M3 all three, M2 both, M0 its one
    assertEquals(Map.of("M4", 0.4, "M3", 0.3, "M2", 0.25, "M0", 1.0), actualEarly);
    assertEquals(expected.keySet(), actual.keySet());
    for (String seller : expected.keySet()) {
      assertEquals(expected.get(seller), actual.get(seller), 1e-12, seller);
    }
  }
}
