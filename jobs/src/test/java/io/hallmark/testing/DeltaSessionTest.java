package io.hallmark.testing;

import static io.hallmark.testing.SparkTestSupport.row;
import static io.hallmark.testing.SparkTestSupport.rows;
import static io.hallmark.testing.SparkTestSupport.spark;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hallmark.config.HallmarkConfig;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared test session writes and reads Delta, keeps time in UTC, and plans queries as production does. */
class DeltaSessionTest {
  @TempDir Path lake;

  @Test
  void writesDeltaAndReadsItBack() {
    StructType schema = new StructType().add("k", DataTypes.StringType).add("v", DataTypes.IntegerType);
    String path = lake.resolve("t").toString();
    rows(schema, row("a", 1), row("b", 2)).write().format("delta").save(path);
    SparkTestSupport.assertRows(schema, List.of(row("a", 1), row("b", 2)), spark().read().format("delta").load(path));
    assertEquals("UTC", spark().conf().get("spark.sql.session.timeZone"));
  }

  @Test
  void plansQueriesAdaptivelyAsProductionDoes() {
    String aqe = "spark.sql.adaptive.enabled";
    Path root = Path.of(System.getProperty("hallmark.project.root", ".."));
    // the embedded default leaves Spark's own default (on); the cluster examples turn it on explicitly
    assertEquals(null, HallmarkConfig.defaults().sparkConf().get(aqe));
    for (String conf : List.of("cluster.conf", "yarn.conf", "k8s.conf")) {
      File file = root.resolve("conf").resolve(conf).toFile();
      assertEquals("true", HallmarkConfig.load(file, Map.of()).sparkConf().get(aqe), conf);
    }
    assertEquals("true", spark().conf().get(aqe), "tests run with adaptive query execution, as production");
  }
}
