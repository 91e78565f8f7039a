package io.hallmark.yearly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * One test per metric of the spec, each on a tiny hand-built history; expected values are worked
 * out by hand in the comments (never by the code under test).
 */
class YearlyStatsTest {

  private static Map<String, Row> stats(History history) {
    Dataset<Row> out = YearlyStats.yearlyStats(YearlyStats.Silver.fromBronze(history.bronze()));
    assertEquals(Arrays.asList(YearlyStats.SCHEMA.fieldNames()), Arrays.asList(out.columns()), "column order");
    Map<String, Row> byKey = new TreeMap<>();
    for (Row r : out.collectAsList()) {
      Row previous = byKey.put(r.getInt(0) + "/" + r.getString(1), r);
      assertNull(previous, "duplicate row for " + r.getInt(0) + "/" + r.getString(1));
    }
    return byKey;
  }

  private static Object v(Map<String, Row> stats, int year, String marketplace, String column) {
    Row r = stats.get(year + "/" + marketplace);
    assertNotNull(r, "no row for " + year + "/" + marketplace + "; rows: " + stats.keySet());
    return r.get(r.fieldIndex(column));
  }

  private static void assertShare(double expected, Object actual) {
    assertNotNull(actual, "share is null");
    assertEquals(expected, (Double) actual, 1e-12);
  }

  @Test
  void accountsRegisteredCountsFirstRegistrationInItsUtcYear() {
    History h = new History()
        .registered("e1", "a1", "2021-03-01T10:00:00Z", "FR")
        .registered("e2", "a1", "2022-02-01T10:00:00Z", "DE") // second REGISTERED: not the first, not counted
        // 2022-01-01T01:00+02:00 is 2021-12-31T23:00Z: counted in 2021
        .registered("e3", "a2", "2022-01-01T01:00:00+02:00", "DE")
        // two REGISTERED at the same instant: the smaller event_id (e4a, DE) decides the marketplace
        .registered("e4b", "a3", "2021-05-05T00:00:00Z", "FR")
        .registered("e4a", "a3", "2021-05-05T00:00:00Z", "DE");
    Map<String, Row> s = stats(h);
    assertEquals(1L, v(s, 2021, "FR", "accounts_registered"));
    assertEquals(2L, v(s, 2021, "DE", "accounts_registered"));
    assertEquals(3L, v(s, 2021, "ALL", "accounts_registered"));
    assertEquals(0L, v(s, 2022, "ALL", "accounts_registered")); // 2022 is covered (event e2) but nobody registered first
    assertEquals(List.of("2021/ALL", "2021/DE", "2021/FR", "2022/ALL"), List.copyOf(s.keySet()));
  }

  @Test
  void accountsBlockedBeforeFirstListingIsStrictAndUsesTheYearsEarliestBlock() {
    History h = new History()
        .registered("r1", "a1", "2021-01-01T00:00:00Z", "FR")
        .created("c1", "l1", "a1", "2021-05-01T00:00:00Z")
        .blocked("b1", "a1", "2021-05-01T00:00:00Z", "FRAUD") // same instant as first listing: NOT pre-listing
        .registered("r2", "a2", "2021-01-01T00:00:00Z", "FR")
        .blocked("b2", "a2", "2021-02-01T00:00:00Z", "FRAUD") // before its listing of 2021-03-01: pre-listing
        .created("c2", "l2", "a2", "2021-03-01T00:00:00Z")
        .registered("r3", "a3", "2021-01-01T00:00:00Z", "FR")
        .blocked("b3a", "a3", "2021-06-01T00:00:00Z", "POLICY") // never listed: pre-listing, two blocks count once
        .blocked("b3b", "a3", "2021-07-01T00:00:00Z", "POLICY")
        .registered("r4", "a4", "2020-11-01T00:00:00Z", "FR")
        .created("c4", "l4", "a4", "2020-12-01T00:00:00Z")
        .blocked("b4", "a4", "2021-03-01T00:00:00Z", "FRAUD") // after its listing: not pre-listing
        .registered("r5", "a5", "2021-01-01T00:00:00Z", "FR")
        .blocked("b5a", "a5", "2021-01-10T00:00:00Z", "FRAUD") // earliest 2021 block is before the listing
        .created("c5", "l5", "a5", "2021-02-01T00:00:00Z")
        .blocked("b5b", "a5", "2021-03-01T00:00:00Z", "FRAUD")
        .blocked("b5c", "a5", "2022-03-01T00:00:00Z", "FRAUD"); // 2022: after the listing
    Map<String, Row> s = stats(h);
    // 2021: a1..a5 blocked; pre-listing a2, a3, a5
    assertEquals(5L, v(s, 2021, "FR", "accounts_blocked"));
    assertEquals(3L, v(s, 2021, "FR", "accounts_blocked_before_first_listing"));
    assertShare(0.6, v(s, 2021, "FR", "pre_listing_block_share"));
    assertEquals(5L, v(s, 2021, "ALL", "accounts_blocked"));
    assertEquals(3L, v(s, 2021, "ALL", "accounts_blocked_before_first_listing"));
    assertEquals(1L, v(s, 2022, "FR", "accounts_blocked"));
    assertEquals(0L, v(s, 2022, "FR", "accounts_blocked_before_first_listing"));
    assertShare(0.0, v(s, 2022, "FR", "pre_listing_block_share"));
    // 2020: a registration and a listing but no block: share null, count 0
    assertEquals(0L, v(s, 2020, "FR", "accounts_blocked"));
    assertNull(v(s, 2020, "FR", "pre_listing_block_share"));
  }

  @Test
  void counterfeitAccountsBlockedNeedsACounterfeitBlockInTheYear() {
    History h = new History()
        .registered("r1", "a1", "2020-01-01T00:00:00Z", "FR")
        .blocked("b1a", "a1", "2021-01-01T00:00:00Z", "FRAUD")
        .blocked("b1b", "a1", "2021-02-01T00:00:00Z", "COUNTERFEIT")
        .registered("r2", "a2", "2020-01-01T00:00:00Z", "FR")
        .blocked("b2a", "a2", "2021-03-01T00:00:00Z", "COUNTERFEIT")
        .blocked("b2b", "a2", "2021-04-01T00:00:00Z", "COUNTERFEIT") // twice in a year: once
        .registered("r3", "a3", "2020-01-01T00:00:00Z", "FR")
        .blocked("b3a", "a3", "2020-12-31T23:59:59Z", "COUNTERFEIT") // 2020
        .blocked("b3b", "a3", "2021-01-05T00:00:00Z", "FRAUD");
    Map<String, Row> s = stats(h);
    assertEquals(3L, v(s, 2021, "ALL", "accounts_blocked"));
    assertEquals(2L, v(s, 2021, "ALL", "counterfeit_accounts_blocked"));
    assertEquals(2L, v(s, 2021, "FR", "counterfeit_accounts_blocked"));
    assertEquals(1L, v(s, 2020, "FR", "counterfeit_accounts_blocked"));
  }

  @Test
  void verifiedAndListedWithin90DaysInclusive() {
    History h = new History()
        // 2021-01-01 + 90 x 24 h = 2021-04-01T00:00Z (31 + 28 + 31 days)
        .registered("r1", "a1", "2021-01-01T00:00:00Z", "FR")
        .account("v1", "a1", "VERIFIED", "2021-01-02T00:00:00Z", null, null)
        .created("c1", "l1", "a1", "2021-04-01T00:00:00Z") // exactly 90 days: counts
        .registered("r2", "a2", "2021-01-01T00:00:00Z", "FR")
        .account("v2", "a2", "VERIFIED", "2021-01-02T00:00:00Z", null, null)
        .created("c2", "l2", "a2", "2021-04-01T00:00:01Z") // one second late: does not
        .registered("r3", "a3", "2021-01-01T00:00:00Z", "FR")
        .created("c3", "l3", "a3", "2021-01-01T00:00:00Z") // same instant as registration: counts
        .account("v3", "a3", "VERIFIED", "2021-03-31T00:00:00Z", null, null)
        .registered("r4", "a4", "2021-01-01T00:00:00Z", "FR")
        .account("v4", "a4", "VERIFIED", "2020-12-31T00:00:00Z", null, null) // before registration: does not follow it
        .created("c4", "l4", "a4", "2021-01-05T00:00:00Z")
        .registered("r5", "a5", "2021-06-01T00:00:00Z", "FR")
        .account("v5", "a5", "VERIFIED", "2021-06-02T00:00:00Z", null, null); // never listed
    Map<String, Row> s = stats(h);
    assertEquals(5L, v(s, 2021, "FR", "accounts_registered"));
    assertEquals(2L, v(s, 2021, "FR", "accounts_verified_and_listed_90d"));
    assertShare(0.4, v(s, 2021, "FR", "verification_pass_share"));
    assertShare(0.4, v(s, 2021, "ALL", "verification_pass_share"));
    // 2020 is covered (a4's VERIFIED) but has no registration: share null
    assertEquals(0L, v(s, 2020, "ALL", "accounts_registered"));
    assertNull(v(s, 2020, "ALL", "verification_pass_share"));
  }

  @Test
  void repeatBlockedNeedsBlockedThenReinstatedThenBlockedStrictly() {
    History h = new History()
        .registered("r1", "a1", "2020-01-01T00:00:00Z", "FR")
        .blocked("b1a", "a1", "2021-01-01T00:00:00Z", "FRAUD")
        .account("i1", "a1", "REINSTATED", "2021-02-01T00:00:00Z", null, null)
        .blocked("b1b", "a1", "2021-03-01T00:00:00Z", "FRAUD") // blocked, reinstated, blocked again: repeat
        .registered("r2", "a2", "2020-01-01T00:00:00Z", "FR")
        .blocked("b2a", "a2", "2020-05-01T00:00:00Z", "FRAUD")
        .account("i2", "a2", "REINSTATED", "2020-06-01T00:00:00Z", null, null)
        .blocked("b2b", "a2", "2021-01-10T00:00:00Z", "FRAUD") // earlier steps in 2020: repeat in 2021 only
        .registered("r3", "a3", "2020-01-01T00:00:00Z", "FR")
        .account("i3", "a3", "REINSTATED", "2021-01-01T00:00:00Z", null, null)
        .blocked("b3", "a3", "2021-02-01T00:00:00Z", "FRAUD") // no block before the reinstatement
        .registered("r4", "a4", "2020-01-01T00:00:00Z", "FR")
        .blocked("b4a", "a4", "2021-01-01T00:00:00Z", "FRAUD")
        .account("i4", "a4", "REINSTATED", "2021-01-01T00:00:00Z", null, null) // same instant as the block: not after it
        .blocked("b4b", "a4", "2021-02-01T00:00:00Z", "FRAUD");
    Map<String, Row> s = stats(h);
    assertEquals(4L, v(s, 2021, "ALL", "accounts_blocked"));
    assertEquals(2L, v(s, 2021, "ALL", "repeat_blocked_accounts"));
    assertEquals(2L, v(s, 2021, "FR", "repeat_blocked_accounts"));
    assertEquals(1L, v(s, 2020, "FR", "accounts_blocked"));
    assertEquals(0L, v(s, 2020, "FR", "repeat_blocked_accounts"));
  }

  @Test
  void listingsCreatedByFirstCreatedInUtcYearWithSellerOfTheFirstCreated() {
    History h = new History()
        .registered("r1", "s1", "2020-01-01T00:00:00Z", "FR")
        .registered("r3", "s3", "2020-01-01T00:00:00Z", "DE")
        .created("c1", "l1", "s1", "2021-03-01T00:00:00Z")
        .created("c1b", "l1", "s1", "2022-03-01T00:00:00Z") // a later CREATED is not the first
        .created("c2", "l2", "s2", "2022-01-01T01:00:00+02:00") // 2021 (UTC); s2 never registered: UNKNOWN
        .listing("x3", "l3", "s1", "SUBMISSION_BLOCKED", "2021-04-01T00:00:00Z", "POLICY") // never live
        .created("c4a", "l4", "s1", "2021-06-01T00:00:00Z") // tie: event_id c4a < c4b, seller s1 (FR)
        .created("c4b", "l4", "s3", "2021-06-01T00:00:00Z");
    Map<String, Row> s = stats(h);
    assertEquals(2L, v(s, 2021, "FR", "listings_created"));
    assertEquals(1L, v(s, 2021, "UNKNOWN", "listings_created"));
    assertEquals(3L, v(s, 2021, "ALL", "listings_created"));
    assertFalse(s.containsKey("2021/DE"), "DE has nothing to count in 2021: " + s.keySet());
    assertEquals(0L, v(s, 2022, "ALL", "listings_created"));
  }

  @Test
  void submissionsBlockedWithoutAnEarlierCreated() {
    History h = new History()
        .registered("r1", "s1", "2020-01-01T00:00:00Z", "FR")
        .registered("r2", "s2", "2020-01-01T00:00:00Z", "DE")
        .listing("x1", "l1", "s1", "SUBMISSION_BLOCKED", "2021-02-01T00:00:00Z", "POLICY") // never live: FR
        .listing("x2", "l2", "s2", "SUBMISSION_BLOCKED", "2021-03-01T00:00:00Z", "SAFETY")
        .created("c2", "l2", "s1", "2021-03-01T00:00:00Z") // same instant: not before; live listing, seller s1: FR
        .created("c3", "l3", "s1", "2021-01-01T00:00:00Z")
        .listing("x3", "l3", "s1", "SUBMISSION_BLOCKED", "2021-04-01T00:00:00Z", "POLICY") // CREATED before it: no
        .listing("x4a", "l4", "s2", "SUBMISSION_BLOCKED", "2021-05-01T00:00:00Z", "POLICY") // twice: once, DE
        .listing("x4b", "l4", "s2", "SUBMISSION_BLOCKED", "2021-06-01T00:00:00Z", "POLICY")
        .listing("x5", "l5", "s9", "SUBMISSION_BLOCKED", "2021-07-01T00:00:00Z", "POLICY"); // s9 unregistered
    Map<String, Row> s = stats(h);
    assertEquals(2L, v(s, 2021, "FR", "submissions_blocked"));
    assertEquals(1L, v(s, 2021, "DE", "submissions_blocked"));
    assertEquals(1L, v(s, 2021, "UNKNOWN", "submissions_blocked"));
    assertEquals(4L, v(s, 2021, "ALL", "submissions_blocked"));
  }

  @Test
  void listingsBlockedProactivelyOnlyStrictlyBeforeEveryNotice() {
    History h = new History()
        .registered("r1", "s1", "2020-01-01T00:00:00Z", "FR")
        .registered("r2", "s2", "2020-01-01T00:00:00Z", "DE")
        .created("c1", "l1", "s1", "2021-01-01T00:00:00Z")
        .listing("k1", "l1", "s1", "BLOCKED", "2021-02-01T00:00:00Z", "COUNTERFEIT")
        .notice("n1", "l1", "2021-03-01T00:00:00Z", "VALID", null) // block before the notice: proactive
        .created("c2", "l2", "s1", "2021-01-01T00:00:00Z")
        .listing("k2", "l2", "s1", "BLOCKED", "2021-02-01T10:00:00Z", "TRADEMARK")
        .notice("n2", "l2", "2021-02-01T10:00:00Z", "VALID", null) // same instant as the block: not proactive
        .created("c3", "l3", "s1", "2021-01-01T00:00:00Z")
        .listing("k3", "l3", "s1", "BLOCKED", "2021-02-01T00:00:00Z", "SAFETY") // not an IP block
        .created("c4", "l4", "s1", "2020-11-01T00:00:00Z")
        .notice("n4", "l4", "2020-12-01T00:00:00Z", "VALID", null) // notice in an earlier year
        .listing("k4", "l4", "s1", "BLOCKED", "2021-05-01T00:00:00Z", "COUNTERFEIT") // after it: not proactive
        .listing("k5", "l5", "s2", "BLOCKED", "2021-06-01T00:00:00Z", "COUNTERFEIT") // never live, no notice: DE, proactive
        .created("c6", "l6", "s1", "2021-01-01T00:00:00Z")
        .listing("k6a", "l6", "s1", "BLOCKED", "2021-01-10T00:00:00Z", "COUNTERFEIT") // earliest block decides
        .notice("n6", "l6", "2021-01-20T00:00:00Z", "VALID", null)
        .listing("k6b", "l6", "s1", "BLOCKED", "2021-02-10T00:00:00Z", "COUNTERFEIT");
    Map<String, Row> s = stats(h);
    assertEquals(4L, v(s, 2021, "FR", "listings_blocked_ip")); // l1, l2, l4, l6
    assertEquals(2L, v(s, 2021, "FR", "listings_blocked_proactively")); // l1, l6
    assertShare(0.5, v(s, 2021, "FR", "proactive_block_share"));
    assertEquals(1L, v(s, 2021, "DE", "listings_blocked_ip"));
    assertShare(1.0, v(s, 2021, "DE", "proactive_block_share"));
    assertEquals(5L, v(s, 2021, "ALL", "listings_blocked_ip"));
    assertEquals(3L, v(s, 2021, "ALL", "listings_blocked_proactively"));
    assertShare(0.6, v(s, 2021, "ALL", "proactive_block_share"));
    assertNull(v(s, 2020, "ALL", "proactive_block_share"));
  }

  @Test
  void aListingBlockedInTwoYearsCountsOnceInEachWithThatYearsEarliestBlock() {
    History h = new History()
        .registered("r1", "s1", "2020-01-01T00:00:00Z", "FR")
        .registered("r2", "s2", "2020-01-01T00:00:00Z", "DE")
        // l1 never went live: two submission blocks in 2021 (UTC), one in 2022 by another seller
        .listing("x1a", "l1", "s1", "SUBMISSION_BLOCKED", "2021-03-01T00:00:00Z", "POLICY")
        .listing("x1b", "l1", "s2", "SUBMISSION_BLOCKED", "2022-01-01T01:00:00+02:00", "POLICY") // 2021-12-31T23:00Z
        .listing("x1c", "l1", "s2", "SUBMISSION_BLOCKED", "2022-02-01T00:00:00Z", "POLICY")
        // l2 (s1, FR): IP blocks twice in 2021 and once in 2022; its first notice falls between them
        .created("c2", "l2", "s1", "2021-01-01T00:00:00Z")
        .listing("k2a", "l2", "s1", "BLOCKED", "2021-05-01T00:00:00Z", "COUNTERFEIT")
        .notice("n2", "l2", "2021-06-01T00:00:00Z", "VALID", null)
        .listing("k2b", "l2", "s1", "BLOCKED", "2021-07-01T00:00:00Z", "TRADEMARK")
        .listing("k2c", "l2", "s1", "BLOCKED", "2022-03-01T00:00:00Z", "COUNTERFEIT");
    Map<String, Row> s = stats(h);
    // l1: 2021 once, by its earliest 2021 block x1a (s1, FR); 2022 once, by x1c (s2, DE)
    assertEquals(1L, v(s, 2021, "FR", "submissions_blocked"));
    assertEquals(1L, v(s, 2021, "ALL", "submissions_blocked"));
    assertEquals(1L, v(s, 2022, "DE", "submissions_blocked"));
    assertEquals(0L, v(s, 2022, "FR", "submissions_blocked"));
    assertEquals(1L, v(s, 2022, "ALL", "submissions_blocked"));
    // l2: 2021's earliest block (k2a) precedes the notice: proactive; 2022's (k2c) follows it: not
    assertEquals(1L, v(s, 2021, "FR", "listings_blocked_ip"));
    assertEquals(1L, v(s, 2021, "FR", "listings_blocked_proactively"));
    assertEquals(1L, v(s, 2022, "FR", "listings_blocked_ip"));
    assertEquals(0L, v(s, 2022, "FR", "listings_blocked_proactively"));
    assertShare(0.0, v(s, 2022, "ALL", "proactive_block_share"));
    assertEquals(1L, v(s, 2021, "FR", "listings_created"));
    assertEquals(1L, v(s, 2021, "FR", "notices_submitted"));
    assertEquals(List.of("2020/ALL", "2020/DE", "2020/FR", "2021/ALL", "2021/FR", "2022/ALL", "2022/DE", "2022/FR"),
        List.copyOf(s.keySet()));
  }

  @Test
  void noticesSubmittedValidAndResolvedWithin24h() {
    History h = new History()
        .registered("r1", "s1", "2020-01-01T00:00:00Z", "FR")
        .created("c1", "l1", "s1", "2021-01-01T00:00:00Z")
        .notice("n1", "l1", "2021-03-01T00:00:00Z", "VALID", "2021-03-02T00:00:00Z") // exactly 24 h: within
        .notice("n2", "l1", "2021-03-01T00:00:00Z", "VALID", "2021-03-02T00:00:01Z") // 24 h 1 s: not
        .notice("n3", "l1", "2021-03-05T00:00:00Z", "INVALID", "2021-03-05T01:00:00Z") // within
        .notice("n4", "l1", "2021-03-06T00:00:00Z", "PENDING", null) // unresolved: outside the share
        .notice("n5", "l9", "2021-04-01T00:00:00Z", "VALID", null) // listing without events: UNKNOWN
        .notice("n6", "l1", "2022-01-01T01:00:00+02:00", "INVALID", null); // 2021 in UTC
    Map<String, Row> s = stats(h);
    assertEquals(5L, v(s, 2021, "FR", "notices_submitted"));
    assertEquals(2L, v(s, 2021, "FR", "valid_notices"));
    assertShare(2.0 / 3.0, v(s, 2021, "FR", "notices_resolved_within_24h_share"));
    assertEquals(1L, v(s, 2021, "UNKNOWN", "notices_submitted"));
    assertEquals(1L, v(s, 2021, "UNKNOWN", "valid_notices"));
    assertNull(v(s, 2021, "UNKNOWN", "notices_resolved_within_24h_share"));
    assertEquals(6L, v(s, 2021, "ALL", "notices_submitted"));
    assertEquals(3L, v(s, 2021, "ALL", "valid_notices"));
    assertShare(2.0 / 3.0, v(s, 2021, "ALL", "notices_resolved_within_24h_share"));
  }

  @Test
  void brandsEnrolledBeforeTheEndOfTheYearOnlyOnAllRows() {
    History h = new History()
        .registered("r1", "s1", "2020-01-01T00:00:00Z", "FR")
        .created("c1", "l1", "s1", "2021-01-01T00:00:00Z")
        .brand("b1", "2019-06-01T00:00:00Z")
        .brand("b2", "2021-12-31T23:59:59Z")
        .brand("b3", "2022-01-01T00:00:00Z") // not before the end of 2021
        .brand("b4", "2022-01-01T01:00:00+02:00") // 2021-12-31T23:00Z
        .notice("n1", "l1", "2021-02-01T00:00:00Z", "VALID", null)
        .notice("n2", "l1", "2021-02-02T00:00:00Z", "VALID", null)
        .notice("n3", "l1", "2021-02-03T00:00:00Z", "VALID", null)
        .notice("n4", "l1", "2022-02-03T00:00:00Z", "VALID", null);
    Map<String, Row> s = stats(h);
    assertEquals(1L, v(s, 2020, "ALL", "brands_enrolled")); // b1
    assertShare(0.0, v(s, 2020, "ALL", "valid_notices_per_brand")); // 0 valid notices / 1 brand
    assertEquals(3L, v(s, 2021, "ALL", "brands_enrolled")); // b1, b2, b4
    assertShare(1.0, v(s, 2021, "ALL", "valid_notices_per_brand")); // 3 / 3
    assertEquals(4L, v(s, 2022, "ALL", "brands_enrolled"));
    assertShare(0.25, v(s, 2022, "ALL", "valid_notices_per_brand")); // 1 / 4
    assertNull(v(s, 2021, "FR", "brands_enrolled"));
    assertNull(v(s, 2021, "FR", "valid_notices_per_brand"));
  }

  @Test
  void validNoticesPerBrandIsNullWithoutBrands() {
    History h = new History()
        .registered("r1", "s1", "2020-01-01T00:00:00Z", "FR")
        .created("c1", "l1", "s1", "2021-01-01T00:00:00Z")
        .notice("n1", "l1", "2021-02-01T00:00:00Z", "VALID", null);
    Map<String, Row> s = stats(h);
    assertEquals(0L, v(s, 2021, "ALL", "brands_enrolled"));
    assertNull(v(s, 2021, "ALL", "valid_notices_per_brand"));
  }

  @Test
  void ordersUnitsAndCounterfeitComplaintsAtAnyTime() {
    History h = new History()
        .registered("r1", "s1", "2020-01-01T00:00:00Z", "FR")
        .order("o1", "s1", "2021-12-20T00:00:00Z", 2)
        .complaint("q1", "o1", "2022-01-05T00:00:00Z", "COUNTERFEIT") // next year: still counts for 2021
        .order("o2", "s1", "2021-06-01T00:00:00Z", 3)
        .complaint("q2", "o2", "2021-06-10T00:00:00Z", "NOT_AS_DESCRIBED")
        .order("o3", "s1", "2021-06-02T00:00:00Z", 1)
        .complaint("q3a", "o3", "2021-06-03T00:00:00Z", "COUNTERFEIT") // two complaints: one order
        .complaint("q3b", "o3", "2021-06-04T00:00:00Z", "COUNTERFEIT")
        .order("o4", "s2", "2021-07-01T00:00:00Z", 5) // s2 never registered: UNKNOWN
        .order("o5", "s1", "2022-03-01T00:00:00Z", 1);
    Map<String, Row> s = stats(h);
    assertEquals(3L, v(s, 2021, "FR", "orders"));
    assertEquals(6L, v(s, 2021, "FR", "units_sold"));
    assertEquals(2L, v(s, 2021, "FR", "orders_with_counterfeit_complaint"));
    assertShare(2.0 / 3.0, v(s, 2021, "FR", "counterfeit_complaint_rate"));
    assertEquals(1L, v(s, 2021, "UNKNOWN", "orders"));
    assertEquals(5L, v(s, 2021, "UNKNOWN", "units_sold"));
    assertShare(0.0, v(s, 2021, "UNKNOWN", "counterfeit_complaint_rate"));
    assertEquals(4L, v(s, 2021, "ALL", "orders"));
    assertEquals(11L, v(s, 2021, "ALL", "units_sold"));
    assertEquals(2L, v(s, 2021, "ALL", "orders_with_counterfeit_complaint"));
    assertShare(0.5, v(s, 2021, "ALL", "counterfeit_complaint_rate"));
    assertEquals(1L, v(s, 2022, "FR", "orders"));
    assertEquals(0L, v(s, 2022, "FR", "orders_with_counterfeit_complaint"));
  }

  @Test
  void medianHoursRegistrationToBlockInterpolatesAnEvenCount() {
    History h = new History()
        .registered("r1", "a1", "2021-01-01T00:00:00Z", "FR")
        .blocked("b1", "a1", "2021-01-01T10:00:00Z", "FRAUD") // 10 h
        .registered("r2", "a2", "2021-01-01T00:00:00Z", "FR")
        .blocked("b2a", "a2", "2021-01-02T00:00:00Z", "FRAUD") // 24 h (earliest block of the year)
        .blocked("b2b", "a2", "2021-01-05T00:00:00Z", "FRAUD")
        .registered("r3", "a3", "2020-12-31T00:00:00Z", "FR")
        .blocked("b3", "a3", "2021-01-02T12:00:00Z", "FRAUD") // 60 h
        .registered("r4", "a4", "2021-01-01T00:00:00Z", "FR")
        .blocked("b4", "a4", "2021-01-01T01:30:00Z", "FRAUD") // 1.5 h
        .blocked("b5", "a5", "2021-01-01T01:00:00Z", "FRAUD") // no REGISTERED: UNKNOWN, left out of the median
        .registered("r6", "a6", "2021-01-01T00:00:00Z", "DE")
        .blocked("b6", "a6", "2021-01-01T05:00:00Z", "FRAUD"); // 5 h
    Map<String, Row> s = stats(h);
    assertShare(17.0, v(s, 2021, "FR", "median_hours_registration_to_block")); // (10 + 24) / 2 of 1.5, 10, 24, 60
    assertShare(5.0, v(s, 2021, "DE", "median_hours_registration_to_block"));
    assertShare(10.0, v(s, 2021, "ALL", "median_hours_registration_to_block")); // middle of 1.5, 5, 10, 24, 60
    assertEquals(1L, v(s, 2021, "UNKNOWN", "accounts_blocked"));
    assertNull(v(s, 2021, "UNKNOWN", "median_hours_registration_to_block"));
    assertNull(v(s, 2020, "ALL", "median_hours_registration_to_block")); // 2020 has a registration, no block
  }

  @Test
  void aYearWithNoBlocksHasAnAllRowWithZeroCountsAndNullShares() {
    History h = new History()
        .registered("r1", "a1", "2020-01-01T00:00:00Z", "FR")
        .blocked("b1", "a1", "2020-02-01T00:00:00Z", "FRAUD")
        .registered("r2", "a2", "2022-01-01T00:00:00Z", "FR")
        .blocked("b2", "a2", "2022-03-01T00:00:00Z", "FRAUD");
    Map<String, Row> s = stats(h);
    assertEquals(List.of("2020/ALL", "2020/FR", "2021/ALL", "2022/ALL", "2022/FR"), List.copyOf(s.keySet()));
    // 2021: covered (between 2020 and 2022) with nothing in it: every count 0, every share null, brands 0
    Row empty = s.get("2021/ALL");
    assertEquals("[2021,ALL,0,0,0,null,0,0,null,0,0,0,0,0,null,0,0,0,null,null,0,0,0,null,null]", empty.toString());
  }

  /**
   * "Duplicates count once" is ingest's guarantee: bronze holds one row per business key (ingest drops
   * exact copies and rejects conflicting ones, tested in the ingest tests; the generated lake's
   * injected duplicates go through ingest in YearlyEndToEndTest). Silver trusts it, so this history is
   * what bronze holds after a record was delivered twice: each record once.
   */
  @Test
  void aRecordDeliveredTwiceIsInBronzeOnceAndCountsOnce() {
    History h = new History()
        .registered("r1", "a1", "2021-01-01T00:00:00Z", "FR")
        .order("o1", "a1", "2021-02-01T00:00:00Z", 4)
        .complaint("q1", "o1", "2021-02-02T00:00:00Z", "COUNTERFEIT");
    Map<String, Row> s = stats(h);
    assertEquals(1L, v(s, 2021, "FR", "accounts_registered"));
    assertEquals(1L, v(s, 2021, "FR", "orders"));
    assertEquals(4L, v(s, 2021, "FR", "units_sold"));
    assertShare(1.0, v(s, 2021, "FR", "counterfeit_complaint_rate"));
  }

  @Test
  void yearsCoveredRunToTheLatestComplaintAndStartAtTheEarliestOrder() {
    History h = new History()
        .registered("r1", "s1", "2021-01-01T00:00:00Z", "FR")
        .order("o1", "s1", "2019-12-31T23:59:59Z", 1)
        .complaint("q1", "o1", "2023-01-01T00:00:00Z", "COUNTERFEIT");
    Map<String, Row> s = stats(h);
    assertEquals(List.of("2019/ALL", "2019/FR", "2020/ALL", "2021/ALL", "2021/FR", "2022/ALL", "2023/ALL"),
        List.copyOf(s.keySet()));
    assertShare(1.0, v(s, 2019, "FR", "counterfeit_complaint_rate"));
  }

  @Test
  void noHistoryGivesNoRows() {
    assertEquals(Map.of(), stats(new History()));
  }
}
