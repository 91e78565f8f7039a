package io.hallmark.report;

import io.hallmark.config.JobFailure;
import io.hallmark.report.ReportContent.Chart;
import io.hallmark.report.ReportContent.Headline;
import io.hallmark.report.ReportContent.Reason;
import io.hallmark.report.ReportContent.Restatement;
import io.hallmark.report.ReportContent.Seller;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.commons.text.StringEscapeUtils;

/**
 * The self-contained page: styles, Chart.js and the chart data are inlined and a Content-Security-Policy
 * forbids every network fetch, so the page opens offline and cannot leak. Tables are server-rendered
 * text (the numbers a reader sees are exactly {@link ReportFormat}'s); charts are drawn by Chart.js.
 */
final class HtmlReport {
  private static final String CSP =
      "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";

  private HtmlReport() {}

  static String render(ReportContent c, String chartJson) {
    StringBuilder h = new StringBuilder(300_000);
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(CSP).append("\">\n")
        .append("<title>Hallmark brand-protection report, ").append(c.runDate()).append("</title>\n")
        .append("<style>\n").append(resource("report.css")).append("</style>\n")
        .append("<script>\n").append(resource("report-errors.js")).append("</script>\n")
        .append("</head>\n<body data-run-date=\"").append(c.runDate()).append("\">\n<main>\n");

    h.append("<h1>Brand-protection report</h1>\n<p class=\"meta\">Run date ").append(c.runDate())
        .append(" &middot; yearly statistics publication v").append(c.yearlyStatsVersion());
    if (c.previousYearlyStatsVersion() != null) {
      h.append(" (compared with v").append(c.previousYearlyStatsVersion()).append(")");
    }
    if (c.scoresAsOf() != null) {
      h.append(" &middot; risk scores as of ").append(c.scoresAsOf());
    }
    h.append("</p>\n");

    headline(h, c);
    charts(h, c);
    restatements(h, c);
    sellers(h, c);
    harm(h, c);

    h.append("<footer>Figures from <code>gold.yearly_stats</code> (definitions: yearly-metrics spec) and ")
        .append("<code>gold.seller_risk_scores</code>; the same data is in the CSV/JSON files beside this page. ")
        .append("Charts drawn with ").append(esc(c.chartLibrary()))
        .append(" (MIT licence), inlined: the page needs no network.</footer>\n</main>\n");
    h.append("<script id=\"chart-data\" type=\"application/json\">").append(chartJson).append("</script>\n")
        .append("<script>\n").append(ChartJs.script()).append("\n</script>\n")
        .append("<script>\n").append(resource("report-render.js")).append("</script>\n")
        .append("</body>\n</html>\n");
    return h.toString();
  }

  private static void headline(StringBuilder h, ReportContent c) {
    if (c.completeYear() == null) {
      h.append("<h2>Year at a glance</h2>\n<p id=\"headline-none\">No complete year yet on ").append(c.runDate())
          .append(".</p>\n");
      return;
    }
    int year = c.completeYear();
    h.append("<h2>").append(year).append(" at a glance</h2>\n")
        .append("<table id=\"headline\" data-year=\"").append(year).append("\">\n<thead><tr><th>All marketplaces</th>")
        .append("<th class=\"num\">").append(year).append("</th><th class=\"num\">").append(year - 1)
        .append("</th><th class=\"num\">Change</th></tr></thead>\n<tbody>\n");
    for (Headline m : c.headline()) {
      String direction = m.change() == null || m.change() == 0 ? "" : m.change() > 0 ? " up" : " down";
      h.append("<tr data-metric=\"").append(m.metric()).append("\"><th>").append(esc(m.label())).append("</th>")
          .append("<td class=\"num value\">").append(ReportFormat.display(m.kind(), m.value())).append("</td>")
          .append("<td class=\"num previous\">").append(ReportFormat.display(m.kind(), m.previousValue())).append("</td>")
          .append("<td class=\"num change").append(direction).append("\">")
          .append(ReportFormat.change(m.kind(), m.change())).append("</td></tr>\n");
    }
    h.append("</tbody></table>\n<p class=\"note\">Change: relative for counts and hours, in percentage points (pp) ")
        .append("for shares. A year is complete once the run date reaches 1 January of the next year.</p>\n");
  }

  private static void charts(StringBuilder h, ReportContent c) {
    h.append("<h2>Over the years</h2>\n<div class=\"grid\">\n");
    for (Chart chart : c.charts()) {
      h.append("<figure><figcaption>").append(esc(chart.title())).append("</figcaption>")
          .append("<canvas id=\"").append(chart.id()).append("\" width=\"540\" height=\"290\" role=\"img\" aria-label=\"")
          .append(esc(chart.title())).append("\"></canvas></figure>\n");
    }
    h.append("</div>\n<p class=\"note\">Years marked \"to date\" are not complete on the run date.</p>\n");
  }

  private static void restatements(StringBuilder h, ReportContent c) {
    h.append("<h2>Restatements of closed years</h2>\n");
    if (c.previousYearlyStatsVersion() == null) {
      h.append("<p id=\"restatements-none\">First publication: nothing to compare with.</p>\n");
      return;
    }
    if (c.restatements().isEmpty()) {
      h.append("<p id=\"restatements-none\">No figure of a closed year changed between publication v")
          .append(c.previousYearlyStatsVersion()).append(" and v").append(c.yearlyStatsVersion()).append(".</p>\n");
      return;
    }
    h.append("<p class=\"note\">Late events changed these figures of closed years between publication v")
        .append(c.previousYearlyStatsVersion()).append(" and v").append(c.yearlyStatsVersion()).append(".</p>\n")
        .append("<table id=\"restatements\">\n<thead><tr><th>Year</th><th>Marketplace</th><th>Figure</th>")
        .append("<th class=\"num\">Was</th><th class=\"num\">Now</th></tr></thead>\n<tbody>\n");
    for (Restatement r : c.restatements()) {
      h.append("<tr data-year=\"").append(r.year()).append("\" data-marketplace=\"").append(esc(r.marketplace()))
          .append("\" data-metric=\"").append(r.metric()).append("\"><td>").append(r.year()).append("</td><td>")
          .append(esc(r.marketplace())).append("</td><td>").append(esc(r.label())).append("</td>")
          .append("<td class=\"num previous\">").append(ReportFormat.display(r.kind(), r.previousValue())).append("</td>")
          .append("<td class=\"num current\">").append(ReportFormat.display(r.kind(), r.currentValue())).append("</td></tr>\n");
    }
    h.append("</tbody></table>\n");
  }

  private static void sellers(StringBuilder h, ReportContent c) {
    h.append("<h2>Riskiest sellers</h2>\n");
    if (c.scoresAsOf() == null) {
      h.append("<p id=\"sellers-none\">No risk scores on or before ").append(c.runDate()).append(".</p>\n");
      return;
    }
    h.append("<p class=\"note\">Highest counterfeit-risk scores as of ").append(c.scoresAsOf())
        .append(", with the three features that raised each score most: what the seller's data shows against the")
        .append(" marketplace on the same date, then the feature and its contribution to the score's logit. The score is")
        .append(" the probability that the seller is blocked for COUNTERFEIT within 90 days. Sellers are pseudonymous: ")
        .append("the id is a keyed hash of the seller id.</p>\n")
        .append("<table id=\"sellers\">\n<thead><tr><th class=\"num\">#</th><th>Seller</th><th class=\"num\">Score</th>")
        .append("<th>Band</th><th>Reasons: evidence (feature, contribution)</th><th>Model</th></tr></thead>\n<tbody>\n");
    for (Seller s : c.sellers()) {
      String reasons = "<ol>" + s.reasons().stream()
          .map((Reason r) -> "<li>" + (r.evidence() == null ? "" : "<span class=\"evidence\">" + esc(r.evidence()) + "</span> ")
              + "<span class=\"code\">" + esc(r.code()) + " (" + ReportFormat.contribution(r.contribution()) + ")</span></li>")
          .collect(Collectors.joining()) + "</ol>";
      h.append("<tr data-seller=\"").append(esc(s.pseudonym())).append("\"><td class=\"num rank\">").append(s.rank())
          .append("</td><td class=\"seller\">").append(esc(s.pseudonym())).append("</td>")
          .append("<td class=\"num score\">").append(ReportFormat.score(s.riskScore())).append("</td>")
          .append("<td class=\"band\"><span class=\"band-").append(esc(s.riskBand())).append("\">")
          .append(esc(s.riskBand())).append("</span></td><td class=\"reasons\">").append(reasons).append("</td>")
          .append("<td class=\"model\">").append(esc(s.modelVersion())).append("</td></tr>\n");
    }
    h.append("</tbody></table>\n");
  }

  /** What acting on the published scores would have prevented (io.hallmark.lake.HarmPrevented). */
  @SuppressWarnings("unchecked")
  private static void harm(StringBuilder h, ReportContent c) {
    if (c.harm() == null) {
      return;
    }
    Map<String, Object> m = c.harm();
    h.append("<h2>Harm acting on the scores would have prevented</h2>\n")
        .append("<p id=\"harm\">").append(esc(io.hallmark.lake.HarmPrevented.sentence(m))).append(".</p>\n")
        .append("<p class=\"note\">For each seller first blocked for COUNTERFEIT in the window: the orders it took from the")
        .append(" end of the first day its published score was HIGH or CRITICAL (the first morning it could have been acted")
        .append(" on) to its block, the counterfeit complaints those orders drew and their sales.</p>\n");
    List<Map<String, Object>> sellers = (List<Map<String, Object>>) m.get("sellers");
    if (sellers.isEmpty()) {
      return;
    }
    h.append("<table id=\"harm-sellers\">\n<thead><tr><th>Seller</th><th>Blocked</th><th>First HIGH</th>")
        .append("<th class=\"num\">Days flagged</th><th class=\"num\">Orders</th><th class=\"num\">Counterfeit complaints</th>")
        .append("<th class=\"num\">Sales (USD)</th></tr></thead>\n<tbody>\n");
    for (Map<String, Object> s : sellers) {
      h.append("<tr data-seller=\"").append(esc((String) s.get("seller"))).append("\"><td>").append(esc((String) s.get("seller")))
          .append("</td><td>").append(esc((String) s.get("blocked_at"))).append("</td><td>")
          .append(s.get("first_high") == null ? "never" : esc((String) s.get("first_high"))).append("</td>")
          .append("<td class=\"num\">").append(s.get("days_flagged")).append("</td><td class=\"num\">").append(s.get("orders"))
          .append("</td><td class=\"num\">").append(s.get("counterfeit_complaints")).append("</td><td class=\"num\">")
          .append(String.format(java.util.Locale.ROOT, "%,.2f", (Double) s.get("sales_usd"))).append("</td></tr>\n");
    }
    h.append("</tbody></table>\n");
  }

  static String esc(String text) {
    return text == null ? "" : StringEscapeUtils.escapeHtml4(text);
  }

  private static String resource(String name) {
    try (InputStream in = HtmlReport.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new JobFailure("report resource " + name + " missing from the jar; rebuild it");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new JobFailure("cannot read report resource " + name + ": " + e.getMessage(), e);
    }
  }
}
