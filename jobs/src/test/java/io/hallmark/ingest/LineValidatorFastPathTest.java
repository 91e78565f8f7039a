package io.hallmark.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hallmark.config.PiiKey;
import io.hallmark.generate.GeneratorOptions;
import io.hallmark.generate.SampleLakeGenerator;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The fast path ({@link LineValidator#validInto}) may only clear lines the exact validator accepts,
 * with the same typed values and year; everything else it must leave to the exact validator. Checked
 * against {@link LineValidator#validate} (the exact path, an independent implementation over a JSON
 * tree and the JDK's ISO formatter) on hand-written edge cases, on random timestamps, and on every line
 * of a generated noisy lake, where it must also clear every valid line (else it would be dead code).
 */
class LineValidatorFastPathTest {
  private static final String KEY = "fast-path-key";
  private final LineValidator validator = new LineValidator(PiiKey.of(KEY));
  @TempDir Path tmp;

  private static final String ORDER =
      "\"order_id\":\"o1\",\"listing_id\":\"l1\",\"seller_id\":\"s1\",\"quantity\":2,\"unit_price_usd\":10";

  /** -1 when the fast path leaves the line to the exact validator, else the year it gave. */
  private int fast(String table, String line) {
    Object[] row = new Object[IngestSchemas.LINE_SCHEMA.size()];
    int year = validator.validInto(table, line, row);
    LineValidator.Result exact = validator.validate(table, line, true);
    if (year >= 0) {
      assertTrue(exact.valid(), "fast path cleared a line the exact validator rejects (" + exact.reason() + "): " + line);
      assertEquals(exact.eventYear() == null ? 0 : exact.eventYear(), year, line);
      Object[] expected = new Object[row.length];
      for (Map.Entry<String, Object> e : exact.values().entrySet()) {
        expected[IngestSchemas.LINE_SCHEMA.fieldIndex(e.getKey())] = e.getValue();
      }
      assertEquals(Arrays.asList(expected), Arrays.asList(row), line);
    }
    return year;
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      // cleared, with the exact path's values
      "orders|{" + ORDER + ",\"order_time\":\"2022-01-02T10:00:00Z\"}|2022",
      "orders|{" + ORDER + ",\"order_time\":\"2022-01-01T01:00:00+02:00\"}|2021",
      "orders|{" + ORDER + ",\"order_time\":\"2021-12-31T23:30:00-01:00\"}|2022",
      "orders|{" + ORDER + ",\"order_time\":\"2022-01-02T10:00:00.123456789Z\",\"extra\":{\"a\":[1,2]}}|2022",
      "orders|{" + ORDER + ",\"order_time\":\"2024-02-29T10:00:00.5Z\",\"referral_tag\":null}|2024",
      "orders|`  {" + ORDER + ",\"order_time\":\"2022-01-02T10:00:00Z\"}   `|2022",
      // valid, but through the JDK's parser: minutes without seconds
      "orders|{" + ORDER + ",\"order_time\":\"2022-01-02T10:00Z\"}|2022",
      // the ISO formatter reads letters in any case
      "orders|{" + ORDER + ",\"order_time\":\"2022-01-02t10:00:00Z\"}|2022",
      "orders|{" + ORDER + ",\"order_time\":\"2022-01-02T10:00:00z\"}|2022",
      "brands|{\"brand\":\"Acme\",\"enrolled_at\":\"2020-01-01T00:00:00Z\",\"luxury\":true}|0",
      "catalog|{\"product_id\":\"p1\",\"reference_price_usd\":1e3}|0",
      "catalog|{\"product_id\":\"p1\",\"reference_price_usd\":-0.0}|0",
      // left to the exact validator (which rejects them)
      "orders|{" + ORDER + ",\"order_time\":\"2022-01-02T10:00:00Z\",\"order_id\":\"o2\"}|-1",
      "orders|{" + ORDER + ",\"order_time\":\"2022-01-02T10:00:00Z\",\"x\":{\"a\":1,\"a\":2}}|-1",
      "orders|{" + ORDER + ",\"order_time\":\"2022-01-02T10:00:00Z\"} {}|-1",
      "orders|{" + ORDER + ",\"order_time\":\"2022-01-02T10:00:00Z\"}x|-1",
      "orders|{" + ORDER + ",\"order_time\":\"2022-01-02T10:00:00\"}|-1",
      "orders|{" + ORDER + ",\"order_time\":\"2022-02-29T10:00:00Z\"}|-1",
      "orders|{" + ORDER + ",\"order_time\":\"2022-01-02T24:00:00Z\"}|-1",
      "orders|{" + ORDER + ",\"order_time\":\"2022-01-02T10:00:00+1900\"}|-1",
      "orders|{" + ORDER + ",\"order_time\":\"2022-01-02T10:00:00+19:00\"}|-1",
      "orders|{\"order_id\":\"o1\",\"listing_id\":\"l1\",\"seller_id\":\"s1\",\"quantity\":99999999999999999999,"
          + "\"unit_price_usd\":1,\"order_time\":\"2022-01-02T10:00:00Z\"}|-1",
      "orders|{\"order_id\":\"o1\",\"listing_id\":\"l1\",\"seller_id\":\"s1\",\"quantity\":2.0,"
          + "\"unit_price_usd\":1,\"order_time\":\"2022-01-02T10:00:00Z\"}|-1",
      "orders|{" + ORDER + ",\"order_time\":\"2022-01-02T10:00:00Z\",\"referral_source\":[\"SEARCH\"]}|-1",
      "account_events|{\"event_id\":\"e1\",\"account_id\":\"a1\",\"event_type\":\"REGISTERED\",\"event_time\":\"2022-01-01T00:00:00Z\"}|-1",
      "account_events|{\"event_id\":\"e1\",\"account_id\":\"a1\",\"event_type\":\"VERIFIED\",\"event_time\":\"2022-01-01T00:00:00Z\",\"email\":42}|-1",
      "catalog|{\"product_id\":\"p1\",\"reference_price_usd\":1e999}|-1",
      "catalog|[1]|-1",
      "catalog|``|-1",
  })
  void clearsOnlyWhatTheExactValidatorAccepts(String table, String line, int expectedYear) {
    assertEquals(expectedYear, fast(table, line));
  }

  /** A byte order mark inside a file (only the first line's is dropped): whatever JSON makes of it, both paths agree. */
  @Test
  void byteOrderMarkBeforeALineGetsTheExactVerdict() {
    fast("orders", "\uFEFF{" + ORDER + ",\"order_time\":\"2022-01-02T10:00:00Z\"}");
  }

  @Test
  void personalFieldsAreHashedAsTheExactPathHashesThem() throws Exception {
    String line = "{\"event_id\":\"e1\",\"account_id\":\"a1\",\"event_type\":\"VERIFIED\",\"event_time\":\"2022-01-01T00:00:00Z\","
        + "\"email\":\"alice@example.com\",\"phone\":\"+33 6 12 34 56 78\"}";
    Object[] row = new Object[IngestSchemas.LINE_SCHEMA.size()];
    assertEquals(2022, validator.validInto("account_events", line, row));
    assertEquals(LineValidatorTest.hmac(KEY, "alice@example.com"), row[IngestSchemas.LINE_SCHEMA.fieldIndex("email_hash")]);
    assertEquals(LineValidatorTest.hmac(KEY, "+33 6 12 34 56 78"), row[IngestSchemas.LINE_SCHEMA.fieldIndex("phone_hash")]);
  }

  /** Random plain and near-plain timestamps: where the digit reader answers, it agrees with the JDK. */
  @Test
  void plainTimestampReaderAgreesWithTheIsoFormatter() {
    Random random = new Random(7);
    String[] offsets = {"Z", "z", "+00:00", "-00:00", "+02:00", "-05:30", "+14:00", "+18:00", "-18:00", "+18:01", "+19:00",
        "+0200", "+02", "+02:00:00", "+02:60", ""};
    int agreed = 0;
    for (int i = 0; i < 200_000; i++) {
      int year = random.nextInt(20) == 0 ? random.nextInt(10_000) : 1990 + random.nextInt(40);
      String fraction = switch (random.nextInt(4)) {
        case 0 -> "";
        case 1 -> "." + digits(random, 1 + random.nextInt(9));
        case 2 -> "." + digits(random, random.nextInt(12));
        default -> "." + digits(random, 6);
      };
      String s = String.format("%04d-%02d-%02dT%02d:%02d:%02d%s%s", year, random.nextInt(14), random.nextInt(33),
          random.nextInt(26), random.nextInt(62), random.nextInt(62), fraction, offsets[random.nextInt(offsets.length)]);
      if (random.nextInt(10) == 0) {
        char[] c = s.toCharArray();
        c[random.nextInt(c.length)] = "0123456789:-+T. Zx".charAt(random.nextInt(18));
        s = new String(c);
      }
      Long plain = LineValidator.plainTimestampMicros(s);
      if (plain != null) {
        assertEquals(LineValidator.timestampMicros(s), plain, s);
        agreed++;
      }
    }
    assertTrue(agreed > 10_000, "the digit reader answered for only " + agreed + " of 200000 timestamps");
    assertNotNull(LineValidator.plainTimestampMicros("2022-01-02T10:00:00.123Z"));
  }

  private static String digits(Random random, int n) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append((char) ('0' + random.nextInt(10)));
    }
    return b.toString();
  }

  /** Every line of a generated lake with every kind of noise: the same verdict and values as the exact path. */
  @Test
  void everyGeneratedLineGetsTheExactVerdictAndEveryValidOneTakesTheFastPath() throws Exception {
    Path landing = tmp.resolve("landing");
    SampleLakeGenerator.generate(GeneratorOptions.defaults(landing).withAccounts(150).withYears(2022, 2022)
        .withLayout(GeneratorOptions.Layout.MONTHLY).withTruth(tmp.resolve("truth.csv")));
    int valid = 0;
    int rejected = 0;
    List<String> missed = new ArrayList<>();
    try (Stream<Path> files = Files.walk(landing)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String table = landing.relativize(file).getName(0).toString();
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
          String line;
          while ((line = reader.readLine()) != null) {
            boolean exactValid = validator.validate(table, line, true).valid();
            int year = fast(table, line);
            if (exactValid) {
              valid++;
              if (year < 0) {
                missed.add(line);
              }
            } else {
              rejected++;
            }
          }
        }
      }
    }
    assertTrue(valid > 1000 && rejected > 10, valid + " valid, " + rejected + " rejected lines");
    assertEquals(List.of(), missed, "valid generated lines the fast path left to the exact validator");
  }
}
