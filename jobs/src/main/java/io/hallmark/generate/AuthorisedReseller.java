package io.hallmark.generate;

import io.hallmark.generate.Profile.Active;
import io.hallmark.generate.Profile.Pick;
import io.hallmark.generate.ReferenceData.Brand;
import io.hallmark.generate.ReferenceData.Product;
import io.hallmark.generate.SellerSimulator.Unit;
import java.util.ArrayList;
import java.util.List;

/**
 * An authorised reseller of one to three luxury brands (authorizations rows, some expiring): branded
 * luxury at 60-80 % of list while authorised, mainstream goods otherwise.
 */
final class AuthorisedReseller implements SellerKind {
  private static final long DAY = Simulation.DAY;

  @Override
  public List<Account> simulate(Simulation sim, Unit unit) {
    Records rec = sim.records;
    ReferenceData ref = sim.ref;
    Account a = rec.newAccount("authorized_reseller");
    long reg = sim.registrationTime(40);
    rec.register(a, reg, false);
    rec.account(a, "VERIFIED", reg + Simulation.HOUR + (long) (sim.rng.nextDouble() * 5 * DAY), null);
    int nBrands = 1 + sim.rng.nextInt(3);
    List<Brand> brands = new ArrayList<>();
    List<long[]> validity = new ArrayList<>();
    for (int i = 0; i < nBrands; i++) {
      Brand b = ref.brands.get(sim.rng.nextInt(ReferenceData.LUXURY_BRANDS.length));
      if (brands.contains(b)) {
        continue;
      }
      long from = sim.tm(reg + DAY * sim.rng.nextInt(20));
      Long to = null;
      if (sim.rng.nextDouble() < 0.25) {
        long t = sim.tm(from + DAY * (200 + sim.rng.nextInt(700)));
        to = t < sim.tEnd ? t : null;
      }
      rec.authorization(b.name(), a.id, from, to);
      brands.add(b);
      validity.add(new long[] {from, to == null ? Long.MAX_VALUE : to});
    }
    Profile p = sim.life.ordinaryProfile();
    p.listings = 8 + sim.rng.nextInt(23);
    p.orderRate = 0.03;
    p.complaintP = 0.012;
    p.cfShare = 0.15; // discounted luxury makes buyers suspicious even when genuine
    p.noticeP = 0.02;
    p.noticeTypes = new String[] {"COUNTERFEIT", "TRADEMARK"};
    p.outcome = new double[] {0.0, 0.85, 0.15};
    p.shipAbroadP = 0.1;
    boolean mainstreamToo = sim.rng.nextDouble() < 0.3;
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
        return new Pick(Simulation.available(r, ref.mainstreamProducts, at), 0.85 + r.nextDouble() * 0.25);
      }
      return new Pick(fit.get(r.nextInt(fit.size())), 0.6 + r.nextDouble() * 0.2);
    };
    if (sim.rng.nextDouble() < 0.15) {
      sim.influencer(p, 0.2, 0.3);
    }
    long first = Math.max(reg + DAY * 3, validity.get(0)[0] + Simulation.HOUR);
    sim.life.live(a, p, List.of(new Active(first, sim.tEnd, Profile.END_NONE)), first);
    return List.of(a);
  }
}
