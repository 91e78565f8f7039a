package io.hallmark.yearly;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.hallmark.lake.DeltaVersions;
import io.hallmark.lake.YearlyStatsPublications;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What changed between two published versions of yearly_stats: one line per (year, marketplace,
 * column) whose value differs, so the restatement of a closed year by late events is visible.
 */
public final class YearlyStatsDiff {
  private YearlyStatsDiff() {}

  /** A value that changed; {@code null} text = the row did not exist in that version. */
  public record Change(int year, String marketplace, String column, String oldValue, String newValue) {}

  static final String NULL = "null";

  public static List<Change> changes(Dataset<Row> before, Dataset<Row> after) {
    Dataset<Row> joined = figures(before).withColumnRenamed("value", "old_value")
        .join(figures(after).withColumnRenamed("value", "new_value"), new String[] {"year", "marketplace", "column"}, "full_outer")
        .filter(col("old_value").eqNullSafe(col("new_value")).unary_$bang())
        .select("year", "marketplace", "column", "old_value", "new_value");
    List<String> order = Arrays.asList(YearlyStats.SCHEMA.fieldNames());
    List<Change> changes = new ArrayList<>();
    for (Row r : joined.collectAsList()) {
      changes.add(new Change(r.getInt(0), r.getString(1), r.getString(2), r.getString(3), r.getString(4)));
    }
    changes.sort(Comparator.comparingInt(Change::year)
        .thenComparing(c -> YearlyStats.ALL.equals(c.marketplace()) ? "" : c.marketplace())
        .thenComparingInt(c -> order.indexOf(c.column())));
    return changes;
  }

  /** One row per (year, marketplace, column) with the value as text (null written as "null"). */
  static Dataset<Row> figures(Dataset<Row> stats) {
    String[] names = YearlyStats.SCHEMA.fieldNames();
    Column[] values = Arrays.stream(names).skip(2)
        .map(c -> coalesce(col(c).cast("string"), lit(NULL)).as(c)).toArray(Column[]::new);
    return stats.select(concat(new Column[] {col("year"), col("marketplace")}, values))
        .unpivot(new Column[] {col("year"), col("marketplace")},
            Arrays.stream(names).skip(2).map(c -> col(c)).toArray(Column[]::new), "column", "value");
  }

  /**
   * The readable report of what changed from publication {@code from} to publication {@code to} of
   * yearly_stats, read from gold.yearly_stats_publications (no time travel: VACUUM does not end it).
   */
  public static String between(org.apache.spark.sql.SparkSession spark, io.hallmark.config.LakePaths paths, long from,
      long to) {
    return format(changes(YearlyStatsPublications.read(spark, paths, from), YearlyStatsPublications.read(spark, paths, to)),
        from, to);
  }

  /** A readable fixed-width table, or a sentence when nothing changed. */
  public static String format(List<Change> changes, long fromVersion, long toVersion) {
    if (changes.isEmpty()) {
      return String.format(Locale.ROOT, "no figure changed between version %d and version %d%n", fromVersion, toVersion);
    }
    String[] header = {"year", "marketplace", "column", "v" + fromVersion, "v" + toVersion};
    List<String[]> lines = new ArrayList<>();
    lines.add(header);
    for (Change c : changes) {
      lines.add(new String[] {Integer.toString(c.year()), c.marketplace(), c.column(),
          c.oldValue() == null ? "(no row)" : c.oldValue(), c.newValue() == null ? "(no row)" : c.newValue()});
    }
    int[] widths = new int[header.length];
    for (String[] line : lines) {
      for (int i = 0; i < line.length; i++) {
        widths[i] = Math.max(widths[i], line[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String[] line : lines) {
      for (int i = 0; i < line.length; i++) {
        out.append(i == 0 ? "" : "  ").append(String.format(Locale.ROOT, "%-" + widths[i] + "s", line[i]));
      }
      out.append(System.lineSeparator());
    }
    out.append(String.format(Locale.ROOT, "%d figure(s) changed between version %d and version %d%n",
        changes.size(), fromVersion, toVersion));
    return out.toString();
  }

  private static Column[] concat(Column[] a, Column[] b) {
    Column[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
