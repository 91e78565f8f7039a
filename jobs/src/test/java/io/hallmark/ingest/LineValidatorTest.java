package io.hallmark.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hallmark.config.PiiKey;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One reason per rejected line, in a fixed order; typed values of accepted lines; PII never kept raw. */
class LineValidatorTest {
  private static final String KEY = "unit-test-key";
  private final LineValidator validator = new LineValidator(PiiKey.of(KEY));

  /** Independent HMAC-SHA-256 (JDK only) to compare with. */
  static String hmac(String key, String value) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
  }

  private static final String ORDER =
      "\"order_id\":\"o1\",\"listing_id\":\"l1\",\"seller_id\":\"s1\",\"order_time\":\"2022-01-02T10:00:00Z\"";

  // '|' separates table and line; lines are written inline, expected reasons by hand
  @ParameterizedTest(name = "{2}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "orders|not json at all|MALFORMED_JSON",
      "orders|[1,2]|MALFORMED_JSON",
      "orders|\"a string\"|MALFORMED_JSON",
      "orders|``|MALFORMED_JSON",
      "orders|{\"order_id\":\"o1\"} trailing|MALFORMED_JSON",
      "orders|{\"order_id\":\"o1\",\"order_id\":\"o2\"}|MALFORMED_JSON",
      "orders|{\"order_id\":\"o1\",|MALFORMED_JSON",
      "orders|{\"listing_id\":\"l1\"}|MISSING_FIELD:order_id",
      "orders|{\"order_id\":null,\"listing_id\":\"l1\"}|MISSING_FIELD:order_id",
      "orders|{\"order_id\":5,\"listing_id\":\"l1\"}|BAD_ID:order_id",
      "orders|{\"order_id\":\"\",\"listing_id\":\"l1\"}|BAD_ID:order_id",
      // the first failing field in contract order wins: order_id before quantity
      "orders|{\"order_id\":7,\"quantity\":0}|BAD_ID:order_id",
      "account_events|{\"event_id\":\"e1\",\"account_id\":\"a1\",\"event_type\":\"REGISTERED\",\"event_time\":\"2022-01-01T00:00:00Z\"}|MISSING_FIELD:marketplace",
      "account_events|{\"event_id\":\"e1\",\"account_id\":\"a1\",\"event_type\":\"BLOCKED\",\"event_time\":\"2022-01-01T00:00:00Z\"}|MISSING_FIELD:reason",
      "account_events|{\"event_id\":\"e1\",\"account_id\":\"a1\",\"event_type\":\"BLOCKED\",\"event_time\":\"2022-01-01T00:00:00Z\",\"reason\":\"MEAN\"}|BAD_ENUM:reason",
      "account_events|{\"event_id\":\"e1\",\"account_id\":\"a1\",\"event_type\":\"registered\",\"event_time\":\"2022-01-01T00:00:00Z\"}|BAD_ENUM:event_type",
      "account_events|{\"event_id\":\"e1\",\"account_id\":\"a1\",\"event_type\":\"REGISTERED\",\"event_time\":\"2022-01-01T00:00:00Z\",\"marketplace\":\"fr\"}|BAD_ENUM:marketplace",
      "account_events|{\"event_id\":\"e1\",\"account_id\":\"a1\",\"event_type\":\"VERIFIED\",\"event_time\":\"2022-01-01T00:00:00Z\",\"country\":\"FRA\"}|BAD_ENUM:country",
      "account_events|{\"event_id\":\"e1\",\"account_id\":\"a1\",\"event_type\":\"VERIFIED\",\"event_time\":\"2022-01-01T00:00:00\"}|BAD_TIMESTAMP:event_time",
      "account_events|{\"event_id\":\"e1\",\"account_id\":\"a1\",\"event_type\":\"VERIFIED\",\"event_time\":\"2022-02-30T00:00:00Z\"}|BAD_TIMESTAMP:event_time",
      "account_events|{\"event_id\":\"e1\",\"account_id\":\"a1\",\"event_type\":\"VERIFIED\",\"event_time\":1641000000}|BAD_TIMESTAMP:event_time",
      "account_events|{\"event_id\":\"e1\",\"account_id\":\"a1\",\"event_type\":\"VERIFIED\",\"event_time\":\"2022-01-01T00:00:00Z\",\"email\":42}|BAD_TEXT:email",
      "listing_events|{\"event_id\":\"e1\",\"listing_id\":\"l1\",\"seller_id\":\"s1\",\"event_type\":\"CREATED\",\"event_time\":\"2022-01-01T00:00:00Z\",\"price_usd\":1}|MISSING_FIELD:product_id",
      "listing_events|{\"event_id\":\"e1\",\"listing_id\":\"l1\",\"seller_id\":\"s1\",\"event_type\":\"CREATED\",\"event_time\":\"2022-01-01T00:00:00Z\",\"product_id\":\"p1\"}|MISSING_FIELD:price_usd",
      "listing_events|{\"event_id\":\"e1\",\"listing_id\":\"l1\",\"seller_id\":\"s1\",\"event_type\":\"SUBMISSION_BLOCKED\",\"event_time\":\"2022-01-01T00:00:00Z\"}|MISSING_FIELD:block_reason",
      "listing_events|{\"event_id\":\"e1\",\"listing_id\":\"l1\",\"seller_id\":\"s1\",\"event_type\":\"BLOCKED\",\"event_time\":\"2022-01-01T00:00:00Z\"}|MISSING_FIELD:block_reason",
      "listing_events|{\"event_id\":\"e1\",\"listing_id\":\"l1\",\"seller_id\":\"s1\",\"event_type\":\"UPDATED\",\"event_time\":\"2022-01-01T00:00:00Z\",\"price_usd\":-0.01}|BAD_NUMBER:price_usd",
      "orders|{" + ORDER + ",\"quantity\":0,\"unit_price_usd\":1}|BAD_NUMBER:quantity",
      "orders|{" + ORDER + ",\"quantity\":1.5,\"unit_price_usd\":1}|BAD_NUMBER:quantity",
      "orders|{" + ORDER + ",\"quantity\":\"2\",\"unit_price_usd\":1}|BAD_NUMBER:quantity",
      "orders|{" + ORDER + ",\"quantity\":2,\"unit_price_usd\":\"1.00\"}|BAD_NUMBER:unit_price_usd",
      "orders|{" + ORDER + ",\"quantity\":2}|MISSING_FIELD:unit_price_usd",
      "orders|{" + ORDER + ",\"quantity\":2,\"unit_price_usd\":1,\"referral_source\":\"instagram\"}|BAD_ENUM:referral_source",
      "orders|{" + ORDER + ",\"quantity\":2,\"unit_price_usd\":1,\"referral_tag\":[\"x\"]}|BAD_TEXT:referral_tag",
      "brands|{\"brand\":\"Acme\",\"enrolled_at\":\"2020-01-01T00:00:00Z\",\"luxury\":\"yes\"}|BAD_BOOLEAN:luxury",
      "notices|{\"notice_id\":\"n1\",\"brand\":\"Acme\",\"listing_id\":\"l1\",\"notice_type\":\"COUNTERFEIT\",\"submitted_at\":\"2022-01-01T00:00:00Z\",\"outcome\":\"VALID\",\"resolved_at\":\"soon\"}|BAD_TIMESTAMP:resolved_at",
      "complaints|{\"complaint_id\":\"c1\",\"order_id\":\"o1\",\"complaint_time\":\"2022-01-01T00:00:00Z\",\"complaint_type\":\"FAKE\"}|BAD_ENUM:complaint_type",
      "authorizations|{\"brand\":\"Acme\",\"seller_id\":\"s1\"}|MISSING_FIELD:valid_from",
      "catalog|{\"product_id\":\"p1\",\"reference_price_usd\":1e999}|BAD_NUMBER:reference_price_usd",
  })
  void rejectsWithOneReason(String table, String line, String reason) {
    assertEquals(reason, validator.validate(table, line, true).reason());
  }

  @Test
  void idLongerThan128CharactersIsBad() {
    String ok = "x".repeat(128);
    String tooLong = "x".repeat(129);
    assertNull(validator.validate("catalog", "{\"product_id\":\"" + ok + "\"}", true).reason());
    assertEquals("BAD_ID:product_id", validator.validate("catalog", "{\"product_id\":\"" + tooLong + "\"}", true).reason());
  }

  @Test
  void invalidUtf8IsMalformed() {
    assertEquals("MALFORMED_JSON", validator.validate("catalog", "{\"product_id\":\"p1\"}", false).reason());
  }

  @Test
  void offsetTimestampLandsInTheUtcYearBefore() {
    LineValidator.Result r = validator.validate("complaints",
        "{\"complaint_id\":\"c1\",\"order_id\":\"o1\",\"complaint_time\":\"2022-01-01T01:00:00+02:00\",\"complaint_type\":\"OTHER\"}", true);
    assertNull(r.reason());
    // 2021-12-31T23:00:00Z = 1640991600 s since the epoch
    assertEquals(1_640_991_600_000_000L, r.values().get("complaint_time"));
    assertEquals(2021, r.eventYear());
  }

  @Test
  void fractionalSecondsKeptToTheMicrosecond() {
    assertEquals(1_640_995_200_123_456L, LineValidator.timestampMicros("2022-01-01T00:00:00.123456789Z"));
    assertEquals(1_640_995_200_500_000L, LineValidator.timestampMicros("2022-01-01T00:00:00.5Z"));
  }

  @Test
  void defaultsAndUnknownFields() {
    LineValidator.Result order = validator.validate("orders",
        "{" + ORDER + ",\"quantity\":2,\"unit_price_usd\":10,\"whatever\":{\"a\":1}}", true);
    assertNull(order.reason());
    assertEquals("DIRECT", order.values().get("referral_source"));
    assertEquals(2L, order.values().get("quantity"));
    assertEquals(10.0, order.values().get("unit_price_usd"));
    assertFalse(order.values().containsKey("whatever"));
    LineValidator.Result brand = validator.validate("brands", "{\"brand\":\"Acme\",\"enrolled_at\":\"2020-01-01T00:00:00Z\"}", true);
    assertEquals(Boolean.FALSE, brand.values().get("luxury"));
  }

  @Test
  void personalFieldsAreStoredAsHmacOnly() throws Exception {
    LineValidator.Result r = validator.validate("account_events",
        "{\"event_id\":\"e1\",\"account_id\":\"a1\",\"event_type\":\"VERIFIED\",\"event_time\":\"2022-01-01T00:00:00Z\","
            + "\"email\":\"alice@example.com\",\"phone\":\"+33 6 12 34 56 78\"}", true);
    assertNull(r.reason());
    assertEquals(hmac(KEY, "alice@example.com"), r.values().get("email_hash"));
    assertEquals(hmac(KEY, "+33 6 12 34 56 78"), r.values().get("phone_hash"));
    assertFalse(r.values().containsKey("email"));
    assertFalse(r.quarantineText().contains("alice"));
  }

  @Test
  void quarantineTextOfParseableLineIsVerbatimExceptPersonalValues() throws Exception {
    String line = "{\"event_id\":\"e1\", \"email\" : \"alice@example.com\", \"phone\":33612345678, \"event_time\":\"x\"}";
    LineValidator.Result r = validator.validate("account_events", line, true);
    assertEquals("MISSING_FIELD:account_id", r.reason());
    assertEquals("{\"event_id\":\"e1\", \"email\" : \"" + hmac(KEY, "alice@example.com") + "\", \"phone\":\""
        + hmac(KEY, "33612345678") + "\", \"event_time\":\"x\"}", r.quarantineText());
  }

  @Test
  void malformedLinesAreScrubbedOfAnythingLikeAnEmailOrPhone() throws Exception {
    String line = "{\"event_id\":\"e1\",\"event_time\":\"2022-01-01T10:15:30+02:00\",\"email\":\"bob@example.org\","
        + "\"note\":\"call +1 (555) 010-9999 or mail carol.d@mail.example.co.uk\",\"phone\":\"+44 20 7946 0958";
    LineValidator.Result r = validator.validate("account_events", line, true);
    assertEquals("MALFORMED_JSON", r.reason());
    String q = r.quarantineText();
    for (String raw : new String[] {"bob@example.org", "555", "carol", "7946", "0958"}) {
      assertFalse(q.contains(raw), raw + " left in " + q);
    }
    // the rest stays readable, timestamps included
    assertTrue(q.startsWith("{\"event_id\":\"e1\",\"event_time\":\"2022-01-01T10:15:30+02:00\",\"email\":\""
        + hmac(KEY, "bob@example.org") + "\""), q);
    assertTrue(q.contains("\"phone\":\"" + hmac(KEY, "+44 20 7946 0958") + "\""), q);
    // dates and plain numbers in malformed lines are not mistaken for phone numbers
    String dated = validator.validate("orders", "{\"order_time\":\"2022-01-01 10:00\",\"unit_price_usd\":1234567.5,", true).quarantineText();
    assertEquals("{\"order_time\":\"2022-01-01 10:00\",\"unit_price_usd\":1234567.5,", dated);
  }
}
