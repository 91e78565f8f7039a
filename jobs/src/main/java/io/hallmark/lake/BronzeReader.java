package io.hallmark.lake;

import static org.apache.spark.sql.functions.col;

import io.delta.tables.DeltaTable;
import io.hallmark.config.LakePaths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Every read of a bronze table, in one place: the whole table at a pinned version, the one the last
 * finished ingest run recorded (a table ingest never created reads as empty), and the rows a range of versions changed
 * (Delta change data feed, which ingest turns on when it creates a bronze table).
 */
public final class BronzeReader {
  /** Delta table property that makes a table record its row-level changes. */
  public static final String CHANGE_DATA_FEED = "delta.enableChangeDataFeed";
  /** Column of a change-feed row: insert, delete, update_preimage or update_postimage. */
  public static final String CHANGE_TYPE = DeltaVersions.CHANGE_TYPE;

  private BronzeReader() {}

  /**
   * Key of a bronze versions map (table to version) in a commit's userMetadata: in the commit that marks
   * an ingest run SUCCEEDED in ops/ingest_runs, the versions that run left (the state every reader of
   * bronze reads); in a silver, yearly_stats or seller_features commit, the versions it read.
   */
  public static final String BRONZE_VERSIONS = "bronze_versions";
  /** The ops table ingest records its runs in. */
  public static final String INGEST_RUNS = "ingest_runs";

  /**
   * The version of a bronze table readers read: the one recorded by the last finished ingest run, so
   * rows of a run killed while publishing (still in bronze until the next ingest removes them) are
   * never seen; empty when that run recorded none for it (the table did not exist then). On a lake
   * whose runs predate that record, the table's latest version (see {@link #committedVersions}).
   */
  public static Optional<Long> version(SparkSession spark, LakePaths paths, String table) {
    Optional<Map<String, Long>> recorded = recordedVersions(spark, paths);
    if (recorded.isPresent()) {
      return Optional.ofNullable(recorded.get().get(table));
    }
    // only this table's latest version: reading every bronze table's history here, once per table read,
    // was eight history reads for each of them (48 for the silver step's six tables)
    return DeltaVersions.latest(spark, paths.bronze(table));
  }

  /**
   * The bronze versions of the last finished ingest run (see {@link #BRONZE_VERSIONS}). A lake whose
   * runs predate that record (or whose log no longer holds it) reads each table's latest version, as long
   * as no ingest run was killed while publishing; otherwise the rows of that run cannot be told apart and
   * the read fails saying so.
   */
  public static Map<String, Long> committedVersions(SparkSession spark, LakePaths paths) {
    return recordedVersions(spark, paths).orElseGet(() -> latestVersions(spark, paths));
  }

  /**
   * The versions recorded by the last finished ingest run, or empty when no run recorded them (then no
   * run may have been killed while publishing: that fails the read, see {@link #committedVersions}).
   */
  private static Optional<Map<String, Long>> recordedVersions(SparkSession spark, LakePaths paths) {
    String runs = paths.ops(INGEST_RUNS);
    if (!DeltaTable.isDeltaTable(spark, runs)) {
      return Optional.empty();
    }
    // a run's SUCCEEDED flip is its last write, so the record is nearly always the latest commit: commits are
    // read newest first and the search stops there (the history grows with every run)
    Optional<DeltaVersions.Commit> recorded = DeltaVersions.newestCommitWith(spark, runs, BRONZE_VERSIONS);
    if (recorded.isPresent()) {
      Object map = recorded.get().metadata().get(BRONZE_VERSIONS);
      if (map instanceof Map<?, ?> m) {
        Map<String, Long> versions = new java.util.TreeMap<>();
        m.forEach((t, v) -> versions.put(String.valueOf(t), ((Number) v).longValue()));
        return Optional.of(versions);
      }
    }
    List<Row> unfinished = spark.read().format("delta").load(runs)
        .filter(col("status").equalTo("PUBLISHING")).select("run_id").distinct().collectAsList();
    if (!unfinished.isEmpty()) {
      throw new io.hallmark.config.JobFailure("bronze holds rows of ingest run(s) "
          + unfinished.stream().map(r -> r.getString(0)).sorted().toList()
          + " killed while publishing, and no finished run recorded the bronze versions before them: run"
          + " 'hallmark ingest' (or the nightly), which removes those rows first, then this command again");
    }
    return Optional.empty();
  }

  /**
   * (run_id, run_date) of every finished (SUCCEEDED) ingest run in ops/ingest_runs: which run date's
   * run brought each bronze row in (its {@link BronzeSchemas#RUN_ID}), for reading bronze "as known then".
   * Empty when no run was ever recorded.
   */
  public static Map<String, java.time.LocalDate> succeededRunDates(SparkSession spark, LakePaths paths) {
    String runs = paths.ops(INGEST_RUNS);
    Map<String, java.time.LocalDate> dates = new java.util.TreeMap<>();
    if (!DeltaTable.isDeltaTable(spark, runs)) {
      return dates;
    }
    for (Row r : spark.read().format("delta").load(runs).filter(col("status").equalTo("SUCCEEDED"))
        .select("run_id", "run_date").distinct().collectAsList()) {
      dates.put(r.getString(0), r.getDate(1).toLocalDate());
    }
    return dates;
  }

  /** The bronze versions to record as a finished ingest run's state: every bronze table's latest. */
  public static Map<String, Long> latestVersions(SparkSession spark, LakePaths paths) {
    Map<String, Long> versions = new java.util.TreeMap<>();
    for (String table : BronzeSchemas.TABLES) {
      DeltaVersions.latest(spark, paths.bronze(table)).ifPresent(v -> versions.put(table, v));
    }
    return versions;
  }

  /** The table at the version readers read ({@link #version}) in its declared columns, or empty rows of its schema. */
  public static Dataset<Row> read(SparkSession spark, LakePaths paths, String table) {
    return readPinned(spark, paths, table, null);
  }

  /**
   * The table at the version recorded by the last finished ingest run ({@link #version}), pinned (later
   * commits do not change what is read), in its declared columns; the version read goes into
   * {@code versionsRead} when given. A missing table reads as empty and records no version.
   */
  public static Dataset<Row> readPinned(SparkSession spark, LakePaths paths, String table, Map<String, Long> versionsRead) {
    StructType schema = BronzeSchemas.SCHEMAS.get(table);
    Optional<Long> version = version(spark, paths, table);
    if (version.isEmpty()) {
      return spark.createDataFrame(List.of(), schema);
    }
    if (versionsRead != null) {
      versionsRead.put(table, version.get());
    }
    return spark.read().format("delta").option("versionAsOf", version.get()).load(paths.bronze(table))
        .select(columns(schema));
  }

  /**
   * Several tables as {@link #readPinned} reads each, from one read of the last finished ingest run's
   * record (reading it once per table cost a history read each: 3 of the features step's 4 s of reads
   * at 100 k accounts).
   */
  public static Map<String, Dataset<Row>> readPinned(SparkSession spark, LakePaths paths, List<String> tables,
      Map<String, Long> versionsRead) {
    Map<String, Long> committed = committedVersions(spark, paths);
    Map<String, Dataset<Row>> read = new java.util.LinkedHashMap<>();
    for (String table : tables) {
      StructType schema = BronzeSchemas.SCHEMAS.get(table);
      Long version = committed.get(table);
      if (version == null) {
        read.put(table, spark.createDataFrame(List.of(), schema));
        continue;
      }
      if (versionsRead != null) {
        versionsRead.put(table, version);
      }
      read.put(table, spark.read().format("delta").option("versionAsOf", version).load(paths.bronze(table))
          .select(columns(schema)));
    }
    return read;
  }

  /**
   * The bronze tables a job reads ({@code tables}), each as {@link #readPinned} reads it, from one read of
   * the last finished ingest run's record; the others empty rows of their schema, and not in
   * {@code versionsRead} (a job records the versions of what it read, nothing more). The one bronze
   * reader of silver, yearly and the seller features.
   */
  public static Bronze readBronze(SparkSession spark, LakePaths paths, List<String> tables,
      Map<String, Long> versionsRead) {
    Map<String, Dataset<Row>> read = readPinned(spark, paths, tables, versionsRead);
    return Bronze.of(table -> read.containsKey(table) ? read.get(table)
        : spark.createDataFrame(List.of(), BronzeSchemas.SCHEMAS.get(table)));
  }

  /** The rows some commits changed, and which kinds of change they hold (insert, delete, ...). */
  public record Changes(Dataset<Row> rows, java.util.Set<String> changeTypes) {
    public boolean insertsOnly() {
      return changeTypes.stream().allMatch("insert"::equals);
    }
  }

  /**
   * Rows changed by the commits after {@code afterVersion} up to {@code toVersion} (declared columns
   * plus {@link #CHANGE_TYPE}), or empty when the table did not record its changes over that whole
   * range (created before change data feed was on, or the log was cleaned up): callers then rebuild
   * from the whole table.
   */
  public static Optional<Changes> changes(SparkSession spark, LakePaths paths, String table,
      long afterVersion, long toVersion) {
    StructType schema = BronzeSchemas.SCHEMAS.get(table);
    if (toVersion <= afterVersion) {
      return Optional.of(new Changes(spark.createDataFrame(List.of(), schema.add(CHANGE_TYPE, "string")), java.util.Set.of()));
    }
    Optional<Dataset<Row>> feed = DeltaVersions.changes(spark, paths.bronze(table), afterVersion, toVersion);
    if (feed.isEmpty()) {
      return Optional.empty();
    }
    List<Column> cols = new ArrayList<>(Arrays.asList(columns(schema)));
    cols.add(col(CHANGE_TYPE));
    Dataset<Row> selected = feed.get().select(cols.toArray(Column[]::new));
    java.util.Set<String> kinds = new java.util.TreeSet<>();
    for (Row kind : selected.select(CHANGE_TYPE).distinct().collectAsList()) {
      kinds.add(kind.getString(0));
    }
    return Optional.of(new Changes(selected, kinds));
  }

  private static Column[] columns(StructType schema) {
    return Arrays.stream(schema.fieldNames()).map(c -> col(c)).toArray(Column[]::new);
  }
}
