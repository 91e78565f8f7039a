package io.hallmark.yearly;

import static io.hallmark.testing.SparkTestSupport.row;
import static io.hallmark.yearly.History.ts;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hallmark.lake.Bronze;
import io.hallmark.testing.SparkTestSupport;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The silver timelines on tiny bronze histories, expected rows written out by hand: ties broken by
 * event_id, entities seen only on one side, listings whose first event is not a CREATED.
 */
class TimelinesTest {

  private static void assertTable(StructType schema, Dataset<Row> actual, Row... expected) {
    assertEquals(Arrays.asList(schema.fieldNames()), Arrays.asList(actual.columns()), "column order");
    assertEquals(schema, actual.schema().asNullable(), "types");
    // built with the schema, so nested arrays and structs print as the collected ones do. Nullability is not
    // compared: SilverTables declares every silver column nullable (its contract), while a
    // transform's column can be known non-null (a grouping key of a non-null bronze column)
    SparkTestSupport.assertSameRowsIgnoringNullable(SparkTestSupport.rows(schema, expected), actual);
  }

  private static Row block(String time, String id, String reason, boolean afterReinstatement) {
    return row(ts(time), id, reason, afterReinstatement);
  }

  private static Row ref(String time, String id, String seller) {
    return row(ts(time), id, seller);
  }

  @Test
  void accountTimelineBreaksTiesByEventIdAndTakesTheEarliestVerifiedAndListingFromTheFirstRegistration() {
    History h = new History()
        // a1: two REGISTERED at the same instant, r1a < r1b decides (DE); a later one (IT) is not the first
        .registered("r1b", "a1", "2021-03-01T00:00:00Z", "FR")
        .registered("r1a", "a1", "2021-03-01T00:00:00Z", "DE")
        .registered("r1c", "a1", "2021-04-01T00:00:00Z", "IT")
        .account("v1a", "a1", "VERIFIED", "2021-02-01T00:00:00Z", null, null) // before registration
        .account("v1c", "a1", "VERIFIED", "2021-05-01T00:00:00Z", null, null)
        .account("v1b", "a1", "VERIFIED", "2021-03-01T00:00:00Z", null, null) // same instant: at or after
        .created("c1a", "l1", "a1", "2021-01-15T00:00:00Z") // first listing ever, before registration
        .created("c1c", "l3", "a1", "2021-06-01T00:00:00Z")
        .created("c1b", "l2", "a1", "2021-03-10T00:00:00Z") // first at or after registration
        .listing("u1", "l2", "a1", "UPDATED", "2021-01-01T00:00:00Z", null) // not a CREATED
        // blocks and reinstatements out of order; equal block instants ordered by event_id
        .blocked("b1c", "a1", "2021-09-01T00:00:00Z", "FRAUD")
        .blocked("b1b", "a1", "2021-07-01T00:00:00Z", "COUNTERFEIT")
        .blocked("b1a", "a1", "2021-07-01T00:00:00Z", null)
        .account("i1", "a1", "REINSTATED", "2021-08-01T00:00:00Z", null, null)
        // a2: never registered; a VERIFIED and a listing, but nothing "after registration"
        .account("v2", "a2", "VERIFIED", "2021-02-01T00:00:00Z", null, null)
        .created("c2", "l4", "a2", "2021-02-02T00:00:00Z")
        // a3: registered, nothing else
        .registered("r3", "a3", "2022-01-01T00:00:00Z", null)
        // a9: listing events but no account events: no account row
        .created("c9", "l9", "a9", "2021-01-01T00:00:00Z");
    Bronze b = h.bronze();
    assertTable(SilverTables.ACCOUNT_TIMELINE_SCHEMA, Timelines.accountTimeline(b.accountEvents(), b.listingEvents()),
        row("a1", "DE", ts("2021-03-01T00:00:00Z"), ts("2021-03-01T00:00:00Z"), ts("2021-01-15T00:00:00Z"),
            ts("2021-03-10T00:00:00Z"),
            List.of(block("2021-07-01T00:00:00Z", "b1a", null, false), block("2021-07-01T00:00:00Z", "b1b", "COUNTERFEIT", false),
                block("2021-09-01T00:00:00Z", "b1c", "FRAUD", true)),
            List.of(ts("2021-08-01T00:00:00Z"))),
        row("a2", null, null, null, ts("2021-02-02T00:00:00Z"), null, List.of(), List.of()),
        row("a3", null, ts("2022-01-01T00:00:00Z"), null, null, null, List.of(), List.of()));
  }

  @Test
  void listingTimelineBreaksTiesByEventIdAndKeepsListingsWhoseFirstEventIsNotACreated() {
    History h = new History()
        // l1: two CREATED at the same instant by different sellers: c1a (s1) is first; first event too
        .created("c1b", "l1", "s2", "2021-01-01T00:00:00Z")
        .created("c1a", "l1", "s1", "2021-01-01T00:00:00Z")
        .listing("k1b", "l1", "s1", "BLOCKED", "2021-03-01T00:00:00Z", "TRADEMARK")
        .listing("k1a", "l1", "s1", "BLOCKED", "2021-03-01T00:00:00Z", "COUNTERFEIT")
        .listing("k1c", "l1", "s1", "BLOCKED", "2021-02-01T00:00:00Z", "SAFETY") // not an IP block
        .notice("n1b", "l1", "2021-05-01T00:00:00Z", "VALID", null)
        .notice("n1a", "l1", "2021-04-01T00:00:00Z", "INVALID", null)
        // l2: first event a SUBMISSION_BLOCKED by s3 (tie with x2b by event_id), CREATED later by s4
        .listing("x2b", "l2", "s4", "SUBMISSION_BLOCKED", "2021-01-05T00:00:00Z", "POLICY")
        .listing("x2a", "l2", "s3", "SUBMISSION_BLOCKED", "2021-01-05T00:00:00Z", "POLICY")
        .created("c2", "l2", "s4", "2021-02-01T00:00:00Z")
        // l3: never live
        .listing("x3", "l3", "s5", "SUBMISSION_BLOCKED", "2021-01-07T00:00:00Z", "POLICY")
        // a notice on a listing without events: no listing row
        .notice("n9", "l9", "2021-01-01T00:00:00Z", "VALID", null);
    Bronze b = h.bronze();
    Dataset<Row> listings = Timelines.listingTimeline(b.listingEvents(), b.notices());
    assertTable(SilverTables.LISTING_TIMELINE_SCHEMA, listings,
        row("l1", "s1", "s1", ts("2021-01-01T00:00:00Z"), ts("2021-04-01T00:00:00Z"),
            List.of(ref("2021-03-01T00:00:00Z", "k1a", "s1"), ref("2021-03-01T00:00:00Z", "k1b", "s1")), List.of()),
        row("l2", "s4", "s3", ts("2021-02-01T00:00:00Z"), null, List.of(),
            List.of(ref("2021-01-05T00:00:00Z", "x2a", "s3"), ref("2021-01-05T00:00:00Z", "x2b", "s4"))),
        row("l3", null, "s5", null, null, List.of(), List.of(ref("2021-01-07T00:00:00Z", "x3", "s5"))));
    assertTable(SilverTables.NOTICE_FACTS_SCHEMA, Timelines.noticeFacts(b.notices(), listings),
        row("n1a", "l1", "s1", ts("2021-04-01T00:00:00Z"), "INVALID", null),
        row("n1b", "l1", "s1", ts("2021-05-01T00:00:00Z"), "VALID", null),
        row("n9", "l9", null, ts("2021-01-01T00:00:00Z"), "VALID", null));
  }

  @Test
  void orderFactsFlagOnlyOrdersWithACounterfeitComplaint() {
    History h = new History()
        .order("o1", "s1", "2021-01-01T00:00:00Z", 2)
        .complaint("q1a", "o1", "2021-01-02T00:00:00Z", "NOT_AS_DESCRIBED")
        .complaint("q1b", "o1", "2022-01-02T00:00:00Z", "COUNTERFEIT")
        .order("o2", "s1", "2021-01-01T00:00:00Z", 1)
        .complaint("q2", "o2", "2021-01-02T00:00:00Z", "NOT_AS_DESCRIBED")
        .order("o3", "s2", "2021-01-03T00:00:00Z", 3)
        .complaint("q9", "o9", "2021-01-02T00:00:00Z", "COUNTERFEIT"); // complaint on an unknown order
    Bronze b = h.bronze();
    assertTable(SilverTables.ORDER_FACTS_SCHEMA, Timelines.orderFacts(b.orders(), b.complaints()),
        row("o1", "s1", ts("2021-01-01T00:00:00Z"), 2L, true),
        row("o2", "s1", ts("2021-01-01T00:00:00Z"), 1L, false),
        row("o3", "s2", ts("2021-01-03T00:00:00Z"), 3L, false));
  }
}
