package io.hallmark.testing;

import static io.hallmark.testing.SparkTestSupport.row;
import static io.hallmark.testing.SparkTestSupport.rows;
import static io.hallmark.testing.SparkTestSupport.spark;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared test session writes and reads Delta, and keeps time in UTC. */
class DeltaSessionTest {
  @TempDir Path lake;

  @Test
  void writesDeltaAndReadsItBack() {
    StructType schema = new StructType().add("k", DataTypes.StringType).add("v", DataTypes.IntegerType);
    String path = lake.resolve("t").toString();
    rows(schema, row("a", 1), row("b", 2)).write().format("delta").save(path);
    SparkTestSupport.assertRows(schema, List.of(row("a", 1), row("b", 2)), spark().read().format("delta").load(path));
    assertEquals("UTC", spark().conf().get("spark.sql.session.timeZone"));
  }
}
