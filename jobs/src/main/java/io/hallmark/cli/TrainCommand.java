package io.hallmark.cli;

import io.hallmark.config.HallmarkConfig;
import io.hallmark.jobs.Console;
import io.hallmark.risk.RiskModel;
import io.hallmark.risk.TrainJob;
import java.time.LocalDate;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true,
    description = {"Train the seller counterfeit-risk model as of a date.",
        "Label: a COUNTERFEIT block within 90 days after each training snapshot (snapshots before D, all windows closed by D).",
        "Calibrated by Platt scaling on the held-out newest snapshot (D - 90), which also gives the conf default's numbers.",
        "Saves models/risk/lr-<D>/ (model.json with coefficients, calibration, bands and metrics, and the MLlib pipeline)."})
public class TrainCommand extends SparkCommand {
  @Option(names = "--as-of", required = true, paramLabel = "YYYY-MM-DD", description = "Training date: nothing after its end is used.")
  LocalDate asOf;

  @Option(names = "--as-known", description = {"Read bronze as known then: each snapshot sees only the rows ingest runs of its"
      + " date or earlier brought in (ops/ingest_runs), not rows that arrived later. Default: event time."})
  boolean asKnown;

  @Override
  protected int run(SparkSession spark, HallmarkConfig config) throws Exception {
    long start = System.nanoTime();
    RiskModel model = new TrainJob().run(spark, config, asOf, asKnown);
    Console.step(1, 1, "train " + model.version(), ((Number) model.metrics().get("train_rows")).longValue(),
        (System.nanoTime() - start) / 1e9);
    Console.info("saved model " + config.paths().models("risk") + "/" + model.version() + ":\n" + model.describe());
    return Hallmark.EXIT_OK;
  }
}
