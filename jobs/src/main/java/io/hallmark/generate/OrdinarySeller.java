package io.hallmark.generate;

import io.hallmark.generate.Profile.Active;
import io.hallmark.generate.ReferenceData.Brand;
import io.hallmark.generate.SellerSimulator.Unit;
import java.util.ArrayList;
import java.util.List;

/**
 * The ordinary seller (~70 % of accounts): mainstream listings with a few grey-market luxury and
 * clearance ones, some with a legitimate influencer campaign, a few legacy accounts registered before
 * the data, a few blocked/reinstated/re-blocked for policy or closed.
 */
final class OrdinarySeller implements SellerKind {
  private static final long DAY = Simulation.DAY;
  private static final long HOUR = Simulation.HOUR;

  @Override
  public List<Account> simulate(Simulation sim, Unit unit) {
    return List.of(seller(sim, null, null));
  }

  /**
   * @param sharedWith an account of the same household (its address, sometimes its device), or null
   * @param scheme the truth file's scheme, or null for "ordinary" and its variants
   */
  static Account seller(Simulation sim, Account sharedWith, String scheme) {
    Records rec = sim.records;
    Account a = rec.newAccount(scheme == null ? "ordinary" : scheme);
    if (sharedWith != null) {
      a.addr = sharedWith.addr;
      if (sim.rng.nextDouble() < 0.3) {
        a.dev = sharedWith.dev;
      }
    }
    Profile p = sim.life.ordinaryProfile();
    long reg = sim.registrationTime(20);
    boolean legacy = sim.rng.nextDouble() < 0.015;
    long firstListing;
    if (legacy) {
      // registered before the data starts: no REGISTERED event in this landing zone
      reg = sim.tStart - DAY * (30 + sim.rng.nextInt(900));
      a.reg = reg;
      a.scheme = "ordinary_legacy";
      firstListing = sim.tm(sim.tStart + (long) (sim.rng.nextDouble() * 60 * DAY));
    } else {
      rec.register(a, reg, scheme != null);
      if (sim.rng.nextDouble() < 0.005) {
        // upstream re-emitted the registration under a new event id
        rec.register(a, reg + 1000L * (1 + sim.rng.nextInt(5)), sharedWith != null, false);
      }
      if (sim.rng.nextDouble() < 0.85) {
        rec.account(a, "VERIFIED", reg + HOUR + (long) (sim.rng.nextDouble() * 10 * DAY), null);
      }
      firstListing = reg + (long) (sim.lognormal(5, 0.8) * DAY) + HOUR;
    }
    if (sim.rng.nextDouble() < 0.08) {
      sim.influencer(p, 0.3, 0.35);
      if (a.scheme.equals("ordinary")) {
        a.scheme = "ordinary_influencer";
      }
    }
    if (sim.rng.nextDouble() < 0.08) {
      Brand b = sim.ref.brands.get(ReferenceData.LUXURY_BRANDS.length
          + sim.rng.nextInt(ReferenceData.MAINSTREAM_BRANDS.length));
      rec.authorization(b.name(), a.id, Math.max(reg, sim.tStart) + DAY * sim.rng.nextInt(30), null);
    }
    List<Active> life = new ArrayList<>();
    double u = sim.rng.nextDouble();
    if (u < 0.03) {
      // blocked, reinstated, sometimes blocked again for good
      if (a.scheme.equals("ordinary")) {
        a.scheme = "ordinary_policy_blocked";
      }
      long b1 = sim.tm(firstListing + DAY * (20 + sim.rng.nextInt(600)));
      long r1 = sim.tm(b1 + DAY * (2 + sim.rng.nextInt(18)) + sim.rng.nextLong(DAY));
      String reason = sim.pickWeighted(new String[] {"POLICY", "IDENTITY", "FRAUD"}, new double[] {0.6, 0.25, 0.15});
      life.add(new Active(firstListing, b1, "BLOCK:" + reason + ":POLICY"));
      if (r1 < sim.tEnd) {
        long b2 = sim.rng.nextDouble() < 0.4 ? sim.tm(r1 + DAY * (30 + sim.rng.nextInt(270))) : sim.tEnd;
        life.add(new Active(r1, Math.min(b2, sim.tEnd), b2 < sim.tEnd ? "BLOCK:POLICY:POLICY" : Profile.END_NONE));
      }
    } else if (u < 0.11) {
      long close = sim.tm(firstListing + DAY * (60 + sim.rng.nextInt(1000)));
      life.add(new Active(firstListing, Math.min(close, sim.tEnd), close < sim.tEnd ? Profile.END_CLOSE
          : Profile.END_NONE));
    } else {
      life.add(new Active(firstListing, sim.tEnd, Profile.END_NONE));
    }
    sim.life.live(a, p, life, firstListing);
    return a;
  }
}
