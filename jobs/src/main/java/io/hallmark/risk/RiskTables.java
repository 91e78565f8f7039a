package io.hallmark.risk;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import io.delta.tables.DeltaTable;
import io.hallmark.config.HallmarkConfig;
import io.hallmark.lake.BronzeReader;
import io.hallmark.lake.BronzeSchemas;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Reading and writing of every table the risk jobs touch, in one place: bronze inputs (an absent
 * bronze table reads as empty, e.g. no notices yet) and the two published gold tables.
 */
public final class RiskTables {
  private RiskTables() {}

  public static final String FEATURES = "seller_features";
  public static final String SCORES = "seller_risk_scores";

  /** Published seller_risk_scores schema (the report/notebook contract). */
  public static final StructType SCORES_SCHEMA = new StructType()
      .add("seller_id", StringType, false)
      .add("as_of", DateType, false)
      .add("risk_score", DoubleType, false)
      .add("risk_band", StringType, false)
      .add("reason_1", StringType, true)
      .add("contribution_1", DoubleType, true)
      .add("reason_2", StringType, true)
      .add("contribution_2", DoubleType, true)
      .add("reason_3", StringType, true)
      .add("contribution_3", DoubleType, true)
      .add("model_version", StringType, false);

  /** Published seller_features schema: the key, then one double per feature in model order. */
  public static final StructType FEATURES_SCHEMA = featuresSchema();

  private static StructType featuresSchema() {
    List<StructField> fields = new ArrayList<>();
    fields.add(new StructField("seller_id", StringType, false, org.apache.spark.sql.types.Metadata.empty()));
    fields.add(new StructField("as_of", DateType, false, org.apache.spark.sql.types.Metadata.empty()));
    for (String f : SellerFeatures.FEATURES) {
      fields.add(new StructField(f, DoubleType, false, org.apache.spark.sql.types.Metadata.empty()));
    }
    return new StructType(fields.toArray(new StructField[0]));
  }

  /** The bronze inputs the features need. */
  public record Bronze(
      Dataset<Row> accountEvents, Dataset<Row> listingEvents, Dataset<Row> orders, Dataset<Row> complaints,
      Dataset<Row> notices, Dataset<Row> brands, Dataset<Row> catalog, Dataset<Row> authorizations) {}

  public static Bronze readBronze(SparkSession spark, HallmarkConfig config) {
    return new Bronze(
        bronze(spark, config, BronzeSchemas.ACCOUNT_EVENTS),
        bronze(spark, config, BronzeSchemas.LISTING_EVENTS),
        bronze(spark, config, BronzeSchemas.ORDERS),
        bronze(spark, config, BronzeSchemas.COMPLAINTS),
        bronze(spark, config, BronzeSchemas.NOTICES),
        bronze(spark, config, BronzeSchemas.BRANDS),
        bronze(spark, config, BronzeSchemas.CATALOG),
        bronze(spark, config, BronzeSchemas.AUTHORIZATIONS));
  }

  private static Dataset<Row> bronze(SparkSession spark, HallmarkConfig config, String table) {
    return BronzeReader.read(spark, config.paths(), table);
  }


  private static String dateFilter(LocalDate asOf) {
    return "as_of = DATE'" + asOf + "'";
  }

  public static void writeFeatures(HallmarkConfig config, Dataset<Row> features, LocalDate asOf) {
    replacePartition(features.filter(col("as_of").equalTo(lit(Date.valueOf(asOf)))),
        config.paths().gold(FEATURES), asOf);
  }

  public static void writeScores(HallmarkConfig config, Dataset<Row> scores, LocalDate asOf) {
    replacePartition(scores.filter(col("as_of").equalTo(lit(Date.valueOf(asOf)))),
        config.paths().gold(SCORES), asOf);
  }

  /** Atomic, idempotent: one Delta commit replacing exactly that date's partition. */
  private static void replacePartition(Dataset<Row> rows, String path, LocalDate asOf) {
    rows.write().format("delta").mode("overwrite").partitionBy("as_of")
        .option("replaceWhere", dateFilter(asOf)).save(path);
  }

  /** That date's published features, or null when the partition was never written. */
  public static Dataset<Row> readFeatures(SparkSession spark, HallmarkConfig config, LocalDate asOf) {
    return readDate(spark, config.paths().gold(FEATURES), asOf);
  }

  public static Dataset<Row> readScores(SparkSession spark, HallmarkConfig config, LocalDate asOf) {
    return readDate(spark, config.paths().gold(SCORES), asOf);
  }

  private static Dataset<Row> readDate(SparkSession spark, String path, LocalDate asOf) {
    if (!DeltaTable.isDeltaTable(spark, path)) {
      return null;
    }
    Dataset<Row> rows = spark.read().format("delta").load(path).filter(dateFilter(asOf));
    return rows.isEmpty() ? null : rows;
  }

  public static long version(SparkSession spark, String path) {
    return DeltaTable.forPath(spark, path).history(1).select("version").head().getLong(0);
  }

  /** A one-column-per-date frame: as_of (date) and cutoff = (as_of + 1 day) 00:00 UTC. */
  public static Dataset<Row> asOfDates(SparkSession spark, List<LocalDate> dates) {
    List<Row> rows = new ArrayList<>();
    for (LocalDate d : dates) {
      rows.add(org.apache.spark.sql.RowFactory.create(Date.valueOf(d)));
    }
    StructType schema = new StructType().add("as_of", DateType, false);
    return spark.createDataFrame(rows, schema)
        .select(col("as_of"), org.apache.spark.sql.functions.date_add(col("as_of"), 1).cast("timestamp").as("cutoff"));
  }
}
