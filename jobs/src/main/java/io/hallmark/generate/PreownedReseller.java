package io.hallmark.generate;

import io.hallmark.generate.Profile.Active;
import io.hallmark.generate.Profile.Pick;
import io.hallmark.generate.SellerSimulator.Unit;
import java.util.List;

/**
 * Resells genuine pre-owned luxury goods: branded luxury well below list price and no brand
 * authorisation (resale needs none), yet honest: few complaints, ordinary traffic. A hard negative
 * for the price and authorisation signals.
 */
final class PreownedReseller implements SellerKind {
  @Override
  public List<Account> simulate(Simulation sim, Unit unit) {
    Records rec = sim.records;
    ReferenceData ref = sim.ref;
    Account a = rec.newAccount("preowned_luxury");
    long reg = sim.registrationTime(30);
    rec.register(a, reg, false);
    if (sim.rng.nextDouble() < 0.9) {
      rec.account(a, "VERIFIED", reg + Simulation.HOUR + (long) (sim.rng.nextDouble() * 5 * Simulation.DAY), null);
    }
    Profile p = sim.life.ordinaryProfile();
    p.listings = 5 + sim.rng.nextInt(26);
    p.orderRate = 0.02;
    p.complaintP = 0.02;
    p.cfShare = 0.12;
    p.noticeP = 0.03;
    p.noticeTypes = new String[] {"COUNTERFEIT", "TRADEMARK"};
    p.outcome = new double[] {0.1, 0.7, 0.2};
    p.editMean = 0.8;
    p.picker = (r, at) -> r.nextDouble() < 0.7
        ? new Pick(Simulation.available(r, ref.luxuryProducts, at), 0.35 + r.nextDouble() * 0.3)
        : new Pick(Simulation.available(r, ref.mainstreamProducts, at), 0.5 + r.nextDouble() * 0.4);
    if (sim.rng.nextDouble() < 0.15) {
      sim.influencer(p, 0.2, 0.3);
    }
    long first = reg + (long) (sim.lognormal(4, 0.8) * Simulation.DAY) + Simulation.HOUR;
    sim.life.live(a, p, List.of(new Active(first, sim.tEnd, Profile.END_NONE)), first);
    return List.of(a);
  }
}
