package io.hallmark.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.try_divide;
import static org.apache.spark.sql.functions.when;

import io.hallmark.report.ReportMetrics.Metric;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Pure transforms behind the report and the notebooks' restatement/top-seller views. */
public final class ReportTransforms {
  private ReportTransforms() {}

  /** metric, label, kind, position: the presentation catalogue as a table, to join on. */
  public static final StructType CATALOG_SCHEMA = new StructType()
      .add("metric", DataTypes.StringType, false)
      .add("label", DataTypes.StringType, false)
      .add("kind", DataTypes.StringType, false)
      .add("position", DataTypes.IntegerType, false);

  public static Dataset<Row> metricCatalog(SparkSession spark) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < ReportMetrics.YEARLY.size(); i++) {
      Metric m = ReportMetrics.YEARLY.get(i);
      rows.add(RowFactory.create(m.column(), m.label(), m.kind().name(), i));
    }
    return spark.createDataFrame(rows, CATALOG_SCHEMA);
  }

  /**
   * yearly_stats (one wide row per year and marketplace) to one row per (year, marketplace, metric)
   * with the value as a double, so versions can be compared metric by metric. A metric column missing
   * from an older version of the table counts as null, so a schema change shows up as a restatement
   * instead of failing the report.
   */
  public static Dataset<Row> longForm(Dataset<Row> yearlyStats) {
    Set<String> present = new HashSet<>(Arrays.asList(yearlyStats.columns()));
    Column[] values = ReportMetrics.YEARLY.stream()
        .map(m -> (present.contains(m.column()) ? col(m.column()) : lit(null)).cast("double").as(m.column()))
        .toArray(Column[]::new);
    Column[] ids = {col("year"), col("marketplace")};
    return yearlyStats
        .select(concat(ids, values))
        .unpivot(ids, metricColumns(), "metric", "value")
        .select(col("year"), col("marketplace"), col("metric"), col("value"));
  }

  /**
   * The headline figures of marketplace ALL for {@code year} with the year before, and the change:
   * relative for counts/hours/ratios, in points (difference of fractions) for shares. A change is null
   * when either side is null or the previous count is 0.
   */
  public static Dataset<Row> headline(Dataset<Row> longForm, Dataset<Row> catalog, int year) {
    Dataset<Row> all = longForm
        .filter(col("marketplace").equalTo("ALL").and(col("metric").isin(ReportMetrics.HEADLINE.toArray())));
    Dataset<Row> current = all.filter(col("year").equalTo(year));
    Dataset<Row> previous = all.filter(col("year").equalTo(year - 1))
        .select(col("metric"), col("year").as("previous_year"), col("value").as("previous_value"));
    Column change = when(col("kind").equalTo("SHARE"), col("value").minus(col("previous_value")))
        .otherwise(try_divide(col("value").minus(col("previous_value")), col("previous_value")));
    return current
        .join(previous, seq("metric"), "left")
        .join(catalog, seq("metric"), "inner")
        .withColumn("change", when(col("previous_value").equalTo(0).and(col("kind").notEqual("SHARE")), lit(null))
            .otherwise(change))
        .withColumn("change_unit", when(col("kind").equalTo("SHARE"), lit("points")).otherwise(lit("relative")))
        .orderBy(col("position"))
        .select(col("metric"), col("label"), col("kind"), col("year"), col("value"),
            lit(year - 1).as("previous_year"), col("previous_value"), col("change"), col("change_unit"));
  }

  /**
   * What the current publication changed in closed years (year &lt; firstOpenYear) compared with the
   * previous one: one row per (year, marketplace, metric) whose value differs (null-safe), including
   * rows that appeared or disappeared.
   */
  public static Dataset<Row> restatements(
      Dataset<Row> previousLong, Dataset<Row> currentLong, Dataset<Row> catalog, int firstOpenYear) {
    Dataset<Row> previous = previousLong.select(col("year"), col("marketplace"), col("metric"),
        col("value").as("previous_value"));
    Dataset<Row> current = currentLong.select(col("year"), col("marketplace"), col("metric"),
        col("value").as("current_value"));
    return previous
        .join(current, seq("year", "marketplace", "metric"), "full_outer")
        .filter(col("year").lt(firstOpenYear))
        .filter(not(col("previous_value").eqNullSafe(col("current_value"))))
        .join(catalog, seq("metric"), "inner")
        .orderBy(col("year"), col("marketplace"), col("position"))
        .select(col("year"), col("marketplace"), col("metric"), col("label"), col("kind"),
            col("previous_value"), col("current_value"));
  }

  /**
   * The {@code n} highest scores of one scoring date, highest first (ties by seller_id so the order is
   * stable). If a date was scored by more than one model version, the highest model_version wins.
   */
  public static Dataset<Row> riskiestSellers(Dataset<Row> scores, LocalDate asOf, int n) {
    Dataset<Row> ofDate = scores.filter(col("as_of").equalTo(lit(Date.valueOf(asOf))));
    java.util.List<String> columns = java.util.Arrays.asList(scores.columns());
    java.util.function.IntFunction<Column> evidence = i -> columns.contains("evidence_" + i)
        ? col("evidence_" + i) : lit(null).cast("string").as("evidence_" + i); // scores published before reasons had sentences
    return onePerSeller(ofDate)
        .orderBy(col("risk_score").desc(), col("seller_id").asc())
        .limit(n)
        .select(col("seller_id"), col("as_of"), col("risk_score"), col("risk_band"),
            col("reason_1"), col("contribution_1"), evidence.apply(1), col("reason_2"), col("contribution_2"),
            evidence.apply(2), col("reason_3"), col("contribution_3"), evidence.apply(3), col("model_version"));
  }

  /** One row per seller_id: the one of the highest model_version. */
  public static Dataset<Row> onePerSeller(Dataset<Row> scores) {
    return scores
        .withColumn("_rank", row_number().over(Window.partitionBy(col("seller_id")).orderBy(col("model_version").desc())))
        .filter(col("_rank").equalTo(1))
        .drop("_rank");
  }

  static scala.collection.immutable.Seq<String> seq(String... names) {
    return scala.jdk.javaapi.CollectionConverters.asScala(Arrays.asList(names)).toList();
  }

  private static Column[] concat(Column[] a, Column[] b) {
    Column[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** After the select the value columns are plain column references named like the metric. */
  private static Column[] metricColumns() {
    return ReportMetrics.YEARLY.stream().map(m -> col(m.column())).toArray(Column[]::new);
  }
}
