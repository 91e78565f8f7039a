package io.hallmark.risk;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.last;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * What the features need of each listing's CREATED and UPDATED events, folded so that two folds of
 * disjoint event sets merge into the fold of their union: the first CREATED (smallest event_time,
 * then event_id) with its seller, product, brand and category; the last known price and ship-from
 * country (largest event_time, then event_id, among events carrying one); the UPDATED count. The
 * nightly keeps the fold at its cutoff (ops/listing_states) and merges in the events new to the next
 * cutoff ({@link #newEvents}) instead of sorting every listing event again each night.
 */
public final class ListingState {
  private ListingState() {}

  /** The fold's columns after its keys. */
  static final String[] FOLD_COLUMNS = {"listing_id", "creation", "price", "ship", "edits"};

  /** The events a fold reads: CREATED and UPDATED. */
  static Dataset<Row> foldable(Dataset<Row> listingEvents) {
    return listingEvents.filter(col("event_type").isin("CREATED", "UPDATED"));
  }

  /**
   * One row per ({@code keys}, listing_id) of {@code events} (CREATED/UPDATED rows): one window in
   * (event_time, event_id) order, not min_by/max_by, whose struct buffers make Spark sort-aggregate
   * on both sides of the shuffle (a third of the features' task time at 1 M accounts).
   */
  static Dataset<Row> fold(Dataset<Row> events, String... keys) {
    List<Column> partition = new ArrayList<>();
    Arrays.stream(keys).forEach(k -> partition.add(col(k)));
    partition.add(col("listing_id"));
    WindowSpec history = Window.partitionBy(partition.toArray(Column[]::new)).orderBy(col("event_time"), col("event_id"));
    WindowSpec wholeHistory = history.rowsBetween(Window.unboundedPreceding(), Window.unboundedFollowing());
    // event_time and event_id first: a struct compares field by field, so min/max of these structs
    // (in merge) pick the same event as the window's first/last
    Column creation = when(col("event_type").equalTo("CREATED"), struct(col("event_time"), col("event_id"),
        col("seller_id"), col("product_id"), col("brand"), col("category")));
    Column price = when(col("price_usd").isNotNull(), struct(col("event_time"), col("event_id"), col("price_usd")));
    Column ship = when(col("ship_from_country").isNotNull(),
        struct(col("event_time"), col("event_id"), col("ship_from_country")));
    List<Column> out = new ArrayList<>(partition);
    out.add(row_number().over(history).as("event_rank"));
    out.add(first(creation, true).over(wholeHistory).as("creation"));
    out.add(last(price, true).over(wholeHistory).as("price"));
    out.add(last(ship, true).over(wholeHistory).as("ship"));
    out.add(sum(when(col("event_type").equalTo("UPDATED"), 1L).otherwise(0L)).over(wholeHistory).as("edits"));
    List<Column> kept = new ArrayList<>();
    Arrays.stream(keys).forEach(k -> kept.add(col(k)));
    Arrays.stream(FOLD_COLUMNS).forEach(c -> kept.add(col(c)));
    return events.select(out.toArray(Column[]::new))
        .filter(col("event_rank").equalTo(1))
        .select(kept.toArray(Column[]::new));
  }

  /**
   * The CREATED/UPDATED events counted at {@code to} and not at {@code from} ({@code from <= to}):
   * {@link CarriedState#rowsNewTo}.
   */
  static Dataset<Row> newEvents(Dataset<Row> listingEvents, Dataset<Row> inserted, Timestamp from, Timestamp to) {
    return foldable(CarriedState.rowsNewTo(listingEvents, inserted, "event_time", from, to));
  }

  /** The fold of the state's events plus {@code added}'s: listings {@code added} does not touch are kept as they are. */
  static Dataset<Row> merge(Dataset<Row> state, Dataset<Row> added) {
    // the listings one night touches are few (48 k of ~5 M at 1 M accounts): sent to every task, so the
    // state is split where it is read instead of shuffled
    Dataset<Row> touched = broadcast(added.select("listing_id"));
    Dataset<Row> untouched = state.join(touched, new String[] {"listing_id"}, "left_anti");
    Dataset<Row> merged = state.join(touched, new String[] {"listing_id"}, "left_semi")
        .unionByName(added)
        .groupBy("listing_id")
        .agg(min("creation").as("creation"), max("price").as("price"), max("ship").as("ship"),
            sum("edits").as("edits"));
    return untouched.select(FOLD_COLUMNS[0], FOLD_COLUMNS[1], FOLD_COLUMNS[2], FOLD_COLUMNS[3], FOLD_COLUMNS[4])
        .unionByName(merged.select(FOLD_COLUMNS[0], FOLD_COLUMNS[1], FOLD_COLUMNS[2], FOLD_COLUMNS[3], FOLD_COLUMNS[4]));
  }

  /**
   * {@link SellerFeatures#listingStates}'s rows from a fold keyed by as_of: one per listing created
   * before the cutoff (an UPDATED without a CREATED is not a listing yet).
   */
  static Dataset<Row> listings(Dataset<Row> foldByAsOf) {
    return foldByAsOf.filter(col("creation").isNotNull())
        .select(col("as_of"), col("listing_id"), col("creation.seller_id").as("seller_id"),
            col("creation.product_id").as("product_id"), col("creation.brand").as("brand"),
            col("creation.category").as("category"), col("creation.event_time").as("created_at"),
            col("price.price_usd").as("price_usd"), col("ship.ship_from_country").as("ship_from_country"),
            col("edits"));
  }
}
