package io.hallmark.cli;

import io.hallmark.config.HadoopFiles;
import io.hallmark.config.HallmarkConfig;
import io.hallmark.config.JobFailure;
import io.hallmark.jobs.Console;
import io.hallmark.jobs.Csv;
import io.hallmark.risk.RiskTables;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Iterator;
import org.apache.commons.csv.CSVPrinter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "risk-scores", mixinStandardHelpOptions = true,
    description = "Write seller_risk_scores of one date as CSV (header, highest risk first).")
public class ExportRiskScoresCommand extends SparkCommand {
  @Option(names = "--as-of", required = true, paramLabel = "YYYY-MM-DD", description = "The scored date to export.")
  LocalDate asOf;

  @Option(names = "--out", required = true, paramLabel = "FILE.csv",
      description = "Output file (replaced whole): a Hadoop URI or a path on the default file system.")
  String out;

  @Override
  protected int run(SparkSession spark, HallmarkConfig config) throws Exception {
    Dataset<Row> scores = RiskTables.readScores(spark, config, asOf);
    if (scores == null) {
      throw new JobFailure("no seller_risk_scores for " + asOf + " in " + config.paths().gold(RiskTables.SCORES)
          + "; publish them first with: hallmark score --as-of " + asOf);
    }
    // a table published before reasons had sentences has no evidence_N: exported empty, the other columns as they are
    java.util.List<String> present = java.util.Arrays.asList(scores.columns());
    Dataset<Row> ordered = scores.select(java.util.Arrays.stream(RiskTables.SCORES_SCHEMA.fields())
            .map(f -> present.contains(f.name()) ? org.apache.spark.sql.functions.col(f.name())
                : org.apache.spark.sql.functions.lit(null).cast(f.dataType()).as(f.name()))
            .toArray(org.apache.spark.sql.Column[]::new))
        .orderBy(org.apache.spark.sql.functions.col("risk_score").desc(), org.apache.spark.sql.functions.col("seller_id"));
    String target = config.qualify(out);
    long start = System.nanoTime();
    long[] rows = {0};
    // streamed from the executors a partition at a time; the file appears whole or not at all
    HadoopFiles.write(spark.sparkContext().hadoopConfiguration(), target, stream -> {
      CSVPrinter csv = new CSVPrinter(new OutputStreamWriter(stream, StandardCharsets.UTF_8),
          Csv.format(RiskTables.SCORES_SCHEMA.fieldNames()));
      Iterator<Row> it = ordered.toLocalIterator();
      while (it.hasNext()) {
        Row r = it.next();
        Object[] values = new Object[r.size()];
        for (int i = 0; i < r.size(); i++) {
          values[i] = r.isNullAt(i) ? null : String.valueOf(r.get(i));
        }
        csv.printRecord(values);
        rows[0]++;
      }
      csv.flush();
    });
    Console.step(1, 1, "export risk-scores " + asOf, rows[0], (System.nanoTime() - start) / 1e9);
    Console.info("wrote " + target);
    return Hallmark.EXIT_OK;
  }
}
