package io.hallmark.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hallmark.spark.Sessions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * One local[2] session for the whole suite (surefire runs one JVM): small shuffles, no UI, Delta on,
 * UTC, adaptive query execution on as in production (Spark's default, which conf/local.conf keeps and
 * conf/cluster.conf states; see DeltaSessionTest). Tests take a fresh @TempDir each for their lake.
 */
public final class SparkTestSupport {
  private static SparkSession spark;
  /** The suite's spark.sql.shuffle.partitions (a test that changes it for one step sets it back). */
  public static final String SHUFFLE_PARTITIONS = "2";

  private SparkTestSupport() {}

  public static synchronized SparkSession spark() {
    if (spark == null) {
      spark = Sessions.applyLakeDefaults(SparkSession.builder())
          .master("local[2]")
          .appName("hallmark-tests")
          .config("spark.sql.shuffle.partitions", SHUFFLE_PARTITIONS)
          .config("spark.default.parallelism", "2")
          .config("spark.ui.enabled", "false")
          .config("spark.databricks.delta.snapshotPartitions", "2")
          .config("spark.driver.host", "127.0.0.1")
          .getOrCreate();
    }
    return spark;
  }

  /** A Dataset from inline rows, e.g. {@code rows(SCHEMA, row("a", 1), row("b", 2))}. */
  public static Dataset<Row> rows(StructType schema, Row... rows) {
    return spark().createDataFrame(Arrays.asList(rows), schema);
  }

  public static Row row(Object... values) {
    return RowFactory.create(values);
  }

  /**
   * As chispa's DataFrame comparer: the same schema (column names and order, types, nullability, nested
   * ones included; not metadata) and the same rows in any order. Rows are compared by their string form
   * after sorting, so a failure message shows both sides readably.
   */
  public static void assertSameRows(Dataset<Row> expected, Dataset<Row> actual) {
    assertSchema(expected.schema(), actual.schema());
    assertEquals(sorted(expected.collectAsList()), sorted(actual.collectAsList()));
  }

  /**
   * {@link #assertSameRows} without comparing nullability: only for a test that says why the two sides
   * legitimately differ there (for example a transform's output against the Delta table it was written to,
   * which stores every column as nullable).
   */
  public static void assertSameRowsIgnoringNullable(Dataset<Row> expected, Dataset<Row> actual) {
    assertSchema(expected.schema().asNullable(), actual.schema().asNullable());
    assertEquals(sorted(expected.collectAsList()), sorted(actual.collectAsList()));
  }

  /** Hand-written rows of the given schema (names, types, nullability all compared), in any order. */
  public static void assertRows(StructType expectedSchema, List<Row> expected, Dataset<Row> actual) {
    assertSchema(expectedSchema, actual.schema());
    assertEquals(sorted(expected), sorted(actual.collectAsList()));
  }

  /**
   * {@link #assertRows(StructType, List, Dataset)} with the schema as a DDL string, e.g.
   * {@code "order_id STRING, event_year INT"} (every column nullable unless marked {@code NOT NULL}).
   */
  public static void assertRows(String expectedSchemaDdl, List<Row> expected, Dataset<Row> actual) {
    assertRows(StructType.fromDDL(expectedSchemaDdl), expected, actual);
  }

  /**
   * The rows of {@code data} now, with its schema: what a table held before a step, to compare with
   * {@link #assertSameRows} after it (a Dataset read from a path is lazy and would see the new version).
   */
  public static Dataset<Row> snapshot(Dataset<Row> data) {
    return spark().createDataFrame(data.collectAsList(), data.schema());
  }

  private static void assertSchema(StructType expected, StructType actual) {
    // treeString shows names, types and nullability at every level, and no metadata
    assertEquals(expected.treeString(), actual.treeString(), "schema (names, types, nullability)");
  }

  private static List<String> sorted(List<Row> rows) {
    List<String> out = new ArrayList<>(rows.stream().map(Row::toString).collect(Collectors.toList()));
    out.sort(null);
    return out;
  }
}
