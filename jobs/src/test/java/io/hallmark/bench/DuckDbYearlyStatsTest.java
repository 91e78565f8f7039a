package io.hallmark.bench;

import static io.hallmark.testing.SparkTestSupport.row;
import static io.hallmark.testing.SparkTestSupport.rows;
import static io.hallmark.testing.SparkTestSupport.spark;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hallmark.config.LakePaths;
import io.hallmark.lake.BronzeSchemas;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DuckDB peer against figures worked out by hand from a tiny bronze snapshot that exercises the
 * spec's edges (90-day window inclusive, equal instants not "before", year boundaries, UNKNOWN
 * marketplace, brands enrolled at midnight, years with only a complaint). Trusting this test is what
 * makes the benchmark's "identical figures" check an independent one.
 */
class DuckDbYearlyStatsTest {
  @TempDir static Path lake;
  static LakePaths paths;
  static Map<String, List<String>> files;

  static Timestamp ts(String iso) {
    return Timestamp.from(Instant.parse(iso));
  }

  static int year(String iso) {
    return Integer.parseInt(iso.substring(0, 4));
  }

  static Row account(String id, String account, String type, String time, String marketplace, String reason) {
    return row(id, account, type, ts(time), marketplace, null, null, null, null, null, null, reason, year(time),
        "run-1", "f.jsonl", 1L);
  }

  static Row listing(String id, String listing, String seller, String type, String time, String blockReason) {
    return row(id, listing, seller, type, ts(time), "P1", null, null, 10.0, null, blockReason, year(time),
        "run-1", "f.jsonl", 1L);
  }

  static Row order(String id, String listing, String seller, String time, long quantity) {
    return row(id, listing, seller, ts(time), quantity, 5.0, "DIRECT", null, year(time), "run-1", "f.jsonl", 1L);
  }

  static Row complaint(String id, String order, String time, String type) {
    return row(id, order, ts(time), type, year(time), "run-1", "f.jsonl", 1L);
  }

  static Row notice(String id, String listing, String submitted, String outcome, String resolved) {
    return row(id, "B1", listing, "COUNTERFEIT", ts(submitted), outcome, resolved == null ? null : ts(resolved),
        year(submitted), "run-1", "f.jsonl", 1L);
  }

  static void write(Dataset<Row> data, String table, boolean partitioned) {
    var writer = data.write().format("delta").mode("overwrite");
    (partitioned ? writer.partitionBy(BronzeSchemas.EVENT_YEAR) : writer).save(paths.bronze(table));
  }

  @BeforeAll
  static void bronze() {
    paths = new LakePaths(lake.toString());
    // A first version holding an account (DE) that the current version no longer has: its Parquet
    // files stay in the folder and must not be read.
    write(rows(BronzeSchemas.ACCOUNT_EVENTS_SCHEMA,
        account("e0", "A5", "REGISTERED", "2022-03-01T00:00:00Z", "DE", null)), BronzeSchemas.ACCOUNT_EVENTS, true);
    write(rows(BronzeSchemas.ACCOUNT_EVENTS_SCHEMA,
        account("e1", "A1", "REGISTERED", "2022-01-10T00:00:00Z", "US", null),
        account("e2", "A1", "VERIFIED", "2022-02-01T00:00:00Z", null, null),
        account("e3", "A1", "BLOCKED", "2023-03-01T00:00:00Z", null, "COUNTERFEIT"),
        account("e4", "A2", "REGISTERED", "2022-06-01T00:00:00Z", "US", null),
        account("e5", "A2", "VERIFIED", "2022-06-02T00:00:00Z", null, null),
        account("e6", "A2", "BLOCKED", "2022-07-01T00:00:00Z", null, "FRAUD"),
        account("e7", "A2", "REINSTATED", "2022-07-05T00:00:00Z", null, null),
        account("e8", "A2", "BLOCKED", "2022-09-01T00:00:00Z", null, "COUNTERFEIT"),
        account("e9", "A3", "REGISTERED", "2022-12-31T23:00:00Z", "FR", null),
        account("e10", "A3", "BLOCKED", "2023-01-01T00:00:00Z", null, "POLICY"),
        account("e11", "A4", "BLOCKED", "2023-05-01T00:00:00Z", null, "COUNTERFEIT")),
        BronzeSchemas.ACCOUNT_EVENTS, true);
    write(rows(BronzeSchemas.LISTING_EVENTS_SCHEMA,
        // exactly 90 days after A1's registration: inside the window
        listing("l1", "L1", "A1", "CREATED", "2022-04-10T00:00:00Z", null),
        listing("l2", "L1", "A1", "BLOCKED", "2023-02-01T00:00:00Z", "TRADEMARK"),
        // one second past A2's 90 days
        listing("l3", "L2", "A2", "CREATED", "2022-08-30T00:00:01Z", null),
        listing("l4", "L2", "A2", "BLOCKED", "2022-09-05T00:00:00Z", "COUNTERFEIT"),
        listing("l5", "L2", "A2", "BLOCKED", "2023-04-01T00:00:00Z", "SAFETY"),
        listing("l6", "L3", "A3", "SUBMISSION_BLOCKED", "2023-06-01T00:00:00Z", "COUNTERFEIT"),
        // refused at the same instant it was created: not "before", counts; the later refusal does not
        listing("l7", "L4", "A1", "SUBMISSION_BLOCKED", "2022-10-01T00:00:00Z", "POLICY"),
        listing("l8", "L4", "A1", "CREATED", "2022-10-01T00:00:00Z", null),
        listing("l9", "L4", "A1", "SUBMISSION_BLOCKED", "2022-11-01T00:00:00Z", "POLICY"),
        listing("l10", "L5", "A4", "SUBMISSION_BLOCKED", "2023-01-05T00:00:00Z", "SAFETY")),
        BronzeSchemas.LISTING_EVENTS, true);
    write(rows(BronzeSchemas.ORDERS_SCHEMA,
        order("O1", "L1", "A1", "2022-05-01T00:00:00Z", 2),
        order("O2", "L2", "A2", "2022-09-02T00:00:00Z", 3),
        order("O3", "L9", "A9", "2023-02-02T00:00:00Z", 1)), BronzeSchemas.ORDERS, true);
    write(rows(BronzeSchemas.COMPLAINTS_SCHEMA,
        complaint("C1", "O1", "2023-01-02T00:00:00Z", "COUNTERFEIT"),
        complaint("C2", "O3", "2023-02-03T00:00:00Z", "COUNTERFEIT"),
        complaint("C3", "O2", "2022-09-10T00:00:00Z", "NOT_AS_DESCRIBED"),
        // the only 2024 record: 2024 still gets an ALL row
        complaint("C4", "O2", "2024-01-15T00:00:00Z", "OTHER")), BronzeSchemas.COMPLAINTS, true);
    write(rows(BronzeSchemas.NOTICES_SCHEMA,
        notice("N1", "L1", "2023-03-01T00:00:00Z", "INVALID", "2023-03-03T00:00:00Z"),
        notice("N2", "L2", "2022-09-01T00:00:00Z", "VALID", "2022-09-02T00:00:00Z"),
        notice("N3", "L2", "2022-10-01T00:00:00Z", "PENDING", null),
        notice("N4", "L3", "2023-07-01T00:00:00Z", "VALID", "2023-07-01T01:00:00Z")), BronzeSchemas.NOTICES, true);
    write(rows(BronzeSchemas.BRANDS_SCHEMA,
        row("B1", ts("2021-05-01T00:00:00Z"), false, "run-1", "f.jsonl", 1L),
        // enrolled at the first instant of 2023: not before the end of 2022
        row("B2", ts("2023-01-01T00:00:00Z"), true, "run-1", "f.jsonl", 2L)), BronzeSchemas.BRANDS, false);
    files = DuckDbYearlyStats.snapshotFiles(spark(), paths);
  }

  @Test
  void readsOnlyTheFilesOfTheCurrentSnapshot() throws Exception {
    List<String> parquetInFolder;
    try (Stream<Path> walk = Files.walk(Path.of(paths.bronze(BronzeSchemas.ACCOUNT_EVENTS)))) {
      parquetInFolder = walk.map(Path::toString).filter(p -> p.endsWith(".parquet")).collect(Collectors.toList());
    }
    List<String> snapshot = files.get(BronzeSchemas.ACCOUNT_EVENTS);
    assertTrue(parquetInFolder.size() > snapshot.size(), "the overwritten version's files are still in the folder");
    assertTrue(parquetInFolder.containsAll(snapshot));
    assertEquals(Map.of(BronzeSchemas.ACCOUNT_EVENTS, 11L, BronzeSchemas.LISTING_EVENTS, 10L, BronzeSchemas.ORDERS, 3L,
            BronzeSchemas.COMPLAINTS, 4L, BronzeSchemas.NOTICES, 4L, BronzeSchemas.BRANDS, 2L),
        DuckDbYearlyStats.rowCounts(files));
  }

  @Test
  void computesTheSpecFiguresWorkedOutByHand() throws Exception {
    Object n = null;
    List<List<Object>> expected = List.of(
        // year, mkt, reg, blocked, beforeListing, share, cfBlocked, verified90, share, repeat,
        // created, submissionsBlocked, ipBlocked, proactive, share, notices, valid, brands, perBrand,
        // resolved24h, orders, units, cfOrders, rate, medianHours
        Arrays.asList(2022, "ALL", 3L, 1L, 1L, 1.0, 1L, 1L, 1.0 / 3, 1L,
            3L, 1L, 1L, 0L, 0.0, 2L, 1L, 1L, 1.0, 1.0, 2L, 5L, 1L, 0.5, 720.0),
        Arrays.asList(2022, "FR", 1L, 0L, 0L, n, 0L, 0L, 0.0, 0L,
            0L, 0L, 0L, 0L, n, 0L, 0L, n, n, n, 0L, 0L, 0L, n, n),
        Arrays.asList(2022, "US", 2L, 1L, 1L, 1.0, 1L, 1L, 0.5, 1L,
            3L, 1L, 1L, 0L, 0.0, 2L, 1L, n, n, 1.0, 2L, 5L, 1L, 0.5, 720.0),
        // median over A3 (1 h) and A1 (415 days); A4 has no REGISTERED event
        Arrays.asList(2023, "ALL", 0L, 3L, 2L, 2.0 / 3, 2L, 0L, n, 0L,
            0L, 2L, 1L, 1L, 1.0, 2L, 1L, 2L, 0.5, 0.5, 1L, 1L, 1L, 1.0, (1.0 + 9960.0) / 2),
        Arrays.asList(2023, "FR", 0L, 1L, 1L, 1.0, 0L, 0L, n, 0L,
            0L, 1L, 0L, 0L, n, 0L, 0L, n, n, n, 0L, 0L, 0L, n, 1.0),
        Arrays.asList(2023, "UNKNOWN", 0L, 1L, 1L, 1.0, 1L, 0L, n, 0L,
            0L, 1L, 0L, 0L, n, 1L, 1L, n, n, 1.0, 1L, 1L, 1L, 1.0, n),
        Arrays.asList(2023, "US", 0L, 1L, 0L, 0.0, 1L, 0L, n, 0L,
            0L, 0L, 1L, 1L, 1.0, 1L, 0L, n, n, 0.0, 0L, 0L, 0L, n, 9960.0),
        Arrays.asList(2024, "ALL", 0L, 0L, 0L, n, 0L, 0L, n, 0L,
            0L, 0L, 0L, 0L, n, 0L, 0L, 2L, 0.0, n, 0L, 0L, 0L, n, n));

    List<List<Object>> actual = DuckDbYearlyStats.compute(files, 2);

    assertEquals(List.of(), YearlyFigures.differences(expected, actual, "hand", "duckdb"));
    assertEquals(keys(expected), keys(actual), "rows in year, marketplace order");
  }

  @Test
  void comparisonReportsAChangedCellAndAMissingRow() {
    List<Object> base = new ArrayList<>(Arrays.asList(2022, "US", 2L, 1L, 1L, 1.0, 1L, 1L, 0.5, 1L,
        3L, 1L, 1L, 0L, 0.0, 2L, 1L, null, null, 1.0, 2L, 5L, 1L, 0.5, 720.0));
    List<Object> nearlySame = new ArrayList<>(base);
    nearlySame.set(24, 720.0 * (1 + 1e-12));
    List<Object> changed = new ArrayList<>(base);
    changed.set(3, 2L);
    List<Object> other = new ArrayList<>(base);
    other.set(1, "FR");

    assertEquals(List.of(), YearlyFigures.differences(List.of(base), List.of(nearlySame), "a", "b"));
    assertEquals(List.of("2022/US accounts_blocked: a=1 b=2"),
        YearlyFigures.differences(List.of(base), List.of(changed), "a", "b"));
    assertEquals(List.of("2022/US: row only in a", "2022/FR: row only in b"),
        YearlyFigures.differences(List.of(base), List.of(other), "a", "b"));
  }

  private static List<String> keys(List<List<Object>> rows) {
    return rows.stream().map(r -> r.get(0) + "/" + r.get(1)).collect(Collectors.toList());
  }
}
