package io.hallmark.generate;

import io.hallmark.generate.Profile.Active;
import io.hallmark.generate.Profile.Pick;
import io.hallmark.generate.ReferenceData.Brand;
import io.hallmark.generate.ReferenceData.Product;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plays out a seller's listings from its {@link Profile} over its active stretches: each listing lives
 * until removed, blocked, or the stretch ends (then blocked with the account, or removed when the
 * account closes), with edits, orders, complaints and notices in between; then the account's endings.
 */
final class SellerLife {
  private static final long DAY = Simulation.DAY;
  private static final long HOUR = Simulation.HOUR;
  /** Marks an order whose timestamp takes the usual random offset. */
  static final int RANDOM_OFFSET = Integer.MIN_VALUE;

  private final Simulation sim;
  private final Records rec;

  SellerLife(Simulation sim) {
    this.sim = sim;
    this.rec = sim.records;
  }

  /** The profile of an ordinary seller, which other kinds start from and adjust. */
  Profile ordinaryProfile() {
    ReferenceData ref = sim.ref;
    Profile p = new Profile();
    p.listings = 1 + (int) Math.min(60, -Math.log(1 - sim.rng.nextDouble()) * 6);
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
        return new Pick(Simulation.available(r, ref.luxuryProducts, at), 0.9 + r.nextDouble() * 0.15);
      }
      if (u < 0.05) {
        // clearance: a branded item far below its list price
        return new Pick(Simulation.available(r, ref.mainstreamProducts, at), 0.3 + r.nextDouble() * 0.2);
      }
      return u < 0.77
          ? new Pick(Simulation.available(r, ref.mainstreamProducts, at), 0.85 + r.nextDouble() * 0.25)
          : new Pick(Simulation.available(r, ref.genericOther, at), 0.9 + r.nextDouble() * 0.3);
    };
    p.traffic = new Traffic(ref);
    return p;
  }

  /** Listings created over the active stretches, then the account-level endings of the stretches. */
  void live(Account a, Profile p, List<Active> life, long firstListing) {
    List<Long> times = new ArrayList<>();
    for (int k = 0; k < p.listings; k++) {
      long t;
      if (k == 0) {
        t = firstListing;
      } else if (sim.rng.nextDouble() < p.burstShare) {
        t = firstListing + (long) (sim.rng.nextDouble() * 30 * DAY);
      } else {
        t = randomIn(life, firstListing);
      }
      times.add(sim.tm(t));
    }
    times.sort(null);
    for (long t : times) {
      Active stretch = stretchAt(life, t);
      if (stretch == null || t >= sim.tEnd) {
        continue;
      }
      listing(a, p, stretch, t);
    }
    // account-level endings, after the listings (listing blocks carry the same instant)
    for (Active s : life) {
      if (s.endCause().startsWith("BLOCK:")) {
        String[] parts = s.endCause().split(":");
        if (parts.length > 3 && parts[3].equals("INSTANT")) {
          // the listing that went live at this very instant is blocked with the account
          Pick pick = p.picker.pick(sim.rng, s.to());
          String lid = sim.nextListing();
          rec.created(a, lid, s.to(), pick.product(), price(pick), shipFrom(a, p));
          rec.listingEnd(a, lid, s.to(), "BLOCKED", parts[2]);
        }
        rec.account(a, "BLOCKED", s.to(), parts[1]);
        int idx = life.indexOf(s);
        if (idx + 1 < life.size()) {
          rec.account(a, "REINSTATED", life.get(idx + 1).from(), null);
        }
      } else if (s.endCause().equals(Profile.END_CLOSE)) {
        rec.account(a, "CLOSED", s.to(), null);
      }
    }
  }

  private void listing(Account a, Profile p, Active stretch, long t) {
    Pick pick = p.picker.pick(sim.rng, t);
    Product prod = pick.product();
    String lid = sim.nextListing();
    if (sim.rng.nextDouble() < p.submissionBlockP) {
      String reason = p.submissionReasons[sim.rng.nextInt(p.submissionReasons.length)];
      rec.submissionBlocked(a, lid, t, prod, reason);
      if (sim.rng.nextDouble() >= p.resubmitP) {
        return;
      }
      t = sim.tm(t + DAY + (long) (sim.rng.nextDouble() * 4 * DAY)); // fixed and resubmitted under the same id
      if (t >= stretch.to()) {
        return;
      }
    }
    double price = price(pick);
    rec.created(a, lid, t, prod, price, shipFrom(a, p));

    long end = stretch.to();
    String endType = null;
    String endReason = null;
    if (stretch.endCause().startsWith("BLOCK:")) {
      endType = "BLOCKED";
      endReason = stretch.endCause().split(":")[2];
    } else if (stretch.endCause().equals(Profile.END_CLOSE)) {
      endType = "REMOVED";
    }
    long removal = sim.tm(t + HOUR + (long) (-Math.log(1 - sim.rng.nextDouble()) * p.removalMeanDays * DAY));
    if (removal < end) {
      end = removal;
      endType = "REMOVED";
      endReason = null;
    }
    List<long[]> live = new ArrayList<>();
    long pauseFrom = -1;
    long pauseTo = -1;
    if (sim.rng.nextDouble() < p.proactiveBlockP) {
      long pb = sim.tm(t + HOUR * 2 + (long) (sim.rng.nextDouble() * 28 * DAY));
      if (pb < end) {
        if (p.proactiveReinstated) {
          pauseFrom = pb;
          pauseTo = sim.tm(pb + DAY + (long) (sim.rng.nextDouble() * 9 * DAY));
        } else {
          end = pb;
          endType = "BLOCKED";
          endReason = p.proactiveReason;
        }
      }
    }
    // rights-owner notice; a valid one gets the listing blocked when it is resolved
    if (p.noticeP > 0 && sim.rng.nextDouble() < p.noticeP) {
      Brand brand = prod.brand() != null ? prod.brand()
          : ReferenceData.luxuryLook(prod.category()) ? sim.ref.luxuryBrandFor(prod.category(), sim.rng) : null;
      if (brand != null && brand.enrolled()) {
        long submitted = sim.tm(t + HOUR + (long) (sim.lognormal(p.noticeMedianDays, 0.6) * DAY));
        if (submitted < end && submitted >= brand.enrolledAt()) {
          String type = p.noticeTypes[sim.rng.nextInt(p.noticeTypes.length)];
          String outcome = sim.pickWeighted(new String[] {"VALID", "INVALID", "PENDING"}, p.outcome);
          long resolved = sim.rng.nextDouble() < 0.4 ? submitted + HOUR + sim.rng.nextLong(22 * HOUR)
              : submitted + DAY + (long) (sim.rng.nextDouble() * 20 * DAY);
          resolved = sim.tm(resolved);
          if (resolved >= sim.tEnd) {
            outcome = "PENDING";
          }
          rec.notice(brand.name(), lid, type, submitted, outcome, outcome.equals("PENDING") ? null : resolved);
          if (outcome.equals("VALID") && resolved + HOUR < end) {
            end = sim.tm(resolved + sim.rng.nextLong(HOUR));
            endType = "BLOCKED";
            endReason = type.equals("COUNTERFEIT") ? "COUNTERFEIT" : "TRADEMARK";
          }
        }
      }
    }
    if (pauseFrom > 0 && pauseFrom < end) {
      rec.listingEnd(a, lid, pauseFrom, "BLOCKED", p.proactiveReason);
      if (pauseTo < end) {
        rec.listingEvent(a, lid, "REINSTATED", pauseTo);
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
    int edits = sim.poisson(p.editMean);
    List<Long> editTimes = new ArrayList<>();
    for (int e = 0; e < edits; e++) {
      editTimes.add(sim.tm(t + Stamps.MINUTE + (long) (sim.rng.nextDouble() * Math.max(1, end - t - Stamps.MINUTE))));
    }
    editTimes.sort(null);
    double current = price;
    for (long et : editTimes) {
      if (et >= end || et >= sim.tEnd) {
        continue;
      }
      Map<String, Object> r = rec.listingEvent(sim.nextEvent("LE"), lid, a.id, "UPDATED", et);
      if (sim.rng.nextDouble() < 0.8) {
        current = ReferenceData.round2(Math.max(1, current * (0.85 + sim.rng.nextDouble() * 0.25)));
        r.put("price_usd", current);
        prices.add(new double[] {et, current});
      }
      sim.em.emit("listing_events", (String) r.get("event_id"), r, et);
    }
    ordersOver(a, lid, live, prices,
        p.orderRate * Math.exp(p.orderSigma * sim.rng.nextGaussian() - 0.5 * p.orderSigma), p);
    if (endType != null && end < sim.tEnd) {
      rec.listingEnd(a, lid, end, endType, endReason);
    }
  }

  /** Orders arriving at {@code ratePerDay} while the listing is live, at the price of the moment. */
  void ordersOver(Account a, String lid, List<long[]> live, List<double[]> prices, double ratePerDay, Profile p) {
    for (long[] seg : live) {
      long to = Math.min(seg[1], sim.tEnd);
      long t = seg[0];
      while (true) {
        t += (long) (-Math.log(1 - sim.rng.nextDouble()) / ratePerDay * DAY);
        if (t >= to || t < 0) {
          break;
        }
        double price = prices.get(0)[1];
        for (double[] pc : prices) {
          if (pc[0] <= t) {
            price = pc[1];
          }
        }
        String[] referral = p.traffic.pick(sim.rng);
        order(a, lid, sim.tm(t), price, RANDOM_OFFSET, p, referral[0], referral[1]);
      }
    }
  }

  /** One order and, with the profile's probability, its complaint a week or so later. */
  void order(Account a, String lid, long t, double price, int offset, Profile p, String source, String tag) {
    Map<String, Object> o = new LinkedHashMap<>();
    String id = sim.nextOrder();
    o.put("order_id", id);
    o.put("listing_id", lid);
    o.put("seller_id", a.id);
    o.put("order_time", offset != RANDOM_OFFSET ? Stamps.iso(t, offset) : sim.ts(t));
    double q = sim.rng.nextDouble();
    o.put("quantity", q < 0.85 ? 1 : q < 0.95 ? 2 : 3 + sim.rng.nextInt(3));
    o.put("unit_price_usd", sim.rng.nextDouble() < 0.05 ? ReferenceData.round2(price * 0.95) : price);
    if (source != null) {
      o.put("referral_source", source);
    }
    if (tag != null) {
      o.put("referral_tag", tag);
    }
    sim.em.emit("orders", id, o, t);
    if (sim.rng.nextDouble() < p.complaintP) {
      long ct = sim.tm(t + HOUR + (long) (sim.lognormal(7, 0.7) * DAY));
      if (ct < sim.tEnd) {
        String type = sim.rng.nextDouble() < p.cfShare ? "COUNTERFEIT"
            : sim.pickWeighted(new String[] {"NOT_AS_DESCRIBED", "DAMAGED", "OTHER"}, new double[] {0.45, 0.35, 0.2});
        Map<String, Object> c = new LinkedHashMap<>();
        String cid = sim.nextComplaint();
        c.put("complaint_id", cid);
        c.put("order_id", id);
        c.put("complaint_time", sim.ts(ct));
        c.put("complaint_type", type);
        sim.em.emit("complaints", cid, c, ct);
      }
    }
  }

  double price(Pick pick) {
    double base = pick.product().reference() != null ? pick.product().reference() : pick.product().typical();
    return ReferenceData.round2(Math.max(1, base * pick.priceFactor()));
  }

  private String shipFrom(Account a, Profile p) {
    if (sim.rng.nextDouble() < 0.05) {
      return null;
    }
    if (sim.rng.nextDouble() < p.shipAbroadP) {
      return p.shipFromAbroad != null ? p.shipFromAbroad : pickAbroad();
    }
    return a.country;
  }

  private String pickAbroad() {
    String[] legit = {"IT", "FR", "GB", "DE", "CN"};
    return legit[sim.rng.nextInt(legit.length)];
  }

  private static Active stretchAt(List<Active> life, long t) {
    for (Active s : life) {
      if (t >= s.from() && t < s.to()) {
        return s;
      }
    }
    return null;
  }

  private long randomIn(List<Active> life, long notBefore) {
    long total = 0;
    for (Active s : life) {
      total += Math.max(0, s.to() - Math.max(s.from(), notBefore));
    }
    if (total <= 0) {
      return notBefore;
    }
    long x = (long) (sim.rng.nextDouble() * total);
    for (Active s : life) {
      long from = Math.max(s.from(), notBefore);
      long len = Math.max(0, s.to() - from);
      if (x < len) {
        return from + x;
      }
      x -= len;
    }
    return notBefore;
  }
}
