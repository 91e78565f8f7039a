package io.hallmark.yearly;

import static org.apache.spark.sql.functions.array_min;
import static org.apache.spark.sql.functions.bool_or;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.exists;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.year;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;

import io.hallmark.lake.Bronze;
import io.hallmark.lake.BronzeSchemas;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * Bronze to silver: pure transforms that fold each entity's events into one row of timeline facts.
 * "Duplicates count once" is ingest's guarantee: bronze holds one row per business key
 * ({@code BronzeSchemas.KEYS}; ingest decides duplicates against bronze and within the batch, and a
 * killed run's rows are removed), so the transforms read bronze as it is, without a window per table.
 */
public final class Timelines {
  private Timelines() {}

  /** Columns of {@code schema}, in its order and types: every silver transform ends here. */
  static Dataset<Row> conform(Dataset<Row> table, StructType schema) {
    return table.select(Arrays.stream(schema.fields())
        .map(f -> col(f.name()).cast(f.dataType()).as(f.name())).toArray(Column[]::new));
  }

  static Column isType(String type) {
    return col("event_type").equalTo(type);
  }

  /** The earliest element of {@code times} at or after {@code from} (null when none, or when from is null). */
  private static Column earliestFrom(Column times, Column from) {
    return array_min(filter(times, t -> t.geq(from)));
  }

  /**
   * One aggregation per account over its account events and the CREATED listing events it sold
   * (stacked, so one shuffle and no join): the first REGISTERED is the least (event_time, event_id,
   * marketplace) struct (event_id unique, so the spec's tie-break), and the earliest VERIFIED and
   * CREATED at or after it come from the times collected in the same pass. Only accounts with account
   * events get a row (listing rows alone do not make one).
   */
  public static Dataset<Row> accountTimeline(Dataset<Row> accountEvents, Dataset<Row> listingEvents) {
    Dataset<Row> events = accountEvents.select(col("account_id"), col("event_type"), col("event_time"), col("event_id"),
        col("marketplace"), col("reason"), lit(true).as("_account_event"));
    Dataset<Row> listingsCreated = listingEvents.filter(isType("CREATED")).select(col("seller_id").as("account_id"),
        lit(null).cast(StringType).as("event_type"), col("event_time"), lit(null).cast(StringType).as("event_id"),
        lit(null).cast(StringType).as("marketplace"), lit(null).cast(StringType).as("reason"), lit(false).as("_account_event"));
    Column accountEvent = col("_account_event");
    Column listingCreated = not(accountEvent);

    Dataset<Row> perAccount = events.unionByName(listingsCreated).groupBy("account_id").agg(
        bool_or(accountEvent).as("_has_account_events"),
        min(when(isType("REGISTERED"), struct(col("event_time"), col("event_id"), col("marketplace")))).as("registration"),
        collect_list(when(isType("VERIFIED"), col("event_time"))).as("verified_at"),
        min(when(listingCreated, col("event_time"))).as("first_listing_created_at"),
        collect_list(when(listingCreated, col("event_time"))).as("listings_created_at"),
        // blocks sorted by (event_time, event_id): struct order is field order
        sort_array(collect_list(when(isType("BLOCKED"), struct(col("event_time"), col("event_id"), col("reason"))))).as("blocks_raw"),
        min(when(isType("BLOCKED"), col("event_time"))).as("first_block_at"),
        sort_array(collect_list(when(isType("REINSTATED"), col("event_time")))).as("reinstated_at"));

    Column registeredAt = col("registration.event_time");
    // a block is a repeat block when some REINSTATED lies strictly between an earlier block and it
    Column blocks = transform(col("blocks_raw"), b -> struct(
        b.getField("event_time").as("event_time"),
        b.getField("event_id").as("event_id"),
        b.getField("reason").as("reason"),
        exists(col("reinstated_at"), r -> r.gt(col("first_block_at")).and(r.lt(b.getField("event_time"))))
            .as("after_reinstatement")));

    Dataset<Row> timeline = perAccount
        .filter(col("_has_account_events"))
        .select(
            col("account_id"),
            col("registration.marketplace").as("registered_marketplace"),
            registeredAt.as("first_registered_at"),
            earliestFrom(col("verified_at"), registeredAt).as("first_verified_after_registration_at"),
            col("first_listing_created_at"),
            earliestFrom(col("listings_created_at"), registeredAt).as("first_listing_created_after_registration_at"),
            blocks.as("blocks"),
            col("reinstated_at"));
    return conform(timeline, SilverTables.ACCOUNT_TIMELINE_SCHEMA);
  }

  /**
   * One aggregation per listing over its events and its notices (stacked, so one shuffle and no
   * join): first CREATED and first event are the least (event_time, event_id, seller_id) structs
   * (event_id unique, so the spec's tie-break). Only listings with events get a row.
   */
  public static Dataset<Row> listingTimeline(Dataset<Row> listingEvents, Dataset<Row> notices) {
    Dataset<Row> events = listingEvents.select(col("listing_id"), col("event_type"), col("event_time"), col("event_id"),
        col("seller_id"), col("block_reason"), lit(null).cast(TimestampType).as("submitted_at"));
    Dataset<Row> noticeTimes = notices.select(col("listing_id"), lit(null).cast(StringType).as("event_type"),
        lit(null).cast(TimestampType).as("event_time"), lit(null).cast(StringType).as("event_id"),
        lit(null).cast(StringType).as("seller_id"), lit(null).cast(StringType).as("block_reason"), col("submitted_at"));

    Column isEvent = col("event_id").isNotNull(); // event_id is never null in bronze listing events
    Column ref = struct(col("event_time"), col("event_id"), col("seller_id"));
    Column ipBlock = isType("BLOCKED").and(col("block_reason").isin("COUNTERFEIT", "TRADEMARK"));
    Dataset<Row> perListing = events.unionByName(noticeTimes).groupBy("listing_id").agg(
        min(when(isEvent, ref)).as("first_event"),
        min(when(isType("CREATED"), ref)).as("first_created"),
        min(col("submitted_at")).as("first_notice_at"),
        sort_array(collect_list(when(ipBlock, ref))).as("ip_blocks"),
        sort_array(collect_list(when(isType("SUBMISSION_BLOCKED"), ref))).as("submission_blocks"));

    Dataset<Row> timeline = perListing
        .filter(col("first_event").isNotNull())
        .select(
            col("listing_id"),
            col("first_created.seller_id").as("seller_id"),
            col("first_event.seller_id").as("first_event_seller_id"),
            col("first_created.event_time").as("first_created_at"),
            col("first_notice_at"),
            col("ip_blocks"),
            col("submission_blocks"));
    return conform(timeline, SilverTables.LISTING_TIMELINE_SCHEMA);
  }

  /**
   * Orders with "has a COUNTERFEIT complaint": only the ids of orders with one matter (no complaint
   * and only other complaints both give false), and they are few (complaints are ~1-2 % of orders):
   * broadcast, so the orders (27 M at 1 M accounts) are neither shuffled nor sorted.
   */
  public static Dataset<Row> orderFacts(Dataset<Row> orders, Dataset<Row> complaints) {
    Dataset<Row> counterfeitOrders = complaints
        .filter(col("complaint_type").equalTo("COUNTERFEIT"))
        .select(col("order_id"))
        .distinct()
        .withColumn("has_counterfeit_complaint", lit(true));
    Dataset<Row> facts = orders
        .join(broadcast(counterfeitOrders), "order_id", "left")
        .withColumn("has_counterfeit_complaint", coalesce(col("has_counterfeit_complaint"), lit(false)));
    return conform(facts, SilverTables.ORDER_FACTS_SCHEMA);
  }

  /** Notices with the seller of their listing (attribution of a notice follows the listing's seller). */
  public static Dataset<Row> noticeFacts(Dataset<Row> notices, Dataset<Row> listingTimeline) {
    Dataset<Row> listingSellers = listingTimeline.select(
        col("listing_id"), coalesce(col("seller_id"), col("first_event_seller_id")).as("seller_id"));
    Dataset<Row> facts = notices.join(listingSellers, "listing_id", "left");
    return conform(facts, SilverTables.NOTICE_FACTS_SCHEMA);
  }

  public static Dataset<Row> brandFacts(Dataset<Row> brands) {
    return conform(brands, SilverTables.BRAND_FACTS_SCHEMA);
  }

  /** Bronze table to the timestamp whose UTC years define the covered years (spec: "years covered"). */
  public static final Map<String, String> ACTIVITY_SOURCES = activitySources();

  private static Map<String, String> activitySources() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(BronzeSchemas.ACCOUNT_EVENTS, "event_time");
    m.put(BronzeSchemas.LISTING_EVENTS, "event_time");
    m.put(BronzeSchemas.ORDERS, "order_time");
    m.put(BronzeSchemas.COMPLAINTS, "complaint_time");
    m.put(BronzeSchemas.NOTICES, "submitted_at");
    return java.util.Collections.unmodifiableMap(m);
  }

  /** The distinct UTC years of every timestamp that defines the covered years (spec: "years covered"). */
  public static Dataset<Row> activityYears(Bronze bronze) {
    Map<String, Dataset<Row>> tables = new LinkedHashMap<>();
    tables.put(BronzeSchemas.ACCOUNT_EVENTS, bronze.accountEvents());
    tables.put(BronzeSchemas.LISTING_EVENTS, bronze.listingEvents());
    tables.put(BronzeSchemas.ORDERS, bronze.orders());
    tables.put(BronzeSchemas.COMPLAINTS, bronze.complaints());
    tables.put(BronzeSchemas.NOTICES, bronze.notices());
    return activityYears(tables);
  }

  /** The same over any rows of those tables (the incremental silver step passes the inserted rows). */
  static Dataset<Row> activityYears(Map<String, Dataset<Row>> tables) {
    Dataset<Row> years = ACTIVITY_SOURCES.entrySet().stream()
        .map(source -> yearsOf(tables.get(source.getKey()), source.getKey(), source.getValue()))
        .reduce(Dataset::unionByName).orElseThrow();
    return conform(years, SilverTables.ACTIVITY_YEARS_SCHEMA);
  }

  private static Dataset<Row> yearsOf(Dataset<Row> table, String source, String timestamp) {
    // from the timestamp itself (UTC session), not the ingest partition column
    return table.select(lit(source).as("source"), year(col(timestamp)).as("year")).distinct();
  }
}
