package io.hallmark.generate;

import io.hallmark.generate.ReferenceData.Product;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the contract's records of simulated accounts (account events, listing events, notices,
 * authorizations) through the emitter, drawing ids and timestamps from the {@link Simulation}.
 */
final class Records {
  private static final String[] COUNTRIES = {"US", "US", "US", "US", "GB", "GB", "DE", "DE", "FR", "FR", "JP", "IT",
      "ES", "CA", "NL"};
  private static final String[] FIRST = {"anna", "ben", "carla", "david", "emma", "felix", "grace", "hugo", "iris",
      "jonas", "kate", "liam", "maya", "noah", "olga", "paul", "rosa", "sam", "tina", "victor", "yuki", "zoe"};
  private static final String[] LAST = {"smith", "muller", "martin", "rossi", "garcia", "tanaka", "brown", "dubois",
      "schmidt", "lopez", "wilson", "bernard", "weber", "sato", "moore", "silva", "novak", "khan", "berg", "costa"};

  private final Simulation sim;

  Records(Simulation sim) {
    this.sim = sim;
  }

  /** A new account with its own identity and fingerprints (nothing emitted yet). */
  Account newAccount(String scheme) {
    Account a = new Account();
    a.id = sim.nextAccount();
    a.scheme = scheme;
    a.country = COUNTRIES[sim.rng.nextInt(COUNTRIES.length)];
    a.marketplace = switch (a.country) {
      case "CA" -> "US";
      case "NL" -> "DE";
      default -> a.country;
    };
    String first = FIRST[sim.rng.nextInt(FIRST.length)];
    String last = LAST[sim.rng.nextInt(LAST.length)];
    a.email = first + "." + last + (10 + sim.rng.nextInt(990)) + "@example.com";
    a.phone = "+1-555-" + (100 + sim.rng.nextInt(900)) + "-" + (1000 + sim.rng.nextInt(9000));
    a.pay = "pay_" + Ids.hex(sim.rng.nextLong());
    a.dev = "dev_" + Ids.hex(sim.rng.nextLong());
    a.addr = "adr_" + Ids.hex(sim.rng.nextLong());
    return a;
  }

  /** The account's {@code REGISTERED} event; {@code allFingerprints} = never leave a fingerprint out. */
  void register(Account a, long t, boolean allFingerprints) {
    a.reg = t;
    register(a, t, allFingerprints, true);
  }

  void register(Account a, long t, boolean allFingerprints, boolean first) {
    Map<String, Object> r = accountEvent(a, "REGISTERED", t);
    r.put("marketplace", a.marketplace);
    if (sim.rng.nextDouble() < 0.95) {
      r.put("country", a.country);
    }
    if (sim.rng.nextDouble() < 0.97) {
      r.put("email", a.email);
    }
    if (sim.rng.nextDouble() < 0.75) {
      r.put("phone", a.phone);
    }
    if (allFingerprints || sim.rng.nextDouble() < 0.9) {
      r.put("payment_fingerprint", a.pay);
    }
    if (allFingerprints || sim.rng.nextDouble() < 0.95) {
      r.put("device_fingerprint", a.dev);
    }
    if (allFingerprints || sim.rng.nextDouble() < 0.92) {
      r.put("address_fingerprint", a.addr);
    }
    sim.em.emit("account_events", (String) r.get("event_id"), r, t);
  }

  /** An account event other than registration (dropped when it falls after the simulated period). */
  void account(Account a, String type, long t, String reason) {
    if (t >= sim.tEnd) {
      return;
    }
    Map<String, Object> r = accountEvent(a, type, t);
    if (reason != null) {
      r.put("reason", reason);
    }
    sim.em.emit("account_events", (String) r.get("event_id"), r, t);
  }

  private Map<String, Object> accountEvent(Account a, String type, long t) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("event_id", sim.nextEvent("AE"));
    r.put("account_id", a.id);
    r.put("event_type", type);
    r.put("event_time", sim.ts(t));
    return r;
  }

  void created(Account a, String lid, long t, Product prod, double price, String shipFrom) {
    Map<String, Object> rec = listingEvent(sim.nextEvent("LE"), lid, a.id, "CREATED", t);
    rec.put("product_id", prod.id());
    if (prod.brand() != null) {
      rec.put("brand", prod.brand().name());
    } else if (sim.rng.nextDouble() < 0.3) {
      rec.put("brand", null); // explicit null = unbranded, like an absent field
    }
    rec.put("category", prod.category());
    rec.put("price_usd", price);
    if (shipFrom != null) {
      rec.put("ship_from_country", shipFrom);
    }
    sim.em.emit("listing_events", (String) rec.get("event_id"), rec, t);
    a.listed = true;
  }

  void submissionBlocked(Account a, String lid, long t, Product prod, String reason) {
    if (t >= sim.tEnd) {
      return;
    }
    Map<String, Object> rec = listingEvent(sim.nextEvent("LE"), lid, a.id, "SUBMISSION_BLOCKED", t);
    rec.put("product_id", prod.id());
    if (prod.brand() != null) {
      rec.put("brand", prod.brand().name());
    }
    rec.put("category", prod.category());
    rec.put("block_reason", reason);
    sim.em.emit("listing_events", (String) rec.get("event_id"), rec, t);
  }

  void listingEnd(Account a, String lid, long t, String type, String reason) {
    if (t >= sim.tEnd) {
      return;
    }
    Map<String, Object> rec = listingEvent(sim.nextEvent("LE"), lid, a.id, type, t);
    if (reason != null) {
      rec.put("block_reason", reason);
    }
    sim.em.emit("listing_events", (String) rec.get("event_id"), rec, t);
  }

  void listingEvent(Account a, String lid, String type, long t) {
    listingEnd(a, lid, t, type, null);
  }

  /** A listing event's common fields, not yet emitted (the caller adds its own and emits it). */
  Map<String, Object> listingEvent(String eventId, String lid, String seller, String type, long t) {
    Map<String, Object> rec = new LinkedHashMap<>();
    rec.put("event_id", eventId);
    rec.put("listing_id", lid);
    rec.put("seller_id", seller);
    rec.put("event_type", type);
    rec.put("event_time", sim.ts(t));
    return rec;
  }

  void notice(String brand, String lid, String type, long submitted, String outcome, Long resolved) {
    Map<String, Object> n = new LinkedHashMap<>();
    String id = sim.nextNotice();
    n.put("notice_id", id);
    n.put("brand", brand);
    n.put("listing_id", lid);
    n.put("notice_type", type);
    n.put("submitted_at", sim.ts(submitted));
    n.put("outcome", outcome);
    if (resolved != null) {
      n.put("resolved_at", sim.ts(resolved));
    }
    sim.em.emit("notices", id, n, submitted);
  }

  void authorization(String brand, String seller, long from, Long to) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("brand", brand);
    r.put("seller_id", seller);
    r.put("valid_from", sim.ts(from));
    if (to != null) {
      r.put("valid_to", sim.ts(to));
    }
    sim.em.emitAt("authorizations", brand + "|" + seller + "|" + r.get("valid_from"), r,
        Stamps.utcDay(Math.max(from, sim.tStart)), 0, false);
  }
}
