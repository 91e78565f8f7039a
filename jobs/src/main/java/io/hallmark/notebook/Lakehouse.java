package io.hallmark.notebook;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.trim;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hallmark.config.HadoopFiles;
import io.hallmark.config.LakePaths;
import io.hallmark.report.ReportTables;
import io.hallmark.report.ReportTransforms;
import io.hallmark.spark.Sessions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The notebooks' entry point: typed access to the lake's published tables for a data scientist.
 * {@code Lakehouse.open("lake")} reuses the JVM's Spark session if there is one (Jupyter kernel,
 * tests) or starts a local one with the project's lake settings (Delta, UTC).
 */
public final class Lakehouse {
  private final SparkSession spark;
  private final LakePaths paths;
  private final ReportTables tables;

  private Lakehouse(SparkSession spark, String lake) {
    this.spark = spark;
    this.paths = new LakePaths(lake);
    this.tables = new ReportTables(spark, paths);
  }

  public static Lakehouse open(String lake) {
    scala.Option<SparkSession> existing = SparkSession.getDefaultSession();
    SparkSession spark = existing.isDefined() ? existing.get()
        : Sessions.applyLakeDefaults(SparkSession.builder())
            .master("local[2]")
            .appName("hallmark-notebook")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .getOrCreate();
    return new Lakehouse(spark, lake);
  }

  public static Lakehouse open(SparkSession spark, String lake) {
    return new Lakehouse(spark, lake);
  }

  public SparkSession spark() {
    return spark;
  }

  public LakePaths paths() {
    return paths;
  }

  // ---- yearly statistics -------------------------------------------------------------------

  /** Versions of gold.yearly_stats that published content, newest first. */
  public List<Long> publications() {
    return tables.yearlyStatsPublications();
  }

  /** The latest publication of yearly_stats. */
  public Dataset<Row> yearlyStats() {
    return tables.yearlyStats(publications().get(0));
  }

  /** yearly_stats as published in {@code version} (its rows in gold.yearly_stats_publications). */
  public Dataset<Row> yearlyStats(long version) {
    return tables.yearlyStats(version);
  }

  /** One metric of the latest publication, a row per year and a column per marketplace. */
  public Dataset<Row> metricByYear(String metric) {
    return yearlyStats().groupBy(col("year")).pivot(col("marketplace")).agg(first(col(metric))).orderBy(col("year"));
  }

  /**
   * One figure of one marketplace in every publication, oldest first: year, version, publication
   * ("v" + version, for a chart's legend), value. How a year's figure moved from night to night.
   */
  public Dataset<Row> metricOverPublications(String metric, String marketplace) {
    List<Long> versions = new ArrayList<>(publications());
    java.util.Collections.reverse(versions);
    Dataset<Row> out = null;
    for (long v : versions) {
      Dataset<Row> one = yearlyStats(v).filter(col("marketplace").equalTo(marketplace))
          .select(col("year"), lit(v).as("version"), lit("v" + v).as("publication"), col(metric).as("value"));
      out = out == null ? one : out.unionByName(one);
    }
    return out.orderBy(col("year"), col("version")).select(col("year"), col("version"), col("publication"), col("value"));
  }

  /** Every figure that differs between two publications (all years, open or closed). */
  public Dataset<Row> restatements(long fromVersion, long toVersion) {
    return ReportTransforms.restatements(
        ReportTransforms.longForm(yearlyStats(fromVersion)), ReportTransforms.longForm(yearlyStats(toVersion)),
        ReportTransforms.metricCatalog(spark), Integer.MAX_VALUE);
  }

  // ---- risk scores -------------------------------------------------------------------------

  public Dataset<Row> riskScores() {
    return spark.read().format("delta").load(tables.riskScoresPath());
  }

  /** The latest scoring date on or before {@code onOrBefore}; fails clearly when there is none. */
  public LocalDate latestScoreDate(LocalDate onOrBefore) {
    return ReportTables.latestAsOf(riskScores(), onOrBefore)
        .orElseThrow(() -> new IllegalStateException("no seller_risk_scores on or before " + onOrBefore
            + " in " + tables.riskScoresPath()));
  }

  /** The {@code n} riskiest sellers of a date with their reasons (real seller ids: internal use). */
  public Dataset<Row> topSellers(LocalDate asOf, int n) {
    return ReportTransforms.riskiestSellers(riskScores(), asOf, n);
  }

  public Dataset<Row> bandCounts(LocalDate asOf) {
    return ofDate(asOf).groupBy(col("risk_band")).agg(count(lit(1)).as("sellers")).orderBy(col("sellers").desc());
  }

  /** How often each reason code appears among the sellers of the given bands, and its mean contribution. */
  public Dataset<Row> reasonFrequency(LocalDate asOf, List<String> bands) {
    Dataset<Row> inBands = ofDate(asOf).filter(col("risk_band").isin(bands.toArray()));
    Dataset<Row> reasons = reason(inBands, 1).unionByName(reason(inBands, 2)).unionByName(reason(inBands, 3))
        .filter(col("reason").isNotNull());
    return reasons.groupBy(col("reason"))
        .agg(countDistinct(col("seller_id")).as("sellers"), avg(col("contribution")).as("mean_contribution"))
        .orderBy(col("sellers").desc(), col("reason"))
        .select(col("reason"), col("sellers"), col("mean_contribution"));
  }

  /** A seller's scores over time. */
  public Dataset<Row> sellerHistory(String sellerId) {
    return riskScores().filter(col("seller_id").equalTo(sellerId)).orderBy(col("as_of"), col("model_version"));
  }

  /** The scores of one date, one row per seller (the highest model version when several scored it). */
  public Dataset<Row> scoresOf(LocalDate asOf) {
    return ofDate(asOf);
  }

  private Dataset<Row> ofDate(LocalDate asOf) {
    return ReportTransforms.onePerSeller(riskScores().filter(col("as_of").equalTo(lit(Date.valueOf(asOf)))));
  }

  private static Dataset<Row> reason(Dataset<Row> scores, int i) {
    return scores.select(col("seller_id"), col("reason_" + i).as("reason"), col("contribution_" + i).as("contribution"));
  }

  // ---- calibration -------------------------------------------------------------------------

  /**
   * The generator's ground truth (CSV with header: seller_id, is_counterfeit, scheme) as seller_id,
   * label; is_counterfeit true/1/yes (any case) is a positive. The path is a Hadoop URI (or a path on the
   * default file system), like the lake's.
   */
  public Dataset<Row> groundTruth(String csvPath) {
    csvPath = HadoopFiles.qualify(spark.sparkContext().hadoopConfiguration(), csvPath);
    try {
      if (!HadoopFiles.isFile(spark.sparkContext().hadoopConfiguration(), csvPath)) {
        throw new IllegalArgumentException("ground-truth file not found: " + csvPath);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the ground-truth file " + csvPath, e);
    }
    Dataset<Row> truth = spark.read().option("header", "true").csv(csvPath);
    Column flag = lower(trim(col("is_counterfeit")));
    return truth.select(col("seller_id"), flag.isin("true", "1", "yes").as("label"));
  }

  /**
   * Labels without a ground-truth file: a seller is positive when bronze account_events has a
   * BLOCKED event with reason COUNTERFEIT in (asOf, asOf + horizonDays] (the training label).
   */
  public Dataset<Row> labelsFromBlocks(LocalDate asOf, int horizonDays) {
    Dataset<Row> events = spark.read().format("delta").load(paths.bronze("account_events"));
    String from = asOf.plusDays(1) + " 00:00:00";
    String until = asOf.plusDays(1 + horizonDays) + " 00:00:00";
    return events
        .filter(col("event_type").equalTo("BLOCKED").and(col("reason").equalTo("COUNTERFEIT"))
            .and(col("event_time").geq(lit(from).cast("timestamp"))).and(col("event_time").lt(lit(until).cast("timestamp"))))
        .select(col("account_id").as("seller_id")).distinct()
        .select(col("seller_id"), lit(true).as("label"));
  }

  /** Precision/recall at thresholds 0, 1/steps, ..., 1 for the scores of {@code asOf}. */
  public Dataset<Row> precisionRecall(LocalDate asOf, Dataset<Row> labels, int steps) {
    return Calibration.precisionRecall(Calibration.labelScores(ofDate(asOf), labels), steps);
  }

  /** Per band on {@code asOf}: sellers, share of sellers, scores, precision against {@code labels}. */
  public Dataset<Row> bandSummary(LocalDate asOf, Dataset<Row> labels) {
    return Calibration.bandSummary(Calibration.labelScores(ofDate(asOf), labels));
  }

  /** Sellers per (band, label) on {@code asOf}: how the current thresholds split true and false. */
  public Dataset<Row> bandConfusion(LocalDate asOf, Dataset<Row> labels) {
    return Calibration.labelScores(ofDate(asOf), labels)
        .groupBy(col("risk_band")).pivot(col("label"), List.of(true, false).stream().map(b -> (Object) b).toList())
        .count().na().fill(0L)
        .withColumnRenamed("true", "counterfeit").withColumnRenamed("false", "not_counterfeit")
        .orderBy(col("risk_band"));
  }

  // ---- model versions ----------------------------------------------------------------------

  /** Model versions that scored on or before {@code onOrBefore}, oldest first (by their last date, then name). */
  public List<String> modelVersions(LocalDate onOrBefore) {
    List<String> out = new ArrayList<>();
    riskScores().filter(col("as_of").leq(lit(Date.valueOf(onOrBefore)))).groupBy(col("model_version")).agg(max(col("as_of")).as("last"))
        .orderBy(col("last"), col("model_version")).collectAsList()
        .forEach(r -> out.add(r.getString(0)));
    return out;
  }

  /**
   * Every JSON file under models/risk/&lt;version&gt;/ (the risk job's metrics), by relative path;
   * empty when the version has no folder (e.g. coefficients from conf/).
   */
  public Map<String, Object> modelMetrics(String version) {
    Path dir = new Path(paths.models("risk") + "/" + version);
    Map<String, Object> out = new TreeMap<>();
    ObjectMapper json = new ObjectMapper();
    try {
      FileSystem fs = HadoopFiles.fileSystem(spark.sparkContext().hadoopConfiguration(), dir);
      if (!fs.isDirectory(dir)) {
        return out;
      }
      String prefix = fs.makeQualified(dir).toUri().getPath() + "/";
      RemoteIterator<LocatedFileStatus> files = fs.listFiles(dir, true);
      while (files.hasNext()) {
        Path f = files.next().getPath();
        if (f.getName().endsWith(".json")) {
          try (InputStream in = fs.open(f)) {
            out.put(f.toUri().getPath().substring(prefix.length()), json.readValue(in, Object.class));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read model metrics under " + dir, e);
    }
    return out;
  }

  /** Each version on the latest date it scored on or before {@code onOrBefore}, side by side. */
  public Dataset<Row> compareModels(String versionA, String versionB, LocalDate onOrBefore) {
    Dataset<Row> scores = riskScores().filter(col("as_of").leq(lit(Date.valueOf(onOrBefore))));
    return ModelComparison.compare(scores, versionA, versionB);
  }

  public Dataset<Row> bandMigration(String versionA, String versionB, LocalDate onOrBefore) {
    return ModelComparison.bandMigration(compareModels(versionA, versionB, onOrBefore));
  }
}
