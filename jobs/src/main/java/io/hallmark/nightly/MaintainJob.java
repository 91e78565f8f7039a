package io.hallmark.nightly;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.delta.tables.DeltaTable;
import io.hallmark.config.ConfigError;
import io.hallmark.config.HallmarkConfig;
import io.hallmark.config.JobFailure;
import io.hallmark.config.LakePaths;
import io.hallmark.jobs.Console;
import io.hallmark.lake.DeltaVersions;
import io.hallmark.lake.YearlyStatsPublications;
import io.hallmark.yearly.YearlyStats;
import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code hallmark maintain}: keeps a lake of years of nightlies healthy. For every Delta table under
 * bronze/, silver/, gold/ and ops/ (found by listing the lake, so a table added later is maintained too):
 *
 * <ol>
 *   <li>OPTIMIZE (compaction, {@code DeltaTable.optimize().where(...).executeCompaction()}) of the
 *       partitions the nightlies wrote since the last maintenance: the partition values of the files
 *       their commits added, read from the table's log after the version the last maintenance left it at
 *       (recorded in {@code ops/maintenance_runs}); the whole table when it is not partitioned, was never
 *       maintained, or its log no longer holds those commits;</li>
 *   <li>purge of deletion vectors in the same partitions ({@code REORG TABLE ... APPLY (PURGE)}: Delta has
 *       no API for it), on tables that have them switched on;</li>
 *   <li>VACUUM ({@code DeltaTable.vacuum(hours)}) with {@code hallmark.maintain.retention}.</li>
 * </ol>
 *
 * <p>A step that would find nothing is not run: no OPTIMIZE or REORG when no partition holds two files
 * smaller than Delta's minimum file size and no live file has a deletion vector (what OPTIMIZE itself
 * would look for), no VACUUM when the table stores no file outside its live set (the listing counted
 * them). A table needing neither gets no commit.
 *
 * <p>Before any VACUUM, yearly_stats' publications are brought into gold/yearly_stats_publications
 * (the one-time backfill of a lake from before that table, while time travel still reaches them), so
 * {@code diff} and the report's restatements keep every publication. Every commit it makes carries
 * {@code {"step":"maintain","run_id":...}} as userMetadata; none changes a row.
 *
 * <p>It holds the nightly lock (it never runs beside a nightly). Wall clock: the run id and timings, and
 * VACUUM's retention, which Delta measures against the files' ages.
 */
public final class MaintainJob {
  public static final String RUNS_TABLE = "maintenance_runs";
  public static final String RETENTION = "hallmark.maintain.retention";
  /** Delta's default delta.deletedFileRetentionDuration, below which its check refuses a VACUUM. */
  public static final Duration DELTA_RETENTION = Duration.ofHours(168);
  public static final String RETENTION_CHECK = "spark.databricks.delta.retentionDurationCheck.enabled";
  static final List<String> LAYERS = List.of("bronze", "silver", "gold", "ops");
  static final String DELETION_VECTORS = "delta.enableDeletionVectors";

  public static final String SUCCEEDED = "SUCCEEDED";
  public static final String FAILED = "FAILED";

  /** One row per table and run of ops/maintenance_runs. */
  public static final StructType RUNS_SCHEMA = new StructType()
      .add("run_id", DataTypes.StringType, false)
      .add("table_name", DataTypes.StringType, false)
      .add("started_at", DataTypes.TimestampType, false)
      .add("seconds", DataTypes.DoubleType, false)
      .add("status", DataTypes.StringType, false)
      .add("version_before", DataTypes.LongType, true)
      .add("version_after", DataTypes.LongType, true)
      .add("compacted", DataTypes.StringType, true)
      .add("files_before", DataTypes.LongType, true)
      .add("files_after", DataTypes.LongType, true)
      .add("stored_files_before", DataTypes.LongType, true)
      .add("stored_files_after", DataTypes.LongType, true)
      .add("bytes_before", DataTypes.LongType, true)
      .add("bytes_after", DataTypes.LongType, true)
      .add("retention_hours", DataTypes.DoubleType, false)
      .add("message", DataTypes.StringType, true);

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Files of a table: in its current version (live) and on storage outside _delta_log (stored). */
  public record Files(long live, long bytes, long stored) {}

  /** What maintenance did to one table (or, in a dry run, would do). */
  public record TableResult(String table, String status, Long versionBefore, Long versionAfter, String compacted,
      Files before, Files after, double seconds, String message) {}

  public record Result(String runId, double retentionHours, List<TableResult> tables) {}

  /** Which partitions to compact: none, all, or those matching {@code predicate} ({@code count} of them). */
  record Scope(boolean any, String predicate, int count) {
    static final Scope NONE = new Scope(false, null, 0);
    static final Scope ALL = new Scope(true, null, -1);

    String describe() {
      return !any ? "nothing new" : predicate == null ? "whole table" : count + " partition(s)";
    }
  }

  private final Clock clock;

  public MaintainJob(Clock clock) {
    this.clock = clock;
  }

  /** hallmark.maintain.retention: a duration, at least 0 (exit 2 otherwise). */
  public static Duration retention(HallmarkConfig config) {
    Duration retention;
    try {
      retention = config.raw().getDuration(RETENTION);
    } catch (RuntimeException e) {
      throw new ConfigError(RETENTION + " must be a duration such as \"168 hours\": " + e.getMessage(), e);
    }
    if (retention.isNegative()) {
      throw new ConfigError(RETENTION + " must not be negative, got " + retention);
    }
    return retention;
  }

  /**
   * Refuses (exit 2) a retention shorter than Delta's check allows, unless that check is switched off in
   * the session ({@code spark.databricks.delta.retentionDurationCheck.enabled=false}): below it a reader
   * still on an older version, or a writer's uncommitted files, can lose files.
   */
  static void checkRetention(SparkSession spark, Duration retention) {
    boolean checked = !"false".equalsIgnoreCase(spark.conf().get(RETENTION_CHECK, "true"));
    if (checked && retention.compareTo(DELTA_RETENTION) < 0) {
      throw new ConfigError(RETENTION + " = " + retention.toHours() + " hours is shorter than Delta's "
          + DELTA_RETENTION.toHours() + " hours (delta.deletedFileRetentionDuration): a reader of an older version or"
          + " a running writer could lose files. Use at least " + DELTA_RETENTION.toHours() + " hours, or set "
          + RETENTION_CHECK + "=false (hallmark.spark.conf) if nothing else reads or writes the lake");
    }
  }

  public Result run(SparkSession spark, HallmarkConfig config, boolean dryRun, boolean forceUnlock) {
    LakePaths paths = config.paths();
    Duration retention = retention(config);
    checkRetention(spark, retention);
    double hours = retention.toMillis() / 3_600_000.0;
    Instant start = clock.instant();
    String runId = "maintain-" + start.toString().replace(":", "").replace("-", "") + "-"
        + Long.toHexString(Double.doubleToLongBits(Math.random())).substring(0, 6);
    if (dryRun) {
      Console.info("maintain --dry-run: nothing is written, no lock taken");
      return maintainAll(spark, paths, runId, hours, true);
    }
    NightlyLock.Holder me = new NightlyLock.Holder(runId, "maintenance", NightlyLock.currentHost(),
        ProcessHandle.current().pid(), start.toString());
    try (NightlyLock lock = NightlyLock.acquire(spark.sparkContext().hadoopConfiguration(),
        NightlyJob.lockPath(paths), me, NightlyJob.lockSettings(config), forceUnlock, clock)) {
      Console.info("maintenance run " + runId + " on " + paths.root() + " (retention " + format(hours) + " hours)");
      Result result = maintainAll(spark, paths, runId, hours, false);
      record(spark, paths, result, start);
      List<TableResult> failed = result.tables().stream().filter(t -> FAILED.equals(t.status())).toList();
      if (!failed.isEmpty()) {
        throw new JobFailure("maintenance run " + runId + ": " + failed.size() + " of " + result.tables().size()
            + " tables failed (recorded in ops/" + RUNS_TABLE + "): " + failed.stream()
            .map(t -> t.table() + ": " + t.message()).collect(Collectors.joining("; ")));
      }
      Console.info(String.format(Locale.ROOT, "maintenance run %s succeeded: %d tables, %d -> %d stored files",
          runId, result.tables().size(), result.tables().stream().mapToLong(t -> t.before().stored()).sum(),
          result.tables().stream().mapToLong(t -> t.after().stored()).sum()));
      return result;
    }
  }

  private Result maintainAll(SparkSession spark, LakePaths paths, String runId, double hours, boolean dryRun) {
    publications(spark, paths, dryRun);
    List<String> tables = tables(spark, paths);
    Map<String, Long> maintained = lastMaintained(spark, paths);
    List<TableResult> results = new ArrayList<>();
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("step", "maintain");
    metadata.put("run_id", runId);
    for (int i = 0; i < tables.size(); i++) {
      String table = tables.get(i);
      long nanos = System.nanoTime();
      TableResult result;
      try {
        result = dryRun ? plan(spark, paths, table, maintained.get(table), hours)
            : maintain(spark, paths, table, maintained.get(table), hours, metadata);
      } catch (ConfigError e) {
        throw e;
      } catch (RuntimeException e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
        result = new TableResult(table, FAILED, null, null, null, null, null, 0, message);
      }
      double seconds = (System.nanoTime() - nanos) / 1e9;
      result = new TableResult(result.table(), result.status(), result.versionBefore(), result.versionAfter(),
          result.compacted(), result.before(), result.after(), seconds, result.message());
      results.add(result);
      Console.info(String.format(Locale.ROOT, "step %d of %d: %s: %s", i + 1, tables.size(), table, describe(result)));
    }
    return new Result(runId, hours, results);
  }

  private static String describe(TableResult r) {
    if (FAILED.equals(r.status())) {
      return "FAILED: " + r.message();
    }
    if (r.after() == null) {
      return String.format(Locale.ROOT, "%d live files, %d stored; would compact %s; %s (%.1f s)",
          r.before().live(), r.before().stored(), r.compacted(), r.message(), r.seconds());
    }
    return String.format(Locale.ROOT, "files %d -> %d (stored %d -> %d, %s -> %s), compacted %s%s in %.1f s",
        r.before().live(), r.after().live(), r.before().stored(), r.after().stored(), bytes(r.before().bytes()),
        bytes(r.after().bytes()), r.compacted(), r.message() == null ? "" : ", " + r.message(), r.seconds());
  }

  /** The lake's Delta tables as layer/name, bronze first, each layer's in name order. */
  static List<String> tables(SparkSession spark, LakePaths paths) {
    List<String> tables = new ArrayList<>();
    try {
      Path root = new Path(paths.root());
      FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
      for (String layer : LAYERS) {
        Path dir = new Path(root, layer);
        if (!fs.exists(dir)) {
          continue;
        }
        List<String> found = new ArrayList<>();
        for (FileStatus child : fs.listStatus(dir)) {
          if (child.isDirectory() && fs.exists(new Path(child.getPath(), "_delta_log"))) {
            found.add(layer + "/" + child.getPath().getName());
          }
        }
        found.sort(null);
        tables.addAll(found);
      }
    } catch (IOException e) {
      throw new JobFailure("cannot list the lake's tables under " + paths.root() + ": " + e.getMessage(), e);
    }
    if (tables.isEmpty()) {
      throw new JobFailure("no Delta table under " + paths.root() + " (bronze/, silver/, gold/, ops/): is --lake right?");
    }
    return tables;
  }

  static String pathOf(LakePaths paths, String table) {
    return paths.root() + "/" + table;
  }

  /** yearly_stats' publications kept as rows before any VACUUM can remove the files time travel needs. */
  private static void publications(SparkSession spark, LakePaths paths, boolean dryRun) {
    if (!DeltaTable.isDeltaTable(spark, paths.gold(YearlyStatsPublications.PUBLISHED_TABLE))) {
      return;
    }
    if (dryRun) {
      Console.info("maintain: " + YearlyStatsPublications.TABLE + (YearlyStatsPublications.exists(spark, paths)
          ? " exists" : " is missing: it would be backfilled from yearly_stats' history first"));
      return;
    }
    YearlyStatsPublications.Recorded recorded = YearlyStatsPublications.record(spark, paths, YearlyStats.SCHEMA);
    Console.info("maintain: " + YearlyStatsPublications.TABLE + ": " + recorded.describe());
  }

  /** Per table, the version the last successful maintenance left it at. */
  static Map<String, Long> lastMaintained(SparkSession spark, LakePaths paths) {
    Map<String, Long> result = new TreeMap<>();
    String runs = paths.ops(RUNS_TABLE);
    if (!DeltaTable.isDeltaTable(spark, runs)) {
      return result;
    }
    for (Row r : spark.read().format("delta").load(runs).filter(col("status").equalTo(SUCCEEDED))
        .groupBy(col("table_name")).agg(max(col("version_after"))).collectAsList()) {
      if (!r.isNullAt(1)) {
        result.put(r.getString(0), r.getLong(1));
      }
    }
    return result;
  }

  private TableResult maintain(SparkSession spark, LakePaths paths, String table, Long maintainedAt, double hours,
      Map<String, Object> metadata) {
    String path = pathOf(paths, table);
    DeltaVersions.TableState state = state(spark, path);
    long versionBefore = state.version();
    Files before = files(spark, path, state);
    Scope scope = scope(spark, path, state.partitionColumns(), maintainedAt, versionBefore);
    // what Delta would do, known before asking it: OPTIMIZE rewrites only partitions with two or more small
    // files (or files with deletion vectors, which REORG purges), VACUUM deletes only stored files outside the
    // live set; each is a few Spark jobs and commits even when it finds nothing
    boolean compact = scope.any() && needsCompaction(spark, path);
    boolean vacuum = compact || before.stored() > before.live();
    if (!compact && !vacuum) {
      return new TableResult(table, SUCCEEDED, versionBefore, versionBefore, scope.describe(), before, before, 0,
          "nothing to do (" + (scope.any() ? "every partition compact, " : "") + "no file outside the live set)");
    }
    List<String> done = new ArrayList<>();
    DeltaTable delta = DeltaTable.forPath(spark, path);
    DeltaVersions.withUserMetadata(spark, metadata, () -> {
      if (compact) {
        var optimize = delta.optimize();
        (scope.predicate() == null ? optimize : optimize.where(scope.predicate())).executeCompaction();
        if (deletionVectors(state)) {
          spark.sql("REORG TABLE delta.`" + path.replace("`", "``") + "`"
              + (scope.predicate() == null ? "" : " WHERE " + scope.predicate()) + " APPLY (PURGE)");
          done.add("deletion vectors purged");
        }
      } else if (scope.any()) {
        done.add("already compact");
      }
      vacuum(spark, () -> delta.vacuum(hours));
      done.add("vacuumed");
    });
    DeltaVersions.TableState after = state(spark, path);
    return new TableResult(table, SUCCEEDED, versionBefore, after.version(), scope.describe(),
        before, files(spark, path, after), 0, String.join(", ", done));
  }

  private static DeltaVersions.TableState state(SparkSession spark, String path) {
    return DeltaVersions.state(spark, path).orElseThrow(() -> new JobFailure("no Delta table at " + path));
  }

  /** Delta's spark.databricks.delta.optimize.minFileSize: OPTIMIZE compacts files smaller than this. */
  static final String MIN_FILE_SIZE = "spark.databricks.delta.optimize.minFileSize";

  /**
   * Whether OPTIMIZE or REORG ... PURGE would rewrite anything: a live file with a deletion vector, or a
   * partition holding two or more files smaller than Delta's minimum file size (OPTIMIZE's own choice of
   * files: a partition with one small file is left as it is).
   */
  static boolean needsCompaction(SparkSession spark, String path) {
    long minFileSize = Long.parseLong(spark.conf().get(MIN_FILE_SIZE, String.valueOf(1024L * 1024 * 1024)));
    Dataset<Row> files = DeltaVersions.liveFiles(spark, path);
    return !files.filter(col("has_deletion_vector").or(col("size").lt(minFileSize)))
        .groupBy(col("partition"))
        .agg(org.apache.spark.sql.functions.count(org.apache.spark.sql.functions.lit(1)).as("small"),
            org.apache.spark.sql.functions.max(col("has_deletion_vector").cast("int")).as("dv"))
        .filter(col("small").geq(2).or(col("dv").equalTo(1)))
        .isEmpty();
  }

  /** The dry run of {@link #maintain}: what it would compact, and how many files VACUUM would delete. */
  private TableResult plan(SparkSession spark, LakePaths paths, String table, Long maintainedAt, double hours) {
    String path = pathOf(paths, table);
    DeltaVersions.TableState state = state(spark, path);
    long version = state.version();
    Scope scope = scope(spark, path, state.partitionColumns(), maintainedAt, version);
    // Delta's API has no dry run of VACUUM: the SQL command lists the files it would delete
    long[] vacuumable = new long[1];
    vacuum(spark, () -> vacuumable[0] = spark.sql("VACUUM delta.`" + path.replace("`", "``") + "` RETAIN " + hours
        + " HOURS DRY RUN").count());
    return new TableResult(table, SUCCEEDED, version, null, scope.describe(), files(spark, path, state), null, 0,
        "VACUUM would delete " + vacuumable[0] + " file(s)");
  }

  /** Spark's setting that Delta's VACUUM takes as the number of tasks of its listing of the table's files. */
  static final String LISTING_PARALLELISM = "spark.sql.sources.parallelPartitionDiscovery.parallelism";

  /**
   * Runs a VACUUM with its file listing spread over the cluster's cores, unless the session sets
   * {@link #LISTING_PARALLELISM} itself: Delta lists with that many tasks, whose default (10000) is meant
   * for tables of thousands of partition folders; on a lake's small tables the 10000 near-empty tasks were
   * nearly all of maintain's time (about 100 s a table on 2 cores).
   */
  static void vacuum(SparkSession spark, Runnable vacuum) {
    if (spark.conf().contains(LISTING_PARALLELISM)) {
      vacuum.run();
      return;
    }
    DeltaVersions.withSessionSetting(spark, LISTING_PARALLELISM,
        String.valueOf(Math.max(1, spark.sparkContext().defaultParallelism())), vacuum);
  }

  private static boolean deletionVectors(DeltaVersions.TableState state) {
    return "true".equalsIgnoreCase(state.properties().get(DELETION_VECTORS));
  }

  /**
   * What to compact: nothing when no commit came after the last maintenance; the partitions whose files
   * the later commits added (partition values from the log); the whole table when it is not partitioned,
   * was never maintained, or the log no longer holds every later commit.
   */
  static Scope scope(SparkSession spark, String path, List<String> partitionColumns, Long maintainedAt, long current) {
    if (maintainedAt == null) {
      return Scope.ALL;
    }
    if (current <= maintainedAt) {
      return Scope.NONE;
    }
    if (partitionColumns.isEmpty()) {
      return Scope.ALL;
    }
    Set<Map<String, String>> partitions = writtenPartitions(spark, path, maintainedAt, current);
    if (partitions == null) {
      return Scope.ALL;
    }
    if (partitions.isEmpty()) {
      return Scope.NONE;
    }
    return new Scope(true, predicate(partitionColumns, partitions), partitions.size());
  }

  /**
   * The partition values of the files the commits after {@code after} up to {@code upTo} added, read from
   * the log's commit files (Delta's protocol: one JSON action per line, {@code add.partitionValues}); null
   * when a commit file is gone (log cleanup).
   */
  static Set<Map<String, String>> writtenPartitions(SparkSession spark, String path, long after, long upTo) {
    Set<Map<String, String>> partitions = new LinkedHashSet<>();
    try {
      Path log = new Path(path, "_delta_log");
      FileSystem fs = log.getFileSystem(spark.sparkContext().hadoopConfiguration());
      for (long v = after + 1; v <= upTo; v++) {
        Path commit = new Path(log, String.format(Locale.ROOT, "%020d.json", v));
        try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(commit), StandardCharsets.UTF_8))) {
          for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (!line.startsWith("{\"add\"")) {
              continue;
            }
            JsonNode values = JSON.readTree(line).path("add").path("partitionValues");
            Map<String, String> partition = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = values.fields(); it.hasNext(); ) {
              Map.Entry<String, JsonNode> e = it.next();
              partition.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText());
            }
            partitions.add(partition);
          }
        } catch (FileNotFoundException e) {
          return null;
        }
      }
    } catch (IOException e) {
      throw new JobFailure("cannot read the Delta log of " + path + ": " + e.getMessage(), e);
    }
    return partitions;
  }

  /** A predicate over the partition columns matching exactly these partitions. */
  static String predicate(List<String> columns, Set<Map<String, String>> partitions) {
    return partitions.stream().map(p -> columns.stream()
            .map(c -> "`" + c.replace("`", "``") + "`" + (p.get(c) == null ? " IS NULL" : " = " + literal(p.get(c))))
            .collect(Collectors.joining(" AND ", "(", ")")))
        .sorted().collect(Collectors.joining(" OR "));
  }

  private static String literal(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /** Live files and bytes (Delta's snapshot) and the files stored under the table outside its log. */
  static Files files(SparkSession spark, String path, DeltaVersions.TableState state) {
    long stored = 0;
    try {
      Path table = new Path(path);
      FileSystem fs = table.getFileSystem(spark.sparkContext().hadoopConfiguration());
      RemoteIterator<LocatedFileStatus> it = fs.listFiles(table, true);
      while (it.hasNext()) {
        Path file = it.next().getPath();
        if (!file.toUri().getPath().contains("/_delta_log/")) {
          stored++;
        }
      }
    } catch (IOException e) {
      throw new JobFailure("cannot list the files of " + path + ": " + e.getMessage(), e);
    }
    return new Files(state.numFiles(), state.sizeInBytes(), stored);
  }

  /** The run's rows in ops/maintenance_runs, replacing any of the same run id (idempotent). */
  private static void record(SparkSession spark, LakePaths paths, Result result, Instant start) {
    String runs = paths.ops(RUNS_TABLE);
    DeltaTable.createIfNotExists(spark).location(runs).addColumns(RUNS_SCHEMA).execute();
    List<Row> rows = new ArrayList<>();
    for (TableResult t : result.tables()) {
      rows.add(RowFactory.create(result.runId(), t.table(), Timestamp.from(start), t.seconds(), t.status(),
          t.versionBefore(), t.versionAfter(), t.compacted(),
          t.before() == null ? null : t.before().live(), t.after() == null ? null : t.after().live(),
          t.before() == null ? null : t.before().stored(), t.after() == null ? null : t.after().stored(),
          t.before() == null ? null : t.before().bytes(), t.after() == null ? null : t.after().bytes(),
          result.retentionHours(), t.message()));
    }
    Dataset<Row> frame = spark.createDataFrame(rows, RUNS_SCHEMA).coalesce(1);
    DeltaVersions.replaceWhere(spark, frame, runs, "run_id = " + literal(result.runId()),
        Map.of("step", "maintain", "run_id", result.runId()));
  }

  private static String format(double hours) {
    return hours == Math.rint(hours) ? String.valueOf((long) hours) : String.valueOf(hours);
  }

  private static String bytes(long n) {
    return n < 1024 * 1024 ? String.format(Locale.ROOT, "%.1f KB", n / 1024.0)
        : String.format(Locale.ROOT, "%.1f MB", n / (1024.0 * 1024));
  }
}
