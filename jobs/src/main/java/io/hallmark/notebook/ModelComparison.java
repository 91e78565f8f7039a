package io.hallmark.notebook;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/** Side-by-side scores of two model versions, each on the latest date it scored. */
public final class ModelComparison {
  private ModelComparison() {}

  /** The rows of {@code version} on the latest as_of that version scored. */
  public static Dataset<Row> latestOfVersion(Dataset<Row> scores, String version) {
    return scores.filter(col("model_version").equalTo(version))
        .withColumn("_last", max(col("as_of")).over(Window.partitionBy(col("model_version"))))
        .filter(col("as_of").equalTo(col("_last")))
        .select(col("seller_id"), col("as_of"), col("risk_score"), col("risk_band"), col("reason_1"));
  }

  /**
   * seller_id, as_of/score/band/top reason under each version, and score_change = b - a. A seller
   * scored by only one version keeps nulls on the other side (full outer join).
   */
  public static Dataset<Row> compare(Dataset<Row> scores, String versionA, String versionB) {
    Dataset<Row> a = latestOfVersion(scores, versionA).select(col("seller_id"), col("as_of").as("as_of_a"),
        col("risk_score").as("score_a"), col("risk_band").as("band_a"), col("reason_1").as("reason_a"));
    Dataset<Row> b = latestOfVersion(scores, versionB).select(col("seller_id"), col("as_of").as("as_of_b"),
        col("risk_score").as("score_b"), col("risk_band").as("band_b"), col("reason_1").as("reason_b"));
    return a.join(b, scala.jdk.javaapi.CollectionConverters.asScala(List.of("seller_id")).toList(), "full_outer")
        .withColumn("score_change", col("score_b").minus(col("score_a")))
        .orderBy(abs(coalesce(col("score_change"), lit(0.0))).desc(), col("seller_id"))
        .select(col("seller_id"), col("as_of_a"), col("score_a"), col("band_a"), col("reason_a"),
            col("as_of_b"), col("score_b"), col("band_b"), col("reason_b"), col("score_change"));
  }

  /** How many sellers moved from each band under version a to each band under version b. */
  public static Dataset<Row> bandMigration(Dataset<Row> comparison) {
    return comparison
        .select(coalesce(col("band_a"), lit("(unscored)")).as("band_a"),
            coalesce(col("band_b"), lit("(unscored)")).as("band_b"))
        .groupBy(col("band_a"), col("band_b")).count()
        .orderBy(col("band_a"), col("band_b"))
        .select(col("band_a"), col("band_b"), col("count").as("sellers"));
  }
}
