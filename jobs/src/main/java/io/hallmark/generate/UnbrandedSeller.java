package io.hallmark.generate;

import io.hallmark.generate.Profile.Active;
import io.hallmark.generate.Profile.Pick;
import io.hallmark.generate.ReferenceData.Product;
import io.hallmark.generate.SellerSimulator.Unit;
import java.util.List;

/** Sells unbranded goods, half of them in jewellery/watch/bag categories (honest look-alike traffic). */
final class UnbrandedSeller implements SellerKind {
  @Override
  public List<Account> simulate(Simulation sim, Unit unit) {
    Records rec = sim.records;
    boolean jewellery = sim.rng.nextBoolean();
    Account a = rec.newAccount(jewellery ? "unbranded_jewellery" : "unbranded");
    long reg = sim.registrationTime(20);
    rec.register(a, reg, false);
    if (sim.rng.nextDouble() < 0.8) {
      rec.account(a, "VERIFIED", reg + Simulation.HOUR + (long) (sim.rng.nextDouble() * 10 * Simulation.DAY), null);
    }
    Profile p = sim.life.ordinaryProfile();
    List<Product> pool = jewellery ? sim.ref.genericLuxuryLook : sim.ref.genericOther;
    p.picker = (r, at) -> new Pick(Simulation.available(r, pool, at), 0.9 + r.nextDouble() * 0.25);
    p.orderRate = 0.02;
    p.complaintP = 0.02;
    p.cfShare = jewellery ? 0.1 : 0.03;
    p.noticeP = jewellery ? 0.012 : 0;
    p.outcome = new double[] {0.25, 0.65, 0.1};
    if (sim.rng.nextDouble() < 0.1) {
      sim.influencer(p, 0.3, 0.3);
    }
    long first = reg + (long) (sim.lognormal(5, 0.8) * Simulation.DAY) + Simulation.HOUR;
    sim.life.live(a, p, List.of(new Active(first, sim.tEnd, Profile.END_NONE)), first);
    return List.of(a);
  }
}
