package io.hallmark.nightly;

import io.hallmark.config.JobFailure;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Stand-in for io.hallmark.ingest.PiiKey.createRandomKeyFile until the ingest branch lands (then
 * DemoCommand calls that and this class goes): a random 256-bit key, hex, in a file only its owner
 * can read, created atomically so an existing key is never replaced.
 */
final class DemoKeyFile {
  private DemoKeyFile() {}

  static void createRandomKeyFile(Path file) {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    try {
      if (file.toAbsolutePath().getParent() != null) {
        Files.createDirectories(file.toAbsolutePath().getParent(),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, HexFormat.of().formatHex(key) + "\n");
    } catch (FileAlreadyExistsException e) {
      throw new JobFailure("PII key file " + file + " appeared while creating it; rerun to use it");
    } catch (IOException e) {
      throw new JobFailure("cannot create the PII key file " + file + ": " + e.getMessage(), e);
    }
  }
}
