package io.hallmark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hallmark.config.ConfigError;
import io.hallmark.config.HallmarkConfig;
import io.hallmark.config.JobFailure;
import io.hallmark.jobs.Console;
import io.hallmark.nightly.Demo;
import io.hallmark.nightly.NightlyJob;
import io.hallmark.nightly.RunRecord;
import io.hallmark.nightly.StepRecord;
import io.hallmark.spark.Sessions;
import java.time.Clock;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {
        "The first command to try: creates a random PII key in ./secrets/pii-key (if missing; owner-only),"
            + " generates a sample landing zone into the landing folder (if it is empty), runs the nightly job"
            + " for the end of the generated period, and prints where the tables and the report are.",
        "Running it again reuses the key and the landing zone and reruns the nightly (same tables)."})
public class DemoCommand implements Callable<Integer> {
  @Mixin
  LakeOptions lakeOptions;

  @Option(names = "--accounts", paramLabel = "N", defaultValue = "1000",
      description = "Accounts in the generated sample (default: ${DEFAULT-VALUE}); only used when the landing folder is empty.")
  int accounts;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
      description = "Seed of the sample generator (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--run-date", paramLabel = "YYYY-MM-DD", defaultValue = "2024-12-31",
      description = "Run date of the nightly (default: ${DEFAULT-VALUE}, the end of the generated period).")
  LocalDate runDate;

  /** The report step records its output folder as "out" in its details (JSON). */
  private static String reportFolder(String detailsJson) {
    try {
      JsonNode out = new ObjectMapper().readTree(detailsJson).get("out");
      return out == null ? detailsJson : out.asText() + "/";
    } catch (java.io.IOException e) {
      return detailsJson;
    }
  }

  @Override
  public Integer call() {
    if (accounts < 1) {
      throw new ConfigError("--accounts must be at least 1, got " + accounts);
    }
    HallmarkConfig config = lakeOptions.load();
    NightlyJob.lockSettings(config);
    config = Demo.ensurePiiKey(config, Demo.DEFAULT_KEY_FILE);
    if (Demo.landingIsEmpty(config.landing())) {
      Console.info("generating a sample landing zone: " + accounts + " accounts, seed " + seed + ", into "
          + config.landing());
      int generated = Hallmark.commandLine().execute("generate", "--landing", config.landing(),
          "--accounts", String.valueOf(accounts), "--seed", String.valueOf(seed));
      if (generated != Hallmark.EXIT_OK) {
        throw new JobFailure("generating the sample landing zone failed (exit " + generated + "); see above");
      }
    } else {
      Console.info("landing zone " + config.landing() + " already has files: using them (empty it to regenerate)");
    }
    Console.info("effective settings:\n" + config.describe().stripTrailing());
    SparkCommand.announceSparkLog();
    SparkSession spark = Sessions.create(config);
    RunRecord run;
    try {
      run = new NightlyJob(NightlyJob.defaultSteps(), Clock.systemUTC()).run(spark, config, runDate, false);
    } finally {
      spark.stop();
    }
    Console.info("done. Lake: " + config.lake() + " (bronze/, silver/, gold/, ops/job_runs)");
    for (StepRecord step : run.steps()) {
      if (!step.tablesWritten().isEmpty()) {
        Console.info("  " + step.name() + " wrote " + String.join(", ", step.tablesWritten().keySet()));
      }
      if ("report".equals(step.name()) && step.details() != null) {
        Console.info("  report: " + reportFolder(step.details()));
      }
    }
    Console.info("  ground truth for evaluation: beside the landing folder (ground_truth.csv)");
    Console.info("next: bin/hallmark runs (the audit trail), bin/hallmark --help (every command)");
    return Hallmark.EXIT_OK;
  }
}
