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
 * UTC. Tests take a fresh @TempDir each for their lake.
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
          .config("spark.sql.adaptive.enabled", "false")
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
   * chispa-style: same schema field names and the same rows in any order. Rows are compared by their
   * string form after sorting, so a failure message shows both sides readably.
   */
  public static void assertSameRows(Dataset<Row> expected, Dataset<Row> actual) {
    assertEquals(Arrays.asList(expected.columns()), Arrays.asList(actual.columns()), "column names");
    assertEquals(sorted(expected.collectAsList()), sorted(actual.collectAsList()));
  }

  public static void assertRows(List<Row> expected, Dataset<Row> actual) {
    assertEquals(sorted(expected), sorted(actual.collectAsList()));
  }

  private static List<String> sorted(List<Row> rows) {
    List<String> out = new ArrayList<>(rows.stream().map(Row::toString).collect(Collectors.toList()));
    out.sort(null);
    return out;
  }
}
