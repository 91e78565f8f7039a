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
  void reliabilityTableAndCalibrationErrorMatchHandComputation() {
    StructType schema = new StructType().add("seller_id", DataTypes.StringType)
        .add("risk_score", DataTypes.DoubleType).add("label", DataTypes.DoubleType);
    // 8 sellers in 2 bins of 4 by score: low bin mean 0.1 with 1 of 4 positive, high bin mean 0.6 with 2 of 4
    Dataset<Row> scored = rows(schema,
        row("a", 0.05, 0.0), row("b", 0.10, 1.0), row("c", 0.10, 0.0), row("d", 0.15, 0.0),
        row("e", 0.40, 0.0), row("f", 0.60, 1.0), row("g", 0.70, 0.0), row("h", 0.70, 1.0));
    Map<String, Object> m = RiskEvaluation.reliability(scored, 2);
    assertEquals(8L, m.get("sellers"));
    assertEquals(3L, m.get("positives"));
    // ECE = 4/8 * |0.1 - 0.25| + 4/8 * |0.6 - 0.5| = 0.075 + 0.05
    assertEquals(0.125, (double) m.get("expected_calibration_error"), 1e-12);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> bins = (List<Map<String, Object>>) m.get("bins");
    assertEquals(2, bins.size());
    assertEquals(0.1, (double) bins.get(0).get("mean_predicted"), 1e-12);
    assertEquals(0.25, (double) bins.get(0).get("observed"), 1e-12);
    assertEquals(0.05, (double) bins.get(0).get("scores_from"), 0.0);
    assertEquals(0.15, (double) bins.get(0).get("scores_to"), 0.0);
    assertEquals(0.6, (double) bins.get(1).get("mean_predicted"), 1e-12);
    assertEquals(2L, bins.get(1).get("positives"));
    // Wilson 95 % interval of 1 in 4 (z = 1.959964): (p + z^2/2n -+ z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n)
    double z = 1.959963984540054;
    double n = 4;
    double p = 0.25;
    double centre = (p + z * z / (2 * n)) / (1 + z * z / n);
    double half = z * Math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n);
    assertEquals(centre - half, (double) bins.get(0).get("observed_95_low"), 1e-9);
    assertEquals(centre + half, (double) bins.get(0).get("observed_95_high"), 1e-9);
    String table = RiskEvaluation.reliabilityTable(m);
    assertEquals(4, table.lines().count(), table); // header, 2 bins, ECE line
    assertEquals("expected calibration error (ECE): 0.1250 over 8 sellers, 3 positive", table.lines().toList().get(3));
  }

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
    SparkTestSupport.assertRows("seller_id STRING, block_date DATE, first_high DATE, lead_days INT", List.of(
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
