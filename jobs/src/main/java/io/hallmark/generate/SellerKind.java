package io.hallmark.generate;

import io.hallmark.generate.SellerSimulator.Unit;
import java.util.List;

/**
 * One kind of seller (or of unit: a household, a bad actor and his retries, a ring): simulates a planned
 * unit on the shared {@link Simulation}, emitting its records, and returns its accounts for the truth
 * file. Kinds hold no state of their own; everything they share lives in the simulation.
 */
interface SellerKind {
  List<Account> simulate(Simulation sim, Unit unit);
}
