package io.hallmark.report;

import io.hallmark.config.ConfigError;
import io.hallmark.config.HallmarkConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Pseudonymous seller ids for the report: {@code S-} + the first 12 hex digits (48 bits) of
 * HMAC-SHA-256(key, "seller:" + seller_id). Keyed, so a reader of the report cannot recover a seller
 * by hashing candidate ids; stable for a given key, so the same seller keeps its pseudonym from one
 * report to the next and an investigator holding the key can re-identify it. The key is the project's
 * PII key (env HALLMARK_PII_KEY, else the file in hallmark.pii.key-file), the one ingest uses.
 */
public final class SellerPseudonyms {
  static final String ENV_KEY = "HALLMARK_PII_KEY";
  private final SecretKeySpec key;

  public SellerPseudonyms(byte[] key) {
    if (key.length == 0) {
      throw new ConfigError("the PII key is empty");
    }
    this.key = new SecretKeySpec(key, "HmacSHA256");
  }

  public static SellerPseudonyms fromConfig(HallmarkConfig config) {
    String fromEnv = System.getenv(ENV_KEY);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return new SellerPseudonyms(fromEnv.getBytes(StandardCharsets.UTF_8));
    }
    String keyFile = config.piiKeyFile();
    if (keyFile.isBlank()) {
      throw new ConfigError("no key to pseudonymise seller ids: set " + ENV_KEY + " or hallmark.pii.key-file");
    }
    try {
      return new SellerPseudonyms(Files.readString(Path.of(keyFile), StandardCharsets.UTF_8).strip()
          .getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ConfigError("cannot read the PII key file " + keyFile + " (hallmark.pii.key-file): " + e.getMessage(), e);
    }
  }

  public String pseudonym(String sellerId) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      byte[] digest = mac.doFinal(("seller:" + sellerId).getBytes(StandardCharsets.UTF_8));
      return "S-" + HexFormat.of().formatHex(digest, 0, 6);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
