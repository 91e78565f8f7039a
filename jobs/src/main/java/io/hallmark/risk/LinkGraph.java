package io.hallmark.risk;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.hallmark.config.JobFailure;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Accounts linked by shared payment, device or address fingerprints, per as_of date, computed in
 * Spark (the graph is never collected to the driver).
 *
 * <p>Connected components: min-label propagation over the bipartite account-fingerprint graph.
 * Each round, a fingerprint takes the smallest label of its accounts and an account the smallest
 * label of its fingerprints; labels are localCheckpointed every round so the plan does not grow
 * with the number of rounds. It stops when no label changes, and fails after a bounded number of
 * rounds rather than publishing half-merged groups.
 */
public final class LinkGraph {
  private LinkGraph() {}

  /** Reasons whose block marks an account as bad company for the accounts linked to it. */
  static final String[] LINK_BLOCK_REASONS = {"COUNTERFEIT", "FRAUD", "RELATED_ACCOUNT"};

  /** An account event's fingerprints, typed so a payment id never meets an equal device id (nulls kept). */
  private static org.apache.spark.sql.Column typedFingerprints() {
    return explode(array(
        concat(lit("payment:"), col("payment_fingerprint")),
        concat(lit("device:"), col("device_fingerprint")),
        concat(lit("address:"), col("address_fingerprint")))).as("fingerprint");
  }

  /** (as_of, account_id, fingerprint), distinct, for every fingerprint of an account's events before the cutoff. */
  public static Dataset<Row> fingerprintPairs(Dataset<Row> accountEvents, Dataset<Row> dates) {
    return SellerFeatures.pointInTime(accountEvents, "event_time", dates)
        .select(col("as_of"), col("account_id"), typedFingerprints())
        .filter(col("fingerprint").isNotNull())
        .distinct();
  }

  /**
   * The pairs whose fingerprint links: not hub fingerprints (more accounts than maxDegree) nor
   * fingerprints of one account (they link nothing).
   */
  public static Dataset<Row> usableEdges(Dataset<Row> pairs, int maxDegree) {
    Dataset<Row> usable = pairs.groupBy("as_of", "fingerprint").agg(count(lit(1)).as("degree"))
        .filter(col("degree").between(2, maxDegree))
        .select("as_of", "fingerprint");
    return pairs.join(usable, new String[] {"as_of", "fingerprint"}, "left_semi")
        .select("as_of", "account_id", "fingerprint");
  }

  /**
   * (as_of, account_id, fingerprint) for fingerprints seen before the cutoff, typed so a payment id
   * never meets an equal device id, and without hub fingerprints (more accounts than maxDegree) or
   * fingerprints of one account (they link nothing).
   */
  public static Dataset<Row> fingerprintEdges(Dataset<Row> accountEvents, Dataset<Row> dates, int maxDegree) {
    return usableEdges(fingerprintPairs(accountEvents, dates), maxDegree);
  }

  /**
   * (as_of, account_id): where a night's changes enter the graph. {@code changedEvents} are the account
   * events that differ from what the previous publication saw (every image the change feed holds since
   * then, and the events the moved cutoff made visible); {@code pairs} are this night's
   * {@link #fingerprintPairs}. An account's link features can change only through a changed block state
   * (its own events: the seeds include every account of {@code changedEvents}) or through an edge that
   * appeared or went: only a fingerprint of a changed event can gain or lose an account, or cross the hub
   * bound, so every account now carrying one is a seed too (an account that lost the fingerprint is
   * itself in {@code changedEvents}). Fingerprints that were hubs before and still are link nothing either
   * way and are left out (a fingerprint with more than maxDegree accounts besides the changed ones had
   * more than maxDegree before as well).
   */
  public static Dataset<Row> seeds(Dataset<Row> pairs, Dataset<Row> changedEvents, Dataset<Row> dates, int maxDegree) {
    Dataset<Row> changed = changedEvents.crossJoin(broadcast(dates));
    Dataset<Row> changedPairs = changed.select(col("as_of"), col("account_id"), typedFingerprints())
        .filter(col("fingerprint").isNotNull())
        .distinct();
    Dataset<Row> changedPerFingerprint = changedPairs.groupBy("as_of", "fingerprint")
        .agg(count(lit(1)).as("changed_accounts"));
    Dataset<Row> degreeNow = pairs
        .join(broadcast(changedPerFingerprint.select("as_of", "fingerprint")), new String[] {"as_of", "fingerprint"}, "left_semi")
        .groupBy("as_of", "fingerprint").agg(count(lit(1)).as("degree"));
    Dataset<Row> moved = changedPerFingerprint.join(degreeNow, new String[] {"as_of", "fingerprint"}, "left")
        .filter(coalesce(col("degree"), lit(0L)).minus(col("changed_accounts")).leq(maxDegree))
        .select("as_of", "fingerprint");
    return changed.select("as_of", "account_id")
        .unionByName(pairs.join(broadcast(moved), new String[] {"as_of", "fingerprint"}, "left_semi")
            .select("as_of", "account_id"))
        .distinct();
  }

  /**
   * (as_of, account_id): {@code seeds} and every account connected to one by {@code edges}, i.e. the
   * union of the seeds' groups, found by widening from the seeds one fingerprint hop per round. Empty
   * when it does not settle within maxRounds or grows past maxAccounts (the caller then takes the whole
   * graph): the widening pays only while it stays a small part of the graph.
   */
  public static Optional<Dataset<Row>> groupsOf(Dataset<Row> edges, Dataset<Row> seeds, int maxRounds, long maxAccounts) {
    Dataset<Row> reached = seeds.select("as_of", "account_id").distinct().localCheckpoint();
    long count = reached.count();
    for (int round = 1; round <= maxRounds && count <= maxAccounts; round++) {
      Dataset<Row> fingerprints = edges.join(broadcast(reached), new String[] {"as_of", "account_id"}, "left_semi")
          .select("as_of", "fingerprint").distinct();
      Dataset<Row> next = edges.join(broadcast(fingerprints), new String[] {"as_of", "fingerprint"}, "left_semi")
          .select("as_of", "account_id")
          .unionByName(reached)
          .distinct()
          .localCheckpoint();
      long grown = next.count();
      reached = next;
      if (grown == count) {
        return Optional.of(reached);
      }
      count = grown;
    }
    return Optional.empty();
  }

  /**
   * (as_of, account_id, component): the smallest account_id of the account's connected group, for
   * every account that has at least one usable edge.
   */
  public static Dataset<Row> components(Dataset<Row> edges, int maxIterations) {
    Dataset<Row> labels = edges.select("as_of", "account_id").distinct()
        .select(col("as_of"), col("account_id"), col("account_id").as("component"))
        .localCheckpoint();
    for (int round = 1; round <= maxIterations; round++) {
      Dataset<Row> fingerprintLabels = edges.join(labels, new String[] {"as_of", "account_id"}, "inner")
          .groupBy("as_of", "fingerprint").agg(min("component").as("fingerprint_label"));
      Dataset<Row> offered = edges.join(fingerprintLabels, new String[] {"as_of", "fingerprint"}, "inner")
          .groupBy("as_of", "account_id").agg(min("fingerprint_label").as("offered"));
      Dataset<Row> next = labels.join(offered, new String[] {"as_of", "account_id"}, "left")
          .select(col("as_of"), col("account_id"),
              least(col("component"), col("offered")).as("component"),
              when(col("offered").lt(col("component")), 1).otherwise(0).as("changed"))
          .localCheckpoint();
      Row changedRow = next.agg(sum("changed")).head();
      long changed = changedRow.isNullAt(0) ? 0 : changedRow.getLong(0);
      labels = next.select("as_of", "account_id", "component");
      if (changed == 0) {
        return labels;
      }
    }
    throw new JobFailure("fingerprint groups did not settle within hallmark.risk.graph.max-iterations = "
        + maxIterations + " rounds; raise it (or lower graph.max-fingerprint-degree)");
  }

  /** (as_of, account_id) of accounts whose latest block/reinstate event before the cutoff is a block for a link reason. */
  public static Dataset<Row> blockedAccounts(Dataset<Row> accountEvents, Dataset<Row> dates) {
    return SellerFeatures.blockedAtCutoff(accountEvents, dates)
        .filter(col("reason").isin((Object[]) LINK_BLOCK_REASONS))
        .select("as_of", "account_id");
  }

  /**
   * (as_of, account_id, linked_blocked_direct, linked_blocked_group): other blocked accounts sharing a
   * fingerprint, and other blocked accounts in the same group. The account's own block never counts.
   */
  public static Dataset<Row> linkFeatures(Dataset<Row> edges, Dataset<Row> components, Dataset<Row> blocked) {
    Dataset<Row> blockedNeighbour = blocked.select(col("as_of"), col("account_id").as("neighbour"));
    Dataset<Row> direct = edges
        .join(edges.select(col("as_of"), col("fingerprint"), col("account_id").as("neighbour")),
            new String[] {"as_of", "fingerprint"}, "inner")
        .filter(col("neighbour").notEqual(col("account_id")))
        .join(blockedNeighbour, new String[] {"as_of", "neighbour"}, "left_semi")
        .groupBy("as_of", "account_id").agg(countDistinct("neighbour").as("linked_blocked_direct"));
    Dataset<Row> blockedPerGroup = components
        .join(blocked, new String[] {"as_of", "account_id"}, "left_semi")
        .groupBy("as_of", "component").agg(count(lit(1)).as("blocked_in_group"));
    Dataset<Row> selfBlocked = blocked.withColumn("self_blocked", lit(1L));
    Dataset<Row> group = components
        .join(blockedPerGroup, new String[] {"as_of", "component"}, "left")
        .join(selfBlocked, new String[] {"as_of", "account_id"}, "left")
        .select(col("as_of"), col("account_id"),
            org.apache.spark.sql.functions.coalesce(col("blocked_in_group"), lit(0L))
                .minus(org.apache.spark.sql.functions.coalesce(col("self_blocked"), lit(0L)))
                .as("linked_blocked_group"));
    return group.join(direct, new String[] {"as_of", "account_id"}, "left")
        .select(col("as_of"), col("account_id"),
            org.apache.spark.sql.functions.coalesce(col("linked_blocked_direct"), lit(0L)).cast("double").as("linked_blocked_direct"),
            col("linked_blocked_group").cast("double").as("linked_blocked_group"));
  }
}
