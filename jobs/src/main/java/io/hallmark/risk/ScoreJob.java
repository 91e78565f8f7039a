package io.hallmark.risk;

import io.hallmark.lake.Bronze;
import io.hallmark.config.HallmarkConfig;
import io.hallmark.config.JobFailure;
import io.hallmark.jobs.NightlyStep;
import io.hallmark.jobs.StepResult;
import io.hallmark.lake.BronzeReader;
import io.hallmark.lake.DeltaVersions;
import java.time.LocalDate;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Publishes gold.seller_risk_scores for as_of = runDate from that date's gold.seller_features
 * (FeaturesJob runs first), replacing only that date, each of the top three reasons with its sentence of
 * evidence ({@link RiskReasons}) read from bronze at the versions the last ingest run recorded. Model: the one named at construction, else
 * the latest trained on or before runDate, else the conf default (see {@link RiskModel#choose}).
 */
public class ScoreJob implements NightlyStep {
  private final String modelVersion;
  private final boolean asKnown;

  public ScoreJob() {
    this(null);
  }

  public ScoreJob(String modelVersion) {
    this(modelVersion, false);
  }

  /** {@code asKnown}: the evidence read as known by the date's run, as {@link FeaturesJob#FeaturesJob(boolean)} reads the features. */
  public ScoreJob(String modelVersion, boolean asKnown) {
    this.modelVersion = modelVersion;
    this.asKnown = asKnown;
  }

  @Override
  public String name() {
    return "risk-scores";
  }

  @Override
  public StepResult run(SparkSession spark, HallmarkConfig config, LocalDate runDate) {
    Dataset<Row> features = RiskTables.readFeatures(spark, config, runDate);
    if (features == null) {
      throw new JobFailure("no gold.seller_features for " + runDate + ": run 'hallmark score --as-of " + runDate
          + "' (it publishes the features, then the scores) or the nightly run for that date");
    }
    RiskModel model = RiskModel.choose(spark, config, modelVersion, runDate);
    Map<String, Long> bronzeRead = new java.util.TreeMap<>();
    Bronze bronze = BronzeReader.readBronze(spark, config.paths(), RiskTables.BRONZE_TABLES, bronzeRead);
    if (asKnown) {
      bronze = RiskTables.knownBy(spark, config, bronze, runDate);
    }
    Dataset<Row> evidence = RiskReasons.evidence(bronze, RiskTables.asOfDates(spark, java.util.List.of(runDate)),
        SellerFeatures.Params.of(RiskSettings.from(config)));
    RiskTables.writeScores(config, RiskReasons.explain(model.score(features), features, evidence), runDate);
    String path = config.paths().gold(RiskTables.SCORES);
    Dataset<Row> published = RiskTables.readScores(spark, config, runDate);
    return new StepResult(published == null ? 0 : published.count(),
        inputs(spark, config, bronzeRead),
        Map.of("gold." + RiskTables.SCORES, DeltaVersions.current(spark, path)),
        Map.of("as_of", runDate.toString(), "model_version", model.version()));
  }

  /** The features read and the bronze versions the reasons' evidence was read at. */
  private static Map<String, Long> inputs(SparkSession spark, HallmarkConfig config, Map<String, Long> bronzeRead) {
    Map<String, Long> in = new java.util.TreeMap<>();
    bronzeRead.forEach((table, version) -> in.put("bronze." + table, version));
    in.put("gold." + RiskTables.FEATURES, DeltaVersions.current(spark, config.paths().gold(RiskTables.FEATURES)));
    return in;
  }
}
