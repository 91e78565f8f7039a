package io.hallmark.cli;

import io.hallmark.config.ConfigError;
import io.hallmark.config.HallmarkConfig;
import io.hallmark.config.PiiKey;
import io.hallmark.ingest.IngestJob;
import java.time.LocalDate;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "ingest", mixinStandardHelpOptions = true,
    description = "Validate new landing files and load them into the bronze Delta tables (rejects go to quarantine).")
public class IngestCommand extends SparkCommand {
  @Option(names = "--run-date", paramLabel = "YYYY-MM-DD",
      description = "Date of this run (run id ingest-<date>-<n>). Default: the newest dt=YYYY-MM-DD folder among the new files, else 1970-01-01.")
  LocalDate runDate;

  @Option(names = "--pii-key-file", paramLabel = "FILE",
      description = {"File holding the HMAC key for email/phone (overrides hallmark.pii.key-file and env HALLMARK_PII_KEY):",
          "a Hadoop URI (file:/etc/hallmark/pii-key) or a path on the default file system."})
  String piiKeyFile;

  @Option(names = "--reject-threshold", paramLabel = "SHARE",
      description = "Fail (publishing nothing) when a table's rejected share exceeds this (0..1; default hallmark.ingest.reject-threshold = 0.05).")
  Double rejectThreshold;

  private PiiKey piiKey;

  @Override
  protected void validate(HallmarkConfig config) {
    if (rejectThreshold != null && (rejectThreshold < 0 || rejectThreshold > 1 || rejectThreshold.isNaN())) {
      throw new ConfigError("--reject-threshold must be between 0 and 1, got " + rejectThreshold);
    }
    piiKey = PiiKey.resolve(config, piiKeyFile);
  }

  @Override
  protected int run(SparkSession spark, HallmarkConfig config) {
    double threshold = rejectThreshold != null ? rejectThreshold : config.rejectThreshold();
    new IngestJob().ingest(spark, config, piiKey, runDate, threshold);
    return Hallmark.EXIT_OK;
  }
}
