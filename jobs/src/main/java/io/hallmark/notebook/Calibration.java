package io.hallmark.notebook;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.try_divide;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Precision/recall of "flag every seller whose score is at least t", and what each band holds (its sellers,
 * scores and precision), to check the band thresholds on the probability scale.
 */
public final class Calibration {
  private Calibration() {}

  /**
   * One row per threshold t in {0, 1/steps, ..., 1}: sellers flagged (score &ge; t), true positives,
   * precision = tp / flagged (null when none flagged), recall = tp / all positives.
   *
   * @param labelled seller_id, risk_score, label (boolean)
   */
  public static Dataset<Row> precisionRecall(Dataset<Row> labelled, int steps) {
    if (steps < 1) {
      throw new IllegalArgumentException("steps must be >= 1, got " + steps);
    }
    SparkSession spark = labelled.sparkSession();
    Dataset<Row> thresholds = spark.range(0, steps + 1)
        .select(col("id").cast("double").divide(lit((double) steps)).as("threshold"));
    Dataset<Row> flaggedAt = labelled.join(thresholds, lit(true), "cross")
        .withColumn("flagged", col("risk_score").geq(col("threshold")));
    return flaggedAt.groupBy(col("threshold"))
        .agg(
            sum(when(col("flagged"), 1L).otherwise(0L)).as("flagged"),
            sum(when(col("flagged").and(col("label")), 1L).otherwise(0L)).as("true_positives"),
            sum(when(col("label"), 1L).otherwise(0L)).as("positives"),
            count(lit(1)).as("sellers"))
        .withColumn("precision", try_divide(col("true_positives").cast("double"), col("flagged").cast("double")))
        .withColumn("recall", try_divide(col("true_positives").cast("double"), col("positives").cast("double")))
        .orderBy(col("threshold"))
        .select(col("threshold"), col("sellers"), col("positives"), col("flagged"), col("true_positives"),
            col("precision"), col("recall"));
  }

  /** The lowest threshold of a curve whose precision reaches {@code target} (most recall at that precision). */
  public static Optional<Double> lowestThresholdWithPrecision(Dataset<Row> curve, double target) {
    List<Row> rows = curve.filter(col("precision").geq(target)).orderBy(col("threshold")).select(col("threshold"))
        .limit(1).collectAsList();
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0).getDouble(0));
  }

  /**
   * One row per band, CRITICAL first: its sellers, their share of all sellers, the scores' range and mean (the
   * probability the band states), and the sellers labelled true with the share they are of the band (the
   * band's precision). A band without sellers is left out.
   *
   * @param labelled seller_id, risk_score, risk_band, label (boolean)
   */
  public static Dataset<Row> bandSummary(Dataset<Row> labelled) {
    long all = labelled.count();
    return labelled.groupBy(col("risk_band"))
        .agg(count(lit(1)).as("sellers"), org.apache.spark.sql.functions.min("risk_score").as("lowest_score"),
            org.apache.spark.sql.functions.max("risk_score").as("highest_score"),
            org.apache.spark.sql.functions.avg("risk_score").as("mean_score"),
            sum(when(col("label"), 1L).otherwise(0L)).as("labelled_true"))
        .withColumn("share_of_sellers", col("sellers").cast("double").divide(lit((double) Math.max(1, all))))
        .withColumn("precision", col("labelled_true").cast("double").divide(col("sellers").cast("double")))
        .withColumn("order", when(col("risk_band").equalTo("CRITICAL"), 0).when(col("risk_band").equalTo("HIGH"), 1)
            .when(col("risk_band").equalTo("MEDIUM"), 2).otherwise(3))
        .orderBy(col("order"))
        .select(col("risk_band"), col("sellers"), col("share_of_sellers"), col("lowest_score"), col("highest_score"),
            col("mean_score"), col("labelled_true"), col("precision"));
  }

  /** Scores of one date with their labels; sellers without a label count as negatives. */
  public static Dataset<Row> labelScores(Dataset<Row> scoresOfDate, Dataset<Row> labels) {
    return scoresOfDate.select(col("seller_id"), col("risk_score"), col("risk_band"))
        .join(labels.select(col("seller_id"), col("label")), scala.jdk.javaapi.CollectionConverters.asScala(
            List.of("seller_id")).toList(), "left")
        .select(col("seller_id"), col("risk_score"), col("risk_band"),
            when(col("label").isNull(), lit(false)).otherwise(col("label")).as("label"));
  }
}
