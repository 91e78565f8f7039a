package io.hallmark.ingest;

import static org.apache.spark.sql.functions.col;

import io.delta.tables.DeltaTable;
import io.hallmark.config.LakePaths;
import io.hallmark.lake.BronzeReader;
import io.hallmark.lake.BronzeSchemas;
import io.hallmark.lake.DeltaVersions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Every read and write ingest does on the lake, one method per table. Publication makes a run
 * atomic: first the run's balance rows go to ops/ingest_runs with status PUBLISHING, then bronze
 * tables, quarantine and ops/ingest_files, and LAST one update flips the run to SUCCEEDED (its
 * commit). A run left PUBLISHING was killed half-way: {@link #removeUncommitted} deletes its rows
 * everywhere at the start of the next run. Bronze rows go in by insert-only MERGE on the business
 * key; quarantine and ops rows by appends guarded by that cleanup (their keys are new by construction).
 */
public final class IngestLake {
  public static final String PUBLISHING = "PUBLISHING";
  public static final String SUCCEEDED = "SUCCEEDED";
  public static final String FAILED = "FAILED";
  public static final String ABORTED = "ABORTED";
  public static final String INGEST_FILES = "ingest_files";
  public static final String INGEST_RUNS = BronzeReader.INGEST_RUNS;

  private final SparkSession spark;
  private final LakePaths paths;
  /**
   * Distinct (run_id, run_date, status) of ops/ingest_runs as last read, or null: one read serves both the
   * cleanup check and the run sequence at the start of a run; every write to the table through this
   * object drops it (one ingest at a time writes a lake, so nobody else changes it meanwhile).
   */
  private List<Row> runs;
  /** Version of the last commit this object made to a table (by path), read with that commit's metrics. */
  private final Map<String, Long> committed = new HashMap<>();

  public IngestLake(SparkSession spark, LakePaths paths) {
    this.spark = spark;
    this.paths = paths;
  }

  private boolean exists(String path) {
    return DeltaTable.isDeltaTable(spark, path);
  }

  private Dataset<Row> read(String path) {
    return spark.read().format("delta").load(path);
  }

  /** Run ids whose publication started but never finished (killed half-way). */
  public Set<String> incompleteRuns() {
    Set<String> ids = new HashSet<>();
    for (Row r : runs()) {
      if (PUBLISHING.equals(r.getString(2))) {
        ids.add(r.getString(0));
      }
    }
    return ids;
  }

  /** Distinct (run_id, run_date, status) of ops/ingest_runs; empty before the first run. */
  private List<Row> runs() {
    if (runs == null) {
      runs = exists(paths.ops(INGEST_RUNS))
          ? read(paths.ops(INGEST_RUNS)).select("run_id", "run_date", "status").distinct().collectAsList()
          : List.of();
    }
    return runs;
  }

  /**
   * Deletes the rows of runs that died while publishing (bronze, quarantine, file registry) and
   * marks them ABORTED. Reads only ops/ingest_runs when there is nothing to clean, so an ordinary
   * run pays one small read for this.
   *
   * @return table path to the run ids removed
   */
  public Map<String, Set<String>> removeUncommitted() {
    Set<String> incomplete = incompleteRuns();
    Map<String, Set<String>> removed = new LinkedHashMap<>();
    if (incomplete.isEmpty()) {
      return removed;
    }
    List<String> tables = new ArrayList<>();
    for (String t : BronzeSchemas.TABLES) {
      tables.add(paths.bronze(t));
    }
    tables.add(paths.quarantine());
    tables.add(paths.ops(INGEST_FILES));
    for (String path : tables) {
      if (exists(path)) {
        DeltaTable.forPath(spark, path).delete(col(BronzeSchemas.RUN_ID).isin(incomplete.toArray()));
        removed.put(path, incomplete);
      }
    }
    runs = null;
    DeltaTable.forPath(spark, paths.ops(INGEST_RUNS))
        .update(col("run_id").isin(incomplete.toArray()), Map.of("status", org.apache.spark.sql.functions.lit(ABORTED)));
    return removed;
  }

  /** Files already ingested: relative path to size in bytes then. */
  public Map<String, Long> registeredFiles() {
    Map<String, Long> files = new HashMap<>();
    if (exists(paths.ops(INGEST_FILES))) {
      for (Row r : read(paths.ops(INGEST_FILES)).select("source_file", "size_bytes").collectAsList()) {
        files.put(r.getString(0), r.getLong(1));
      }
    }
    return files;
  }

  /** Runs of that date recorded so far (committed or failed): the next run's sequence is this + 1. */
  public long runsOn(java.time.LocalDate runDate) {
    String date = runDate.toString();
    return runs().stream().filter(r -> date.equals(String.valueOf(r.get(1)))).map(r -> r.getString(0)).distinct().count();
  }

  /** The table's accepted rows so far, or null before the first run. */
  public Dataset<Row> bronze(String table) {
    if (!exists(paths.bronze(table))) {
      return null;
    }
    // pinned to the version read now, so a recomputation after this run publishes sees the same rows
    return spark.read().format("delta").option("versionAsOf", version(paths.bronze(table))).load(paths.bronze(table));
  }

  /** Creates the table when missing (so later jobs can always read every bronze table). */
  private DeltaTable ensure(String path, StructType schema, String... partitionedBy) {
    return DeltaTable.createIfNotExists(spark).location(path).addColumns(schema).partitionedBy(partitionedBy).execute();
  }

  /**
   * Bronze tables record their row changes (Delta change data feed) so the silver step can rebuild
   * only the entities a run touched; a table created before that is switched on once, here.
   */
  public void ensureBronzeTables() {
    for (String t : BronzeSchemas.TABLES) {
      String path = paths.bronze(t);
      if (exists(path)) {
        if (!DeltaVersions.propertyIsTrue(spark, path, BronzeReader.CHANGE_DATA_FEED)) {
          DeltaVersions.setProperty(spark, path, BronzeReader.CHANGE_DATA_FEED, "true");
        }
        continue;
      }
      DeltaTable.createIfNotExists(spark).location(path).addColumns(BronzeSchemas.SCHEMAS.get(t))
          .partitionedBy(partitionedByYear(t) ? new String[] {BronzeSchemas.EVENT_YEAR} : new String[0])
          .property(BronzeReader.CHANGE_DATA_FEED, "true")
          .execute();
    }
    if (!exists(paths.quarantine())) {
      ensure(paths.quarantine(), BronzeSchemas.QUARANTINE_SCHEMA);
    }
  }

  /**
   * Insert-only MERGE on the business key: rows whose key is already there are never doubled. On the
   * event tables the MERGE looks only at the partitions (event years) of the batch: every accepted row's
   * key was already checked against all of bronze (a key found anywhere is a duplicate or a conflict,
   * never accepted), so the other years cannot hold a match, and a nightly day no longer scans five years.
   *
   * @param batchRecords the batch's valid records of the table (a superset of {@code accepted}), whose
   *     event years bound the MERGE; read from the batch's cache instead of recomputing {@code accepted}
   * @return the rows the MERGE inserted
   */
  public long publishBronze(String table, Dataset<Row> accepted, Dataset<Row> batchRecords) {
    Column condition = DeltaVersions.sameKeys(BronzeSchemas.KEYS.get(table));
    if (partitionedByYear(table)) {
      List<Integer> years = new ArrayList<>();
      for (Row r : batchRecords.select(BronzeSchemas.EVENT_YEAR).distinct().collectAsList()) {
        years.add(r.getInt(0));
      }
      if (years.isEmpty()) {
        return 0;
      }
      condition = condition.and(col("t." + BronzeSchemas.EVENT_YEAR).isin(years.toArray()));
    }
    insertNew(paths.bronze(table), accepted, condition);
    return lastCommitRows(paths.bronze(table), "numTargetRowsInserted");
  }

  /**
   * Quarantine rows are keyed by (source_file, line_number) and every file of a batch is new (not in
   * ops/ingest_files, and rows of unfinished runs were removed first), so an append cannot double a
   * row: the guarded append saves a MERGE's join with the whole quarantine.
   *
   * @return the rows appended
   */
  public long publishQuarantine(Dataset<Row> rows) {
    append(paths.quarantine(), rows);
    return lastCommitRows(paths.quarantine(), "numOutputRows");
  }

  /**
   * A row count from the operation metrics of the table's latest commit (this run's, under the nightly
   * lock); that commit's version is kept for {@link #versionWritten}.
   */
  private long lastCommitRows(String path, String metric) {
    return DeltaVersions.lastCommit(spark, path)
        .map(c -> {
          committed.put(path, c.version());
          return Long.parseLong(c.metrics().getOrDefault(metric, "0"));
        })
        .orElse(0L);
  }

  /**
   * The version {@link #publishBronze} or {@link #publishQuarantine} of this object last committed to the
   * table at {@code path} (read with that commit's row count, so no second history read), else its
   * current version.
   */
  public long versionWritten(String path) {
    Long version = committed.get(path);
    return version != null ? version : version(path);
  }

  /** Guarded append, as for the quarantine: the batch's files are not registered yet. */
  public void registerFiles(Dataset<Row> rows) {
    if (!exists(paths.ops(INGEST_FILES))) {
      ensure(paths.ops(INGEST_FILES), BronzeSchemas.INGEST_FILES_SCHEMA);
    }
    append(paths.ops(INGEST_FILES), rows);
  }

  private void append(String path, Dataset<Row> rows) {
    rows.write().format("delta").mode("append").save(path);
  }

  /** The run's balance rows (status PUBLISHING before publication, FAILED for a refused run). */
  public void recordRun(Dataset<Row> rows) {
    if (!exists(paths.ops(INGEST_RUNS))) {
      ensure(paths.ops(INGEST_RUNS), BronzeSchemas.INGEST_RUNS_SCHEMA);
    }
    // a run id is new by construction (sequence of its date), so its rows cannot be there yet
    runs = null;
    append(paths.ops(INGEST_RUNS), rows);
  }

  /**
   * The last write of a run: from here on its rows are published. The commit's userMetadata records the
   * bronze versions the run left ({@link BronzeReader#BRONZE_VERSIONS}): readers read bronze at those,
   * so a later run killed while publishing is never half-seen.
   */
  public void commitRun(String runId) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("run_id", runId);
    metadata.put(BronzeReader.BRONZE_VERSIONS, BronzeReader.latestVersions(spark, paths));
    runs = null;
    // Delta's UPDATE takes no userMetadata option: the session setting is set around the one commit
    DeltaVersions.withUserMetadata(spark, metadata, () -> DeltaTable.forPath(spark, paths.ops(INGEST_RUNS))
        .update(col("run_id").equalTo(runId), Map.of("status", org.apache.spark.sql.functions.lit(SUCCEEDED))));
  }

  /** Event tables carry event_year and are partitioned by it; dimension tables are not. */
  private static boolean partitionedByYear(String table) {
    return Arrays.asList(BronzeSchemas.SCHEMAS.get(table).fieldNames()).contains(BronzeSchemas.EVENT_YEAR);
  }

  private void insertNew(String path, Dataset<Row> rows, Column condition) {
    DeltaTable.forPath(spark, path).as("t")
        .merge(rows.as("s"), condition)
        .whenNotMatched().insertAll()
        .execute();
  }

  /** Current Delta version of a table, or -1 when it does not exist. */
  public long version(String path) {
    return DeltaVersions.latest(spark, path).orElse(-1L);
  }
}
