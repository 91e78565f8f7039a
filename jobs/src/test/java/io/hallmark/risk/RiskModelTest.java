package io.hallmark.risk;

import static io.hallmark.testing.SparkTestSupport.spark;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hallmark.config.HallmarkConfig;
import java.sql.Date;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

/** Scores and reason codes of the linear model on hand-built feature rows. */
class RiskModelTest {

  /** A model with round weights; baselines 0 except account age. */
  static RiskModel handModel() {
    Map<String, Double> w = new LinkedHashMap<>();
    Map<String, Double> b = new LinkedHashMap<>();
    for (String f : SellerFeatures.FEATURES) {
      w.put(f, 0.0);
      b.put(f, 0.0);
    }
    w.put("linked_blocked_direct", 2.0);
    w.put("share_below_half_ref", 4.0);
    w.put("external_referral_share", 3.0);
    w.put("account_age_days", -0.01);
    b.put("account_age_days", 365.0);
    w.put("valid_notices", 1.0);
    return new RiskModel("hand-v1", null, -4.0, w, b, Map.of(), new RiskModel.Bands(0.25, 0.5, 0.8),
        RiskModel.Calibration.NONE);
  }

  static Row features(String seller, Map<String, Double> values) {
    List<Object> v = new ArrayList<>();
    v.add(seller);
    v.add(Date.valueOf("2024-06-30"));
    for (String f : SellerFeatures.FEATURES) {
      v.add(values.getOrDefault(f, f.equals("account_age_days") ? 365.0 : 0.0));
    }
    return RowFactory.create(v.toArray());
  }

  @Test
  void reasonsNameTheFeaturesThatDroveAHighScore() {
    Row ring = features("ring", Map.of(
        "linked_blocked_direct", 2.0,      // 2 * 2    = 4.0
        "share_below_half_ref", 0.9,       // 4 * 0.9  = 3.6
        "external_referral_share", 0.5,    // 3 * 0.5  = 1.5
        "account_age_days", 300.0,         // -0.01 * (300 - 365) = 0.65
        "valid_notices", 0.0));
    Row honest = features("honest", Map.of("account_age_days", 1000.0, "external_referral_share", 0.1));
    List<Row> out = handModel().score(spark().createDataFrame(List.of(ring, honest), RiskTables.FEATURES_SCHEMA))
        .orderBy("seller_id").collectAsList();
    Row r = out.get(1);
    assertEquals("ring", r.getString(0));
    double logit = -4.0 + 4.0 + 3.6 + 1.5 + 0.65;
    assertEquals(1 / (1 + Math.exp(-logit)), r.getDouble(2), 1e-12);
    assertEquals("CRITICAL", r.getString(3));
    assertEquals("linked_blocked_direct", r.getString(4));
    assertEquals(4.0, r.getDouble(5), 1e-12);
    assertEquals("share_below_half_ref", r.getString(6));
    assertEquals(3.6, r.getDouble(7), 1e-12);
    assertEquals("external_referral_share", r.getString(8));
    assertEquals(1.5, r.getDouble(9), 1e-12);
    assertEquals("hand-v1", r.getString(10));

    Row h = out.get(0);
    double honestLogit = -4.0 + 3 * 0.1 - 0.01 * (1000 - 365);
    assertEquals(1 / (1 + Math.exp(-honestLogit)), h.getDouble(2), 1e-12);
    assertEquals("LOW", h.getString(3));
    assertEquals("external_referral_share", h.getString(4)); // the only positive push
    assertEquals(0.3, h.getDouble(5), 1e-12);
  }

  @Test
  void confDefaultModelReadsEveryFeatureFromConf() {
    RiskModel model = RiskModel.fromConfig(HallmarkConfig.defaults());
    assertEquals("conf-default-v1", model.version());
    assertEquals(SellerFeatures.FEATURES, new ArrayList<>(model.weights().keySet()));
    assertEquals(-4.0, model.intercept(), 0);
    assertEquals(2.0, model.weights().get("linked_blocked_direct"), 0);
    assertEquals(365.0, model.baselines().get("account_age_days"), 0);
  }
}
