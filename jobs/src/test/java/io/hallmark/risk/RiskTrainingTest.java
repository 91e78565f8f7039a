package io.hallmark.risk;

import static io.hallmark.testing.SparkTestSupport.row;
import static io.hallmark.testing.SparkTestSupport.spark;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hallmark.config.HallmarkConfig;
import io.hallmark.lake.Bronze;
import io.hallmark.testing.SparkTestSupport;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Labels, leakage and fitting of the risk model on hand-built data. */
class RiskTrainingTest {
  static final LocalDate D = LocalDate.of(2024, 3, 31);
  static final Date SQL_D = Date.valueOf(D);

  static RiskFixtures history(boolean withXBlock) {
    RiskFixtures h = new RiskFixtures();
    for (String s : List.of("X", "Y", "Z", "W", "V", "U")) {
      h.registered(s, "2024-01-01T00:00:00Z", "US", s.equals("V") || s.equals("X") ? "shared-card" : null, null, null)
          .created("L-" + s, s, "2024-01-10T00:00:00Z", "P", null, "Home", 10.0, "US");
    }
    if (withXBlock) {
      h.accountEvent("X", "BLOCKED", "2024-04-01T00:00:00Z", "COUNTERFEIT"); // first instant after D: label
    }
    return h
        .accountEvent("Y", "BLOCKED", "2024-03-31T23:59:59.999Z", "COUNTERFEIT") // already blocked at D: left out
        .accountEvent("Z", "BLOCKED", "2024-06-29T23:59:59.999Z", "COUNTERFEIT") // last instant of D + 90 days: label
        .accountEvent("W", "BLOCKED", "2024-06-30T00:00:00Z", "COUNTERFEIT") // D + 91 days: outside the window
        .accountEvent("U", "BLOCKED", "2024-02-01T00:00:00Z", "FRAUD")
        .accountEvent("U", "REINSTATED", "2024-02-05T00:00:00Z", null); // reinstated: trainable, label 0
  }

  @Test
  void labelWindowIsTheNinetyDaysAfterAsOfAndBlockedSellersAreLeftOut() {
    Bronze bronze = history(true).bronze();
    Dataset<Row> dates = RiskTables.asOfDates(spark(), List.of(D));
    Dataset<Row> sellers = SellerFeatures.sellers(SellerFeatures.listingStates(bronze.listingEvents(), dates));
    SparkTestSupport.assertRows("as_of DATE NOT NULL, seller_id STRING, label DOUBLE NOT NULL", List.of(
        row(SQL_D, "X", 1.0), row(SQL_D, "Z", 1.0), row(SQL_D, "W", 0.0), row(SQL_D, "V", 0.0), row(SQL_D, "U", 0.0)),
        RiskTraining.labels(sellers, bronze.accountEvents(), dates, 90));
  }

  @Test
  void aSellersOwnBlockChangesNoneOfItsFeaturesButCountsForItsLinkedAccounts() {
    SellerFeatures.Params p = new SellerFeatures.Params(0.01, 20, 25, 10, "jewel|watch|bag", 1000);
    List<LocalDate> asOfs = List.of(D, D.plusDays(1), D.plusDays(30));
    Dataset<Row> dates = RiskTables.asOfDates(spark(), asOfs);
    List<Row> withBlock = SellerFeatures.compute(history(true).bronze(), dates, p).filter(col("seller_id").isin("X", "V"))
        .orderBy("as_of", "seller_id").collectAsList();
    List<Row> withoutBlock = SellerFeatures.compute(history(false).bronze(), dates, p).filter(col("seller_id").isin("X", "V"))
        .orderBy("as_of", "seller_id").collectAsList();
    assertEquals(6, withBlock.size());
    for (int i = 0; i < withBlock.size(); i++) {
      Row a = withBlock.get(i);
      Row b = withoutBlock.get(i);
      if (a.getString(0).equals("X")) {
        assertEquals(b, a, "X's features must not see X's own block, as of " + a.getDate(1));
      } else {
        boolean afterBlock = !a.getDate(1).toLocalDate().isBefore(D.plusDays(1));
        assertEquals(afterBlock ? 1.0 : 0.0, a.getDouble(a.fieldIndex("linked_blocked_direct")),
            "V shares a card with X, blocked on " + D.plusDays(1) + "; as of " + a.getDate(1));
      }
    }
  }

  @Test
  void snapshotsCloseTheirLabelWindowsByTheTrainingDate() {
    RiskSettings s = RiskSettings.from(HallmarkConfig.defaults());
    List<LocalDate> snapshots = RiskTraining.snapshotDates(D, s);
    assertEquals(D.minusDays(90), snapshots.get(0));
    assertEquals(D.minusDays(90 + 30L * (s.snapshots() - 1)), snapshots.get(snapshots.size() - 1));
  }

  @Test
  void splitKeepsEachLinkedGroupOnOneSide() {
    Date newest = Date.valueOf("2024-01-01");
    Date older = Date.valueOf("2023-12-01");
    StructType labelledSchema = new StructType().add("as_of", DataTypes.DateType).add("seller_id", DataTypes.StringType)
        .add("label", DataTypes.DoubleType);
    List<Row> labelled = new ArrayList<>();
    List<Row> groups = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      labelled.add(RowFactory.create(newest, "s" + i, 0.0));
      labelled.add(RowFactory.create(older, "s" + i, 0.0));
      groups.add(RowFactory.create("s" + i, "g" + (i / 4))); // groups of four
    }
    StructType groupSchema = new StructType().add("account_id", DataTypes.StringType).add("component", DataTypes.StringType);
    Dataset<Row> split = RiskTraining.split(spark().createDataFrame(labelled, labelledSchema),
        spark().createDataFrame(groups, groupSchema), newest.toLocalDate(), 30);
    List<Row> sides = split.join(spark().createDataFrame(groups, groupSchema).withColumnRenamed("account_id", "seller_id"),
            new String[] {"seller_id"}, "inner")
        .filter(col("side").notEqual("unused"))
        .groupBy("component").agg(org.apache.spark.sql.functions.collect_set("side").as("sides"),
            org.apache.spark.sql.functions.collect_set("as_of").as("dates"))
        .collectAsList();
    long validationGroups = 0;
    for (Row r : sides) {
      List<Object> s = r.getList(1);
      assertEquals(1, s.size(), "group " + r.getString(0) + " on both sides");
      if (s.get(0).equals("validation")) {
        validationGroups++;
        assertEquals(List.of(newest), r.getList(2));
      } else {
        assertEquals(List.of(older), r.getList(2));
      }
    }
    assertEquals(50, sides.size(), "every group is used on exactly one side");
    assertTrue(validationGroups > 5 && validationGroups < 30, "about 30 % of 50 groups: " + validationGroups);
  }

  @Test
  void trainedModelInScoringFormGivesMllibsProbabilities() {
    // two informative features, the rest constant; labels drawn from a known logistic model
    Random random = new Random(7);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      List<Object> v = new ArrayList<>(List.of("s" + i, Date.valueOf("2024-01-01")));
      double share = random.nextDouble();
      double links = random.nextInt(4);
      double logit = -3 + 4 * share + 1.0 * links;
      for (String f : SellerFeatures.FEATURES) {
        v.add(f.equals("share_below_half_ref") ? share : f.equals("linked_blocked_direct") ? links : 1.0);
      }
      v.add(random.nextDouble() < 1 / (1 + Math.exp(-logit)) ? 1.0 : 0.0);
      v.add("train");
      rows.add(RowFactory.create(v.toArray()));
    }
    StructType schema = RiskTables.FEATURES_SCHEMA.add("label", DataTypes.DoubleType).add("side", DataTypes.StringType);
    Dataset<Row> data = spark().createDataFrame(rows, schema);
    RiskSettings s = RiskSettings.from(HallmarkConfig.defaults());
    RiskTraining.Fitted fitted = RiskTraining.fit(data, "lr-test", D, s, RiskModel.fromConfig(HallmarkConfig.defaults()));
    RiskModel model = fitted.model();
    assertTrue(model.weights().get("share_below_half_ref") > 0);
    assertTrue(model.weights().get("linked_blocked_direct") > 0);
    assertEquals(0.0, model.weights().get("valid_notices"), 0.0); // constant feature
    assertEquals(300L, model.metrics().get("train_rows"));

    List<Row> ours = model.score(data.select(RiskTables.FEATURES_SCHEMA.fieldNames()[0],
            java.util.Arrays.copyOfRange(RiskTables.FEATURES_SCHEMA.fieldNames(), 1, RiskTables.FEATURES_SCHEMA.size())))
        .orderBy("seller_id").collectAsList();
    // MLlib's margin (rawPrediction[1]) is the scoring form's logit; the score is its Platt-scaled probability
    List<Row> mllib = fitted.pipeline().transform(data).orderBy("seller_id").select("rawPrediction").collectAsList();
    RiskModel.Calibration c = model.calibration();
    for (int i = 0; i < ours.size(); i++) {
      double margin = ((Vector) mllib.get(i).get(0)).apply(1);
      assertEquals(1 / (1 + Math.exp(-(c.slope() * margin + c.offset()))), ours.get(i).getDouble(2), 1e-9, "row " + i);
    }
    // fitted on the rows' own labels, drawn from the model's form: nearly the identity
    assertEquals(1.0, c.slope(), 0.25);
    Map<String, Object> metrics = model.metrics();
    assertTrue(metrics.containsKey("train_roc_auc"));
  }

  @Test
  void plattScalingRecoversTheSlopeAndOffsetOfAnOverConfidentLogit() {
    // labels drawn with P(1) = sigmoid(0.4 * logit - 1): a model whose logit is 2.5 times too sure
    Random random = new Random(11);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 4000; i++) {
      double logit = -10 + 20 * random.nextDouble();
      rows.add(RowFactory.create(logit, random.nextDouble() < 1 / (1 + Math.exp(-(0.4 * logit - 1))) ? 1.0 : 0.0));
    }
    StructType schema = new StructType().add("raw", DataTypes.DoubleType).add("label", DataTypes.DoubleType);
    RiskModel.Calibration c = RiskTraining.platt(spark().createDataFrame(rows, schema),
        org.apache.spark.sql.functions.col("raw"), "test rows");
    assertEquals(0.4, c.slope(), 0.04);
    assertEquals(-1.0, c.offset(), 0.15);
    assertEquals(1 / (1 + Math.exp(-(0.4 * 5 - 1))), c.probability(5), 0.02);

    // a logit that does not rank the rows gives no calibration (it would reverse or flatten the scores)
    List<Row> reversed = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      reversed.add(RowFactory.create((double) i, i < 200 ? 1.0 : 0.0));
    }
    io.hallmark.config.JobFailure refused = org.junit.jupiter.api.Assertions.assertThrows(io.hallmark.config.JobFailure.class,
        () -> RiskTraining.platt(spark().createDataFrame(reversed, schema), org.apache.spark.sql.functions.col("raw"), "reversed"));
    assertTrue(refused.getMessage().contains("no positive relation"), refused.getMessage());
  }

  @Test
  void trainingRefusesAModelFittedOnTooFewBlockedSellers() {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      List<Object> v = new ArrayList<>(List.of("s" + i, SQL_D));
      for (String f : SellerFeatures.FEATURES) {
        v.add(f.equals("share_below_half_ref") ? (i < 5 ? 0.9 : 0.1) : 1.0);
      }
      v.add(i < 5 ? 1.0 : 0.0); // 5 positives, below the default min-positives of 40
      v.add("train");
      rows.add(RowFactory.create(v.toArray()));
    }
    StructType schema = RiskTables.FEATURES_SCHEMA.add("label", DataTypes.DoubleType).add("side", DataTypes.StringType);
    io.hallmark.config.JobFailure refused = org.junit.jupiter.api.Assertions.assertThrows(io.hallmark.config.JobFailure.class,
        () -> RiskTraining.fit(spark().createDataFrame(rows, schema), "lr-test", D, RiskSettings.from(HallmarkConfig.defaults()),
            RiskModel.fromConfig(HallmarkConfig.defaults())));
    assertTrue(refused.getMessage().contains("hold 5 COUNTERFEIT-blocked sellers (rows labelled 1) out of 200, fewer than"
        + " hallmark.risk.training.min-positives = 40"), refused.getMessage());
  }
}
