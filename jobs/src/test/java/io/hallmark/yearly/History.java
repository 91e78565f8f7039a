package io.hallmark.yearly;

import static io.hallmark.testing.SparkTestSupport.row;
import static io.hallmark.testing.SparkTestSupport.rows;

import io.hallmark.lake.Bronze;
import io.hallmark.lake.BronzeSchemas;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * A small hand-built bronze history for tests: rows are typed exactly as BronzeSchemas says, with
 * lineage filled in. Timestamps are written as ISO strings with an offset, like the landing files.
 */
final class History {
  final List<Row> accountEvents = new ArrayList<>();
  final List<Row> listingEvents = new ArrayList<>();
  final List<Row> orders = new ArrayList<>();
  final List<Row> complaints = new ArrayList<>();
  final List<Row> notices = new ArrayList<>();
  final List<Row> brands = new ArrayList<>();
  private long line = 0;
  private String runId = "run-1";

  /** Rows added from here on carry this ingest run id (to delete them as ingest removes a killed run). */
  History inRun(String id) {
    runId = id;
    return this;
  }

  static Timestamp ts(String iso) {
    return Timestamp.from(OffsetDateTime.parse(iso).toInstant());
  }

  private static int utcYear(String iso) {
    return OffsetDateTime.parse(iso).withOffsetSameInstant(ZoneOffset.UTC).getYear();
  }

  History account(String eventId, String accountId, String type, String time, String marketplace, String reason) {
    accountEvents.add(row(eventId, accountId, type, ts(time), marketplace, null, null, null, null, null, null, reason,
        utcYear(time), runId, "account_events.jsonl", ++line));
    return this;
  }

  History registered(String eventId, String accountId, String time, String marketplace) {
    return account(eventId, accountId, "REGISTERED", time, marketplace, null);
  }

  History blocked(String eventId, String accountId, String time, String reason) {
    return account(eventId, accountId, "BLOCKED", time, null, reason);
  }

  History listing(String eventId, String listingId, String sellerId, String type, String time, String blockReason) {
    listingEvents.add(row(eventId, listingId, sellerId, type, ts(time), "CREATED".equals(type) ? "p-1" : null, null, null,
        "CREATED".equals(type) ? 10.0 : null, null, blockReason, utcYear(time), runId, "listing_events.jsonl", ++line));
    return this;
  }

  History created(String eventId, String listingId, String sellerId, String time) {
    return listing(eventId, listingId, sellerId, "CREATED", time, null);
  }

  History order(String orderId, String sellerId, String time, long quantity) {
    orders.add(row(orderId, "l-any", sellerId, ts(time), quantity, 5.0, "DIRECT", null, utcYear(time),
        runId, "orders.jsonl", ++line));
    return this;
  }

  History complaint(String complaintId, String orderId, String time, String type) {
    complaints.add(row(complaintId, orderId, ts(time), type, utcYear(time), runId, "complaints.jsonl", ++line));
    return this;
  }

  History notice(String noticeId, String listingId, String submitted, String outcome, String resolved) {
    notices.add(row(noticeId, "BrandX", listingId, "COUNTERFEIT", ts(submitted), outcome,
        resolved == null ? null : ts(resolved), utcYear(submitted), runId, "notices.jsonl", ++line));
    return this;
  }

  History brand(String brand, String enrolled) {
    brands.add(row(brand, ts(enrolled), false, runId, "brands.jsonl", ++line));
    return this;
  }

  /** Accounts a1 (listed 2021-03-01) and a2 (blocked before listing) in FR, a3 in DE, one 2022 order, one notice. */
  static History base() {
    return new History()
        .registered("r1", "a1", "2021-01-01T00:00:00Z", "FR")
        .created("c1", "l1", "a1", "2021-03-01T00:00:00Z")
        .registered("r2", "a2", "2021-02-01T00:00:00Z", "FR")
        .blocked("b2", "a2", "2021-06-01T00:00:00Z", "FRAUD")
        .registered("r3", "a3", "2022-01-10T00:00:00Z", "DE")
        .order("o1", "a1", "2022-02-01T00:00:00Z", 2)
        .brand("BrandX", "2020-01-01T00:00:00Z")
        .notice("n1", "l1", "2022-03-01T00:00:00Z", "VALID", "2022-03-01T05:00:00Z");
  }

  /**
   * Appends {@code bronze} to the lake's bronze tables as ingest creates them (change data feed on,
   * created empty first), one append commit per table that has rows.
   */
  static void appendAsIngested(io.hallmark.config.HallmarkConfig config, Bronze bronze) {
    new io.hallmark.ingest.IngestLake(io.hallmark.testing.SparkTestSupport.spark(), config.paths()).ensureBronzeTables();
    java.util.Map<String, org.apache.spark.sql.Dataset<Row>> tables = java.util.Map.of(
        BronzeSchemas.ACCOUNT_EVENTS, bronze.accountEvents(), BronzeSchemas.LISTING_EVENTS, bronze.listingEvents(),
        BronzeSchemas.ORDERS, bronze.orders(), BronzeSchemas.COMPLAINTS, bronze.complaints(),
        BronzeSchemas.NOTICES, bronze.notices(), BronzeSchemas.BRANDS, bronze.brands());
    for (String table : BronzeSchemas.TABLES) {
      org.apache.spark.sql.Dataset<Row> rows = tables.get(table);
      if (rows != null && !rows.isEmpty()) {
        rows.write().format("delta").mode("append").save(config.paths().bronze(table));
      }
    }
  }

  Bronze bronze() {
    return new Bronze(
        rows(BronzeSchemas.ACCOUNT_EVENTS_SCHEMA, accountEvents.toArray(Row[]::new)),
        rows(BronzeSchemas.LISTING_EVENTS_SCHEMA, listingEvents.toArray(Row[]::new)),
        rows(BronzeSchemas.ORDERS_SCHEMA, orders.toArray(Row[]::new)),
        rows(BronzeSchemas.COMPLAINTS_SCHEMA, complaints.toArray(Row[]::new)),
        rows(BronzeSchemas.NOTICES_SCHEMA, notices.toArray(Row[]::new)),
        rows(BronzeSchemas.BRANDS_SCHEMA, brands.toArray(Row[]::new)),
        // silver reads neither
        rows(BronzeSchemas.CATALOG_SCHEMA), rows(BronzeSchemas.AUTHORIZATIONS_SCHEMA));
  }
}
