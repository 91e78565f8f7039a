package io.hallmark.generate;

import io.hallmark.generate.SellerSimulator.Unit;
import java.util.ArrayList;
import java.util.List;

/**
 * A ring that hides ({@code --hiding}): instead of 3-8 linked sellers working side by side for months, it
 * runs short-lived storefronts opened one after another (median three weeks apart), each with its own
 * payment card and device, so at any date its live storefront is days or weeks old and has few complaints
 * yet. What still ties them: most use the ring's forwarding address, and the ring's handle brings a small
 * share of every storefront's orders (see {@link Counterfeiter#storefront} for how one sells).
 */
final class HidingRing implements SellerKind {
  private static final long DAY = Simulation.DAY;
  /** Share of storefronts registered at the ring's forwarding address (the rest at their own). */
  static final double FORWARDING_ADDRESS_SHARE = 0.6;

  @Override
  public List<Account> simulate(Simulation sim, Unit unit) {
    int size = unit.size();
    int ringNo = unit.groupNo();
    List<Account> out = new ArrayList<>();
    String tag = sim.ref.ringTag(ringNo);
    String source = sim.rng.nextBoolean() ? "INSTAGRAM" : "TIKTOK";
    String shipFrom = CounterfeitRing.abroad(sim);
    String forwardingAddress = "adr_" + Ids.hex(sim.rng.nextLong());
    long reg = sim.tm(sim.tStart + 20 * DAY
        + (long) (sim.rng.nextDouble() * Math.max(DAY, sim.tEnd - sim.tStart - 80 * DAY)));
    int evader = sim.rng.nextInt(size);
    for (int j = 0; j < size; j++) {
      Account a = sim.records.newAccount("ring:" + ringNo);
      a.counterfeit = true;
      if (sim.rng.nextDouble() < FORWARDING_ADDRESS_SHARE) {
        a.addr = forwardingAddress;
      }
      if (j > 0) {
        // the next storefront opens while the previous one winds down
        reg = sim.tm(reg + (long) (Math.max(3, sim.lognormal(21, 0.5)) * DAY));
      }
      if (reg >= sim.tEnd - 2 * DAY) {
        reg = sim.tm(sim.tEnd - 2 * DAY - sim.rng.nextLong(DAY));
      }
      // one storefront of every ring is never blocked (only abandoned); the others usually are
      Counterfeiter.storefront(sim, a, reg, tag, source, shipFrom, j == evader ? 0.0 : 0.75);
      out.add(a);
    }
    return out;
  }
}
