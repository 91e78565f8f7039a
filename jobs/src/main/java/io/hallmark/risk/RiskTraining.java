package io.hallmark.risk;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import io.hallmark.config.JobFailure;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.StandardScalerModel;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Training data and fitting for the risk model.
 *
 * <p>Label for a snapshot as_of t: the seller gets a COUNTERFEIT account block in (t, t + horizon],
 * i.e. at or after t+1 00:00 UTC and before t+horizon+1 00:00 UTC. Sellers already blocked at the
 * snapshot's cutoff (any reason, not reinstated) are left out: their own enforcement is known and
 * is neither a feature nor a label.
 */
public final class RiskTraining {
  private RiskTraining() {}

  /** Snapshot dates t_i = asOf - horizon - i * step: every label window closes by asOf. */
  public static List<LocalDate> snapshotDates(LocalDate asOf, RiskSettings s) {
    List<LocalDate> dates = new ArrayList<>();
    for (int i = 0; i < s.snapshots(); i++) {
      dates.add(asOf.minusDays(s.horizonDays() + (long) i * s.snapshotStepDays()));
    }
    return dates;
  }

  /**
   * (as_of, seller_id, label) for sellers not blocked at the cutoff: label 1 when a COUNTERFEIT
   * block falls in the window after as_of.
   */
  public static Dataset<Row> labels(Dataset<Row> sellers, Dataset<Row> accountEvents, Dataset<Row> dates, int horizonDays) {
    Dataset<Row> blockedAtCutoff = SellerFeatures.blockedAtCutoff(accountEvents, dates)
        .select(col("as_of"), col("account_id").as("seller_id"));
    Dataset<Row> counterfeitBlocks = accountEvents
        .filter(col("event_type").equalTo("BLOCKED").and(col("reason").equalTo("COUNTERFEIT")))
        .select(col("account_id").as("seller_id"), col("event_time").as("block_time"));
    Dataset<Row> positives = sellers.select("as_of", "seller_id")
        .join(org.apache.spark.sql.functions.broadcast(dates), new String[] {"as_of"}, "inner")
        .join(counterfeitBlocks, new String[] {"seller_id"}, "inner")
        .filter(col("block_time").geq(col("cutoff"))
            .and(col("block_time").lt(col("cutoff").plus(org.apache.spark.sql.functions.make_dt_interval(lit(horizonDays))))))
        .select("as_of", "seller_id").distinct().withColumn("positive", lit(1.0));
    return sellers.select("as_of", "seller_id")
        .join(blockedAtCutoff, new String[] {"as_of", "seller_id"}, "left_anti")
        .join(positives, new String[] {"as_of", "seller_id"}, "left")
        .select(col("as_of"), col("seller_id"), org.apache.spark.sql.functions.coalesce(col("positive"), lit(0.0)).as("label"));
  }

  /**
   * Marks each labelled row as "train", "validation" or "unused": validation = the newest snapshot,
   * restricted to linked groups (components as of the training date) hashed into the validation
   * share; train = older snapshots outside those groups. A ring therefore never sits on both sides.
   */
  public static Dataset<Row> split(Dataset<Row> labelled, Dataset<Row> groups, LocalDate validationAsOf, int validationPercent) {
    return labelled
        .join(groups.select(col("account_id").as("seller_id"), col("component")), new String[] {"seller_id"}, "left")
        .withColumn("validation_group", pmod(xxhash64(org.apache.spark.sql.functions.coalesce(col("component"), col("seller_id"))), lit(100))
            .lt(validationPercent))
        .withColumn("side", when(col("as_of").equalTo(lit(java.sql.Date.valueOf(validationAsOf))),
                when(col("validation_group"), "validation").otherwise("unused"))
            .otherwise(when(col("validation_group"), "unused").otherwise("train")))
        .drop("component", "validation_group");
  }

  /**
   * Fits standardised, regularised logistic regression on the train side and converts it to the
   * scoring form (weight = coefficient / std, baseline = mean). Metrics from MLlib's evaluator.
   */
  /** The scoring form of the model and the fitted MLlib pipeline (saved beside it for reuse). */
  public record Fitted(RiskModel model, PipelineModel pipeline) {}

  public static Fitted fit(Dataset<Row> data, String version, LocalDate asOf, RiskSettings s, RiskModel confDefault) {
    Dataset<Row> train = data.filter(col("side").equalTo("train")).cache();
    Dataset<Row> validation = data.filter(col("side").equalTo("validation")).cache();
    long trainRows = train.count();
    double trainPositives = train.agg(org.apache.spark.sql.functions.sum("label")).head().isNullAt(0) ? 0
        : train.agg(org.apache.spark.sql.functions.sum("label")).head().getDouble(0);
    if (trainPositives == trainRows) {
      throw new JobFailure("cannot train as of " + asOf + ": every one of the " + trainRows
          + " training rows is a COUNTERFEIT-blocked seller (need both classes)");
    }
    // a model fitted on a handful of blocked sellers ranks worse than the conf default and would still
    // be picked by `score` (measured: 9-15 positives missed PR-AUC 0.90 on 2 of 4 seeds, 74 met it)
    if (trainPositives < s.minPositives()) {
      throw new JobFailure("cannot train as of " + asOf + ": the training snapshots hold " + (long) trainPositives
          + " COUNTERFEIT-blocked sellers (rows labelled 1) out of " + trainRows + ", fewer than"
          + " hallmark.risk.training.min-positives = " + s.minPositives()
          + "; train at a later --as-of, with more training.snapshots, or on more history (scoring keeps the current model)");
    }
    String[] features = SellerFeatures.FEATURES.toArray(new String[0]);
    VectorAssembler assembler = new VectorAssembler().setInputCols(features).setOutputCol("raw_features");
    StandardScaler scaler = new StandardScaler().setInputCol("raw_features").setOutputCol("features")
        .setWithMean(true).setWithStd(true);
    LogisticRegression lr = new LogisticRegression().setFeaturesCol("features").setLabelCol("label")
        .setRegParam(s.regParam()).setElasticNetParam(s.elasticNet()).setMaxIter(s.maxIter())
        .setStandardization(false); // already standardised by the scaler
    PipelineModel pipeline = new Pipeline().setStages(new PipelineStage[] {assembler, scaler, lr}).fit(train);
    StandardScalerModel scalerModel = (StandardScalerModel) pipeline.stages()[1];
    LogisticRegressionModel lrModel = (LogisticRegressionModel) pipeline.stages()[2];
    Vector coef = lrModel.coefficients();
    Vector mean = scalerModel.mean();
    Vector std = scalerModel.std();
    Map<String, Double> weights = new LinkedHashMap<>();
    Map<String, Double> baselines = new LinkedHashMap<>();
    Map<String, Double> standardised = new LinkedHashMap<>();
    for (int i = 0; i < features.length; i++) {
      // a constant feature standardises to 0 in MLlib: it carries no weight
      weights.put(features[i], std.apply(i) > 0 ? coef.apply(i) / std.apply(i) : 0.0);
      baselines.put(features[i], mean.apply(i));
      standardised.put(features[i], coef.apply(i));
    }
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("train_rows", trainRows);
    metrics.put("train_positives", (long) trainPositives);
    metrics.put("train_pr_auc", auc(pipeline.transform(train), "areaUnderPR"));
    metrics.put("train_roc_auc", auc(pipeline.transform(train), "areaUnderROC"));
    long validationRows = validation.count();
    metrics.put("validation_rows", validationRows);
    double validationPositives = validationRows == 0 ? 0 : validation.agg(org.apache.spark.sql.functions.sum("label")).head().getDouble(0);
    metrics.put("validation_positives", (long) validationPositives);
    if (validationPositives > 0 && validationPositives < validationRows) {
      metrics.put("validation_pr_auc", auc(pipeline.transform(validation), "areaUnderPR"));
      metrics.put("validation_roc_auc", auc(pipeline.transform(validation), "areaUnderROC"));
    }
    RiskModel uncalibrated = new RiskModel(version, asOf, lrModel.intercept(), weights, baselines, metrics,
        new RiskModel.Bands(0, 0, 0), RiskModel.Calibration.NONE);
    // Platt scaling on the held-out date: the newest snapshot, whose rows the fit above never saw (its
    // validation groups and the rest of it alike), so the probabilities are those of a date to come
    java.sql.Date newest = data.agg(org.apache.spark.sql.functions.max("as_of")).head().getDate(0);
    Dataset<Row> heldOut = data.filter(col("as_of").equalTo(lit(newest))).cache();
    String fittedOn = "held-out snapshot " + newest + " (not in the fit): " + heldOut.count() + " rows, "
        + (long) heldOut.agg(org.apache.spark.sql.functions.sum("label")).head().getDouble(0) + " labelled 1";
    RiskModel.Calibration calibration = platt(heldOut, uncalibrated.logit(), fittedOn);
    metrics.put("calibration", calibration.asMap());
    // what the conf default's hallmark.risk.calibration is set from (README, "Calibration")
    metrics.put("conf_default_calibration", platt(heldOut, confDefault.logit(), fittedOn).asMap());
    heldOut.unpersist();
    metrics.put("standardised_coefficients", standardised);
    metrics.put("reg_param", s.regParam());
    metrics.put("elastic_net", s.elasticNet());
    train.unpersist();
    validation.unpersist();
    // its scores are probabilities of the same event as every model's: the configuration's bands apply
    return new Fitted(uncalibrated.withCalibration(calibration, s.confBands(), Map.of()), pipeline);
  }

  /**
   * Platt scaling: a one-feature logistic regression (MLlib, unregularised) of the label on the
   * model's raw logit over {@code rows}; slope and offset of the calibrated logit.
   */
  static RiskModel.Calibration platt(Dataset<Row> rows, org.apache.spark.sql.Column logit, String fittedOn) {
    Dataset<Row> points = rows.select(logit.as("logit"), col("label"));
    Row classes = points.agg(org.apache.spark.sql.functions.sum("label"), org.apache.spark.sql.functions.count(lit(1))).head();
    double positives = classes.isNullAt(0) ? 0 : classes.getDouble(0);
    if (positives == 0 || positives == classes.getLong(1)) {
      throw new JobFailure("cannot calibrate: the held-out rows (" + fittedOn + ") need sellers blocked for"
          + " COUNTERFEIT within the horizon and sellers not blocked; train at a later --as-of");
    }
    Dataset<Row> assembled = new VectorAssembler().setInputCols(new String[] {"logit"}).setOutputCol("logit_vector")
        .transform(points);
    LogisticRegressionModel fitted = new LogisticRegression().setFeaturesCol("logit_vector").setLabelCol("label")
        .setRegParam(0.0).setStandardization(false).setMaxIter(100).fit(assembled);
    double slope = fitted.coefficients().apply(0);
    if (!(slope > 0)) {
      throw new JobFailure("calibration on " + fittedOn + " found no positive relation between the model's logit and"
          + " the label (slope " + slope + "); the model does not rank the held-out rows, do not use it");
    }
    return new RiskModel.Calibration(slope, fitted.intercept(), fittedOn);
  }

  private static double auc(Dataset<Row> predictions, String metric) {
    return new BinaryClassificationEvaluator().setLabelCol("label").setRawPredictionCol("rawPrediction")
        .setMetricName(metric).evaluate(predictions);
  }
}
