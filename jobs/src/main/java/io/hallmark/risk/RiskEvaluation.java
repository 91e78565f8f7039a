package io.hallmark.risk;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/** Metrics of risk scores against ground truth; each a function of small frames, testable alone. */
public final class RiskEvaluation {
  private RiskEvaluation() {}

  /**
   * Dates scored for an evaluation as of D: D and the (stability-days - 1) days before it (daily, for
   * band stability), then every step-days back to D - backfill-days (for lead times).
   */
  public static List<LocalDate> evaluationDates(LocalDate asOf, RiskSettings s) {
    TreeSet<LocalDate> dates = new TreeSet<>();
    for (int i = 0; i < s.stabilityDays(); i++) {
      dates.add(asOf.minusDays(i));
    }
    for (int d = s.evaluationStepDays(); d <= s.backfillDays(); d += s.evaluationStepDays()) {
      dates.add(asOf.minusDays(d));
    }
    return new ArrayList<>(dates);
  }

  /**
   * Ranking metrics of one date's scores. {@code scored}: seller_id, risk_score, risk_band, label
   * (1.0 = counterfeit seller). k = the number of true counterfeit sellers.
   */
  public static Map<String, Object> rankingMetrics(Dataset<Row> scored) {
    Map<String, Object> m = new LinkedHashMap<>();
    Row totals = scored.agg(count(lit(1)), sum("label"),
        sum(when(col("label").equalTo(1.0).and(col("risk_band").isin("HIGH", "CRITICAL")), 1).otherwise(0))).head();
    long sellers = totals.getLong(0);
    long positives = totals.isNullAt(1) ? 0 : (long) totals.getDouble(1);
    long flaggedPositives = totals.isNullAt(2) ? 0 : totals.getLong(2);
    m.put("sellers", sellers);
    m.put("counterfeit_sellers", positives);
    if (positives == 0 || positives == sellers) {
      m.put("note", "AUCs and @k need both counterfeit and honest sellers");
      return m;
    }
    BinaryClassificationEvaluator evaluator = new BinaryClassificationEvaluator()
        .setLabelCol("label").setRawPredictionCol("risk_score");
    m.put("pr_auc", evaluator.setMetricName("areaUnderPR").evaluate(scored));
    m.put("roc_auc", evaluator.setMetricName("areaUnderROC").evaluate(scored));
    long truePositivesAtK = scored
        .withColumn("rank", row_number().over(Window.orderBy(col("risk_score").desc(), col("seller_id"))))
        .filter(col("rank").leq(positives).and(col("label").equalTo(1.0)))
        .count();
    m.put("k", positives);
    m.put("precision_at_k", (double) truePositivesAtK / positives);
    m.put("recall_at_k", (double) truePositivesAtK / positives);
    m.put("recall_high_critical", (double) flaggedPositives / positives);
    return m;
  }

  /**
   * How well each signal alone ranks the sellers ({@code labelled}: label and one double column per signal):
   * the PR-AUC of the signal as the score, in whichever direction ranks better (so each signal is given its
   * best chance), best first. What the model has to beat: a combination is only worth it above its best part.
   *
   * @return signal -> {pr_auc, riskier: "higher" or "lower"}, in descending PR-AUC (ties by name)
   */
  public static Map<String, Map<String, Object>> singleSignals(Dataset<Row> labelled, List<String> signals) {
    BinaryClassificationEvaluator evaluator = new BinaryClassificationEvaluator()
        .setLabelCol("label").setRawPredictionCol("signal").setMetricName("areaUnderPR");
    Dataset<Row> rows = labelled.cache();
    List<Map.Entry<String, Map<String, Object>>> found = new ArrayList<>();
    for (String signal : signals) {
      double higher = evaluator.evaluate(rows.select(col(signal).cast("double").as("signal"), col("label")));
      double lower = evaluator.evaluate(rows.select(col(signal).cast("double").multiply(-1).as("signal"), col("label")));
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("pr_auc", Math.max(higher, lower));
      m.put("riskier", higher >= lower ? "higher" : "lower");
      found.add(Map.entry(signal, m));
    }
    rows.unpersist();
    found.sort((a, b) -> {
      int byAuc = Double.compare((Double) b.getValue().get("pr_auc"), (Double) a.getValue().get("pr_auc"));
      return byAuc != 0 ? byAuc : a.getKey().compareTo(b.getKey());
    });
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    found.forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  /**
   * Lead time per counterfeit seller first blocked for COUNTERFEIT in (windowStart, asOf]: days
   * from the first scored date before the block day on which it was HIGH or CRITICAL to the block
   * day; 0 when it never was (a miss counts as no warning, not as absent).
   *
   * @param bandsOverTime seller_id, as_of, risk_band for the evaluation dates
   * @param firstBlocks seller_id, block_date (first COUNTERFEIT block) of true counterfeit sellers
   * @return seller_id, block_date, first_high, lead_days
   */
  public static Dataset<Row> leadTimes(Dataset<Row> bandsOverTime, Dataset<Row> firstBlocks, LocalDate windowStart, LocalDate asOf) {
    Dataset<Row> inWindow = firstBlocks
        .filter(col("block_date").gt(lit(java.sql.Date.valueOf(windowStart)))
            .and(col("block_date").leq(lit(java.sql.Date.valueOf(asOf)))));
    Dataset<Row> firstHigh = bandsOverTime.filter(col("risk_band").isin("HIGH", "CRITICAL"))
        .join(inWindow, new String[] {"seller_id"}, "inner")
        .filter(col("as_of").lt(col("block_date")))
        .groupBy("seller_id").agg(min("as_of").as("first_high"));
    return inWindow.join(firstHigh, new String[] {"seller_id"}, "left")
        .select(col("seller_id"), col("block_date"), col("first_high"),
            when(col("first_high").isNull(), 0).otherwise(datediff(col("block_date"), col("first_high"))).as("lead_days"));
  }

  /** First COUNTERFEIT account block date per seller, from events before the cutoff of asOf. */
  public static Dataset<Row> firstCounterfeitBlocks(Dataset<Row> accountEvents, LocalDate asOf) {
    return accountEvents
        .filter(col("event_type").equalTo("BLOCKED").and(col("reason").equalTo("COUNTERFEIT"))
            .and(col("event_time").lt(lit(java.sql.Timestamp.from(asOf.plusDays(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant())))))
        .groupBy(col("account_id").as("seller_id")).agg(to_date(min("event_time")).as("block_date"));
  }

  public static Map<String, Object> leadTimeSummary(Dataset<Row> leadTimes) {
    Row r = leadTimes.agg(count(lit(1)), sum(when(col("first_high").isNotNull(), 1).otherwise(0)),
        expr("percentile(lead_days, 0.5)")).head();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("blocked_counterfeit_sellers", r.getLong(0));
    m.put("flagged_before_block", r.isNullAt(1) ? 0L : r.getLong(1));
    m.put("median_lead_days", r.isNullAt(2) ? null : r.getDouble(2));
    return m;
  }

  /**
   * The reliability table of one date's scores: {@code scored} (seller_id, risk_score, label) cut into
   * {@code bins} equal-count bins by score (ties by seller_id), each with its sellers, mean predicted
   * probability, observed share labelled 1 and that share's 95 % Wilson interval (commons-math3).
   * The expected calibration error is the sellers-weighted mean of |mean predicted - observed|.
   */
  public static Map<String, Object> reliability(Dataset<Row> scored, int bins) {
    List<Row> rows = scored
        .withColumn("bin", org.apache.spark.sql.functions.ntile(bins)
            .over(Window.orderBy(col("risk_score"), col("seller_id"))))
        .groupBy("bin")
        .agg(count(lit(1)).as("sellers"), org.apache.spark.sql.functions.avg("risk_score").as("predicted"),
            sum("label").as("positives"), min("risk_score").as("lowest"),
            org.apache.spark.sql.functions.max("risk_score").as("highest"))
        .orderBy("bin").collectAsList();
    long total = 0;
    double weightedGap = 0;
    List<Map<String, Object>> table = new ArrayList<>();
    org.apache.commons.math3.stat.interval.WilsonScoreInterval wilson =
        new org.apache.commons.math3.stat.interval.WilsonScoreInterval();
    for (Row r : rows) {
      long n = r.getLong(1);
      long positives = (long) r.getDouble(3);
      double observed = (double) positives / n;
      double predicted = r.getDouble(2);
      org.apache.commons.math3.stat.interval.ConfidenceInterval ci = wilson.createInterval((int) n, (int) positives, 0.95);
      Map<String, Object> bin = new LinkedHashMap<>();
      bin.put("bin", r.getInt(0));
      bin.put("sellers", n);
      bin.put("scores_from", r.getDouble(4));
      bin.put("scores_to", r.getDouble(5));
      bin.put("mean_predicted", predicted);
      bin.put("observed", observed);
      bin.put("positives", positives);
      // the bounds lie in [0, 1]; rounding leaves a -1e-18 beside 0 positives
      bin.put("observed_95_low", Math.max(0.0, ci.getLowerBound()));
      bin.put("observed_95_high", Math.min(1.0, ci.getUpperBound()));
      table.add(bin);
      total += n;
      weightedGap += n * Math.abs(predicted - observed);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("sellers", total);
    m.put("positives", table.stream().mapToLong(b -> (Long) b.get("positives")).sum());
    m.put("expected_calibration_error", total == 0 ? Double.NaN : weightedGap / total);
    m.put("bins", table);
    return m;
  }

  /** The reliability table as aligned text (what evaluate prints). */
  public static String reliabilityTable(Map<String, Object> reliability) {
    StringBuilder out = new StringBuilder(String.format(java.util.Locale.ROOT,
        "%4s %8s %21s %14s %10s %9s %17s%n", "bin", "sellers", "scores", "mean predicted", "observed", "positives",
        "observed 95 %"));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> bins = (List<Map<String, Object>>) reliability.get("bins");
    for (Map<String, Object> b : bins) {
      out.append(String.format(java.util.Locale.ROOT, "%4d %8d %10.6f-%10.6f %14.6f %10.6f %9d %8.4f-%8.4f%n",
          b.get("bin"), b.get("sellers"), b.get("scores_from"), b.get("scores_to"), b.get("mean_predicted"),
          b.get("observed"), b.get("positives"), b.get("observed_95_low"), b.get("observed_95_high")));
    }
    out.append(String.format(java.util.Locale.ROOT, "expected calibration error (ECE): %.4f over %d sellers, %d positive",
        reliability.get("expected_calibration_error"), reliability.get("sellers"), reliability.get("positives")));
    return out.toString();
  }

  /**
   * Day-over-day band stability over consecutive daily dates: of the sellers scored on both days of
   * a pair, the share whose band did not change (pooled over all pairs).
   */
  public static double bandStability(Dataset<Row> bandsOverTime) {
    Dataset<Row> next = bandsOverTime.select(col("seller_id"), expr("date_sub(as_of, 1)").as("as_of"),
        col("risk_band").as("next_band"));
    Row r = bandsOverTime.join(next, new String[] {"seller_id", "as_of"}, "inner")
        .agg(count(lit(1)), sum(when(col("risk_band").equalTo(col("next_band")), 1).otherwise(0))).head();
    return r.getLong(0) == 0 ? Double.NaN : (double) r.getLong(1) / r.getLong(0);
  }
}
