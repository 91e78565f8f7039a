package io.hallmark.lake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.delta.tables.DeltaTable;
import io.hallmark.config.JobFailure;
import org.apache.spark.sql.delta.DeltaHistoryManager$;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.Snapshot;
import org.apache.spark.sql.delta.actions.CommitInfo;
import org.apache.spark.sql.delta.util.DeltaCommitFileProvider$;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

import static org.apache.spark.sql.functions.col;

/**
 * Version-pinned reads and one-commit publications of Delta tables, so that a job reads exactly
 * the versions it records and readers never see a half-written table.
 */
public final class DeltaVersions {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DeltaVersions() {}

  /**
   * Delta operations whose commits leave every row as it was: maintenance (OPTIMIZE, REORG ... PURGE,
   * VACUUM's two log entries) and table properties. A reader looking for the last publication, or for
   * the commits that changed rows since a version, passes over them.
   */
  public static final java.util.Set<String> CONTENT_PRESERVING_OPERATIONS = java.util.Set.of(
      "OPTIMIZE", "REORG", "VACUUM START", "VACUUM END", "SET TBLPROPERTIES", "UNSET TBLPROPERTIES",
      "ADD CONSTRAINT", "DROP CONSTRAINT", "FSCK", "SET TABLE PROPERTIES");

  /** Operations of {@code hallmark maintain}: they rewrite or remove files, never rows. */
  public static final java.util.Set<String> MAINTENANCE_OPERATIONS = java.util.Set.of(
      "OPTIMIZE", "REORG", "VACUUM START", "VACUUM END");

  /** One commit of a Delta table: its version, parsed userMetadata and operation metrics. */
  public record Commit(long version, Map<String, Object> metadata, Map<String, String> metrics) {
    /** Rows the commit wrote (Delta's numOutputRows metric; 0 when it wrote no file). */
    public long outputRows() {
      return Long.parseLong(metrics.getOrDefault("numOutputRows", "0"));
    }
  }

  /**
   * Latest committed version, or empty when there is no Delta table at {@code path}: the one definition
   * of "the current version" that every reader and writer uses.
   */
  public static Optional<Long> latest(SparkSession spark, String path) {
    return snapshot(spark, path).map(Snapshot::version);
  }

  /** {@link #latest} of a table that must exist. */
  public static long current(SparkSession spark, String path) {
    return latest(spark, path).orElseThrow(() -> new JobFailure("no Delta table at " + path
        + ": run the step that publishes it first"));
  }

  /** The latest commit (its commit file read once), or empty when there is no Delta table at {@code path}. */
  public static Optional<Commit> lastCommit(SparkSession spark, String path) {
    return snapshot(spark, path).map(s -> commits(spark, path, s, s.version(), s.version()).get(0).commit());
  }

  /**
   * The table's current snapshot (Delta's log, brought up to date), or empty when there is no Delta table
   * at {@code path}. Versions, commits and properties are read from it and from the commit files, on the
   * driver: {@code DeltaTable.history()} runs a Spark job for every call (it reads the commit files in
   * tasks), and {@code detail()} plans a command, which on a nightly's small tables cost more than the work.
   */
  static Optional<Snapshot> snapshot(SparkSession spark, String path) {
    if (!DeltaTable.isDeltaTable(spark, path)) {
      return Optional.empty();
    }
    Snapshot snapshot = DeltaLog.forTable(spark, path).update(false, scala.Option.empty(), scala.Option.empty());
    return snapshot.version() < 0 ? Optional.empty() : Optional.of(snapshot);
  }

  /**
   * One commit as its commit file records it (Delta's CommitInfo): what a row of {@code DeltaTable.history()}
   * gives, read without a Spark job. {@code userMetadata} is the raw text (null when none).
   */
  public record CommitEntry(long version, String operation, String userMetadata, Map<String, String> metrics,
      String path) {
    /** The commit with its userMetadata parsed (a JobFailure when it is not JSON). */
    public Commit commit() {
      return new Commit(version, parse(userMetadata, path), metrics);
    }
  }

  /**
   * The table's commits newest first, read lazily (a caller that stops at the first it needs reads only
   * those): the newest {@link #DRIVER_READ_MAX_COMMITS} one by one on the driver, the older ones, if the
   * caller goes that far, in one {@code DeltaTable.history} job. Empty when there is no Delta table; commit
   * files removed by log cleanup are passed over, as history() does.
   */
  public static Iterable<CommitEntry> newestFirst(SparkSession spark, String path) {
    return newestFirst(spark, path, DRIVER_READ_MAX_COMMITS);
  }

  /** {@link #newestFirst} reading the newest {@code driverReads} commits one by one (a test sets it low). */
  static Iterable<CommitEntry> newestFirst(SparkSession spark, String path, int driverReads) {
    Optional<Snapshot> snapshot = snapshot(spark, path);
    if (snapshot.isEmpty()) {
      return List.of();
    }
    long latest = snapshot.get().version();
    return () -> new java.util.Iterator<>() {
      long next = latest;
      java.util.Iterator<CommitEntry> older;
      CommitEntry ahead = advance();

      private CommitEntry advance() {
        while (older == null && next >= 0 && latest - next < driverReads) {
          Optional<CommitEntry> c = readCommit(spark, path, snapshot.get(), next--);
          if (c.isPresent()) {
            return c.get();
          }
        }
        if (older == null && next >= 0) {
          List<CommitEntry> rest = new java.util.ArrayList<>(historyJob(spark, path, snapshot.get(), 0, next));
          java.util.Collections.reverse(rest);
          older = rest.iterator();
        }
        return older != null && older.hasNext() ? older.next() : null;
      }

      @Override
      public boolean hasNext() {
        return ahead != null;
      }

      @Override
      public CommitEntry next() {
        if (ahead == null) {
          throw new java.util.NoSuchElementException();
        }
        CommitEntry c = ahead;
        ahead = advance();
        return c;
      }
    };
  }

  /** The newest commit whose userMetadata (JSON) has the key {@code key}, or empty when none has. */
  public static Optional<Commit> newestCommitWith(SparkSession spark, String path, String key) {
    for (CommitEntry c : newestFirst(spark, path)) {
      // only a commit that names the key is parsed (another writer's userMetadata need not be JSON)
      if (c.userMetadata() != null && c.userMetadata().contains("\"" + key + "\"")) {
        Commit commit = c.commit();
        if (commit.metadata().containsKey(key)) {
          return Optional.of(commit);
        }
      }
    }
    return Optional.empty();
  }

  /** The commits after {@code afterVersion} up to the latest, oldest first (empty when no table). */
  public static List<CommitEntry> commitsAfter(SparkSession spark, String path, long afterVersion) {
    Optional<Snapshot> snapshot = snapshot(spark, path);
    return snapshot.isEmpty() ? List.of()
        : commits(spark, path, snapshot.get(), Math.max(0, afterVersion + 1), snapshot.get().version());
  }

  /**
   * A table's current state as maintenance reads it: version, live files and bytes (from the snapshot's
   * checksum when it has one, as DESCRIBE DETAIL does), partition columns and table properties.
   */
  public record TableState(long version, long numFiles, long sizeInBytes, List<String> partitionColumns,
      Map<String, String> properties) {}

  /** {@link TableState} of the table at {@code path}, or empty when there is none. */
  public static Optional<TableState> state(SparkSession spark, String path) {
    return snapshot(spark, path).map(s -> new TableState(s.version(), s.numOfFiles(), s.sizeInBytes(),
        List.copyOf(scala.jdk.javaapi.CollectionConverters.asJava(s.metadata().partitionColumns())),
        Map.copyOf(scala.jdk.javaapi.CollectionConverters.asJava(s.metadata().configuration()))));
  }

  /**
   * The live files of the table's current version, one row each: {@code partition} (its partition values as
   * (key, value) entries sorted by column, groupable), {@code size} in bytes and {@code has_deletion_vector}.
   */
  public static Dataset<Row> liveFiles(SparkSession spark, String path) {
    Snapshot snapshot = snapshot(spark, path).orElseThrow(() -> new JobFailure("no Delta table at " + path));
    return snapshot.allFiles().toDF().select(
        org.apache.spark.sql.functions.array_sort(org.apache.spark.sql.functions.map_entries(col("partitionValues")))
            .as("partition"),
        col("size"), col("deletionVector").isNotNull().as("has_deletion_vector"));
  }

  /** One commit file, read on the driver; empty when it is gone (log cleanup). */
  private static Optional<CommitEntry> readCommit(SparkSession spark, String path, Snapshot snapshot, long version) {
    DeltaLog log = DeltaLog.forTable(spark, path);
    scala.Option<CommitInfo> info;
    try {
      info = DeltaHistoryManager$.MODULE$.getCommitInfoOpt(log.store(),
          DeltaCommitFileProvider$.MODULE$.apply(snapshot).deltaFile(version), log.newDeltaHadoopConf());
    } catch (Exception e) {
      // FileNotFoundException is a checked exception to Java, thrown through Scala
      if (e instanceof java.io.FileNotFoundException) {
        return Optional.empty();
      }
      throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
    }
    if (info.isEmpty()) {
      return Optional.of(new CommitEntry(version, null, null, Map.of(), path));
    }
    CommitInfo c = info.get();
    Map<String, String> metrics = c.operationMetrics().isEmpty() ? Map.of()
        : scala.jdk.javaapi.CollectionConverters.asJava(c.operationMetrics().get());
    return Optional.of(new CommitEntry(version, c.operation(), c.userMetadata().isEmpty() ? null : c.userMetadata().get(),
        metrics, path));
  }

  /**
   * Above this many commits a range is read by {@code DeltaTable.history} (one Spark job, the commit files
   * read in parallel) instead of one file after another on the driver.
   */
  static final int DRIVER_READ_MAX_COMMITS = 64;

  /** The commits {@code from}..{@code to} (both included) of the snapshot's table, oldest first. */
  static List<CommitEntry> commits(SparkSession spark, String path, Snapshot snapshot, long from, long to) {
    List<CommitEntry> out = new java.util.ArrayList<>();
    if (to < from) {
      return out;
    }
    if (to - from + 1 > DRIVER_READ_MAX_COMMITS) {
      return historyJob(spark, path, snapshot, from, to);
    }
    for (long v = from; v <= to; v++) {
      readCommit(spark, path, snapshot, v).ifPresent(out::add);
    }
    return out;
  }

  /** The commits {@code from}..{@code to} read by {@code DeltaTable.history} (one Spark job), oldest first. */
  static List<CommitEntry> historyJob(SparkSession spark, String path, Snapshot snapshot, long from, long to) {
    List<CommitEntry> out = new java.util.ArrayList<>();
    for (Row r : DeltaTable.forPath(spark, path).history((int) Math.min(Integer.MAX_VALUE, snapshot.version() - from + 1))
        .filter(col("version").geq(from).and(col("version").leq(to)))
        .select("version", "operation", "userMetadata", "operationMetrics").orderBy(col("version")).collectAsList()) {
      Map<String, String> metrics = r.isNullAt(3) ? Map.of()
          : scala.jdk.javaapi.CollectionConverters.asJava(r.<scala.collection.Map<String, String>>getAs(3));
      out.add(new CommitEntry(r.getLong(0), r.getString(1), r.isNullAt(2) ? null : r.getString(2), metrics, path));
    }
    return out;
  }

  /** The table as of {@code version} (a snapshot: later commits do not change what we read). */
  public static Dataset<Row> readAt(SparkSession spark, String path, long version) {
    return spark.read().format("delta").option("versionAsOf", version).load(path);
  }

  /**
   * The newest version in [{@code version}, {@code upTo}] whose rows are those of {@code version}: only
   * content-preserving commits ({@link #CONTENT_PRESERVING_OPERATIONS}) lie between. Reading it instead of
   * {@code version} gives the same rows from the files that OPTIMIZE wrote, when VACUUM has removed those
   * {@code version} was made of.
   */
  public static long sameContentUpTo(SparkSession spark, String path, long version, long upTo) {
    if (upTo <= version) {
      return version;
    }
    long result = version;
    Snapshot snapshot = snapshot(spark, path).orElseThrow(() -> new JobFailure("no Delta table at " + path));
    for (CommitEntry c : commits(spark, path, snapshot, version + 1, Math.min(upTo, snapshot.version()))) {
      if (!CONTENT_PRESERVING_OPERATIONS.contains(c.operation())) {
        break;
      }
      result = c.version();
    }
    return result;
  }

  /**
   * Replaces the whole table in one Delta commit carrying {@code metadata} (JSON) as the commit's
   * userMetadata; the previous version stays readable by time travel. Returns the new commit.
   */
  public static Commit overwrite(SparkSession spark, Dataset<Row> table, String path, Map<String, ?> metadata) {
    // Delta skips a commit with no file actions (an empty table overwritten with no rows, e.g. brand_facts
    // of a lake that never received a brand): the table would keep the previous commit's userMetadata,
    // naming bronze versions it no longer stands for (issue 19), so this commit is always recorded
    withSessionSetting(spark, SKIP_EMPTY_COMMITS, "false", () -> table.write().format("delta")
        .mode("overwrite")
        // a code change that alters the table's columns replaces them instead of failing
        .option("overwriteSchema", "true")
        .option("userMetadata", toJson(metadata))
        .save(path));
    return lastCommit(spark, path).orElseThrow(() -> new JobFailure("no Delta table after writing " + path));
  }

  private static final String SKIP_EMPTY_COMMITS = "spark.databricks.delta.skipRecordingEmptyCommits";
  private static final String USER_METADATA_CONF = "spark.databricks.delta.commitInfo.userMetadata";

  /**
   * Replaces the rows matching {@code replaceWhere} (a predicate over the table's columns) with
   * {@code rows}, which must all match it, in one Delta commit carrying {@code metadata}; the other rows
   * stay as they are (Delta's replaceWhere). Returns the new commit.
   */
  public static Commit replaceWhere(SparkSession spark, Dataset<Row> rows, String path, String replaceWhere,
      Map<String, ?> metadata) {
    rows.write().format("delta")
        .mode("overwrite")
        .option("replaceWhere", replaceWhere)
        .option("userMetadata", toJson(metadata))
        .save(path);
    return lastCommit(spark, path).orElseThrow(() -> new JobFailure("no Delta table after writing " + path));
  }

  /**
   * Runs {@code commit} (a MERGE, an ALTER TABLE: operations that take no userMetadata option) with
   * {@code metadata} as the userMetadata of the commits it makes, through the session setting, which is
   * restored afterwards.
   */
  public static void withUserMetadata(SparkSession spark, Map<String, ?> metadata, Runnable commit) {
    withSessionSetting(spark, USER_METADATA_CONF, toJson(metadata), commit);
  }

  /** Runs {@code body} with one session setting changed, then restores it (or unsets it if it was unset). */
  public static void withSessionSetting(SparkSession spark, String key, String value, Runnable body) {
    String previous = spark.conf().get(key, null);
    spark.conf().set(key, value);
    try {
      body.run();
    } finally {
      if (previous == null) {
        spark.conf().unset(key);
      } else {
        spark.conf().set(key, previous);
      }
    }
  }

  /** Version to operation (WRITE, MERGE, SET TBLPROPERTIES, ...) of the commits after {@code afterVersion} up to {@code toVersion}. */
  public static java.util.SortedMap<Long, String> operations(SparkSession spark, String path, long afterVersion,
      long toVersion) {
    java.util.SortedMap<Long, String> operations = new TreeMap<>();
    Snapshot snapshot = snapshot(spark, path).orElseThrow(() -> new JobFailure("no Delta table at " + path));
    for (CommitEntry c : commits(spark, path, snapshot, afterVersion + 1, Math.min(toVersion, snapshot.version()))) {
      operations.put(c.version(), c.operation());
    }
    return operations;
  }

  /** Delta change data feed's column naming the kind of change (insert, update_preimage, ...). */
  public static final String CHANGE_TYPE = "_change_type";

  /**
   * The table's row changes over the commits after {@code afterVersion} up to {@code toVersion} (Delta
   * change data feed: its columns plus {@link #CHANGE_TYPE}), or empty when the table did not record
   * them over that whole range (change data feed off for some of it, or the log cleaned up).
   */
  public static Optional<Dataset<Row>> changes(SparkSession spark, String path, long afterVersion, long toVersion) {
    try {
      Dataset<Row> changes = spark.read().format("delta")
          .option("readChangeFeed", "true")
          .option("startingVersion", afterVersion + 1)
          .option("endingVersion", toVersion)
          .load(path);
      // Delta checks that every version of the range recorded its changes when it plans the scan
      changes.queryExecution().executedPlan();
      return Optional.of(changes);
    } catch (Exception e) {
      // AnalysisException is a checked exception to Java, thrown through Scala
      if (e.getClass().getName().contains("DeltaAnalysisException") || String.valueOf(e.getMessage()).contains("change data")) {
        return Optional.empty();
      }
      throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
    }
  }

  /** Whether the table at {@code path} has table property {@code key} set to true. */
  public static boolean propertyIsTrue(SparkSession spark, String path, String key) {
    Snapshot snapshot = snapshot(spark, path).orElseThrow(() -> new JobFailure("no Delta table at " + path));
    return "true".equals(snapshot.metadata().configuration().getOrElse(key, () -> "false"));
  }

  /**
   * The MERGE condition "target t and source s agree on every key column", as a column (Delta's
   * {@code merge(Dataset, Column)}), for the aliases {@code t} and {@code s}.
   */
  public static Column sameKeys(List<String> keys) {
    return keys.stream().map(k -> col("t." + k).equalTo(col("s." + k))).reduce(Column::and)
        .orElseThrow(() -> new IllegalArgumentException("no key columns"));
  }

  /** Sets one table property (a commit of its own, with the session's userMetadata if any). */
  public static void setProperty(SparkSession spark, String path, String key, String value) {
    setProperties(spark, path, Map.of(key, value));
  }

  /** Sets table properties in one commit (with the session's userMetadata if any). */
  public static void setProperties(SparkSession spark, String path, Map<String, String> properties) {
    String assignments = new TreeMap<>(properties).entrySet().stream()
        .map(p -> "'" + p.getKey() + "' = '" + p.getValue() + "'")
        .collect(java.util.stream.Collectors.joining(", "));
    // Delta's Java API has no call for table properties: the SQL names the table by its path, quoted
    spark.sql("ALTER TABLE delta.`" + path.replace("`", "``") + "` SET TBLPROPERTIES (" + assignments + ")");
  }

  /** The userMetadata of one commit, parsed, or an empty map when the commit carries none. */
  public static Map<String, Object> commitMetadata(SparkSession spark, String path, long version) {
    Optional<Snapshot> snapshot = snapshot(spark, path);
    if (snapshot.isEmpty() || version < 0 || version > snapshot.get().version()) {
      return Map.of();
    }
    List<CommitEntry> commits = commits(spark, path, snapshot.get(), version, version);
    return commits.isEmpty() ? Map.of() : parse(commits.get(0).userMetadata(), path);
  }

  /** A commit's userMetadata (JSON) as a map; empty when null. */
  public static Map<String, Object> parseMetadata(String userMetadata, String path) {
    return parse(userMetadata, path);
  }

  private static Map<String, Object> parse(String userMetadata, String path) {
    if (userMetadata == null) {
      return Map.of();
    }
    try {
      return JSON.readValue(userMetadata, new TypeReference<TreeMap<String, Object>>() {});
    } catch (JsonProcessingException e) {
      throw new JobFailure("a commit of " + path + " has userMetadata that is not JSON: " + e.getMessage(), e);
    }
  }

  public static String toJson(Map<String, ?> metadata) {
    try {
      return JSON.writeValueAsString(new TreeMap<>(metadata));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("metadata not serialisable: " + metadata, e);
    }
  }
}
