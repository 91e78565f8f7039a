package io.hallmark.generate;

import io.hallmark.generate.ReferenceData.Product;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What every kind of seller shares while the generator runs, in one place: the reference data, the
 * emitter, the simulated period, how the rings behave, the id counters (one sequence per record kind
 * across all units, so ids stay unique) and the random stream of the unit being simulated. The record
 * writers ({@link Records}) and the listing life ({@link SellerLife}) work on it.
 */
final class Simulation {
  static final long DAY = Stamps.DAY;
  static final long HOUR = Stamps.HOUR;
  private static final int[] OFFSETS = {60, 120, -300, -480, 540, 330, -180, 600, -240, 180};

  final ReferenceData ref;
  final Emitter em;
  final long seed;
  final long tStart;
  final long tEnd;
  final int fromYear;
  final int toYear;
  /** How the rings behave (--stealth, --hiding). */
  final GeneratorOptions.Rings rings;
  /** Stealthier rings (--stealth): prices closer to list, less handle traffic, one fingerprint per link. */
  final boolean stealth;
  final Records records;
  final SellerLife life;
  private final Ids ids;
  private long accountSeq;
  private long listingSeq;
  private long eventSeq;
  private long orderSeq;
  private long complaintSeq;
  private long noticeSeq;
  /** The current unit's random stream; every unit draws from its own (seed + unit index). */
  SplittableRandom rng;

  Simulation(ReferenceData ref, Emitter em, long seed, int fromYear, int toYear, GeneratorOptions.Rings rings) {
    this.ref = ref;
    this.em = em;
    this.ids = new Ids(seed);
    this.seed = seed;
    this.fromYear = fromYear;
    this.toYear = toYear;
    this.tStart = Stamps.startOfYear(fromYear);
    this.tEnd = Stamps.startOfYear(toYear + 1);
    this.rings = rings;
    this.stealth = rings == GeneratorOptions.Rings.STEALTH;
    this.records = new Records(this);
    this.life = new SellerLife(this);
  }

  /** Starts unit {@code index}: its own random streams for the records and for the noise. */
  void beginUnit(int index) {
    rng = new SplittableRandom(Ids.mix(seed, 1_000_003L * index + 17));
    em.beginUnit(new SplittableRandom(Ids.mix(seed ^ 0x5EEDL, 1_000_003L * index + 29)));
  }

  // ---------------------------------------------------------------- ids

  String nextAccount() {
    return ids.of("A", accountSeq++);
  }

  String nextListing() {
    return ids.of("L", listingSeq++);
  }

  String nextEvent(String prefix) {
    return ids.of(prefix, eventSeq++);
  }

  String nextOrder() {
    return ids.of("O", orderSeq++);
  }

  String nextComplaint() {
    return ids.of("C", complaintSeq++);
  }

  String nextNotice() {
    return ids.of("N", noticeSeq++);
  }

  // ---------------------------------------------------------------- time and randomness

  /** Mostly whole seconds; a few events carry milliseconds (fractional seconds in the text). */
  long tm(long t) {
    long s = t - Math.floorMod(t, 1000L);
    return rng.nextDouble() < 0.05 ? s + 1 + rng.nextInt(999) : s;
  }

  /** Mostly UTC ({@code Z}); some upstream systems send local time with its offset. */
  String ts(long t) {
    double u = rng.nextDouble();
    if (u < 0.85) {
      return Stamps.iso(t, 0);
    }
    if (u < 0.87) {
      return Stamps.iso(t, 0, "+00:00");
    }
    return Stamps.iso(t, OFFSETS[rng.nextInt(OFFSETS.length)]);
  }

  long registrationTime(int marginDays) {
    long span = tEnd - marginDays * DAY - tStart;
    return tm(tStart + (long) (span * Math.pow(rng.nextDouble(), 0.8))); // marketplace grows: more later
  }

  /** A product of the pool already in the catalog at {@code at} (a few tries, else the first). */
  static Product available(SplittableRandom r, List<Product> pool, long at) {
    for (int i = 0; i < 8; i++) {
      Product p = pool.get(r.nextInt(pool.size()));
      if (p.availableFrom() <= at) {
        return p;
      }
    }
    return pool.get(0);
  }

  double lognormal(double median, double sigma) {
    return median * Math.exp(sigma * rng.nextGaussian());
  }

  int poisson(double mean) {
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

  String pickWeighted(String[] values, double[] weights) {
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

  /** A legitimate influencer or affiliate of the reference data drives this share of the profile's orders. */
  void influencer(Profile p, double minShare, double spread) {
    int influencer = rng.nextInt(ref.legitTags.size());
    p.traffic.tag = ref.legitTags.get(influencer);
    p.traffic.tagSource = ref.legitTagSource.get(influencer);
    p.traffic.tagShare = minShare + rng.nextDouble() * spread;
  }
}
