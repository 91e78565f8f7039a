package io.hallmark.cli;

import io.hallmark.config.HallmarkConfig;
import io.hallmark.config.JobFailure;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;

@Command(name = "ingest", mixinStandardHelpOptions = true, description = "Validate new landing files and load them into the bronze Delta tables (rejects go to quarantine).")
public class IngestCommand extends SparkCommand {
  @Override
  protected int run(SparkSession spark, HallmarkConfig config) {
    throw new JobFailure("'ingest' is not implemented yet");
  }
}
