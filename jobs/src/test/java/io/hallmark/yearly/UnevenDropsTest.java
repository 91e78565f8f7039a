package io.hallmark.yearly;

import static io.hallmark.testing.SparkTestSupport.spark;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hallmark.config.HallmarkConfig;
import io.hallmark.config.PiiKey;
import io.hallmark.ingest.IngestJob;
import io.hallmark.ingest.IngestLake;
import io.hallmark.jobs.StepResult;
import io.hallmark.lake.BronzeReader;
import io.hallmark.lake.BronzeSchemas;
import io.hallmark.risk.FeaturesJob;
import io.hallmark.risk.RiskTables;
import io.hallmark.risk.ScoreJob;
import io.hallmark.testing.ConsoleCapture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19: landing zones written by the contract, with tables that never arrive, arrive months late,
 * days holding one table only, and tables empty then not. Each lake gets two drops; after each, ingest,
 * silver and yearly-stats run, and the published figures are compared with figures worked out by hand
 * for that lake (every column of every row: a count not written below is 0, a share not written is
 * null, brands_enrolled is 0 on ALL rows and null elsewhere). After the last drop the night is run
 * again with nothing new: in full on the issue's own lake, elsewhere its ingest only, which must write
 * nothing (see {@link #rerunWritesNothing}).
 */
class UnevenDropsTest {
  static final String KEY = "uneven-drops-test-key";

  @TempDir Path tmp;
  Path landing;
  HallmarkConfig config;
  /** The jobs' progress lines, kept for the surefire report. */
  @RegisterExtension final ConsoleCapture console = new ConsoleCapture();

  @BeforeEach
  void setUp() {
    landing = tmp.resolve("landing");
    config = HallmarkConfig.defaults().with("hallmark.lake", tmp.resolve("lake").toString())
        .with("hallmark.landing", landing.toString());
  }

  // ---- the lake: brands (and five other tables) never delivered -------------------------

  @Test
  void tablesNeverDeliveredTwoDrops() throws IOException {
    drop("account_events", "2022-06-01",
        account("a1", "acc1", "REGISTERED", "2022-03-01T00:00:00Z", ",\"marketplace\":\"FR\""),
        account("a2", "acc2", "REGISTERED", "2022-05-01T00:00:00Z", ",\"marketplace\":\"DE\""));
    drop("orders", "2022-06-01", order("o1", "l1", "acc1", "2022-04-01T10:00:00Z", 2));
    Map<String, Map<String, Object>> afterFirst = figures(
        expected(2022, "ALL", "accounts_registered", 2L, "verification_pass_share", 0.0, "orders", 1L, "units_sold", 2L,
            "counterfeit_complaint_rate", 0.0),
        expected(2022, "FR", "accounts_registered", 1L, "verification_pass_share", 0.0, "orders", 1L, "units_sold", 2L,
            "counterfeit_complaint_rate", 0.0),
        expected(2022, "DE", "accounts_registered", 1L, "verification_pass_share", 0.0));
    assertEquals(afterFirst, nightly("2022-06-01"));

    drop("account_events", "2023-02-02", account("a3", "acc1", "BLOCKED", "2023-02-01T00:00:00Z", ",\"reason\":\"FRAUD\""));
    drop("orders", "2023-02-02", order("o2", "l1", "acc1", "2023-01-10T00:00:00Z", 3));
    // acc1 registered 2022-03-01, blocked 2023-02-01: 337 days = 8088 h; it never listed
    Map<String, Map<String, Object>> afterSecond = new TreeMap<>(afterFirst);
    afterSecond.putAll(figures(
        expected(2023, "ALL", "accounts_blocked", 1L, "accounts_blocked_before_first_listing", 1L,
            "pre_listing_block_share", 1.0, "orders", 1L, "units_sold", 3L, "counterfeit_complaint_rate", 0.0,
            "median_hours_registration_to_block", 8088.0),
        expected(2023, "FR", "accounts_blocked", 1L, "accounts_blocked_before_first_listing", 1L,
            "pre_listing_block_share", 1.0, "orders", 1L, "units_sold", 3L, "counterfeit_complaint_rate", 0.0,
            "median_hours_registration_to_block", 8088.0)));
    assertEquals(afterSecond, nightly("2023-02-02"));
    // the symptom was on the nights after: here the whole night once more, with nothing new
    assertEquals(afterSecond, nightly("2023-02-02"), "a rerun with nothing new");
    assertEquals(Map.of("files", 0), lastIngest.details());
  }

  // ---- notices, complaints and brands arrive for the first time seven months after the rest ------

  @Test
  void lateFirstArrivalOfThreeTables() throws IOException {
    drop("account_events", "2022-02-01",
        account("a1", "acc1", "REGISTERED", "2022-01-10T00:00:00Z", ",\"marketplace\":\"US\""),
        account("a2", "acc1", "VERIFIED", "2022-01-11T00:00:00Z", ""));
    drop("listing_events", "2022-02-01",
        listing("e1", "l1", "acc1", "CREATED", "2022-01-20T00:00:00Z", ",\"product_id\":\"p1\",\"brand\":\"Acme\",\"price_usd\":100"));
    drop("orders", "2022-02-01", order("o1", "l1", "acc1", "2022-01-25T00:00:00Z", 1));
    assertEquals(figures(
        expected(2022, "ALL", "accounts_registered", 1L, "accounts_verified_and_listed_90d", 1L,
            "verification_pass_share", 1.0, "listings_created", 1L, "orders", 1L, "units_sold", 1L,
            "counterfeit_complaint_rate", 0.0),
        expected(2022, "US", "accounts_registered", 1L, "accounts_verified_and_listed_90d", 1L,
            "verification_pass_share", 1.0, "listings_created", 1L, "orders", 1L, "units_sold", 1L,
            "counterfeit_complaint_rate", 0.0)), nightly("2022-02-01"));
    features("2022-02-01");
    assertEquals(Map.of("acc1", List.of(0.0, 0.0)), validNoticesAndComplainingBrands("2022-02-01"));

    drop("brands", "2022-09-01", brand("Acme", "2021-06-01T00:00:00Z"));
    drop("notices", "2022-09-01",
        notice("n1", "Acme", "l1", "COUNTERFEIT", "2022-08-01T00:00:00Z", "VALID", "2022-08-01T12:00:00Z"));
    drop("complaints", "2022-09-01", complaint("c1", "o1", "2022-08-05T00:00:00Z", "COUNTERFEIT"));
    drop("listing_events", "2022-09-01",
        listing("e2", "l1", "acc1", "BLOCKED", "2022-08-02T00:00:00Z", ",\"block_reason\":\"COUNTERFEIT\""));
    // the block came a day after the brand's notice: not proactive; the notice was resolved in 12 h
    Map<String, Map<String, Object>> after = figures(
        expected(2022, "ALL", "accounts_registered", 1L, "accounts_verified_and_listed_90d", 1L,
            "verification_pass_share", 1.0, "listings_created", 1L, "listings_blocked_ip", 1L,
            "proactive_block_share", 0.0, "notices_submitted", 1L, "valid_notices", 1L, "brands_enrolled", 1L,
            "valid_notices_per_brand", 1.0, "notices_resolved_within_24h_share", 1.0, "orders", 1L, "units_sold", 1L,
            "orders_with_counterfeit_complaint", 1L, "counterfeit_complaint_rate", 1.0),
        expected(2022, "US", "accounts_registered", 1L, "accounts_verified_and_listed_90d", 1L,
            "verification_pass_share", 1.0, "listings_created", 1L, "listings_blocked_ip", 1L,
            "proactive_block_share", 0.0, "notices_submitted", 1L, "valid_notices", 1L,
            "notices_resolved_within_24h_share", 1.0, "orders", 1L, "units_sold", 1L,
            "orders_with_counterfeit_complaint", 1L, "counterfeit_complaint_rate", 1.0));
    assertEquals(after, nightly("2022-09-01"));
    features("2022-09-01");
    assertEquals(Map.of("acc1", List.of(1.0, 1.0)), validNoticesAndComplainingBrands("2022-09-01"));
    rerunWritesNothing("2022-09-01");
  }

  // ---- a day that holds rows for one table only ---------------------------------------------------

  @Test
  void dayWithRowsForOneTableOnly() throws IOException {
    drop("account_events", "2023-03-01", account("a1", "acc1", "REGISTERED", "2023-01-01T00:00:00Z", ",\"marketplace\":\"GB\""));
    drop("listing_events", "2023-03-01",
        listing("e1", "l1", "acc1", "CREATED", "2023-01-05T00:00:00Z", ",\"product_id\":\"p1\",\"price_usd\":10"));
    drop("orders", "2023-03-01",
        order("o1", "l1", "acc1", "2023-02-01T00:00:00Z", 4), order("o2", "l1", "acc1", "2023-02-02T00:00:00Z", 1));
    drop("brands", "2023-03-01", brand("Acme", "2022-01-01T00:00:00Z"));
    assertEquals(figures(
        expected(2023, "ALL", "accounts_registered", 1L, "verification_pass_share", 0.0, "listings_created", 1L,
            "brands_enrolled", 1L, "valid_notices_per_brand", 0.0, "orders", 2L, "units_sold", 5L,
            "counterfeit_complaint_rate", 0.0),
        expected(2023, "GB", "accounts_registered", 1L, "verification_pass_share", 0.0, "listings_created", 1L,
            "orders", 2L, "units_sold", 5L, "counterfeit_complaint_rate", 0.0)), nightly("2023-03-01"));

    drop("complaints", "2023-03-05",
        complaint("c1", "o2", "2023-03-04T00:00:00Z", "COUNTERFEIT"), complaint("c2", "o1", "2023-03-04T00:00:00Z", "DAMAGED"));
    Map<String, Map<String, Object>> after = figures(
        expected(2023, "ALL", "accounts_registered", 1L, "verification_pass_share", 0.0, "listings_created", 1L,
            "brands_enrolled", 1L, "valid_notices_per_brand", 0.0, "orders", 2L, "units_sold", 5L,
            "orders_with_counterfeit_complaint", 1L, "counterfeit_complaint_rate", 0.5),
        expected(2023, "GB", "accounts_registered", 1L, "verification_pass_share", 0.0, "listings_created", 1L,
            "orders", 2L, "units_sold", 5L, "orders_with_counterfeit_complaint", 1L, "counterfeit_complaint_rate", 0.5));
    assertEquals(after, nightly("2023-03-05"));
    rerunWritesNothing("2023-03-05");
  }

  // ---- notices, brands and orders delivered as empty files, then with rows -------------------------

  @Test
  void tablesEmptyThenNonEmpty() throws IOException {
    drop("account_events", "2021-12-31", account("a1", "acc1", "REGISTERED", "2021-06-01T00:00:00Z", ",\"marketplace\":\"JP\""));
    drop("listing_events", "2021-12-31",
        listing("e1", "l1", "acc1", "CREATED", "2021-07-01T00:00:00Z", ",\"product_id\":\"p1\",\"price_usd\":10"));
    drop("notices", "2021-12-31");
    drop("brands", "2021-12-31");
    drop("orders", "2021-12-31");
    assertEquals(figures(
        expected(2021, "ALL", "accounts_registered", 1L, "verification_pass_share", 0.0, "listings_created", 1L),
        expected(2021, "JP", "accounts_registered", 1L, "verification_pass_share", 0.0, "listings_created", 1L)),
        nightly("2021-12-31"));

    drop("notices", "2022-01-15",
        notice("n1", "Acme", "l1", "TRADEMARK", "2022-01-10T00:00:00Z", "INVALID", "2022-01-12T00:00:00Z"));
    drop("brands", "2022-01-15", brand("Acme", "2021-01-01T00:00:00Z"));
    drop("orders", "2022-01-15", order("o1", "l1", "acc1", "2022-01-11T00:00:00Z", 2));
    // Acme enrolled in 2021, so it counts in both years; the notice took 48 h to resolve
    Map<String, Map<String, Object>> after = figures(
        expected(2021, "ALL", "accounts_registered", 1L, "verification_pass_share", 0.0, "listings_created", 1L,
            "brands_enrolled", 1L, "valid_notices_per_brand", 0.0),
        expected(2021, "JP", "accounts_registered", 1L, "verification_pass_share", 0.0, "listings_created", 1L),
        expected(2022, "ALL", "notices_submitted", 1L, "brands_enrolled", 1L, "valid_notices_per_brand", 0.0,
            "notices_resolved_within_24h_share", 0.0, "orders", 1L, "units_sold", 2L, "counterfeit_complaint_rate", 0.0),
        expected(2022, "JP", "notices_submitted", 1L, "notices_resolved_within_24h_share", 0.0, "orders", 1L,
            "units_sold", 2L, "counterfeit_complaint_rate", 0.0));
    assertEquals(after, nightly("2022-01-15"));
    rerunWritesNothing("2022-01-15");
  }

  // ---- an ingest run killed while publishing bronze -------------------------------------------------

  @Test
  void readersIgnoreRowsOfAnIngestRunKilledWhilePublishing() throws IOException {
    drop("account_events", "2022-06-01",
        account("a1", "acc1", "REGISTERED", "2022-03-01T00:00:00Z", ",\"marketplace\":\"FR\""));
    drop("orders", "2022-06-01", order("o1", "l1", "acc1", "2022-04-01T10:00:00Z", 2));
    Map<String, Map<String, Object>> finished = figures(
        expected(2022, "ALL", "accounts_registered", 1L, "verification_pass_share", 0.0, "orders", 1L, "units_sold", 2L,
            "counterfeit_complaint_rate", 0.0),
        expected(2022, "FR", "accounts_registered", 1L, "verification_pass_share", 0.0, "orders", 1L, "units_sold", 2L,
            "counterfeit_complaint_rate", 0.0));
    assertEquals(finished, nightly("2022-06-01"));

    // what a run killed after writing bronze leaves: its PUBLISHING balance and its bronze rows, no commit
    String killed = "ingest-2022-07-01-001";
    IngestLake lake = new IngestLake(spark(), config.paths());
    lake.recordRun(spark().createDataFrame(List.of(RowFactory.create(killed, Date.valueOf("2022-07-01"), "orders",
        "orders/dt=2022-07-01/part-0.jsonl", 1L, 1L, 0L, 0L, IngestLake.PUBLISHING)), BronzeSchemas.INGEST_RUNS_SCHEMA));
    Dataset<Row> unfinished = spark().createDataFrame(List.of(RowFactory.create("o9", "l1", "acc1",
        Timestamp.from(Instant.parse("2022-06-15T00:00:00Z")), 7L, 1.0, "DIRECT", null, 2022,
        killed, "orders/dt=2022-07-01/part-0.jsonl", 1L)), BronzeSchemas.ORDERS_SCHEMA);
    assertEquals(1, lake.publishBronze(BronzeSchemas.ORDERS, unfinished, unfinished));

    // silver + yearly-stats without an ingest first, and the features' bronze read, see the finished run only
    assertEquals(finished, silverAndYearly("2022-07-01"));
    assertEquals(List.of("o1"), BronzeReader.readBronze(spark(), config.paths(), RiskTables.BRONZE_TABLES, null).orders()
        .select("order_id")
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList());

    // the next ingest removes the killed run's rows; the figures stay those of the finished run
    assertEquals(finished, nightly("2022-07-02"));
    drop("orders", "2022-07-03", order("o2", "l1", "acc1", "2022-07-02T00:00:00Z", 3));
    Map<String, Map<String, Object>> after = figures(
        expected(2022, "ALL", "accounts_registered", 1L, "verification_pass_share", 0.0, "orders", 2L, "units_sold", 5L,
            "counterfeit_complaint_rate", 0.0),
        expected(2022, "FR", "accounts_registered", 1L, "verification_pass_share", 0.0, "orders", 2L, "units_sold", 5L,
            "counterfeit_complaint_rate", 0.0));
    assertEquals(after, nightly("2022-07-03"));
    rerunWritesNothing("2022-07-03");
  }

  // ---- steps ----------------------------------------------------------------------------------------

  /** ingest, then silver and yearly-stats; the published figures. */
  private Map<String, Map<String, Object>> nightly(String runDate) {
    ingest(runDate);
    return silverAndYearly(runDate);
  }

  private StepResult lastIngest;

  private void ingest(String runDate) {
    lastIngest = new IngestJob().ingest(spark(), config, PiiKey.of(KEY), LocalDate.parse(runDate), 1.0);
  }

  /**
   * The night run again with nothing new, checked on its first step: ingest finds no new file and no
   * table of the lake gets a new commit. Every later step reads bronze at the versions the last finished
   * ingest run recorded, so silver, yearly-stats and the features get the very input they had; that
   * their rerun on an unchanged input changes nothing is SilverIncrementalTest's and YearlyStatsJobTest's
   * check, and {@link #tablesNeverDeliveredTwoDrops} reruns the whole night on the lake.
   */
  private void rerunWritesNothing(String runDate) throws IOException {
    Map<String, Long> before = commitsPerTable();
    ingest(runDate);
    assertEquals(Map.of("files", 0), lastIngest.details());
    assertEquals(before, commitsPerTable(), "a rerun with nothing new wrote to the lake");
  }

  /** Every Delta table of the lake (bronze, ops, silver, gold): its latest commit, from its _delta_log. */
  private Map<String, Long> commitsPerTable() throws IOException {
    Path lake = Path.of(config.lake());
    Map<String, Long> out = new TreeMap<>();
    try (Stream<Path> logs = Files.walk(lake)) {
      for (Path log : logs.filter(p -> p.getFileName().toString().equals("_delta_log")).toList()) {
        try (Stream<Path> commits = Files.list(log)) {
          out.put(lake.relativize(log.getParent()).toString(), commits.map(p -> p.getFileName().toString())
              .filter(n -> n.matches("\\d{20}\\.json")).mapToLong(n -> Long.parseLong(n.substring(0, 20))).max()
              .orElse(-1));
        }
      }
    }
    assertTrue(out.keySet().containsAll(List.of("bronze/orders", "bronze/quarantine", "ops/ingest_runs", "ops/ingest_files",
        "silver/account_timeline", "gold/yearly_stats")), "the lake's tables: " + out);
    return out;
  }

  private Map<String, Map<String, Object>> silverAndYearly(String runDate) {
    new SilverJob().run(spark(), config, LocalDate.parse(runDate));
    new YearlyStatsJob().run(spark(), config, LocalDate.parse(runDate));
    return published();
  }

  private void features(String asOf) {
    new FeaturesJob().run(spark(), config, LocalDate.parse(asOf));
    new ScoreJob().run(spark(), config, LocalDate.parse(asOf));
  }

  /** seller -> [valid_notices, complaining_brands] as of the date, for the sellers that have a score. */
  private Map<String, List<Double>> validNoticesAndComplainingBrands(String asOf) {
    Map<String, List<Double>> out = new TreeMap<>();
    List<Row> scored = RiskTables.readScores(spark(), config, LocalDate.parse(asOf)).select("seller_id").collectAsList();
    for (Row r : spark().read().format("delta").load(config.paths().gold(RiskTables.FEATURES))
        .filter(col("as_of").equalTo(Date.valueOf(asOf)))
        .select("seller_id", "valid_notices", "complaining_brands").collectAsList()) {
      out.put(r.getString(0), List.of(r.getDouble(1), r.getDouble(2)));
    }
    assertEquals(out.keySet(), new java.util.TreeSet<>(scored.stream().map(s -> s.getString(0)).toList()),
        "one score per seller with features");
    return out;
  }

  /** The latest yearly_stats publication: "year/marketplace" -> column -> value. */
  private Map<String, Map<String, Object>> published() {
    Map<String, Map<String, Object>> out = new TreeMap<>();
    for (Row r : spark().read().format("delta").load(config.paths().gold(YearlyStatsJob.TABLE)).collectAsList()) {
      Map<String, Object> values = new LinkedHashMap<>();
      for (StructField f : YearlyStats.SCHEMA.fields()) {
        values.put(f.name(), r.isNullAt(r.fieldIndex(f.name())) ? null : r.get(r.fieldIndex(f.name())));
      }
      out.put(r.getAs("year") + "/" + r.getAs("marketplace"), values);
    }
    return out;
  }

  // ---- expected figures -----------------------------------------------------------------------------

  @SafeVarargs
  private static Map<String, Map<String, Object>> figures(Map<String, Object>... rows) {
    Map<String, Map<String, Object>> out = new TreeMap<>();
    for (Map<String, Object> row : rows) {
      out.put(row.get("year") + "/" + row.get("marketplace"), row);
    }
    return out;
  }

  /** One row: the columns given, every other count 0 and share null (brands_enrolled 0 on ALL, else null). */
  private static Map<String, Object> expected(int year, String marketplace, Object... columnValues) {
    Map<String, Object> row = new LinkedHashMap<>();
    for (StructField f : YearlyStats.SCHEMA.fields()) {
      row.put(f.name(), f.dataType().equals(DataTypes.LongType) ? Long.valueOf(0) : null);
    }
    row.put("year", year);
    row.put("marketplace", marketplace);
    if (!marketplace.equals("ALL")) {
      row.put("brands_enrolled", null);
    }
    for (int i = 0; i < columnValues.length; i += 2) {
      if (!row.containsKey((String) columnValues[i])) {
        throw new IllegalArgumentException("no column " + columnValues[i]);
      }
      row.put((String) columnValues[i], columnValues[i + 1]);
    }
    return row;
  }

  // ---- landing files, as another team's exporter writes them by the contract ------------------------

  private void drop(String table, String day, String... lines) throws IOException {
    Path file = landing.resolve(table).resolve("dt=" + day).resolve("part-0.jsonl");
    Files.createDirectories(file.getParent());
    List<String> all = new ArrayList<>(List.of(lines));
    Files.writeString(file, all.isEmpty() ? "" : String.join("\n", all) + "\n", StandardCharsets.UTF_8);
  }

  static String account(String id, String account, String type, String time, String extra) {
    return "{\"event_id\":\"" + id + "\",\"account_id\":\"" + account + "\",\"event_type\":\"" + type
        + "\",\"event_time\":\"" + time + "\"" + extra + "}";
  }

  static String listing(String id, String listing, String seller, String type, String time, String extra) {
    return "{\"event_id\":\"" + id + "\",\"listing_id\":\"" + listing + "\",\"seller_id\":\"" + seller
        + "\",\"event_type\":\"" + type + "\",\"event_time\":\"" + time + "\"" + extra + "}";
  }

  static String order(String id, String listing, String seller, String time, int quantity) {
    return "{\"order_id\":\"" + id + "\",\"listing_id\":\"" + listing + "\",\"seller_id\":\"" + seller
        + "\",\"order_time\":\"" + time + "\",\"quantity\":" + quantity + ",\"unit_price_usd\":10}";
  }

  static String complaint(String id, String order, String time, String type) {
    return "{\"complaint_id\":\"" + id + "\",\"order_id\":\"" + order + "\",\"complaint_time\":\"" + time
        + "\",\"complaint_type\":\"" + type + "\"}";
  }

  static String notice(String id, String brand, String listing, String type, String submitted, String outcome, String resolved) {
    return "{\"notice_id\":\"" + id + "\",\"brand\":\"" + brand + "\",\"listing_id\":\"" + listing + "\",\"notice_type\":\""
        + type + "\",\"submitted_at\":\"" + submitted + "\",\"outcome\":\"" + outcome + "\",\"resolved_at\":\"" + resolved + "\"}";
  }

  static String brand(String brand, String enrolled) {
    return "{\"brand\":\"" + brand + "\",\"enrolled_at\":\"" + enrolled + "\"}";
  }
}
