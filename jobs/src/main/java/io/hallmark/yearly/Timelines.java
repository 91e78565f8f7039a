package io.hallmark.yearly;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.exists;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.year;

import io.hallmark.lake.BronzeSchemas;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.StructType;

/**
 * Bronze to silver: pure transforms that fold each entity's events into one row of timeline facts.
 * "Duplicates count once": every bronze table is first reduced to one row per business key.
 */
public final class Timelines {
  private Timelines() {}

  /** The bronze tables the timelines are built from (tests build them inline). */
  public record Bronze(Dataset<Row> accountEvents, Dataset<Row> listingEvents, Dataset<Row> orders,
      Dataset<Row> complaints, Dataset<Row> notices, Dataset<Row> brands) {}

  /**
   * One row per business key. Ingest already drops exact duplicates and rejects conflicting ones;
   * should a repeat still reach bronze, the first ingested version wins (the contract's rule).
   */
  static Dataset<Row> distinctByKey(Dataset<Row> bronze, String table) {
    List<Column> keys = BronzeSchemas.KEYS.get(table).stream().map(k -> col(k)).toList();
    return bronze
        .withColumn("_rank", row_number().over(Window.partitionBy(keys.toArray(Column[]::new))
            .orderBy(col(BronzeSchemas.RUN_ID), col(BronzeSchemas.SOURCE_FILE), col(BronzeSchemas.SOURCE_LINE))))
        .filter(col("_rank").equalTo(1))
        .drop("_rank");
  }

  /** Keeps the first row of each group by (event_time, event_id): the spec's "first ... ties by event_id". */
  private static Dataset<Row> firstByTime(Dataset<Row> events, String entity) {
    return events
        .withColumn("_rank", row_number().over(Window.partitionBy(col(entity)).orderBy(col("event_time"), col("event_id"))))
        .filter(col("_rank").equalTo(1))
        .drop("_rank");
  }

  /** Columns of {@code schema}, in its order and types: every silver transform ends here. */
  static Dataset<Row> conform(Dataset<Row> table, StructType schema) {
    return table.select(Arrays.stream(schema.fields())
        .map(f -> col(f.name()).cast(f.dataType()).as(f.name())).toArray(Column[]::new));
  }

  static Column isType(String type) {
    return col("event_type").equalTo(type);
  }

  public static Dataset<Row> accountTimeline(Dataset<Row> accountEvents, Dataset<Row> listingEvents) {
    Dataset<Row> events = distinctByKey(accountEvents, BronzeSchemas.ACCOUNT_EVENTS);
    Dataset<Row> registrations = firstByTime(events.filter(isType("REGISTERED")), "account_id")
        .select(col("account_id"), col("marketplace").as("registered_marketplace"), col("event_time").as("first_registered_at"));

    Dataset<Row> verifiedAfterRegistration = events.filter(isType("VERIFIED"))
        .join(registrations, "account_id", "inner")
        .filter(col("event_time").geq(col("first_registered_at")))
        .groupBy("account_id").agg(min("event_time").as("first_verified_after_registration_at"));

    Dataset<Row> listingsCreated = distinctByKey(listingEvents, BronzeSchemas.LISTING_EVENTS)
        .filter(isType("CREATED"))
        .select(col("seller_id").as("account_id"), col("event_time"));
    Dataset<Row> firstListing = listingsCreated.groupBy("account_id").agg(min("event_time").as("first_listing_created_at"));
    Dataset<Row> firstListingAfterRegistration = listingsCreated
        .join(registrations, "account_id", "inner")
        .filter(col("event_time").geq(col("first_registered_at")))
        .groupBy("account_id").agg(min("event_time").as("first_listing_created_after_registration_at"));

    // blocks sorted by (event_time, event_id): struct order is field order
    Dataset<Row> blocksAndReinstatements = events.groupBy("account_id").agg(
        sort_array(collect_list(when(isType("BLOCKED"), struct(col("event_time"), col("event_id"), col("reason"))))).as("blocks_raw"),
        min(when(isType("BLOCKED"), col("event_time"))).as("first_block_at"),
        sort_array(collect_list(when(isType("REINSTATED"), col("event_time")))).as("reinstated_at"));

    // a block is a repeat block when some REINSTATED lies strictly between an earlier block and it
    Column blocks = transform(col("blocks_raw"), b -> struct(
        b.getField("event_time").as("event_time"),
        b.getField("event_id").as("event_id"),
        b.getField("reason").as("reason"),
        exists(col("reinstated_at"), r -> r.gt(col("first_block_at")).and(r.lt(b.getField("event_time"))))
            .as("after_reinstatement")));

    Dataset<Row> timeline = blocksAndReinstatements
        .join(registrations, "account_id", "left")
        .join(verifiedAfterRegistration, "account_id", "left")
        .join(firstListing, "account_id", "left")
        .join(firstListingAfterRegistration, "account_id", "left")
        .withColumn("blocks", blocks);
    return conform(timeline, SilverTables.ACCOUNT_TIMELINE_SCHEMA);
  }

  public static Dataset<Row> listingTimeline(Dataset<Row> listingEvents, Dataset<Row> notices) {
    Dataset<Row> events = distinctByKey(listingEvents, BronzeSchemas.LISTING_EVENTS);
    Dataset<Row> firstCreated = firstByTime(events.filter(isType("CREATED")), "listing_id")
        .select(col("listing_id"), col("seller_id"), col("event_time").as("first_created_at"));
    Dataset<Row> firstEvent = firstByTime(events, "listing_id")
        .select(col("listing_id"), col("seller_id").as("first_event_seller_id"));
    Dataset<Row> firstNotice = distinctByKey(notices, BronzeSchemas.NOTICES)
        .groupBy("listing_id").agg(min("submitted_at").as("first_notice_at"));

    Column ref = struct(col("event_time"), col("event_id"), col("seller_id"));
    Column ipBlock = isType("BLOCKED").and(col("block_reason").isin("COUNTERFEIT", "TRADEMARK"));
    Dataset<Row> blocks = events.groupBy("listing_id").agg(
        sort_array(collect_list(when(ipBlock, ref))).as("ip_blocks"),
        sort_array(collect_list(when(isType("SUBMISSION_BLOCKED"), ref))).as("submission_blocks"));

    Dataset<Row> timeline = firstEvent
        .join(firstCreated, "listing_id", "left")
        .join(firstNotice, "listing_id", "left")
        .join(blocks, "listing_id", "left");
    return conform(timeline, SilverTables.LISTING_TIMELINE_SCHEMA);
  }

  public static Dataset<Row> orderFacts(Dataset<Row> orders, Dataset<Row> complaints) {
    Dataset<Row> counterfeitComplaints = distinctByKey(complaints, BronzeSchemas.COMPLAINTS)
        .groupBy("order_id")
        .agg(max(col("complaint_type").equalTo("COUNTERFEIT")).as("has_counterfeit_complaint"));
    Dataset<Row> facts = distinctByKey(orders, BronzeSchemas.ORDERS)
        .join(counterfeitComplaints, "order_id", "left")
        .withColumn("has_counterfeit_complaint", coalesce(col("has_counterfeit_complaint"), lit(false)));
    return conform(facts, SilverTables.ORDER_FACTS_SCHEMA);
  }

  /** Notices with the seller of their listing (attribution of a notice follows the listing's seller). */
  public static Dataset<Row> noticeFacts(Dataset<Row> notices, Dataset<Row> listingTimeline) {
    Dataset<Row> listingSellers = listingTimeline.select(
        col("listing_id"), coalesce(col("seller_id"), col("first_event_seller_id")).as("seller_id"));
    Dataset<Row> facts = distinctByKey(notices, BronzeSchemas.NOTICES)
        .join(listingSellers, "listing_id", "left");
    return conform(facts, SilverTables.NOTICE_FACTS_SCHEMA);
  }

  public static Dataset<Row> brandFacts(Dataset<Row> brands) {
    return conform(distinctByKey(brands, BronzeSchemas.BRANDS), SilverTables.BRAND_FACTS_SCHEMA);
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
