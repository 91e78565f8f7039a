package io.hallmark.risk;

import static io.hallmark.testing.SparkTestSupport.row;
import static io.hallmark.testing.SparkTestSupport.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hallmark.testing.SparkTestSupport;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Evaluation metrics against hand-computed values. */
class RiskEvaluationTest {
  static final StructType SCORED = new StructType().add("seller_id", DataTypes.StringType)
      .add("risk_score", DataTypes.DoubleType).add("risk_band", DataTypes.StringType).add("label", DataTypes.DoubleType);
  static final StructType BANDS = new StructType().add("seller_id", DataTypes.StringType)
      .add("as_of", DataTypes.DateType).add("risk_band", DataTypes.StringType);

  @Test
  void rankingMetricsMatchHandComputation() {
    Dataset<Row> scored = rows(SCORED,
        row("c1", 0.9, "CRITICAL", 1.0), row("h1", 0.8, "HIGH", 0.0), row("c2", 0.7, "HIGH", 1.0),
        row("h2", 0.3, "LOW", 0.0), row("h3", 0.2, "LOW", 0.0), row("c3", 0.1, "LOW", 1.0));
    Map<String, Object> m = RiskEvaluation.rankingMetrics(scored);
    assertEquals(3L, m.get("k"));
    assertEquals(2.0 / 3, (double) m.get("precision_at_k"), 1e-12); // c1, h1, c2
    assertEquals(2.0 / 3, (double) m.get("recall_at_k"), 1e-12);
    assertEquals(2.0 / 3, (double) m.get("recall_high_critical"), 1e-12);
    assertEquals(5.0 / 9, (double) m.get("roc_auc"), 1e-12); // 5 of 9 (positive, negative) pairs ordered right
    // PR curve (recall, precision) from (0, 1): (1/3, 1), (1/3, 1/2), (2/3, 2/3), (2/3, 1/2), (2/3, 2/5), (1, 1/2); trapezoids
    assertEquals(1.0 / 3 + (0.5 + 2.0 / 3) / 2 / 3 + (0.4 + 0.5) / 2 / 3, (double) m.get("pr_auc"), 1e-12);
  }

  @Test
  void leadTimeCountsDaysFromFirstHighBeforeTheBlockDay() {
    Dataset<Row> bands = rows(BANDS,
        row("c1", Date.valueOf("2024-05-25"), "MEDIUM"),
        row("c1", Date.valueOf("2024-06-01"), "HIGH"),
        row("c1", Date.valueOf("2024-06-10"), "CRITICAL"),
        row("c2", Date.valueOf("2024-06-01"), "MEDIUM"),
        row("c2", Date.valueOf("2024-06-15"), "HIGH"), // on the block day itself: no warning
        row("c3", Date.valueOf("2023-12-01"), "HIGH"));
    Dataset<Row> blocks = rows(new StructType().add("seller_id", DataTypes.StringType).add("block_date", DataTypes.DateType),
        row("c1", Date.valueOf("2024-06-20")), row("c2", Date.valueOf("2024-06-15")),
        row("c3", Date.valueOf("2024-01-01"))); // before the window: not measured
    Dataset<Row> lead = RiskEvaluation.leadTimes(bands, blocks, LocalDate.of(2024, 4, 1), LocalDate.of(2024, 6, 30));
    SparkTestSupport.assertRows(List.of(
        row("c1", Date.valueOf("2024-06-20"), Date.valueOf("2024-06-01"), 19),
        row("c2", Date.valueOf("2024-06-15"), null, 0)), lead);
    Map<String, Object> summary = RiskEvaluation.leadTimeSummary(lead);
    assertEquals(9.5, (double) summary.get("median_lead_days"), 1e-12);
    assertEquals(1L, summary.get("flagged_before_block"));
  }

  @Test
  void bandStabilityIsTheShareOfUnchangedBandsBetweenConsecutiveDays() {
    Dataset<Row> bands = rows(BANDS,
        row("a", Date.valueOf("2024-06-29"), "LOW"), row("a", Date.valueOf("2024-06-30"), "LOW"),
        row("b", Date.valueOf("2024-06-29"), "LOW"), row("b", Date.valueOf("2024-06-30"), "HIGH"),
        row("c", Date.valueOf("2024-06-30"), "HIGH"),
        row("a", Date.valueOf("2024-06-22"), "HIGH")); // a weekly point: no neighbour the day after
    assertEquals(0.5, RiskEvaluation.bandStability(bands), 1e-12);
  }

  @Test
  void evaluationDatesAreDailyNearAsOfThenWeekly() {
    RiskSettings s = RiskSettings.from(io.hallmark.config.HallmarkConfig.defaults());
    List<LocalDate> dates = RiskEvaluation.evaluationDates(LocalDate.of(2024, 6, 30), s);
    assertEquals(LocalDate.of(2024, 6, 30).minusDays(175), dates.get(0)); // 25 whole weeks within 180 days
    assertEquals(LocalDate.of(2024, 6, 30), dates.get(dates.size() - 1));
    assertEquals(7 + 25, dates.size()); // D-6..D daily, then D-7, D-14, ..., D-175
  }
}
