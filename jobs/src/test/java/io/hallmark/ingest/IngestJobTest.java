package io.hallmark.ingest;

import static io.hallmark.testing.SparkTestSupport.assertRows;
import static io.hallmark.testing.SparkTestSupport.row;
import static io.hallmark.testing.SparkTestSupport.spark;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.tables.DeltaTable;
import io.hallmark.config.HallmarkConfig;
import io.hallmark.config.PiiKey;
import io.hallmark.jobs.StepResult;
import io.hallmark.lake.BronzeSchemas;
import io.hallmark.testing.ConsoleCapture;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingest end to end on tiny landing zones written inline: outcomes per line, duplicates within and
 * across batches, the per-file balance, rerun idempotence, and no raw personal data anywhere.
 */
class IngestJobTest {
  static final String KEY = "ingest-test-key";
  static final List<String> RAW_PII = List.of(
      "alice@example.com", "bob@example.org", "+33 6 12 34 56 78", "+1 555 010 9999", "555 010", "example.org");

  @TempDir Path tmp;
  Path landing;
  Path lake;
  HallmarkConfig config;
  @RegisterExtension final ConsoleCapture console = new ConsoleCapture();

  @BeforeEach
  void setUp() {
    landing = tmp.resolve("landing");
    lake = tmp.resolve("lake");
    config = HallmarkConfig.defaults().with("hallmark.lake", lake.toString()).with("hallmark.landing", landing.toString());
  }

  static void write(Path landing, String relative, String... lines) throws IOException {
    Path file = landing.resolve(relative);
    Files.createDirectories(file.getParent());
    byte[] content = lines.length == 0 ? new byte[0] : (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    if (relative.endsWith(".gz")) {
      try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
        out.write(content);
      }
    } else {
      Files.write(file, content);
    }
  }

  static String order(String id, int quantity, double price, String extra) {
    return "{\"order_id\":\"" + id + "\",\"listing_id\":\"l1\",\"seller_id\":\"acc1\",\"order_time\":\"2022-01-02T10:00:00Z\","
        + "\"quantity\":" + quantity + ",\"unit_price_usd\":" + price + extra + "}";
  }

  private StepResult ingest(LocalDate runDate) {
    return new IngestJob().ingest(spark(), config, PiiKey.of(KEY), runDate, 1.0);
  }

  private Dataset<Row> table(String path) {
    return spark().read().format("delta").load(path);
  }

  private void firstBatch() throws IOException {
    write(landing, "account_events/dt=2022-01-01/a.jsonl",
        "{\"event_id\":\"a1\",\"account_id\":\"acc1\",\"event_type\":\"REGISTERED\",\"event_time\":\"2022-01-01T01:00:00+02:00\","
            + "\"marketplace\":\"FR\",\"email\":\"alice@example.com\",\"phone\":\"+33 6 12 34 56 78\",\"extra\":\"ignored\"}",
        "{\"event_id\":\"a2\",\"account_id\":\"acc1\",\"event_type\":\"BLOCKED\",\"event_time\":\"2022-01-02T00:00:00Z\"}",
        "{\"event_id\":\"a3\",\"account_id\":\"acc2\",\"event_type\":\"REGISTERED\",\"email\":\"bob@example.org\",",
        "{\"event_id\":\"a4\",\"account_id\":\"acc2\",\"event_type\":\"REGISTERED\",\"event_time\":\"2022-01-03T10:00:00\","
            + "\"marketplace\":\"FR\",\"phone\":\"+1 555 010 9999\"}");
    write(landing, "brands/b.jsonl.gz",
        "{\"brand\":\"Acme\",\"enrolled_at\":\"2020-01-01T00:00:00Z\",\"luxury\":true}",
        "{\"brand\":\"Plain\",\"enrolled_at\":\"2020-06-01T12:00:00-05:00\"}",
        "{\"brand\":\"X\",\"enrolled_at\":\"2020-01-01T00:00:00Z\",\"luxury\":\"yes\"}");
    write(landing, "complaints/dt=2022-01-02/empty.jsonl");
    write(landing, "orders/dt=2022-01-02/o.jsonl",
        order("o1", 2, 10.5, ""),
        // same record spelled differently: field order, offset, 10.50, explicit default, unknown field
        "{\"seller_id\":\"acc1\",\"order_id\":\"o1\",\"listing_id\":\"l1\",\"order_time\":\"2022-01-02T12:00:00+02:00\","
            + "\"quantity\":2,\"unit_price_usd\":10.50,\"referral_source\":\"DIRECT\",\"junk\":1}",
        order("o2", 1, 5, ""),
        order("o2", 3, 5, ""),
        order("o3", 0, 5, ""),
        "{\"order_id\":\"o4\",\"listing_id\":\"l1\",\"seller_id\":\"acc1\",\"order_time\":\"2022-01-02T10:00:00Z\",\"quantity\":1,\"unit_price_usd\":\"5.00\"}",
        "{\"order_id\":5,\"listing_id\":\"l1\",\"seller_id\":\"acc1\",\"order_time\":\"2022-01-02T10:00:00Z\",\"quantity\":1,\"unit_price_usd\":5}",
        order("o6", 1, 5, ",\"referral_source\":\"instagram\""),
        order("o7", 1, 99, ",\"referral_source\":\"INSTAGRAM\",\"referral_tag\":\"@glam\""));
    write(landing, "misc/x.jsonl", "{\"not\":\"a table\"}");
  }

  private void secondBatch() throws IOException {
    write(landing, "orders/dt=2022-01-03/p.jsonl",
        order("o1", 2, 10.5, ""),
        order("o7", 1, 89, ",\"referral_source\":\"INSTAGRAM\",\"referral_tag\":\"@glam\""),
        order("o2", 1, 5, ""),
        order("o8", 4, 20, ",\"referral_source\":\"SEARCH\""),
        order("o8", 4, 20, ",\"referral_source\":\"SEARCH\""),
        order("o9", 1, 1, ""));
    write(landing, "orders/dt=2022-01-03/q.jsonl", order("o9", 2, 1, ""));
  }

  @Test
  void filesSkippedForTheirNameAreCountedWithTheirPathsInTheWarning() throws Exception {
    write(landing, "orders/dt=2022-01-02/part-0.jsonl", order("o1", 1, 5, ""));
    // an exporter's mistake: the leading '_' makes it hidden by the Hadoop convention
    write(landing, "orders/dt=2022-01-02/_part-0.jsonl", order("o2", 1, 5, ""));
    write(landing, "orders/dt=2022-01-02/notes.txt", "not data");
    write(landing, "orders/.staging/part-1.jsonl", order("o3", 1, 5, ""));
    write(landing, "_SUCCESS");
    ingest(LocalDate.of(2022, 1, 2));
    assertTrue(console.text().contains("WARNING: 4 landing file(s)/folder(s) skipped for their"
        + " name (a '.' or '_' prefix, or not .jsonl/.jsonl.gz; rename them to be ingested): _SUCCESS, orders/.staging/,"
        + " orders/dt=2022-01-02/_part-0.jsonl, orders/dt=2022-01-02/notes.txt\n"), console.text());
    assertRows("order_id STRING NOT NULL", List.of(row("o1")), table(lake.resolve("bronze/orders").toString()).select("order_id"));
  }

  @Test
  void batchesDuplicatesBalanceRerunAndPrivacy() throws Exception {
    firstBatch();
    StepResult first = ingest(null);
    String run1 = "ingest-2022-01-02-001"; // newest dt= folder of the batch
    assertEquals(run1, first.details().get("run_id"));
    assertEquals(5L, first.rows()); // a1, Acme, Plain, o1, o7
    assertTrue(console.text().contains("skipping 'misc'"), console.text());

    // offset timestamp lands in the right UTC instant and year; personal data only as HMAC
    assertRows("event_id STRING NOT NULL, event_time STRING NOT NULL, event_year INT NOT NULL, marketplace STRING,"
            + " email_hash STRING, phone_hash STRING, _ingest_run_id STRING NOT NULL, _source_file STRING NOT NULL,"
            + " _source_line BIGINT NOT NULL",
        List.of(row("a1", "2021-12-31 23:00:00", 2021, "FR", LineValidatorTest.hmac(KEY, "alice@example.com"),
            LineValidatorTest.hmac(KEY, "+33 6 12 34 56 78"), run1, "account_events/dt=2022-01-01/a.jsonl", 1L)),
        table(lake + "/bronze/account_events").select(col("event_id"), col("event_time").cast("string"), col("event_year"),
            col("marketplace"), col("email_hash"), col("phone_hash"), col("_ingest_run_id"), col("_source_file"), col("_source_line")));
    assertTrue(Files.isDirectory(lake.resolve("bronze/account_events/event_year=2021")));
    assertRows("brand STRING NOT NULL, enrolled_at STRING NOT NULL, luxury BOOLEAN NOT NULL", List.of(row("Acme", "2020-01-01 00:00:00", true), row("Plain", "2020-06-01 17:00:00", false)),
        table(lake + "/bronze/brands").select(col("brand"), col("enrolled_at").cast("string"), col("luxury")));

    String o = "orders/dt=2022-01-02/o.jsonl";
    assertRows("table_name STRING NOT NULL, source_file STRING NOT NULL, line_number BIGINT NOT NULL, reason STRING NOT NULL,"
            + " _ingest_run_id STRING NOT NULL", List.of(
            row("account_events", "account_events/dt=2022-01-01/a.jsonl", 2L, "MISSING_FIELD:reason", run1),
            row("account_events", "account_events/dt=2022-01-01/a.jsonl", 3L, "MALFORMED_JSON", run1),
            row("account_events", "account_events/dt=2022-01-01/a.jsonl", 4L, "BAD_TIMESTAMP:event_time", run1),
            row("brands", "brands/b.jsonl.gz", 3L, "BAD_BOOLEAN:luxury", run1),
            row("orders", o, 3L, "CONFLICTING_DUPLICATE", run1),
            row("orders", o, 4L, "CONFLICTING_DUPLICATE", run1),
            row("orders", o, 5L, "BAD_NUMBER:quantity", run1),
            row("orders", o, 6L, "BAD_NUMBER:unit_price_usd", run1),
            row("orders", o, 7L, "BAD_ID:order_id", run1),
            row("orders", o, 8L, "BAD_ENUM:referral_source", run1)),
        table(lake + "/bronze/quarantine").select("table_name", "source_file", "line_number", "reason", "_ingest_run_id"));
    // quarantine keeps the line verbatim (personal fields hashed)
    assertEquals(order("o2", 1, 5, ""),
        table(lake + "/bronze/quarantine").filter(col("line_number").equalTo(3).and(col("table_name").equalTo("orders")))
            .select("raw_line").first().getString(0));

    // balance per file: read = accepted + duplicates + rejected (empty file included)
    assertRows("source_file STRING NOT NULL, lines_read BIGINT NOT NULL, accepted BIGINT NOT NULL,"
            + " duplicates BIGINT NOT NULL, rejected BIGINT NOT NULL, status STRING NOT NULL", List.of(
            row("account_events/dt=2022-01-01/a.jsonl", 4L, 1L, 0L, 3L, "SUCCEEDED"),
            row("brands/b.jsonl.gz", 3L, 2L, 0L, 1L, "SUCCEEDED"),
            row("complaints/dt=2022-01-02/empty.jsonl", 0L, 0L, 0L, 0L, "SUCCEEDED"),
            row(o, 9L, 2L, 1L, 6L, "SUCCEEDED")),
        table(lake + "/ops/ingest_runs").select("source_file", "lines_read", "accepted", "duplicates", "rejected", "status"));

    // second batch: duplicates and conflicts against bronze and across files of one batch
    secondBatch();
    String run2 = "ingest-2022-01-03-001";
    ingest(LocalDate.of(2022, 1, 3));
    String p = "orders/dt=2022-01-03/p.jsonl";
    String q = "orders/dt=2022-01-03/q.jsonl";
    assertRows("order_id STRING NOT NULL, quantity BIGINT NOT NULL, unit_price_usd DOUBLE NOT NULL,"
            + " referral_source STRING NOT NULL, referral_tag STRING, order_time STRING NOT NULL, event_year INT NOT NULL,"
            + " _source_file STRING NOT NULL, _source_line BIGINT NOT NULL, _ingest_run_id STRING NOT NULL", List.of(
            row("o1", 2L, 10.5, "DIRECT", null, "2022-01-02 10:00:00", 2022, o, 1L, run1),
            row("o7", 1L, 99.0, "INSTAGRAM", "@glam", "2022-01-02 10:00:00", 2022, o, 9L, run1),
            row("o2", 1L, 5.0, "DIRECT", null, "2022-01-02 10:00:00", 2022, p, 3L, run2),
            row("o8", 4L, 20.0, "SEARCH", null, "2022-01-02 10:00:00", 2022, p, 4L, run2)),
        table(lake + "/bronze/orders").select(col("order_id"), col("quantity"), col("unit_price_usd"), col("referral_source"),
            col("referral_tag"), col("order_time").cast("string"), col("event_year"), col("_source_file"), col("_source_line"),
            col("_ingest_run_id")));
    assertRows("source_file STRING NOT NULL, line_number BIGINT NOT NULL, reason STRING NOT NULL", List.of(
            row(p, 2L, "CONFLICTING_DUPLICATE"), row(p, 6L, "CONFLICTING_DUPLICATE"), row(q, 1L, "CONFLICTING_DUPLICATE")),
        table(lake + "/bronze/quarantine").filter(col("_ingest_run_id").equalTo(run2)).select("source_file", "line_number", "reason"));
    assertRows("source_file STRING NOT NULL, lines_read BIGINT NOT NULL, accepted BIGINT NOT NULL,"
            + " duplicates BIGINT NOT NULL, rejected BIGINT NOT NULL", List.of(row(p, 6L, 2L, 2L, 2L), row(q, 1L, 0L, 0L, 1L)),
        table(lake + "/ops/ingest_runs").filter(col("run_id").equalTo(run2))
            .select("source_file", "lines_read", "accepted", "duplicates", "rejected"));

    // rerun over the same landing zone: no table gets a new version, contents identical
    Map<String, Long> versionsBefore = versions();
    Map<String, List<String>> contentBefore = contents();
    StepResult rerun = ingest(LocalDate.of(2022, 1, 3));
    assertEquals(0L, rerun.rows());
    assertEquals(versionsBefore, versions());
    assertEquals(contentBefore, contents());

    assertNoRawPersonalData();
  }

  @Test
  void aBatchIsMergedIntoTheEventYearsItHoldsOnly() throws Exception {
    write(landing, "orders/dt=2021-06-01/a.jsonl",
        order("o2021", 1, 5, "").replace("2022-01-02T10:00:00Z", "2021-06-01T10:00:00Z"));
    write(landing, "orders/dt=2022-01-02/b.jsonl", order("o1", 1, 5, ""));
    ingest(LocalDate.of(2022, 1, 2));
    // next night: one new 2022 order, one repeat of the 2021 order (a duplicate decided against all of bronze)
    write(landing, "orders/dt=2022-01-03/c.jsonl", order("o9", 1, 5, ""),
        order("o2021", 1, 5, "").replace("2022-01-02T10:00:00Z", "2021-06-01T10:00:00Z"));
    StepResult second = ingest(LocalDate.of(2022, 1, 3));

    assertEquals(Map.of("read", 2L, "accepted", 1L, "duplicates", 1L, "rejected", 0L), second.details().get("orders"));
    assertRows(ORDER_YEARS, List.of(row("o1", 2022), row("o2021", 2021), row("o9", 2022)),
        table(lake + "/bronze/orders").select(col("order_id"), col("event_year")));

    // publication itself guards only the batch's years (the decision above covered all of bronze): a row
    // reusing the 2021 key with a 2022 time is inserted, so the MERGE did not read the 2021 partition
    Dataset<Row> sameKeyOtherYear = table(lake + "/bronze/orders").filter(col("order_id").equalTo("o2021"))
        .withColumn("event_year", org.apache.spark.sql.functions.lit(2022));
    new IngestLake(spark(), config.paths()).publishBronze(BronzeSchemas.ORDERS, sameKeyOtherYear, sameKeyOtherYear);
    assertRows(ORDER_YEARS, List.of(row("o1", 2022), row("o2021", 2021), row("o2021", 2022), row("o9", 2022)),
        table(lake + "/bronze/orders").select(col("order_id"), col("event_year")));
  }

  private static final String ORDER_YEARS = "order_id STRING NOT NULL, event_year INT NOT NULL";

  /** Every Delta table under the lake: its current version. */
  private Map<String, Long> versions() throws IOException {
    Map<String, Long> out = new TreeMap<>();
    for (Path t : deltaTables()) {
      out.put(lake.relativize(t).toString(),
          DeltaTable.forPath(spark(), t.toString()).history(1).select("version").first().getLong(0));
    }
    return out;
  }

  private Map<String, List<String>> contents() throws IOException {
    Map<String, List<String>> out = new TreeMap<>();
    for (Path t : deltaTables()) {
      List<String> rows = new ArrayList<>(table(t.toString()).collectAsList().stream().map(Row::toString).toList());
      rows.sort(null);
      out.put(lake.relativize(t).toString(), rows);
    }
    return out;
  }

  private List<Path> deltaTables() throws IOException {
    try (Stream<Path> s = Files.walk(lake)) {
      return s.filter(d -> Files.isDirectory(d.resolve("_delta_log"))).sorted().toList();
    }
  }

  /** Bytes of every file under the lake, every string value of every table, and the console output. */
  private void assertNoRawPersonalData() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(lake)) {
      files = s.filter(Files::isRegularFile).toList();
    }
    assertTrue(files.size() > 20, "expected the lake's files, got " + files.size());
    for (Path f : files) {
      String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
      for (String raw : RAW_PII) {
        assertFalse(bytes.contains(raw), raw + " found in " + f);
      }
    }
    List<Path> tables = deltaTables();
    assertEquals(11, tables.size(), tables.toString()); // 8 bronze + quarantine + ops ingest_files, ingest_runs
    for (Path t : tables) {
      Dataset<Row> df = table(t.toString());
      StructField[] fields = df.schema().fields();
      for (Row r : df.collectAsList()) {
        for (int i = 0; i < fields.length; i++) {
          if (fields[i].dataType().equals(DataTypes.StringType) && r.getString(i) != null) {
            for (String raw : RAW_PII) {
              assertFalse(r.getString(i).contains(raw), raw + " in " + t + "." + fields[i].name() + ": " + r.getString(i));
            }
          }
        }
      }
    }
    String out = console.text();
    for (String raw : RAW_PII) {
      assertFalse(out.contains(raw), raw + " printed on the console");
    }
  }
}
