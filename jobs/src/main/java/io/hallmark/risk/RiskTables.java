package io.hallmark.risk;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import io.delta.tables.DeltaTable;
import io.hallmark.config.HallmarkConfig;
import io.hallmark.lake.Bronze;
import io.hallmark.lake.BronzeReader;
import io.hallmark.lake.BronzeSchemas;
import io.hallmark.lake.DeltaVersions;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
      .add("evidence_1", StringType, true)
      .add("reason_2", StringType, true)
      .add("contribution_2", DoubleType, true)
      .add("evidence_2", StringType, true)
      .add("reason_3", StringType, true)
      .add("contribution_3", DoubleType, true)
      .add("evidence_3", StringType, true)
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

  /** The bronze tables the features read: all of them. */
  public static final List<String> BRONZE_TABLES = BronzeSchemas.TABLES;

  /**
   * The rows bronze changed between the versions {@code then} and {@code now} (every image the change
   * data feed holds, declared columns), a table absent {@code then} whole; empty when some table did
   * not record its changes over the range (or went back in time), so the caller recomputes everything.
   */
  public static java.util.Optional<Bronze> changedBronze(SparkSession spark, HallmarkConfig config,
      Map<String, Long> then, Map<String, Long> now) {
    Map<String, Dataset<Row>> changed = new java.util.HashMap<>();
    for (String table : BRONZE_TABLES) {
      StructType schema = BronzeSchemas.SCHEMAS.get(table);
      Long before = then.get(table);
      Long current = now.get(table);
      if (current == null) {
        changed.put(table, spark.createDataFrame(List.of(), schema));
      } else if (before == null) {
        changed.put(table, BronzeReader.readPinned(spark, config.paths(), table, null));
      } else if (before > current) {
        return java.util.Optional.empty();
      } else {
        // every image, so the kinds of change need not be collected (as BronzeReader.changes does)
        java.util.Optional<Dataset<Row>> changes = before.equals(current)
            ? java.util.Optional.of(spark.createDataFrame(List.of(), schema))
            : DeltaVersions.changes(spark, config.paths().bronze(table), before, current);
        if (changes.isEmpty()) {
          return java.util.Optional.empty();
        }
        changed.put(table, changes.get().select(java.util.Arrays.stream(schema.fieldNames()).map(c -> col(c))
            .toArray(Column[]::new)));
      }
    }
    return java.util.Optional.of(Bronze.of(changed::get));
  }

  private static String dateFilter(LocalDate asOf) {
    return "as_of = DATE'" + asOf + "'";
  }

  /** Publishes that date's features, the commit carrying {@code metadata} (what they were computed from). */
  public static void writeFeatures(HallmarkConfig config, Dataset<Row> features, LocalDate asOf, Map<String, ?> metadata) {
    replacePartition(features.filter(col("as_of").equalTo(lit(Date.valueOf(asOf)))),
        config.paths().gold(FEATURES), asOf, metadata, true);
  }

  public static void writeScores(HallmarkConfig config, Dataset<Row> scores, LocalDate asOf) {
    replacePartition(scores.filter(col("as_of").equalTo(lit(Date.valueOf(asOf)))),
        config.paths().gold(SCORES), asOf, Map.of(), true);
  }

  /**
   * Atomic, idempotent: one Delta commit replacing exactly that date's partition. {@code addColumns}: a
   * table published before a column was added (seller_risk_scores before evidence_1..3, seller_features before
   * luxury_listings_first_30d and top_tag_blocked_share) gains it.
   */
  private static void replacePartition(Dataset<Row> rows, String path, LocalDate asOf, Map<String, ?> metadata,
      boolean addColumns) {
    var writer = rows.write().format("delta").mode("overwrite").partitionBy("as_of")
        .option("replaceWhere", dateFilter(asOf));
    if (addColumns) {
      writer = writer.option("mergeSchema", "true");
    }
    if (!metadata.isEmpty()) {
      writer = writer.option("userMetadata", DeltaVersions.toJson(metadata));
    }
    writer.save(path);
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
