package io.hallmark.risk;

import static org.apache.spark.sql.functions.col;

import io.hallmark.lake.Bronze;
import io.hallmark.config.HallmarkConfig;
import io.hallmark.config.JobFailure;
import io.hallmark.lake.BronzeReader;
import java.io.IOException;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code hallmark train --as-of D}: features at snapshot dates before D, labels from COUNTERFEIT
 * blocks in the 90 days after each snapshot (all closed by D), a time- and group-based split, and a
 * regularised logistic regression saved as models/risk/lr-D (re-training the same date replaces it).
 */
public class TrainJob {
  public RiskModel run(SparkSession spark, HallmarkConfig config, LocalDate asOf) throws IOException {
    return run(spark, config, asOf, false);
  }

  /** {@code asKnown}: each snapshot sees the rows ingested by its date's run, the labels those known by D. */
  public RiskModel run(SparkSession spark, HallmarkConfig config, LocalDate asOf, boolean asKnown) throws IOException {
    RiskSettings s = RiskSettings.from(config);
    List<LocalDate> snapshots = RiskTraining.snapshotDates(asOf, s);
    Bronze bronze = BronzeReader.readBronze(spark, config.paths(), RiskTables.BRONZE_TABLES, null);
    if (asKnown) {
      bronze = RiskTables.asKnownOnEachDate(spark, config, bronze, asOf);
    }
    // nothing after the end of D may be used, not even for labels (their windows close by D anyway)
    Dataset<Row> knownAtD = RiskTables.asOfDates(spark, List.of(asOf));
    Dataset<Row> accountEventsAtD = bronze.accountEvents()
        .join(org.apache.spark.sql.functions.broadcast(knownAtD), col("event_time").lt(col("cutoff")), "left_semi");
    Dataset<Row> snapshotDates = RiskTables.asOfDates(spark, snapshots);
    Dataset<Row> features = SellerFeatures.compute(bronze, snapshotDates, SellerFeatures.Params.of(s)).cache();
    Dataset<Row> labelled = RiskTraining.labels(features, accountEventsAtD, snapshotDates, s.horizonDays())
        .join(features, new String[] {"as_of", "seller_id"}, "inner");
    Dataset<Row> groups = LinkGraph.components(
        LinkGraph.fingerprintEdges(bronze.accountEvents(), knownAtD, s.maxFingerprintDegree()), s.maxGraphIterations());
    Dataset<Row> data = RiskTraining.split(labelled, groups, snapshots.get(0), s.validationGroupPercent()).cache();
    if (data.isEmpty()) {
      features.unpersist();
      throw new JobFailure("no sellers with listings before the training snapshots " + snapshots
          + "; train at a later --as-of (needs " + (s.horizonDays() + (s.snapshots() - 1) * s.snapshotStepDays())
          + " days of history before it)");
    }
    String version = "lr-" + asOf;
    RiskTraining.Fitted fitted = RiskTraining.fit(data, version, asOf, s, RiskModel.fromConfig(config));
    RiskModel model = fitted.model().withCalibration(fitted.model().calibration(), fitted.model().bands(),
        Map.of("rows_seen", RiskTables.rowsSeen(asKnown, asOf)));
    String root = config.paths().models("risk");
    model.save(spark, root);
    fitted.pipeline().write().overwrite().save(root + "/" + version + "/mllib-pipeline");
    data.unpersist();
    features.unpersist();
    return model;
  }
}
