package io.hallmark.generate;

import java.util.List;

/**
 * Simulates the planned units one at a time, each by its {@link SellerKind}, on one shared
 * {@link Simulation}, and writes every account to the truth file. Every unit draws from its own random
 * stream (seed + unit index), so the output depends only on the seed and the plan, never on memory
 * layout or wall clock.
 */
final class SellerSimulator {
  /** The kinds of unit the plan is made of, each with the class that simulates it. */
  enum UnitType {
    ANCHOR(new AnchorSeller()),
    ORDINARY(new OrdinarySeller()),
    HOUSEHOLD(new Household()),
    DORMANT(new DormantAccount()),
    UNBRANDED(new UnbrandedSeller()),
    RESELLER(new AuthorisedReseller()),
    PREOWNED(new PreownedReseller()),
    BAD_ACTOR(new BadActor()),
    RING(new CounterfeitRing()),
    SOLO(new SoloCounterfeiter());

    final SellerKind kind;

    UnitType(SellerKind kind) {
      this.kind = kind;
    }
  }

  /** One planned unit: {@code size} accounts; {@code groupNo} numbers rings (and solos). */
  record Unit(UnitType type, int size, int index, int groupNo) {}

  interface TruthSink {
    void row(String sellerId, boolean counterfeit, String scheme);
  }

  private static final SellerKind HIDING_RING = new HidingRing();
  private final Simulation sim;
  private final TruthSink truth;
  long listingSellers;
  long counterfeitSellers;
  long accounts;

  SellerSimulator(ReferenceData ref, Emitter em, long seed, int fromYear, int toYear, GeneratorOptions.Rings rings,
      TruthSink truth) {
    this.sim = new Simulation(ref, em, seed, fromYear, toYear, rings);
    this.truth = truth;
  }

  void run(Unit u) {
    sim.beginUnit(u.index());
    // a ring that hides is another kind of unit; every other kind is the same whatever the rings do
    SellerKind kind = u.type() == UnitType.RING && sim.rings == GeneratorOptions.Rings.HIDING ? HIDING_RING : u.type().kind;
    List<Account> accs = kind.simulate(sim, u);
    for (Account a : accs) {
      truth.row(a.id, a.counterfeit, a.scheme);
      accounts++;
      if (a.listed) {
        listingSellers++;
      }
      if (a.counterfeit) {
        counterfeitSellers++;
      }
    }
  }
}
