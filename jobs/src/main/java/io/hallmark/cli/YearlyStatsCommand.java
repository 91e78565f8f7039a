package io.hallmark.cli;

import io.hallmark.config.HallmarkConfig;
import io.hallmark.jobs.Console;
import io.hallmark.jobs.NightlyStep;
import io.hallmark.jobs.StepResult;
import io.hallmark.yearly.SilverJob;
import io.hallmark.yearly.YearlyStatsJob;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "yearly-stats", mixinStandardHelpOptions = true,
    description = "Rebuild silver timelines and publish the gold yearly_stats table.")
public class YearlyStatsCommand extends SparkCommand {
  @Option(names = "--run-date", paramLabel = "YYYY-MM-DD",
      description = "Date of this run, recorded with the publication (the figures always cover the whole history).")
  LocalDate runDate;

  @Override
  protected int run(SparkSession spark, HallmarkConfig config) throws Exception {
    List<NightlyStep> steps = List.of(new SilverJob(), new YearlyStatsJob());
    for (int i = 0; i < steps.size(); i++) {
      NightlyStep step = steps.get(i);
      long started = System.nanoTime();
      StepResult result = step.run(spark, config, runDate);
      Console.step(i + 1, steps.size(), step.name(), result.rows(), (System.nanoTime() - started) / 1e9);
      Console.info("  read " + result.tablesRead() + ", published " + result.tablesWritten());
    }
    return Hallmark.EXIT_OK;
  }
}
