package io.hallmark.yearly;

import static io.hallmark.testing.SparkTestSupport.spark;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hallmark.cli.Hallmark;
import io.hallmark.lake.BronzeSchemas;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * generate -> ingest -> yearly-stats -> export, through the CLI, and every column of every CSV row
 * checked against {@link ReferenceYearlyStats}, a plain-Java computation over the bronze records.
 */
class YearlyEndToEndTest {
  @TempDir Path tmp;

  @Test
  void exportedFiguresMatchAnIndependentComputationOverBronze() throws Exception {
    spark(); // the commands reuse the suite's session (and leave it running)
    String landing = tmp.resolve("landing").toString();
    String lake = tmp.resolve("lake").toString();
    Path csv = tmp.resolve("out/yearly_stats.csv");
    assertEquals(0, Hallmark.execute("generate", "--out", landing, "--accounts", "60", "--from", "2021", "--to", "2022",
        "--layout", "MONTHLY", "--seed", "11"));
    assertEquals(0, Hallmark.execute("ingest", "--lake", lake, "--landing", landing, "--run-date", "2023-01-02"));
    assertEquals(0, Hallmark.execute("yearly-stats", "--lake", lake, "--run-date", "2023-01-02"));
    assertEquals(0, Hallmark.execute("export", "yearly-stats", "--lake", lake, "--out", csv.toString()));

    Map<String, Map<String, Object>> expected = ReferenceYearlyStats.compute(
        bronze(lake, BronzeSchemas.ACCOUNT_EVENTS, r -> new ReferenceYearlyStats.AccountEvent(r.getAs("event_id"),
            r.getAs("account_id"), r.getAs("event_type"), instant(r, "event_time"), r.getAs("marketplace"), r.getAs("reason"))),
        bronze(lake, BronzeSchemas.LISTING_EVENTS, r -> new ReferenceYearlyStats.ListingEvent(r.getAs("event_id"),
            r.getAs("listing_id"), r.getAs("seller_id"), r.getAs("event_type"), instant(r, "event_time"), r.getAs("block_reason"))),
        bronze(lake, BronzeSchemas.ORDERS, r -> new ReferenceYearlyStats.Order(r.getAs("order_id"), r.getAs("seller_id"),
            instant(r, "order_time"), r.<Long>getAs("quantity"))),
        bronze(lake, BronzeSchemas.COMPLAINTS, r -> new ReferenceYearlyStats.Complaint(r.getAs("complaint_id"),
            r.getAs("order_id"), r.getAs("complaint_type"), instant(r, "complaint_time"))),
        bronze(lake, BronzeSchemas.NOTICES, r -> new ReferenceYearlyStats.Notice(r.getAs("notice_id"), r.getAs("listing_id"),
            instant(r, "submitted_at"), r.getAs("outcome"), instant(r, "resolved_at"))),
        bronze(lake, BronzeSchemas.BRANDS, r -> new ReferenceYearlyStats.Brand(r.getAs("brand"), instant(r, "enrolled_at"))));

    // the generated history must exercise the metrics, or this comparison proves little
    Map<String, Object> firstFullYear = expected.get("2021/ALL");
    assertNotNull(firstFullYear, "no 2021 ALL row: " + expected.keySet());
    for (String busy : List.of("accounts_registered", "accounts_blocked", "listings_created", "listings_blocked_ip",
        "notices_submitted", "orders")) {
      assertTrue((Long) expected.get("2022/ALL").get(busy) + (Long) firstFullYear.get(busy) > 0, busy + " is 0 in both years");
    }

    Map<String, CSVRecord> actual = new TreeMap<>();
    try (Reader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
         CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader)) {
      assertEquals(Arrays.asList(YearlyStats.SCHEMA.fieldNames()), parser.getHeaderNames());
      for (CSVRecord record : parser) {
        actual.put(record.get("year") + "/" + record.get("marketplace"), record);
      }
    }
    assertEquals(expected.keySet(), actual.keySet(), "rows (year/marketplace)");
    int checked = 0;
    for (Map.Entry<String, Map<String, Object>> row : expected.entrySet()) {
      CSVRecord record = actual.get(row.getKey());
      for (StructField field : YearlyStats.SCHEMA.fields()) {
        if (field.name().equals("year") || field.name().equals("marketplace")) {
          continue;
        }
        String where = row.getKey() + " " + field.name();
        Object want = row.getValue().get(field.name());
        String got = record.get(field.name());
        if (want == null) {
          assertEquals("", got, where);
        } else if (field.dataType().equals(DataTypes.LongType)) {
          assertEquals(want, Long.parseLong(got), where);
        } else {
          // plain Java and Spark may round the last bit differently (interpolation, hour division)
          assertEquals((Double) want, Double.parseDouble(got), 1e-9 * Math.max(1, Math.abs((Double) want)), where);
        }
        checked++;
      }
    }
    assertEquals(expected.size() * (YearlyStats.SCHEMA.size() - 2), checked);

    // diff: one publication so far, nothing to compare; an unsupported table is a usage error
    assertTrue(captureStdout(() -> assertEquals(0, Hallmark.execute("diff", "yearly-stats", "--lake", lake)))
        .contains("has no publication before version"));
    assertEquals(2, Hallmark.execute("diff", "risk-scores", "--lake", lake));
  }

  private static String captureStdout(Runnable action) {
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    java.io.PrintStream original = System.out;
    java.io.PrintStream capture = new java.io.PrintStream(captured, true, StandardCharsets.UTF_8);
    System.setOut(capture);
    io.hallmark.jobs.Console.redirect(capture, System.err);
    try {
      action.run();
    } finally {
      System.setOut(original);
      io.hallmark.jobs.Console.redirect(original, System.err);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  private static <T> List<T> bronze(String lake, String table, Function<Row, T> record) {
    return spark().read().format("delta").load(lake + "/bronze/" + table).collectAsList().stream().map(record).toList();
  }

  private static Instant instant(Row row, String field) {
    Timestamp t = row.getAs(field);
    return t == null ? null : t.toInstant();
  }
}
