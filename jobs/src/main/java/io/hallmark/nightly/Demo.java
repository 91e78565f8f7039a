package io.hallmark.nightly;

import io.hallmark.config.HallmarkConfig;
import io.hallmark.config.JobFailure;
import io.hallmark.config.PiiKey;
import io.hallmark.jobs.Console;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

/** What {@code hallmark demo} prepares before the nightly run: a PII key file and a sample landing zone. */
public final class Demo {
  public static final Path DEFAULT_KEY_FILE = Path.of("secrets", "pii-key");

  private Demo() {}

  /**
   * The config's key file when one is set; otherwise ./secrets/pii-key, created with a random key
   * (owner-only) when missing. Returns the config that points ingest at it.
   */
  public static HallmarkConfig ensurePiiKey(HallmarkConfig config, Path defaultKeyFile) {
    if (!config.piiKeyFile().isBlank()) {
      Console.info("PII key: " + config.piiKeyFile() + " (from the configuration)");
      return config;
    }
    Path keyFile = defaultKeyFile.toAbsolutePath().normalize();
    if (Files.exists(keyFile)) {
      Console.info("PII key: " + keyFile + " (existing)");
    } else {
      createOwnerOnlyKeyFile(keyFile);
      Console.info("PII key: " + keyFile + " (created, random, readable by its owner only; keep it: the same"
          + " key is needed to match pseudonymised emails and phones across runs)");
    }
    return config.with("hallmark.pii.key-file", keyFile.toString());
  }

  private static void createOwnerOnlyKeyFile(Path keyFile) {
    try {
      // the folder too, so nobody else even lists it
      Files.createDirectories(keyFile.getParent(),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      PiiKey.createRandomKeyFile(keyFile);
    } catch (IOException e) {
      throw new JobFailure("cannot create the PII key file " + keyFile + ": " + e.getMessage(), e);
    }
  }

  /** True when the landing folder is missing or holds no file at any depth. */
  public static boolean landingIsEmpty(String landing) {
    Path dir = Path.of(landing);
    if (!Files.isDirectory(dir)) {
      return true;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.noneMatch(Files::isRegularFile);
    } catch (IOException e) {
      throw new JobFailure("cannot read the landing folder " + landing + ": " + e.getMessage(), e);
    }
  }
}
