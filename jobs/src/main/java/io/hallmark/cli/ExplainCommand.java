package io.hallmark.cli;

import io.hallmark.config.ConfigError;
import io.hallmark.config.HallmarkConfig;
import io.hallmark.jobs.Console;
import io.hallmark.risk.CaseFile;
import io.hallmark.risk.ExplainJob;
import java.time.LocalDate;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "explain", mixinStandardHelpOptions = true,
    description = {"Print (and write as JSON) the case file of one seller on one date: its risk score, every feature",
        "with the seller's value, the marketplace baseline (median seller, average seller or pooled rate: each row",
        "says which), the model's contribution and the evidence sentence; the accounts sharing its payment card,",
        "device or address and their blocks; its listings priced against the catalog reference; and its timeline",
        "of blocks, notices and complaints. Point in time: nothing after the end of --as-of (UTC) is read."})
public class ExplainCommand extends SparkCommand {
  @Option(names = "--seller", required = true, paramLabel = "ID", description = "The seller's account_id.")
  String seller;

  @Option(names = "--as-of", required = true, paramLabel = "YYYY-MM-DD", description = "The date of the case file.")
  LocalDate asOf;

  @Option(names = "--model", paramLabel = "VERSION",
      description = "Model version (default: latest trained on or before --as-of, else the conf default).")
  String model;

  @Option(names = "--json", paramLabel = "URI", description = "Also write the case file as JSON here (a Hadoop URI or a local path).")
  String json;

  @Option(names = "--as-known", description = {"Read bronze as known then: the case file sees only the rows ingest runs of its"
      + " date or earlier brought in (ops/ingest_runs), not rows that arrived later. Default: event time."})
  boolean asKnown;

  @Override
  protected void validate(HallmarkConfig config) {
    if (seller.isBlank()) {
      throw new ConfigError("--seller is empty: give the seller's account_id");
    }
  }

  @Override
  protected int run(SparkSession spark, HallmarkConfig config) {
    long start = System.nanoTime();
    Map<String, Object> caseFile = new ExplainJob().run(spark, config, seller, asOf, model, asKnown);
    Console.step(1, 1, "explain " + seller, 1, (System.nanoTime() - start) / 1e9);
    Console.info(CaseFile.render(caseFile));
    if (json != null) {
      ExplainJob.writeJson(spark, json, caseFile);
      Console.info("wrote " + json);
    }
    return Hallmark.EXIT_OK;
  }
}
