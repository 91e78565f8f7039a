package io.hallmark.config;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The HMAC-SHA-256 key that replaces personal fields (email, phone) at ingest. It comes from a
 * secret file ({@code --pii-key-file} or {@code hallmark.pii.key-file}) or the environment variable
 * {@code HALLMARK_PII_KEY}, never from the repository; without one, ingest refuses to run.
 *
 * <p>Serializable so executors can hash; {@link #toString()} never shows the key.
 */
public final class PiiKey implements Serializable {
  public static final String ENV = "HALLMARK_PII_KEY";

  /** Where the environment is read from; tests replace it to simulate an unset variable. */
  public static volatile Function<String, String> environment = System::getenv;

  private final byte[] key;
  private transient Mac mac;

  private PiiKey(byte[] key) {
    this.key = key.clone();
  }

  public static PiiKey of(String secret) {
    return new PiiKey(secret.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Precedence: the key file given on the command line, then {@code hallmark.pii.key-file}, then
   * {@code HALLMARK_PII_KEY}. Surrounding whitespace (a trailing newline) of a key file is ignored. A key
   * file is a Hadoop URI like every path ({@code file:/etc/hallmark/pii-key} for a mounted secret; a path
   * without a scheme is on the default file system), read through Hadoop's FileSystem.
   *
   * @param cliKeyFile {@code --pii-key-file}, or null
   */
  public static PiiKey resolve(HallmarkConfig config, String cliKeyFile) {
    String file = cliKeyFile != null ? config.qualify(cliKeyFile) : config.piiKeyFile();
    if (!file.isBlank()) {
      String secret;
      try {
        secret = HadoopFiles.readString(config.hadoop(), file).strip();
      } catch (IOException e) {
        throw new ConfigError("cannot read the PII key file " + file + ": " + e.getMessage());
      }
      if (secret.isEmpty()) {
        throw new ConfigError("the PII key file " + file + " is empty; put a long random secret in it");
      }
      return of(secret);
    }
    String fromEnv = environment.apply(ENV);
    if (fromEnv == null || fromEnv.isBlank()) {
      throw new ConfigError("no key to hash personal data: set " + ENV
          + " or pass --pii-key-file FILE (or set hallmark.pii.key-file); never a file inside the repository");
    }
    return of(fromEnv);
  }

  /**
   * Writes a new random key (32 bytes, hex) to {@code file}, readable and writable by its owner only. Local
   * only (the demo's {@code ./secrets/pii-key}): owner-only permissions at creation need the local disk.
   * An existing file is kept as it is, so hashes stay comparable across runs that use it.
   *
   * @return the file
   */
  public static Path createRandomKeyFile(Path file) throws IOException {
    if (Files.exists(file)) {
      return file;
    }
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    String secret = HexFormat.of().formatHex(bytes) + "\n";
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    try {
      // created with owner-only permissions, so the secret is never readable by others, not even briefly
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException nonPosix) {
      Files.createFile(file);
      java.io.File f = file.toFile();
      f.setReadable(false, false);
      f.setWritable(false, false);
      f.setReadable(true, true);
      f.setWritable(true, true);
    } catch (FileAlreadyExistsException raced) {
      return file;
    }
    Files.writeString(file, secret, StandardCharsets.UTF_8);
    return file;
  }

  /** Lower-case hex HMAC-SHA-256 of the UTF-8 bytes of {@code value}. */
  public String hash(String value) {
    try {
      if (mac == null) {
        mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
      }
      return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  @Override
  public String toString() {
    return "PiiKey(****)";
  }
}
