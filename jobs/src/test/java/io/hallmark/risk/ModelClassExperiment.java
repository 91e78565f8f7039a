package io.hallmark.risk;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.hallmark.config.HallmarkConfig;
import io.hallmark.lake.Bronze;
import io.hallmark.spark.Sessions;
import java.io.File;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.GBTClassifier;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.functions;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Not a test: the held-out comparison behind the choice of model class (README, "Which model class").
 * On one lake, the training rows of {@code train --as-of T} (same snapshots, labels and group split), fitted
 * as a logistic regression on the features before issue 21's combinations, on all features (the
 * combinations are its interactions), and as MLlib gradient-boosted trees on all features; each scored on
 * the evaluation date D against the ground truth (PR-AUC, as {@code evaluate} reports it) and on the
 * validation side against the training label.
 *
 * <p>Run under the slot lock: {@code java -cp <test-classes>:<classes>:<classpath> io.hallmark.risk.ModelClassExperiment
 * LAKE TRUTH T D}.
 */
public final class ModelClassExperiment {
  private ModelClassExperiment() {}

  static final List<String> BEFORE = SellerFeatures.FEATURES.subList(0, 16);

  public static void main(String[] args) {
    String lake = args[0];
    File truthFile = new File(args[1]);
    LocalDate trainAsOf = LocalDate.parse(args[2]);
    LocalDate evalAsOf = LocalDate.parse(args[3]);
    HallmarkConfig config = HallmarkConfig.load(null, Map.of("hallmark.lake", lake));
    SparkSession spark = Sessions.create(config);
    RiskSettings s = RiskSettings.from(config);
    List<LocalDate> snapshots = RiskTraining.snapshotDates(trainAsOf, s);
    Bronze bronze = io.hallmark.lake.BronzeReader.readBronze(spark, config.paths(), RiskTables.BRONZE_TABLES, null);
    Dataset<Row> knownAtT = RiskTables.asOfDates(spark, List.of(trainAsOf));
    Dataset<Row> accountEventsAtT = bronze.accountEvents()
        .join(org.apache.spark.sql.functions.broadcast(knownAtT), col("event_time").lt(col("cutoff")), "left_semi");
    Dataset<Row> snapshotDates = RiskTables.asOfDates(spark, snapshots);
    SellerFeatures.Params params = SellerFeatures.Params.of(s);
    Dataset<Row> features = SellerFeatures.compute(bronze, snapshotDates, params).cache();
    Dataset<Row> labelled = RiskTraining.labels(features, accountEventsAtT, snapshotDates, s.horizonDays())
        .join(features, new String[] {"as_of", "seller_id"}, "inner");
    Dataset<Row> groups = LinkGraph.components(
        LinkGraph.fingerprintEdges(bronze.accountEvents(), knownAtT, s.maxFingerprintDegree()), s.maxGraphIterations());
    Dataset<Row> data = RiskTraining.split(labelled, groups, snapshots.get(0), s.validationGroupPercent()).cache();
    Dataset<Row> train = data.filter(col("side").equalTo("train")).cache();
    Dataset<Row> validation = data.filter(col("side").equalTo("validation")).cache();

    Dataset<Row> truth = EvaluateJob.readTruth(spark, truthFile.toURI().toString());
    Dataset<Row> atD = SellerFeatures.compute(bronze, RiskTables.asOfDates(spark, List.of(evalAsOf)), params)
        .join(truth, new String[] {"seller_id"}, "left")
        .withColumn("label", org.apache.spark.sql.functions.coalesce(col("label"), lit(0.0))).cache();

    Map<String, PipelineModel> models = new LinkedHashMap<>();
    models.put("lr, features before issue 21", lr(BEFORE, s).fit(train));
    models.put("lr, with the combination features", lr(SellerFeatures.FEATURES, s).fit(train));
    models.put("gbt 50 trees depth 4, all features", gbt(SellerFeatures.FEATURES, 50, 4).fit(train));
    models.put("gbt 100 trees depth 3, all features", gbt(SellerFeatures.FEATURES, 100, 3).fit(train));
    BinaryClassificationEvaluator pr = new BinaryClassificationEvaluator().setLabelCol("label")
        .setRawPredictionCol("p").setMetricName("areaUnderPR");
    System.out.printf("train rows %d (positives %.0f), validation rows %d (positives %.0f), sellers at %s: %d%n",
        train.count(), train.agg(org.apache.spark.sql.functions.sum("label")).head().getDouble(0), validation.count(),
        validation.agg(org.apache.spark.sql.functions.sum("label")).head().getDouble(0), evalAsOf, atD.count());
    // each feature's mean among counterfeit and other sellers on D (what the hand-set weights are read against)
    List<org.apache.spark.sql.Column> means = new ArrayList<>();
    for (String f : SellerFeatures.FEATURES) {
      means.add(org.apache.spark.sql.functions.avg(f).as(f));
    }
    for (Row r : atD.groupBy("label").agg(org.apache.spark.sql.functions.count(lit(1)).as("sellers"),
        means.toArray(new org.apache.spark.sql.Column[0])).orderBy("label").collectAsList()) {
      StringBuilder line = new StringBuilder("label " + r.get(0) + " sellers " + r.get(1) + ":");
      for (int i = 0; i < SellerFeatures.FEATURES.size(); i++) {
        line.append(String.format(java.util.Locale.ROOT, " %s=%.4f", SellerFeatures.FEATURES.get(i), r.getDouble(i + 2)));
      }
      System.out.println(line);
    }
    for (Map.Entry<String, PipelineModel> m : models.entrySet()) {
      double onD = pr.evaluate(probability(m.getValue().transform(atD)));
      double onValidation = pr.evaluate(probability(m.getValue().transform(validation)));
      System.out.printf("%-40s PR-AUC at %s vs truth %.4f; validation side vs label %.4f%n", m.getKey(), evalAsOf,
          onD, onValidation);
    }
    spark.stop();
  }

  private static Dataset<Row> probability(Dataset<Row> predictions) {
    return predictions.select(functions.vector_to_array(col("probability"), "float64").getItem(1).as("p"), col("label"));
  }

  private static Pipeline lr(List<String> features, RiskSettings s) {
    VectorAssembler assembler = new VectorAssembler().setInputCols(features.toArray(new String[0]))
        .setOutputCol("raw_features");
    StandardScaler scaler = new StandardScaler().setInputCol("raw_features").setOutputCol("features")
        .setWithMean(true).setWithStd(true);
    LogisticRegression lr = new LogisticRegression().setFeaturesCol("features").setLabelCol("label")
        .setRegParam(s.regParam()).setElasticNetParam(s.elasticNet()).setMaxIter(s.maxIter()).setStandardization(false);
    return new Pipeline().setStages(new PipelineStage[] {assembler, scaler, lr});
  }

  private static Pipeline gbt(List<String> features, int trees, int depth) {
    List<PipelineStage> stages = new ArrayList<>();
    stages.add(new VectorAssembler().setInputCols(features.toArray(new String[0])).setOutputCol("features"));
    stages.add(new GBTClassifier().setFeaturesCol("features").setLabelCol("label").setMaxIter(trees)
        .setMaxDepth(depth).setStepSize(0.1).setSeed(21));
    return new Pipeline().setStages(stages.toArray(new PipelineStage[0]));
  }
}
