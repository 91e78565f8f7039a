package io.hallmark.bench;

import io.hallmark.config.LakePaths;
import io.hallmark.lake.BronzeSchemas;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;

/**
 * The yearly-metrics spec computed by DuckDB (bench/duckdb/yearly_stats.sql) over the Parquet files
 * of one bronze Delta snapshot: the single-node peer the benchmark times Hallmark against and an
 * independent check of its figures. DuckDB runs in-process (JDBC, in-memory database).
 */
public final class DuckDbYearlyStats {
  private DuckDbYearlyStats() {}

  /** gold yearly_stats columns, in the spec's order. */
  public static final List<String> COLUMNS = List.of(
      "year", "marketplace",
      "accounts_registered", "accounts_blocked", "accounts_blocked_before_first_listing", "pre_listing_block_share",
      "counterfeit_accounts_blocked", "accounts_verified_and_listed_90d", "verification_pass_share",
      "repeat_blocked_accounts", "listings_created", "submissions_blocked", "listings_blocked_ip",
      "listings_blocked_proactively", "proactive_block_share", "notices_submitted", "valid_notices",
      "brands_enrolled", "valid_notices_per_brand", "notices_resolved_within_24h_share", "orders", "units_sold",
      "orders_with_counterfeit_complaint", "counterfeit_complaint_rate", "median_hours_registration_to_block");

  /**
   * Bronze tables the SQL reads and the columns it uses (with DuckDB types, for an empty stand-in when
   * a table has no files yet). Also what the "read floor" reads with Spark.
   */
  public static final Map<String, Map<String, String>> INPUT_COLUMNS = inputColumns();

  private static Map<String, Map<String, String>> inputColumns() {
    Map<String, Map<String, String>> m = new LinkedHashMap<>();
    m.put(BronzeSchemas.ACCOUNT_EVENTS, cols("event_id VARCHAR", "account_id VARCHAR", "event_type VARCHAR",
        "event_time TIMESTAMP", "marketplace VARCHAR", "reason VARCHAR"));
    m.put(BronzeSchemas.LISTING_EVENTS, cols("event_id VARCHAR", "listing_id VARCHAR", "seller_id VARCHAR",
        "event_type VARCHAR", "event_time TIMESTAMP", "block_reason VARCHAR"));
    m.put(BronzeSchemas.ORDERS, cols("order_id VARCHAR", "seller_id VARCHAR", "order_time TIMESTAMP", "quantity BIGINT"));
    m.put(BronzeSchemas.COMPLAINTS, cols("order_id VARCHAR", "complaint_time TIMESTAMP", "complaint_type VARCHAR"));
    m.put(BronzeSchemas.NOTICES, cols("notice_id VARCHAR", "listing_id VARCHAR", "submitted_at TIMESTAMP",
        "resolved_at TIMESTAMP", "outcome VARCHAR"));
    m.put(BronzeSchemas.BRANDS, cols("brand VARCHAR", "enrolled_at TIMESTAMP"));
    return m;
  }

  private static Map<String, String> cols(String... nameTypes) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String nt : nameTypes) {
      String[] p = nt.split(" ");
      m.put(p[0], p[1]);
    }
    return m;
  }

  /**
   * The Parquet files of each bronze table the SQL reads, at the version readers read, as local paths.
   * Delta's own file list, not a folder listing: files removed by an overwrite or merge stay in the
   * folder until VACUUM and must not be read. A table that does not exist yet has no files.
   */
  public static Map<String, List<String>> snapshotFiles(SparkSession spark, LakePaths paths) {
    Map<String, List<String>> files = new LinkedHashMap<>();
    for (String table : INPUT_COLUMNS.keySet()) {
      // the versions of the last finished ingest run, as Hallmark's readers see them (BronzeReader)
      files.put(table, Arrays.stream(io.hallmark.lake.BronzeReader.read(spark, paths, table).inputFiles())
          .map(DuckDbYearlyStats::localPath).sorted().collect(Collectors.toList()));
    }
    return files;
  }

  private static String localPath(String uri) {
    return uri.startsWith("file:") ? URI.create(uri).getPath() : uri;
  }

  /** The SQL with each table placeholder replaced by a scan of exactly the given files. */
  public static String sql(Map<String, List<String>> filesByTable) {
    String sql = readResource("yearly_stats.sql");
    for (Map.Entry<String, Map<String, String>> table : INPUT_COLUMNS.entrySet()) {
      List<String> files = filesByTable.getOrDefault(table.getKey(), List.of());
      sql = sql.replace("{{" + table.getKey() + "}}", scan(files, table.getValue()));
    }
    return sql;
  }

  private static String scan(List<String> files, Map<String, String> columns) {
    if (files.isEmpty()) {
      // read_parquet([]) is an error: an empty relation with the columns the SQL uses
      return columns.entrySet().stream()
          .map(c -> "CAST(NULL AS " + c.getValue() + ") AS " + c.getKey())
          .collect(Collectors.joining(", ", "(SELECT ", " LIMIT 0)"));
    }
    return files.stream().map(f -> "'" + f.replace("'", "''") + "'")
        .collect(Collectors.joining(", ", "read_parquet([", "])"));
  }

  /** Rows of yearly_stats (values in {@link #COLUMNS} order), sorted by year and marketplace. */
  public static List<List<Object>> compute(Map<String, List<String>> filesByTable, int threads) throws SQLException {
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
         Statement st = db.createStatement()) {
      st.execute("SET threads = " + threads);
      // years and day arithmetic in UTC whatever the machine's zone (Spark writes instants)
      st.execute("SET TimeZone = 'UTC'");
      try (ResultSet rs = st.executeQuery(sql(filesByTable))) {
        return readRows(rs);
      }
    }
  }

  /** Row count of each table's snapshot files as DuckDB reads them (to cross-check against Delta's). */
  public static Map<String, Long> rowCounts(Map<String, List<String>> filesByTable) throws SQLException {
    Map<String, Long> counts = new LinkedHashMap<>();
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
         Statement st = db.createStatement()) {
      for (Map.Entry<String, Map<String, String>> table : INPUT_COLUMNS.entrySet()) {
        List<String> files = filesByTable.getOrDefault(table.getKey(), List.of());
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + scan(files, table.getValue()))) {
          rs.next();
          counts.put(table.getKey(), rs.getLong(1));
        }
      }
    }
    return counts;
  }

  private static List<List<Object>> readRows(ResultSet rs) throws SQLException {
    ResultSetMetaData meta = rs.getMetaData();
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= meta.getColumnCount(); i++) {
      names.add(meta.getColumnName(i));
    }
    if (!names.equals(COLUMNS)) {
      throw new IllegalStateException("yearly_stats.sql returns " + names + ", expected " + COLUMNS);
    }
    List<List<Object>> rows = new ArrayList<>();
    while (rs.next()) {
      List<Object> row = new ArrayList<>(COLUMNS.size());
      row.add(rs.getInt(1));
      row.add(rs.getString(2));
      for (int i = 3; i <= COLUMNS.size(); i++) {
        Object v = rs.getObject(i);
        row.add(v == null ? null : v instanceof Double d ? d : (Object) ((Number) v).longValue());
      }
      rows.add(row);
    }
    return rows;
  }

  private static String readResource(String name) {
    try (InputStream in = DuckDbYearlyStats.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("resource io/hallmark/bench/" + name + " missing from the build");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + name, e);
    }
  }
}
