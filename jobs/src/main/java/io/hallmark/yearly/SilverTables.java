package io.hallmark.yearly;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;

import java.util.List;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Silver tables: compact per-entity timeline facts derived from bronze, so the yearly job reads one
 * row per account, listing, order, notice and brand instead of re-deriving them in every metric.
 * Declared once here; {@link Timelines} builds them, {@link SilverJob} publishes them.
 */
public final class SilverTables {
  private SilverTables() {}

  public static final String ACCOUNT_TIMELINE = "account_timeline";
  public static final String LISTING_TIMELINE = "listing_timeline";
  public static final String ORDER_FACTS = "order_facts";
  public static final String NOTICE_FACTS = "notice_facts";
  public static final String BRAND_FACTS = "brand_facts";
  public static final String ACTIVITY_YEARS = "activity_years";

  public static final List<String> TABLES =
      List.of(ACCOUNT_TIMELINE, LISTING_TIMELINE, ORDER_FACTS, NOTICE_FACTS, BRAND_FACTS, ACTIVITY_YEARS);

  private static StructField f(String name, DataType type) {
    return new StructField(name, type, true, Metadata.empty());
  }

  /** One account block, in time order; {@code after_reinstatement}: a REINSTATED lies strictly between an earlier block and this one. */
  public static final StructType ACCOUNT_BLOCK = new StructType(new StructField[] {
      f("event_time", TimestampType), f("event_id", StringType), f("reason", StringType), f("after_reinstatement", BooleanType)});

  /** One account (every account_id in bronze account_events). */
  public static final StructType ACCOUNT_TIMELINE_SCHEMA = new StructType(new StructField[] {
      f("account_id", StringType),
      // marketplace of the first REGISTERED (event_time, then event_id); null when never registered
      f("registered_marketplace", StringType),
      f("first_registered_at", TimestampType),
      // earliest VERIFIED at or after first_registered_at
      f("first_verified_after_registration_at", TimestampType),
      // earliest listing CREATED event whose seller_id is this account, over all time
      f("first_listing_created_at", TimestampType),
      // earliest such CREATED at or after first_registered_at
      f("first_listing_created_after_registration_at", TimestampType),
      f("blocks", new ArrayType(ACCOUNT_BLOCK, true)),
      f("reinstated_at", new ArrayType(TimestampType, true))});

  /** A listing event that a yearly metric counts: when, which event (tie-break) and by which seller. */
  public static final StructType LISTING_EVENT_REF = new StructType(new StructField[] {
      f("event_time", TimestampType), f("event_id", StringType), f("seller_id", StringType)});

  /** One listing (every listing_id in bronze listing_events). */
  public static final StructType LISTING_TIMELINE_SCHEMA = new StructType(new StructField[] {
      f("listing_id", StringType),
      // seller of the first CREATED (event_time, then event_id); null when the listing never went live
      f("seller_id", StringType),
      // seller of the listing's earliest event of any kind (attribution of notices on never-live listings)
      f("first_event_seller_id", StringType),
      f("first_created_at", TimestampType),
      // earliest submitted_at of any notice against the listing
      f("first_notice_at", TimestampType),
      // BLOCKED events with block_reason COUNTERFEIT or TRADEMARK, in time order
      f("ip_blocks", new ArrayType(LISTING_EVENT_REF, true)),
      f("submission_blocks", new ArrayType(LISTING_EVENT_REF, true))});

  public static final StructType ORDER_FACTS_SCHEMA = new StructType(new StructField[] {
      f("order_id", StringType),
      f("seller_id", StringType),
      f("order_time", TimestampType),
      f("quantity", LongType),
      // at least one COUNTERFEIT complaint, at any time
      f("has_counterfeit_complaint", BooleanType)});

  public static final StructType NOTICE_FACTS_SCHEMA = new StructType(new StructField[] {
      f("notice_id", StringType),
      f("listing_id", StringType),
      // the listing's seller (first CREATED, else the seller of its earliest event); null if the listing has no events
      f("seller_id", StringType),
      f("submitted_at", TimestampType),
      f("outcome", StringType),
      f("resolved_at", TimestampType)});

  public static final StructType BRAND_FACTS_SCHEMA = new StructType(new StructField[] {
      f("brand", StringType), f("enrolled_at", TimestampType)});

  /** Distinct UTC years in which each source timestamp occurs: the range of years the statistics cover. */
  public static final StructType ACTIVITY_YEARS_SCHEMA = new StructType(new StructField[] {
      f("source", StringType), f("year", IntegerType)});

  public static StructType schema(String table) {
    return switch (table) {
      case ACCOUNT_TIMELINE -> ACCOUNT_TIMELINE_SCHEMA;
      case LISTING_TIMELINE -> LISTING_TIMELINE_SCHEMA;
      case ORDER_FACTS -> ORDER_FACTS_SCHEMA;
      case NOTICE_FACTS -> NOTICE_FACTS_SCHEMA;
      case BRAND_FACTS -> BRAND_FACTS_SCHEMA;
      case ACTIVITY_YEARS -> ACTIVITY_YEARS_SCHEMA;
      default -> throw new IllegalArgumentException("not a silver table: " + table);
    };
  }
}
