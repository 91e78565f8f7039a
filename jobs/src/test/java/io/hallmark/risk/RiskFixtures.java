package io.hallmark.risk;

import static io.hallmark.testing.SparkTestSupport.spark;

import io.hallmark.config.HallmarkConfig;
import io.hallmark.lake.Bronze;
import io.hallmark.lake.BronzeSchemas;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/** Hand-built bronze histories: rows in the exact bronze schemas (lineage filled with dummies). */
final class RiskFixtures {
  final List<Row> accounts = new ArrayList<>();
  final List<Row> listings = new ArrayList<>();
  final List<Row> orders = new ArrayList<>();
  final List<Row> complaints = new ArrayList<>();
  final List<Row> notices = new ArrayList<>();
  final List<Row> brands = new ArrayList<>();
  final List<Row> catalog = new ArrayList<>();
  final List<Row> authorizations = new ArrayList<>();
  private int seq = 0;
  /** Starts every generated event id, so the fixtures of two deliveries never share a key. */
  private final String idPrefix;
  /** The lineage's ingest run id of every row (see {@link #recordRun}). */
  private final String runId;

  RiskFixtures() {
    this("");
  }

  RiskFixtures(String idPrefix) {
    this(idPrefix, "run-1");
  }

  RiskFixtures(String idPrefix, String runId) {
    this.idPrefix = idPrefix;
    this.runId = runId;
  }

  static Timestamp ts(String iso) {
    return Timestamp.from(Instant.parse(iso));
  }

  private static int year(String iso) {
    return Integer.parseInt(iso.substring(0, 4));
  }

  private Object[] lineage() {
    return new Object[] {runId, "test.jsonl", 1L};
  }

  private Row row(Object[] values, boolean withYear, int year) {
    List<Object> all = new ArrayList<>();
    for (Object v : values) {
      all.add(v);
    }
    if (withYear) {
      all.add(year);
    }
    for (Object v : lineage()) {
      all.add(v);
    }
    return RowFactory.create(all.toArray());
  }

  RiskFixtures registered(String account, String time, String country, String payment, String device, String address) {
    accounts.add(row(new Object[] {idPrefix + "a" + (++seq), account, "REGISTERED", ts(time), "US", country, null, null,
        payment, device, address, null}, true, year(time)));
    return this;
  }

  RiskFixtures accountEvent(String account, String type, String time, String reason) {
    accounts.add(row(new Object[] {idPrefix + "a" + (++seq), account, type, ts(time), null, null, null, null, null, null, null,
        reason}, true, year(time)));
    return this;
  }

  RiskFixtures created(String listing, String seller, String time, String product, String brand, String category,
      double price, String shipFrom) {
    listings.add(row(new Object[] {idPrefix + "l" + (++seq), listing, seller, "CREATED", ts(time), product, brand, category, price,
        shipFrom, null}, true, year(time)));
    return this;
  }

  RiskFixtures listingEvent(String listing, String seller, String type, String time, Double price, String blockReason) {
    listings.add(row(new Object[] {idPrefix + "l" + (++seq), listing, seller, type, ts(time), null, null, null, price, null,
        blockReason}, true, year(time)));
    return this;
  }

  RiskFixtures order(String order, String listing, String seller, String time, String referral, String tag) {
    return order(order, listing, seller, time, referral, tag, 1, 10.0);
  }

  RiskFixtures order(String order, String listing, String seller, String time, String referral, String tag,
      long quantity, double unitPrice) {
    orders.add(row(new Object[] {order, listing, seller, ts(time), quantity, unitPrice, referral, tag}, true, year(time)));
    return this;
  }

  RiskFixtures complaint(String order, String time, String type) {
    complaints.add(row(new Object[] {idPrefix + "c" + (++seq), order, ts(time), type}, true, year(time)));
    return this;
  }

  RiskFixtures notice(String brand, String listing, String type, String submitted, String outcome, String resolved) {
    notices.add(row(new Object[] {idPrefix + "n" + (++seq), brand, listing, type, ts(submitted), outcome,
        resolved == null ? null : ts(resolved)}, true, year(submitted)));
    return this;
  }

  RiskFixtures brand(String brand, boolean luxury) {
    brands.add(row(new Object[] {brand, ts("2020-01-01T00:00:00Z"), luxury}, false, 0));
    return this;
  }

  RiskFixtures product(String product, String brand, Double reference) {
    catalog.add(row(new Object[] {product, brand, reference}, false, 0));
    return this;
  }

  RiskFixtures authorization(String brand, String seller, String from, String to) {
    authorizations.add(row(new Object[] {brand, seller, ts(from), to == null ? null : ts(to)}, false, 0));
    return this;
  }

  private static Dataset<Row> frame(List<Row> rows, StructType schema) {
    return spark().createDataFrame(rows, schema);
  }

  Bronze bronze() {
    return new Bronze(
        frame(accounts, BronzeSchemas.ACCOUNT_EVENTS_SCHEMA), frame(listings, BronzeSchemas.LISTING_EVENTS_SCHEMA),
        frame(orders, BronzeSchemas.ORDERS_SCHEMA), frame(complaints, BronzeSchemas.COMPLAINTS_SCHEMA),
        frame(notices, BronzeSchemas.NOTICES_SCHEMA), frame(brands, BronzeSchemas.BRANDS_SCHEMA),
        frame(catalog, BronzeSchemas.CATALOG_SCHEMA), frame(authorizations, BronzeSchemas.AUTHORIZATIONS_SCHEMA));
  }

  /** Writes the tables as Delta under the config's lake (what ingest would have published). */
  void writeLake(HallmarkConfig config) {
    Bronze b = bronze();
    save(b.accountEvents(), config, BronzeSchemas.ACCOUNT_EVENTS);
    save(b.listingEvents(), config, BronzeSchemas.LISTING_EVENTS);
    save(b.orders(), config, BronzeSchemas.ORDERS);
    save(b.complaints(), config, BronzeSchemas.COMPLAINTS);
    save(b.notices(), config, BronzeSchemas.NOTICES);
    save(b.brands(), config, BronzeSchemas.BRANDS);
    save(b.catalog(), config, BronzeSchemas.CATALOG);
    save(b.authorizations(), config, BronzeSchemas.AUTHORIZATIONS);
  }

  /**
   * Appends the tables to the lake's bronze tables as ingest creates them (change data feed on, created
   * empty first), one append commit per table with rows, and records the versions as a finished ingest
   * run would not: readers then read each table's latest version.
   */
  void appendAsIngested(HallmarkConfig config) {
    new io.hallmark.ingest.IngestLake(spark(), config.paths()).ensureBronzeTables();
    Bronze b = bronze();
    java.util.Map<String, Dataset<Row>> tables = java.util.Map.of(
        BronzeSchemas.ACCOUNT_EVENTS, b.accountEvents(), BronzeSchemas.LISTING_EVENTS, b.listingEvents(),
        BronzeSchemas.ORDERS, b.orders(), BronzeSchemas.COMPLAINTS, b.complaints(), BronzeSchemas.NOTICES, b.notices(),
        BronzeSchemas.BRANDS, b.brands(), BronzeSchemas.CATALOG, b.catalog(), BronzeSchemas.AUTHORIZATIONS, b.authorizations());
    tables.forEach((table, rows) -> {
      if (!rows.isEmpty()) {
        rows.write().format("delta").mode("append").save(config.paths().bronze(table));
      }
    });
  }

  /**
   * Records this fixture's run in ops/ingest_runs as a finished ingest run of {@code runDate} would (one
   * SUCCEEDED balance row), so that its rows read "as known" from that date on.
   */
  void recordRun(HallmarkConfig config, java.time.LocalDate runDate) {
    spark().createDataFrame(List.of(RowFactory.create(runId, java.sql.Date.valueOf(runDate), BronzeSchemas.COMPLAINTS,
            "complaints/test.jsonl", 1L, 1L, 0L, 0L, "SUCCEEDED")), BronzeSchemas.INGEST_RUNS_SCHEMA)
        .write().format("delta").mode("append").save(config.paths().ops(io.hallmark.lake.BronzeReader.INGEST_RUNS));
  }

  private static void save(Dataset<Row> df, HallmarkConfig config, String table) {
    df.write().format("delta").mode("overwrite").save(config.paths().bronze(table));
  }
}
