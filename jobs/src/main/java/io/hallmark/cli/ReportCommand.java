package io.hallmark.cli;

import io.hallmark.config.ConfigError;
import io.hallmark.config.HallmarkConfig;
import io.hallmark.jobs.Console;
import io.hallmark.jobs.StepResult;
import io.hallmark.report.ReportJob;
import java.io.File;
import java.time.LocalDate;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "report", mixinStandardHelpOptions = true,
    description = {"Write the executive report: a self-contained report.html (opens with no network) plus the",
        "CSV/JSON it was made from: headline figures of the latest complete year, a chart per metric family,",
        "restatements of closed years since the previous publication, and the riskiest sellers (pseudonymous)."})
public class ReportCommand extends SparkCommand {
  @Option(names = "--run-date", required = true, paramLabel = "YYYY-MM-DD",
      description = "The report's 'today': decides the latest complete year and the risk-score date shown.")
  LocalDate runDate;

  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "Folder to write report.html, report.json and the CSVs into (created if missing; files replaced).")
  File out;

  @Override
  protected void validate(HallmarkConfig config) {
    if (out.exists() && !out.isDirectory()) {
      throw new ConfigError("--out " + out + " exists and is not a folder");
    }
  }

  @Override
  protected int run(SparkSession spark, HallmarkConfig config) throws Exception {
    long start = System.nanoTime();
    StepResult result = new ReportJob().write(spark, config, runDate, out.toPath());
    Console.step(1, 1, "report", result.rows(), (System.nanoTime() - start) / 1e9);
    Console.info("report written to " + new File(out, "report.html").getPath() + " " + result.details());
    return Hallmark.EXIT_OK;
  }
}
