package io.hallmark.risk;

import io.hallmark.config.HallmarkConfig;
import io.hallmark.jobs.NightlyStep;
import io.hallmark.jobs.StepResult;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Publishes gold.seller_features for as_of = runDate (replacing only that date). */
public class FeaturesJob implements NightlyStep {
  @Override
  public String name() {
    return "seller-features";
  }

  @Override
  public StepResult run(SparkSession spark, HallmarkConfig config, LocalDate runDate) {
    RiskSettings settings = RiskSettings.from(config);
    Dataset<Row> features = compute(spark, config, settings, List.of(runDate));
    RiskTables.writeFeatures(config, features, runDate);
    String path = config.paths().gold(RiskTables.FEATURES);
    long rows = RiskTables.readFeatures(spark, config, runDate) == null ? 0
        : RiskTables.readFeatures(spark, config, runDate).count();
    return new StepResult(rows, Map.of(), Map.of("gold." + RiskTables.FEATURES, RiskTables.version(spark, path)),
        Map.of("as_of", runDate.toString()));
  }

  /** Features of every seller for each date, in memory (training snapshots, evaluation backfills). */
  public static Dataset<Row> compute(SparkSession spark, HallmarkConfig config, RiskSettings settings, List<LocalDate> dates) {
    return SellerFeatures.compute(RiskTables.readBronze(spark, config), RiskTables.asOfDates(spark, dates),
        SellerFeatures.Params.of(settings));
  }
}
