package io.hallmark.yearly;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A second, independent reading of the yearly-metrics spec in plain Java over bronze records,
 * written without looking at the Spark job's structure: loops over entities, one metric at a time.
 * Used by the end-to-end test to check every column of every row.
 */
final class ReferenceYearlyStats {
  record AccountEvent(String id, String account, String type, Instant time, String marketplace, String reason) {}

  record ListingEvent(String id, String listing, String seller, String type, Instant time, String blockReason) {}

  record Order(String id, String seller, Instant time, long quantity) {}

  record Complaint(String id, String order, String type, Instant time) {}

  record Notice(String id, String listing, Instant submitted, String outcome, Instant resolved) {}

  record Brand(String brand, Instant enrolled) {}

  private static final Comparator<AccountEvent> ACCOUNT_ORDER =
      Comparator.comparing(AccountEvent::time).thenComparing(AccountEvent::id);
  private static final Comparator<ListingEvent> LISTING_ORDER =
      Comparator.comparing(ListingEvent::time).thenComparing(ListingEvent::id);

  static int year(Instant t) {
    return t.atZone(ZoneOffset.UTC).getYear();
  }

  /** (year/marketplace) -> column -> value (Long, Double or null), for every published row. */
  static Map<String, Map<String, Object>> compute(List<AccountEvent> accountEvents, List<ListingEvent> listingEvents,
      List<Order> orders, List<Complaint> complaints, List<Notice> notices, List<Brand> brands) {
    // duplicates count once: keep one record per id
    accountEvents = unique(accountEvents, AccountEvent::id);
    listingEvents = unique(listingEvents, ListingEvent::id);
    orders = unique(orders, Order::id);
    complaints = unique(complaints, Complaint::id);
    notices = unique(notices, Notice::id);
    brands = unique(brands, Brand::brand);

    Map<String, List<AccountEvent>> byAccount = new HashMap<>();
    accountEvents.forEach(e -> byAccount.computeIfAbsent(e.account(), k -> new ArrayList<>()).add(e));
    byAccount.values().forEach(l -> l.sort(ACCOUNT_ORDER));
    Map<String, List<ListingEvent>> byListing = new HashMap<>();
    listingEvents.forEach(e -> byListing.computeIfAbsent(e.listing(), k -> new ArrayList<>()).add(e));
    byListing.values().forEach(l -> l.sort(LISTING_ORDER));

    Map<String, String> marketplace = new HashMap<>();
    Map<String, Instant> registeredAt = new HashMap<>();
    byAccount.forEach((account, events) -> events.stream().filter(e -> e.type().equals("REGISTERED")).findFirst()
        .ifPresent(r -> {
          marketplace.put(account, r.marketplace() == null ? "UNKNOWN" : r.marketplace());
          registeredAt.put(account, r.time());
        }));
    java.util.function.Function<String, String> mp = seller -> marketplace.getOrDefault(seller, "UNKNOWN");

    Map<String, List<Instant>> createdBySeller = new HashMap<>();
    listingEvents.stream().filter(e -> e.type().equals("CREATED"))
        .forEach(e -> createdBySeller.computeIfAbsent(e.seller(), k -> new ArrayList<>()).add(e.time()));

    Set<Integer> activeYears = new TreeSet<>();
    accountEvents.forEach(e -> activeYears.add(year(e.time())));
    listingEvents.forEach(e -> activeYears.add(year(e.time())));
    orders.forEach(o -> activeYears.add(year(o.time())));
    complaints.forEach(c -> activeYears.add(year(c.time())));
    notices.forEach(n -> activeYears.add(year(n.submitted())));

    Counts counts = new Counts();
    Map<String, List<Double>> blockHours = new HashMap<>();

    // accounts
    for (Map.Entry<String, List<AccountEvent>> entry : byAccount.entrySet()) {
      String account = entry.getKey();
      List<AccountEvent> events = entry.getValue();
      String m = mp.apply(account);
      Instant reg = registeredAt.get(account);
      List<Instant> created = createdBySeller.getOrDefault(account, List.of());
      Instant firstListing = created.stream().min(Comparator.naturalOrder()).orElse(null);
      if (reg != null) {
        int y = year(reg);
        counts.add(y, m, "accounts_registered");
        Instant limit = reg.plus(Duration.ofHours(90 * 24));
        boolean verified = events.stream().anyMatch(e -> e.type().equals("VERIFIED")
            && !e.time().isBefore(reg) && !e.time().isAfter(limit));
        boolean listed = created.stream().anyMatch(t -> !t.isBefore(reg) && !t.isAfter(limit));
        if (verified && listed) {
          counts.add(y, m, "accounts_verified_and_listed_90d");
        }
      }
      Map<Integer, List<AccountEvent>> blocksByYear = new TreeMap<>();
      events.stream().filter(e -> e.type().equals("BLOCKED"))
          .forEach(e -> blocksByYear.computeIfAbsent(year(e.time()), k -> new ArrayList<>()).add(e));
      for (Map.Entry<Integer, List<AccountEvent>> yearBlocks : blocksByYear.entrySet()) {
        int y = yearBlocks.getKey();
        Instant earliest = yearBlocks.getValue().get(0).time();
        counts.add(y, m, "accounts_blocked");
        if (firstListing == null || earliest.isBefore(firstListing)) {
          counts.add(y, m, "accounts_blocked_before_first_listing");
        }
        if (yearBlocks.getValue().stream().anyMatch(b -> "COUNTERFEIT".equals(b.reason()))) {
          counts.add(y, m, "counterfeit_accounts_blocked");
        }
        boolean repeat = yearBlocks.getValue().stream().anyMatch(b -> events.stream().anyMatch(r ->
            r.type().equals("REINSTATED") && r.time().isBefore(b.time())
                && events.stream().anyMatch(b0 -> b0.type().equals("BLOCKED") && b0.time().isBefore(r.time()))));
        if (repeat) {
          counts.add(y, m, "repeat_blocked_accounts");
        }
        if (reg != null) {
          double hours = Duration.between(reg, earliest).toNanos() / 3.6e12;
          blockHours.computeIfAbsent(y + "/" + m, k -> new ArrayList<>()).add(hours);
          blockHours.computeIfAbsent(y + "/ALL", k -> new ArrayList<>()).add(hours);
        }
      }
    }

    // listings
    Map<String, Instant> firstNotice = new HashMap<>();
    notices.forEach(n -> firstNotice.merge(n.listing(), n.submitted(), (a, b) -> a.isBefore(b) ? a : b));
    Map<String, String> listingSeller = new HashMap<>();
    for (Map.Entry<String, List<ListingEvent>> entry : byListing.entrySet()) {
      String listing = entry.getKey();
      List<ListingEvent> events = entry.getValue();
      ListingEvent firstCreated = events.stream().filter(e -> e.type().equals("CREATED")).findFirst().orElse(null);
      String seller = firstCreated == null ? null : firstCreated.seller();
      listingSeller.put(listing, seller != null ? seller : events.get(0).seller());
      if (firstCreated != null) {
        counts.add(year(firstCreated.time()), mp.apply(seller), "listings_created");
      }
      Map<Integer, ListingEvent> countedSubmission = new TreeMap<>();
      for (ListingEvent e : events) {
        if (e.type().equals("SUBMISSION_BLOCKED")
            && (firstCreated == null || !firstCreated.time().isBefore(e.time()))) {
          countedSubmission.putIfAbsent(year(e.time()), e); // events are in (time, id) order: the first wins
        }
      }
      countedSubmission.forEach((y, e) -> counts.add(y, mp.apply(seller != null ? seller : e.seller()), "submissions_blocked"));
      Map<Integer, ListingEvent> earliestIpBlock = new TreeMap<>();
      for (ListingEvent e : events) {
        if (e.type().equals("BLOCKED") && ("COUNTERFEIT".equals(e.blockReason()) || "TRADEMARK".equals(e.blockReason()))) {
          earliestIpBlock.putIfAbsent(year(e.time()), e);
        }
      }
      Instant notice = firstNotice.get(listing);
      earliestIpBlock.forEach((y, e) -> {
        String m = mp.apply(seller != null ? seller : e.seller());
        counts.add(y, m, "listings_blocked_ip");
        if (notice == null || e.time().isBefore(notice)) {
          counts.add(y, m, "listings_blocked_proactively");
        }
      });
    }

    // notices
    for (Notice n : notices) {
      int y = year(n.submitted());
      String m = mp.apply(listingSeller.get(n.listing()));
      counts.add(y, m, "notices_submitted");
      if (n.outcome().equals("VALID")) {
        counts.add(y, m, "valid_notices");
      }
      if (n.resolved() != null) {
        counts.add(y, m, "notices_resolved");
        if (Duration.between(n.submitted(), n.resolved()).compareTo(Duration.ofHours(24)) <= 0) {
          counts.add(y, m, "notices_resolved_within_24h");
        }
      }
    }

    // orders
    Set<String> counterfeitOrders = new TreeSet<>();
    complaints.stream().filter(c -> c.type().equals("COUNTERFEIT")).forEach(c -> counterfeitOrders.add(c.order()));
    for (Order o : orders) {
      int y = year(o.time());
      String m = mp.apply(o.seller());
      counts.add(y, m, "orders");
      counts.add(y, m, "units_sold", o.quantity());
      if (counterfeitOrders.contains(o.id())) {
        counts.add(y, m, "orders_with_counterfeit_complaint");
      }
    }

    Map<String, Map<String, Object>> result = new TreeMap<>();
    if (activeYears.isEmpty()) {
      return result;
    }
    int first = activeYears.iterator().next();
    int last = ((TreeSet<Integer>) activeYears).last();
    Set<String> keys = new TreeSet<>(counts.byKey.keySet());
    for (int y = first; y <= last; y++) {
      keys.add(y + "/ALL");
    }
    for (String key : keys) {
      int y = Integer.parseInt(key.substring(0, 4));
      boolean all = key.endsWith("/ALL");
      Map<String, Long> c = counts.byKey.getOrDefault(key, Map.of());
      java.util.function.Function<String, Long> n = col -> c.getOrDefault(col, 0L);
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("accounts_registered", n.apply("accounts_registered"));
      row.put("accounts_blocked", n.apply("accounts_blocked"));
      row.put("accounts_blocked_before_first_listing", n.apply("accounts_blocked_before_first_listing"));
      row.put("pre_listing_block_share", share(n.apply("accounts_blocked_before_first_listing"), n.apply("accounts_blocked")));
      row.put("counterfeit_accounts_blocked", n.apply("counterfeit_accounts_blocked"));
      row.put("accounts_verified_and_listed_90d", n.apply("accounts_verified_and_listed_90d"));
      row.put("verification_pass_share", share(n.apply("accounts_verified_and_listed_90d"), n.apply("accounts_registered")));
      row.put("repeat_blocked_accounts", n.apply("repeat_blocked_accounts"));
      row.put("listings_created", n.apply("listings_created"));
      row.put("submissions_blocked", n.apply("submissions_blocked"));
      row.put("listings_blocked_ip", n.apply("listings_blocked_ip"));
      row.put("listings_blocked_proactively", n.apply("listings_blocked_proactively"));
      row.put("proactive_block_share", share(n.apply("listings_blocked_proactively"), n.apply("listings_blocked_ip")));
      row.put("notices_submitted", n.apply("notices_submitted"));
      row.put("valid_notices", n.apply("valid_notices"));
      Long brandCount = null;
      if (all) {
        Instant endOfYear = java.time.LocalDate.of(y + 1, 1, 1).atStartOfDay(ZoneOffset.UTC).toInstant();
        brandCount = brands.stream().filter(b -> b.enrolled().isBefore(endOfYear)).count();
      }
      row.put("brands_enrolled", brandCount);
      row.put("valid_notices_per_brand", all ? share(n.apply("valid_notices"), brandCount) : null);
      row.put("notices_resolved_within_24h_share", share(n.apply("notices_resolved_within_24h"), n.apply("notices_resolved")));
      row.put("orders", n.apply("orders"));
      row.put("units_sold", n.apply("units_sold"));
      row.put("orders_with_counterfeit_complaint", n.apply("orders_with_counterfeit_complaint"));
      row.put("counterfeit_complaint_rate", share(n.apply("orders_with_counterfeit_complaint"), n.apply("orders")));
      row.put("median_hours_registration_to_block", median(blockHours.get(key)));
      result.put(key, row);
    }
    return result;
  }

  private static Double share(long numerator, long denominator) {
    return denominator == 0 ? null : (double) numerator / denominator;
  }

  private static Double median(List<Double> values) {
    if (values == null || values.isEmpty()) {
      return null;
    }
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
  }

  private static <T> List<T> unique(List<T> records, java.util.function.Function<T, String> key) {
    Map<String, T> byKey = new LinkedHashMap<>();
    records.forEach(r -> byKey.putIfAbsent(key.apply(r), r));
    return new ArrayList<>(byKey.values());
  }

  /** Counts per "year/marketplace", each addition also made to "year/ALL". */
  private static final class Counts {
    final Map<String, Map<String, Long>> byKey = new TreeMap<>();

    void add(int year, String marketplace, String column) {
      add(year, marketplace, column, 1);
    }

    void add(int year, String marketplace, String column, long amount) {
      byKey.computeIfAbsent(year + "/" + marketplace, k -> new HashMap<>()).merge(column, amount, Long::sum);
      byKey.computeIfAbsent(year + "/ALL", k -> new HashMap<>()).merge(column, amount, Long::sum);
    }
  }
}
