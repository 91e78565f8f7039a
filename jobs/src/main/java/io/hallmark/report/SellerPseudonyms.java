package io.hallmark.report;

import io.hallmark.config.HallmarkConfig;
import io.hallmark.config.PiiKey;

/**
 * Pseudonymous seller ids for the report: {@code S-} + the first 12 hex digits (48 bits) of
 * HMAC-SHA-256(key, "seller:" + seller_id). Keyed, so a reader of the report cannot recover a seller
 * by hashing candidate ids; stable for a given key, so the same seller keeps its pseudonym from one
 * report to the next and an investigator holding the key can re-identify it. The key is the project's
 * PII key, resolved as ingest resolves it ({@link PiiKey#resolve}); the "seller:" prefix keeps these
 * values apart from the hashed emails/phones made with the same key.
 */
public final class SellerPseudonyms {
  private final PiiKey key;

  public SellerPseudonyms(PiiKey key) {
    this.key = key;
  }

  public static SellerPseudonyms fromConfig(HallmarkConfig config) {
    return new SellerPseudonyms(PiiKey.resolve(config, null));
  }

  public String pseudonym(String sellerId) {
    return "S-" + key.hash("seller:" + sellerId).substring(0, 12);
  }
}
