package io.hallmark.risk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Which sellers a night's rows reach, each path of {@link TouchedSellers#touched} on its own seller. */
class TouchedSellersTest {
  static final TouchedSellers.Window NIGHT = new TouchedSellers.Window(
      Timestamp.from(Instant.parse("2024-06-02T00:00:00Z")), Timestamp.from(Instant.parse("2024-06-03T00:00:00Z")));

  /** Bronze as it stands after the night: every seller has a listing and an order before the window. */
  private static RiskFixtures now() {
    RiskFixtures now = new RiskFixtures();
    for (int i = 1; i <= 9; i++) {
      now.created("L" + i, "s" + i, "2023-01-0" + i + "T00:00:00Z", "P" + i, null, "home", 10.0, "US")
          .order("o" + i, "L" + i, "s" + i, "2023-02-0" + i + "T00:00:00Z", "DIRECT", null);
    }
    return now
        .listingEvent("L1", "s1", "UPDATED", "2023-05-01T00:00:00Z", 9.0, null)              // delivered late: changed
        .notice("BrandX", "L2", "COUNTERFEIT", "2023-06-01T00:00:00Z", "PENDING", null)       // changed
        .order("o3b", "L3", "s3", "2023-03-01T00:00:00Z", "INSTAGRAM", "t1")
        .complaint("o3b", "2024-06-02T09:00:00Z", "COUNTERFEIT")                            // in the window
        .order("o4b", "L4", "s4", "2023-03-01T00:00:00Z", "INSTAGRAM", "t1")                 // same tag, untouched
        .accountEvent("s5", "VERIFIED", "2024-06-02T10:00:00Z", null)                        // in the window
        .authorization("BrandX", "s6", "2023-01-01T00:00:00Z", null)                         // changed
        .product("P7", null, 20.0)                                                           // changed
        .notice("BrandX", "L9", "COUNTERFEIT", "2024-05-01T00:00:00Z", "VALID", "2024-06-02T12:00:00Z"); // resolved in the window
  }

  /** The change feed since the previous publication: rows ingest added that night. */
  private static RiskFixtures changed() {
    return new RiskFixtures()
        .listingEvent("L1", "s1", "UPDATED", "2023-05-01T00:00:00Z", 9.0, null)
        .notice("BrandX", "L2", "COUNTERFEIT", "2023-06-01T00:00:00Z", "PENDING", null)
        .authorization("BrandX", "s6", "2023-01-01T00:00:00Z", null)
        .product("P7", null, 20.0);
  }

  private static List<String> sorted(Dataset<Row> column) {
    return column.collectAsList().stream().map(r -> r.getString(0)).sorted().toList();
  }

  @Test
  void eachKindOfChangeReachesItsSellerAndNoOther() {
    TouchedSellers.Reach reach = TouchedSellers.touched(now().bronze(), changed().bronze(), NIGHT);
    // s4 (same tag as s3's touched order, nothing of its own) and s8 (nothing) are not recomputed
    assertEquals(List.of("s1", "s2", "s3", "s5", "s6", "s7", "s9"), sorted(reach.sellers()));
    assertEquals(List.of("t1"), sorted(reach.tags()));
  }

  @Test
  void anAccountBlockedInTheWindowReachesEveryTagItSoldThrough() {
    RiskFixtures now = now()
        .order("o8b", "L8", "s8", "2023-03-01T00:00:00Z", "TIKTOK", "t2")
        .accountEvent("s8", "BLOCKED", "2024-06-02T11:00:00Z", "COUNTERFEIT")   // in the window: t2's blocked share moves
        .order("o5b", "L5", "s5", "2023-03-01T00:00:00Z", "TIKTOK", "t3");      // s5's event in the window is no block
    TouchedSellers.Reach reach = TouchedSellers.touched(now.bronze(), changed().bronze(), NIGHT);
    assertEquals(List.of("s1", "s2", "s3", "s5", "s6", "s7", "s8", "s9"), sorted(reach.sellers()));
    assertEquals(List.of("t1", "t2"), sorted(reach.tags()));
    // the same block delivered late (in the change feed, its time before the window) reaches t2 too
    RiskFixtures late = now().order("o8b", "L8", "s8", "2023-03-01T00:00:00Z", "TIKTOK", "t2")
        .accountEvent("s8", "BLOCKED", "2024-05-20T11:00:00Z", "COUNTERFEIT");
    RiskFixtures feed = changed().accountEvent("s8", "BLOCKED", "2024-05-20T11:00:00Z", "COUNTERFEIT");
    assertEquals(List.of("t1", "t2"), sorted(TouchedSellers.touched(late.bronze(), feed.bronze(), NIGHT).tags()));
  }

  @Test
  void aNightWithNothingChangedAndNothingInTheWindowReachesNoOne() {
    TouchedSellers.Window later = new TouchedSellers.Window(
        Timestamp.from(Instant.parse("2025-01-01T00:00:00Z")), Timestamp.from(Instant.parse("2025-01-02T00:00:00Z")));
    TouchedSellers.Reach reach = TouchedSellers.touched(now().bronze(), new RiskFixtures().bronze(), later);
    assertEquals(List.of(), sorted(reach.sellers()));
    assertEquals(List.of(), sorted(reach.tags()));
  }
}
