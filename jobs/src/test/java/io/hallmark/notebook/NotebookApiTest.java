package io.hallmark.notebook;

import static io.hallmark.testing.SparkTestSupport.row;
import static io.hallmark.testing.SparkTestSupport.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.hallmark.report.ReportFixtures;
import io.hallmark.report.SampleReport;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class NotebookApiTest {
  static final StructType LABELLED = new StructType()
      .add("seller_id", DataTypes.StringType).add("risk_score", DataTypes.DoubleType).add("label", DataTypes.BooleanType);

  @Test
  void precisionRecallCountsFlaggedSellersAtEachThreshold() {
    Dataset<Row> labelled = rows(LABELLED, row("s1", 0.9, true), row("s2", 0.7, true), row("s3", 0.6, false),
        row("s4", 0.3, true), row("s5", 0.1, false));
    List<Row> curve = Calibration.precisionRecall(labelled, 4).collectAsList();
    // threshold, sellers, positives, flagged, true positives, precision, recall: counted by hand
    assertEquals(List.of(
        row(0.0, 5L, 3L, 5L, 3L, 0.6, 1.0),
        row(0.25, 5L, 3L, 4L, 3L, 0.75, 1.0),
        row(0.5, 5L, 3L, 3L, 2L, 2.0 / 3, 2.0 / 3),
        row(0.75, 5L, 3L, 1L, 1L, 1.0, 1.0 / 3),
        row(1.0, 5L, 3L, 0L, 0L, null, 0.0)).toString(), curve.toString());
    Dataset<Row> curveDf = Calibration.precisionRecall(labelled, 4);
    assertEquals(Optional.of(0.25), Calibration.lowestThresholdWithPrecision(curveDf, 0.7));
    assertEquals(Optional.of(0.75), Calibration.lowestThresholdWithPrecision(curveDf, 0.9));
    assertEquals(Optional.empty(), Calibration.lowestThresholdWithPrecision(curveDf, 1.1));
  }

  @Test
  void bandSummaryCountsEachBandsSellersScoresAndPrecision() {
    StructType banded = new StructType().add("seller_id", DataTypes.StringType).add("risk_score", DataTypes.DoubleType)
        .add("risk_band", DataTypes.StringType).add("label", DataTypes.BooleanType);
    Dataset<Row> labelled = rows(banded, row("s1", 0.4, "CRITICAL", true), row("s2", 0.3, "CRITICAL", false),
        row("s3", 0.1, "HIGH", true), row("s4", 0.01, "LOW", false), row("s5", 0.03, "LOW", false));
    // band, sellers, share of the 5, lowest, highest, mean score, labelled true, precision: by hand; no MEDIUM
    assertEquals(List.of(
        row("CRITICAL", 2L, 0.4, 0.3, 0.4, 0.35, 1L, 0.5),
        row("HIGH", 1L, 0.2, 0.1, 0.1, 0.1, 1L, 1.0),
        row("LOW", 2L, 0.4, 0.01, 0.03, 0.02, 0L, 0.0)).toString(),
        Calibration.bandSummary(labelled).collectAsList().toString());
  }

  @Test
  void modelComparisonUsesEachVersionsLatestDate() {
    Dataset<Row> scores = rows(ReportFixtures.SELLER_RISK_SCORES_SCHEMA,
        score("s1", "2026-01-01", 0.2, "LOW", "a"),
        score("s1", "2026-01-02", 0.3, "MEDIUM", "a"),
        score("s2", "2026-01-02", 0.8, "HIGH", "a"),
        score("s1", "2026-01-02", 0.9, "CRITICAL", "b"),
        score("s3", "2026-01-02", 0.1, "LOW", "b"));
    List<Row> compared = ModelComparison.compare(scores, "a", "b").collectAsList();
    assertEquals(List.of("s1", "s2", "s3"), compared.stream().map(r -> r.getString(0)).toList());
    Row s1 = compared.get(0);
    assertEquals(0.3, s1.getDouble(2));
    assertEquals("MEDIUM", s1.getString(3));
    assertEquals("CRITICAL", s1.getString(7));
    assertEquals(0.6, s1.getDouble(9), 1e-12);
    assertNull(compared.get(1).get(6), "s2 has no score under b");
    assertEquals(List.of(row("(unscored)", "LOW", 1L), row("HIGH", "(unscored)", 1L), row("MEDIUM", "CRITICAL", 1L)),
        ModelComparison.bandMigration(ModelComparison.compare(scores, "a", "b")).collectAsList());
  }

  @Test
  void lakehouseReadsTheSampleLake() throws Exception {
    SampleReport sample = SampleReport.get();
    Lakehouse lake = Lakehouse.open(sample.lake());
    assertEquals(List.of(1L, 0L), lake.publications());
    assertEquals(LocalDate.parse("2026-03-01"), lake.latestScoreDate(ReportFixtures.RUN_DATE));
    assertEquals(List.of("coef-conf", "v2"), lake.modelVersions(ReportFixtures.RUN_DATE));
    assertEquals(Map.of("metrics.json", Map.of("version", "v2", "pr_auc", 0.93, "roc_auc", 0.97, "precision_at_k", 0.88)),
        lake.modelMetrics("v2"));
    assertEquals(Map.of(), lake.modelMetrics("coef-conf"));
    // restatements over all years include the open year 2026 (orders), unlike the report
    assertEquals(6, lake.restatements(0, 1).count());
    // truth: s01, s02, s06 counterfeit; on 2026-03-01 scores s01 .93, s02 .71, s03 .71, s06 .45, s04 .30, s05 .02
    List<Row> truth = lake.groundTruth(sample.truth.toString()).orderBy("seller_id").collectAsList();
    assertEquals(row("s01", true), truth.get(0));
    assertEquals(row("s03", false), truth.get(2));
    Row atHalf = lake.precisionRecall(ReportFixtures.RUN_DATE, lake.groundTruth(sample.truth.toString()), 2)
        .filter("threshold = 0.5").first();
    assertEquals(row(0.5, 6L, 3L, 3L, 2L, 2.0 / 3, 2.0 / 3), atHalf);
  }

  private static Row score(String seller, String asOf, double score, String band, String model) {
    return row(seller, Date.valueOf(asOf), score, band, "R", 0.1, "a sentence", null, null, null, null, null, null, model);
  }
}
