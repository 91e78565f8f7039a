package io.hallmark.generate;

import io.hallmark.generate.ReferenceData.Product;
import io.hallmark.generate.SellerSimulator.Unit;
import java.util.List;

/** Registers and never lists (a few refused submissions, some closed later). */
final class DormantAccount implements SellerKind {
  @Override
  public List<Account> simulate(Simulation sim, Unit unit) {
    Records rec = sim.records;
    Account a = rec.newAccount("dormant");
    long reg = sim.registrationTime(5);
    rec.register(a, reg, false);
    if (sim.rng.nextDouble() < 0.5) {
      rec.account(a, "VERIFIED", reg + Simulation.HOUR + (long) (sim.rng.nextDouble() * 5 * Simulation.DAY), null);
    }
    if (sim.rng.nextDouble() < 0.1) {
      Product prod = sim.ref.genericOther.get(sim.rng.nextInt(sim.ref.genericOther.size()));
      rec.submissionBlocked(a, sim.nextListing(), reg + Simulation.DAY * (1 + sim.rng.nextInt(20)), prod, "POLICY");
    }
    if (sim.rng.nextDouble() < 0.3) {
      rec.account(a, "CLOSED", reg + Simulation.DAY * (30 + sim.rng.nextInt(400)), null);
    }
    return List.of(a);
  }
}
