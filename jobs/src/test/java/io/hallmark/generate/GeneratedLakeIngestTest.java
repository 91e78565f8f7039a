package io.hallmark.generate;

import static io.hallmark.testing.SparkTestSupport.spark;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hallmark.config.HallmarkConfig;
import io.hallmark.ingest.IngestJob;
import io.hallmark.ingest.PiiKey;
import io.hallmark.lake.BronzeSchemas;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generator's noise manifest against the real ingest: one batch over a generated landing zone
 * quarantines exactly the lines the manifest expects, with the manifest's reasons, and bronze holds
 * every other line except the expected duplicates.
 */
class GeneratedLakeIngestTest {
  @TempDir Path tmp;

  @Test
  void oneIngestBatchMatchesTheNoiseManifestLineByLine() throws Exception {
    Path landing = tmp.resolve("landing");
    SampleLakeGenerator.generate(GeneratorOptions.quick(landing).withYears(2024, 2024).withSeed(8));
    HallmarkConfig config = HallmarkConfig.defaults().with("hallmark.lake", tmp.resolve("lake").toString())
        .with("hallmark.landing", landing.toString());
    new IngestJob().ingest(spark(), config, PiiKey.of("generated-lake-test"), null, 0.05);

    List<String> manifest = Files.readAllLines(tmp.resolve("noise_manifest.csv"));
    TreeSet<String> expectedRejected = new TreeSet<>();
    Map<String, Long> notInBronze = new TreeMap<>();
    for (String row : manifest.subList(1, manifest.size())) {
      String[] c = row.split(",", -1);
      if (c[4].startsWith("REJECTED:")) {
        expectedRejected.add(c[0] + ":" + c[1] + " " + c[4].substring("REJECTED:".length()));
        notInBronze.merge(c[2], 1L, Long::sum);
      } else if (c[4].equals("DUPLICATE")) {
        notInBronze.merge(c[2], 1L, Long::sum);
      }
    }
    TreeSet<String> quarantined = spark().read().format("delta").load(config.paths().quarantine())
        .select(col("source_file"), col("line_number"), col("reason")).collectAsList().stream()
        .map(r -> r.getString(0) + ":" + r.getLong(1) + " " + r.getString(2))
        .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(expectedRejected, quarantined);

    Map<String, Long> lines = LandingCheck.readAll(landing).stream()
        .collect(Collectors.groupingBy(LandingCheck.Line::table, TreeMap::new, Collectors.counting()));
    for (String table : BronzeSchemas.TABLES) {
      long bronze = spark().read().format("delta").load(config.paths().bronze(table)).count();
      assertEquals(lines.get(table) - notInBronze.getOrDefault(table, 0L), bronze, table);
    }
  }
}
