package io.hallmark.risk;

import static io.hallmark.testing.SparkTestSupport.spark;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hallmark.config.HallmarkConfig;
import io.hallmark.config.JobFailure;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The published tables: schema, one row per seller, idempotent per date, other dates untouched. */
class RiskJobsTest {
  @TempDir Path lake;

  static final LocalDate D = LocalDate.of(2024, 3, 10);

  private static List<String> content(Dataset<Row> df) {
    List<String> out = new ArrayList<>();
    for (Row r : df.collectAsList()) {
      out.add(r.toString());
    }
    out.sort(null);
    return out;
  }

  @Test
  void scoringTheSameDateTwicePublishesIdenticalContentAndKeepsOtherDates() throws Exception {
    HallmarkConfig config = HallmarkConfig.defaults().with("hallmark.lake", lake.toString());
    SellerFeaturesTest.history().writeLake(config);
    assertThrows(JobFailure.class, () -> new ScoreJob().run(spark(), config, D), "features must exist first");

    new FeaturesJob().run(spark(), config, D.minusDays(1));
    new ScoreJob().run(spark(), config, D.minusDays(1));
    new FeaturesJob().run(spark(), config, D);
    new ScoreJob().run(spark(), config, D);
    Dataset<Row> scoresPath = spark().read().format("delta").load(config.paths().gold(RiskTables.SCORES));
    Dataset<Row> featuresPath = spark().read().format("delta").load(config.paths().gold(RiskTables.FEATURES));
    List<String> scores1 = content(scoresPath);
    List<String> features1 = content(featuresPath);

    new FeaturesJob().run(spark(), config, D);
    new ScoreJob().run(spark(), config, D);
    Dataset<Row> scoresAgain = spark().read().format("delta").load(config.paths().gold(RiskTables.SCORES));
    assertEquals(scores1, content(scoresAgain));
    assertEquals(features1, content(spark().read().format("delta").load(config.paths().gold(RiskTables.FEATURES))));

    assertEquals(Arrays.asList(RiskTables.SCORES_SCHEMA.fieldNames()), Arrays.asList(scoresAgain.columns()));
    assertEquals(RiskTables.SCORES_SCHEMA.simpleString(), scoresAgain.schema().asNullable().simpleString());
    // S1 and S2 on both dates (S3's first listing is after D); nothing duplicated
    assertEquals(4, scores1.size());
    assertEquals(2, RiskTables.readScores(spark(), config, D.minusDays(1)).count());
    Row s1 = RiskTables.readScores(spark(), config, D).filter("seller_id = 'S1'").head();
    assertEquals("conf-default-v1", s1.getString(s1.fieldIndex("model_version")));
  }
}
