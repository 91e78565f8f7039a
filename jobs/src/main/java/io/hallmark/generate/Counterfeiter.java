package io.hallmark.generate;

import io.hallmark.generate.Profile.Active;
import io.hallmark.generate.Profile.Pick;
import java.util.ArrayList;
import java.util.List;

/**
 * The life of one counterfeit seller (a ring member or a solo): luxury jewellery, watches and bags
 * branded far below list or unbranded look-alikes, shipped from abroad, most orders through its
 * handle, many complaints and notices, and a COUNTERFEIT block weeks to months after it starts.
 */
final class Counterfeiter {
  private static final long DAY = Simulation.DAY;
  private static final long HOUR = Simulation.HOUR;

  private Counterfeiter() {}

  /**
   * @param tag the handle driving its orders (null = none), from {@code source}
   * @param shipFrom the country its "abroad" listings ship from
   * @param blockP chance that enforcement blocks it at all
   */
  static void live(Simulation sim, Account a, long reg, String tag, String source, String shipFrom, double blockP) {
    if (sim.rings == GeneratorOptions.Rings.HIDING) {
      storefront(sim, a, reg, tag, source, shipFrom, blockP);
      return;
    }
    Records rec = sim.records;
    ReferenceData ref = sim.ref;
    boolean stealth = sim.stealth;
    rec.register(a, reg, true);
    if (sim.rng.nextDouble() < 0.7) {
      rec.account(a, "VERIFIED", reg + HOUR + (long) (sim.rng.nextDouble() * 4 * DAY), null);
    }
    long first = sim.tm(reg + HOUR * 6 + (long) (sim.rng.nextDouble() * 9 * DAY));
    Profile p = new Profile();
    p.listings = stealth ? 4 + sim.rng.nextInt(12) : 6 + sim.rng.nextInt(20);
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
    double brandedShare = stealth ? 0.5 : 0.6;
    double lo = stealth ? 0.45 : 0.10;
    double hi = stealth ? 0.75 : 0.35;
    p.picker = (r, at) -> r.nextDouble() < brandedShare
        ? new Pick(Simulation.available(r, ref.luxuryProducts, at), lo + r.nextDouble() * (hi - lo))
        : new Pick(Simulation.available(r, ref.genericLuxuryLook, at), 0.8 + r.nextDouble() * 0.5);
    p.traffic = new Traffic(ref);
    p.traffic.ringStyle = true;
    p.traffic.tag = tag;
    p.traffic.tagSource = source;
    p.traffic.tagShare = stealth ? 0.25 + sim.rng.nextDouble() * 0.2 : 0.65 + sim.rng.nextDouble() * 0.2;
    p.shipFromAbroad = shipFrom;

    // enforcement: most are blocked for COUNTERFEIT weeks to months after they start, some never
    List<Active> life = new ArrayList<>();
    if (sim.rng.nextDouble() < blockP) {
      long b1 = sim.tm(first + (long) (Math.max(35, sim.lognormal(80, 0.45)) * DAY));
      String cause = sim.rng.nextDouble() < 0.1 ? "BLOCK:RELATED_ACCOUNT:POLICY" : "BLOCK:COUNTERFEIT:COUNTERFEIT";
      boolean instant = sim.rng.nextDouble() < 0.25;
      if (b1 < sim.tEnd) {
        life.add(new Active(first, b1, cause + (instant ? ":INSTANT" : "")));
        if (cause.contains("COUNTERFEIT") && sim.rng.nextDouble() < 0.1) {
          long r1 = sim.tm(b1 + DAY * (5 + sim.rng.nextInt(16)));
          if (r1 < sim.tEnd) {
            long b2 = sim.tm(r1 + DAY * (15 + sim.rng.nextInt(46)));
            life.add(new Active(r1, Math.min(b2, sim.tEnd), b2 < sim.tEnd ? "BLOCK:COUNTERFEIT:COUNTERFEIT"
                : Profile.END_NONE));
          }
        }
      } else {
        life.add(new Active(first, sim.tEnd, Profile.END_NONE));
      }
    } else {
      life.add(new Active(first, sim.tEnd, Profile.END_NONE));
    }
    sim.life.live(a, p, life, first);
  }

  /**
   * A storefront of a ring that hides ({@code --hiding}), and a solo counterfeiter in that mode: registers
   * like an honest seller (its own card and device, a fingerprint now and then missing), opens with a burst
   * of 5-14 listings, a quarter of them mainstream cover at ordinary prices and the rest mostly branded
   * luxury at 55-85 % of list (where authorised resellers sell at 60-80 %), a few unbranded look-alikes;
   * ordinary traffic (search, direct) with the handle behind 8-20 % of orders; 2.25 % of orders draw a
   * counterfeit complaint (a tenth of a plain ring's rate), fewer and later notices, little shipped from
   * abroad, few edits. Blocked for COUNTERFEIT after a median 50 days (at least 21) with {@code blockP},
   * otherwise abandoned (listings removed, account closed) after a median 55 days.
   */
  static void storefront(Simulation sim, Account a, long reg, String tag, String source, String shipFrom,
      double blockP) {
    Records rec = sim.records;
    ReferenceData ref = sim.ref;
    rec.register(a, reg, false);
    if (sim.rng.nextDouble() < 0.85) {
      rec.account(a, "VERIFIED", reg + HOUR + (long) (sim.rng.nextDouble() * 10 * DAY), null);
    }
    long first = sim.tm(reg + HOUR * 6 + (long) (sim.rng.nextDouble() * 9 * DAY));
    Profile p = new Profile();
    p.listings = 5 + sim.rng.nextInt(10);
    p.burstShare = 0.8;
    p.orderRate = 0.15;
    p.orderSigma = 0.6;
    p.complaintP = 0.05;
    p.cfShare = 0.45;
    p.noticeP = 0.12;
    p.noticeTypes = new String[] {"COUNTERFEIT", "COUNTERFEIT", "TRADEMARK"};
    p.outcome = new double[] {0.6, 0.25, 0.15};
    p.noticeMedianDays = 30;
    p.shipAbroadP = 0.12;
    p.shipFromAbroad = shipFrom;
    p.editMean = 0.6;
    p.removalMeanDays = 90;
    p.submissionBlockP = 0.04;
    p.submissionReasons = new String[] {"COUNTERFEIT", "TRADEMARK"};
    p.resubmitP = 0.3;
    p.proactiveBlockP = 0.05;
    p.proactiveReinstated = false;
    p.proactiveReason = "COUNTERFEIT";
    p.picker = (r, at) -> {
      double u = r.nextDouble();
      if (u < 0.25) {
        // cover: mainstream branded goods at ordinary prices
        return new Pick(Simulation.available(r, ref.mainstreamProducts, at), 0.85 + r.nextDouble() * 0.25);
      }
      return u < 0.9
          ? new Pick(Simulation.available(r, ref.luxuryProducts, at), 0.55 + r.nextDouble() * 0.3)
          : new Pick(Simulation.available(r, ref.genericLuxuryLook, at), 0.9 + r.nextDouble() * 0.4);
    };
    p.traffic = new Traffic(ref);
    p.traffic.tag = tag;
    p.traffic.tagSource = source;
    p.traffic.tagShare = tag == null ? 0 : 0.08 + sim.rng.nextDouble() * 0.12;

    List<Active> life = new ArrayList<>();
    if (sim.rng.nextDouble() < blockP) {
      long b1 = sim.tm(first + (long) (Math.max(21, sim.lognormal(50, 0.4)) * DAY));
      String cause = sim.rng.nextDouble() < 0.1 ? "BLOCK:RELATED_ACCOUNT:POLICY" : "BLOCK:COUNTERFEIT:COUNTERFEIT";
      boolean instant = sim.rng.nextDouble() < 0.15;
      life.add(b1 < sim.tEnd ? new Active(first, b1, cause + (instant ? ":INSTANT" : ""))
          : new Active(first, sim.tEnd, Profile.END_NONE));
    } else {
      long quit = sim.tm(first + (long) (Math.max(14, sim.lognormal(55, 0.4)) * DAY));
      life.add(quit < sim.tEnd ? new Active(first, quit, Profile.END_CLOSE)
          : new Active(first, sim.tEnd, Profile.END_NONE));
    }
    sim.life.live(a, p, life, first);
  }
}
