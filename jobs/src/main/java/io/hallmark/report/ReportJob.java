package io.hallmark.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.hallmark.config.HallmarkConfig;
import io.hallmark.lake.BronzeReader;
import io.hallmark.lake.BronzeSchemas;
import io.hallmark.lake.HarmPrevented;
import io.hallmark.jobs.NightlyStep;
import io.hallmark.jobs.StepResult;
import io.hallmark.report.ReportContent.Chart;
import io.hallmark.report.ReportContent.Headline;
import io.hallmark.report.ReportContent.Reason;
import io.hallmark.report.ReportContent.Restatement;
import io.hallmark.report.ReportContent.Seller;
import io.hallmark.report.ReportContent.Series;
import io.hallmark.report.ReportMetrics.ChartSpec;
import io.hallmark.report.ReportMetrics.Kind;
import io.hallmark.report.ReportMetrics.Metric;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The executive report: reads the latest publication of gold.yearly_stats (and the one before, for
 * restatements) and the latest seller_risk_scores date on or before the run date, and writes a
 * self-contained report.html plus the CSV/JSON it was made from. Nightly it writes
 * {@code <report dir>/<run date>/} ({@link HallmarkConfig#reportDir}: {@code <lake>/reports} unless
 * {@code hallmark.report.dir} is set); {@code hallmark report --out DIR} writes DIR. Folders are URIs.
 * Same inputs and run date give byte-identical files (no wall clock, fixed number formats, stable order).
 */
public class ReportJob implements NightlyStep {
  @Override
  public String name() {
    return "report";
  }

  @Override
  public StepResult run(SparkSession spark, HallmarkConfig config, LocalDate runDate) throws Exception {
    return write(spark, config, runDate, config.reportDir() + "/" + runDate);
  }

  /** Writes the report into the folder {@code outDir} (a URI, or a path qualified against fs.defaultFS). */
  public StepResult write(SparkSession spark, HallmarkConfig config, LocalDate runDate, String outDir) throws Exception {
    int topN = config.raw().getInt("hallmark.report.top-sellers");
    ReportContent content = collect(spark, config, runDate, topN, SellerPseudonyms.fromConfig(config));
    outDir = config.qualify(outDir);
    ReportWriter.write(content, outDir, spark.sparkContext().hadoopConfiguration());
    Map<String, Long> read = new LinkedHashMap<>();
    read.put("gold.yearly_stats", content.yearlyStatsVersion());
    if (content.riskScoresVersion() != null) {
      read.put("gold.seller_risk_scores", content.riskScoresVersion());
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("out", outDir);
    details.put("complete_year", content.completeYear());
    details.put("previous_yearly_stats_version", content.previousYearlyStatsVersion());
    details.put("restatements", content.restatements().size());
    details.put("scores_as_of", content.scoresAsOf() == null ? null : content.scoresAsOf().toString());
    details.put("sellers", content.sellers().size());
    return new StepResult(content.yearlyStats().size(), read, Map.of(), details);
  }

  public static ReportContent collect(
      SparkSession spark, HallmarkConfig config, LocalDate runDate, int topN, SellerPseudonyms pseudonyms) {
    ReportTables tables = new ReportTables(spark, config.paths());
    List<Long> publications = tables.yearlyStatsPublications();
    long current = publications.get(0);
    Long previous = publications.size() > 1 ? publications.get(1) : null;
    int runYear = runDate.getYear();

    Dataset<Row> yearly = tables.yearlyStats(current);
    Dataset<Row> catalog = ReportTransforms.metricCatalog(spark);
    Dataset<Row> currentLong = ReportTransforms.longForm(yearly);

    List<String> columns = new ArrayList<>(List.of("year", "marketplace"));
    ReportMetrics.YEARLY.forEach(m -> columns.add(m.column()));
    List<Row> yearlyRows = yearlyInSpecOrder(yearly).collectAsList();
    Integer completeYear = latestCompleteYear(yearlyRows.stream().map(r -> (Integer) r.getAs("year")).toList(), runDate);

    List<Headline> headline = new ArrayList<>();
    if (completeYear != null) {
      for (Row r : ReportTransforms.headline(currentLong, catalog, completeYear).collectAsList()) {
        headline.add(new Headline(r.getAs("metric"), r.getAs("label"), Kind.valueOf(r.getAs("kind")),
            r.getAs("year"), r.getAs("value"), r.getAs("previous_year"), r.getAs("previous_value"),
            r.getAs("change"), r.getAs("change_unit")));
      }
    }

    List<Restatement> restatements = new ArrayList<>();
    if (previous != null) {
      Dataset<Row> previousLong = ReportTransforms.longForm(tables.yearlyStats(previous));
      for (Row r : ReportTransforms.restatements(previousLong, currentLong, catalog, runYear).collectAsList()) {
        restatements.add(new Restatement(r.getAs("year"), r.getAs("marketplace"), r.getAs("metric"),
            r.getAs("label"), Kind.valueOf(r.getAs("kind")), r.getAs("previous_value"), r.getAs("current_value")));
      }
    }

    Optional<Long> scoresVersion = tables.riskScoresVersion();
    LocalDate asOf = null;
    List<Seller> sellers = new ArrayList<>();
    if (scoresVersion.isPresent()) {
      Dataset<Row> scores = tables.riskScores(scoresVersion.get());
      asOf = ReportTables.latestAsOf(scores, runDate).orElse(null);
      if (asOf != null) {
        int rank = 0;
        for (Row r : ReportTransforms.riskiestSellers(scores, asOf, topN).collectAsList()) {
          List<Reason> reasons = new ArrayList<>();
          for (int i = 1; i <= 3; i++) {
            String code = r.getAs("reason_" + i);
            if (code != null) {
              reasons.add(new Reason(code, r.getAs("contribution_" + i), r.getAs("evidence_" + i)));
            }
          }
          sellers.add(new Seller(++rank, pseudonyms.pseudonym(r.getAs("seller_id")), asOf,
              r.getAs("risk_score"), r.getAs("risk_band"), reasons, r.getAs("model_version")));
        }
      }
    }

    return new ReportContent(runDate, completeYear, current, previous, columns, csvRows(yearlyRows, columns),
        headline, restatements, scoresVersion.orElse(null), asOf, sellers, charts(yearlyRows, runYear),
        ChartJs.displayName(), scoresVersion.isEmpty() ? null : harm(spark, config, tables.riskScores(scoresVersion.get()),
            runDate, pseudonyms));
  }

  /**
   * What acting on the published scores would have prevented ({@link HarmPrevented}) for the sellers first
   * blocked for COUNTERFEIT in the lead window before the run date (hallmark.risk.evaluation.lead-window-days,
   * as evaluate), from bronze at the last ingest run; sellers by pseudonym.
   */
  static Map<String, Object> harm(SparkSession spark, HallmarkConfig config, Dataset<Row> scores, LocalDate runDate,
      SellerPseudonyms pseudonyms) {
    Map<String, Dataset<Row>> bronze = BronzeReader.readPinned(spark, config.paths(),
        List.of(BronzeSchemas.ACCOUNT_EVENTS, BronzeSchemas.ORDERS, BronzeSchemas.COMPLAINTS), null);
    LocalDate windowStart = runDate.minusDays(config.raw().getInt("hallmark.risk.evaluation.lead-window-days"));
    LocalDate scoresFrom = runDate.minusDays(config.raw().getInt("hallmark.risk.evaluation.backfill-days"));
    Dataset<Row> bands = scores.select("seller_id", "as_of", "risk_band");
    Map<String, Object> harm = HarmPrevented.summary(HarmPrevented.perSeller(bands,
        bronze.get(BronzeSchemas.ACCOUNT_EVENTS), bronze.get(BronzeSchemas.ORDERS), bronze.get(BronzeSchemas.COMPLAINTS),
        scoresFrom, windowStart, runDate), bands, scoresFrom, windowStart, runDate);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> sellers = (List<Map<String, Object>>) harm.remove("sellers");
    List<Map<String, Object>> pseudonymous = new ArrayList<>();
    for (Map<String, Object> s : sellers) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("seller", pseudonyms.pseudonym((String) s.remove("seller_id")));
      p.putAll(s);
      pseudonymous.add(p);
    }
    harm.put("sellers", pseudonymous);
    return harm;
  }

  /** A year is complete once the run date reaches 1 January of the next year; null when none is. */
  static Integer latestCompleteYear(List<Integer> years, LocalDate runDate) {
    return years.stream().filter(y -> y < runDate.getYear()).max(Integer::compare).orElse(null);
  }

  /** year, marketplace and every metric in the spec's order (a metric missing in the table: null). */
  static Dataset<Row> yearlyInSpecOrder(Dataset<Row> yearly) {
    Set<String> present = new HashSet<>(Arrays.asList(yearly.columns()));
    Column[] metrics = ReportMetrics.YEARLY.stream()
        .map(m -> (present.contains(m.column()) ? col(m.column()) : lit(null)).cast(
            m.kind() == Kind.COUNT ? "long" : "double").as(m.column()))
        .toArray(Column[]::new);
    Column[] all = Stream.concat(Stream.of(col("year"), col("marketplace")), Arrays.stream(metrics))
        .toArray(Column[]::new);
    return yearly.select(all).orderBy(col("year"), col("marketplace"));
  }

  private static List<Map<String, String>> csvRows(List<Row> rows, List<String> columns) {
    List<Map<String, String>> out = new ArrayList<>();
    for (Row r : rows) {
      Map<String, String> line = new LinkedHashMap<>();
      line.put("year", String.valueOf((Integer) r.getAs("year")));
      line.put("marketplace", r.getAs("marketplace"));
      for (Metric m : ReportMetrics.YEARLY) {
        line.put(m.column(), ReportFormat.plain(m.kind(), number(r, m.column())));
      }
      out.add(line);
    }
    return out;
  }

  /** One chart per family: bars of the ALL row per metric, or one line per marketplace (ALL first). */
  static List<Chart> charts(List<Row> rows, int runYear) {
    TreeSet<Integer> years = new TreeSet<>();
    TreeSet<String> marketplaces = new TreeSet<>();
    for (Row r : rows) {
      years.add(r.getAs("year"));
      if (!"ALL".equals(r.getAs("marketplace"))) {
        marketplaces.add(r.getAs("marketplace"));
      }
    }
    List<String> labels = years.stream().map(y -> y >= runYear ? y + " (to date)" : String.valueOf(y)).toList();
    List<Chart> charts = new ArrayList<>();
    for (ChartSpec spec : ReportMetrics.CHARTS) {
      Kind kind = ReportMetrics.metric(spec.metrics().get(0)).kind();
      List<Series> series = new ArrayList<>();
      if (spec.perMarketplace()) {
        String metric = spec.metrics().get(0);
        List<String> lines = new ArrayList<>(List.of("ALL"));
        lines.addAll(marketplaces);
        for (String marketplace : lines) {
          series.add(new Series(marketplace, valuesByYear(rows, years, marketplace, metric)));
        }
      } else {
        for (String metric : spec.metrics()) {
          series.add(new Series(ReportMetrics.metric(metric).label(), valuesByYear(rows, years, "ALL", metric)));
        }
      }
      charts.add(new Chart(spec.id(), spec.title(), spec.type(), kind, labels, series));
    }
    return charts;
  }

  private static List<Double> valuesByYear(List<Row> rows, TreeSet<Integer> years, String marketplace, String metric) {
    Map<Integer, Double> byYear = new LinkedHashMap<>();
    for (Row r : rows) {
      if (marketplace.equals(r.getAs("marketplace"))) {
        byYear.put(r.getAs("year"), number(r, metric));
      }
    }
    List<Double> out = new ArrayList<>();
    years.forEach(y -> out.add(byYear.get(y)));
    return out;
  }

  private static Double number(Row r, String column) {
    Object v = r.getAs(column);
    return v == null ? null : ((Number) v).doubleValue();
  }
}
