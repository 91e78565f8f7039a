package io.hallmark.generate;

import io.hallmark.generate.ReferenceData.Brand;
import io.hallmark.generate.ReferenceData.Product;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Simulates the life of one unit (a seller, a household, a bad actor and his retries, a counterfeit
 * ring) and emits its records: account events, listings and their events, orders, complaints,
 * notices, authorizations. Every unit draws from its own random stream (seed + unit index), so the
 * output depends only on the seed and the plan, never on memory layout or wall clock.
 */
final class SellerSimulator {
  enum UnitType { ANCHOR, ORDINARY, HOUSEHOLD, DORMANT, UNBRANDED, RESELLER, PREOWNED, BAD_ACTOR, RING, SOLO }

  /** One planned unit: {@code size} accounts; {@code groupNo} numbers rings. */
  record Unit(UnitType type, int size, int index, int groupNo) {}

  interface TruthSink {
    void row(String sellerId, boolean counterfeit, String scheme);
  }

  private static final long DAY = Stamps.DAY;
  private static final long HOUR = Stamps.HOUR;
  private static final int RANDOM_OFFSET = Integer.MIN_VALUE;
  private static final int[] OFFSETS = {60, 120, -300, -480, 540, 330, -180, 600, -240, 180};
  private static final String[] COUNTRIES = {"US", "US", "US", "US", "GB", "GB", "DE", "DE", "FR", "FR", "JP", "IT",
      "ES", "CA", "NL"};
  private static final String[] ABROAD = {"CN", "HK", "TR", "AE"};
  private static final String[] FIRST = {"anna", "ben", "carla", "david", "emma", "felix", "grace", "hugo", "iris",
      "jonas", "kate", "liam", "maya", "noah", "olga", "paul", "rosa", "sam", "tina", "victor", "yuki", "zoe"};
  private static final String[] LAST = {"smith", "muller", "martin", "rossi", "garcia", "tanaka", "brown", "dubois",
      "schmidt", "lopez", "wilson", "bernard", "weber", "sato", "moore", "silva", "novak", "khan", "berg", "costa"};

  private final ReferenceData ref;
  private final Emitter em;
  private final Ids ids;
  private final long seed;
  private final long tStart;
  private final long tEnd;
  private final int fromYear;
  private final int toYear;
  private final boolean stealth;
  private final TruthSink truth;
  private long accountSeq;
  private long listingSeq;
  private long eventSeq;
  private long orderSeq;
  private long complaintSeq;
  private long noticeSeq;
  private SplittableRandom rng;
  long listingSellers;
  long counterfeitSellers;
  long accounts;

  SellerSimulator(ReferenceData ref, Emitter em, long seed, int fromYear, int toYear, boolean stealth, TruthSink truth) {
    this.ref = ref;
    this.em = em;
    this.ids = new Ids(seed);
    this.seed = seed;
    this.fromYear = fromYear;
    this.toYear = toYear;
    this.tStart = Stamps.startOfYear(fromYear);
    this.tEnd = Stamps.startOfYear(toYear + 1);
    this.stealth = stealth;
    this.truth = truth;
  }

  // ---------------------------------------------------------------- model objects

  static final class Acc {
    String id;
    String country;
    String marketplace;
    String email;
    String phone;
    String pay;
    String dev;
    String addr;
    long reg;
    boolean listed;
    boolean counterfeit;
    String scheme;
  }

  /** A stretch of time the account can sell in, and how it ends. */
  record Active(long from, long to, String endCause) {}

  static final String END_NONE = "NONE";
  static final String END_CLOSE = "CLOSE";

  /** How a kind of seller lists and sells. */
  static final class Profile {
    int listings;
    double burstShare;
    double orderRate;
    double orderSigma = 1.0;
    double complaintP;
    double cfShare;
    double noticeP;
    String[] noticeTypes = {"TRADEMARK"};
    double[] outcome = {0.3, 0.6, 0.1}; // VALID, INVALID, PENDING
    double noticeMedianDays = 25;
    double shipAbroadP = 0.03;
    double editMean = 0.4;
    double removalMeanDays = 250;
    double submissionBlockP = 0.02;
    String[] submissionReasons = {"POLICY", "SAFETY", "TRADEMARK"};
    double resubmitP = 0.4;
    double proactiveBlockP = 0.003;
    boolean proactiveReinstated = true;
    String proactiveReason = "POLICY";
    Picker picker;
    Traffic traffic;
    boolean allFingerprints;
  }

  /** Chooses the product of a new listing and its price factor against the product's typical price. */
  interface Picker {
    Pick pick(SplittableRandom rng, long at);
  }

  record Pick(Product product, double priceFactor) {}

  /** Where a seller's buyers come from. */
  final class Traffic {
    String tag;
    String tagSource;
    double tagShare;
    boolean ringStyle;

    String[] pick(SplittableRandom r) {
      if (tag != null && r.nextDouble() < tagShare) {
        return new String[] {tagSource, tag};
      }
      double u = r.nextDouble();
      if (ringStyle) {
        // what is left of a ring's traffic: search and direct, a little else
        if (u < 0.55) {
          return new String[] {"SEARCH", null};
        }
        if (u < 0.92) {
          return new String[] {r.nextBoolean() ? "DIRECT" : null, null};
        }
      } else {
        if (u < 0.62) {
          return new String[] {"SEARCH", null};
        }
        if (u < 0.87) {
          return new String[] {r.nextBoolean() ? "DIRECT" : null, null};
        }
        if (u < 0.92) {
          return new String[] {"EXTERNAL_SITE", r.nextDouble() < 0.6 ? "aff-" + (100 + r.nextInt(200)) : null};
        }
      }
      if (r.nextDouble() < 0.65) {
        int k = r.nextInt(ref.legitTags.size());
        return new String[] {ref.legitTagSource.get(k), ref.legitTags.get(k)};
      }
      String[] social = {"INSTAGRAM", "TIKTOK", "YOUTUBE"};
      return new String[] {social[r.nextInt(3)], null};
    }
  }

  // ---------------------------------------------------------------- units

  void run(Unit u) {
    rng = new SplittableRandom(Ids.mix(seed, 1_000_003L * u.index() + 17));
    em.beginUnit(new SplittableRandom(Ids.mix(seed ^ 0x5EEDL, 1_000_003L * u.index() + 29)));
    List<Acc> accs = switch (u.type()) {
      case ANCHOR -> List.of(anchor());
      case ORDINARY -> List.of(ordinary(null, null));
      case HOUSEHOLD -> household();
      case DORMANT -> List.of(dormant());
      case UNBRANDED -> List.of(unbranded());
      case RESELLER -> List.of(reseller());
      case PREOWNED -> List.of(preowned());
      case BAD_ACTOR -> badActor(u.size());
      case RING -> ring(u.size(), u.groupNo());
      case SOLO -> List.of(solo(u.groupNo()));
    };
    for (Acc a : accs) {
      truth.row(a.id, a.counterfeit, a.scheme);
      accounts++;
      if (a.listed) {
        listingSellers++;
      }
      if (a.counterfeit) {
        counterfeitSellers++;
      }
    }
  }

  private Acc anchor() {
    // a long-lived ordinary seller; it also carries the orders placed around each UTC new year with
    // offsets that put their local time in the other year
    Acc a = newAcc("ordinary");
    long reg = tm(tStart + DAY * (2 + rng.nextInt(4)));
    register(a, reg, false);
    account(a, "VERIFIED", reg + HOUR * (3 + rng.nextInt(40)), null);
    Profile p = ordinaryProfile();
    List<Active> life = List.of(new Active(reg, tEnd, END_NONE));
    Product evergreen = ref.mainstreamProducts.get(rng.nextInt(ref.mainstreamProducts.size()));
    long created = reg + DAY;
    double price = ReferenceData.round2(evergreen.typical());
    String listingId = nextListing();
    created(a, listingId, created, evergreen, price, a.country);
    for (int y = fromYear + 1; y <= toYear + 1; y++) {
      long ny = Stamps.startOfYear(y);
      // local time already in the new year, UTC still in the old one (and the other way round)
      order(a, listingId, ny - 40 * Stamps.MINUTE, price, 120, p, "SEARCH", null);
      order(a, listingId, ny - 3 * HOUR, price, 330, p, null, null);
      if (ny + HOUR < tEnd) {
        order(a, listingId, ny + 25 * Stamps.MINUTE, price, -300, p, null, null);
      }
    }
    ordersOver(a, listingId, List.of(new long[] {created, tEnd}), List.of(new double[] {created, price}), 0.05, p);
    sellerLife(a, p, life, reg + DAY * 2);
    return a;
  }

  private Acc ordinary(Acc sharedWith, String scheme) {
    Acc a = newAcc(scheme == null ? "ordinary" : scheme);
    if (sharedWith != null) {
      a.addr = sharedWith.addr;
      if (rng.nextDouble() < 0.3) {
        a.dev = sharedWith.dev;
      }
    }
    Profile p = ordinaryProfile();
    long reg = registrationTime(20);
    boolean legacy = rng.nextDouble() < 0.015;
    long firstListing;
    if (legacy) {
      // registered before the data starts: no REGISTERED event in this landing zone
      reg = tStart - DAY * (30 + rng.nextInt(900));
      a.reg = reg;
      a.scheme = "ordinary_legacy";
      firstListing = tm(tStart + (long) (rng.nextDouble() * 60 * DAY));
    } else {
      register(a, reg, scheme != null);
      if (rng.nextDouble() < 0.005) {
        // upstream re-emitted the registration under a new event id
        register(a, reg + 1000L * (1 + rng.nextInt(5)), sharedWith != null, false);
      }
      if (rng.nextDouble() < 0.85) {
        account(a, "VERIFIED", reg + HOUR + (long) (rng.nextDouble() * 10 * DAY), null);
      }
      firstListing = reg + (long) (lognormal(5, 0.8) * DAY) + HOUR;
    }
    if (rng.nextDouble() < 0.08) {
      int influencer = rng.nextInt(ref.legitTags.size());
      p.traffic.tag = ref.legitTags.get(influencer);
      p.traffic.tagSource = ref.legitTagSource.get(influencer);
      p.traffic.tagShare = 0.3 + rng.nextDouble() * 0.35;
      if (a.scheme.equals("ordinary")) {
        a.scheme = "ordinary_influencer";
      }
    }
    if (rng.nextDouble() < 0.08) {
      Brand b = ref.brands.get(ReferenceData.LUXURY_BRANDS.length + rng.nextInt(ReferenceData.MAINSTREAM_BRANDS.length));
      authorization(b.name(), a.id, Math.max(reg, tStart) + DAY * rng.nextInt(30), null);
    }
    List<Active> life = new ArrayList<>();
    double u = rng.nextDouble();
    if (u < 0.03) {
      // blocked, reinstated, sometimes blocked again for good
      if (a.scheme.equals("ordinary")) {
        a.scheme = "ordinary_policy_blocked";
      }
      long b1 = tm(firstListing + DAY * (20 + rng.nextInt(600)));
      long r1 = tm(b1 + DAY * (2 + rng.nextInt(18)) + rng.nextLong(DAY));
      String reason = pickWeighted(new String[] {"POLICY", "IDENTITY", "FRAUD"}, new double[] {0.6, 0.25, 0.15});
      life.add(new Active(firstListing, b1, "BLOCK:" + reason + ":POLICY"));
      if (r1 < tEnd) {
        long b2 = rng.nextDouble() < 0.4 ? tm(r1 + DAY * (30 + rng.nextInt(270))) : tEnd;
        life.add(new Active(r1, Math.min(b2, tEnd), b2 < tEnd ? "BLOCK:POLICY:POLICY" : END_NONE));
      }
    } else if (u < 0.11) {
      long close = tm(firstListing + DAY * (60 + rng.nextInt(1000)));
      life.add(new Active(firstListing, Math.min(close, tEnd), close < tEnd ? END_CLOSE : END_NONE));
    } else {
      life.add(new Active(firstListing, tEnd, END_NONE));
    }
    sellerLife(a, p, life, firstListing);
    return a;
  }

  private List<Acc> household() {
    Acc first = ordinary(null, "ordinary_shared_address");
    Acc second = ordinary(first, "ordinary_shared_address");
    return List.of(first, second);
  }

  private Acc dormant() {
    Acc a = newAcc("dormant");
    long reg = registrationTime(5);
    register(a, reg, false);
    if (rng.nextDouble() < 0.5) {
      account(a, "VERIFIED", reg + HOUR + (long) (rng.nextDouble() * 5 * DAY), null);
    }
    if (rng.nextDouble() < 0.1) {
      Product prod = ref.genericOther.get(rng.nextInt(ref.genericOther.size()));
      submissionBlocked(a, nextListing(), reg + DAY * (1 + rng.nextInt(20)), prod, "POLICY");
    }
    if (rng.nextDouble() < 0.3) {
      account(a, "CLOSED", reg + DAY * (30 + rng.nextInt(400)), null);
    }
    return a;
  }

  private Acc unbranded() {
    boolean jewellery = rng.nextBoolean();
    Acc a = newAcc(jewellery ? "unbranded_jewellery" : "unbranded");
    long reg = registrationTime(20);
    register(a, reg, false);
    if (rng.nextDouble() < 0.8) {
      account(a, "VERIFIED", reg + HOUR + (long) (rng.nextDouble() * 10 * DAY), null);
    }
    Profile p = ordinaryProfile();
    List<Product> pool = jewellery ? ref.genericLuxuryLook : ref.genericOther;
    p.picker = (r, at) -> new Pick(available(r, pool, at), 0.9 + r.nextDouble() * 0.25);
    p.orderRate = 0.02;
    p.complaintP = 0.02;
    p.cfShare = jewellery ? 0.1 : 0.03;
    p.noticeP = jewellery ? 0.012 : 0;
    p.outcome = new double[] {0.25, 0.65, 0.1};
    if (rng.nextDouble() < 0.1) {
      int influencer = rng.nextInt(ref.legitTags.size());
      p.traffic.tag = ref.legitTags.get(influencer);
      p.traffic.tagSource = ref.legitTagSource.get(influencer);
      p.traffic.tagShare = 0.3 + rng.nextDouble() * 0.3;
    }
    long first = reg + (long) (lognormal(5, 0.8) * DAY) + HOUR;
    sellerLife(a, p, List.of(new Active(first, tEnd, END_NONE)), first);
    return a;
  }

  private Acc reseller() {
    Acc a = newAcc("authorized_reseller");
    long reg = registrationTime(40);
    register(a, reg, false);
    account(a, "VERIFIED", reg + HOUR + (long) (rng.nextDouble() * 5 * DAY), null);
    int nBrands = 1 + rng.nextInt(3);
    List<Brand> brands = new ArrayList<>();
    List<long[]> validity = new ArrayList<>();
    for (int i = 0; i < nBrands; i++) {
      Brand b = ref.brands.get(rng.nextInt(ReferenceData.LUXURY_BRANDS.length));
      if (brands.contains(b)) {
        continue;
      }
      long from = tm(reg + DAY * rng.nextInt(20));
      Long to = null;
      if (rng.nextDouble() < 0.25) {
        long t = tm(from + DAY * (200 + rng.nextInt(700)));
        to = t < tEnd ? t : null;
      }
      authorization(b.name(), a.id, from, to);
      brands.add(b);
      validity.add(new long[] {from, to == null ? Long.MAX_VALUE : to});
    }
    Profile p = ordinaryProfile();
    p.listings = 8 + rng.nextInt(23);
    p.orderRate = 0.03;
    p.complaintP = 0.012;
    p.cfShare = 0.15; // discounted luxury makes buyers suspicious even when genuine
    p.noticeP = 0.02;
    p.noticeTypes = new String[] {"COUNTERFEIT", "TRADEMARK"};
    p.outcome = new double[] {0.0, 0.85, 0.15};
    p.shipAbroadP = 0.1;
    boolean mainstreamToo = rng.nextDouble() < 0.3;
    p.picker = (r, at) -> {
      List<Product> fit = new ArrayList<>();
      for (int i = 0; i < brands.size(); i++) {
        if (at >= validity.get(i)[0] && at < validity.get(i)[1]) {
          for (Product pr : ref.luxuryProducts) {
            if (pr.brand() == brands.get(i) && pr.availableFrom() <= at) {
              fit.add(pr);
            }
          }
        }
      }
      if (fit.isEmpty() || (mainstreamToo && r.nextDouble() < 0.3)) {
        return new Pick(available(r, ref.mainstreamProducts, at), 0.85 + r.nextDouble() * 0.25);
      }
      return new Pick(fit.get(r.nextInt(fit.size())), 0.6 + r.nextDouble() * 0.2);
    };
    if (rng.nextDouble() < 0.15) {
      int influencer = rng.nextInt(ref.legitTags.size());
      p.traffic.tag = ref.legitTags.get(influencer);
      p.traffic.tagSource = ref.legitTagSource.get(influencer);
      p.traffic.tagShare = 0.2 + rng.nextDouble() * 0.3;
    }
    long first = Math.max(reg + DAY * 3, validity.get(0)[0] + HOUR);
    sellerLife(a, p, List.of(new Active(first, tEnd, END_NONE)), first);
    return a;
  }

  /**
   * Resells genuine pre-owned luxury goods: branded luxury well below list price and no brand
   * authorisation (resale needs none), yet honest: few complaints, ordinary traffic. A hard negative
   * for the price and authorisation signals.
   */
  private Acc preowned() {
    Acc a = newAcc("preowned_luxury");
    long reg = registrationTime(30);
    register(a, reg, false);
    if (rng.nextDouble() < 0.9) {
      account(a, "VERIFIED", reg + HOUR + (long) (rng.nextDouble() * 5 * DAY), null);
    }
    Profile p = ordinaryProfile();
    p.listings = 5 + rng.nextInt(26);
    p.orderRate = 0.02;
    p.complaintP = 0.02;
    p.cfShare = 0.12;
    p.noticeP = 0.03;
    p.noticeTypes = new String[] {"COUNTERFEIT", "TRADEMARK"};
    p.outcome = new double[] {0.1, 0.7, 0.2};
    p.editMean = 0.8;
    p.picker = (r, at) -> r.nextDouble() < 0.7
        ? new Pick(available(r, ref.luxuryProducts, at), 0.35 + r.nextDouble() * 0.3)
        : new Pick(available(r, ref.mainstreamProducts, at), 0.5 + r.nextDouble() * 0.4);
    if (rng.nextDouble() < 0.15) {
      int influencer = rng.nextInt(ref.legitTags.size());
      p.traffic.tag = ref.legitTags.get(influencer);
      p.traffic.tagSource = ref.legitTagSource.get(influencer);
      p.traffic.tagShare = 0.2 + rng.nextDouble() * 0.3;
    }
    long first = reg + (long) (lognormal(4, 0.8) * DAY) + HOUR;
    sellerLife(a, p, List.of(new Active(first, tEnd, END_NONE)), first);
    return a;
  }

  private List<Acc> badActor(int size) {
    List<Acc> out = new ArrayList<>();
    Acc first = newAcc("prelisting_bad_actor");
    long reg = registrationTime(10);
    register(first, reg, true);
    long block = tm(reg + 2 * Stamps.MINUTE + (long) (rng.nextDouble() * 3 * DAY));
    if (rng.nextDouble() < 0.3) {
      Product prod = ref.genericLuxuryLook.get(rng.nextInt(ref.genericLuxuryLook.size()));
      long attempt = tm(reg + (block - reg) / 2);
      submissionBlocked(first, nextListing(), attempt, prod, "POLICY");
    }
    account(first, "BLOCKED", block, pickWeighted(new String[] {"FRAUD", "IDENTITY", "POLICY"},
        new double[] {0.5, 0.35, 0.15}));
    out.add(first);
    long prevBlock = block;
    for (int i = 1; i < size; i++) {
      // a retry: new account, but the same card, device or address as the blocked one
      Acc retry = newAcc("prelisting_retry");
      String[] kinds = {"pay", "dev", "addr"};
      int shared = 1 + rng.nextInt(2);
      for (int k = 0, start = rng.nextInt(3); k < shared; k++) {
        switch (kinds[(start + k) % 3]) {
          case "pay" -> retry.pay = first.pay;
          case "dev" -> retry.dev = first.dev;
          default -> retry.addr = first.addr;
        }
      }
      if (rng.nextDouble() < 0.3) {
        retry.phone = first.phone;
      }
      long r = tm(Math.min(prevBlock + HOUR + (long) (rng.nextDouble() * 20 * DAY), tEnd - 2 * DAY));
      register(retry, r, true);
      double u = rng.nextDouble();
      if (u < 0.7) {
        prevBlock = tm(r + 10 * Stamps.MINUTE + (long) (rng.nextDouble() * 5 * DAY));
        account(retry, "BLOCKED", prevBlock, "RELATED_ACCOUNT");
      } else if (u < 0.9) {
        // its first listing goes live and the account is blocked at that very instant
        long at = tm(r + DAY + (long) (rng.nextDouble() * 6 * DAY));
        Product prod = ref.mainstreamProducts.get(rng.nextInt(ref.mainstreamProducts.size()));
        String lid = nextListing();
        created(retry, lid, at, prod, ReferenceData.round2(prod.typical() * 0.9), retry.country);
        listingEnd(retry, lid, at, "BLOCKED", "POLICY");
        account(retry, "BLOCKED", at, "RELATED_ACCOUNT");
        prevBlock = at;
      } else {
        retry.scheme = "prelisting_retry_unblocked";
        Profile p = ordinaryProfile();
        long firstL = r + DAY * (1 + rng.nextInt(10));
        sellerLife(retry, p, List.of(new Active(firstL, tEnd, END_NONE)), firstL);
        prevBlock = tEnd;
      }
      out.add(retry);
    }
    return out;
  }

  /** Colluding counterfeit sellers sharing fingerprints and one influencer handle. */
  private List<Acc> ring(int size, int ringNo) {
    List<Acc> out = new ArrayList<>();
    String tag = ref.ringTag(ringNo);
    String source = rng.nextBoolean() ? "INSTAGRAM" : "TIKTOK";
    String shipFrom = ABROAD[rng.nextInt(ABROAD.length)];
    long start = tm(tStart + 20 * DAY + (long) (rng.nextDouble() * Math.max(DAY, tEnd - tStart - 80 * DAY)));
    int evader = rng.nextInt(size);
    for (int j = 0; j < size; j++) {
      Acc a = newAcc("ring:" + ringNo);
      a.counterfeit = true;
      if (j > 0) {
        // chain: shares at least one fingerprint with the previous member; more when not stealthy
        Acc prev = out.get(j - 1);
        int kind = rng.nextInt(3);
        copyFingerprint(a, prev, kind);
        if (!stealth) {
          for (int k = 0; k < 3; k++) {
            if (k != kind && rng.nextDouble() < 0.5) {
              copyFingerprint(a, out.get(rng.nextInt(j)), k);
            }
          }
        }
      }
      long reg = tm(start + (long) (rng.nextDouble() * 90 * DAY));
      if (reg >= tEnd - 2 * DAY) {
        reg = tm(tEnd - 2 * DAY - rng.nextLong(DAY));
      }
      // one member of every ring evades enforcement; the others are blocked most of the time
      counterfeiter(a, reg, tag, source, shipFrom, j == evader ? 0.0 : 0.85);
      out.add(a);
    }
    return out;
  }

  private Acc solo(int soloNo) {
    Acc a = newAcc("solo_counterfeit");
    a.counterfeit = true;
    long reg = registrationTime(60);
    String tag = rng.nextBoolean() ? ref.ringTag(100_000 + soloNo) : null;
    counterfeiter(a, reg, tag, rng.nextBoolean() ? "INSTAGRAM" : "TIKTOK", ABROAD[rng.nextInt(ABROAD.length)], 0.8);
    return a;
  }

  private void counterfeiter(Acc a, long reg, String tag, String source, String shipFrom, double blockP) {
    register(a, reg, true);
    if (rng.nextDouble() < 0.7) {
      account(a, "VERIFIED", reg + HOUR + (long) (rng.nextDouble() * 4 * DAY), null);
    }
    long first = tm(reg + HOUR * 6 + (long) (rng.nextDouble() * 9 * DAY));
    Profile p = new Profile();
    p.listings = stealth ? 4 + rng.nextInt(12) : 6 + rng.nextInt(20);
    p.burstShare = 0.6;
    p.orderRate = 0.25;
    p.orderSigma = 0.6;
    p.complaintP = stealth ? 0.10 : 0.16;
    p.cfShare = 0.7;
    p.noticeP = stealth ? 0.2 : 0.35;
    p.noticeTypes = new String[] {"COUNTERFEIT", "COUNTERFEIT", "TRADEMARK"};
    p.outcome = new double[] {0.85, 0.07, 0.08};
    p.noticeMedianDays = 18;
    p.shipAbroadP = stealth ? 0.3 : 0.75;
    p.editMean = 2.0;
    p.removalMeanDays = 60;
    p.submissionBlockP = 0.08;
    p.submissionReasons = new String[] {"COUNTERFEIT", "TRADEMARK"};
    p.resubmitP = 0.2;
    p.proactiveBlockP = 0.12;
    p.proactiveReinstated = false;
    p.proactiveReason = "COUNTERFEIT";
    p.allFingerprints = true;
    double brandedShare = stealth ? 0.5 : 0.6;
    double lo = stealth ? 0.45 : 0.10;
    double hi = stealth ? 0.75 : 0.35;
    p.picker = (r, at) -> r.nextDouble() < brandedShare
        ? new Pick(available(r, ref.luxuryProducts, at), lo + r.nextDouble() * (hi - lo))
        : new Pick(available(r, ref.genericLuxuryLook, at), 0.8 + r.nextDouble() * 0.5);
    p.traffic = new Traffic();
    p.traffic.ringStyle = true;
    p.traffic.tag = tag;
    p.traffic.tagSource = source;
    p.traffic.tagShare = stealth ? 0.25 + rng.nextDouble() * 0.2 : 0.65 + rng.nextDouble() * 0.2;
    shipFromOverride = shipFrom;

    // enforcement: most are blocked for COUNTERFEIT weeks to months after they start, some never
    List<Active> life = new ArrayList<>();
    if (rng.nextDouble() < blockP) {
      long b1 = tm(first + (long) (Math.max(35, lognormal(80, 0.45)) * DAY));
      String cause = rng.nextDouble() < 0.1 ? "BLOCK:RELATED_ACCOUNT:POLICY" : "BLOCK:COUNTERFEIT:COUNTERFEIT";
      boolean instant = rng.nextDouble() < 0.25;
      if (b1 < tEnd) {
        life.add(new Active(first, b1, cause + (instant ? ":INSTANT" : "")));
        if (cause.contains("COUNTERFEIT") && rng.nextDouble() < 0.1) {
          long r1 = tm(b1 + DAY * (5 + rng.nextInt(16)));
          if (r1 < tEnd) {
            long b2 = tm(r1 + DAY * (15 + rng.nextInt(46)));
            life.add(new Active(r1, Math.min(b2, tEnd), b2 < tEnd ? "BLOCK:COUNTERFEIT:COUNTERFEIT" : END_NONE));
          }
        }
      } else {
        life.add(new Active(first, tEnd, END_NONE));
      }
    } else {
      life.add(new Active(first, tEnd, END_NONE));
    }
    sellerLife(a, p, life, first);
    shipFromOverride = null;
  }

  private String shipFromOverride;

  // ---------------------------------------------------------------- seller life

  private Profile ordinaryProfile() {
    Profile p = new Profile();
    p.listings = 1 + (int) Math.min(60, -Math.log(1 - rng.nextDouble()) * 6);
    p.burstShare = 0.2;
    p.orderRate = 0.025;
    p.complaintP = 0.015;
    p.cfShare = 0.04;
    p.noticeP = 0.004;
    p.noticeTypes = new String[] {"TRADEMARK", "COPYRIGHT", "PATENT", "COUNTERFEIT"};
    p.outcome = new double[] {0.25, 0.6, 0.15};
    p.picker = (r, at) -> {
      double u = r.nextDouble();
      if (u < 0.02) {
        // grey-market luxury near list price (not authorised, not counterfeit)
        return new Pick(available(r, ref.luxuryProducts, at), 0.9 + r.nextDouble() * 0.15);
      }
      if (u < 0.05) {
        // clearance: a branded item far below its list price
        return new Pick(available(r, ref.mainstreamProducts, at), 0.3 + r.nextDouble() * 0.2);
      }
      return u < 0.77
          ? new Pick(available(r, ref.mainstreamProducts, at), 0.85 + r.nextDouble() * 0.25)
          : new Pick(available(r, ref.genericOther, at), 0.9 + r.nextDouble() * 0.3);
    };
    p.traffic = new Traffic();
    return p;
  }

  /**
   * Listings created over the active stretches; each lives until removed, blocked, or the stretch ends
   * (then blocked with the account, or removed when the account closes), with edits, orders, complaints
   * and notices in between.
   */
  private void sellerLife(Acc a, Profile p, List<Active> life, long firstListing) {
    List<Long> times = new ArrayList<>();
    for (int k = 0; k < p.listings; k++) {
      long t;
      if (k == 0) {
        t = firstListing;
      } else if (rng.nextDouble() < p.burstShare) {
        t = firstListing + (long) (rng.nextDouble() * 30 * DAY);
      } else {
        t = randomIn(life, firstListing);
      }
      times.add(tm(t));
    }
    times.sort(null);
    for (long t : times) {
      Active stretch = stretchAt(life, t);
      if (stretch == null || t >= tEnd) {
        continue;
      }
      listing(a, p, stretch, t);
    }
    // account-level endings, after the listings (listing blocks carry the same instant)
    for (Active s : life) {
      if (s.endCause.startsWith("BLOCK:")) {
        String[] parts = s.endCause.split(":");
        if (parts.length > 3 && parts[3].equals("INSTANT")) {
          // the listing that went live at this very instant is blocked with the account
          Pick pick = p.picker.pick(rng, s.to);
          String lid = nextListing();
          created(a, lid, s.to, pick.product(), price(pick), shipFrom(a, p));
          listingEnd(a, lid, s.to, "BLOCKED", parts[2]);
        }
        account(a, "BLOCKED", s.to, parts[1]);
        int idx = life.indexOf(s);
        if (idx + 1 < life.size()) {
          account(a, "REINSTATED", life.get(idx + 1).from, null);
        }
      } else if (s.endCause.equals(END_CLOSE)) {
        account(a, "CLOSED", s.to, null);
      }
    }
  }

  private void listing(Acc a, Profile p, Active stretch, long t) {
    Pick pick = p.picker.pick(rng, t);
    Product prod = pick.product();
    String lid = nextListing();
    if (rng.nextDouble() < p.submissionBlockP) {
      String reason = p.submissionReasons[rng.nextInt(p.submissionReasons.length)];
      submissionBlocked(a, lid, t, prod, reason);
      if (rng.nextDouble() >= p.resubmitP) {
        return;
      }
      t = tm(t + DAY + (long) (rng.nextDouble() * 4 * DAY)); // fixed and resubmitted under the same id
      if (t >= stretch.to) {
        return;
      }
    }
    double price = price(pick);
    created(a, lid, t, prod, price, shipFrom(a, p));

    long end = stretch.to;
    String endType = null;
    String endReason = null;
    if (stretch.endCause.startsWith("BLOCK:")) {
      endType = "BLOCKED";
      endReason = stretch.endCause.split(":")[2];
    } else if (stretch.endCause.equals(END_CLOSE)) {
      endType = "REMOVED";
    }
    long removal = tm(t + HOUR + (long) (-Math.log(1 - rng.nextDouble()) * p.removalMeanDays * DAY));
    if (removal < end) {
      end = removal;
      endType = "REMOVED";
      endReason = null;
    }
    List<long[]> live = new ArrayList<>();
    long pauseFrom = -1;
    long pauseTo = -1;
    if (rng.nextDouble() < p.proactiveBlockP) {
      long pb = tm(t + HOUR * 2 + (long) (rng.nextDouble() * 28 * DAY));
      if (pb < end) {
        if (p.proactiveReinstated) {
          pauseFrom = pb;
          pauseTo = tm(pb + DAY + (long) (rng.nextDouble() * 9 * DAY));
        } else {
          end = pb;
          endType = "BLOCKED";
          endReason = p.proactiveReason;
        }
      }
    }
    // rights-owner notice; a valid one gets the listing blocked when it is resolved
    if (p.noticeP > 0 && rng.nextDouble() < p.noticeP) {
      Brand brand = prod.brand() != null ? prod.brand()
          : ReferenceData.luxuryLook(prod.category()) ? ref.luxuryBrandFor(prod.category(), rng) : null;
      if (brand != null && brand.enrolled()) {
        long submitted = tm(t + HOUR + (long) (lognormal(p.noticeMedianDays, 0.6) * DAY));
        if (submitted < end && submitted >= brand.enrolledAt()) {
          String type = p.noticeTypes[rng.nextInt(p.noticeTypes.length)];
          String outcome = pickWeighted(new String[] {"VALID", "INVALID", "PENDING"}, p.outcome);
          long resolved = rng.nextDouble() < 0.4 ? submitted + HOUR + rng.nextLong(22 * HOUR)
              : submitted + DAY + (long) (rng.nextDouble() * 20 * DAY);
          resolved = tm(resolved);
          if (resolved >= tEnd) {
            outcome = "PENDING";
          }
          notice(brand.name(), lid, type, submitted, outcome, outcome.equals("PENDING") ? null : resolved);
          if (outcome.equals("VALID") && resolved + HOUR < end) {
            end = tm(resolved + rng.nextLong(HOUR));
            endType = "BLOCKED";
            endReason = type.equals("COUNTERFEIT") ? "COUNTERFEIT" : "TRADEMARK";
          }
        }
      }
    }
    if (pauseFrom > 0 && pauseFrom < end) {
      listingEnd(a, lid, pauseFrom, "BLOCKED", p.proactiveReason);
      if (pauseTo < end) {
        listingEvent(a, lid, "REINSTATED", pauseTo);
        live.add(new long[] {t, pauseFrom});
        live.add(new long[] {pauseTo, end});
      } else {
        live.add(new long[] {t, pauseFrom});
        endType = null; // stays blocked until the account's end
      }
    } else {
      live.add(new long[] {t, end});
    }
    // edits: price changes mostly
    List<double[]> prices = new ArrayList<>();
    prices.add(new double[] {t, price});
    int edits = poisson(p.editMean);
    List<Long> editTimes = new ArrayList<>();
    for (int e = 0; e < edits; e++) {
      editTimes.add(tm(t + Stamps.MINUTE + (long) (rng.nextDouble() * Math.max(1, end - t - Stamps.MINUTE))));
    }
    editTimes.sort(null);
    double current = price;
    for (long et : editTimes) {
      if (et >= end || et >= tEnd) {
        continue;
      }
      Map<String, Object> rec = listingEvent(nextEvent("LE"), lid, a.id, "UPDATED", et);
      if (rng.nextDouble() < 0.8) {
        current = ReferenceData.round2(Math.max(1, current * (0.85 + rng.nextDouble() * 0.25)));
        rec.put("price_usd", current);
        prices.add(new double[] {et, current});
      }
      em.emit("listing_events", (String) rec.get("event_id"), rec, et);
    }
    ordersOver(a, lid, live, prices, p.orderRate * Math.exp(p.orderSigma * rng.nextGaussian() - 0.5 * p.orderSigma),
        p);
    if (endType != null && end < tEnd) {
      listingEnd(a, lid, end, endType, endReason);
    }
  }

  private void ordersOver(Acc a, String lid, List<long[]> live, List<double[]> prices, double ratePerDay, Profile p) {
    for (long[] seg : live) {
      long to = Math.min(seg[1], tEnd);
      long t = seg[0];
      while (true) {
        t += (long) (-Math.log(1 - rng.nextDouble()) / ratePerDay * DAY);
        if (t >= to || t < 0) {
          break;
        }
        double price = prices.get(0)[1];
        for (double[] pc : prices) {
          if (pc[0] <= t) {
            price = pc[1];
          }
        }
        String[] ref = p.traffic.pick(rng);
        order(a, lid, tm(t), price, RANDOM_OFFSET, p, ref[0], ref[1]);
      }
    }
  }

  private void order(Acc a, String lid, long t, double price, int offset, Profile p, String source, String tag) {
    Map<String, Object> o = new LinkedHashMap<>();
    String id = ids.of("O", orderSeq++);
    o.put("order_id", id);
    o.put("listing_id", lid);
    o.put("seller_id", a.id);
    o.put("order_time", offset != RANDOM_OFFSET ? Stamps.iso(t, offset) : ts(t));
    double q = rng.nextDouble();
    o.put("quantity", q < 0.85 ? 1 : q < 0.95 ? 2 : 3 + rng.nextInt(3));
    o.put("unit_price_usd", rng.nextDouble() < 0.05 ? ReferenceData.round2(price * 0.95) : price);
    if (source != null) {
      o.put("referral_source", source);
    }
    if (tag != null) {
      o.put("referral_tag", tag);
    }
    em.emit("orders", id, o, t);
    if (rng.nextDouble() < p.complaintP) {
      long ct = tm(t + HOUR + (long) (lognormal(7, 0.7) * DAY));
      if (ct < tEnd) {
        String type = rng.nextDouble() < p.cfShare ? "COUNTERFEIT"
            : pickWeighted(new String[] {"NOT_AS_DESCRIBED", "DAMAGED", "OTHER"}, new double[] {0.45, 0.35, 0.2});
        Map<String, Object> c = new LinkedHashMap<>();
        String cid = ids.of("C", complaintSeq++);
        c.put("complaint_id", cid);
        c.put("order_id", id);
        c.put("complaint_time", ts(ct));
        c.put("complaint_type", type);
        em.emit("complaints", cid, c, ct);
      }
    }
  }

  // ---------------------------------------------------------------- records

  private Acc newAcc(String scheme) {
    Acc a = new Acc();
    a.id = ids.of("A", accountSeq++);
    a.scheme = scheme;
    a.country = COUNTRIES[rng.nextInt(COUNTRIES.length)];
    a.marketplace = switch (a.country) {
      case "CA" -> "US";
      case "NL" -> "DE";
      default -> a.country;
    };
    String first = FIRST[rng.nextInt(FIRST.length)];
    String last = LAST[rng.nextInt(LAST.length)];
    a.email = first + "." + last + (10 + rng.nextInt(990)) + "@example.com";
    a.phone = "+1-555-" + (100 + rng.nextInt(900)) + "-" + (1000 + rng.nextInt(9000));
    a.pay = "pay_" + Ids.hex(rng.nextLong());
    a.dev = "dev_" + Ids.hex(rng.nextLong());
    a.addr = "adr_" + Ids.hex(rng.nextLong());
    return a;
  }

  private void copyFingerprint(Acc to, Acc from, int kind) {
    switch (kind) {
      case 0 -> to.pay = from.pay;
      case 1 -> to.dev = from.dev;
      default -> to.addr = from.addr;
    }
  }

  private void register(Acc a, long t, boolean allFingerprints) {
    a.reg = t;
    register(a, t, allFingerprints, true);
  }

  private void register(Acc a, long t, boolean allFingerprints, boolean first) {
    Map<String, Object> r = accountEvent(a, "REGISTERED", t);
    r.put("marketplace", a.marketplace);
    if (rng.nextDouble() < 0.95) {
      r.put("country", a.country);
    }
    if (rng.nextDouble() < 0.97) {
      r.put("email", a.email);
    }
    if (rng.nextDouble() < 0.75) {
      r.put("phone", a.phone);
    }
    if (allFingerprints || rng.nextDouble() < 0.9) {
      r.put("payment_fingerprint", a.pay);
    }
    if (allFingerprints || rng.nextDouble() < 0.95) {
      r.put("device_fingerprint", a.dev);
    }
    if (allFingerprints || rng.nextDouble() < 0.92) {
      r.put("address_fingerprint", a.addr);
    }
    em.emit("account_events", (String) r.get("event_id"), r, t);
  }

  private void account(Acc a, String type, long t, String reason) {
    if (t >= tEnd) {
      return;
    }
    Map<String, Object> r = accountEvent(a, type, t);
    if (reason != null) {
      r.put("reason", reason);
    }
    em.emit("account_events", (String) r.get("event_id"), r, t);
  }

  private Map<String, Object> accountEvent(Acc a, String type, long t) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("event_id", nextEvent("AE"));
    r.put("account_id", a.id);
    r.put("event_type", type);
    r.put("event_time", ts(t));
    return r;
  }

  private void created(Acc a, String lid, long t, Product prod, double price, String shipFrom) {
    Map<String, Object> rec = listingEvent(nextEvent("LE"), lid, a.id, "CREATED", t);
    rec.put("product_id", prod.id());
    if (prod.brand() != null) {
      rec.put("brand", prod.brand().name());
    } else if (rng.nextDouble() < 0.3) {
      rec.put("brand", null); // explicit null = unbranded, like an absent field
    }
    rec.put("category", prod.category());
    rec.put("price_usd", price);
    if (shipFrom != null) {
      rec.put("ship_from_country", shipFrom);
    }
    em.emit("listing_events", (String) rec.get("event_id"), rec, t);
    a.listed = true;
  }

  private void submissionBlocked(Acc a, String lid, long t, Product prod, String reason) {
    if (t >= tEnd) {
      return;
    }
    Map<String, Object> rec = listingEvent(nextEvent("LE"), lid, a.id, "SUBMISSION_BLOCKED", t);
    rec.put("product_id", prod.id());
    if (prod.brand() != null) {
      rec.put("brand", prod.brand().name());
    }
    rec.put("category", prod.category());
    rec.put("block_reason", reason);
    em.emit("listing_events", (String) rec.get("event_id"), rec, t);
  }

  private void listingEnd(Acc a, String lid, long t, String type, String reason) {
    if (t >= tEnd) {
      return;
    }
    Map<String, Object> rec = listingEvent(nextEvent("LE"), lid, a.id, type, t);
    if (reason != null) {
      rec.put("block_reason", reason);
    }
    em.emit("listing_events", (String) rec.get("event_id"), rec, t);
  }

  private void listingEvent(Acc a, String lid, String type, long t) {
    listingEnd(a, lid, t, type, null);
  }

  private Map<String, Object> listingEvent(String eventId, String lid, String seller, String type, long t) {
    Map<String, Object> rec = new LinkedHashMap<>();
    rec.put("event_id", eventId);
    rec.put("listing_id", lid);
    rec.put("seller_id", seller);
    rec.put("event_type", type);
    rec.put("event_time", ts(t));
    return rec;
  }

  private void notice(String brand, String lid, String type, long submitted, String outcome, Long resolved) {
    Map<String, Object> n = new LinkedHashMap<>();
    String id = ids.of("N", noticeSeq++);
    n.put("notice_id", id);
    n.put("brand", brand);
    n.put("listing_id", lid);
    n.put("notice_type", type);
    n.put("submitted_at", ts(submitted));
    n.put("outcome", outcome);
    if (resolved != null) {
      n.put("resolved_at", ts(resolved));
    }
    em.emit("notices", id, n, submitted);
  }

  private void authorization(String brand, String seller, long from, Long to) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("brand", brand);
    r.put("seller_id", seller);
    r.put("valid_from", ts(from));
    if (to != null) {
      r.put("valid_to", ts(to));
    }
    em.emitAt("authorizations", brand + "|" + seller + "|" + r.get("valid_from"), r,
        Stamps.utcDay(Math.max(from, tStart)), 0, false);
  }

  // ---------------------------------------------------------------- helpers

  private String nextListing() {
    return ids.of("L", listingSeq++);
  }

  private String nextEvent(String prefix) {
    return ids.of(prefix, eventSeq++);
  }

  /** Mostly whole seconds; a few events carry milliseconds (fractional seconds in the text). */
  private long tm(long t) {
    long s = t - Math.floorMod(t, 1000L);
    return rng.nextDouble() < 0.05 ? s + 1 + rng.nextInt(999) : s;
  }

  /** Mostly UTC ({@code Z}); some upstream systems send local time with its offset. */
  private String ts(long t) {
    double u = rng.nextDouble();
    if (u < 0.85) {
      return Stamps.iso(t, 0);
    }
    if (u < 0.87) {
      return Stamps.iso(t, 0, "+00:00");
    }
    return Stamps.iso(t, OFFSETS[rng.nextInt(OFFSETS.length)]);
  }

  private long registrationTime(int marginDays) {
    long span = tEnd - marginDays * DAY - tStart;
    return tm(tStart + (long) (span * Math.pow(rng.nextDouble(), 0.8))); // marketplace grows: more later
  }

  private double price(Pick pick) {
    double base = pick.product().reference() != null ? pick.product().reference() : pick.product().typical();
    return ReferenceData.round2(Math.max(1, base * pick.priceFactor()));
  }

  private String shipFrom(Acc a, Profile p) {
    if (rng.nextDouble() < 0.05) {
      return null;
    }
    if (rng.nextDouble() < p.shipAbroadP) {
      return shipFromOverride != null ? shipFromOverride : pickAbroad();
    }
    return a.country;
  }

  private String pickAbroad() {
    String[] legit = {"IT", "FR", "GB", "DE", "CN"};
    return legit[rng.nextInt(legit.length)];
  }

  private Product available(SplittableRandom r, List<Product> pool, long at) {
    for (int i = 0; i < 8; i++) {
      Product p = pool.get(r.nextInt(pool.size()));
      if (p.availableFrom() <= at) {
        return p;
      }
    }
    return pool.get(0);
  }


  private Active stretchAt(List<Active> life, long t) {
    for (Active s : life) {
      if (t >= s.from && t < s.to) {
        return s;
      }
    }
    return null;
  }

  private long randomIn(List<Active> life, long notBefore) {
    long total = 0;
    for (Active s : life) {
      total += Math.max(0, s.to - Math.max(s.from, notBefore));
    }
    if (total <= 0) {
      return notBefore;
    }
    long x = (long) (rng.nextDouble() * total);
    for (Active s : life) {
      long from = Math.max(s.from, notBefore);
      long len = Math.max(0, s.to - from);
      if (x < len) {
        return from + x;
      }
      x -= len;
    }
    return notBefore;
  }

  private double lognormal(double median, double sigma) {
    return median * Math.exp(sigma * rng.nextGaussian());
  }

  private int poisson(double mean) {
    int k = 0;
    double p = Math.exp(-mean);
    double s = p;
    double u = rng.nextDouble();
    while (u > s && k < 50) {
      k++;
      p *= mean / k;
      s += p;
    }
    return k;
  }

  private String pickWeighted(String[] values, double[] weights) {
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    double u = rng.nextDouble() * total;
    for (int i = 0; i < values.length; i++) {
      u -= weights[i];
      if (u < 0) {
        return values[i];
      }
    }
    return values[values.length - 1];
  }
}
