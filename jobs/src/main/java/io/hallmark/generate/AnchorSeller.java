package io.hallmark.generate;

import io.hallmark.generate.Profile.Active;
import io.hallmark.generate.ReferenceData.Product;
import io.hallmark.generate.SellerSimulator.Unit;
import java.util.List;

/**
 * A long-lived ordinary seller, first in every lake; it also carries the orders placed around each UTC
 * new year with offsets that put their local time in the other year.
 */
final class AnchorSeller implements SellerKind {
  @Override
  public List<Account> simulate(Simulation sim, Unit unit) {
    Records rec = sim.records;
    Account a = rec.newAccount("ordinary");
    long reg = sim.tm(sim.tStart + Simulation.DAY * (2 + sim.rng.nextInt(4)));
    rec.register(a, reg, false);
    rec.account(a, "VERIFIED", reg + Simulation.HOUR * (3 + sim.rng.nextInt(40)), null);
    Profile p = sim.life.ordinaryProfile();
    List<Active> life = List.of(new Active(reg, sim.tEnd, Profile.END_NONE));
    Product evergreen = sim.ref.mainstreamProducts.get(sim.rng.nextInt(sim.ref.mainstreamProducts.size()));
    long created = reg + Simulation.DAY;
    double price = ReferenceData.round2(evergreen.typical());
    String listingId = sim.nextListing();
    rec.created(a, listingId, created, evergreen, price, a.country);
    for (int y = sim.fromYear + 1; y <= sim.toYear + 1; y++) {
      long ny = Stamps.startOfYear(y);
      // local time already in the new year, UTC still in the old one (and the other way round)
      sim.life.order(a, listingId, ny - 40 * Stamps.MINUTE, price, 120, p, "SEARCH", null);
      sim.life.order(a, listingId, ny - 3 * Simulation.HOUR, price, 330, p, null, null);
      if (ny + Simulation.HOUR < sim.tEnd) {
        sim.life.order(a, listingId, ny + 25 * Stamps.MINUTE, price, -300, p, null, null);
      }
    }
    sim.life.ordersOver(a, listingId, List.of(new long[] {created, sim.tEnd}), List.of(new double[] {created, price}),
        0.05, p);
    sim.life.live(a, p, life, reg + Simulation.DAY * 2);
    return List.of(a);
  }
}
