package io.hallmark.bench;

import io.hallmark.ingest.LandingFiles.LandingFile;
import io.hallmark.ingest.LandingRules;
import io.hallmark.lake.BronzeSchemas;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The ingest floor: Spark's own JSON reader over the landing files a full rebuild ingested, with the
 * contract's schema and nothing else (no validation, no duplicate decision, no Delta write; {@code noop}
 * sink). What reading and typing those lines costs at the least, for comparison with the ingest step.
 */
public final class LandingFloor {
  private LandingFloor() {}

  /**
   * A table's landing schema, derived from the contract's field rules in code ({@link LandingRules#FIELDS}, in
   * the contract's field order and with its landing names: {@code email}, not bronze's {@code email_hash}).
   */
  public static StructType schema(String table) {
    StructType s = new StructType();
    for (LandingRules.Field f : LandingRules.FIELDS.get(table)) {
      s = s.add(f.name(), type(f.kind()), true);
    }
    return s;
  }

  static DataType type(LandingRules.Kind kind) {
    return switch (kind) {
      case TIMESTAMP -> DataTypes.TimestampType;
      case MONEY -> DataTypes.DoubleType;
      case QUANTITY -> DataTypes.LongType;
      case BOOLEAN -> DataTypes.BooleanType;
      case ID, TEXT, ENUM, CODE2, PERSONAL -> DataTypes.StringType;
    };
  }

  /** The files by table, in the contract's table order. */
  public static Map<String, List<String>> byTable(List<LandingFile> files) {
    Map<String, List<String>> m = new LinkedHashMap<>();
    for (String table : BronzeSchemas.TABLES) {
      List<String> paths = new ArrayList<>();
      for (LandingFile f : files) {
        if (f.table().equals(table)) {
          paths.add(f.path());
        }
      }
      if (!paths.isEmpty()) {
        m.put(table, paths);
      }
    }
    return m;
  }

  /** Reads every table's files with its schema into the noop sink (gzip files are decompressed by Spark). */
  public static void read(SparkSession spark, Map<String, List<String>> filesByTable) {
    for (Map.Entry<String, List<String>> t : filesByTable.entrySet()) {
      spark.read().schema(schema(t.getKey())).json(t.getValue().toArray(String[]::new))
          .write().format("noop").mode("overwrite").save();
    }
  }
}
