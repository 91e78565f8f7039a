package io.hallmark.risk;

import static io.hallmark.testing.SparkTestSupport.row;
import static io.hallmark.testing.SparkTestSupport.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hallmark.lake.Bronze;
import io.hallmark.lake.HarmPrevented;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The harm acting on the published scores would have prevented, on a history worked out by hand. */
class HarmPreventedTest {
  static final LocalDate AS_OF = LocalDate.of(2024, 6, 30);
  static final LocalDate WINDOW_START = LocalDate.of(2024, 4, 1);
  /** Published dates read: after 2024-01-02 (180 days before as_of). */
  static final LocalDate SCORES_FROM = LocalDate.of(2024, 1, 2);
  static final StructType BANDS = new StructType().add("seller_id", DataTypes.StringType)
      .add("as_of", DataTypes.DateType).add("risk_band", DataTypes.StringType);

  /**
   * C1: published HIGH on 05-02 (then LOW, then CRITICAL), first blocked for COUNTERFEIT 05-10 12:00 (again
   * 06-01 after a reinstatement). Acting from 05-03 00:00: O2 (at that instant), O3 (2 at 30 USD) and O4 (a
   * second before the block) count; O1 (05-02 23:00) is before, O5 (at the block) after. Counterfeit
   * complaints: O2 one, O4 two; O3's comes after as_of and its DAMAGED one is no counterfeit complaint.
   * C2: HIGH only on its block day, whose scores come after the block: never flagged before it.
   * Not counted: C3 (blocked before the window), C4 (blocked for FRAUD), C5 (blocked after as_of), H1 (never blocked).
   */
  static RiskFixtures history() {
    return new RiskFixtures()
        .accountEvent("C1", "BLOCKED", "2024-05-10T12:00:00Z", "COUNTERFEIT")
        .accountEvent("C1", "REINSTATED", "2024-05-15T00:00:00Z", null)
        .accountEvent("C1", "BLOCKED", "2024-06-01T00:00:00Z", "COUNTERFEIT")
        .accountEvent("C2", "BLOCKED", "2024-06-15T08:00:00Z", "COUNTERFEIT")
        .accountEvent("C3", "BLOCKED", "2024-03-15T00:00:00Z", "COUNTERFEIT")
        .accountEvent("C4", "BLOCKED", "2024-06-01T00:00:00Z", "FRAUD")
        .accountEvent("C5", "BLOCKED", "2024-07-01T00:00:00Z", "COUNTERFEIT")
        .order("O1", "L1", "C1", "2024-05-02T23:00:00Z", "SEARCH", null)
        .order("O2", "L1", "C1", "2024-05-03T00:00:00Z", "SEARCH", null)
        .order("O3", "L1", "C1", "2024-05-05T00:00:00Z", "SEARCH", null, 2, 30.0)
        .order("O4", "L1", "C1", "2024-05-10T11:59:59Z", "SEARCH", null)
        .order("O5", "L1", "C1", "2024-05-10T12:00:00Z", "SEARCH", null)
        .order("O21", "L2", "C2", "2024-06-12T00:00:00Z", "SEARCH", null)
        .order("O41", "L4", "C4", "2024-05-25T00:00:00Z", "SEARCH", null)
        .complaint("O1", "2024-05-04T00:00:00Z", "COUNTERFEIT")
        .complaint("O2", "2024-05-20T00:00:00Z", "COUNTERFEIT")
        .complaint("O3", "2024-05-06T00:00:00Z", "DAMAGED")
        .complaint("O3", "2024-07-05T00:00:00Z", "COUNTERFEIT")
        .complaint("O4", "2024-05-11T00:00:00Z", "COUNTERFEIT")
        .complaint("O4", "2024-05-12T00:00:00Z", "COUNTERFEIT");
  }

  static Dataset<Row> published() {
    return rows(BANDS,
        row("C1", Date.valueOf("2023-12-01"), "HIGH"), // before the dates read: not its first HIGH day
        row("C1", Date.valueOf("2024-05-01"), "MEDIUM"), row("C1", Date.valueOf("2024-05-02"), "HIGH"),
        row("C1", Date.valueOf("2024-05-03"), "LOW"), row("C1", Date.valueOf("2024-05-04"), "CRITICAL"),
        row("C2", Date.valueOf("2024-06-10"), "MEDIUM"), row("C2", Date.valueOf("2024-06-15"), "HIGH"),
        row("C3", Date.valueOf("2024-03-01"), "HIGH"), row("C4", Date.valueOf("2024-05-20"), "HIGH"),
        row("C5", Date.valueOf("2024-06-20"), "HIGH"), row("H1", Date.valueOf("2024-05-01"), "HIGH"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void ordersComplaintsAndSalesFromTheMorningAfterTheFirstHighDayToTheBlock() {
    Bronze bronze = history().bronze();
    Dataset<Row> perSeller = HarmPrevented.perSeller(published(), bronze.accountEvents(), bronze.orders(),
        bronze.complaints(), SCORES_FROM, WINDOW_START, AS_OF);
    Map<String, Object> m = HarmPrevented.summary(perSeller, published(), SCORES_FROM, WINDOW_START, AS_OF);

    assertEquals(2L, m.get("blocked_counterfeit_sellers")); // C1, C2
    assertEquals(1L, m.get("flagged_before_block")); // C1
    assertEquals(3L, m.get("orders")); // O2, O3, O4
    assertEquals(3L, m.get("counterfeit_complaints")); // O2: 1, O4: 2
    assertEquals(80.0, (double) m.get("sales_usd"), 1e-9); // 10 + 2 * 30 + 10
    List<Map<String, Object>> sellers = (List<Map<String, Object>>) m.get("sellers");
    assertEquals(List.of("C1", "C2"), sellers.stream().map(s -> s.get("seller_id")).toList());
    assertEquals("2024-05-10T12:00:00Z", sellers.get(0).get("blocked_at"));
    assertEquals("2024-05-02", sellers.get(0).get("first_high"));
    assertEquals(8, sellers.get(0).get("days_flagged"));
    assertEquals(null, sellers.get(1).get("first_high"));
    assertEquals(0L, sellers.get(1).get("orders"), "never flagged before the block: nothing to prevent");
    // 9 published dates from 2024-03-01 to 2024-06-20: 112 days, 103 without scores
    assertEquals(9L, m.get("score_dates"));
    assertEquals(103L, m.get("score_days_missing"));
    assertEquals("1 of 2 sellers blocked for COUNTERFEIT in (2024-04-01, 2024-06-30] were HIGH or CRITICAL before their"
        + " block: acting on the first such day would have prevented 3 orders, 3 counterfeit complaints and 80.00 USD of"
        + " sales (scores: gold.seller_risk_scores as published, 9 dates from 2024-03-01 to 2024-06-20 (read after"
        + " 2024-01-02))",
        HarmPrevented.sentence(m));
  }
}
