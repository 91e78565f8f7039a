package io.hallmark.lake;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;

import io.delta.tables.DeltaTable;
import io.hallmark.config.JobFailure;
import io.hallmark.config.LakePaths;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * gold/yearly_stats_publications: every publication of yearly_stats kept as rows, so that {@code diff}
 * and the report's restatements compare publications without Delta time travel, which VACUUM ends
 * ({@code hallmark maintain}). One row set per publication: the yearly_stats rows of that version,
 * tagged with the version ({@code publication_version}) and the run date it was published for.
 *
 * <p>Written by the yearly-stats step right after its commit ({@link #record}), under the nightly lock.
 * Idempotent: the row set of a version, and of a run date, is replaced (Delta replaceWhere on
 * {@code publication_version} and {@code run_date}), never appended twice; a rerun of a date that
 * publishes again supersedes that date's earlier row set (the report of a date compares it with the
 * date before). A commit of yearly_stats that changed no row (the metadata-only commit of a night that
 * reaches no year, OPTIMIZE, VACUUM) is no publication.
 *
 * <p>{@link #record} catches up with every publication after the last one recorded, so a run killed
 * between the two commits is repaired by the next one, and a lake from before this table gets it
 * backfilled once from yearly_stats' time travel, as far as its files are still there.
 */
public final class YearlyStatsPublications {
  public static final String TABLE = "yearly_stats_publications";
  public static final String VERSION = "publication_version";
  public static final String RUN_DATE = "run_date";

  /** The published table whose publications this one keeps (gold/yearly_stats). */
  public static final String PUBLISHED_TABLE = "yearly_stats";

  private YearlyStatsPublications() {}

  /** publication_version, run_date, then yearly_stats' columns ({@code published}, yearly's schema of it). */
  public static StructType schema(StructType published) {
    List<StructField> fields = new ArrayList<>();
    fields.add(new StructField(VERSION, DataTypes.LongType, false, org.apache.spark.sql.types.Metadata.empty()));
    fields.add(new StructField(RUN_DATE, DataTypes.DateType, true, org.apache.spark.sql.types.Metadata.empty()));
    fields.addAll(Arrays.asList(published.fields()));
    return new StructType(fields.toArray(StructField[]::new));
  }

  /** What one {@link #record} call did. */
  public record Recorded(List<Long> versions, List<Long> unreadable, boolean backfilled, Long tableVersion) {
    static final Recorded NOTHING = new Recorded(List.of(), List.of(), false, null);

    public String describe() {
      if (versions.isEmpty() && unreadable.isEmpty()) {
        return "no new publication";
      }
      return (backfilled ? "backfilled from yearly_stats' history: " : "recorded: ") + "version(s) " + versions
          + (unreadable.isEmpty() ? "" : "; " + unreadable.size() + " older version(s) no longer readable "
          + "(their files were vacuumed) could not be kept: " + unreadable);
    }
  }

  public static String path(LakePaths paths) {
    return paths.gold(TABLE);
  }

  /** A yearly_stats commit that published rows: its version and the run date its userMetadata names. */
  record Publication(long version, LocalDate runDate) {}

  /**
   * Records the publications of yearly_stats not yet in the table (all of them, when the table is
   * missing: the one-time backfill); returns what it wrote. {@code published} is yearly_stats' schema as
   * the code publishes it today (older versions' row sets are brought to it). Call under the nightly lock.
   */
  public static Recorded record(SparkSession spark, LakePaths paths, StructType published) {
    String stats = paths.gold(PUBLISHED_TABLE);
    String target = path(paths);
    Optional<Long> latest = DeltaVersions.latest(spark, stats);
    if (latest.isEmpty()) {
      return Recorded.NOTHING;
    }
    boolean backfill = !DeltaTable.isDeltaTable(spark, target);
    long after = backfill ? -1 : lastRecorded(spark, target);
    if (latest.get() <= after) {
      return Recorded.NOTHING;
    }
    List<Publication> candidates = publicationsAfter(spark, stats, after, latest.get());
    List<Dataset<Row>> rowSets = new ArrayList<>();
    List<Publication> kept = new ArrayList<>();
    List<Long> unreadable = new ArrayList<>();
    for (Publication p : candidates) {
      Dataset<Row> rows = rowSet(spark, stats, p, published);
      if (backfill && !readable(rows)) {
        unreadable.add(p.version()); // vacuumed before this table existed: that history is gone
        continue;
      }
      rowSets.add(rows);
      kept.add(p);
    }
    if (backfill) {
      DeltaTable.createIfNotExists(spark).location(target).addColumns(schema(published)).execute();
    }
    if (kept.isEmpty()) {
      return new Recorded(List.of(), unreadable, backfill, DeltaVersions.latest(spark, target).orElse(null));
    }
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("step", "yearly-stats");
    metadata.put("publications", kept.stream().map(Publication::version).toList());
    metadata.put("backfill", backfill);
    Dataset<Row> rows = rowSets.stream().reduce(Dataset::unionByName).orElseThrow().coalesce(1);
    // a column yearly_stats gained in a code change is added here too (older row sets read null in it)
    DeltaVersions.withSessionSetting(spark, "spark.databricks.delta.schema.autoMerge.enabled", "true",
        () -> DeltaVersions.replaceWhere(spark, rows, target, keyPredicate(kept), metadata));
    DeltaVersions.Commit commit = DeltaVersions.lastCommit(spark, target).orElseThrow();
    return new Recorded(kept.stream().map(Publication::version).toList(), unreadable, backfill, commit.version());
  }

  /** The newest publication_version in the table, or -1 when it has none. */
  private static long lastRecorded(SparkSession spark, String target) {
    Row r = spark.read().format("delta").load(target).agg(max(col(VERSION))).head();
    return r.isNullAt(0) ? -1 : r.getLong(0);
  }

  /**
   * The commits after {@code after} that published rows, oldest first; of several for the same run date
   * only the newest (it superseded the others).
   */
  static List<Publication> publicationsAfter(SparkSession spark, String stats, long after, long latest) {
    Map<Object, Publication> byDate = new LinkedHashMap<>();
    for (DeltaVersions.CommitEntry c : DeltaVersions.commitsAfter(spark, stats, after)) {
      if (c.version() > latest) {
        break;
      }
      if (DeltaVersions.CONTENT_PRESERVING_OPERATIONS.contains(c.operation()) || "CREATE TABLE".equals(c.operation())) {
        continue;
      }
      Object runDate = DeltaVersions.parseMetadata(c.userMetadata(), stats).get("run_date");
      Publication p = new Publication(c.version(), runDate == null ? null : LocalDate.parse(runDate.toString()));
      byDate.remove(runDate == null ? (Object) p.version() : runDate);
      byDate.put(runDate == null ? (Object) p.version() : runDate, p);
    }
    List<Publication> result = new ArrayList<>(byDate.values());
    result.sort(java.util.Comparator.comparingLong(Publication::version));
    return result;
  }

  private static Dataset<Row> rowSet(SparkSession spark, String stats, Publication p, StructType schema) {
    List<Column> columns = new ArrayList<>();
    columns.add(lit(p.version()).as(VERSION));
    columns.add((p.runDate() == null ? lit(null).cast("date") : lit(java.sql.Date.valueOf(p.runDate()))).as(RUN_DATE));
    Dataset<Row> published = DeltaVersions.readAt(spark, stats, p.version());
    for (StructField f : schema.fields()) {
      // a column an older version did not have yet is null in its row set
      columns.add(Arrays.asList(published.columns()).contains(f.name())
          ? col(f.name()).cast(f.dataType()).as(f.name()) : lit(null).cast(f.dataType()).as(f.name()));
    }
    return published.select(columns.toArray(Column[]::new));
  }

  /** Whether a version's files are still there (a vacuumed version fails when its files are read). */
  private static boolean readable(Dataset<Row> rows) {
    try {
      rows.count();
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  /** The row sets of these publications' versions and of their run dates (a rerun supersedes its date). */
  private static String keyPredicate(List<Publication> publications) {
    String versions = publications.stream().map(p -> String.valueOf(p.version())).collect(Collectors.joining(", "));
    String dates = publications.stream().filter(p -> p.runDate() != null).map(p -> "DATE'" + p.runDate() + "'")
        .distinct().collect(Collectors.joining(", "));
    return VERSION + " IN (" + versions + ")" + (dates.isEmpty() ? "" : " OR " + RUN_DATE + " IN (" + dates + ")");
  }

  // ---- reading -----------------------------------------------------------------------------

  /** Whether the lake has the table (a lake from before it has none until the next yearly-stats or maintain). */
  public static boolean exists(SparkSession spark, LakePaths paths) {
    return DeltaTable.isDeltaTable(spark, path(paths));
  }

  /** The kept publications, newest first: version to run date (null when published without one). */
  public static TreeMap<Long, LocalDate> list(SparkSession spark, LakePaths paths) {
    requireTable(spark, paths);
    TreeMap<Long, LocalDate> result = new TreeMap<>(java.util.Comparator.reverseOrder());
    for (Row r : spark.read().format("delta").load(path(paths)).select(VERSION, RUN_DATE).distinct().collectAsList()) {
      result.put(r.getLong(0), r.isNullAt(1) ? null : r.getDate(1).toLocalDate());
    }
    return result;
  }

  /** Publication {@code version} of yearly_stats, in yearly_stats' columns (empty when not kept). */
  public static Dataset<Row> read(SparkSession spark, LakePaths paths, long version) {
    requireTable(spark, paths);
    Dataset<Row> table = spark.read().format("delta").load(path(paths));
    return table.filter(col(VERSION).equalTo(version))
        .select(Arrays.stream(table.columns()).filter(c -> !c.equals(VERSION) && !c.equals(RUN_DATE))
            .map(c -> col(c)).toArray(Column[]::new));
  }

  private static void requireTable(SparkSession spark, LakePaths paths) {
    if (!exists(spark, paths)) {
      throw new JobFailure("no yearly_stats publications at " + path(paths) + ": run 'hallmark nightly --step"
          + " yearly-stats' (or 'hallmark maintain'), which creates it from yearly_stats' history");
    }
  }
}
