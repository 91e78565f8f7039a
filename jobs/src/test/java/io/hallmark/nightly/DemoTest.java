package io.hallmark.nightly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hallmark.config.HallmarkConfig;
import io.hallmark.jobs.Console;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's preparation: an owner-only random key created once, the landing zone generated only when empty. */
class DemoTest {
  @TempDir Path tmp;

  @BeforeEach
  void quiet() {
    Console.redirect(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), System.err);
  }

  @AfterEach
  void restoreConsole() {
    Console.redirect(System.out, System.err);
  }

  @Test
  void createsAnOwnerOnlyRandomKeyOnceAndPointsIngestAtIt() throws Exception {
    Path keyFile = tmp.resolve("secrets/pii-key");
    HallmarkConfig config = Demo.ensurePiiKey(HallmarkConfig.defaults(), keyFile);

    assertEquals(keyFile.toString(), config.piiKeyFile());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile.getParent())));
    String key = Files.readString(keyFile).strip();
    assertTrue(key.matches("[0-9a-f]{64}"), key);

    Demo.ensurePiiKey(HallmarkConfig.defaults(), keyFile);
    assertEquals(key, Files.readString(keyFile).strip(), "an existing key is kept");

    Path other = tmp.resolve("other/pii-key");
    Demo.ensurePiiKey(HallmarkConfig.defaults(), other);
    assertNotEquals(key, Files.readString(other).strip(), "random, not a constant");
  }

  @Test
  void aConfiguredKeyFileIsUsedAndNothingIsCreated() {
    HallmarkConfig configured = HallmarkConfig.defaults().with("hallmark.pii.key-file", "/etc/hallmark/pii-key");
    Path keyFile = tmp.resolve("secrets/pii-key");
    assertEquals("/etc/hallmark/pii-key", Demo.ensurePiiKey(configured, keyFile).piiKeyFile());
    assertFalse(Files.exists(keyFile));
  }

  @Test
  void landingIsEmptyWhenMissingOrWithoutFiles() throws Exception {
    Path landing = tmp.resolve("landing");
    assertTrue(Demo.landingIsEmpty(landing.toString()));
    Files.createDirectories(landing.resolve("accounts/dt=2024-01-01"));
    assertTrue(Demo.landingIsEmpty(landing.toString()), "folders alone are empty");
    Files.writeString(landing.resolve("accounts/dt=2024-01-01/part-0.jsonl"), "{}\n");
    assertFalse(Demo.landingIsEmpty(landing.toString()));
  }
}
