package io.hallmark.cli;

import io.hallmark.config.ConfigError;
import io.hallmark.config.HadoopFiles;
import io.hallmark.config.HallmarkConfig;
import io.hallmark.jobs.Console;
import io.hallmark.jobs.StepResult;
import io.hallmark.report.ReportJob;
import java.io.IOException;
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
      description = {"Folder to write report.html, report.json and the CSVs into (created if missing; files replaced):",
          "a Hadoop URI (hdfs://, s3a://, file:/...) or a path on the default file system."})
  String out;

  @Override
  protected void validate(HallmarkConfig config) {
    String folder = config.qualify(out);
    try {
      if (HadoopFiles.exists(config.hadoop(), folder) && !HadoopFiles.isDirectory(config.hadoop(), folder)) {
        throw new ConfigError("--out " + folder + " exists and is not a folder");
      }
    } catch (IOException e) {
      throw new ConfigError("cannot check --out " + folder + ": " + e.getMessage(), e);
    }
  }

  @Override
  protected int run(SparkSession spark, HallmarkConfig config) throws Exception {
    long start = System.nanoTime();
    String folder = config.qualify(out);
    StepResult result = new ReportJob().write(spark, config, runDate, folder);
    Console.step(1, 1, "report", result.rows(), (System.nanoTime() - start) / 1e9);
    Console.info("report written to " + HadoopFiles.child(folder, "report.html") + " " + result.details());
    return Hallmark.EXIT_OK;
  }
}
