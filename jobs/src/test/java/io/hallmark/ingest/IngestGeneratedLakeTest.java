package io.hallmark.ingest;

import static io.hallmark.testing.SparkTestSupport.spark;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hallmark.config.HallmarkConfig;
import io.hallmark.config.PiiKey;
import io.hallmark.generate.GenerationSummary;
import io.hallmark.generate.GeneratorOptions;
import io.hallmark.generate.SampleLakeGenerator;
import io.hallmark.lake.BronzeSchemas;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small lake from the project's generator, ingested in one batch: every line the generator's noise
 * manifest says is rejected is quarantined with exactly that reason and nothing else is; manifest
 * duplicates land nowhere, manifest accepted lines land in bronze; no generated email or phone
 * survives anywhere under the lake.
 */
class IngestGeneratedLakeTest {
  @TempDir Path tmp;

  @Test
  void quarantineMatchesTheGeneratorsNoiseManifest() throws Exception {
    Path landing = tmp.resolve("gen/landing");
    Path lake = tmp.resolve("lake");
    GeneratorOptions options = GeneratorOptions.defaults(landing).withAccounts(150).withYears(2022, 2022)
        .withLayout(GeneratorOptions.Layout.MONTHLY);
    GenerationSummary generated = SampleLakeGenerator.generate(options);
    HallmarkConfig config = HallmarkConfig.defaults().with("hallmark.lake", lake.toString()).with("hallmark.landing", landing.toString());
    new IngestJob().ingest(spark(), config, PiiKey.of("generated-lake-key"), null, 1.0);

    Set<String> expectedRejected = new TreeSet<>();
    Set<String> expectedAccepted = new TreeSet<>();
    Set<String> expectedDuplicates = new TreeSet<>();
    List<String> manifest = Files.readAllLines(options.manifestFile());
    assertEquals("file,line,table,record_key,expected,expected_by_folder", manifest.get(0));
    for (String entry : manifest.subList(1, manifest.size())) {
      String[] f = entry.split(",", -1);
      String where = f[0] + "#" + f[1];
      if (f[4].startsWith("REJECTED:")) {
        expectedRejected.add(where + " " + f[4].substring("REJECTED:".length()));
      } else if (f[4].equals("ACCEPTED")) {
        expectedAccepted.add(where);
      } else {
        assertEquals("DUPLICATE", f[4], entry);
        expectedDuplicates.add(where);
      }
    }
    assertTrue(expectedRejected.size() > 20 && !expectedDuplicates.isEmpty(), "manifest too small to mean anything");

    Set<String> quarantined = new TreeSet<>();
    for (Row r : spark().read().format("delta").load(config.paths().quarantine())
        .select(concat_ws(" ", concat_ws("#", col("source_file"), col("line_number")), col("reason"))).collectAsList()) {
      quarantined.add(r.getString(0));
    }
    assertEquals(expectedRejected, quarantined);

    Set<String> inBronze = new HashSet<>();
    long bronzeRows = 0;
    for (String table : BronzeSchemas.TABLES) {
      for (Row r : spark().read().format("delta").load(config.paths().bronze(table))
          .select(concat_ws("#", col(BronzeSchemas.SOURCE_FILE), col(BronzeSchemas.SOURCE_LINE))).collectAsList()) {
        inBronze.add(r.getString(0));
        bronzeRows++;
      }
    }
    for (String accepted : expectedAccepted) {
      assertTrue(inBronze.contains(accepted), accepted + " should be in bronze");
    }
    for (String duplicate : expectedDuplicates) {
      assertFalse(inBronze.contains(duplicate), duplicate + " is a duplicate, not a bronze row");
    }
    // balance over the whole batch: every generated line is accepted, a duplicate or rejected
    long generatedLines = generated.linesPerTable().values().stream().mapToLong(Long::longValue).sum();
    assertEquals(generatedLines, bronzeRows + expectedDuplicates.size() + expectedRejected.size());
    Row totals = spark().read().format("delta").load(config.paths().ops("ingest_runs"))
        .selectExpr("sum(lines_read)", "sum(accepted)", "sum(duplicates)", "sum(rejected)").first();
    assertEquals(List.of(generatedLines, bronzeRows, (long) expectedDuplicates.size(), (long) expectedRejected.size()),
        List.of(totals.getLong(0), totals.getLong(1), totals.getLong(2), totals.getLong(3)));

    assertNoGeneratedPersonalDataIn(landing, lake, config);
  }

  /** Raw emails and phones of the generated account events, searched in every lake file and in quarantine text. */
  private void assertNoGeneratedPersonalDataIn(Path landing, Path lake, HallmarkConfig config) throws Exception {
    Set<String> raw = new HashSet<>();
    ObjectMapper mapper = new ObjectMapper();
    List<Path> files;
    try (Stream<Path> s = Files.walk(landing.resolve("account_events"))) {
      files = s.filter(Files::isRegularFile).toList();
    }
    for (Path f : files) {
      InputStream in = Files.newInputStream(f);
      if (f.toString().endsWith(".gz")) {
        in = new GZIPInputStream(in);
      }
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          try {
            JsonNode node = mapper.readTree(line);
            for (String field : List.of("email", "phone")) {
              if (node.hasNonNull(field) && node.get(field).asText().length() >= 6) {
                raw.add(node.get(field).asText());
              }
            }
          } catch (Exception malformed) {
            // covered by the pattern scrubbing tests
          }
        }
      }
    }
    assertTrue(raw.size() > 50, "expected generated emails and phones, got " + raw.size());
    List<Path> lakeFiles;
    try (Stream<Path> s = Files.walk(lake)) {
      lakeFiles = s.filter(Files::isRegularFile).toList();
    }
    for (Path f : lakeFiles) {
      String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
      for (String value : raw) {
        assertFalse(bytes.contains(value), value + " found in " + f);
      }
    }
    for (Row r : spark().read().format("delta").load(config.paths().quarantine()).select("raw_line").collectAsList()) {
      for (String value : raw) {
        assertFalse(r.getString(0).contains(value), value + " in quarantine: " + r.getString(0));
      }
    }
  }
}
