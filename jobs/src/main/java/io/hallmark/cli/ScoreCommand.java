package io.hallmark.cli;

import io.hallmark.config.HallmarkConfig;
import io.hallmark.jobs.Console;
import io.hallmark.jobs.NightlyStep;
import io.hallmark.jobs.StepResult;
import io.hallmark.risk.FeaturesJob;
import io.hallmark.risk.ScoreJob;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "score", mixinStandardHelpOptions = true,
    description = {"Publish seller_features and seller_risk_scores for one date (replacing only that date).",
        "Model: --model VERSION, else the latest trained model with trained_as_of <= --as-of, else the conf default.",
        "risk_score: the probability of a COUNTERFEIT block within 90 days; each of the top three reasons with a",
        "sentence of evidence (the seller's value, the marketplace's, the orders or accounts behind it)."})
public class ScoreCommand extends SparkCommand {
  @Option(names = "--as-of", required = true, paramLabel = "YYYY-MM-DD", description = "Score as of the end of this UTC day.")
  LocalDate asOf;

  @Option(names = "--model", paramLabel = "VERSION",
      description = "Model version under models/risk (e.g. lr-2024-06-30), or the conf default's name (conf-default-v1).")
  String model;

  @Option(names = "--as-known", description = {"Read bronze as known then: the date sees only the rows ingest runs of its"
      + " date or earlier brought in (ops/ingest_runs), not rows that arrived later. Default: event time."})
  boolean asKnown;

  @Override
  protected int run(SparkSession spark, HallmarkConfig config) throws Exception {
    List<NightlyStep> steps = List.of(new FeaturesJob(asKnown), new ScoreJob(model, asKnown));
    int n = 0;
    for (NightlyStep step : steps) {
      long start = System.nanoTime();
      StepResult result = step.run(spark, config, asOf);
      Console.step(++n, steps.size(), step.name(), result.rows(), (System.nanoTime() - start) / 1e9);
      if (result.details().containsKey("model_version")) {
        Console.info("model_version = " + result.details().get("model_version"));
      }
    }
    return Hallmark.EXIT_OK;
  }
}
