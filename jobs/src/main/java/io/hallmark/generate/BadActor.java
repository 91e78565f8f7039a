package io.hallmark.generate;

import io.hallmark.generate.Profile.Active;
import io.hallmark.generate.ReferenceData.Product;
import io.hallmark.generate.SellerSimulator.Unit;
import java.util.ArrayList;
import java.util.List;

/**
 * A bad actor blocked before any listing, and his retries: new accounts sharing a card, device or
 * address with the first, mostly blocked as RELATED_ACCOUNT (some at the very instant their first
 * listing goes live, a few never).
 */
final class BadActor implements SellerKind {
  private static final long DAY = Simulation.DAY;
  private static final long HOUR = Simulation.HOUR;

  @Override
  public List<Account> simulate(Simulation sim, Unit unit) {
    Records rec = sim.records;
    List<Account> out = new ArrayList<>();
    Account first = rec.newAccount("prelisting_bad_actor");
    long reg = sim.registrationTime(10);
    rec.register(first, reg, true);
    long block = sim.tm(reg + 2 * Stamps.MINUTE + (long) (sim.rng.nextDouble() * 3 * DAY));
    if (sim.rng.nextDouble() < 0.3) {
      Product prod = sim.ref.genericLuxuryLook.get(sim.rng.nextInt(sim.ref.genericLuxuryLook.size()));
      long attempt = sim.tm(reg + (block - reg) / 2);
      rec.submissionBlocked(first, sim.nextListing(), attempt, prod, "POLICY");
    }
    rec.account(first, "BLOCKED", block, sim.pickWeighted(new String[] {"FRAUD", "IDENTITY", "POLICY"},
        new double[] {0.5, 0.35, 0.15}));
    out.add(first);
    long prevBlock = block;
    for (int i = 1; i < unit.size(); i++) {
      // a retry: new account, but the same card, device or address as the blocked one
      Account retry = rec.newAccount("prelisting_retry");
      int shared = 1 + sim.rng.nextInt(2);
      for (int k = 0, start = sim.rng.nextInt(3); k < shared; k++) {
        retry.copyFingerprint(first, (start + k) % 3);
      }
      if (sim.rng.nextDouble() < 0.3) {
        retry.phone = first.phone;
      }
      long r = sim.tm(Math.min(prevBlock + HOUR + (long) (sim.rng.nextDouble() * 20 * DAY), sim.tEnd - 2 * DAY));
      rec.register(retry, r, true);
      double u = sim.rng.nextDouble();
      if (u < 0.7) {
        prevBlock = sim.tm(r + 10 * Stamps.MINUTE + (long) (sim.rng.nextDouble() * 5 * DAY));
        rec.account(retry, "BLOCKED", prevBlock, "RELATED_ACCOUNT");
      } else if (u < 0.9) {
        // its first listing goes live and the account is blocked at that very instant
        long at = sim.tm(r + DAY + (long) (sim.rng.nextDouble() * 6 * DAY));
        Product prod = sim.ref.mainstreamProducts.get(sim.rng.nextInt(sim.ref.mainstreamProducts.size()));
        String lid = sim.nextListing();
        rec.created(retry, lid, at, prod, ReferenceData.round2(prod.typical() * 0.9), retry.country);
        rec.listingEnd(retry, lid, at, "BLOCKED", "POLICY");
        rec.account(retry, "BLOCKED", at, "RELATED_ACCOUNT");
        prevBlock = at;
      } else {
        retry.scheme = "prelisting_retry_unblocked";
        Profile p = sim.life.ordinaryProfile();
        long firstL = r + DAY * (1 + sim.rng.nextInt(10));
        sim.life.live(retry, p, List.of(new Active(firstL, sim.tEnd, Profile.END_NONE)), firstL);
        prevBlock = sim.tEnd;
      }
      out.add(retry);
    }
    return out;
  }
}
