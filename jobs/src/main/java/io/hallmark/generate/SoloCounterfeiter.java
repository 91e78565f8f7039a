package io.hallmark.generate;

import io.hallmark.generate.SellerSimulator.Unit;
import java.util.List;

/** A counterfeiter on its own: no linked accounts, a handle half of the time. */
final class SoloCounterfeiter implements SellerKind {
  @Override
  public List<Account> simulate(Simulation sim, Unit unit) {
    Account a = sim.records.newAccount("solo_counterfeit");
    a.counterfeit = true;
    long reg = sim.registrationTime(60);
    String tag = sim.rng.nextBoolean() ? sim.ref.ringTag(100_000 + unit.groupNo()) : null;
    Counterfeiter.live(sim, a, reg, tag, sim.rng.nextBoolean() ? "INSTAGRAM" : "TIKTOK", CounterfeitRing.abroad(sim),
        0.8);
    return List.of(a);
  }
}
