package io.hallmark.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Test-only, deliberately simple reading of the landing contract, written from the contract page and
 * independent of the generator: which reason (if any) a line deserves.
 */
final class LandingCheck {
  static final ObjectMapper JSON = new ObjectMapper();

  record Line(String table, String file, long number, String text) {}

  static final Map<String, List<String>> REQUIRED = Map.of(
      "account_events", List.of("event_id", "account_id", "event_type", "event_time"),
      "listing_events", List.of("event_id", "listing_id", "seller_id", "event_type", "event_time"),
      "orders", List.of("order_id", "listing_id", "seller_id", "order_time", "quantity", "unit_price_usd"),
      "complaints", List.of("complaint_id", "order_id", "complaint_time", "complaint_type"),
      "notices", List.of("notice_id", "brand", "listing_id", "notice_type", "submitted_at", "outcome"),
      "brands", List.of("brand", "enrolled_at"),
      "catalog", List.of("product_id"),
      "authorizations", List.of("brand", "seller_id", "valid_from"));

  static final Set<String> IDS = Set.of("event_id", "account_id", "listing_id", "seller_id", "order_id", "complaint_id",
      "notice_id", "product_id");
  static final Set<String> TIMESTAMPS = Set.of("event_time", "order_time", "complaint_time", "submitted_at",
      "resolved_at", "enrolled_at", "valid_from", "valid_to");
  static final Set<String> MONEY = Set.of("price_usd", "unit_price_usd", "reference_price_usd");

  static Set<String> enumValues(String table, String field) {
    return switch (field) {
      case "event_type" -> table.equals("account_events")
          ? Set.of("REGISTERED", "VERIFIED", "BLOCKED", "REINSTATED", "CLOSED")
          : Set.of("SUBMISSION_BLOCKED", "CREATED", "UPDATED", "BLOCKED", "REMOVED", "REINSTATED");
      case "reason" -> Set.of("COUNTERFEIT", "FRAUD", "IDENTITY", "RELATED_ACCOUNT", "POLICY");
      case "block_reason" -> Set.of("COUNTERFEIT", "TRADEMARK", "SAFETY", "POLICY");
      case "referral_source" -> Set.of("SEARCH", "DIRECT", "INSTAGRAM", "TIKTOK", "YOUTUBE", "EXTERNAL_SITE");
      case "complaint_type" -> Set.of("COUNTERFEIT", "NOT_AS_DESCRIBED", "DAMAGED", "OTHER");
      case "notice_type" -> Set.of("COUNTERFEIT", "TRADEMARK", "COPYRIGHT", "PATENT");
      case "outcome" -> Set.of("VALID", "INVALID", "PENDING");
      default -> null;
    };
  }

  /** The contract reason for this line, or null when every rule holds (duplicates are not judged here). */
  static String reason(String table, String text) {
    JsonNode n;
    try {
      n = JSON.readTree(text);
    } catch (IOException e) {
      return "MALFORMED_JSON";
    }
    if (n == null || !n.isObject()) {
      return "MALFORMED_JSON";
    }
    List<String> required = new ArrayList<>(REQUIRED.get(table));
    String type = n.path("event_type").asText("");
    if (table.equals("account_events") && type.equals("REGISTERED")) {
      required.add("marketplace");
    }
    if (table.equals("account_events") && type.equals("BLOCKED")) {
      required.add("reason");
    }
    if (table.equals("listing_events") && type.equals("CREATED")) {
      required.addAll(List.of("product_id", "price_usd"));
    }
    if (table.equals("listing_events") && (type.equals("BLOCKED") || type.equals("SUBMISSION_BLOCKED"))) {
      required.add("block_reason");
    }
    for (String f : required) {
      if (!n.hasNonNull(f)) {
        return "MISSING_FIELD:" + f;
      }
    }
    for (var it = n.fields(); it.hasNext(); ) {
      var e = it.next();
      String f = e.getKey();
      JsonNode v = e.getValue();
      if (v.isNull()) {
        continue;
      }
      if (IDS.contains(f) && (!v.isTextual() || v.asText().isEmpty() || v.asText().length() > 128)) {
        return "BAD_ID:" + f;
      }
      if (TIMESTAMPS.contains(f)) {
        try {
          if (!v.isTextual()) {
            return "BAD_TIMESTAMP:" + f;
          }
          DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(v.asText());
        } catch (RuntimeException ex) {
          return "BAD_TIMESTAMP:" + f;
        }
      }
      Set<String> allowed = enumValues(table, f);
      if (allowed != null && !(v.isTextual() && allowed.contains(v.asText()))) {
        return "BAD_ENUM:" + f;
      }
      if (MONEY.contains(f) && (!v.isNumber() || v.asDouble() < 0)) {
        return "BAD_NUMBER:" + f;
      }
      if (f.equals("quantity") && (!v.isIntegralNumber() || v.asLong() < 1)) {
        return "BAD_NUMBER:" + f;
      }
    }
    return null;
  }

  static String key(String table, JsonNode n) {
    return switch (table) {
      case "account_events", "listing_events" -> n.path("event_id").asText();
      case "orders" -> n.path("order_id").asText();
      case "complaints" -> n.path("complaint_id").asText();
      case "notices" -> n.path("notice_id").asText();
      case "brands" -> n.path("brand").asText();
      case "catalog" -> n.path("product_id").asText();
      default -> n.path("brand").asText() + "|" + n.path("seller_id").asText() + "|" + n.path("valid_from").asText();
    };
  }

  static OffsetDateTime time(String s) {
    return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
  }

  /** Every line of every landing file, files in path order. */
  static List<Line> readAll(Path landing) throws IOException {
    List<Line> out = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> s = Files.walk(landing)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    for (Path f : files) {
      String rel = landing.relativize(f).toString().replace('\\', '/');
      String table = rel.substring(0, rel.indexOf('/'));
      try (InputStream raw = Files.newInputStream(f);
          InputStream in = rel.endsWith(".gz") ? new GZIPInputStream(raw) : raw;
          BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line;
        long no = 0;
        while ((line = r.readLine()) != null) {
          out.add(new Line(table, rel, ++no, line));
        }
      }
    }
    return out;
  }

  private LandingCheck() {}
}
