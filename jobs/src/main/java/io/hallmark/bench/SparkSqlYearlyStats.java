package io.hallmark.bench;

import static org.apache.spark.sql.functions.col;

import io.hallmark.lake.BronzeSchemas;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The DuckDB peer's query translated into Spark SQL (bench/spark/yearly_stats.sql) and run by Spark over
 * the same Parquet files DuckDB reads: the engines compared on the same plan, apart from Hallmark's own
 * Spark code. The SQL is read from the source tree at run time (bench/ is not a resource root of its own).
 */
public final class SparkSqlYearlyStats {
  private SparkSqlYearlyStats() {}

  static final String RELATIVE_PATH = "bench/spark/yearly_stats.sql";
  private static final String VIEW_PREFIX = "bench_peer_";

  /** bench/spark/yearly_stats.sql, looked for from the working directory upwards (run.sh runs at the root, tests in jobs/). */
  public static Path defaultSqlFile() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      Path candidate = d.resolve(RELATIVE_PATH);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(RELATIVE_PATH + " not found from " + dir + " upwards (pass --spark-sql)");
  }

  /**
   * The figures, in {@link DuckDbYearlyStats#COLUMNS} order, sorted by year and marketplace: one temporary
   * view per bronze table over exactly the given Parquet files (just the columns the SQL uses), then the
   * query, collected. The session's time zone must be UTC.
   */
  public static List<List<Object>> compute(SparkSession spark, Path sqlFile, Map<String, List<String>> filesByTable)
      throws IOException {
    String zone = spark.conf().get("spark.sql.session.timeZone");
    if (!"UTC".equals(zone)) {
      throw new IllegalStateException("the Spark SQL peer needs spark.sql.session.timeZone=UTC, not " + zone);
    }
    String sql = Files.readString(sqlFile);
    try {
      for (Map.Entry<String, Map<String, String>> table : DuckDbYearlyStats.INPUT_COLUMNS.entrySet()) {
        String view = VIEW_PREFIX + table.getKey();
        scan(spark, table.getKey(), table.getValue().keySet().stream().toList(),
            filesByTable.getOrDefault(table.getKey(), List.of())).createOrReplaceTempView(view);
        sql = sql.replace("{{" + table.getKey() + "}}", view);
      }
      return YearlyFigures.collect(spark.sql(sql));
    } finally {
      DuckDbYearlyStats.INPUT_COLUMNS.keySet().forEach(t -> spark.catalog().dropTempView(VIEW_PREFIX + t));
    }
  }

  private static Dataset<Row> scan(SparkSession spark, String table, List<String> columns, List<String> files) {
    Column[] cols = columns.stream().map(c -> col(c)).toArray(Column[]::new);
    if (files.isEmpty()) {
      // no snapshot yet: an empty relation with bronze's types
      StructType schema = new StructType(columns.stream()
          .map(c -> BronzeSchemas.SCHEMAS.get(table).apply(c))
          .map(f -> new StructField(f.name(), f.dataType(), true, f.metadata()))
          .toArray(StructField[]::new));
      return spark.createDataFrame(List.of(), schema);
    }
    return spark.read().parquet(files.toArray(String[]::new)).select(cols);
  }
}
