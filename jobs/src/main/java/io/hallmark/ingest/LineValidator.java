package io.hallmark.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hallmark.config.PiiKey;
import io.hallmark.ingest.LandingRules.Field;
import java.io.IOException;
import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.Year;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks one landing line against the contract and gives at most ONE reason. Order of checks
 * (deterministic, first failure wins):
 * <ol>
 *   <li>the line is valid UTF-8, one JSON object, no repeated field name, nothing after it; else
 *       {@code MALFORMED_JSON};</li>
 *   <li>then field by field in the contract's order ({@link LandingRules#FIELDS}): absent or null
 *       but required (also the event-type conditional ones) gives {@code MISSING_FIELD:f}; present
 *       with a wrong value gives the field kind's reason ({@code BAD_ID}, {@code BAD_ENUM},
 *       {@code BAD_TIMESTAMP}, {@code BAD_NUMBER}, {@code BAD_BOOLEAN}, {@code BAD_TEXT}).</li>
 * </ol>
 * Duplicate handling ({@code CONFLICTING_DUPLICATE}) comes later, on the lines that pass here.
 *
 * <p>The quarantine text of every line is computed here too, so raw personal data never leaves this
 * class: for parseable JSON the values of top-level {@code email}/{@code phone} are replaced, in
 * place, by their HMAC (the rest stays verbatim); for malformed lines anything that looks like an
 * email or a phone number, and whatever follows an {@code "email"}/{@code "phone"} key, is replaced.
 */
public final class LineValidator implements Serializable {
  public static final String MALFORMED_JSON = "MALFORMED_JSON";
  public static final int MAX_ID_LENGTH = 128;

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final JsonFactory FACTORY = new JsonFactory();
  // the fast path's parser: same strictness as MAPPER (repeated names fail; trailing tokens are checked by hand)
  private static final JsonFactory STRICT_FACTORY =
      JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private static final Pattern CODE2 = Pattern.compile("[A-Z]{2}");
  private static final Pattern PERSONAL_KEY_VALUE =
      Pattern.compile("\"(email|phone)\"(\\s*:\\s*)(\"(?:[^\"\\\\]|\\\\.)*\"?|[^,}\\]\\s]+)");
  private static final Pattern EMAIL_LIKE =
      Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+");
  // at least 7 digits/separators, not glued to a word, a decimal point or a timestamp, not a date
  private static final Pattern PHONE_LIKE =
      Pattern.compile("(?<![\\w:.+-])(?!\\d{4}-\\d{2}-\\d{2})\\+?\\(?\\d[\\d ()./-]{5,}\\d(?![\\w:.-])");

  private final PiiKey pii;

  public LineValidator(PiiKey pii) {
    this.pii = pii;
  }

  /**
   * @param reason null when the line is valid
   * @param quarantineText the line with personal data hashed (what a quarantine row keeps)
   * @param values bronze column name to typed value (String, Long micros for timestamps, Double,
   *     Boolean); only for valid lines
   * @param eventYear UTC year of the table's main timestamp (event tables, valid lines)
   */
  public record Result(String reason, String quarantineText, Map<String, Object> values, Integer eventYear) {
    public boolean valid() {
      return reason == null;
    }
  }

  public Result validate(String table, String line, boolean validUtf8) {
    List<Field> fields = LandingRules.FIELDS.get(table);
    if (fields == null) {
      throw new IllegalArgumentException("not a contract table: " + table);
    }
    JsonNode root = validUtf8 ? parseObject(line) : null;
    if (root == null) {
      return new Result(MALFORMED_JSON, scrubMalformed(line), null, null);
    }
    String quarantineText = hashPersonalFields(line);
    Map<String, Object> values = new LinkedHashMap<>();
    String eventType = null;
    for (Field field : fields) {
      JsonNode node = root.get(field.name());
      if (node == null || node.isNull()) {
        if (field.requiredFor(eventType)) {
          return new Result("MISSING_FIELD:" + field.name(), quarantineText, null, null);
        }
        values.put(field.column(), field.defaultValue());
        continue;
      }
      Object value = typed(field, node);
      if (value == null) {
        return new Result(badReason(field) + ":" + field.name(), quarantineText, null, null);
      }
      if (field.name().equals("event_type")) {
        eventType = (String) value;
      }
      values.put(field.column(), value);
    }
    Integer eventYear = null;
    String eventTime = LandingRules.EVENT_TIME.get(table);
    if (eventTime != null) {
      eventYear = yearOf((Long) values.get(eventTime));
    }
    return new Result(null, quarantineText, values, eventYear);
  }

  /**
   * The fast path: clears a line only when it can prove the line valid, and then writes exactly the
   * values {@link #validate} would give into {@code row} (at {@link IngestSchemas#LINE_SCHEMA}'s
   * indexes) and returns the UTC event year (0 for tables without one). Returns -1 for every other
   * line, which then goes through {@link #validate} for its reason and quarantine text: so the
   * verdict on every line is the exact validator's, and the fast path decides nothing but speed. It
   * streams the bytes once (no tree, no second pass for personal fields, no quarantine text for a
   * valid line) and reads plain ISO timestamps without the JDK's formatter.
   *
   * <p>It parses the same {@code String} with the same strict parser settings as the exact path, so the
   * two agree on what is one JSON object (repeated names, trailing tokens, byte order marks).
   *
   * @param line a line of valid UTF-8 (the caller sends invalid UTF-8 to {@link #validate})
   * @return the UTC event year, 0 for a valid line of a table without event time, -1 when not cleared
   */
  public int validInto(String table, String line, Object[] row) {
    TablePlan plan = TablePlan.of(table);
    Field[] fields = plan.fields;
    JsonToken[] tokens = new JsonToken[fields.length];
    Object[] raw = new Object[fields.length];
    try (JsonParser p = STRICT_FACTORY.createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return -1;
      }
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        Integer i = plan.index.get(p.currentName());
        JsonToken value = p.nextToken();
        if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
          p.skipChildren(); // no contract field takes an object or array: a known one is left to the exact path
          if (i != null) {
            return -1;
          }
          continue;
        }
        if (i == null) {
          continue; // unknown fields are ignored (and, scalar, need no skipping)
        }
        tokens[i] = value;
        raw[i] = switch (value) {
          case VALUE_STRING -> p.getText();
          case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? null : (Object) p.getLongValue();
          case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
          default -> null;
        };
      }
      if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
        return -1;
      }
    } catch (IOException e) {
      return -1;
    }
    String eventType = null;
    for (int i = 0; i < fields.length; i++) {
      Field field = fields[i];
      JsonToken token = tokens[i];
      if (token == null || token == JsonToken.VALUE_NULL) {
        if (field.requiredFor(eventType)) {
          return -1;
        }
        row[plan.columns[i]] = field.defaultValue();
        continue;
      }
      Object value = fastTyped(field, token, raw[i]);
      if (value == null) {
        return -1;
      }
      if (i == plan.eventTypeField) {
        eventType = (String) value;
      }
      row[plan.columns[i]] = value;
    }
    return plan.eventTimeField < 0 ? 0 : yearOf((Long) row[plan.columns[plan.eventTimeField]]);
  }

  /** {@link #typed} for a scalar token; null when the value breaks the rule or is left to the exact path. */
  private Object fastTyped(Field field, JsonToken token, Object raw) {
    boolean text = token == JsonToken.VALUE_STRING;
    switch (field.kind()) {
      case ID: {
        if (!text) {
          return null;
        }
        String s = (String) raw;
        int length = s.length() <= MAX_ID_LENGTH ? s.length() : s.codePointCount(0, s.length());
        return length == 0 || length > MAX_ID_LENGTH ? null : s;
      }
      case TEXT:
        return text ? raw : null;
      case PERSONAL:
        return text ? pii.hash((String) raw) : null;
      case ENUM:
        return text && field.allowed().contains(raw) ? raw : null;
      case CODE2: {
        if (!text) {
          return null;
        }
        String s = (String) raw;
        return s.length() == 2 && isUpper(s.charAt(0)) && isUpper(s.charAt(1)) ? s : null;
      }
      case TIMESTAMP: {
        if (!text) {
          return null;
        }
        Long micros = plainTimestampMicros((String) raw);
        return micros != null ? micros : timestampMicros((String) raw);
      }
      case MONEY: {
        double d;
        if (token == JsonToken.VALUE_NUMBER_FLOAT) {
          d = (Double) raw;
        } else if (token == JsonToken.VALUE_NUMBER_INT && raw != null) {
          d = (double) (Long) raw; // what IntNode/LongNode.doubleValue() give
        } else {
          return null; // strings, booleans, integers beyond a long: the exact path
        }
        return Double.isFinite(d) && d >= 0 ? d : null;
      }
      case QUANTITY:
        return token == JsonToken.VALUE_NUMBER_INT && raw != null && (Long) raw >= 1 ? raw : null;
      case BOOLEAN:
        return token == JsonToken.VALUE_TRUE ? Boolean.TRUE : token == JsonToken.VALUE_FALSE ? Boolean.FALSE : null;
      default:
        throw new IllegalStateException(field.kind().name());
    }
  }

  private static boolean isUpper(char c) {
    return c >= 'A' && c <= 'Z';
  }

  /**
   * {@link #timestampMicros} for the plain form {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}](Z|+HH:MM|-HH:MM)}
   * with a year from 1000 to 9998 (so its UTC year is always storable), read digit by digit; null for
   * anything else (minutes without seconds, other years, lower-case letters, bad digits or ranges),
   * which {@link #timestampMicros} then decides with the JDK's ISO formatter.
   */
  static Long plainTimestampMicros(String s) {
    int n = s.length();
    if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
        || s.charAt(16) != ':') {
      return null;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    int second = digits(s, 17, 2);
    if (year < 1000 || year > 9998 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0
        || minute > 59 || second < 0 || second > 59 || day > java.time.Month.of(month).length(Year.isLeap(year))) {
      return null; // digits() gives -1 for a non-digit, which fails these too
    }
    int i = 19;
    long micros = 0;
    if (s.charAt(i) == '.') {
      int start = ++i;
      while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        if (i - start < 6) {
          micros = micros * 10 + (s.charAt(i) - '0');
        }
        i++;
      }
      int fractionDigits = i - start;
      if (fractionDigits == 0 || fractionDigits > 9) {
        return null;
      }
      for (int k = fractionDigits; k < 6; k++) {
        micros *= 10;
      }
    }
    int offsetSeconds;
    if (i == n - 1 && s.charAt(i) == 'Z') {
      offsetSeconds = 0;
    } else if (i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
      int oh = digits(s, i + 1, 2);
      int om = digits(s, i + 4, 2);
      if (oh < 0 || om < 0 || om > 59 || oh > 18 || (oh == 18 && om > 0)) {
        return null;
      }
      offsetSeconds = (s.charAt(i) == '-' ? -1 : 1) * (oh * 3600 + om * 60);
    } else {
      return null;
    }
    long epochSecond = LocalDate.of(year, month, day).toEpochDay() * 86_400L + hour * 3600L + minute * 60L + second
        - offsetSeconds;
    return epochSecond * 1_000_000L + micros;
  }

  /** The non-negative number written by {@code count} ASCII digits at {@code from}, or -1. */
  private static int digits(String s, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  /** A table's fields for the fast path: by name, and where each one's value goes in a line row. */
  private static final class TablePlan {
    private static final Map<String, TablePlan> PLANS = new HashMap<>();

    static {
      for (Map.Entry<String, List<Field>> e : LandingRules.FIELDS.entrySet()) {
        PLANS.put(e.getKey(), new TablePlan(e.getKey(), e.getValue()));
      }
    }

    final Field[] fields;
    final Map<String, Integer> index = new HashMap<>();
    final int[] columns;
    final int eventTypeField;
    final int eventTimeField;

    private TablePlan(String table, List<Field> fieldList) {
      fields = fieldList.toArray(Field[]::new);
      columns = new int[fields.length];
      int type = -1;
      int time = -1;
      for (int i = 0; i < fields.length; i++) {
        index.put(fields[i].name(), i);
        columns[i] = IngestSchemas.LINE_SCHEMA.fieldIndex(fields[i].column());
        if (fields[i].name().equals("event_type")) {
          type = i;
        }
        if (fields[i].name().equals(LandingRules.EVENT_TIME.get(table))) {
          time = i;
        }
      }
      eventTypeField = type;
      eventTimeField = time;
    }

    static TablePlan of(String table) {
      TablePlan plan = PLANS.get(table);
      if (plan == null) {
        throw new IllegalArgumentException("not a contract table: " + table);
      }
      return plan;
    }
  }

  /** The object, or null when the line is not exactly one JSON object. */
  private static JsonNode parseObject(String line) {
    try {
      JsonNode node = MAPPER.readTree(line);
      return node != null && node.isObject() ? node : null;
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private static String badReason(Field field) {
    return switch (field.kind()) {
      case ID -> "BAD_ID";
      case TEXT, PERSONAL -> "BAD_TEXT";
      case ENUM, CODE2 -> "BAD_ENUM";
      case TIMESTAMP -> "BAD_TIMESTAMP";
      case MONEY, QUANTITY -> "BAD_NUMBER";
      case BOOLEAN -> "BAD_BOOLEAN";
    };
  }

  /** The typed value, or null when the value breaks the field's rule. */
  private Object typed(Field field, JsonNode node) {
    switch (field.kind()) {
      case ID: {
        if (!node.isTextual()) {
          return null;
        }
        String s = node.textValue();
        int length = s.codePointCount(0, s.length());
        return length == 0 || length > MAX_ID_LENGTH ? null : s;
      }
      case TEXT:
        return node.isTextual() ? node.textValue() : null;
      case PERSONAL:
        return node.isTextual() ? pii.hash(node.textValue()) : null;
      case ENUM:
        return node.isTextual() && field.allowed().contains(node.textValue()) ? node.textValue() : null;
      case CODE2:
        return node.isTextual() && CODE2.matcher(node.textValue()).matches() ? node.textValue() : null;
      case TIMESTAMP:
        return node.isTextual() ? timestampMicros(node.textValue()) : null;
      case MONEY: {
        if (!node.isNumber()) {
          return null;
        }
        double d = node.doubleValue();
        return Double.isFinite(d) && d >= 0 ? d : null;
      }
      case QUANTITY:
        return node.isIntegralNumber() && node.canConvertToLong() && node.longValue() >= 1 ? node.longValue() : null;
      case BOOLEAN:
        return node.isBoolean() ? node.booleanValue() : null;
      default:
        throw new IllegalStateException(field.kind().name());
    }
  }

  /**
   * Microseconds since the epoch (UTC) of an ISO-8601 timestamp with an explicit offset, or null.
   * Digits below the microsecond are truncated (Spark's timestamp precision); years outside
   * 0001..9999 (UTC) are rejected since Spark cannot store them.
   */
  static Long timestampMicros(String text) {
    Instant instant;
    try {
      instant = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
    int year = instant.atOffset(ZoneOffset.UTC).getYear();
    if (year < 1 || year > 9999) {
      return null;
    }
    return Math.multiplyExact(instant.getEpochSecond(), 1_000_000L) + instant.getNano() / 1_000;
  }

  static int yearOf(long micros) {
    return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L)).atOffset(ZoneOffset.UTC).getYear();
  }

  /**
   * The line verbatim except the values of top-level {@code email} and {@code phone}, replaced by
   * the quoted HMAC of their text (of their JSON text when they are not strings).
   */
  String hashPersonalFields(String line) {
    List<int[]> spans = new ArrayList<>();
    List<String> hashes = new ArrayList<>();
    try (JsonParser p = FACTORY.createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return scrubMalformed(line);
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        boolean personal = name.equals("email") || name.equals("phone");
        int start = (int) p.getTokenLocation().getCharOffset();
        String text = null;
        if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
          p.skipChildren();
        } else {
          text = p.getText(); // also finishes the token, so the current location is just after it
        }
        int end = (int) p.getCurrentLocation().getCharOffset();
        if (personal && value != JsonToken.VALUE_NULL) {
          String raw = value == JsonToken.VALUE_STRING ? text : line.substring(start, end);
          spans.add(new int[] {start, end});
          hashes.add(pii.hash(raw));
        }
      }
    } catch (IOException e) {
      return scrubMalformed(line);
    }
    StringBuilder out = new StringBuilder(line);
    for (int i = spans.size() - 1; i >= 0; i--) {
      out.replace(spans.get(i)[0], spans.get(i)[1], "\"" + hashes.get(i) + "\"");
    }
    return out.toString();
  }

  /** For lines that are not JSON: replace anything that could be an email or phone number. */
  String scrubMalformed(String line) {
    StringBuilder keyed = new StringBuilder();
    Matcher m = PERSONAL_KEY_VALUE.matcher(line);
    while (m.find()) {
      String value = m.group(3);
      if (value.startsWith("\"")) {
        // the string's content, so a readable half of a line hashes like the same value in bronze
        value = value.substring(1, value.length() > 1 && value.endsWith("\"") ? value.length() - 1 : value.length());
      }
      String hashed = "\"" + m.group(1) + "\"" + m.group(2) + "\"" + pii.hash(value) + "\"";
      m.appendReplacement(keyed, Matcher.quoteReplacement(hashed));
    }
    m.appendTail(keyed);
    String noEmails = replaceAll(EMAIL_LIKE, keyed.toString());
    return replaceAll(PHONE_LIKE, noEmails);
  }

  private String replaceAll(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, pii.hash(m.group()));
    }
    m.appendTail(out);
    return out.toString();
  }
}
