package io.hallmark.risk;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import io.hallmark.config.ConfigError;
import io.hallmark.config.HallmarkConfig;
import java.io.File;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code hallmark evaluate --as-of D --truth FILE}: scores every seller on D, the days before it
 * (stability) and weekly back to D - backfill-days (lead time), in memory with one model, and
 * compares them with the ground truth (CSV with header: seller_id, is_counterfeit[, scheme]).
 * Nothing is published: evaluating never changes the lake.
 */
public class EvaluateJob {
  public Map<String, Object> run(SparkSession spark, HallmarkConfig config, LocalDate asOf, File truthFile, String modelVersion) {
    RiskSettings s = RiskSettings.from(config);
    Dataset<Row> truth = readTruth(spark, truthFile);
    RiskModel model = RiskModel.choose(spark, config, modelVersion, asOf);
    List<LocalDate> dates = RiskEvaluation.evaluationDates(asOf, s);
    RiskTables.Bronze bronze = RiskTables.readBronze(spark, config);
    Dataset<Row> scores = model.score(
            SellerFeatures.compute(bronze, RiskTables.asOfDates(spark, dates), SellerFeatures.Params.of(s)))
        .select("seller_id", "as_of", "risk_score", "risk_band").cache();

    Dataset<Row> atDate = scores.filter(col("as_of").equalTo(lit(java.sql.Date.valueOf(asOf))))
        .join(truth, new String[] {"seller_id"}, "left")
        .select(col("seller_id"), col("risk_score"), col("risk_band"),
            org.apache.spark.sql.functions.coalesce(col("label"), lit(0.0)).as("label"),
            col("label").isNull().as("missing_truth"));
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("as_of", asOf.toString());
    result.put("model_version", model.version());
    result.put("truth_file", truthFile.getPath());
    result.put("scored_dates", dates.size());
    result.put("sellers_missing_from_truth", atDate.filter(col("missing_truth")).count());
    result.putAll(RiskEvaluation.rankingMetrics(atDate));

    Dataset<Row> counterfeitBlocks = RiskEvaluation.firstCounterfeitBlocks(bronze.accountEvents(), asOf)
        .join(truth.filter(col("label").equalTo(1.0)), new String[] {"seller_id"}, "left_semi");
    LocalDate windowStart = asOf.minusDays(s.leadWindowDays());
    result.putAll(RiskEvaluation.leadTimeSummary(RiskEvaluation.leadTimes(scores, counterfeitBlocks, windowStart, asOf)));
    result.put("lead_window", "(" + windowStart + ", " + asOf + "], scores every " + s.evaluationStepDays()
        + " days back to " + asOf.minusDays(s.backfillDays()));
    result.put("band_stability", RiskEvaluation.bandStability(scores));
    scores.unpersist();
    return result;
  }

  /** seller_id -> label 1.0/0.0 from the generator's ground truth file. */
  static Dataset<Row> readTruth(SparkSession spark, File truthFile) {
    if (!truthFile.isFile()) {
      throw new ConfigError("ground-truth file not found: " + truthFile + " (check --truth)");
    }
    Dataset<Row> raw = spark.read().option("header", "true").csv(truthFile.getPath());
    List<String> columns = Arrays.asList(raw.columns());
    if (!columns.contains("seller_id") || !columns.contains("is_counterfeit")) {
      throw new ConfigError("ground-truth file " + truthFile + " needs columns seller_id and is_counterfeit, has " + columns);
    }
    Dataset<Row> typed = raw.select(col("seller_id"), lower(trim(col("is_counterfeit"))).as("flag"));
    long bad = typed.filter(col("seller_id").isNull().or(col("flag").isNull())
        .or(col("flag").isin("true", "false", "1", "0").equalTo(false))).count();
    if (bad > 0) {
      throw new ConfigError("ground-truth file " + truthFile + ": " + bad
          + " rows without seller_id or with is_counterfeit other than true/false/1/0");
    }
    return typed.select(col("seller_id"), when(col("flag").isin("true", "1"), 1.0).otherwise(0.0).as("label"))
        .dropDuplicates("seller_id");
  }
}
