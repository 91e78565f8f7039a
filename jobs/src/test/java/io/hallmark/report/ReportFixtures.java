package io.hallmark.report;

import static io.hallmark.testing.SparkTestSupport.row;
import static io.hallmark.testing.SparkTestSupport.rows;

import io.hallmark.config.HallmarkConfig;
import io.hallmark.lake.BronzeSchemas;
import io.hallmark.risk.RiskTables;
import io.hallmark.yearly.YearlyStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * A tiny hand-built lake for the report and notebook tests: two publications of gold.yearly_stats
 * (the second restates 2023/2024 and changes the open year 2026), seller_risk_scores for three dates
 * and two model versions, a model folder with metrics JSON and a ground-truth file.
 * Tables use the producing jobs' schemas (YearlyStats.SCHEMA, RiskTables.SCORES_SCHEMA).
 */
public final class ReportFixtures {
  private ReportFixtures() {}

  public static final LocalDate RUN_DATE = LocalDate.parse("2026-03-01");

  /** The producing jobs' own schemas (landed on main). */
  public static final StructType YEARLY_STATS_SCHEMA = YearlyStats.SCHEMA;

  public static final StructType SELLER_RISK_SCORES_SCHEMA = RiskTables.SCORES_SCHEMA;

  /** A yearly row: every metric from a simple formula of the year, then the hand-set overrides. */
  static Row yearly(int year, String marketplace, double scale, Map<String, Object> overrides) {
    Map<String, Object> v = new LinkedHashMap<>();
    long k = year - 2020;
    boolean all = marketplace.equals("ALL");
    v.put("accounts_registered", Math.round((1000 + 100 * k) * scale));
    v.put("accounts_blocked", Math.round((200 + 20 * k) * scale));
    v.put("accounts_blocked_before_first_listing", Math.round((180 + 20 * k) * scale));
    v.put("pre_listing_block_share", (180.0 + 20 * k) / (200 + 20 * k));
    v.put("counterfeit_accounts_blocked", Math.round((50 + 5 * k) * scale));
    v.put("accounts_verified_and_listed_90d", Math.round((700 + 50 * k) * scale));
    v.put("verification_pass_share", 0.7);
    v.put("repeat_blocked_accounts", Math.round(4 * scale));
    v.put("listings_created", Math.round((20000 + 1000 * k) * scale));
    v.put("submissions_blocked", Math.round((900 + 10 * k) * scale));
    v.put("listings_blocked_ip", Math.round(400 * scale));
    v.put("listings_blocked_proactively", Math.round(396 * scale));
    v.put("proactive_block_share", 0.93 + 0.01 * k - (all ? 0 : scale / 20));
    v.put("notices_submitted", Math.round((800 + 100 * k) * scale));
    v.put("valid_notices", Math.round((500 + 100 * k) * scale));
    v.put("brands_enrolled", all ? 40 + 5 * k : null);
    v.put("valid_notices_per_brand", all ? (500.0 + 100 * k) / (40 + 5 * k) : null);
    v.put("notices_resolved_within_24h_share", 0.9);
    v.put("orders", Math.round((30000 + 5000 * k) * scale));
    v.put("units_sold", Math.round((36000 + 6000 * k) * scale));
    v.put("orders_with_counterfeit_complaint", Math.round(6 * scale));
    v.put("counterfeit_complaint_rate", 6.0 / (30000 + 5000 * k) + (all ? 0 : scale / 10000));
    v.put("median_hours_registration_to_block", 40.0 + k);
    v.putAll(overrides);
    List<Object> values = new ArrayList<>(List.of(year, marketplace));
    for (ReportMetrics.Metric m : ReportMetrics.YEARLY) {
      values.add(v.get(m.column()));
    }
    return RowFactory.create(values.toArray());
  }

  /** Hand-set 2025 (the complete year on RUN_DATE) and 2024 ALL figures the tests assert on. */
  private static final Map<String, Object> ALL_2025 = Map.of(
      "accounts_blocked", 400L, "accounts_blocked_before_first_listing", 394L, "pre_listing_block_share", 0.985,
      "orders", 50000L, "orders_with_counterfeit_complaint", 5L, "counterfeit_complaint_rate", 0.0001,
      "notices_submitted", 1200L, "valid_notices", 900L, "median_hours_registration_to_block", 36.5);

  private static Map<String, Object> all2024(boolean restated) {
    return Map.of(
        "accounts_blocked", restated ? 322L : 320L,
        "accounts_blocked_before_first_listing", restated ? 301L : 300L,
        "pre_listing_block_share", restated ? 301.0 / 322.0 : 0.9375,
        "orders", 40000L, "orders_with_counterfeit_complaint", 6L, "counterfeit_complaint_rate", 0.00015,
        "notices_submitted", 1000L, "valid_notices", 700L, "median_hours_registration_to_block", 48.0);
  }

  /** Publication 0, or publication 1 (restated: 2024 ALL/US blocks, 2023 US median; open 2026 orders). */
  static List<Row> yearlyPublication(boolean restated) {
    List<Row> out = new ArrayList<>();
    for (int year = 2023; year <= 2026; year++) {
      Map<String, Object> all = year == 2025 ? ALL_2025 : year == 2024 ? all2024(restated) : Map.of();
      if (year == 2026 && restated) {
        all = Map.of("orders", 9000L);
      }
      out.add(yearly(year, "ALL", 1.0, all));
      Map<String, Object> us = new LinkedHashMap<>();
      if (year == 2024) {
        us.put("accounts_blocked", restated ? 202L : 200L);
      }
      if (year == 2023) {
        us.put("median_hours_registration_to_block", restated ? 12.0 : null);
      }
      out.add(yearly(year, "US", 0.6, us));
      out.add(yearly(year, "DE", 0.4, Map.of()));
    }
    return out;
  }

  static Row score(String seller, String asOf, double score, String band, String r1, double c1, String r2,
      double c2, String r3, Double c3, String model) {
    return row(seller, Date.valueOf(asOf), score, band, r1, c1, evidence(r1), r2, c2, evidence(r2),
        r3, c3, evidence(r3), model);
  }

  /** The sentence published beside a reason (null beside no reason). */
  static String evidence(String reason) {
    return reason == null ? null : "evidence of " + reason + ": 3 of 10 orders (30 %)";
  }

  static List<Row> scores() {
    return List.of(
        // the older model on an earlier date
        score("s01", "2026-02-27", 0.81, "CRITICAL", "LINKED_TO_BLOCKED", 1.2, "LOW_PRICE_SHARE", 0.7, "EXTERNAL_REFERRALS", 0.3, "coef-conf"),
        score("s02", "2026-02-27", 0.62, "HIGH", "LOW_PRICE_SHARE", 0.9, "COMPLAINT_RATE", 0.4, "NEW_ACCOUNT", 0.2, "coef-conf"),
        score("s03", "2026-02-27", 0.55, "HIGH", "EXTERNAL_REFERRALS", 0.8, "LOW_PRICE_SHARE", 0.3, null, null, "coef-conf"),
        score("s04", "2026-02-27", 0.20, "MEDIUM", "NEW_ACCOUNT", 0.3, "COMPLAINT_RATE", 0.1, "LOW_PRICE_SHARE", -0.2, "coef-conf"),
        score("s05", "2026-02-27", 0.05, "LOW", "ACCOUNT_AGE", -0.6, "COMPLAINT_RATE", -0.3, "NEW_ACCOUNT", -0.1, "coef-conf"),
        score("s06", "2026-02-27", 0.40, "MEDIUM", "COMPLAINT_RATE", 0.5, "NEW_ACCOUNT", 0.2, "ACCOUNT_AGE", -0.1, "coef-conf"),
        // the run date's scores: s03 and s02 tie, s02 wins on seller_id
        score("s01", "2026-03-01", 0.93, "CRITICAL", "LINKED_TO_BLOCKED", 1.5, "LOW_PRICE_SHARE", 0.8, "EXTERNAL_REFERRALS", 0.4, "v2"),
        score("s02", "2026-03-01", 0.71, "HIGH", "LOW_PRICE_SHARE", 1.1, "COMPLAINT_RATE", 0.5, "NEW_ACCOUNT", 0.2, "v2"),
        score("s03", "2026-03-01", 0.71, "HIGH", "EXTERNAL_REFERRALS", 0.9, "LOW_PRICE_SHARE", 0.4, null, null, "v2"),
        score("s04", "2026-03-01", 0.30, "MEDIUM", "NEW_ACCOUNT", 0.4, "COMPLAINT_RATE", 0.2, "LOW_PRICE_SHARE", -0.1, "v2"),
        score("s05", "2026-03-01", 0.02, "LOW", "ACCOUNT_AGE", -0.8, "COMPLAINT_RATE", -0.3, "NEW_ACCOUNT", -0.1, "v2"),
        score("s06", "2026-03-01", 0.45, "MEDIUM", "COMPLAINT_RATE", 0.6, "NEW_ACCOUNT", 0.2, "ACCOUNT_AGE", -0.1, "v2"),
        // after the run date: must never show in a report for RUN_DATE
        score("s99", "2026-03-05", 0.999, "CRITICAL", "LINKED_TO_BLOCKED", 2.0, "LOW_PRICE_SHARE", 1.0, "COMPLAINT_RATE", 0.5, "v2"));
  }

  /** Builds the lake under {@code root}; returns the path of the ground-truth CSV written beside it. */
  public static Path buildLake(Path root) throws IOException {
    HallmarkConfig config = config(root);
    String yearlyPath = config.paths().gold(ReportTables.YEARLY_STATS);
    for (boolean restated : new boolean[] {false, true}) {
      rows(YEARLY_STATS_SCHEMA, yearlyPublication(restated).toArray(Row[]::new))
          .coalesce(1).write().format("delta").mode("overwrite").save(yearlyPath);
    }
    // a lake from before the publications table: backfilled from time travel, as the yearly-stats step does
    io.hallmark.lake.YearlyStatsPublications.record(io.hallmark.testing.SparkTestSupport.spark(), config.paths(),
        YEARLY_STATS_SCHEMA);
    rows(SELLER_RISK_SCORES_SCHEMA, scores().toArray(Row[]::new))
        .coalesce(1).write().format("delta").partitionBy("as_of").mode("overwrite")
        .save(config.paths().gold(ReportTables.SELLER_RISK_SCORES));
    writeBronze(config);
    Path model = Path.of(config.paths().models("risk"), "v2");
    Files.createDirectories(model);
    Files.writeString(model.resolve("metrics.json"),
        "{\"version\":\"v2\",\"pr_auc\":0.93,\"roc_auc\":0.97,\"precision_at_k\":0.88}\n");
    Path truth = root.resolve("ground_truth.csv");
    Files.writeString(truth, "seller_id,is_counterfeit,scheme\n"
        + "s01,true,RING\ns02,true,INFLUENCER\ns03,false,\ns04,false,\ns05,false,\ns06,true,LOOKALIKE\n");
    return truth;
  }

  private static Timestamp ts(String iso) {
    return Timestamp.from(java.time.Instant.parse(iso));
  }

  /**
   * The bronze rows the harm-prevented figure reads: s01 (CRITICAL from 2026-02-27) blocked for COUNTERFEIT on
   * 2026-03-01 10:00 after orders o1 (02-27 12:00, before anyone could act), o2 (02-28, 2 at 25 USD, a counterfeit
   * complaint on 03-01) and o3 (03-01 09:59, 40 USD, complained about only after the run date); s05 (LOW) blocked
   * for COUNTERFEIT on 02-28; s02 blocked for FRAUD.
   */
  static void writeBronze(HallmarkConfig config) {
    Object[] lineage = {"ingest-2026-03-01-1", "f.jsonl", 1L};
    rows(BronzeSchemas.ACCOUNT_EVENTS_SCHEMA,
        accountBlock("e1", "s01", "2026-03-01T10:00:00Z", "COUNTERFEIT", lineage),
        accountBlock("e2", "s05", "2026-02-28T00:00:00Z", "COUNTERFEIT", lineage),
        accountBlock("e3", "s02", "2026-02-28T00:00:00Z", "FRAUD", lineage))
        .write().format("delta").save(config.paths().bronze(BronzeSchemas.ACCOUNT_EVENTS));
    rows(BronzeSchemas.ORDERS_SCHEMA,
        row("o1", "l1", "s01", ts("2026-02-27T12:00:00Z"), 1L, 10.0, "SEARCH", null, 2026, lineage[0], lineage[1], lineage[2]),
        row("o2", "l1", "s01", ts("2026-02-28T09:00:00Z"), 2L, 25.0, "SEARCH", null, 2026, lineage[0], lineage[1], lineage[2]),
        row("o3", "l1", "s01", ts("2026-03-01T09:59:00Z"), 1L, 40.0, "SEARCH", null, 2026, lineage[0], lineage[1], lineage[2]))
        .write().format("delta").save(config.paths().bronze(BronzeSchemas.ORDERS));
    rows(BronzeSchemas.COMPLAINTS_SCHEMA,
        row("c1", "o2", ts("2026-03-01T05:00:00Z"), "COUNTERFEIT", 2026, lineage[0], lineage[1], lineage[2]),
        row("c2", "o3", ts("2026-03-02T00:00:00Z"), "COUNTERFEIT", 2026, lineage[0], lineage[1], lineage[2]))
        .write().format("delta").save(config.paths().bronze(BronzeSchemas.COMPLAINTS));
  }

  private static Row accountBlock(String id, String account, String time, String reason, Object[] lineage) {
    return row(id, account, "BLOCKED", ts(time), null, null, null, null, null, null, null, reason, 2026,
        lineage[0], lineage[1], lineage[2]);
  }

  public static HallmarkConfig config(Path root) {
    return HallmarkConfig.defaults().with("hallmark.lake", root.resolve("lake").toString());
  }
}
