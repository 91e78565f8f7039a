package io.hallmark.generate;

import io.hallmark.generate.SellerSimulator.Unit;
import java.util.ArrayList;
import java.util.List;

/**
 * Colluding counterfeit sellers sharing fingerprints (a chain, more links unless stealthy) and one
 * influencer handle, starting within 90 days of each other; one member evades enforcement.
 */
final class CounterfeitRing implements SellerKind {
  private static final String[] ABROAD = {"CN", "HK", "TR", "AE"};
  private static final long DAY = Simulation.DAY;

  @Override
  public List<Account> simulate(Simulation sim, Unit unit) {
    int size = unit.size();
    int ringNo = unit.groupNo();
    List<Account> out = new ArrayList<>();
    String tag = sim.ref.ringTag(ringNo);
    String source = sim.rng.nextBoolean() ? "INSTAGRAM" : "TIKTOK";
    String shipFrom = abroad(sim);
    long start = sim.tm(sim.tStart + 20 * DAY
        + (long) (sim.rng.nextDouble() * Math.max(DAY, sim.tEnd - sim.tStart - 80 * DAY)));
    int evader = sim.rng.nextInt(size);
    for (int j = 0; j < size; j++) {
      Account a = sim.records.newAccount("ring:" + ringNo);
      a.counterfeit = true;
      if (j > 0) {
        // chain: shares at least one fingerprint with the previous member; more when not stealthy
        Account prev = out.get(j - 1);
        int kind = sim.rng.nextInt(3);
        a.copyFingerprint(prev, kind);
        if (!sim.stealth) {
          for (int k = 0; k < 3; k++) {
            if (k != kind && sim.rng.nextDouble() < 0.5) {
              a.copyFingerprint(out.get(sim.rng.nextInt(j)), k);
            }
          }
        }
      }
      long reg = sim.tm(start + (long) (sim.rng.nextDouble() * 90 * DAY));
      if (reg >= sim.tEnd - 2 * DAY) {
        reg = sim.tm(sim.tEnd - 2 * DAY - sim.rng.nextLong(DAY));
      }
      // one member of every ring evades enforcement; the others are blocked most of the time
      Counterfeiter.live(sim, a, reg, tag, source, shipFrom, j == evader ? 0.0 : 0.85);
      out.add(a);
    }
    return out;
  }

  /** A ring's warehouse country. */
  static String abroad(Simulation sim) {
    return ABROAD[sim.rng.nextInt(ABROAD.length)];
  }
}
