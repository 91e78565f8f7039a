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

  /**
   * Column of an event row read "as known on each date" ({@link #asKnownOnEachDate}): 00:00 UTC of the run
   * date of the ingest run that brought the row in, so that {@code _known_at < cutoff} holds exactly for
   * the dates on or after that run date ({@link SellerFeatures#pointInTime} requires it when present).
   */
  public static final String KNOWN_AT = "_known_at";

  /** The tables with an event time of their own, which {@link #asKnownOnEachDate} marks with {@link #KNOWN_AT}. */
  static final List<String> TIMED_TABLES = List.of(BronzeSchemas.ACCOUNT_EVENTS, BronzeSchemas.LISTING_EVENTS,
      BronzeSchemas.ORDERS, BronzeSchemas.COMPLAINTS, BronzeSchemas.NOTICES);

  /**
   * Bronze as the nightly of {@code date} saw it: only the rows brought in by finished ingest runs whose
   * run date is on or before it (each row's {@code _ingest_run_id}, the run dates in ops/ingest_runs;
   * bronze is insert-only, so this is the bronze that run left). Fails naming the table when a row's run
   * is not recorded there (rows not written by ingest: their arrival is unknown).
   */
  public static Bronze knownBy(SparkSession spark, HallmarkConfig config, Bronze bronze, LocalDate date) {
    return known(spark, config, bronze, date, false);
  }

  /**
   * Bronze for a backtest over several dates up to {@code latest}, each date seeing the rows known then:
   * {@link #knownBy}({@code latest}), and every row of a table with an event time marked with
   * {@link #KNOWN_AT}, which the point-in-time join also requires to precede the date's cutoff; a complaint,
   * counted by its time alone, takes the later of its time and its arrival as its time (it is counted from
   * the date it was known on, exactly). The reference tables (brands, catalog, authorizations) have no time:
   * every date sees them as known by {@code latest}.
   */
  public static Bronze asKnownOnEachDate(SparkSession spark, HallmarkConfig config, Bronze bronze, LocalDate latest) {
    return known(spark, config, bronze, latest, true);
  }

  private static Bronze known(SparkSession spark, HallmarkConfig config, Bronze bronze, LocalDate date, boolean mark) {
    Map<String, LocalDate> runDates = BronzeReader.succeededRunDates(spark, config.paths());
    List<Row> runRows = new ArrayList<>();
    runDates.forEach((run, d) -> runRows.add(org.apache.spark.sql.RowFactory.create(run, Date.valueOf(d))));
    Dataset<Row> runs = spark.createDataFrame(runRows, new StructType()
        .add(BronzeSchemas.RUN_ID, StringType, false).add("_run_date", DateType, false));
    Map<String, Dataset<Row>> tables = new java.util.LinkedHashMap<>();
    List<Dataset<Row>> all = List.of(bronze.accountEvents(), bronze.listingEvents(), bronze.orders(), bronze.complaints(),
        bronze.notices(), bronze.brands(), bronze.catalog(), bronze.authorizations());
    for (int i = 0; i < BRONZE_TABLES.size(); i++) {
      String table = BRONZE_TABLES.get(i);
      Dataset<Row> rows = all.get(i);
      List<String> unknown = new ArrayList<>();
      for (Row r : rows.select(BronzeSchemas.RUN_ID).distinct().collectAsList()) {
        if (!runDates.containsKey(r.getString(0))) {
          unknown.add(r.getString(0));
        }
      }
      if (!unknown.isEmpty()) {
        java.util.Collections.sort(unknown);
        throw new io.hallmark.config.JobFailure("cannot read bronze." + table + " as known then: its rows of ingest run(s) "
            + unknown.subList(0, Math.min(3, unknown.size())) + (unknown.size() > 3 ? " and " + (unknown.size() - 3) + " more" : "")
            + " have no finished run in ops/ingest_runs, so when they arrived is unknown (use event time: drop --as-known)");
      }
      List<Column> columns = new ArrayList<>();
      for (String c : rows.columns()) {
        columns.add(mark && table.equals(BronzeSchemas.COMPLAINTS) && c.equals("complaint_time")
            ? org.apache.spark.sql.functions.greatest(col(c), col("_run_date").cast("timestamp")).as(c) : col(c));
      }
      if (mark && TIMED_TABLES.contains(table)) {
        columns.add(col("_run_date").cast("timestamp").as(KNOWN_AT));
      }
      tables.put(table, rows.join(org.apache.spark.sql.functions.broadcast(runs), new String[] {BronzeSchemas.RUN_ID}, "inner")
          .filter(col("_run_date").leq(lit(Date.valueOf(date))))
          .select(columns.toArray(Column[]::new)));
    }
    return Bronze.of(tables::get);
  }

  /** What a backtest up to {@code date} lets each of its dates see (train's metrics, evaluate's output). */
  public static String rowsSeen(boolean asKnown, LocalDate date) {
    return asKnown
        ? "as known then: each date sees the rows whose time precedes its cutoff and that ingest runs of that date or"
            + " earlier brought in (ops/ingest_runs); brands, catalog and authorizations (no time) as known by " + date
        : "event time: each date sees every row in bronze (at the last ingest run) whose time precedes its cutoff,"
            + " late arrivals included; brands, catalog and authorizations (no time) as they are now";
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

  /** Every published date's scores (seller_id, as_of, risk_band), or null when the table was never published. */
  public static Dataset<Row> readPublishedBands(SparkSession spark, HallmarkConfig config) {
    String path = config.paths().gold(SCORES);
    if (!DeltaTable.isDeltaTable(spark, path)) {
      return null;
    }
    return spark.read().format("delta").load(path).select("seller_id", "as_of", "risk_band");
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
