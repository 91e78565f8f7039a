package io.hallmark.risk;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The per-(seller, referral tag) order counts of {@link SellerFeatures#sellerTagOrders}, carried from
 * night to night instead of recounted from every order (27 M at 1 M accounts) each night.
 *
 * <p>A state is the counts at a cutoff C0 over bronze at versions V0: orders with order_time &lt; C0,
 * those from an external referral, and their COUNTERFEIT complaints with complaint_time &lt; C0. Bronze
 * orders and complaints only gain rows (checked on their change feed), so the counts at a later cutoff
 * C1 over later versions V1 are the state plus {@link #delta}: the orders counted now but not then
 * (order_time in [C0, C1), or inserted since V0 with order_time &lt; C0) with all their complaints
 * before C1, and, for orders already counted, the complaints counted now but not then (complaint_time
 * in [C0, C1), or inserted since V0 with complaint_time &lt; C0). Both sets are found by a time range
 * on bronze and by the change feed, so a night reads a day of orders plus one pass over the orders'
 * keys, not a sort of all of them. Equivalence with a recount: {@code CarriedStateTest}.
 */
public final class OrderCountState {
  private OrderCountState() {}

  /** The counts' columns (state table and {@link #delta}), without as_of. */
  static final String[] COUNT_COLUMNS = {"seller_id", "referral_tag", "orders", "external", "cf"};

  /** (as_of + 1 day) 00:00 UTC: the features' cutoff for {@code asOf} (as {@link RiskTables#asOfDates}). */
  public static Timestamp cutoff(LocalDate asOf) {
    return Timestamp.from(asOf.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
  }

  /**
   * What the counts at {@code to} over the current bronze add to the counts at {@code from} over
   * bronze without {@code newOrders} and {@code newComplaints} (the rows inserted since), per
   * (seller_id, referral_tag). {@code from <= to}. Complaints reach their orders by a broadcast when
   * at most {@code broadcastMax} complaints are new to the count.
   */
  static Dataset<Row> delta(Dataset<Row> orders, Dataset<Row> complaints, Dataset<Row> newOrders,
      Dataset<Row> newComplaints, Timestamp from, Timestamp to, long broadcastMax) {
    Column external = when(col("referral_source").isin((Object[]) SellerFeatures.EXTERNAL_REFERRALS), 1).otherwise(0);
    Dataset<Row> counterfeitBeforeTo = complaints
        .filter(col("complaint_type").equalTo("COUNTERFEIT").and(col("complaint_time").lt(lit(to))));

    // orders counted at `to` and not at `from`: each with all its complaints before `to`
    Dataset<Row> newlyCountedOrders = CarriedState.rowsNewTo(orders, newOrders, "order_time", from, to)
        .select("order_id", "seller_id", "referral_tag", "referral_source");
    Dataset<Row> complaintsPerNewOrder = counterfeitBeforeTo
        .join(newlyCountedOrders.select("order_id"), new String[] {"order_id"}, "left_semi")
        .groupBy("order_id").agg(count(lit(1)).as("complaints"));
    Dataset<Row> fromNewOrders = newlyCountedOrders
        .join(complaintsPerNewOrder, new String[] {"order_id"}, "left")
        .groupBy("seller_id", "referral_tag")
        .agg(count(lit(1)).as("orders"), sum(external).cast("long").as("external"),
            sum(coalesce(col("complaints"), lit(0L))).cast("long").as("cf"));

    // orders counted at both: the complaints counted at `to` and not at `from`
    Dataset<Row> newlyCountedComplaints = CarriedState.rowsNewTo(complaints, newComplaints, "complaint_time", from, to)
        .filter(col("complaint_type").equalTo("COUNTERFEIT"))
        .select("order_id")
        .localCheckpoint();
    if (newlyCountedComplaints.count() <= broadcastMax) {
      newlyCountedComplaints = broadcast(newlyCountedComplaints);
    }
    Dataset<Row> ordersCountedBefore = orders.filter(col("order_time").lt(lit(from)))
        .join(broadcast(newOrders.select("order_id")), new String[] {"order_id"}, "left_anti");
    Dataset<Row> fromNewComplaints = newlyCountedComplaints
        .join(ordersCountedBefore.select("order_id", "seller_id", "referral_tag"), new String[] {"order_id"}, "inner")
        .groupBy("seller_id", "referral_tag")
        .agg(lit(0L).as("orders"), lit(0L).as("external"), count(lit(1)).as("cf"));

    return fromNewOrders.unionByName(fromNewComplaints).select(COUNT_COLUMNS[0], COUNT_COLUMNS[1],
        COUNT_COLUMNS[2], COUNT_COLUMNS[3], COUNT_COLUMNS[4]);
  }

  /** The state plus a {@link #delta}: summed per (seller_id, referral_tag), null tags included. */
  static Dataset<Row> advance(Dataset<Row> state, Dataset<Row> delta) {
    // the (seller, tag) pairs one night touches are few: sent to every task, so the state is split
    // where it is read instead of shuffled; null tags match null tags (<=>)
    Dataset<Row> touched = broadcast(delta.select(col("seller_id").as("t_seller"), col("referral_tag").as("t_tag"))
        .distinct());
    Column isTouched = col("seller_id").equalTo(col("t_seller")).and(col("referral_tag").eqNullSafe(col("t_tag")));
    Dataset<Row> counts = state.select(COUNT_COLUMNS[0], COUNT_COLUMNS[1], COUNT_COLUMNS[2], COUNT_COLUMNS[3],
        COUNT_COLUMNS[4]);
    Dataset<Row> merged = counts.join(touched, isTouched, "left_semi")
        .unionByName(delta)
        .groupBy("seller_id", "referral_tag")
        .agg(sum("orders").cast("long").as("orders"), sum("external").cast("long").as("external"),
            sum("cf").cast("long").as("cf"));
    return counts.join(touched, isTouched, "left_anti")
        .unionByName(merged.select(COUNT_COLUMNS[0], COUNT_COLUMNS[1], COUNT_COLUMNS[2], COUNT_COLUMNS[3],
            COUNT_COLUMNS[4]));
  }

  /** {@link SellerFeatures#sellerTagOrders} for one as_of, without the as_of column (a state's content). */
  static Dataset<Row> recount(Dataset<Row> orders, Dataset<Row> complaints, Dataset<Row> date, long broadcastMax) {
    return SellerFeatures.sellerTagOrders(orders, complaints, date, broadcastMax)
        .select(col("seller_id"), col("referral_tag"), col("orders").cast("long").as("orders"),
            col("external").cast("long").as("external"), col("cf").cast("long").as("cf"));
  }
}
