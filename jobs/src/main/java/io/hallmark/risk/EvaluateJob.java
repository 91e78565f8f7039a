package io.hallmark.risk;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import io.hallmark.lake.Bronze;
import io.hallmark.config.ConfigError;
import io.hallmark.config.HadoopFiles;
import io.hallmark.config.HallmarkConfig;
import io.hallmark.lake.BronzeReader;
import java.io.IOException;
import io.hallmark.lake.HarmPrevented;
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
  /** @param truthFile the ground truth's URI (see {@link #readTruth}) */
  public Map<String, Object> run(SparkSession spark, HallmarkConfig config, LocalDate asOf, String truthFile, String modelVersion) {
    return run(spark, config, asOf, truthFile, modelVersion, false);
  }

  /** {@code asKnown}: every scored date sees only the rows ingested by its date's run ({@link RiskTables#asKnownOnEachDate}). */
  public Map<String, Object> run(SparkSession spark, HallmarkConfig config, LocalDate asOf, String truthFile, String modelVersion,
      boolean asKnown) {
    RiskSettings s = RiskSettings.from(config);
    Dataset<Row> truth = readTruth(spark, truthFile);
    RiskModel model = RiskModel.choose(spark, config, modelVersion, asOf);
    List<LocalDate> dates = RiskEvaluation.evaluationDates(asOf, s);
    // the calibration is checked where the event's window has closed by D: the scores of D - horizon
    LocalDate calibrationDate = asOf.minusDays(s.horizonDays());
    java.util.TreeSet<LocalDate> scoredDates = new java.util.TreeSet<>(dates);
    scoredDates.add(calibrationDate);
    Bronze bronze = BronzeReader.readBronze(spark, config.paths(), RiskTables.BRONZE_TABLES, null);
    if (asKnown) {
      bronze = RiskTables.asKnownOnEachDate(spark, config, bronze, asOf);
    }
    Dataset<Row> allFeatures = SellerFeatures.compute(bronze,
        RiskTables.asOfDates(spark, new java.util.ArrayList<>(scoredDates)), SellerFeatures.Params.of(s)).cache();
    Dataset<Row> allScores = model.score(allFeatures).select("seller_id", "as_of", "risk_score", "risk_band").cache();
    Dataset<Row> scores = allScores.filter(col("as_of").isin(dates.stream().map(java.sql.Date::valueOf).toArray()));

    Dataset<Row> atDate = scores.filter(col("as_of").equalTo(lit(java.sql.Date.valueOf(asOf))))
        .join(truth, new String[] {"seller_id"}, "left")
        .select(col("seller_id"), col("risk_score"), col("risk_band"),
            org.apache.spark.sql.functions.coalesce(col("label"), lit(0.0)).as("label"),
            col("label").isNull().as("missing_truth"));
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("as_of", asOf.toString());
    result.put("model_version", model.version());
    result.put("truth_file", truthFile);
    result.put("rows_seen", RiskTables.rowsSeen(asKnown, asOf));
    result.put("scored_dates", dates.size());
    result.put("sellers_missing_from_truth", atDate.filter(col("missing_truth")).count());
    result.putAll(RiskEvaluation.rankingMetrics(atDate));
    if (result.containsKey("pr_auc")) {
      result.put("single_signals", singleSignals(spark, allFeatures, bronze, truth, asOf, s));
    }

    Dataset<Row> counterfeitBlocks = RiskEvaluation.firstCounterfeitBlocks(bronze.accountEvents(), asOf)
        .join(truth.filter(col("label").equalTo(1.0)), new String[] {"seller_id"}, "left_semi");
    LocalDate windowStart = asOf.minusDays(s.leadWindowDays());
    result.putAll(RiskEvaluation.leadTimeSummary(RiskEvaluation.leadTimes(scores, counterfeitBlocks, windowStart, asOf)));
    result.put("lead_window", "(" + windowStart + ", " + asOf + "], scores every " + s.evaluationStepDays()
        + " days back to " + asOf.minusDays(s.backfillDays()));
    result.put("band_stability", RiskEvaluation.bandStability(scores));
    result.put("calibration", calibration(spark, allScores, bronze, asOf, calibrationDate, s));
    result.put("harm_prevented", harmPrevented(spark, config, bronze, asOf.minusDays(s.backfillDays()), windowStart, asOf));
    allScores.unpersist();
    allFeatures.unpersist();
    return result;
  }

  /**
   * PR-AUC of each feature alone on D, and of the plain count of counterfeit complaints (what an analyst
   * sorts by without a model), each in its better direction: {@link RiskEvaluation#singleSignals}.
   */
  static Map<String, Map<String, Object>> singleSignals(SparkSession spark, Dataset<Row> features,
      Bronze bronze, Dataset<Row> truth, LocalDate asOf, RiskSettings s) {
    Dataset<Row> date = RiskTables.asOfDates(spark, List.of(asOf));
    Dataset<Row> complaints = SellerFeatures.sellerTagOrders(bronze.orders(), bronze.complaints(), date,
            s.broadcastComplainedOrdersMax())
        .groupBy("seller_id").agg(org.apache.spark.sql.functions.sum("cf").as("counterfeit_complaints"));
    Dataset<Row> labelled = features.filter(col("as_of").equalTo(lit(java.sql.Date.valueOf(asOf))))
        .join(complaints, new String[] {"seller_id"}, "left")
        .join(truth, new String[] {"seller_id"}, "left")
        .withColumn("counterfeit_complaints", org.apache.spark.sql.functions.coalesce(col("counterfeit_complaints"), lit(0L)))
        .withColumn("label", org.apache.spark.sql.functions.coalesce(col("label"), lit(0.0)));
    List<String> signals = new java.util.ArrayList<>(SellerFeatures.FEATURES);
    signals.add("counterfeit_complaints");
    return RiskEvaluation.singleSignals(labelled, signals);
  }

  /**
   * The reliability table and ECE of the scores of {@code calibrationDate} against the event they are the
   * probability of (a COUNTERFEIT block in the horizon after it, from account events known by the end of
   * asOf), over the sellers not blocked at its cutoff: the population training labels.
   */
  static Map<String, Object> calibration(SparkSession spark, Dataset<Row> scores, Bronze bronze,
      LocalDate asOf, LocalDate calibrationDate, RiskSettings s) {
    Dataset<Row> knownAtD = RiskTables.asOfDates(spark, List.of(asOf));
    Dataset<Row> accountEventsAtD = bronze.accountEvents()
        .join(org.apache.spark.sql.functions.broadcast(knownAtD), col("event_time").lt(col("cutoff")), "left_semi");
    Dataset<Row> atDate = scores.filter(col("as_of").equalTo(lit(java.sql.Date.valueOf(calibrationDate))));
    Dataset<Row> labelled = RiskTraining.labels(atDate, accountEventsAtD,
            RiskTables.asOfDates(spark, List.of(calibrationDate)), s.horizonDays())
        .join(atDate, new String[] {"as_of", "seller_id"}, "inner")
        .select("seller_id", "risk_score", "label");
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("scored_date", calibrationDate.toString());
    m.put("event", "blocked for COUNTERFEIT in (" + calibrationDate + ", " + asOf + "] (" + s.horizonDays()
        + " days), sellers not blocked at the end of " + calibrationDate);
    m.putAll(RiskEvaluation.reliability(labelled, s.reliabilityBins()));
    return m;
  }

  /**
   * What acting on the published scores would have prevented ({@link HarmPrevented}) for the sellers first
   * blocked for COUNTERFEIT in the lead window; null when no scores were ever published. The published
   * scores, not this evaluation's: they are the ones that stood each day (and are daily).
   */
  static Map<String, Object> harmPrevented(SparkSession spark, HallmarkConfig config, Bronze bronze,
      LocalDate scoresFrom, LocalDate windowStart, LocalDate asOf) {
    Dataset<Row> published = RiskTables.readPublishedBands(spark, config);
    if (published == null) {
      return null;
    }
    Dataset<Row> perSeller = HarmPrevented.perSeller(published, bronze.accountEvents(), bronze.orders(), bronze.complaints(),
        scoresFrom, windowStart, asOf);
    return HarmPrevented.summary(perSeller, published, scoresFrom, windowStart, asOf);
  }

  /** A ConfigError (exit 2) unless {@code truthFile} is a file, checked through Hadoop's FileSystem. */
  public static void requireTruthFile(org.apache.hadoop.conf.Configuration hadoop, String truthFile) {
    boolean found;
    try {
      found = HadoopFiles.isFile(hadoop, truthFile);
    } catch (IOException e) {
      throw new ConfigError("cannot read the ground-truth file " + truthFile + ": " + e.getMessage() + " (check --truth)", e);
    }
    if (!found) {
      throw new ConfigError("ground-truth file not found: " + truthFile + " (check --truth)");
    }
  }

  /**
   * seller_id -> label 1.0/0.0 from the generator's ground truth file, a URI on any Hadoop file system (or a
   * path on the default one), read by Spark where it is: never through the driver's disk.
   */
  public static Dataset<Row> readTruth(SparkSession spark, String truthFile) {
    requireTruthFile(spark.sparkContext().hadoopConfiguration(), truthFile);
    Dataset<Row> raw = spark.read().option("header", "true").csv(truthFile);
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
