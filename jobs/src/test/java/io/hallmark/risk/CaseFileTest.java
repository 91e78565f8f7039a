package io.hallmark.risk;

import static io.hallmark.testing.SparkTestSupport.spark;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hallmark.lake.Bronze;
import io.hallmark.cli.Hallmark;
import io.hallmark.config.ConfigError;
import io.hallmark.config.HallmarkConfig;
import io.hallmark.testing.ConsoleCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The case file of a hand-built seller on 2024-03-10, every expected value worked out by hand below. */
class CaseFileTest {
  static final LocalDate AS_OF = SellerFeaturesTest.AS_OF;
  static final String LAST_MS = SellerFeaturesTest.LAST_MS;
  static final String NEXT_DAY = SellerFeaturesTest.NEXT_DAY;

  @RegisterExtension final ConsoleCapture console = new ConsoleCapture();
  @TempDir Path tmp;

  /**
   * S1 (registered 2024-01-01, declared US; card pay-1, device dev-1, address addr-1):
   * L1 a LUX bag (reference 100) at 40 then 45, from CN, unauthorised; L2 a PLAIN item at 50 (reference 50),
   * authorised, blocked 2024-03-01; L4 an unbranded watch; L3 only after as_of. Orders O1, O2 (INSTAGRAM,
   * tag inf1) and O3, O4 on L1, O5 on L2; counterfeit complaints on O1 and O2 (the last millisecond), one on
   * O3 after as_of, a DAMAGED one on O5. Linked: B1 by card (blocked COUNTERFEIT), B2 by device (FRAUD),
   * B3 by device (not blocked), B4 by address (blocked only after as_of); G1 through B1's device dev-9
   * (COUNTERFEIT), G2 through G1's address (POLICY: not a link reason). S2 and S3 are the rest of the market.
   */
  static RiskFixtures lake() {
    RiskFixtures f = new RiskFixtures()
        .registered("S1", "2024-01-01T00:00:00Z", "US", "pay-1", "dev-1", "addr-1")
        .registered("S2", "2023-01-01T00:00:00Z", "US", null, null, null)
        .registered("S3", "2023-07-01T00:00:00Z", "US", null, null, null)
        .registered("B1", "2023-06-01T00:00:00Z", "US", "pay-1", "dev-9", null)
        .registered("B2", "2023-06-01T00:00:00Z", "US", null, "dev-1", null)
        .registered("B3", "2023-06-01T00:00:00Z", "US", null, "dev-1", null)
        .registered("B4", "2023-06-01T00:00:00Z", "US", null, null, "addr-1")
        .registered("G1", "2023-06-01T00:00:00Z", "US", null, "dev-9", "addr-3")
        .registered("G2", "2023-06-01T00:00:00Z", "US", null, null, "addr-3")
        .accountEvent("B1", "BLOCKED", "2024-02-01T00:00:00Z", "COUNTERFEIT")
        .accountEvent("B2", "BLOCKED", "2024-02-03T00:00:00Z", "FRAUD")
        .accountEvent("B4", "BLOCKED", NEXT_DAY, "COUNTERFEIT")
        .accountEvent("G1", "BLOCKED", "2024-01-15T00:00:00Z", "COUNTERFEIT")
        .accountEvent("G2", "BLOCKED", "2024-01-16T00:00:00Z", "POLICY")
        .accountEvent("S1", "BLOCKED", "2024-02-05T00:00:00Z", "POLICY")
        .accountEvent("S1", "REINSTATED", "2024-02-06T00:00:00Z", null)
        .brand("LUX", true).brand("PLAIN", false)
        .product("P1", "LUX", 100.0).product("P2", "PLAIN", 50.0)
        .authorization("PLAIN", "S1", "2024-01-01T00:00:00Z", null)
        .created("L1", "S1", "2024-01-05T10:00:00Z", "P1", "LUX", "Bags", 40.0, "CN")
        .listingEvent("L1", "S1", "UPDATED", "2024-02-01T00:00:00Z", 45.0, null)
        .listingEvent("L1", "S1", "REMOVED", NEXT_DAY, null, null)
        .created("L2", "S1", "2024-01-20T00:00:00Z", "P2", "PLAIN", "Home", 50.0, "US")
        .listingEvent("L2", "S1", "BLOCKED", "2024-03-01T00:00:00Z", null, "COUNTERFEIT")
        .created("L3", "S1", NEXT_DAY, "P1", "LUX", "Bags", 1.0, "CN")
        .created("L4", "S1", "2024-03-05T00:00:00Z", "P9", null, "Watch", 10.0, "US")
        .created("L9", "S2", "2023-02-01T00:00:00Z", "P2", "PLAIN", "Home", 50.0, "US")
        .created("L8", "S3", "2023-07-10T00:00:00Z", "P2", "PLAIN", "Home", 50.0, "US")
        .order("O1", "L1", "S1", "2024-02-10T00:00:00Z", "INSTAGRAM", "inf1")
        .order("O2", "L1", "S1", "2024-02-10T00:00:00Z", "INSTAGRAM", "inf1")
        .order("O3", "L1", "S1", "2024-02-10T00:00:00Z", "SEARCH", null)
        .order("O4", "L1", "S1", "2024-02-10T00:00:00Z", "SEARCH", null)
        .order("O5", "L2", "S1", "2024-02-15T00:00:00Z", "SEARCH", null)
        .order("O6", "L1", "S1", NEXT_DAY, "SEARCH", null)
        .order("O11", "L9", "S2", "2024-02-10T00:00:00Z", "INSTAGRAM", "inf1")
        .order("O12", "L9", "S2", "2024-02-10T00:00:00Z", "SEARCH", null)
        .order("O13", "L9", "S2", "2024-02-10T00:00:00Z", "SEARCH", null)
        .order("O14", "L9", "S2", "2024-02-10T00:00:00Z", "SEARCH", null)
        .complaint("O1", "2024-02-20T00:00:00Z", "COUNTERFEIT")
        .complaint("O2", LAST_MS, "COUNTERFEIT")
        .complaint("O3", NEXT_DAY, "COUNTERFEIT")
        .complaint("O5", "2024-02-25T00:00:00Z", "DAMAGED")
        .complaint("O11", "2024-02-12T00:00:00Z", "COUNTERFEIT")
        .notice("LUX", "L1", "COUNTERFEIT", "2024-02-25T12:00:00Z", "VALID", "2024-03-01T12:00:00Z")
        .notice("LUX", "L1", "TRADEMARK", "2024-03-05T00:00:00Z", "VALID", NEXT_DAY)
        .notice("LUX", "L1", "COUNTERFEIT", NEXT_DAY, "VALID", NEXT_DAY);
    return f;
  }

  /**
   * A model of three features: intercept -3; counterfeit_complaint_rate 50 around 0.01, linked_blocked_direct
   * 1.5 around 0, share_unauthorised_luxury 3 around 0.1; Platt slope 0.5, offset -1; bands 0.1 / 0.5 / 0.9.
   */
  static RiskModel model() {
    Map<String, Double> weights = new LinkedHashMap<>();
    Map<String, Double> baselines = new LinkedHashMap<>();
    for (String f : SellerFeatures.FEATURES) {
      weights.put(f, 0.0);
      baselines.put(f, 0.0);
    }
    weights.put("counterfeit_complaint_rate", 50.0);
    baselines.put("counterfeit_complaint_rate", 0.01);
    weights.put("linked_blocked_direct", 1.5);
    weights.put("share_unauthorised_luxury", 3.0);
    baselines.put("share_unauthorised_luxury", 0.1);
    return new RiskModel("test-model", null, -3.0, weights, baselines, Map.of(), new RiskModel.Bands(0.1, 0.5, 0.9),
        new RiskModel.Calibration(0.5, -1.0, "test"));
  }

  static RiskSettings settings() {
    return RiskSettings.from(HallmarkConfig.defaults()
        .with("hallmark.risk.smoothing.complaint-prior-rate", 0.01)
        .with("hallmark.risk.smoothing.complaint-prior-weight", 20)
        .with("hallmark.risk.luxury-category-regex", "jewel|watch|bag"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> feature(Map<String, Object> doc, String name) {
    return ((List<Map<String, Object>>) doc.get("features")).stream()
        .filter(f -> f.get("feature").equals(name)).findFirst().orElseThrow();
  }

  private static double number(Object v) {
    return ((Number) v).doubleValue();
  }

  @Test
  @SuppressWarnings("unchecked")
  void theCaseFileHoldsEveryFeatureTheLinksTheListingsAndTheTimelineAsOfTheDate() {
    Map<String, Object> doc = CaseFile.build(spark(), lake().bronze(), model(), settings(), "S1", AS_OF);
    double tol = 1e-9;

    // contributions: 50 * ((2 + 20 * 0.01) / (5 + 20) - 0.01) = 50 * 0.078 = 3.9; 1.5 * 2 = 3.0; 3 * (1/3 - 0.1) = 0.7
    // logit -3 + 7.6 = 4.6; risk_score = 1 / (1 + exp(-(0.5 * 4.6 - 1))) = sigmoid(1.3)
    assertEquals("test-model", doc.get("model_version"));
    assertEquals(4.6, number(doc.get("logit")), tol);
    assertEquals(1 / (1 + Math.exp(-1.3)), number(doc.get("risk_score")), tol);
    assertEquals("HIGH", doc.get("risk_band"));
    assertEquals(List.of("counterfeit_complaint_rate", "linked_blocked_direct", "share_unauthorised_luxury"), doc.get("reasons"));
    assertEquals(SellerFeatures.FEATURES.size(), ((List<?>) doc.get("features")).size(), "every feature, none left out");

    Map<String, Object> rate = feature(doc, "counterfeit_complaint_rate");
    assertEquals(0.088, number(rate.get("value")), tol);
    // pooled: 3 counterfeit complaints known at the cutoff (O1, O2, O11) over 9 orders (S1 5, S2 4, S3 none)
    assertEquals(3.0 / 9, number(rate.get("baseline")), tol);
    assertEquals("marketplace rate (all counterfeit complaints over all orders)", rate.get("baseline_is"));
    assertEquals(3.9, number(rate.get("contribution")), tol);
    assertEquals(1, rate.get("reason_rank"));
    assertEquals("2 counterfeit complaints on 5 orders (40 %); marketplace 33 %", rate.get("evidence"));

    // ages 70 (S1), 435 (S2), 254 (S3) days at 2024-03-11 00:00: the median seller is S3
    Map<String, Object> age = feature(doc, "account_age_days");
    assertEquals(70.0, number(age.get("value")), tol);
    assertEquals(254.0, number(age.get("baseline")), tol);
    assertEquals("median seller", age.get("baseline_is"));
    assertEquals(0.0, number(age.get("contribution")), tol);
    assertNull(age.get("reason_rank"));
    assertEquals("account 70 days old; median seller 254 days", age.get("evidence"));

    Map<String, Object> linked = feature(doc, "linked_blocked_direct");
    assertEquals(2.0, number(linked.get("value")), tol); // B1 and B2; B3 is not blocked, B4 only after as_of
    assertEquals(2.0 / 3, number(linked.get("baseline")), tol); // (2 + 0 + 0) / 3 sellers
    assertEquals("average seller", linked.get("baseline_is"));
    assertEquals("shares a payment card with 1 account blocked for COUNTERFEIT, a device with 1 account blocked for"
        + " FRAUD; 2 distinct blocked accounts, marketplace average 0.67", linked.get("evidence"));
    assertEquals(3.0, number(feature(doc, "linked_blocked_group").get("value")), tol); // B1, B2, G1 (G2: POLICY)
    assertEquals(1.0 / 3, number(feature(doc, "share_unauthorised_luxury").get("value")), tol); // L1 of L1, L2, L4
    assertEquals(0.725, number(feature(doc, "median_price_ratio").get("value")), tol); // 0.45 and 1.0
    assertEquals(1.0, number(feature(doc, "valid_notices").get("value")), tol); // the TRADEMARK one resolves after

    Map<String, Object> links = (Map<String, Object>) doc.get("linked_accounts");
    assertEquals(List.of(
        Map.of("account_id", "B1", "linked_by", List.of("payment"), "blocked_for", "COUNTERFEIT", "counted", true),
        Map.of("account_id", "B2", "linked_by", List.of("device"), "blocked_for", "FRAUD", "counted", true),
        direct("B3", "device"), direct("B4", "address")), links.get("direct"));
    Map<String, Object> group = (Map<String, Object>) links.get("group");
    assertEquals(7L, group.get("accounts")); // S1, B1..B4, G1, G2
    assertEquals(List.of(
        Map.of("account_id", "B1", "blocked_for", "COUNTERFEIT", "counted", true),
        Map.of("account_id", "B2", "blocked_for", "FRAUD", "counted", true),
        Map.of("account_id", "G1", "blocked_for", "COUNTERFEIT", "counted", true),
        Map.of("account_id", "G2", "blocked_for", "POLICY", "counted", false)), group.get("blocked"));

    List<Map<String, Object>> listings = (List<Map<String, Object>>) doc.get("listings");
    assertEquals(List.of("L1", "L2", "L4"), listings.stream().map(l -> l.get("listing_id")).toList(), "L3 lists after as_of");
    Map<String, Object> l1 = listings.get(0);
    assertEquals(45.0, number(l1.get("price_usd")), tol);
    assertEquals(100.0, number(l1.get("reference_price_usd")), tol);
    assertEquals(0.45, number(l1.get("price_ratio")), tol);
    assertEquals(true, l1.get("luxury_brand"));
    assertEquals(false, l1.get("authorised"));
    assertEquals("CN", l1.get("ship_from_country"));
    assertEquals(4L, l1.get("orders")); // O6 after as_of
    assertEquals(40.0, number(l1.get("sales_usd")), tol);
    assertEquals(2L, l1.get("counterfeit_complaints")); // O3's complaint after as_of
    assertEquals("LIVE", l1.get("state"), "removed only after as_of");
    Map<String, Object> l2 = listings.get(1);
    assertEquals(1.0, number(l2.get("price_ratio")), tol);
    assertEquals(true, l2.get("authorised"));
    assertEquals(0L, l2.get("counterfeit_complaints"));
    assertEquals("BLOCKED (COUNTERFEIT)", l2.get("state"));
    Map<String, Object> l4 = listings.get(2);
    assertNull(l4.get("price_ratio"), "unbranded: no reference");
    assertNull(l4.get("authorised"));

    List<String> timeline = ((List<Map<String, Object>>) doc.get("timeline")).stream()
        .map(t -> t.get("time") + " " + t.get("kind") + " " + t.get("subject") + " " + t.get("what")
            + (t.get("detail") == null ? "" : " / " + t.get("detail")))
        .toList();
    assertEquals(List.of(
        "2024-01-01T00:00:00Z account S1 REGISTERED",
        "2024-02-05T00:00:00Z account S1 BLOCKED / POLICY",
        "2024-02-06T00:00:00Z account S1 REINSTATED",
        "2024-02-20T00:00:00Z complaint O1 COUNTERFEIT complaint / listing L1",
        "2024-02-25T00:00:00Z complaint O5 DAMAGED complaint / listing L2",
        "2024-02-25T12:00:00Z notice L1 notice COUNTERFEIT from LUX submitted",
        "2024-03-01T00:00:00Z listing L2 BLOCKED / COUNTERFEIT",
        "2024-03-01T12:00:00Z notice L1 notice COUNTERFEIT from LUX resolved / VALID",
        "2024-03-05T00:00:00Z notice L1 notice TRADEMARK from LUX submitted / outcome not known by the cutoff",
        "2024-03-10T23:59:59.999Z complaint O2 COUNTERFEIT complaint / listing L1"), timeline);
  }

  private static Map<String, Object> direct(String account, String kind) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("account_id", account);
    m.put("linked_by", List.of(kind));
    m.put("blocked_for", null);
    m.put("counted", false);
    return m;
  }

  @Test
  void aSellerWithoutAScoreOnTheDateIsRefusedNamingIt() {
    Bronze bronze = lake().bronze();
    ConfigError unknown = assertThrows(ConfigError.class,
        () -> CaseFile.build(spark(), bronze, model(), settings(), "NOPE", AS_OF));
    assertEquals("unknown seller 'NOPE': bronze has no account or listing event of it (check --seller)", unknown.getMessage());
    ConfigError early = assertThrows(ConfigError.class,
        () -> CaseFile.build(spark(), bronze, model(), settings(), "S1", LocalDate.of(2024, 1, 4)));
    assertEquals("seller 'S1' has no listing created by the end of 2024-01-04 (its first: 2024-01-05T10:00:00Z), so it"
        + " has no score on that date; choose a later --as-of", early.getMessage());
  }

  @Test
  @SuppressWarnings("unchecked")
  void explainPrintsTheCaseFileAndWritesItAsJsonAndAnUnknownSellerExits2() throws Exception {
    Path lake = tmp.resolve("lake");
    HallmarkConfig config = HallmarkConfig.defaults().with("hallmark.lake", lake.toString());
    lake().writeLake(config);
    Path json = tmp.resolve("out/case-S1.json");
    assertEquals(0, Hallmark.execute("explain", "--seller", "S1", "--as-of", AS_OF.toString(), "--lake", lake.toString(),
        "--json", json.toString()), console.text());
    Map<String, Object> written = new ObjectMapper().readValue(Files.readString(json), Map.class);
    assertEquals("S1", written.get("seller_id"));
    assertEquals("conf-default-v1", written.get("model_version"), "no trained model: the conf default");
    assertEquals(10, ((List<?>) written.get("timeline")).size());
    assertTrue(console.text().contains("2024-03-01T00:00:00Z     listing   L2             BLOCKED COUNTERFEIT"), console.text());
    assertTrue(console.text().contains("B1                       via payment                  blocked for COUNTERFEIT"),
        console.text());

    console.beforeEach(null);
    assertEquals(2, Hallmark.execute("explain", "--seller", "NOPE", "--as-of", AS_OF.toString(), "--lake", lake.toString()));
    assertTrue(console.text().strip().endsWith(
        "[hallmark] ERROR: unknown seller 'NOPE': bronze has no account or listing event of it (check --seller)"),
        console.text());
  }
}
