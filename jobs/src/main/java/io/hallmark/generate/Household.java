package io.hallmark.generate;

import io.hallmark.generate.SellerSimulator.Unit;
import java.util.List;

/** Two ordinary sellers at one address (sometimes one device): an honest shared fingerprint. */
final class Household implements SellerKind {
  @Override
  public List<Account> simulate(Simulation sim, Unit unit) {
    Account first = OrdinarySeller.seller(sim, null, "ordinary_shared_address");
    Account second = OrdinarySeller.seller(sim, first, "ordinary_shared_address");
    return List.of(first, second);
  }
}
