package io.hallmark.nightly;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;

import io.delta.tables.DeltaTable;
import io.hallmark.config.LakePaths;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructType;

/**
 * The job_runs audit table (lake/ops/job_runs): one row per nightly run, keyed by run_id, with its
 * steps nested in run order. The only place that reads or writes it. Every write is a MERGE on
 * run_id (one Delta commit), so a run's row is inserted at start and updated after each step: a run
 * killed mid-way leaves a RUNNING row showing how far it got, which the next run marks ABANDONED.
 */
public final class JobRuns {
  private static final MapType VERSIONS = DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType);

  // nullable throughout: Delta does not enforce NOT NULL inside arrays
  public static final StructType STEP_SCHEMA = new StructType()
      .add("step_no", DataTypes.IntegerType)
      .add("name", DataTypes.StringType)
      .add("status", DataTypes.StringType)
      .add("started_at", DataTypes.TimestampType)
      .add("ended_at", DataTypes.TimestampType)
      .add("seconds", DataTypes.DoubleType)
      .add("rows", DataTypes.LongType)
      .add("tables_read", VERSIONS)
      .add("tables_written", VERSIONS)
      .add("details", DataTypes.StringType)
      .add("error", DataTypes.StringType);

  public static final StructType SCHEMA = new StructType()
      .add("run_id", DataTypes.StringType, false)
      .add("run_date", DataTypes.DateType, false)
      .add("status", DataTypes.StringType, false)
      .add("started_at", DataTypes.TimestampType, false)
      .add("ended_at", DataTypes.TimestampType)
      .add("seconds", DataTypes.DoubleType)
      .add("host", DataTypes.StringType)
      .add("pid", DataTypes.LongType)
      .add("failed_step", DataTypes.StringType)
      .add("error", DataTypes.StringType)
      .add("ingest_balances", DataTypes.StringType)
      .add("steps", new ArrayType(STEP_SCHEMA, false));

  public static final String TABLE = "job_runs";

  private JobRuns() {}

  public static String path(LakePaths paths) {
    return paths.ops(TABLE);
  }

  /** Inserts or replaces the run's row in one commit (MERGE on run_id). */
  public static void upsert(SparkSession spark, LakePaths paths, RunRecord run) {
    DeltaTable.createIfNotExists(spark).location(path(paths)).addColumns(SCHEMA).execute();
    Dataset<Row> source = spark.createDataFrame(List.of(toRow(run)), SCHEMA);
    DeltaTable.forPath(spark, path(paths)).as("t")
        .merge(source.as("s"), col("t.run_id").equalTo(col("s.run_id")))
        .whenMatched().updateAll()
        .whenNotMatched().insertAll()
        .execute();
  }

  /**
   * Marks RUNNING rows ABANDONED. Called by a run that holds the lake's lock: no other run can be
   * running, so a RUNNING row is a process that died (SIGKILL, lost node) before recording its end.
   *
   * @return how many rows were marked
   */
  public static long markAbandoned(SparkSession spark, LakePaths paths, String byRunId) {
    if (!DeltaTable.isDeltaTable(spark, path(paths))) {
      return 0;
    }
    DeltaTable table = DeltaTable.forPath(spark, path(paths));
    Column running = col("status").equalTo(lit(RunRecord.RUNNING));
    long stale = table.toDF().where(running).count();
    if (stale > 0) {
      Map<String, Column> set = new LinkedHashMap<>();
      set.put("status", lit(RunRecord.ABANDONED));
      set.put("error", concat(lit("the run's process ended without recording its end; found by run "), lit(byRunId)));
      table.update(running, set);
    }
    return stale;
  }

  /** The most recent runs, newest first; empty when no run has been recorded yet. */
  public static List<RunRecord> recent(SparkSession spark, LakePaths paths, int limit) {
    if (!DeltaTable.isDeltaTable(spark, path(paths))) {
      return List.of();
    }
    List<RunRecord> runs = new ArrayList<>();
    for (Row row : spark.read().format("delta").load(path(paths))
        .orderBy(col("started_at").desc(), col("run_id").desc()).limit(limit).collectAsList()) {
      runs.add(fromRow(row));
    }
    return runs;
  }

  static Row toRow(RunRecord run) {
    List<Row> steps = new ArrayList<>();
    for (StepRecord s : run.steps()) {
      steps.add(RowFactory.create(s.stepNo(), s.name(), s.status(), ts(s.startedAt()), ts(s.endedAt()), s.seconds(),
          s.rows(), s.tablesRead(), s.tablesWritten(), s.details(), s.error()));
    }
    return RowFactory.create(run.runId(), Date.valueOf(run.runDate()), run.status(), ts(run.startedAt()),
        ts(run.endedAt()), run.seconds(), run.host(), run.pid(), run.failedStep(), run.error(), run.ingestBalances(),
        steps);
  }

  static RunRecord fromRow(Row r) {
    List<StepRecord> steps = new ArrayList<>();
    for (Row s : r.<Row>getList(r.fieldIndex("steps"))) {
      steps.add(new StepRecord(s.getInt(0), s.getString(1), s.getString(2), instant(s.getTimestamp(3)),
          instant(s.getTimestamp(4)), s.isNullAt(5) ? null : s.getDouble(5), s.isNullAt(6) ? null : s.getLong(6),
          versions(s, 7), versions(s, 8), s.getString(9), s.getString(10)));
    }
    return new RunRecord(r.getString(0), r.getDate(1).toLocalDate(), r.getString(2), instant(r.getTimestamp(3)),
        instant(r.getTimestamp(4)), r.isNullAt(5) ? null : r.getDouble(5), r.getString(6),
        r.isNullAt(7) ? 0 : r.getLong(7), r.getString(8), r.getString(9), r.getString(10), steps);
  }

  private static Map<String, Long> versions(Row row, int i) {
    return row.isNullAt(i) ? Map.of() : new TreeMap<>(row.<String, Long>getJavaMap(i));
  }

  private static Timestamp ts(Instant instant) {
    return instant == null ? null : Timestamp.from(instant);
  }

  private static Instant instant(Timestamp ts) {
    return ts == null ? null : ts.toInstant();
  }

  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

  /**
   * What {@code hallmark runs} prints: one line per run, then its steps indented, e.g.
   * <pre>
   * RUN ID                                    RUN DATE    STATUS     STARTED (UTC)        SECONDS  STEPS
   * nightly-2024-12-31-20261128T174501Z-3f2a  2024-12-31  SUCCEEDED  2026-11-28 17:45:01    61.2  6/6
   *     1 ingest          SUCCEEDED    12,345 rows    8.1 s  wrote bronze.accounts@3
   * </pre>
   */
  public static String format(List<RunRecord> runs) {
    if (runs.isEmpty()) {
      return "no nightly runs recorded yet\n";
    }
    int idWidth = Math.max(6, runs.stream().mapToInt(r -> r.runId().length()).max().orElse(6));
    StringBuilder out = new StringBuilder();
    String header = "%-" + idWidth + "s  %-10s  %-9s  %-19s  %8s  %-5s  %s%n";
    out.append(String.format(Locale.ROOT, header, "RUN ID", "RUN DATE", "STATUS", "STARTED (UTC)", "SECONDS", "STEPS",
        "FAILED STEP / ERROR"));
    for (RunRecord run : runs) {
      long done = run.steps().stream().filter(s -> StepRecord.SUCCEEDED.equals(s.status())).count();
      String problem = run.failedStep() == null ? "" : run.failedStep() + ": ";
      problem += run.error() == null ? "" : firstLine(run.error());
      out.append(String.format(Locale.ROOT, header, run.runId(), run.runDate(), run.status(),
          run.startedAt() == null ? "" : WHEN.format(run.startedAt()),
          run.seconds() == null ? "" : String.format(Locale.ROOT, "%.1f", run.seconds()),
          done + "/" + run.steps().size(), problem));
      for (StepRecord s : run.steps()) {
        out.append(String.format(Locale.ROOT, "    %d %-16s %-9s %15s %9s  %s%n", s.stepNo(), s.name(), s.status(),
            s.rows() == null ? "" : String.format(Locale.ROOT, "%,d rows", s.rows()),
            s.seconds() == null ? "" : String.format(Locale.ROOT, "%.1f s", s.seconds()),
            describeTables(s)));
      }
    }
    return out.toString();
  }

  private static String describeTables(StepRecord s) {
    List<String> parts = new ArrayList<>();
    if (!s.tablesRead().isEmpty()) {
      parts.add("read " + versionList(s.tablesRead()));
    }
    if (!s.tablesWritten().isEmpty()) {
      parts.add("wrote " + versionList(s.tablesWritten()));
    }
    if (s.error() != null) {
      parts.add("error: " + firstLine(s.error()));
    }
    return String.join("; ", parts);
  }

  private static String versionList(Map<String, Long> versions) {
    List<String> items = new ArrayList<>();
    new TreeMap<>(versions).forEach((table, version) -> items.add(table + "@" + version));
    return String.join(", ", items);
  }

  private static String firstLine(String text) {
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl);
  }
}
