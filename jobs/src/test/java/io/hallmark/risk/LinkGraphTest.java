package io.hallmark.risk;

import static io.hallmark.testing.SparkTestSupport.row;
import static io.hallmark.testing.SparkTestSupport.spark;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hallmark.config.JobFailure;
import io.hallmark.lake.Bronze;
import io.hallmark.testing.SparkTestSupport;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Connected groups and links to blocked accounts on a small hand-drawn graph. */
class LinkGraphTest {
  static final LocalDate AS_OF = LocalDate.of(2024, 6, 30);
  static final Date D = Date.valueOf(AS_OF);

  /*
   * k5 -pay- k4 -dev- k3 -adr- k2 -pay- a0   (a chain: the smallest label needs several rounds)
   * d1 -adr- d2                               (a second group)
   * a0, d1, g1 share device "hub": 3 accounts > max degree 2, ignored (else everything merges)
   * f1 alone with payment "solo" (degree 1: no edge)
   */
  static RiskFixtures graph() {
    return new RiskFixtures()
        .registered("k5", "2024-01-01T00:00:00Z", "US", "p54", null, null)
        .registered("k4", "2024-01-01T00:00:00Z", "US", "p54", "d43", null)
        .registered("k3", "2024-01-01T00:00:00Z", "US", null, "d43", "a32")
        .registered("k2", "2024-01-01T00:00:00Z", "US", "p20", null, "a32")
        .registered("a0", "2024-01-01T00:00:00Z", "US", "p20", "hub", null)
        .registered("d1", "2024-01-01T00:00:00Z", "US", null, "hub", "a12")
        .registered("d2", "2024-01-01T00:00:00Z", "US", null, null, "a12")
        .registered("g1", "2024-01-01T00:00:00Z", "US", null, "hub", null)
        .registered("f1", "2024-01-01T00:00:00Z", "US", "solo", null, null)
        // k3 blocked for counterfeit before the cutoff: counts for its neighbours, not for itself
        .accountEvent("k3", "BLOCKED", "2024-06-30T23:59:59.999Z", "COUNTERFEIT")
        // d2 blocked for fraud, then reinstated: no longer counts
        .accountEvent("d2", "BLOCKED", "2024-03-01T00:00:00Z", "FRAUD")
        .accountEvent("d2", "REINSTATED", "2024-03-02T00:00:00Z", null)
        // a0 blocked only after the cutoff: does not count yet
        .accountEvent("a0", "BLOCKED", "2024-07-01T00:00:00Z", "COUNTERFEIT")
        // k5 blocked for a reason that is not a link reason
        .accountEvent("k5", "BLOCKED", "2024-02-01T00:00:00Z", "IDENTITY");
  }

  @Test
  void groupsAreTheConnectedComponentsWithoutHubsAndLinksCountOtherBlockedAccounts() {
    Bronze bronze = graph().bronze();
    Dataset<Row> dates = RiskTables.asOfDates(spark(), List.of(AS_OF));
    Dataset<Row> edges = LinkGraph.fingerprintEdges(bronze.accountEvents(), dates, 2);
    Dataset<Row> components = LinkGraph.components(edges, 10).cache();
    SparkTestSupport.assertRows("as_of DATE NOT NULL, account_id STRING NOT NULL, component STRING NOT NULL", List.of(
        row(D, "k5", "a0"), row(D, "k4", "a0"), row(D, "k3", "a0"), row(D, "k2", "a0"), row(D, "a0", "a0"),
        row(D, "d1", "d1"), row(D, "d2", "d1")), components);

    Dataset<Row> links = LinkGraph.linkFeatures(edges, components, LinkGraph.blockedAccounts(bronze.accountEvents(), dates));
    SparkTestSupport.assertRows(
        "as_of DATE NOT NULL, account_id STRING NOT NULL, linked_blocked_direct DOUBLE NOT NULL, linked_blocked_group DOUBLE NOT NULL",
        List.of(
        row(D, "k5", 0.0, 1.0),
        row(D, "k4", 1.0, 1.0), // shares device d43 with k3
        row(D, "k3", 0.0, 0.0), // its own block is not a feature
        row(D, "k2", 1.0, 1.0), // shares address a32 with k3
        row(D, "a0", 0.0, 1.0),
        row(D, "d1", 0.0, 0.0),
        row(D, "d2", 0.0, 0.0)), links);
  }

  @Test
  void tooFewRoundsFailInsteadOfPublishingHalfMergedGroups() {
    Dataset<Row> dates = RiskTables.asOfDates(spark(), List.of(AS_OF));
    Dataset<Row> edges = LinkGraph.fingerprintEdges(graph().bronze().accountEvents(), dates, 2);
    assertThrows(JobFailure.class, () -> LinkGraph.components(edges, 2));
  }

  /**
   * A night on graph(): z joins the hub device (a hub before and after: links nothing either way), n joins
   * d1's and d2's address (3 accounts: now a hub, so d1 and d2 lose their edge), k2 gets an event without
   * fingerprints (its block state could have changed). Seeds by hand: z, n, k2 (changed), d1, d2 (carry
   * the address); widened to whole groups: k2's chain k5-k4-k3-k2-a0.
   */
  @Test
  void seedsAreTheChangedAccountsAndTheCarriersOfTheirFingerprintsAndWidenToTheirWholeGroups() {
    RiskFixtures night = new RiskFixtures("night-")
        .registered("z", "2024-06-30T01:00:00Z", "US", null, "hub", null)
        .registered("n", "2024-06-30T02:00:00Z", "US", null, null, "a12")
        .accountEvent("k2", "VERIFIED", "2024-06-30T03:00:00Z", null);
    Dataset<Row> accountEvents = graph().bronze().accountEvents().unionByName(night.bronze().accountEvents());
    Dataset<Row> dates = RiskTables.asOfDates(spark(), List.of(AS_OF));
    Dataset<Row> pairs = LinkGraph.fingerprintPairs(accountEvents, dates).cache();
    Dataset<Row> seeds = LinkGraph.seeds(pairs, night.bronze().accountEvents(), dates, 2).cache();
    SparkTestSupport.assertRows("as_of DATE NOT NULL, account_id STRING NOT NULL", List.of(row(D, "z"), row(D, "n"), row(D, "k2"), row(D, "d1"), row(D, "d2")), seeds);

    Dataset<Row> edges = LinkGraph.usableEdges(pairs, 2);
    SparkTestSupport.assertRows("as_of DATE NOT NULL, account_id STRING NOT NULL", List.of(row(D, "z"), row(D, "n"), row(D, "d1"), row(D, "d2"),
        row(D, "k5"), row(D, "k4"), row(D, "k3"), row(D, "k2"), row(D, "a0")),
        LinkGraph.groupsOf(edges, seeds, 10, 9).orElseThrow());
    // more accounts than allowed, or too few rounds to see the widening stop: the caller takes the whole graph
    assertEquals(java.util.Optional.empty(), LinkGraph.groupsOf(edges, seeds, 10, 8));
    assertEquals(java.util.Optional.empty(), LinkGraph.groupsOf(edges, seeds, 3, 9));
  }
}
