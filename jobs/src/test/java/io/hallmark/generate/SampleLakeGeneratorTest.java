package io.hallmark.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hallmark.cli.Hallmark;
import io.hallmark.generate.LandingCheck.Line;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generator's output read back with a simple, independent reading of the contract
 * ({@link LandingCheck}): every manifest row is what the line deserves, every other line is valid,
 * plus the population properties the risk model and the yearly job rely on.
 */
class SampleLakeGeneratorTest {
  @TempDir static Path shared;
  static Path landing;
  static GenerationSummary summary;
  static List<Line> lines;
  /** manifest: "file#line" -> {record_key, expected, expected_by_folder} */
  static Map<String, String[]> manifest;
  static List<String[]> truth;

  @BeforeAll
  static void generateDailyLake() throws IOException {
    landing = shared.resolve("landing");
    summary = SampleLakeGenerator.generate(GeneratorOptions.defaults(landing).withAccounts(200).withYears(2024, 2024)
        .withSeed(11));
    lines = LandingCheck.readAll(landing);
    manifest = new HashMap<>();
    List<String> rows = Files.readAllLines(shared.resolve("noise_manifest.csv"));
    assertEquals("file,line,table,record_key,expected,expected_by_folder", rows.get(0));
    for (String r : rows.subList(1, rows.size())) {
      String[] c = r.split(",", -1);
      assertEquals(6, c.length, r);
      manifest.put(c[0] + "#" + c[1], new String[] {c[3], c[4], c[5]});
    }
    truth = Files.readAllLines(shared.resolve("ground_truth.csv")).stream().map(s -> s.split(",", -1)).toList();
  }

  private static Stream<JsonNode> valid(String table) {
    return lines.stream().filter(l -> l.table().equals(table))
        .filter(l -> !manifest.containsKey(l.file() + "#" + l.number()))
        .map(l -> parse(l.text()));
  }

  /** Parsed lines, kept: several tests read the same lake. */
  private static final Map<String, JsonNode> PARSED = new java.util.concurrent.ConcurrentHashMap<>();

  private static JsonNode parse(String text) {
    JsonNode cached = PARSED.get(text);
    if (cached != null) {
      return cached;
    }
    try {
      JsonNode n = LandingCheck.JSON.readTree(text);
      PARSED.put(text, n);
      return n;
    } catch (IOException e) {
      throw new AssertionError(text, e);
    }
  }

  private static JsonNode parseUncached(String text) {
    try {
      return LandingCheck.JSON.readTree(text);
    } catch (IOException e) {
      throw new AssertionError(text, e);
    }
  }

  @Test
  void everyTableHasDayFoldersAndFilesMatchTheLayout() throws IOException {
    for (String t : List.of("account_events", "listing_events", "orders", "complaints", "notices", "brands", "catalog",
        "authorizations")) {
      Path dir = landing.resolve(t);
      assertTrue(Files.isDirectory(dir), t);
      try (Stream<Path> s = Files.list(dir)) {
        List<String> folders = s.map(p -> p.getFileName().toString()).toList();
        assertFalse(folders.isEmpty(), t);
        for (String f : folders) {
          assertTrue(f.matches("dt=\\d{4}-\\d{2}-\\d{2}"), t + "/" + f);
        }
      }
    }
    List<String> names = lines.stream().map(Line::file).distinct().toList();
    assertTrue(names.stream().allMatch(n -> n.matches("[a-z_]+/dt=[0-9-]{10}/part-000[01]\\.jsonl(\\.gz)?")), names.toString());
    assertTrue(names.stream().anyMatch(n -> n.endsWith(".jsonl.gz")), "some gzip files");
    assertEquals(summary.totalLines(), lines.size());
  }

  @Test
  void manifestRowsAreWhatTheLineDeservesAndAllOtherLinesAreValid() {
    Map<String, Integer> checked = new TreeMap<>();
    for (Line l : lines) {
      String[] m = manifest.get(l.file() + "#" + l.number());
      String actual = LandingCheck.reason(l.table(), l.text());
      if (m != null && m[1].startsWith("REJECTED:") && !m[1].equals("REJECTED:CONFLICTING_DUPLICATE")) {
        assertEquals(m[1], "REJECTED:" + actual, l.file() + ":" + l.number() + " " + l.text());
        checked.merge(m[1].replaceAll(":[a-z_]+$", ""), 1, Integer::sum);
      } else {
        assertNull(actual, l.file() + ":" + l.number() + " " + l.text());
      }
    }
    Set<String> existing = lines.stream().map(l -> l.file() + "#" + l.number()).collect(Collectors.toSet());
    assertTrue(existing.containsAll(manifest.keySet()), "every manifest row points at an existing line");
    for (String reason : List.of("REJECTED:MALFORMED_JSON", "REJECTED:MISSING_FIELD", "REJECTED:BAD_TIMESTAMP",
        "REJECTED:BAD_ENUM", "REJECTED:BAD_NUMBER", "REJECTED:BAD_ID")) {
      assertTrue(checked.getOrDefault(reason, 0) >= 1, reason + " in " + checked);
    }
  }

  @Test
  void duplicatesAndConflictsAreExactlyTheManifestOnes() {
    Map<String, List<Line>> byKey = new HashMap<>();
    for (Line l : lines) {
      if (LandingCheck.reason(l.table(), l.text()) == null) {
        byKey.computeIfAbsent(l.table() + "/" + LandingCheck.key(l.table(), parse(l.text())), k -> new ArrayList<>()).add(l);
      }
    }
    int dupGroups = 0;
    int conflictGroups = 0;
    int sameFileConflicts = 0;
    int crossFolderDuplicates = 0;
    for (List<Line> group : byKey.values()) {
      if (group.size() == 1) {
        String[] m = manifest.get(group.get(0).file() + "#" + group.get(0).number());
        assertTrue(m == null || m[1].equals("ACCEPTED"), "lone line flagged " + group.get(0));
        continue;
      }
      Set<JsonNode> versions = group.stream().map(l -> parse(l.text())).collect(Collectors.toSet());
      if (versions.size() == 1) {
        dupGroups++;
        // the first copy (path order) is accepted, every later one a duplicate
        assertNull(manifest.get(group.get(0).file() + "#" + group.get(0).number()), group.toString());
        for (Line l : group.subList(1, group.size())) {
          assertArrayEquals(new String[] {"DUPLICATE", "DUPLICATE"},
              java.util.Arrays.copyOfRange(manifest.get(l.file() + "#" + l.number()), 1, 3), l.toString());
          if (!l.file().substring(0, l.file().lastIndexOf('/')).equals(
              group.get(0).file().substring(0, group.get(0).file().lastIndexOf('/')))) {
            crossFolderDuplicates++;
          }
        }
      } else {
        conflictGroups++;
        for (Line l : group) {
          assertEquals("REJECTED:CONFLICTING_DUPLICATE", manifest.get(l.file() + "#" + l.number())[1], l.toString());
        }
        if (group.get(0).file().equals(group.get(1).file())) {
          sameFileConflicts++;
        } else {
          // folder by folder, the first version arrives alone and is accepted
          assertEquals("ACCEPTED", manifest.get(group.get(0).file() + "#" + group.get(0).number())[2]);
        }
      }
    }
    assertTrue(dupGroups >= 2 && crossFolderDuplicates >= 1, "exact duplicates " + dupGroups);
    assertTrue(conflictGroups >= 2 && sameFileConflicts >= 1, "conflicts " + conflictGroups);
    long flagged = manifest.values().stream()
        .filter(m -> m[1].equals("DUPLICATE") || m[1].equals("REJECTED:CONFLICTING_DUPLICATE")).count();
    long inGroups = byKey.values().stream().filter(g -> g.size() > 1).mapToLong(g -> {
      Set<JsonNode> v = g.stream().map(l -> parse(l.text())).collect(Collectors.toSet());
      return v.size() == 1 ? g.size() - 1 : g.size();
    }).sum();
    assertEquals(inGroups, flagged, "no unflagged duplicate keys, no flagged line without its twin");
  }

  @Test
  void specificBadValuesOfTheContractAppear() {
    List<String> rejected = lines.stream().filter(l -> {
      String[] m = manifest.get(l.file() + "#" + l.number());
      return m != null && m[1].startsWith("REJECTED:");
    }).map(Line::text).toList();
    assertTrue(rejected.stream().anyMatch(t -> t.matches(".*\"order_time\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?\".*")),
        "a timestamp without offset");
    assertTrue(rejected.stream().anyMatch(t -> t.contains("\"unit_price_usd\":-")), "negative money");
    assertTrue(rejected.stream().anyMatch(t -> t.contains("\"quantity\":0,")), "quantity 0");
    assertTrue(rejected.stream().anyMatch(t -> t.contains("\"order_id\":\"\"")), "empty id");
    assertTrue(rejected.stream().anyMatch(t -> t.contains("X".repeat(129))), "id over 128 chars");
    assertTrue(rejected.stream().anyMatch(t -> t.matches(".*\"seller_id\":\\d+.*")), "numeric id");
  }

  @Test
  void rejectedShareStaysBelowTheIngestThresholdPerTable() {
    Map<String, Long> total = lines.stream().collect(Collectors.groupingBy(Line::table, Collectors.counting()));
    Map<String, Long> bad = lines.stream().filter(l -> {
      String[] m = manifest.get(l.file() + "#" + l.number());
      return m != null && m[1].startsWith("REJECTED:");
    }).collect(Collectors.groupingBy(Line::table, Collectors.counting()));
    bad.forEach((t, n) -> assertTrue(n < 0.05 * total.get(t), t + ": " + n + " of " + total.get(t)));
  }

  @Test
  void counterfeitSellersAreAFewPercentAndOnlyRingOrSoloSchemes() {
    List<String[]> rows = truth.subList(1, truth.size());
    assertEquals(List.of("seller_id", "is_counterfeit", "scheme"), List.of(truth.get(0)));
    assertEquals(200, rows.size());
    assertEquals(200, rows.stream().map(r -> r[0]).distinct().count());
    long cf = rows.stream().filter(r -> r[1].equals("true")).count();
    assertTrue(cf >= 6 && cf <= 12, "counterfeit sellers " + cf + " of 200");
    for (String[] r : rows) {
      assertEquals(r[1].equals("true"), r[2].startsWith("ring:") || r[2].equals("solo_counterfeit"), String.join(",", r));
    }
    Set<String> schemes = rows.stream().map(r -> r[2].replaceAll(":\\d+$", "")).collect(Collectors.toSet());
    assertTrue(schemes.containsAll(Set.of("ordinary", "authorized_reseller", "prelisting_bad_actor", "ring")), schemes.toString());
    // every account in the landing zone is in the truth file
    Set<String> ids = rows.stream().map(r -> r[0]).collect(Collectors.toSet());
    valid("account_events").forEach(n -> assertTrue(ids.contains(n.path("account_id").asText()), n.toString()));
  }

  @Test
  void everyRingMemberSharesAFingerprintWithAnotherMember() {
    Map<String, String> ringOf = new HashMap<>();
    truth.stream().filter(r -> r[2].startsWith("ring:")).forEach(r -> ringOf.put(r[0], r[2]));
    assertTrue(ringOf.size() >= 3);
    Map<String, List<JsonNode>> regs = new HashMap<>();
    valid("account_events").filter(n -> n.path("event_type").asText().equals("REGISTERED"))
        .filter(n -> ringOf.containsKey(n.path("account_id").asText()))
        .forEach(n -> regs.computeIfAbsent(ringOf.get(n.path("account_id").asText()), k -> new ArrayList<>()).add(n));
    for (List<JsonNode> members : regs.values()) {
      for (JsonNode a : members) {
        boolean shares = members.stream().filter(b -> b != a).anyMatch(b ->
            Stream.of("payment_fingerprint", "device_fingerprint", "address_fingerprint")
                .anyMatch(f -> a.hasNonNull(f) && a.path(f).asText().equals(b.path(f).asText())));
        assertTrue(shares, "ring member without shared fingerprint: " + a);
      }
    }
  }

  @Test
  void offsetTimestampsCrossTheUtcYearBoundaryAndLateArrivalsExist() {
    int crossing = 0;
    int late = 0;
    int fractional = 0;
    for (Line l : lines) {
      if (manifest.containsKey(l.file() + "#" + l.number())) {
        continue;
      }
      JsonNode n = parse(l.text());
      LocalDate folder = LocalDate.parse(l.file().replaceAll(".*/dt=([0-9-]{10})/.*", "$1"));
      for (String f : List.of("event_time", "order_time", "complaint_time", "submitted_at")) {
        if (n.hasNonNull(f)) {
          var t = LandingCheck.time(n.path(f).asText());
          if (t.getYear() != t.withOffsetSameInstant(ZoneOffset.UTC).getYear()) {
            crossing++;
          }
          if (n.path(f).asText().matches(".*:\\d\\d\\.\\d+([+-].*|Z)")) {
            fractional++;
          }
          LocalDate utcDay = t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDate();
          assertFalse(folder.isBefore(utcDay), "arrived before it happened: " + l);
          if (folder.isAfter(utcDay)) {
            late++;
          }
        }
      }
    }
    assertTrue(crossing >= 2, "year-crossing offsets: " + crossing);
    assertTrue(late >= 10, "late arrivals: " + late);
    assertTrue(fractional >= 10, "fractional seconds: " + fractional);
  }

  @Test
  void truthHoldsNoPersonalDataButTheLandingZoneHasEmailsAndPhones() throws IOException {
    List<String> emails = valid("account_events").filter(n -> n.hasNonNull("email"))
        .map(n -> n.path("email").asText()).toList();
    assertTrue(emails.size() >= 150, "emails " + emails.size());
    assertTrue(emails.stream().allMatch(e -> e.matches("[a-z]+\\.[a-z]+\\d+@example\\.com")), emails.toString());
    assertTrue(valid("account_events").anyMatch(n -> n.path("phone").asText().matches("\\+1-555-\\d{3}-\\d{4}")));
    String truthText = Files.readString(shared.resolve("ground_truth.csv"));
    String manifestText = Files.readString(shared.resolve("noise_manifest.csv"));
    assertFalse(truthText.contains("@") || manifestText.contains("@example.com"));
    assertFalse(truthText.contains("+1-555"));
  }

  @Test
  void ringSellersAreBlockedForCounterfeitWeeksAfterTheirFirstListing() {
    Set<String> ring = truth.stream().filter(r -> r[1].equals("true")).map(r -> r[0]).collect(Collectors.toSet());
    Map<String, Long> firstListing = new HashMap<>();
    valid("listing_events").filter(n -> n.path("event_type").asText().equals("CREATED"))
        .forEach(n -> firstListing.merge(n.path("seller_id").asText(),
            LandingCheck.time(n.path("event_time").asText()).toEpochSecond(), Math::min));
    Map<String, Long> firstBlock = new HashMap<>();
    valid("account_events").filter(n -> n.path("event_type").asText().equals("BLOCKED"))
        .filter(n -> n.path("reason").asText().equals("COUNTERFEIT"))
        .forEach(n -> firstBlock.merge(n.path("account_id").asText(),
            LandingCheck.time(n.path("event_time").asText()).toEpochSecond(), Math::min));
    assertTrue(ring.containsAll(firstBlock.keySet()), "only counterfeiters get COUNTERFEIT blocks");
    List<Long> lagDays = firstBlock.entrySet().stream().filter(e -> firstListing.containsKey(e.getKey()))
        .map(e -> (e.getValue() - firstListing.get(e.getKey())) / 86400).sorted().toList();
    assertTrue(lagDays.size() >= 3, "blocked counterfeiters " + lagDays);
    assertTrue(lagDays.get(lagDays.size() / 2) >= 30, "median lag " + lagDays);
    assertTrue(firstBlock.size() < ring.size(), "some counterfeiters are never blocked");
  }

  @Test
  void searchAndDirectDominateHonestTrafficYetSomeHonestSellersLiveOnOneInfluencer() {
    Map<String, String> scheme = new HashMap<>();
    truth.subList(1, truth.size()).forEach(r -> scheme.put(r[0], r[2]));
    Map<String, List<JsonNode>> bySeller = valid("orders").collect(Collectors.groupingBy(n -> n.path("seller_id").asText()));
    long honestOrders = 0;
    long honestSearchOrDirect = 0;
    int honestOnOneHandle = 0;
    for (Map.Entry<String, List<JsonNode>> e : bySeller.entrySet()) {
      String s = scheme.getOrDefault(e.getKey(), "?");
      if (s.startsWith("ring:") || s.equals("solo_counterfeit") || s.equals("?")) {
        continue;
      }
      List<JsonNode> orders = e.getValue();
      honestOrders += orders.size();
      // absent referral_source means DIRECT (contract)
      honestSearchOrDirect += orders.stream().filter(n -> !n.hasNonNull("referral_source")
          || Set.of("SEARCH", "DIRECT").contains(n.path("referral_source").asText())).count();
      Map<String, Long> perTag = orders.stream().filter(n -> n.hasNonNull("referral_tag"))
          .collect(Collectors.groupingBy(n -> n.path("referral_tag").asText(), Collectors.counting()));
      if (orders.size() >= 10 && perTag.values().stream().anyMatch(c -> c >= 0.25 * orders.size())) {
        honestOnOneHandle++;
      }
    }
    assertTrue(honestSearchOrDirect > 0.7 * honestOrders, honestSearchOrDirect + " of " + honestOrders);
    assertTrue(honestOnOneHandle >= 2, "honest sellers with a quarter of their orders from one handle: " + honestOnOneHandle);
  }

  @Test
  void blockAtTheInstantOfAListingAndReinstatementsExist() {
    Map<String, Set<String>> createdAt = new HashMap<>();
    valid("listing_events").filter(n -> n.path("event_type").asText().equals("CREATED"))
        .forEach(n -> createdAt.computeIfAbsent(n.path("seller_id").asText(), k -> new HashSet<>())
            .add(LandingCheck.time(n.path("event_time").asText()).toInstant().toString()));
    long sameInstant = valid("account_events").filter(n -> n.path("event_type").asText().equals("BLOCKED"))
        .filter(n -> createdAt.getOrDefault(n.path("account_id").asText(), Set.of())
            .contains(LandingCheck.time(n.path("event_time").asText()).toInstant().toString()))
        .count();
    assertTrue(sameInstant >= 1, "block at the instant of a CREATED");
    assertTrue(valid("account_events").anyMatch(n -> n.path("event_type").asText().equals("REINSTATED")));
    for (String type : List.of("SUBMISSION_BLOCKED", "UPDATED", "REMOVED", "BLOCKED")) {
      assertTrue(valid("listing_events").anyMatch(n -> n.path("event_type").asText().equals(type)), type);
    }
  }

  // ------------------------------------------------------------- determinism and options (monthly: fast)

  private static Map<String, String> digests(Path root) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        byte[] d = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
        out.put(root.relativize(p).toString(), java.util.HexFormat.of().formatHex(d));
      }
    }
    return out;
  }

  @Test
  void sameSeedGivesIdenticalBytesWhateverTheSpillSizeAndAnotherSeedDiffers(@TempDir Path tmp) throws Exception {
    GeneratorOptions a = GeneratorOptions.defaults(tmp.resolve("a/landing")).withAccounts(150).withYears(2022, 2023)
        .withSeed(5).withLayout(GeneratorOptions.Layout.MONTHLY);
    SampleLakeGenerator.generate(a);
    SampleLakeGenerator.generate(a.withOut(tmp.resolve("b/landing")), 10_000); // many small spills, same bytes
    SampleLakeGenerator.generate(a.withOut(tmp.resolve("c/landing")).withSeed(6));
    Map<String, String> first = digests(tmp.resolve("a"));
    assertTrue(first.size() > 20, first.toString());
    assertTrue(first.containsKey("ground_truth.csv") && first.containsKey("noise_manifest.csv"));
    assertEquals(first, digests(tmp.resolve("b")));
    Map<String, String> other = digests(tmp.resolve("c"));
    assertNotEquals(first.get("ground_truth.csv"), other.get("ground_truth.csv"));
    long sameFiles = first.entrySet().stream().filter(e -> e.getKey().startsWith("landing/orders/"))
        .filter(e -> e.getValue().equals(other.get(e.getKey()))).count();
    assertEquals(0, sameFiles, "no orders file identical under another seed");
  }

  @Test
  void cliRefusesANonEmptyLandingWithoutForceAndATruthFileInsideIt(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("landing");
    Files.createDirectories(out);
    Files.writeString(out.resolve("stray.txt"), "x");
    String[] args = {"generate", "--out", out.toString(), "--accounts", "30", "--from", "2024", "--to", "2024",
        "--layout", "MONTHLY", "--noise-rate", "0"};
    assertEquals(2, Hallmark.execute(args));
    assertFalse(Files.exists(out.resolve("orders")), "nothing written when refused");
    List<String> forced = new ArrayList<>(List.of(args));
    forced.add("--force");
    assertEquals(0, Hallmark.execute(forced.toArray(new String[0])));
    assertTrue(Files.isDirectory(out.resolve("orders")));
    assertEquals(31, Files.readAllLines(tmp.resolve("ground_truth.csv")).size(), "header + one row per account");
    assertEquals(1, Files.readAllLines(tmp.resolve("noise_manifest.csv")).size(), "noise rate 0: header only");
    assertEquals(0, Hallmark.execute("generate", "--out", tmp.resolve("l4").toString(), "--truth",
        tmp.resolve("l4.truth.csv").toString(), "--accounts", "20", "--layout", "MONTHLY", "--noise-rate", "0"));
    assertTrue(Files.exists(tmp.resolve("l4.truth.noise_manifest.csv")), "manifest named after its truth file");
    assertEquals(2, Hallmark.execute("generate", "--out", tmp.resolve("l2").toString(), "--truth",
        tmp.resolve("l2/truth.csv").toString()));
    assertEquals(2, Hallmark.execute("generate", "--out", tmp.resolve("l3").toString(), "--accounts", "0"));
  }

  @Test
  void aHighNoiseRateDropsTheCapSoIngestThresholdsCanBeExercised(@TempDir Path tmp) throws Exception {
    SampleLakeGenerator.generate(GeneratorOptions.quick(tmp.resolve("landing")).withNoiseRate(0.2));
    List<Line> all = LandingCheck.readAll(tmp.resolve("landing"));
    long orders = all.stream().filter(l -> l.table().equals("orders")).count();
    long badOrders = all.stream().filter(l -> l.table().equals("orders"))
        .filter(l -> LandingCheck.reason("orders", l.text()) != null).count();
    assertTrue(badOrders > 0.05 * orders, badOrders + " invalid of " + orders);
  }

  @Test
  void stealthRingsPriceCloserToListAndUseLessInfluencerTraffic(@TempDir Path tmp) throws Exception {
    double[] normal = ringSignals(tmp.resolve("n"), GeneratorOptions.Rings.PLAIN);
    double[] stealth = ringSignals(tmp.resolve("s"), GeneratorOptions.Rings.STEALTH);
    assertTrue(normal[0] < 0.4 && stealth[0] > 0.4, "median price / reference: " + normal[0] + " vs " + stealth[0]);
    assertTrue(normal[1] > 0.6 && stealth[1] < 0.55, "ring-handle share: " + normal[1] + " vs " + stealth[1]);
  }

  @Test
  void hidingRingsPriceLikeResellersAndAreLinkedOnlyByAnAddressAndTheirHandle(@TempDir Path tmp) throws Exception {
    double[] hiding = ringSignals(tmp.resolve("h"), GeneratorOptions.Rings.HIDING);
    assertTrue(hiding[0] > 0.55 && hiding[0] < 0.85, "median price / reference: " + hiding[0]);
    assertTrue(hiding[1] < 0.3, "social share of ring orders: " + hiding[1]);
    assertTrue(hiding[2] < 0.04, "counterfeit complaints per ring order: " + hiding[2]);
    Map<String, List<String>> rings = new TreeMap<>();
    Files.readAllLines(tmp.resolve("h/ground_truth.csv")).stream().map(s -> s.split(","))
        .filter(r -> r[2].startsWith("ring:")).forEach(r -> rings.computeIfAbsent(r[2], k -> new ArrayList<>()).add(r[0]));
    Map<String, JsonNode> registered = new HashMap<>();
    LandingCheck.readAll(tmp.resolve("h/landing")).stream().filter(l -> l.table().equals("account_events"))
        .map(l -> parseUncached(l.text())).filter(n -> n.path("event_type").asText().equals("REGISTERED"))
        .forEach(n -> registered.put(n.path("account_id").asText(), n));
    assertTrue(rings.size() >= 2, rings.toString());
    int members = 0;
    int atSharedAddress = 0;
    List<Long> gapsDays = new ArrayList<>();
    for (List<String> ring : rings.values()) {
      List<JsonNode> regs = ring.stream().map(registered::get).toList();
      for (JsonNode a : regs) {
        members++;
        for (JsonNode b : regs) {
          if (a != b) {
            for (String f : List.of("payment_fingerprint", "device_fingerprint")) {
              assertFalse(a.hasNonNull(f) && a.path(f).asText().equals(b.path(f).asText()), "shared " + f + ": " + a);
            }
          }
        }
        if (regs.stream().anyMatch(b -> b != a && a.hasNonNull("address_fingerprint")
            && a.path("address_fingerprint").asText().equals(b.path("address_fingerprint").asText()))) {
          atSharedAddress++;
        }
      }
      List<Long> days = regs.stream().map(n -> LandingCheck.time(n.path("event_time").asText()).toEpochSecond() / 86400)
          .sorted().toList();
      for (int i = 1; i < days.size(); i++) {
        gapsDays.add(days.get(i) - days.get(i - 1));
      }
    }
    // storefronts opened one after another, weeks apart, most of them at the ring's forwarding address
    List<Long> sorted = gapsDays.stream().sorted().toList();
    assertTrue(sorted.get(sorted.size() / 2) >= 10, "days between a ring's registrations: " + sorted);
    assertTrue(atSharedAddress >= members / 3 && atSharedAddress < members, atSharedAddress + " of " + members);
  }

  /**
   * {median price/reference of branded ring listings, share of ring orders from INSTAGRAM/TIKTOK with a tag,
   * counterfeit complaints per ring order}.
   */
  private static double[] ringSignals(Path dir, GeneratorOptions.Rings rings) throws IOException {
    GeneratorOptions o = GeneratorOptions.defaults(dir.resolve("landing")).withAccounts(300).withYears(2023, 2024)
        .withSeed(3).withRings(rings).withNoiseRate(0).withLayout(GeneratorOptions.Layout.MONTHLY);
    SampleLakeGenerator.generate(o);
    Set<String> ring = Files.readAllLines(dir.resolve("ground_truth.csv")).stream().map(s -> s.split(","))
        .filter(r -> r[2].startsWith("ring:")).map(r -> r[0]).collect(Collectors.toSet());
    List<Line> all = LandingCheck.readAll(dir.resolve("landing"));
    Map<String, Double> reference = new HashMap<>();
    all.stream().filter(l -> l.table().equals("catalog")).map(l -> parseUncached(l.text()))
        .filter(n -> n.hasNonNull("reference_price_usd"))
        .forEach(n -> reference.put(n.path("product_id").asText(), n.path("reference_price_usd").asDouble()));
    List<Double> ratios = all.stream().filter(l -> l.table().equals("listing_events")).map(l -> parseUncached(l.text()))
        .filter(n -> n.path("event_type").asText().equals("CREATED") && ring.contains(n.path("seller_id").asText()))
        .filter(n -> n.hasNonNull("brand") && reference.containsKey(n.path("product_id").asText()))
        .map(n -> n.path("price_usd").asDouble() / reference.get(n.path("product_id").asText())).sorted().toList();
    List<JsonNode> orders = all.stream().filter(l -> l.table().equals("orders")).map(l -> parseUncached(l.text()))
        .filter(n -> ring.contains(n.path("seller_id").asText())).toList();
    long tagged = orders.stream().filter(n -> n.hasNonNull("referral_tag"))
        .filter(n -> Set.of("INSTAGRAM", "TIKTOK").contains(n.path("referral_source").asText())).count();
    Set<String> ringOrders = orders.stream().map(n -> n.path("order_id").asText()).collect(Collectors.toSet());
    long counterfeitComplaints = all.stream().filter(l -> l.table().equals("complaints")).map(l -> parseUncached(l.text()))
        .filter(n -> n.path("complaint_type").asText().equals("COUNTERFEIT") && ringOrders.contains(n.path("order_id").asText()))
        .count();
    assertTrue(ratios.size() >= 10 && orders.size() >= 50, ratios.size() + " listings, " + orders.size() + " orders");
    return new double[] {ratios.get(ratios.size() / 2), (double) tagged / orders.size(),
        (double) counterfeitComplaints / orders.size()};
  }
}
