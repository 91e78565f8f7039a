package io.hallmark.risk;

import com.fasterxml.jackson.databind.ObjectMapper;
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

  public Map<String, Object> run(SparkSession spark, HallmarkConfig config, String sellerId, LocalDate asOf,
      String modelVersion) {
    RiskSettings s = RiskSettings.from(config);
    RiskModel model = RiskModel.choose(spark, config, modelVersion, asOf);
    return CaseFile.build(spark, RiskTables.readBronze(spark, config), model, s, sellerId, asOf);
  }

  /**
   * Writes the case file as indented JSON to a Hadoop URI (any filesystem the lake can live on; a path
   * without a scheme is a local file). The one place it is written, so the atomic-write helper can
   * replace the plain create here.
   */
  public static void writeJson(SparkSession spark, String uri, Map<String, Object> caseFile) {
    Path path = new Path(LakePaths.absolute(uri));
    try {
      FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
      try (OutputStream out = fs.create(path, true)) {
        out.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(caseFile));
        out.write('\n');
      }
    } catch (IOException e) {
      throw new JobFailure("cannot write the case file to " + uri + ": " + e.getMessage(), e);
    }
  }
}
