package io.hallmark.report;

import static io.hallmark.testing.SparkTestSupport.spark;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hallmark.cli.Hallmark;
import io.hallmark.config.HallmarkConfig;
import io.hallmark.config.JobFailure;
import io.hallmark.jobs.StepResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportJobTest {
  @TempDir
  static Path root;

  static SampleReport sample;
  static HallmarkConfig config;
  static Path out;

  @BeforeAll
  static void lake() throws Exception {
    sample = SampleReport.get();
    config = sample.config;
    out = sample.out;
  }

  private static List<String> lines(Path dir, String file) throws Exception {
    return Files.readAllLines(dir.resolve(file), StandardCharsets.UTF_8);
  }

  @Test
  void headlineIsTheLatestCompleteYearAgainstTheYearBefore() throws Exception {
    List<String> csv = lines(out, ReportWriter.HEADLINE_CSV);
    assertEquals("metric,label,year,value,previous_year,previous_value,change,change_unit", csv.get(0));
    // 2025 against the restated 2024 (publication 1): 400 vs 322 blocks, 0.985 vs 301/322
    assertTrue(csv.contains("accounts_blocked,Accounts blocked,2025,400,2024,322,0.2422360248447205,relative"), csv.toString());
    assertTrue(csv.contains("pre_listing_block_share,Share of blocks before the first listing,2025,0.985,2024,"
        + "0.9347826086956522,0.05021739130434777,points"), csv.toString());
    assertTrue(csv.contains("counterfeit_complaint_rate,Counterfeit complaint rate,2025,0.0001,2024,0.00015,-0.00004999999999999998,points"),
        csv.toString());
    assertEquals(1 + ReportMetrics.HEADLINE.size(), csv.size());
  }

  @Test
  void aYearIsCompleteOnlyFromFirstJanuaryOfTheNextYear() {
    List<Integer> years = List.of(2023, 2024, 2025, 2026);
    assertEquals(2024, ReportJob.latestCompleteYear(years, LocalDate.parse("2025-12-31")));
    assertEquals(2025, ReportJob.latestCompleteYear(years, LocalDate.parse("2026-01-01")));
    assertEquals(null, ReportJob.latestCompleteYear(List.of(2026), LocalDate.parse("2026-03-01")));
  }

  @Test
  void restatementsListOnlyChangedFiguresOfClosedYears() throws Exception {
    // the 2026 orders change is in the open year and must not show
    assertEquals(List.of(
        "year,marketplace,metric,label,previous_value,current_value",
        "2023,US,median_hours_registration_to_block,Median hours from registration to block,,12",
        "2024,ALL,accounts_blocked,Accounts blocked,320,322",
        "2024,ALL,accounts_blocked_before_first_listing,Accounts blocked before their first listing,300,301",
        "2024,ALL,pre_listing_block_share,Share of blocks before the first listing,0.9375,0.9347826086956522",
        "2024,US,accounts_blocked,Accounts blocked,200,202"), lines(out, ReportWriter.RESTATEMENTS_CSV));
  }

  @Test
  @SuppressWarnings("unchecked")
  void theReportSaysWhatActingOnThePublishedScoresWouldHavePrevented() throws Exception {
    Map<String, Object> json = new com.fasterxml.jackson.databind.ObjectMapper()
        .readValue(Files.readString(out.resolve(ReportWriter.JSON)), Map.class);
    Map<String, Object> harm = (Map<String, Object>) json.get("harm_prevented");
    // s01: CRITICAL on 2026-02-27, acted on from 02-28 00:00 to its block: o2 (2 x 25) and o3 (40), o2's complaint
    assertEquals(2, harm.get("blocked_counterfeit_sellers")); // s01, s05 (s02: FRAUD)
    assertEquals(1, harm.get("flagged_before_block"));
    assertEquals(2, harm.get("orders"));
    assertEquals(1, harm.get("counterfeit_complaints"));
    assertEquals(90.0, ((Number) harm.get("sales_usd")).doubleValue(), 1e-9);
    List<Map<String, Object>> sellers = (List<Map<String, Object>>) harm.get("sellers");
    assertEquals(2, sellers.size());
    // in block order: s05 (02-28, never HIGH before it), then s01 by its pseudonym
    assertEquals(null, sellers.get(0).get("first_high"));
    assertEquals(0, sellers.get(0).get("orders"));
    assertEquals("S-67b293e40c3d", sellers.get(1).get("seller"));
    assertEquals("2026-02-27", sellers.get(1).get("first_high"));
    assertEquals("2026-03-01T10:00:00Z", sellers.get(1).get("blocked_at"));
    String html = Files.readString(out.resolve(ReportWriter.HTML));
    assertTrue(html.contains("<p id=\"harm\">1 of 2 sellers blocked for COUNTERFEIT in (2025-12-01, 2026-03-01] were HIGH"
        + " or CRITICAL before their block: acting on the first such day would have prevented 2 orders, 1 counterfeit"
        + " complaints and 90.00 USD of sales (scores: gold.seller_risk_scores as published, 2 dates from 2026-02-27 to"
        + " 2026-03-01 (read after 2025-09-02)).</p>"), html);
  }

  @Test
  void riskiestSellersAreOfTheLatestDateOnOrBeforeTheRunDateAndPseudonymous() throws Exception {
    List<String> csv = lines(out, ReportWriter.SELLERS_CSV);
    // s99 is scored after the run date; s02/s03 tie at 0.71 and s02 sorts first; HMAC values from Python's hmac
    assertEquals(List.of(
        "rank,seller,as_of,risk_score,risk_band,reason_1,contribution_1,evidence_1,reason_2,contribution_2,evidence_2,"
            + "reason_3,contribution_3,evidence_3,model_version",
        "1,S-67b293e40c3d,2026-03-01,0.93,CRITICAL,LINKED_TO_BLOCKED,1.5,evidence of LINKED_TO_BLOCKED: 3 of 10 orders (30 %),"
            + "LOW_PRICE_SHARE,0.8,evidence of LOW_PRICE_SHARE: 3 of 10 orders (30 %),"
            + "EXTERNAL_REFERRALS,0.4,evidence of EXTERNAL_REFERRALS: 3 of 10 orders (30 %),v2",
        "2,S-9cea307cbbbc,2026-03-01,0.71,HIGH,LOW_PRICE_SHARE,1.1,evidence of LOW_PRICE_SHARE: 3 of 10 orders (30 %),"
            + "COMPLAINT_RATE,0.5,evidence of COMPLAINT_RATE: 3 of 10 orders (30 %),"
            + "NEW_ACCOUNT,0.2,evidence of NEW_ACCOUNT: 3 of 10 orders (30 %),v2"),
        csv.subList(0, 3));
    assertTrue(csv.get(3).matches("3,S-[0-9a-f]{12},2026-03-01,0.71,HIGH,EXTERNAL_REFERRALS,0.9,"
        + "evidence of EXTERNAL_REFERRALS: 3 of 10 orders \\(30 %\\),LOW_PRICE_SHARE,0.4,"
        + "evidence of LOW_PRICE_SHARE: 3 of 10 orders \\(30 %\\),,,,v2"), csv.get(3));
    assertEquals(4, csv.size());
    try (Stream<Path> files = Files.list(out)) {
      for (Path f : files.toList()) {
        String text = Files.readString(f);
        for (String raw : List.of("s01", "s02", "s03", "s99")) {
          assertFalse(text.contains(raw), f + " contains the raw seller id " + raw);
        }
      }
    }
  }

  @Test
  void sameInputsGiveByteIdenticalFiles() throws Exception {
    Path first = sample.out;
    StepResult r1 = sample.result;
    Path second = root.resolve("again");
    // a second run into a fresh folder, then a rerun over its existing files
    new ReportJob().write(spark(), config, ReportFixtures.RUN_DATE, second.toString());
    new ReportJob().write(spark(), config, ReportFixtures.RUN_DATE, second.toString());
    List<String> names = List.of(ReportWriter.HTML, ReportWriter.JSON, ReportWriter.YEARLY_CSV,
        ReportWriter.HEADLINE_CSV, ReportWriter.RESTATEMENTS_CSV, ReportWriter.SELLERS_CSV);
    for (String name : names) {
      assertArrayEquals(Files.readAllBytes(first.resolve(name)), Files.readAllBytes(second.resolve(name)), name);
    }
    try (Stream<Path> files = Files.list(second)) {
      assertEquals(names.stream().sorted().toList(), files.map(p -> p.getFileName().toString()).sorted().toList());
    }
    assertEquals(12, r1.rows()); // 4 years x (ALL, US, DE)
    assertEquals(1L, r1.tablesRead().get("gold.yearly_stats"));
  }

  @Test
  void pageUsesTheRunDateAndInlinesChartJsWithoutNetwork() throws Exception {
    String html = Files.readString(out.resolve(ReportWriter.HTML));
    assertTrue(html.contains("<title>Hallmark brand-protection report, 2026-03-01</title>"));
    assertTrue(html.contains("Chart.js v" + ChartJs.version()), "Chart.js bundle inlined");
    assertFalse(html.matches("(?s).*<script[^>]+src=.*"), "no external script");
    assertFalse(html.contains("<link"), "no external stylesheet");
    assertTrue(html.contains("default-src 'none'"), "CSP forbids network");
  }

  @Test
  void missingYearlyStatsFailsWithAClearMessage() {
    HallmarkConfig empty = ReportFixtures.config(root.resolve("nothing-here"));
    JobFailure e = assertThrows(JobFailure.class,
        () -> new ReportJob().write(spark(), empty, ReportFixtures.RUN_DATE, root.resolve("out-none").toString()));
    assertTrue(e.getMessage().contains("gold.yearly_stats not found"), e.getMessage());
  }

  @Test
  void commandRequiresRunDateAndOut() {
    assertEquals(Hallmark.EXIT_USAGE, Hallmark.execute("report", "--out", root.resolve("x").toString()));
    assertEquals(Hallmark.EXIT_USAGE, Hallmark.execute("report", "--run-date", "2026-03-01"));
    assertEquals(Hallmark.EXIT_USAGE, Hallmark.execute("report", "--run-date", "2026-13-01", "--out", "x"));
  }

}
