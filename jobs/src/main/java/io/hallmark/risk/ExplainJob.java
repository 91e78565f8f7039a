package io.hallmark.risk;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hallmark.lake.Bronze;
import io.hallmark.config.HadoopFiles;
import io.hallmark.config.HallmarkConfig;
import io.hallmark.config.JobFailure;
import io.hallmark.config.LakePaths;
import java.io.IOException;
import java.io.OutputStream;
import java.time.LocalDate;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * {@code hallmark explain --seller ID --as-of D}: the seller's case file on D ({@link CaseFile}) from bronze
 * at the versions the last ingest run recorded, scored by the model scoring would choose for D (or the one
 * named). Reads only; writes nothing to the lake.
 */
public class ExplainJob {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** {@code asKnown}: only the rows ingested by runs of asOf or earlier ({@link RiskTables#knownBy}). */
  public Map<String, Object> run(SparkSession spark, HallmarkConfig config, String sellerId, LocalDate asOf,
      String modelVersion, boolean asKnown) {
    RiskSettings s = RiskSettings.from(config);
    RiskModel model = RiskModel.choose(spark, config, modelVersion, asOf);
    Bronze bronze = io.hallmark.lake.BronzeReader.readBronze(spark, config.paths(), RiskTables.BRONZE_TABLES, null);
    Map<String, Object> caseFile = CaseFile.build(spark, asKnown ? RiskTables.knownBy(spark, config, bronze, asOf) : bronze,
        model, s, sellerId, asOf);
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    caseFile.forEach((key, value) -> {
      out.put(key, value);
      if (key.equals("sees")) {
        out.put("rows_seen", asKnown ? "as known then: rows ingested by runs of " + asOf + " or earlier"
            : "event time: every row in bronze at the last ingest run, late arrivals included");
      }
    });
    return out;
  }

  /**
   * Writes the case file as indented JSON to a Hadoop URI (any filesystem the lake can live on; a path
   * without a scheme is qualified against fs.defaultFS), whole or not at all ({@link HadoopFiles#writeString}).
   */
  public static void writeJson(SparkSession spark, String uri, Map<String, Object> caseFile) {
    org.apache.hadoop.conf.Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    String target = HadoopFiles.qualify(hadoop, uri);
    try {
      HadoopFiles.writeString(hadoop, target, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(caseFile) + "\n");
    } catch (IOException e) {
      throw new JobFailure("cannot write the case file to " + target + ": " + e.getMessage(), e);
    }
  }
}
