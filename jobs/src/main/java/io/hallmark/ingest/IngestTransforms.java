package io.hallmark.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.timestamp_micros;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import io.hallmark.lake.BronzeSchemas;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/** Pure transforms of a batch's validated lines: typed records, duplicate decisions, quarantine rows. */
public final class IngestTransforms {
  private IngestTransforms() {}

  public static final String ACCEPTED = "ACCEPTED";
  public static final String DUPLICATE = "DUPLICATE";
  public static final String REJECTED = "REJECTED";
  public static final String CONFLICTING_DUPLICATE = "CONFLICTING_DUPLICATE";

  /**
   * Valid lines of one table shaped as its bronze rows (lineage included), plus the quarantine text
   * in case the record turns out to be a conflicting duplicate.
   */
  public static Dataset<Row> validRecords(Dataset<Row> lines, String table, String runId) {
    List<Column> out = new ArrayList<>();
    for (StructField f : BronzeSchemas.SCHEMAS.get(table).fields()) {
      Column c;
      if (f.name().equals(BronzeSchemas.RUN_ID)) {
        c = lit(runId);
      } else if (f.name().equals(BronzeSchemas.SOURCE_FILE)) {
        c = col("source_file");
      } else if (f.name().equals(BronzeSchemas.SOURCE_LINE)) {
        c = col("line_number");
      } else if (f.dataType().equals(DataTypes.TimestampType)) {
        c = timestamp_micros(col(f.name()));
      } else {
        c = col(f.name());
      }
      out.add(c.as(f.name()));
    }
    out.add(col("raw_line"));
    return lines
        .filter(col("table_name").equalTo(table).and(col("line_number").gt(0)).and(col("reject_reason").isNull()))
        .select(out.toArray(Column[]::new));
  }

  /**
   * Canonical content of a bronze-shaped row: the typed values (after defaults, timestamps as
   * instants), lineage and derived columns excluded. Equal for two deliveries of the same record
   * however their JSON was spelled (field order, offsets, unknown fields, 1.0 vs 1).
   */
  public static Column contentHash(String table) {
    Column[] content = IngestSchemas.contentColumns(table).stream().map(c -> col(c)).toArray(Column[]::new);
    return sha2(to_json(struct(content)), 256);
  }

  /**
   * Business key and content hash of the bronze rows whose key occurs in the batch's records: the only
   * rows a duplicate decision can meet. Hashing every bronze row instead made each night's ingest grow
   * with the whole history; the semi-join needs only the key columns of the rows it drops.
   */
  public static Dataset<Row> acceptedVersions(Dataset<Row> bronze, Dataset<Row> batchRecords, String table) {
    List<String> keys = BronzeSchemas.KEYS.get(table);
    List<Column> out = new ArrayList<>();
    for (String key : keys) {
      out.add(col(key));
    }
    out.add(contentHash(table).as("accepted_hash"));
    // no distinct: a semi-join keeps each bronze row once however often the batch repeats its key
    Dataset<Row> batchKeys = batchRecords.select(keys.stream().map(k -> col(k)).toArray(Column[]::new));
    return bronze.join(batchKeys, keys.toArray(String[]::new), "left_semi").select(out.toArray(Column[]::new));
  }

  /**
   * Business keys of a table's batch records that need a duplicate decision: those that occur more
   * than once in the batch, or already in bronze. Every other record is accepted as it is (a key seen
   * once, and nowhere before, is neither a duplicate nor a conflict), so only these records meet the
   * windows and content hashes of {@link #decideDuplicates}; grouping narrow key columns replaces a
   * sort of every whole record.
   *
   * <p>Beside the key columns, {@code bronze_year}: on the tables partitioned by event year, the
   * partition of the bronze row holding the key (null for a key only repeated in the batch, and on the
   * other tables), so that {@link #acceptedVersions} reads only those partitions. A key can appear
   * twice (repeated in the batch and in bronze); the callers only semi- and anti-join on the keys.
   *
   * @param bronze the table's accepted rows so far, or null before the table's first run
   */
  public static Dataset<Row> keysToDecide(Dataset<Row> records, Dataset<Row> bronze, String table) {
    Column[] keyColumns = BronzeSchemas.KEYS.get(table).stream().map(k -> col(k)).toArray(Column[]::new);
    Column noYear = lit(null).cast("int").as(BRONZE_YEAR);
    Dataset<Row> batchKeys = records.select(keyColumns);
    Dataset<Row> repeated = batchKeys.groupBy(keyColumns).count().filter(col("count").gt(1))
        .select(keyColumns).withColumn(BRONZE_YEAR, noYear);
    if (bronze == null) {
      return repeated;
    }
    boolean byYear = java.util.Arrays.asList(bronze.columns()).contains(BronzeSchemas.EVENT_YEAR);
    List<Column> keysAndYear = new ArrayList<>(java.util.Arrays.asList(keyColumns));
    keysAndYear.add(byYear ? col(BronzeSchemas.EVENT_YEAR).as(BRONZE_YEAR) : noYear);
    Dataset<Row> inBronze = bronze.select(keysAndYear.toArray(Column[]::new))
        .join(batchKeys, BronzeSchemas.KEYS.get(table).toArray(String[]::new), "left_semi");
    return repeated.unionByName(inBronze).distinct();
  }

  /** Column of {@link #keysToDecide}: the event-year partition of the bronze row holding the key, if any. */
  public static final String BRONZE_YEAR = "bronze_year";

  /**
   * Name of the duplicate decision column. Not "outcome": notices have a contract field of that name,
   * which the decision would silently overwrite.
   */
  static final String DECISION = "_ingest_decision";

  /**
   * Adds {@code _ingest_decision} (ACCEPTED / DUPLICATE / REJECTED) and {@code reject_reason} to a table's valid
   * records. Against bronze: same key and content is a DUPLICATE, different content is REJECTED
   * (the accepted version stays). Within the batch, for keys not in bronze: if all copies have the
   * same content the first by (source file, line) is ACCEPTED and the rest are DUPLICATE; if the
   * copies differ, ALL of them are REJECTED (nobody can tell which version is right).
   */
  public static Dataset<Row> decideDuplicates(Dataset<Row> records, Dataset<Row> acceptedVersions, String table) {
    List<String> keys = BronzeSchemas.KEYS.get(table);
    Column[] keyColumns = keys.stream().map(k -> col(k)).toArray(Column[]::new);
    WindowSpec sameKey = Window.partitionBy(keyColumns);
    WindowSpec sameKeyInBatchOrder = Window.partitionBy(keyColumns)
        .orderBy(col(BronzeSchemas.SOURCE_FILE), col(BronzeSchemas.SOURCE_LINE));
    Column accepted = col("accepted_hash");
    Column content = col("content_hash");
    Column outcome = when(accepted.isNotNull(), when(accepted.equalTo(content), lit(DUPLICATE)).otherwise(lit(REJECTED)))
        .when(col("batch_versions_differ"), lit(REJECTED))
        .when(col("batch_rank").equalTo(1), lit(ACCEPTED))
        .otherwise(lit(DUPLICATE));
    List<Column> out = new ArrayList<>();
    for (String name : BronzeSchemas.SCHEMAS.get(table).fieldNames()) {
      out.add(col(name));
    }
    out.add(col("raw_line"));
    out.add(col(DECISION));
    out.add(when(col(DECISION).equalTo(REJECTED), lit(CONFLICTING_DUPLICATE)).as("reject_reason"));
    return records
        .withColumn("content_hash", contentHash(table))
        .join(acceptedVersions, keys.toArray(String[]::new), "left_outer")
        .withColumn("batch_versions_differ", min(content).over(sameKey).notEqual(max(content).over(sameKey)))
        .withColumn("batch_rank", row_number().over(sameKeyInBatchOrder))
        .withColumn(DECISION, outcome)
        .select(out.toArray(Column[]::new));
  }

  /** The bronze rows to publish: the ACCEPTED decisions, in the bronze schema. */
  public static Dataset<Row> acceptedRows(Dataset<Row> decided, String table) {
    return bronzeRows(decided.filter(col(DECISION).equalTo(ACCEPTED)), table);
  }

  /** Records in the table's bronze schema (the decision and quarantine text dropped). */
  public static Dataset<Row> bronzeRows(Dataset<Row> records, String table) {
    Column[] bronze = java.util.Arrays.stream(BronzeSchemas.SCHEMAS.get(table).fieldNames())
        .map(n -> col(n)).toArray(Column[]::new);
    return records.select(bronze);
  }

  /** Outcome of every line of a table's valid records: (table_name, source_file, line_number, outcome, reason). */
  public static Dataset<Row> recordOutcomes(Dataset<Row> decided, String table) {
    return decided.select(
        lit(table).as("table_name"),
        col(BronzeSchemas.SOURCE_FILE).as("source_file"),
        col(BronzeSchemas.SOURCE_LINE).as("line_number"),
        col(DECISION).as("outcome"),
        col("reject_reason").as("reason"),
        col("raw_line"));
  }

  /** Lines that failed validation, as outcomes. */
  public static Dataset<Row> invalidLineOutcomes(Dataset<Row> lines) {
    return lines
        .filter(col("line_number").gt(0).and(col("reject_reason").isNotNull()))
        .select(
            col("table_name"),
            col("source_file"),
            col("line_number"),
            lit(REJECTED).as("outcome"),
            col("reject_reason").as("reason"),
            col("raw_line"));
  }

  /** Quarantine rows (BronzeSchemas.QUARANTINE_SCHEMA) from the REJECTED outcomes. */
  public static Dataset<Row> quarantineRows(Dataset<Row> outcomes, String runId) {
    return outcomes
        .filter(col("outcome").equalTo(REJECTED))
        .select(
            col("table_name"),
            col("source_file"),
            col("line_number"),
            col("raw_line"),
            col("reason"),
            lit(runId).as(BronzeSchemas.RUN_ID));
  }

  /** One summary row per file of the batch: (table_name, source_file, file_sha256, file_lines). */
  public static Dataset<Row> fileSummaries(Dataset<Row> lines) {
    return lines
        .filter(col("line_number").equalTo(0))
        .select(col("table_name"), col("source_file"), col("file_sha256"), col("file_lines"));
  }
}
