package io.hallmark.config;

/**
 * Where every table lives below the lake root. The one place that knows the layout, so jobs,
 * tests and notebooks never spell a path themselves.
 *
 * <pre>
 * lake/bronze/&lt;table&gt;        accepted landing records, one Delta table per contract table
 * lake/bronze/quarantine      rejected lines with source file, line, run id and reason
 * lake/ops/ingest_runs        one row per (run, file, table): the read = accepted + duplicate + rejected balance
 * lake/ops/job_runs           audit trail of nightly runs
 * lake/silver/&lt;table&gt;        per-entity timeline facts
 * lake/gold/&lt;table&gt;          published tables (yearly_stats, seller_features, seller_risk_scores)
 * lake/models/risk/&lt;version&gt;  trained risk models
 * </pre>
 */
public record LakePaths(String root) {
  public LakePaths {
    root = absolute(root);
    root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
  }

  /**
   * A local path without a scheme is made absolute: "./lake" means the folder where the command was
   * started, and Delta's table builders do not accept relative or dotted path identifiers. Paths with
   * a scheme (hdfs://, s3a://, file:/) are left as they are.
   */
  public static String absolute(String path) {
    if (path.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
      return path;
    }
    return java.nio.file.Paths.get(path).toAbsolutePath().normalize().toString();
  }

  public String bronze(String table) {
    return root + "/bronze/" + table;
  }

  public String quarantine() {
    return root + "/bronze/quarantine";
  }

  public String ops(String table) {
    return root + "/ops/" + table;
  }

  public String silver(String table) {
    return root + "/silver/" + table;
  }

  public String gold(String table) {
    return root + "/gold/" + table;
  }

  public String models(String name) {
    return root + "/models/" + name;
  }

  /**
   * Spark's warehouse folder ({@code spark.sql.warehouse.dir}), which Spark creates when its catalog starts
   * although Hallmark keeps no table in it (every table is read and written by path): inside the lake,
   * so a command leaves no spark-warehouse/ in the folder it was started from.
   */
  public String sparkWarehouse() {
    return root + "/_spark_warehouse";
  }
}
