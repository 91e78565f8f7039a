package io.hallmark.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hallmark.config.HadoopFiles;
import io.hallmark.config.HallmarkConfig;
import io.hallmark.jobs.Console;
import io.hallmark.risk.EvaluateJob;
import io.hallmark.risk.RiskEvaluation;
import java.io.IOException;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = {"Evaluate risk scores against a ground-truth file (seller_id,is_counterfeit[,scheme]).",
        "Scores D, the 6 days before it and every 7 days back 180 days in memory (nothing is published);",
        "prints PR-AUC, ROC-AUC, precision/recall@k, HIGH+CRITICAL recall, median lead time, band stability,",
        "and the reliability table (predicted vs observed per score decile) and expected calibration error of the",
        "scores of D - 90 days against COUNTERFEIT blocks in the 90 days after them; and the harm acting on the",
        "published scores would have prevented: for sellers first blocked for COUNTERFEIT in the 90 days to D, the orders,",
        "counterfeit complaints and sales from the end of the first day they were published HIGH to their block."})
public class EvaluateCommand extends SparkCommand {
  @Option(names = "--as-of", required = true, paramLabel = "YYYY-MM-DD", description = "Evaluation date.")
  LocalDate asOf;

  @Option(names = "--truth", required = true, paramLabel = "FILE",
      description = "Ground truth CSV (the generator's ground_truth.csv): a Hadoop URI or a path on the default file system.")
  String truth;

  @Option(names = "--model", paramLabel = "VERSION", description = "Model version (default: latest trained on or before --as-of, else conf default).")
  String model;

  @Option(names = "--json-out", paramLabel = "FILE", description = "Also write the metrics as JSON here (a URI or path, as --truth).")
  String jsonOut;

  @Option(names = "--as-known", description = {"Read bronze as known then: each scored date sees only the rows ingest runs of its"
      + " date or earlier brought in (ops/ingest_runs), not rows that arrived later. Default: event time."})
  boolean asKnown;

  @Override
  protected void validate(HallmarkConfig config) {
    EvaluateJob.requireTruthFile(config.hadoop(), config.qualify(truth));
  }

  @Override
  protected int run(SparkSession spark, HallmarkConfig config) throws Exception {
    long start = System.nanoTime();
    Map<String, Object> metrics = new EvaluateJob().run(spark, config, asOf, config.qualify(truth), model, asKnown);
    Console.step(1, 1, "evaluate", ((Number) metrics.get("sellers")).longValue(), (System.nanoTime() - start) / 1e9);
    StringBuilder table = new StringBuilder("evaluation as of " + asOf + "\n");
    for (Map.Entry<String, Object> e : metrics.entrySet()) {
      Object v = e.getValue();
      if (e.getKey().equals("harm_prevented")) {
        @SuppressWarnings("unchecked")
        Map<String, Object> harm = (Map<String, Object>) v;
        table.append("  harm prevented: ").append(harm == null ? "no published scores (gold.seller_risk_scores)"
            : io.hallmark.lake.HarmPrevented.sentence(harm)).append('\n');
        continue;
      }
      if (e.getKey().equals("calibration")) {
        @SuppressWarnings("unchecked")
        Map<String, Object> c = (Map<String, Object>) v;
        table.append(String.format(Locale.ROOT, "  %-28s %.4f%n", "expected_calibration_error",
            (Double) c.get("expected_calibration_error")));
        table.append("  reliability of the scores of " + c.get("scored_date") + " (risk_score = probability of the event: "
            + c.get("event") + "):\n");
        table.append(RiskEvaluation.reliabilityTable(c).indent(4));
        continue;
      }
      if (e.getKey().equals("single_signals")) {
        // each signal alone (its better direction), best first: what the score must beat
        table.append("  PR-AUC of each signal alone (best first):\n");
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> signals = (Map<String, Map<String, Object>>) v;
        signals.forEach((name, m) -> table.append(String.format(Locale.ROOT, "    %-34s %.4f  (%s is riskier)%n",
            name, (Double) m.get("pr_auc"), m.get("riskier"))));
        continue;
      }
      String shown = v instanceof Double d ? String.format(Locale.ROOT, "%.4f", d) : String.valueOf(v);
      table.append(String.format(Locale.ROOT, "  %-28s %s%n", e.getKey(), shown));
    }
    Console.info(table.toString().stripTrailing());
    if (jsonOut != null) {
      String target = config.qualify(jsonOut);
      HadoopFiles.writeString(spark.sparkContext().hadoopConfiguration(), target,
          new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(metrics));
      Console.info("wrote " + target);
    }
    return Hallmark.EXIT_OK;
  }
}
