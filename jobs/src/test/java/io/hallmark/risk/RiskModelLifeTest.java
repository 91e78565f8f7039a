package io.hallmark.risk;

import static io.hallmark.testing.SparkTestSupport.spark;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hallmark.config.ConfigError;
import io.hallmark.config.HallmarkConfig;
import io.hallmark.testing.GeneratedSampleLake;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model's life on a generated lake (a copy of the shared sample lake's tables): train saves a model,
 * load reads back the same model, score chooses the newest model trained on or before the scored date and
 * publishes its calibrated probabilities, evaluate uses the same choice and reports its calibration.
 */
class RiskModelLifeTest {
  @TempDir Path tmp;

  static final LocalDate TRAINED = LocalDate.of(2024, 9, 30);

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.toList()) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  /** A private copy of the sample lake (its models folder is ours to write) and small training settings. */
  private HallmarkConfig lake() throws Exception {
    GeneratedSampleLake sample = GeneratedSampleLake.get();
    copy(Path.of(sample.lake()), tmp.resolve("lake"));
    return sample.config.with("hallmark.lake", tmp.resolve("lake").toString())
        .with("hallmark.risk.training.snapshots", 3)
        .with("hallmark.risk.training.min-positives", 1)
        .with("hallmark.risk.evaluation.backfill-days", 90)
        .with("hallmark.risk.evaluation.step-days", 30)
        .with("hallmark.risk.evaluation.stability-days", 2);
  }

  /** The score of a features row worked out from the model's numbers, not by its Spark expression. */
  private static double byHand(RiskModel m, Row features) {
    double logit = m.intercept();
    for (String f : SellerFeatures.FEATURES) {
      logit += m.weights().get(f) * (features.getDouble(features.fieldIndex(f)) - m.baselines().get(f));
    }
    return 1 / (1 + Math.exp(-(m.calibration().slope() * logit + m.calibration().offset())));
  }

  private static RiskModel trainedAt(RiskModel m, String version, LocalDate asOf) {
    return new RiskModel(version, asOf, m.intercept() + 1.0, m.weights(), m.baselines(), m.metrics(), m.bands(),
        m.calibration());
  }

  @Test
  void trainSaveChooseScoreEvaluate() throws Exception {
    HallmarkConfig config = lake();
    String root = config.paths().models("risk");
    RiskModel trained = new TrainJob().run(spark(), config, TRAINED);
    assertEquals("lr-" + TRAINED, trained.version());
    assertEquals(TRAINED, trained.trainedAsOf());
    assertTrue(trained.calibration().slope() > 0, "Platt slope " + trained.calibration());
    assertTrue(trained.calibration().fittedOn().startsWith("held-out snapshot 2024-07-02"), trained.calibration().fittedOn());

    // load gives back every number train saved
    RiskModel.Bands confBands = RiskSettings.from(config).confBands();
    RiskModel loaded = RiskModel.load(spark(), root, trained.version(), confBands);
    assertEquals(trained.intercept(), loaded.intercept(), 0.0);
    assertEquals(trained.weights(), loaded.weights());
    assertEquals(trained.baselines(), loaded.baselines());
    // bands are the configuration's probability thresholds, the same for every model
    assertEquals(confBands, trained.bands());
    assertEquals(confBands, loaded.bands());
    assertEquals(trained.calibration(), loaded.calibration());
    assertThrows(ConfigError.class, () -> RiskModel.load(spark(), root, "lr-1999-01-01", null));

    // two more models, told apart by their intercepts: one trained later, one after the scored date
    RiskModel later = trainedAt(trained, "lr-2024-11-30", LocalDate.of(2024, 11, 30));
    later.save(spark(), root);
    trainedAt(later, "lr-2025-01-31", LocalDate.of(2025, 1, 31)).save(spark(), root);
    assertEquals("conf-default-v1", RiskModel.choose(spark(), config, null, TRAINED.minusDays(1)).version(),
        "no model trained on or before the date: the conf default");
    assertEquals("lr-2024-09-30", RiskModel.choose(spark(), config, null, TRAINED).version());
    assertEquals("lr-2024-09-30", RiskModel.choose(spark(), config, null, LocalDate.of(2024, 11, 29)).version());
    assertEquals("lr-2024-11-30", RiskModel.choose(spark(), config, null, GeneratedSampleLake.RUN_DATE).version(),
        "the newest eligible, never the one trained after the date");
    assertEquals("lr-2025-01-31", RiskModel.choose(spark(), config, "lr-2025-01-31", GeneratedSampleLake.RUN_DATE).version(),
        "a named model is used as named");

    // score publishes the chosen model's calibrated probability of every seller
    new ScoreJob().run(spark(), config, GeneratedSampleLake.RUN_DATE);
    Map<String, Row> features = new TreeMap<>();
    for (Row r : RiskTables.readFeatures(spark(), config, GeneratedSampleLake.RUN_DATE).collectAsList()) {
      features.put(r.getString(r.fieldIndex("seller_id")), r);
    }
    List<Row> scores = RiskTables.readScores(spark(), config, GeneratedSampleLake.RUN_DATE).collectAsList();
    assertEquals(features.size(), scores.size());
    for (Row s : scores) {
      assertEquals("lr-2024-11-30", s.getAs("model_version"));
      double expected = byHand(later, features.get(s.<String>getAs("seller_id")));
      assertEquals(expected, s.<Double>getAs("risk_score"), 1e-12, s.toString());
      assertEquals(later.bands().band(expected), s.getAs("risk_band"));
    }

    // evaluate chooses the same way and checks the calibration where the 90 days have passed
    Map<String, Object> result = new EvaluateJob().run(spark(), config, GeneratedSampleLake.RUN_DATE,
        GeneratedSampleLake.get().truth.toString(), null);
    assertEquals("lr-2024-11-30", result.get("model_version"));
    @SuppressWarnings("unchecked")
    Map<String, Object> calibration = (Map<String, Object>) result.get("calibration");
    assertEquals("2024-10-02", calibration.get("scored_date"));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> bins = (List<Map<String, Object>>) calibration.get("bins");
    assertEquals(10, bins.size());
    long sellers = 0;
    double gap = 0;
    for (Map<String, Object> b : bins) {
      sellers += (Long) b.get("sellers");
      gap += (Long) b.get("sellers") * Math.abs((Double) b.get("mean_predicted") - (Double) b.get("observed"));
    }
    assertEquals(calibration.get("sellers"), sellers);
    assertEquals(gap / sellers, (Double) calibration.get("expected_calibration_error"), 1e-12);
  }

  /**
   * The riskiest 100 sellers of a generated lake (all of them when fewer), as the score step published them:
   * two share a score (to 6 significant digits, what a reader can tell apart) only when every feature is equal.
   */
  @Test
  void theRiskiestSellersHaveDistinctScoresUnlessTheirFeaturesAreEqual() throws Exception {
    GeneratedSampleLake sample = GeneratedSampleLake.get();
    List<Row> top = RiskTables.readScores(spark(), sample.config, GeneratedSampleLake.RUN_DATE)
        .join(RiskTables.readFeatures(spark(), sample.config, GeneratedSampleLake.RUN_DATE), new String[] {"seller_id", "as_of"})
        .orderBy(org.apache.spark.sql.functions.col("risk_score").desc()).limit(100).collectAsList();
    assertTrue(top.size() >= 50, "the sample lake scores " + top.size() + " sellers");
    Map<BigDecimal, List<Row>> byScore = new TreeMap<>();
    for (Row r : top) {
      BigDecimal shown = new BigDecimal(r.<Double>getAs("risk_score")).round(new MathContext(6));
      byScore.computeIfAbsent(shown, k -> new ArrayList<>()).add(r);
    }
    for (Map.Entry<BigDecimal, List<Row>> tie : byScore.entrySet()) {
      List<Row> rows = tie.getValue();
      for (Row r : rows.subList(1, rows.size())) {
        for (String f : SellerFeatures.FEATURES) {
          assertEquals(rows.get(0).<Double>getAs(f), r.<Double>getAs(f), 0.0, "sellers " + rows.get(0).getAs("seller_id")
              + " and " + r.getAs("seller_id") + " share the score " + tie.getKey() + " but differ in " + f);
        }
      }
    }
    assertTrue(top.get(0).<Double>getAs("risk_score") < 0.999, "the riskiest seller is not saturated: " + top.get(0));
  }
}
