package io.hallmark.report;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.hallmark.config.HadoopFiles;
import io.hallmark.config.JobFailure;
import io.hallmark.jobs.Csv;
import io.hallmark.report.ReportContent.Chart;
import io.hallmark.report.ReportContent.Headline;
import io.hallmark.report.ReportContent.Reason;
import io.hallmark.report.ReportContent.Restatement;
import io.hallmark.report.ReportContent.Seller;
import io.hallmark.report.ReportContent.Series;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVPrinter;
import org.apache.hadoop.conf.Configuration;

/**
 * Writes the report's files: report.html, report.json and one CSV per section (header row, ISO
 * dates, '.' decimals, empty field for null, full precision) into a folder URI on any Hadoop file
 * system. Each file appears whole or not at all ({@link HadoopFiles#write}).
 */
public final class ReportWriter {
  public static final String HTML = "report.html";
  public static final String JSON = "report.json";
  public static final String YEARLY_CSV = "yearly_stats.csv";
  public static final String HEADLINE_CSV = "headline.csv";
  public static final String RESTATEMENTS_CSV = "restatements.csv";
  public static final String SELLERS_CSV = "riskiest_sellers.csv";

  public static final List<String> HEADLINE_COLUMNS = List.of(
      "metric", "label", "year", "value", "previous_year", "previous_value", "change", "change_unit");
  public static final List<String> RESTATEMENT_COLUMNS = List.of(
      "year", "marketplace", "metric", "label", "previous_value", "current_value");
  public static final List<String> SELLER_COLUMNS = List.of(
      "rank", "seller", "as_of", "risk_score", "risk_band", "reason_1", "contribution_1", "evidence_1", "reason_2",
      "contribution_2", "evidence_2", "reason_3", "contribution_3", "evidence_3", "model_version");

  public static final String PSEUDONYM_RULE =
      "seller = 'S-' + first 12 hex digits of HMAC-SHA-256(PII key, 'seller:' + seller_id)";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ReportWriter() {}

  public static void write(ReportContent content, String dir, Configuration hadoop) {
    try {
      writeAtomically(hadoop, dir, YEARLY_CSV, csv(content.yearlyStatsColumns(), content.yearlyStats()));
      writeAtomically(hadoop, dir, HEADLINE_CSV, csv(HEADLINE_COLUMNS, headlineRows(content.headline())));
      writeAtomically(hadoop, dir, RESTATEMENTS_CSV, csv(RESTATEMENT_COLUMNS, restatementRows(content.restatements())));
      writeAtomically(hadoop, dir, SELLERS_CSV, csv(SELLER_COLUMNS, sellerRows(content.sellers())));
      writeAtomically(hadoop, dir, JSON, json(document(content)) + "\n");
      writeAtomically(hadoop, dir, HTML, HtmlReport.render(content, chartJson(content.charts())));
    } catch (IOException e) {
      throw new JobFailure("cannot write the report to " + dir + ": " + e.getMessage(), e);
    }
  }

  static List<Map<String, String>> headlineRows(List<Headline> headline) {
    List<Map<String, String>> rows = new ArrayList<>();
    for (Headline h : headline) {
      Map<String, String> r = new LinkedHashMap<>();
      r.put("metric", h.metric());
      r.put("label", h.label());
      r.put("year", String.valueOf(h.year()));
      r.put("value", ReportFormat.plain(h.kind(), h.value()));
      r.put("previous_year", String.valueOf(h.previousYear()));
      r.put("previous_value", ReportFormat.plain(h.kind(), h.previousValue()));
      r.put("change", ReportFormat.plain(h.change()));
      r.put("change_unit", h.changeUnit());
      rows.add(r);
    }
    return rows;
  }

  static List<Map<String, String>> restatementRows(List<Restatement> restatements) {
    List<Map<String, String>> rows = new ArrayList<>();
    for (Restatement s : restatements) {
      Map<String, String> r = new LinkedHashMap<>();
      r.put("year", String.valueOf(s.year()));
      r.put("marketplace", s.marketplace());
      r.put("metric", s.metric());
      r.put("label", s.label());
      r.put("previous_value", ReportFormat.plain(s.kind(), s.previousValue()));
      r.put("current_value", ReportFormat.plain(s.kind(), s.currentValue()));
      rows.add(r);
    }
    return rows;
  }

  static List<Map<String, String>> sellerRows(List<Seller> sellers) {
    List<Map<String, String>> rows = new ArrayList<>();
    for (Seller s : sellers) {
      Map<String, String> r = new LinkedHashMap<>();
      r.put("rank", String.valueOf(s.rank()));
      r.put("seller", s.pseudonym());
      r.put("as_of", s.asOf().toString());
      r.put("risk_score", ReportFormat.plain(s.riskScore()));
      r.put("risk_band", s.riskBand());
      for (int i = 0; i < 3; i++) {
        Reason reason = i < s.reasons().size() ? s.reasons().get(i) : null;
        r.put("reason_" + (i + 1), reason == null ? "" : reason.code());
        r.put("contribution_" + (i + 1), reason == null ? "" : ReportFormat.plain(reason.contribution()));
        r.put("evidence_" + (i + 1), reason == null || reason.evidence() == null ? "" : reason.evidence());
      }
      r.put("model_version", s.modelVersion());
      rows.add(r);
    }
    return rows;
  }

  static String csv(List<String> columns, List<Map<String, String>> rows) throws IOException {
    StringWriter out = new StringWriter();
    try (CSVPrinter csv = new CSVPrinter(out, Csv.format(columns.toArray(String[]::new)))) {
      for (Map<String, String> row : rows) {
        csv.printRecord(columns.stream().map(row::get).toList());
      }
    }
    return out.toString();
  }

  private static Map<String, Object> document(ReportContent c) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("run_date", c.runDate().toString());
    doc.put("complete_year", c.completeYear());
    doc.put("yearly_stats_version", c.yearlyStatsVersion());
    doc.put("previous_yearly_stats_version", c.previousYearlyStatsVersion());
    doc.put("seller_risk_scores_version", c.riskScoresVersion());
    doc.put("scores_as_of", c.scoresAsOf() == null ? null : c.scoresAsOf().toString());
    doc.put("chart_library", c.chartLibrary());
    doc.put("pseudonyms", PSEUDONYM_RULE);
    doc.put("headline", typed(headlineRows(c.headline()), List.of("year", "value", "previous_year", "previous_value", "change")));
    doc.put("restatements", typed(restatementRows(c.restatements()), List.of("year", "previous_value", "current_value")));
    List<Map<String, Object>> sellers = new ArrayList<>();
    for (Seller s : c.sellers()) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("rank", s.rank());
      r.put("seller", s.pseudonym());
      r.put("as_of", s.asOf().toString());
      r.put("risk_score", s.riskScore());
      r.put("risk_band", s.riskBand());
      List<Map<String, Object>> reasons = new ArrayList<>();
      for (Reason reason : s.reasons()) {
        Map<String, Object> rr = new LinkedHashMap<>();
        rr.put("code", reason.code());
        rr.put("contribution", reason.contribution());
        rr.put("evidence", reason.evidence());
        reasons.add(rr);
      }
      r.put("reasons", reasons);
      r.put("model_version", s.modelVersion());
      sellers.add(r);
    }
    doc.put("riskiest_sellers", sellers);
    doc.put("harm_prevented", c.harm());
    doc.put("charts", chartList(c.charts()));
    List<String> numeric = new ArrayList<>(c.yearlyStatsColumns());
    numeric.remove("marketplace");
    doc.put("yearly_stats", typed(c.yearlyStats(), numeric));
    return doc;
  }

  /** CSV text rows with the named columns as JSON numbers (exact decimal, as in the CSV). */
  private static List<Map<String, Object>> typed(List<Map<String, String>> rows, List<String> numeric) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, String> row : rows) {
      Map<String, Object> r = new LinkedHashMap<>();
      row.forEach((k, v) -> r.put(k, !numeric.contains(k) ? v : v.isEmpty() ? null : new BigDecimal(v)));
      out.add(r);
    }
    return out;
  }

  private static List<Map<String, Object>> chartList(List<Chart> charts) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Chart c : charts) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", c.id());
      m.put("title", c.title());
      m.put("type", c.type());
      m.put("kind", c.kind().name());
      m.put("labels", c.labels());
      List<Map<String, Object>> series = new ArrayList<>();
      for (Series s : c.series()) {
        Map<String, Object> sm = new LinkedHashMap<>();
        sm.put("label", s.label());
        sm.put("data", s.data());
        series.add(sm);
      }
      m.put("series", series);
      out.add(m);
    }
    return out;
  }

  /** The charts as JSON safe to embed in a script element ('<' escaped inside strings). */
  static String chartJson(List<Chart> charts) throws IOException {
    return MAPPER.writeValueAsString(chartList(charts)).replace("<", "\\u003c");
  }

  private static String json(Object value) throws IOException {
    DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
        .withObjectIndenter(new DefaultIndenter("  ", "\n"))
        .withArrayIndenter(new DefaultIndenter("  ", "\n"));
    ObjectWriter writer = MAPPER.writer(printer);
    return writer.writeValueAsString(value);
  }

  private static void writeAtomically(Configuration hadoop, String dir, String name, String text) throws IOException {
    HadoopFiles.writeString(hadoop, HadoopFiles.child(dir, name), text);
  }
}
