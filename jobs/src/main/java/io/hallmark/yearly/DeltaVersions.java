package io.hallmark.yearly;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.delta.tables.DeltaTable;
import io.hallmark.config.JobFailure;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
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

  /** Latest committed version, or empty when there is no Delta table at {@code path}. */
  public static Optional<Long> latest(SparkSession spark, String path) {
    if (!DeltaTable.isDeltaTable(spark, path)) {
      return Optional.empty();
    }
    Row last = DeltaTable.forPath(spark, path).history(1).select("version").head();
    return Optional.of(last.getLong(0));
  }

  /** The table as of {@code version} (a snapshot: later commits do not change what we read). */
  public static Dataset<Row> readAt(SparkSession spark, String path, long version) {
    return spark.read().format("delta").option("versionAsOf", version).load(path);
  }

  /** The table at its latest version, or an empty Dataset of {@code schema} when it does not exist. */
  public static Dataset<Row> readPinned(SparkSession spark, String path, StructType schema, String name,
      Map<String, Long> versionsRead) {
    Optional<Long> version = latest(spark, path);
    if (version.isEmpty()) {
      return spark.createDataFrame(List.of(), schema);
    }
    versionsRead.put(name, version.get());
    return readAt(spark, path, version.get());
  }

  /**
   * Replaces the whole table in one Delta commit carrying {@code metadata} (JSON) as the commit's
   * userMetadata; the previous version stays readable by time travel. Returns the new version.
   */
  public static long overwrite(SparkSession spark, Dataset<Row> table, String path, Map<String, ?> metadata) {
    table.write().format("delta")
        .mode("overwrite")
        // a code change that alters the table's columns replaces them instead of failing
        .option("overwriteSchema", "true")
        .option("userMetadata", toJson(metadata))
        .save(path);
    return latest(spark, path).orElseThrow(() -> new JobFailure("no Delta table after writing " + path));
  }

  /** The userMetadata of one commit, parsed, or an empty map when the commit carries none. */
  public static Map<String, Object> commitMetadata(SparkSession spark, String path, long version) {
    List<Row> commits = DeltaTable.forPath(spark, path).history()
        .filter(col("version").equalTo(version)).select("userMetadata").collectAsList();
    if (commits.isEmpty() || commits.get(0).isNullAt(0)) {
      return Map.of();
    }
    try {
      return JSON.readValue(commits.get(0).getString(0), new TypeReference<TreeMap<String, Object>>() {});
    } catch (JsonProcessingException e) {
      throw new JobFailure("commit " + version + " of " + path + " has userMetadata that is not JSON: " + e.getMessage(), e);
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
