package io.hallmark.risk;

import io.hallmark.config.HallmarkConfig;
import io.hallmark.config.JobFailure;
import io.hallmark.jobs.NightlyStep;
import io.hallmark.jobs.StepResult;
import io.hallmark.lake.DeltaVersions;
import java.time.LocalDate;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Publishes gold.seller_risk_scores for as_of = runDate from that date's gold.seller_features
 * (FeaturesJob runs first), replacing only that date. Model: the one named at construction, else
 * the latest trained on or before runDate, else the conf default (see {@link RiskModel#choose}).
 */
public class ScoreJob implements NightlyStep {
  private final String modelVersion;

  public ScoreJob() {
    this(null);
  }

  public ScoreJob(String modelVersion) {
    this.modelVersion = modelVersion;
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
    RiskTables.writeScores(config, model.score(features), runDate);
    String path = config.paths().gold(RiskTables.SCORES);
    Dataset<Row> published = RiskTables.readScores(spark, config, runDate);
    return new StepResult(published == null ? 0 : published.count(),
        Map.of("gold." + RiskTables.FEATURES, DeltaVersions.current(spark, config.paths().gold(RiskTables.FEATURES))),
        Map.of("gold." + RiskTables.SCORES, DeltaVersions.current(spark, path)),
        Map.of("as_of", runDate.toString(), "model_version", model.version()));
  }
}
