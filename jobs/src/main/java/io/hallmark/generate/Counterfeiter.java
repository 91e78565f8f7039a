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
}
