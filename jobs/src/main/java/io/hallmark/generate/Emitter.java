package io.hallmark.generate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Turns records into landing lines: picks the arrival folder (usually the event's UTC day, sometimes
 * days later), serialises with Jackson, and injects noise. Noise never replaces a good record: a
 * rejected line is a corrupted copy under a fresh key, a duplicate is an extra copy, a conflicting
 * duplicate is an extra copy with one changed field (which makes the original conflicting too when both
 * are in one batch). Every noise line, and every original a conflict spoils, gets a manifest entry.
 */
final class Emitter {
  static final String DUPLICATE = "DUPLICATE";
  static final String ACCEPTED = "ACCEPTED";
  static final String CONFLICT = "REJECTED:CONFLICTING_DUPLICATE";

  enum Kind {
    DUP_SAME_FILE, DUP_LATER, CONFLICT_SAME_FILE, CONFLICT_LATER, UNKNOWN_FIELD,
    MALFORMED_JSON, MISSING_FIELD, BAD_TIMESTAMP, BAD_ENUM, BAD_NUMBER, BAD_ID
  }

  /** A noise variant: kind, field (null = any applicable), variant number (0 = random). */
  record Noise(Kind kind, String field, int variant) {}

  private static final Kind[] RANDOM_KINDS;
  static {
    List<Kind> bag = new ArrayList<>();
    add(bag, Kind.DUP_SAME_FILE, 10);
    add(bag, Kind.DUP_LATER, 15);
    add(bag, Kind.CONFLICT_SAME_FILE, 4);
    add(bag, Kind.CONFLICT_LATER, 6);
    add(bag, Kind.UNKNOWN_FIELD, 15);
    add(bag, Kind.MALFORMED_JSON, 8);
    add(bag, Kind.MISSING_FIELD, 10);
    add(bag, Kind.BAD_TIMESTAMP, 10);
    add(bag, Kind.BAD_ENUM, 8);
    add(bag, Kind.BAD_NUMBER, 8);
    add(bag, Kind.BAD_ID, 6);
    RANDOM_KINDS = bag.toArray(new Kind[0]);
  }

  private static void add(List<Kind> bag, Kind k, int n) {
    for (int i = 0; i < n; i++) {
      bag.add(k);
    }
  }

  private final LandingSink sink;
  private final ObjectMapper mapper = new ObjectMapper();
  private final long seed;
  private final double noiseRate;
  private final double lateRate;
  /** Variants forced once each (first applicable record) so that even a small lake shows every reason. */
  private final Map<String, Deque<Noise>> forced = new LinkedHashMap<>();
  private SplittableRandom rng = new SplittableRandom(0);
  /** Records seen and lines rejected so far, per table (for the rejected-share cap). */
  private final Map<String, Long> records = new LinkedHashMap<>();
  private final Map<String, Long> rejected = new LinkedHashMap<>();
  static final double MAX_REJECTED_SHARE = 0.025;
  private long freshCounter;
  long noiseLines;

  private final boolean monthly;

  Emitter(LandingSink sink, long seed, double noiseRate, double lateRate, boolean monthly) {
    this.sink = sink;
    this.monthly = monthly;
    this.seed = seed;
    this.noiseRate = noiseRate;
    this.lateRate = lateRate;
    if (noiseRate > 0) {
      force("orders", Kind.MALFORMED_JSON, null, 0);
      force("orders", Kind.MISSING_FIELD, "order_time", 1);
      force("orders", Kind.MISSING_FIELD, "quantity", 1);
      force("orders", Kind.BAD_TIMESTAMP, "order_time", 1); // no offset
      force("orders", Kind.BAD_TIMESTAMP, "order_time", 2); // impossible date
      force("orders", Kind.BAD_ENUM, "referral_source", 1);
      force("orders", Kind.BAD_NUMBER, "unit_price_usd", 1); // negative money
      force("orders", Kind.BAD_NUMBER, "quantity", 2); // quantity 0
      force("orders", Kind.BAD_ID, "order_id", 1); // empty
      force("orders", Kind.BAD_ID, "listing_id", 2); // > 128 chars
      force("orders", Kind.BAD_ID, "seller_id", 3); // a number
      force("orders", Kind.CONFLICT_SAME_FILE, null, 0);
      force("orders", Kind.CONFLICT_LATER, null, 0);
      force("orders", Kind.DUP_SAME_FILE, null, 0);
      force("orders", Kind.DUP_LATER, null, 0);
      force("orders", Kind.UNKNOWN_FIELD, null, 0);
      force("listing_events", Kind.MISSING_FIELD, "price_usd", 1);
      force("listing_events", Kind.MISSING_FIELD, "product_id", 1);
      force("listing_events", Kind.BAD_NUMBER, "price_usd", 1);
      force("listing_events", Kind.BAD_ENUM, "event_type", 1);
      force("listing_events", Kind.BAD_TIMESTAMP, "event_time", 1);
      force("listing_events", Kind.DUP_LATER, null, 0);
      force("listing_events", Kind.CONFLICT_LATER, null, 0);
      force("account_events", Kind.MISSING_FIELD, "marketplace", 1);
      force("account_events", Kind.BAD_ENUM, "event_type", 1);
      force("account_events", Kind.BAD_TIMESTAMP, "event_time", 1);
      force("account_events", Kind.BAD_ID, "account_id", 1);
      force("account_events", Kind.DUP_LATER, null, 0);
      force("account_events", Kind.UNKNOWN_FIELD, null, 0);
      force("complaints", Kind.BAD_ENUM, "complaint_type", 1);
      force("complaints", Kind.MISSING_FIELD, "order_id", 1);
      force("complaints", Kind.DUP_SAME_FILE, null, 0);
      force("notices", Kind.BAD_ENUM, "outcome", 1);
      force("notices", Kind.BAD_TIMESTAMP, "resolved_at", 3);
      force("notices", Kind.CONFLICT_LATER, null, 0);
      force("catalog", Kind.BAD_NUMBER, "reference_price_usd", 1);
      force("catalog", Kind.DUP_LATER, null, 0);
      force("brands", Kind.DUP_LATER, null, 0);
      force("authorizations", Kind.DUP_SAME_FILE, null, 0);
    }
  }

  private void force(String table, Kind kind, String field, int variant) {
    forced.computeIfAbsent(table, t -> new ArrayDeque<>()).add(new Noise(kind, field, variant));
  }

  /** The unit's own noise/arrival stream (so noise does not shift the domain data). */
  void beginUnit(SplittableRandom unitNoise) {
    this.rng = unitNoise;
  }

  /** A record whose arrival is its event day, or (late) 1-5 days later; re-deliveries go to a part-0001 file. */
  void emit(String table, String key, Map<String, Object> rec, long eventMillis) {
    long arrival = eventMillis;
    int part = 0;
    if (rng.nextDouble() < lateRate) {
      arrival += (1 + rng.nextInt(5)) * Stamps.DAY + rng.nextLong(Stamps.DAY / 2);
    }
    emitAt(table, key, rec, Stamps.utcDay(arrival), part, true);
  }

  /** A record arriving on a given day; reference tables get no random rejections (they are small). */
  void emitAt(String table, String key, Map<String, Object> rec, LocalDate day, int part, boolean rejectable) {
    String file = fileKey(table, day, part);
    Noise noise = chooseNoise(table, rec, rejectable);
    if (noise == null) {
      sink.add(table, file, json(rec), null);
      return;
    }
    switch (noise.kind) {
      case DUP_SAME_FILE -> {
        byte[] j = json(rec);
        sink.add(table, file, j, null);
        sink.add(table, file, j, entry(key, DUPLICATE, DUPLICATE));
      }
      case DUP_LATER -> {
        byte[] j = json(rec);
        sink.add(table, file, j, null);
        sink.add(table, fileKey(table, day.plusDays(1 + rng.nextInt(10)), 1), j, entry(key, DUPLICATE, DUPLICATE));
      }
      case CONFLICT_SAME_FILE -> {
        sink.add(table, file, json(rec), entry(key, CONFLICT, CONFLICT));
        sink.add(table, file, json(conflicting(table, rec)), entry(key, CONFLICT, CONFLICT));
      }
      case CONFLICT_LATER -> {
        // one batch: both versions rejected; folder by folder: the first stays accepted, the later one is
        // rejected (unless both fall in the same folder, as with the monthly layout)
        LocalDate later = day.plusDays(1 + rng.nextInt(10));
        boolean sameFolder = folder(later).equals(folder(day));
        sink.add(table, file, json(rec), entry(key, CONFLICT, sameFolder ? CONFLICT : ACCEPTED));
        sink.add(table, fileKey(table, later, 1), json(conflicting(table, rec)), entry(key, CONFLICT, CONFLICT));
      }
      case UNKNOWN_FIELD -> {
        Map<String, Object> copy = new LinkedHashMap<>(rec);
        switch (rng.nextInt(3)) {
          case 0 -> copy.put("source_system", "legacy-v" + (1 + rng.nextInt(4)));
          case 1 -> copy.put("trace_id", Ids.hex(rng.nextLong()));
          default -> copy.put("meta", Map.of("schema", 2, "retried", rng.nextBoolean()));
        }
        sink.add(table, file, json(copy), entry(key, ACCEPTED, ACCEPTED));
      }
      default -> {
        sink.add(table, file, json(rec), null);
        Rejected bad = corrupt(table, rec, noise);
        sink.add(table, file, bad.line, entry(bad.key, "REJECTED:" + bad.reason, "REJECTED:" + bad.reason));
      }
    }
  }

  private String entry(String key, String expected, String daily) {
    noiseLines++;
    return key.replace(',', ';') + "," + expected + "," + daily;
  }

  private String folder(LocalDate day) {
    return monthly ? "month=" + day.toString().substring(0, 7) : "dt=" + day;
  }

  private String fileKey(String table, LocalDate day, int part) {
    String folder = folder(day);
    // a few folders per table arrive gzip-compressed (the contract allows .jsonl.gz)
    boolean gz = Math.floorMod(Ids.mix(seed, (table + folder).hashCode()), monthly ? 7 : 23) == 0;
    return folder + "/part-000" + part + (gz ? ".jsonl.gz" : ".jsonl");
  }

  private Noise chooseNoise(String table, Map<String, Object> rec, boolean rejectable) {
    long seen = records.merge(table, 1L, Long::sum);
    Deque<Noise> queue = forced.get(table);
    if (queue != null && !queue.isEmpty() && applicable(table, rec, queue.peek())
        && withinRejectCap(table, seen, queue.peek().kind)) {
      return count(table, queue.poll());
    }
    if (noiseRate <= 0 || rng.nextDouble() >= noiseRate) {
      return null;
    }
    Kind kind = RANDOM_KINDS[rng.nextInt(RANDOM_KINDS.length)];
    Noise n = new Noise(kind, null, 0);
    if ((rejecting(kind) && !rejectable) || !applicable(table, rec, n) || !withinRejectCap(table, seen, kind)) {
      return new Noise(Kind.DUP_LATER, null, 0);
    }
    return count(table, n);
  }

  private static boolean rejecting(Kind kind) {
    return kind.ordinal() >= Kind.CONFLICT_SAME_FILE.ordinal() && kind != Kind.UNKNOWN_FIELD;
  }

  /**
   * Keeps every table's rejected share at most {@link #MAX_REJECTED_SHARE} of its records at any point, so a
   * small table (a few dozen notices) never crosses ingest's 5 % threshold by bad luck.
   */
  private boolean withinRejectCap(String table, long seen, Kind kind) {
    if (!rejecting(kind)) {
      return true;
    }
    int lines = kind == Kind.CONFLICT_SAME_FILE || kind == Kind.CONFLICT_LATER ? 2 : 1;
    return rejected.getOrDefault(table, 0L) + lines <= MAX_REJECTED_SHARE * seen;
  }

  private Noise count(String table, Noise n) {
    if (rejecting(n.kind)) {
      rejected.merge(table, n.kind == Kind.CONFLICT_SAME_FILE || n.kind == Kind.CONFLICT_LATER ? 2L : 1L, Long::sum);
    }
    return n;
  }

  private boolean applicable(String table, Map<String, Object> rec, Noise n) {
    return switch (n.kind) {
      case DUP_SAME_FILE, DUP_LATER, UNKNOWN_FIELD, MALFORMED_JSON -> true;
      case CONFLICT_SAME_FILE, CONFLICT_LATER -> conflicting(table, rec) != null;
      default -> {
        List<String> fields = fieldsFor(table, rec, n.kind);
        yield n.field == null ? !fields.isEmpty() : fields.contains(n.field);
      }
    };
  }

  /** Fields of this record that a corruption of the given kind may target (contract rules). */
  static List<String> fieldsFor(String table, Map<String, Object> rec, Kind kind) {
    List<String> out = new ArrayList<>();
    String type = String.valueOf(rec.get("event_type"));
    switch (table) {
      case "account_events" -> {
        switch (kind) {
          case MISSING_FIELD -> {
            out.addAll(List.of("event_id", "account_id", "event_type", "event_time"));
            if (type.equals("REGISTERED")) {
              out.add("marketplace");
            }
            if (type.equals("BLOCKED")) {
              out.add("reason");
            }
          }
          case BAD_TIMESTAMP -> out.add("event_time");
          case BAD_ENUM -> {
            out.add("event_type");
            if (rec.containsKey("reason")) {
              out.add("reason");
            }
          }
          case BAD_ID -> out.addAll(List.of("event_id", "account_id"));
          default -> { }
        }
      }
      case "listing_events" -> {
        switch (kind) {
          case MISSING_FIELD -> {
            out.addAll(List.of("event_id", "listing_id", "seller_id", "event_type", "event_time"));
            if (type.equals("CREATED")) {
              out.addAll(List.of("product_id", "price_usd"));
            }
            if (type.equals("BLOCKED") || type.equals("SUBMISSION_BLOCKED")) {
              out.add("block_reason");
            }
          }
          case BAD_TIMESTAMP -> out.add("event_time");
          case BAD_ENUM -> {
            out.add("event_type");
            if (rec.containsKey("block_reason")) {
              out.add("block_reason");
            }
          }
          case BAD_NUMBER -> {
            if (rec.get("price_usd") != null) {
              out.add("price_usd");
            }
          }
          case BAD_ID -> out.addAll(List.of("event_id", "listing_id", "seller_id"));
          default -> { }
        }
      }
      case "orders" -> {
        switch (kind) {
          case MISSING_FIELD -> out.addAll(List.of("order_id", "listing_id", "seller_id", "order_time", "quantity",
              "unit_price_usd"));
          case BAD_TIMESTAMP -> out.add("order_time");
          case BAD_ENUM -> {
            if (rec.containsKey("referral_source")) {
              out.add("referral_source");
            }
          }
          case BAD_NUMBER -> out.addAll(List.of("quantity", "unit_price_usd"));
          case BAD_ID -> out.addAll(List.of("order_id", "listing_id", "seller_id"));
          default -> { }
        }
      }
      case "complaints" -> {
        switch (kind) {
          case MISSING_FIELD -> out.addAll(List.of("complaint_id", "order_id", "complaint_time", "complaint_type"));
          case BAD_TIMESTAMP -> out.add("complaint_time");
          case BAD_ENUM -> out.add("complaint_type");
          case BAD_ID -> out.addAll(List.of("complaint_id", "order_id"));
          default -> { }
        }
      }
      case "notices" -> {
        switch (kind) {
          case MISSING_FIELD -> out.addAll(List.of("notice_id", "brand", "listing_id", "notice_type", "submitted_at",
              "outcome"));
          case BAD_TIMESTAMP -> {
            out.add("submitted_at");
            if (rec.containsKey("resolved_at")) {
              out.add("resolved_at");
            }
          }
          case BAD_ENUM -> out.addAll(List.of("notice_type", "outcome"));
          case BAD_ID -> out.addAll(List.of("notice_id", "listing_id"));
          default -> { }
        }
      }
      case "catalog" -> {
        if (kind == Kind.BAD_NUMBER && rec.get("reference_price_usd") != null) {
          out.add("reference_price_usd");
        }
      }
      default -> { }
    }
    return out;
  }

  private record Rejected(byte[] line, String key, String reason) {}

  private static final Map<String, String> KEY_FIELD = Map.of(
      "account_events", "event_id", "listing_events", "event_id", "orders", "order_id",
      "complaints", "complaint_id", "notices", "notice_id", "catalog", "product_id", "brands", "brand");

  /** A copy of {@code rec} under a fresh key, broken in exactly one way. */
  private Rejected corrupt(String table, Map<String, Object> rec, Noise noise) {
    Map<String, Object> bad = new LinkedHashMap<>(rec);
    String keyField = KEY_FIELD.get(table);
    String freshKey = rec.get(keyField) + "-R" + (freshCounter++);
    bad.put(keyField, freshKey);
    if (noise.kind == Kind.MALFORMED_JSON) {
      String text = new String(json(bad), StandardCharsets.UTF_8);
      int cut = 5 + rng.nextInt(Math.max(1, text.length() - 10));
      return new Rejected(text.substring(0, cut).getBytes(StandardCharsets.UTF_8), "", "MALFORMED_JSON");
    }
    List<String> fields = fieldsFor(table, rec, noise.kind);
    String field = noise.field != null ? noise.field : fields.get(rng.nextInt(fields.size()));
    int variant = noise.variant != 0 ? noise.variant : 1 + rng.nextInt(3);
    Object value = bad.get(field);
    switch (noise.kind) {
      case MISSING_FIELD -> {
        if (variant == 2 && !field.equals(keyField) && !field.endsWith("_id")) {
          bad.put(field, null); // explicit null counts as missing
        } else {
          bad.remove(field);
        }
      }
      case BAD_TIMESTAMP -> {
        long millis = java.time.OffsetDateTime.parse(String.valueOf(value)).toInstant().toEpochMilli();
        bad.put(field, switch (variant) {
          case 1 -> Stamps.withoutOffset(millis); // no offset
          case 2 -> "2021-02-30T10:15:30Z"; // impossible date
          default -> Stamps.utcDay(millis).format(java.time.format.DateTimeFormatter.ofPattern("dd.MM.uuuu")) + " 10:15"; // not ISO-8601
        });
      }
      case BAD_ENUM -> bad.put(field, variant == 1 ? String.valueOf(value).toLowerCase(java.util.Locale.ROOT)
          : switch (field) {
            case "referral_source" -> "FACEBOOK";
            case "event_type" -> "SUSPENDED";
            case "complaint_type" -> "FAKE";
            case "outcome" -> "REJECTED";
            default -> "OTHER_" + value;
          });
      case BAD_NUMBER -> {
        if (field.equals("quantity")) {
          bad.put(field, switch (variant) {
            case 2 -> 0;
            case 3 -> 1.5;
            default -> -1;
          });
        } else {
          double v = ((Number) value).doubleValue();
          bad.put(field, variant == 3 ? String.valueOf(v) : -Math.max(0.01, v)); // a string, or negative money
        }
      }
      case BAD_ID -> bad.put(field, switch (variant) {
        case 1 -> "";
        case 2 -> "X".repeat(129 + rng.nextInt(40));
        default -> 100000 + rng.nextInt(900000);
      });
      default -> throw new IllegalStateException("not a rejection: " + noise.kind);
    }
    String reason = noise.kind.name() + ":" + field;
    Object key = bad.get(keyField);
    return new Rejected(json(bad), key == null ? "" : String.valueOf(key), reason);
  }

  /** The same key with one business field changed, or null when this record has no safe field to change. */
  private Map<String, Object> conflicting(String table, Map<String, Object> rec) {
    Map<String, Object> c = new LinkedHashMap<>(rec);
    switch (table) {
      case "orders" -> c.put("quantity", ((Number) rec.get("quantity")).intValue() + 1);
      case "complaints" -> c.put("complaint_type",
          "OTHER".equals(rec.get("complaint_type")) ? "DAMAGED" : "OTHER");
      case "listing_events" -> {
        if (!"UPDATED".equals(rec.get("event_type")) || rec.get("price_usd") == null) {
          return null;
        }
        c.put("price_usd", ReferenceData.round2(((Number) rec.get("price_usd")).doubleValue() * 1.07 + 0.5));
      }
      case "notices" -> {
        if (!"INVALID".equals(rec.get("outcome")) && !"VALID".equals(rec.get("outcome"))) {
          return null;
        }
        c.put("outcome", "VALID".equals(rec.get("outcome")) ? "INVALID" : "VALID");
      }
      default -> {
        return null;
      }
    }
    return c;
  }

  byte[] json(Map<String, Object> rec) {
    try {
      return mapper.writeValueAsBytes(rec);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + rec, e);
    }
  }

  /** Forced variants still waiting for an applicable record (empty after a normal run). */
  List<String> unmetForced() {
    List<String> out = new ArrayList<>();
    forced.forEach((t, q) -> q.forEach(n -> out.add(t + ":" + n.kind + (n.field == null ? "" : ":" + n.field))));
    return out;
  }
}
