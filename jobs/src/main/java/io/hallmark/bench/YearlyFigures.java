package io.hallmark.bench;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Reading Hallmark's gold yearly_stats as plain rows and comparing two sets of yearly figures. */
public final class YearlyFigures {
  private YearlyFigures() {}

  /**
   * Shares and medians are doubles computed in a different order by each engine (and hours from
   * micro- or milliseconds): equal within this relative tolerance counts as identical.
   */
  public static final double RELATIVE_TOLERANCE = 1e-9;

  /** Rows of a Delta yearly_stats table in {@link DuckDbYearlyStats#COLUMNS} order, as Integer/String/Long/Double. */
  public static List<List<Object>> readDelta(SparkSession spark, String path) {
    return collect(spark.read().format("delta").load(path));
  }

  /** Rows of any yearly_stats-shaped Dataset, the same way (e.g. figures computed in memory). */
  public static List<List<Object>> collect(Dataset<Row> yearlyStats) {
    Column[] columns = DuckDbYearlyStats.COLUMNS.stream().map(c -> col(c)).toArray(Column[]::new);
    List<List<Object>> rows = new ArrayList<>();
    for (Row r : yearlyStats.select(columns).collectAsList()) {
      List<Object> row = new ArrayList<>();
      row.add(r.isNullAt(0) ? null : ((Number) r.get(0)).intValue());
      row.add(r.getString(1));
      for (int i = 2; i < r.size(); i++) {
        Object v = r.get(i);
        row.add(v == null ? null : v instanceof Double || v instanceof Float ? (Object) ((Number) v).doubleValue()
            : (Object) ((Number) v).longValue());
      }
      rows.add(row);
    }
    return rows;
  }

  /**
   * Every difference between two sets of yearly rows, keyed by (year, marketplace): rows only on one
   * side, and cells that differ (counts exactly, doubles within {@link #RELATIVE_TOLERANCE}). Empty
   * means identical figures.
   */
  public static List<String> differences(List<List<Object>> expected, List<List<Object>> actual,
      String expectedName, String actualName) {
    Map<String, List<Object>> left = byKey(expected);
    Map<String, List<Object>> right = byKey(actual);
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, List<Object>> e : left.entrySet()) {
      List<Object> other = right.get(e.getKey());
      if (other == null) {
        out.add(e.getKey() + ": row only in " + expectedName);
        continue;
      }
      for (int i = 2; i < DuckDbYearlyStats.COLUMNS.size(); i++) {
        if (!same(e.getValue().get(i), other.get(i))) {
          out.add(e.getKey() + " " + DuckDbYearlyStats.COLUMNS.get(i) + ": " + expectedName + "="
              + e.getValue().get(i) + " " + actualName + "=" + other.get(i));
        }
      }
    }
    for (String key : right.keySet()) {
      if (!left.containsKey(key)) {
        out.add(key + ": row only in " + actualName);
      }
    }
    return out;
  }

  private static Map<String, List<Object>> byKey(List<List<Object>> rows) {
    Map<String, List<Object>> m = new TreeMap<>();
    for (List<Object> r : rows) {
      if (m.put(r.get(0) + "/" + r.get(1), r) != null) {
        throw new IllegalStateException("duplicate yearly row " + r.get(0) + "/" + r.get(1));
      }
    }
    return m;
  }

  static boolean same(Object a, Object b) {
    if (a instanceof Double x && b instanceof Double y) {
      return x.equals(y) || Math.abs(x - y) <= RELATIVE_TOLERANCE * Math.max(Math.abs(x), Math.abs(y));
    }
    return Objects.equals(a, b);
  }
}
