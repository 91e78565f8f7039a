package io.hallmark.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;

import io.delta.tables.DeltaTable;
import io.hallmark.config.JobFailure;
import io.hallmark.config.LakePaths;
import io.hallmark.lake.DeltaVersions;
import io.hallmark.lake.YearlyStatsPublications;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** The one place the report and the notebooks read gold.yearly_stats and gold.seller_risk_scores. */
public final class ReportTables {
  public static final String YEARLY_STATS = "yearly_stats";
  public static final String SELLER_RISK_SCORES = "seller_risk_scores";

  private final SparkSession spark;
  private final LakePaths paths;

  public ReportTables(SparkSession spark, LakePaths paths) {
    this.spark = spark;
    this.paths = paths;
  }

  public String yearlyStatsPath() {
    return paths.gold(YEARLY_STATS);
  }

  public String riskScoresPath() {
    return paths.gold(SELLER_RISK_SCORES);
  }

  /**
   * Versions of yearly_stats that published content, newest first, as kept in
   * gold.yearly_stats_publications (the yearly-stats step records each; VACUUM does not remove them).
   */
  public List<Long> yearlyStatsPublications() {
    String path = yearlyStatsPath();
    if (!DeltaTable.isDeltaTable(spark, path)) {
      throw new JobFailure("gold.yearly_stats not found at " + path + " (run 'hallmark yearly-stats' or the nightly run first)");
    }
    return List.copyOf(YearlyStatsPublications.list(spark, paths).keySet());
  }

  /** yearly_stats exactly as published in {@code version} (its row set in gold.yearly_stats_publications). */
  public Dataset<Row> yearlyStats(long version) {
    return YearlyStatsPublications.read(spark, paths, version);
  }

  public boolean hasRiskScores() {
    return DeltaTable.isDeltaTable(spark, riskScoresPath());
  }

  /** The current version of seller_risk_scores, or empty when it was never published. */
  public Optional<Long> riskScoresVersion() {
    if (!hasRiskScores()) {
      return Optional.empty();
    }
    return DeltaVersions.latest(spark, riskScoresPath());
  }

  public Dataset<Row> riskScores(long version) {
    return spark.read().format("delta").option("versionAsOf", version).load(riskScoresPath());
  }

  /** The latest scoring date on or before {@code runDate}, if any. */
  public static Optional<LocalDate> latestAsOf(Dataset<Row> scores, LocalDate runDate) {
    Row row = scores.filter(col("as_of").leq(lit(Date.valueOf(runDate)))).agg(max(col("as_of"))).first();
    return row.isNullAt(0) ? Optional.empty() : Optional.of(row.getDate(0).toLocalDate());
  }
}
