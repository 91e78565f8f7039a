package io.hallmark.ingest;

import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;

import io.hallmark.lake.BronzeSchemas;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Schemas internal to ingest: the listing of a batch's files and its validated lines. */
public final class IngestSchemas {
  private IngestSchemas() {}

  public static final Set<String> LINEAGE = Set.of(BronzeSchemas.RUN_ID, BronzeSchemas.SOURCE_FILE, BronzeSchemas.SOURCE_LINE);

  /** One row per landing file of the batch. */
  public static final StructType FILE_SCHEMA = new StructType()
      .add("table_name", StringType, false)
      .add("source_file", StringType, false) // relative to the landing root
      .add("path", StringType, false); // fully qualified, what executors open

  /**
   * One row per landing line (line_number >= 1), plus one summary row per file (line_number 0,
   * with the file's SHA-256 and its line count). Then the typed values of all eight tables side by
   * side (column names and types agree across tables); timestamps as epoch microseconds here,
   * turned into TIMESTAMP by the per-table select.
   */
  public static final StructType LINE_SCHEMA;

  /** Typed value columns of LINE_SCHEMA, in order. */
  public static final Map<String, DataType> VALUE_COLUMNS;

  static {
    Map<String, DataType> values = new LinkedHashMap<>();
    for (String table : BronzeSchemas.TABLES) {
      for (StructField f : BronzeSchemas.SCHEMAS.get(table).fields()) {
        if (LINEAGE.contains(f.name()) || f.name().equals(BronzeSchemas.EVENT_YEAR)) {
          continue;
        }
        DataType type = f.dataType().equals(TimestampType) ? LongType : f.dataType();
        DataType previous = values.putIfAbsent(f.name(), type);
        if (previous != null && !previous.equals(type)) {
          throw new IllegalStateException("column " + f.name() + " has two types across bronze tables");
        }
      }
    }
    VALUE_COLUMNS = values;
    StructType lines = new StructType()
        .add("table_name", StringType, false)
        .add("source_file", StringType, false)
        .add("line_number", LongType, false)
        .add("reject_reason", StringType, true) // validation reason; "reason" is an account_events field
        .add("raw_line", StringType, true) // quarantine text of a line that failed validation; null when valid
        .add("file_sha256", StringType, true)
        .add("file_lines", LongType, true)
        .add(BronzeSchemas.EVENT_YEAR, IntegerType, true);
    for (Map.Entry<String, DataType> e : values.entrySet()) {
      lines = lines.add(new StructField(e.getKey(), e.getValue(), true, Metadata.empty()));
    }
    LINE_SCHEMA = lines;
  }

  /** Columns of LINE_SCHEMA before the typed values: the same for every table. */
  static final int HEADER_COLUMNS = 8;

  private static final Map<String, StructType> TABLE_LINE_SCHEMAS = new LinkedHashMap<>();
  private static final Map<String, int[]> TABLE_LINE_COLUMNS = new LinkedHashMap<>();

  static {
    for (String table : BronzeSchemas.TABLES) {
      Set<String> content = Set.copyOf(contentColumns(table));
      StructType schema = new StructType();
      List<Integer> indexes = new java.util.ArrayList<>();
      for (int i = 0; i < LINE_SCHEMA.size(); i++) {
        if (i < HEADER_COLUMNS || content.contains(LINE_SCHEMA.fields()[i].name())) {
          schema = schema.add(LINE_SCHEMA.fields()[i]);
          indexes.add(i);
        }
      }
      TABLE_LINE_SCHEMAS.put(table, schema);
      TABLE_LINE_COLUMNS.put(table, indexes.stream().mapToInt(Integer::intValue).toArray());
    }
  }

  /**
   * LINE_SCHEMA narrowed to one table: the header columns and that table's own typed values. Each
   * table's lines are read and cached apart in this shape, so every later pass over a table decodes
   * its own rows and columns only, not all eight tables' fifty columns side by side.
   */
  public static StructType lineSchema(String table) {
    return TABLE_LINE_SCHEMAS.get(table);
  }

  /** For each column of {@link #lineSchema}, its index in LINE_SCHEMA. */
  static int[] lineColumns(String table) {
    return TABLE_LINE_COLUMNS.get(table);
  }

  /** Quarantine text of a line read again for a conflicting duplicate ({@link LandingReader.QuarantineTexts}). */
  public static final StructType QUARANTINE_TEXT_SCHEMA = new StructType()
      .add("table_name", StringType, false)
      .add("source_file", StringType, false)
      .add("line_number", LongType, false)
      .add("raw_line", StringType, false);

  /** The bronze columns of a table that carry content (no lineage, no derived partition column). */
  public static List<String> contentColumns(String table) {
    return java.util.Arrays.stream(BronzeSchemas.SCHEMAS.get(table).fieldNames())
        .filter(n -> !LINEAGE.contains(n) && !n.equals(BronzeSchemas.EVENT_YEAR))
        .toList();
  }
}
