package io.hallmark.lake;

import static io.hallmark.testing.SparkTestSupport.spark;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.tables.DeltaTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DeltaVersions reads versions, commits and properties from Delta's snapshot and commit files on the driver:
 * what it reads is what {@code DeltaTable.history()} (the Spark job it replaces) says of the same commits.
 */
class DeltaVersionsTest {
  static final StructType SCHEMA = new StructType().add("k", DataTypes.StringType, false);

  @TempDir Path tmp;

  private Dataset<Row> rows(String... keys) {
    List<Row> rows = new ArrayList<>();
    for (String k : keys) {
      rows.add(RowFactory.create(k));
    }
    return spark().createDataFrame(rows, SCHEMA).coalesce(1);
  }

  /** history() of the table, oldest first, as "version operation userMetadata metrics" lines. */
  private static List<String> byHistory(String path) {
    List<String> lines = new ArrayList<>();
    for (Row r : DeltaTable.forPath(spark(), path).history().orderBy("version")
        .select("version", "operation", "userMetadata", "operationMetrics").collectAsList()) {
      Map<String, String> metrics = r.isNullAt(3) ? Map.of()
          : scala.jdk.javaapi.CollectionConverters.asJava(r.<scala.collection.Map<String, String>>getAs(3));
      lines.add(r.getLong(0) + " " + r.getString(1) + " " + (r.isNullAt(2) ? null : r.getString(2)) + " "
          + new TreeMap<>(metrics));
    }
    return lines;
  }

  private static List<String> lines(Iterable<DeltaVersions.CommitEntry> commits) {
    List<String> lines = new ArrayList<>();
    for (DeltaVersions.CommitEntry c : commits) {
      lines.add(c.version() + " " + c.operation() + " " + c.userMetadata() + " " + new TreeMap<>(c.metrics()));
    }
    return lines;
  }

  @Test
  void commitsVersionsAndPropertiesAreWhatHistorySays() {
    String path = tmp.resolve("t").toString();
    DeltaVersions.overwrite(spark(), rows("a", "b"), path, Map.of("step", "one"));              // version 0
    rows("c").write().format("delta").mode("append").save(path);                                // 1: no userMetadata
    DeltaVersions.withUserMetadata(spark(), Map.of("step", "three", "bronze_versions", Map.of("orders", 7)),
        () -> DeltaVersions.setProperty(spark(), path, "delta.enableChangeDataFeed", "true"));  // 2
    rows("d").write().format("delta").mode("append").option("userMetadata", "not json").save(path); // 3
    // 4: the file of version 3 holds "d" alone, so the rewrite writes one row whatever Delta's file rewriting
    DeltaVersions.replaceWhere(spark(), rows("d"), path, "k = 'd'", Map.of("step", "five"));

    List<String> history = byHistory(path);
    assertEquals(5, history.size(), history.toString());
    assertEquals(Optional.of(4L), DeltaVersions.latest(spark(), path));
    assertEquals(history, lines(DeltaVersions.commitsAfter(spark(), path, -1)));
    assertEquals(history.subList(2, 5), lines(DeltaVersions.commitsAfter(spark(), path, 1)));
    List<String> newestFirst = new ArrayList<>(history);
    java.util.Collections.reverse(newestFirst);
    assertEquals(newestFirst, lines(DeltaVersions.newestFirst(spark(), path)));
    // the two newest read one by one, the three older ones through one history() job
    assertEquals(newestFirst, lines(DeltaVersions.newestFirst(spark(), path, 2)));

    DeltaVersions.Commit last = DeltaVersions.lastCommit(spark(), path).orElseThrow();
    assertEquals(4L, last.version());
    assertEquals(Map.of("step", "five"), last.metadata());
    assertEquals(history.get(4), lines(List.of(new DeltaVersions.CommitEntry(4, "WRITE", "{\"step\":\"five\"}",
        last.metrics(), path))).get(0));
    assertEquals(1L, last.outputRows());
    assertEquals(Map.of("step", "three", "bronze_versions", Map.of("orders", 7)),
        DeltaVersions.commitMetadata(spark(), path, 2));
    assertEquals(Map.of(), DeltaVersions.commitMetadata(spark(), path, 1));

    // passes over the newest commits, one of whose userMetadata is not JSON, to the one that names the key
    DeltaVersions.Commit recorded = DeltaVersions.newestCommitWith(spark(), path, "bronze_versions").orElseThrow();
    assertEquals(2L, recorded.version());
    assertEquals(Optional.empty(), DeltaVersions.newestCommitWith(spark(), path, "publications"));

    assertTrue(DeltaVersions.propertyIsTrue(spark(), path, "delta.enableChangeDataFeed"));
    assertFalse(DeltaVersions.propertyIsTrue(spark(), path, "delta.enableDeletionVectors"));
    assertEquals(Map.of(4L, "WRITE"), DeltaVersions.operations(spark(), path, 3, 4));
    assertEquals(2L, DeltaVersions.sameContentUpTo(spark(), path, 1, 4), "version 2 only set a property");

    String missing = tmp.resolve("none").toString();
    assertEquals(Optional.empty(), DeltaVersions.latest(spark(), missing));
    assertEquals(Optional.empty(), DeltaVersions.lastCommit(spark(), missing));
    assertEquals(List.of(), lines(DeltaVersions.newestFirst(spark(), missing)));
  }
}
