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
 * lake/reports/&lt;run date&gt;    the nightly's report (unless hallmark.report.dir says otherwise)
 * </pre>
 *
 * <p>The root is a URI ({@code hdfs://}, {@code s3a://}, {@code abfs://}, {@code file:}); one given without a
 * scheme is qualified against the default file system ({@link HadoopFiles#qualify}).
 */
public record LakePaths(String root) {
  /**
   * Delta's table builders do not accept relative or dotted path identifiers, so a root without a scheme
   * is qualified here too (against the class path's Hadoop settings: {@link HallmarkConfig#paths} passes
   * one already qualified with the run's settings, which this leaves as it is).
   */
  public LakePaths {
    root = HadoopFiles.qualify(HadoopFiles.defaultConfiguration(), root);
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

  /** Where the nightly's reports go by default: {@code <lake>/reports/<run date>/}. */
  public String reports() {
    return root + "/reports";
  }
}
