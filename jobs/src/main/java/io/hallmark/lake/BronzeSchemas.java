package io.hallmark.lake;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Schemas of the bronze tables: the accepted landing records, typed (timestamps as UTC instants,
 * money as double), personal fields replaced by their HMAC ({@code email_hash}, {@code phone_hash}),
 * plus lineage columns. Declared once here; ingest writes them, every later job reads them.
 *
 * <p>Event tables carry {@code event_year} (UTC year of their main timestamp) as partition column:
 * the yearly job and restatements work year by year, and a year keeps file counts low where a day
 * would make thousands of tiny partitions.
 */
public final class BronzeSchemas {
  private BronzeSchemas() {}

  public static final String ACCOUNT_EVENTS = "account_events";
  public static final String LISTING_EVENTS = "listing_events";
  public static final String ORDERS = "orders";
  public static final String COMPLAINTS = "complaints";
  public static final String NOTICES = "notices";
  public static final String BRANDS = "brands";
  public static final String CATALOG = "catalog";
  public static final String AUTHORIZATIONS = "authorizations";

  /** The eight contract tables, in the order ingest reports them. */
  public static final List<String> TABLES = List.of(
      ACCOUNT_EVENTS, LISTING_EVENTS, ORDERS, COMPLAINTS, NOTICES, BRANDS, CATALOG, AUTHORIZATIONS);

  /** Lineage: which ingest run, file and 1-based line each accepted row came from. */
  public static final String RUN_ID = "_ingest_run_id";
  public static final String SOURCE_FILE = "_source_file";
  public static final String SOURCE_LINE = "_source_line";
  public static final String EVENT_YEAR = "event_year";

  private static StructField f(String name, org.apache.spark.sql.types.DataType type, boolean nullable) {
    return new StructField(name, type, nullable, org.apache.spark.sql.types.Metadata.empty());
  }

  private static StructType withLineage(StructType base) {
    return base.add(f(RUN_ID, StringType, false)).add(f(SOURCE_FILE, StringType, false)).add(f(SOURCE_LINE, LongType, false));
  }

  public static final StructType ACCOUNT_EVENTS_SCHEMA = withLineage(new StructType(new StructField[] {
      f("event_id", StringType, false),
      f("account_id", StringType, false),
      f("event_type", StringType, false),
      f("event_time", TimestampType, false),
      f("marketplace", StringType, true),
      f("country", StringType, true),
      f("email_hash", StringType, true),
      f("phone_hash", StringType, true),
      f("payment_fingerprint", StringType, true),
      f("device_fingerprint", StringType, true),
      f("address_fingerprint", StringType, true),
      f("reason", StringType, true),
      f(EVENT_YEAR, IntegerType, false)}));

  public static final StructType LISTING_EVENTS_SCHEMA = withLineage(new StructType(new StructField[] {
      f("event_id", StringType, false),
      f("listing_id", StringType, false),
      f("seller_id", StringType, false),
      f("event_type", StringType, false),
      f("event_time", TimestampType, false),
      f("product_id", StringType, true),
      f("brand", StringType, true),
      f("category", StringType, true),
      f("price_usd", DoubleType, true),
      f("ship_from_country", StringType, true),
      f("block_reason", StringType, true),
      f(EVENT_YEAR, IntegerType, false)}));

  public static final StructType ORDERS_SCHEMA = withLineage(new StructType(new StructField[] {
      f("order_id", StringType, false),
      f("listing_id", StringType, false),
      f("seller_id", StringType, false),
      f("order_time", TimestampType, false),
      f("quantity", LongType, false),
      f("unit_price_usd", DoubleType, false),
      // absent in landing = DIRECT (contract), so never null here
      f("referral_source", StringType, false),
      f("referral_tag", StringType, true),
      f(EVENT_YEAR, IntegerType, false)}));

  public static final StructType COMPLAINTS_SCHEMA = withLineage(new StructType(new StructField[] {
      f("complaint_id", StringType, false),
      f("order_id", StringType, false),
      f("complaint_time", TimestampType, false),
      f("complaint_type", StringType, false),
      f(EVENT_YEAR, IntegerType, false)}));

  public static final StructType NOTICES_SCHEMA = withLineage(new StructType(new StructField[] {
      f("notice_id", StringType, false),
      f("brand", StringType, false),
      f("listing_id", StringType, false),
      f("notice_type", StringType, false),
      f("submitted_at", TimestampType, false),
      f("outcome", StringType, false),
      f("resolved_at", TimestampType, true),
      f(EVENT_YEAR, IntegerType, false)}));

  public static final StructType BRANDS_SCHEMA = withLineage(new StructType(new StructField[] {
      f("brand", StringType, false),
      f("enrolled_at", TimestampType, false),
      // absent in landing = false (contract)
      f("luxury", BooleanType, false)}));

  public static final StructType CATALOG_SCHEMA = withLineage(new StructType(new StructField[] {
      f("product_id", StringType, false),
      f("brand", StringType, true),
      f("reference_price_usd", DoubleType, true)}));

  public static final StructType AUTHORIZATIONS_SCHEMA = withLineage(new StructType(new StructField[] {
      f("brand", StringType, false),
      f("seller_id", StringType, false),
      f("valid_from", TimestampType, false),
      f("valid_to", TimestampType, true)}));

  /** Rejected lines: verbatim (personal fields hashed) with where they came from and why. */
  public static final StructType QUARANTINE_SCHEMA = new StructType(new StructField[] {
      f("table_name", StringType, false),
      f("source_file", StringType, false),
      f("line_number", LongType, false),
      f("raw_line", StringType, false),
      f("reason", StringType, false),
      f(RUN_ID, StringType, false)});

  /**
   * ops/ingest_files: the registry of landing files already ingested, keyed by their path relative
   * to the landing root (a file listed here is never read again), with what it looked like then.
   */
  public static final StructType INGEST_FILES_SCHEMA = new StructType(new StructField[] {
      f("source_file", StringType, false),
      f("table_name", StringType, false),
      f("size_bytes", LongType, false),
      f("sha256", StringType, false),
      f(RUN_ID, StringType, false),
      f("run_date", org.apache.spark.sql.types.DataTypes.DateType, false)});

  /**
   * ops/ingest_runs: one row per (run, file): lines_read = accepted + duplicates + rejected.
   * status SUCCEEDED marks a committed run (written last); FAILED a run that published nothing.
   */
  public static final StructType INGEST_RUNS_SCHEMA = new StructType(new StructField[] {
      f("run_id", StringType, false),
      f("run_date", org.apache.spark.sql.types.DataTypes.DateType, false),
      f("table_name", StringType, false),
      f("source_file", StringType, false),
      f("lines_read", LongType, false),
      f("accepted", LongType, false),
      f("duplicates", LongType, false),
      f("rejected", LongType, false),
      f("status", StringType, false)});

  public static final Map<String, StructType> SCHEMAS = Map.of(
      ACCOUNT_EVENTS, ACCOUNT_EVENTS_SCHEMA,
      LISTING_EVENTS, LISTING_EVENTS_SCHEMA,
      ORDERS, ORDERS_SCHEMA,
      COMPLAINTS, COMPLAINTS_SCHEMA,
      NOTICES, NOTICES_SCHEMA,
      BRANDS, BRANDS_SCHEMA,
      CATALOG, CATALOG_SCHEMA,
      AUTHORIZATIONS, AUTHORIZATIONS_SCHEMA);

  /** Business key of each table (contract, "What ingest does", point 2). */
  public static final Map<String, List<String>> KEYS = Map.of(
      ACCOUNT_EVENTS, List.of("event_id"),
      LISTING_EVENTS, List.of("event_id"),
      ORDERS, List.of("order_id"),
      COMPLAINTS, List.of("complaint_id"),
      NOTICES, List.of("notice_id"),
      BRANDS, List.of("brand"),
      CATALOG, List.of("product_id"),
      AUTHORIZATIONS, List.of("brand", "seller_id", "valid_from"));
}
