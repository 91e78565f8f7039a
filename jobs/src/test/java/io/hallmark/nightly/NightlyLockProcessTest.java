package io.hallmark.nightly;

import static io.hallmark.testing.SparkTestSupport.spark;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hallmark.cli.Hallmark;
import io.hallmark.config.HallmarkConfig;
import io.hallmark.config.JobFailure;
import io.hallmark.testing.ConsoleCapture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lock of a real nightly in a child JVM (the classes under test, started as bin/hallmark starts them):
 * SIGTERM releases it, so the next run starts at once; SIGKILL cannot, so its lease runs out and the next
 * run takes it over, both without --force-unlock. The child is stopped during ingest of a tiny landing zone.
 */
class NightlyLockProcessTest {
  static final LocalDate RUN_DATE = LocalDate.of(2024, 12, 31);
  /** Short enough to wait for in a test, and two renewals per lease as in conf/. */
  static final String SHORT_LEASE = "10 seconds";
  static final String SHORT_RENEW = "1 second";

  @TempDir static Path tmp;
  @RegisterExtension final ConsoleCapture console = new ConsoleCapture();
  static Path landing;

  @BeforeAll
  static void tinyLandingZone() {
    landing = tmp.resolve("landing");
    assertEquals(0, Hallmark.execute("generate", "--out", landing.toString(), "--accounts", "30", "--from", "2024",
        "--to", "2024", "--layout", "MONTHLY", "--noise-rate", "0"));
  }

  private static Path lockFile(Path lake) {
    return lake.resolve("ops").resolve(NightlyJob.LOCK_FILE);
  }

  private static NightlyLock.Holder holderOf(Path lake) throws Exception {
    return NightlyLock.readHolder(FileSystem.getLocal(new Configuration()),
        new org.apache.hadoop.fs.Path(lockFile(lake).toString()));
  }

  /** `hallmark nightly` on {@code lake} in a child JVM, with the given lock settings (null: conf/'s). */
  private static Process startNightly(Path lake, Path log, String lease, String renew) throws Exception {
    Path conf = tmp.resolve(lake.getFileName() + ".conf");
    Files.writeString(conf, lease == null ? "" : "hallmark.nightly { lock-lease = \"" + lease + "\", lock-renew = \""
        + renew + "\" }\n");
    List<String> args = List.of("nightly", "--run-date", RUN_DATE.toString(), "--lake", lake.toString(), "--landing",
        landing.toString(), "--conf-file", conf.toString());
    return ChildJvm.start(ChildJvm.commandOnTestClassPath("1536m", "io.hallmark.cli.Hallmark", args), tmp, log, Map.of());
  }

  /** Waits until the child's log shows the ingest step running (the lock is held by then). */
  private static void awaitIngest(Process child, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
    while (System.nanoTime() < deadline) {
      assertTrue(child.isAlive(), "the nightly ended before it could be stopped:\n" + ChildJvm.tail(log, 40));
      if (Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains("step 1 of 6: ingest: started")) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("ingest never started:\n" + ChildJvm.tail(log, 40));
  }

  private static HallmarkConfig config(Path lake, String lease, String renew) {
    HallmarkConfig config = HallmarkConfig.defaults().with("hallmark.lake", lake.toString());
    return lease == null ? config
        : config.with("hallmark.nightly.lock-lease", lease).with("hallmark.nightly.lock-renew", renew);
  }

  private static RunRecord nextNightly(HallmarkConfig config) {
    return new NightlyJob(List.of(), Clock.systemUTC()).run(spark(), config, RUN_DATE, false);
  }

  @Test
  void aNightlyStoppedWithSigtermReleasesItsLockAndTheNextRunStartsAtOnce() throws Exception {
    Path lake = tmp.resolve("lake-sigterm");
    Path log = tmp.resolve("sigterm.log");
    // conf/'s lease (3 minutes): the next run starting at once shows the lock was released, not expired
    Process child = startNightly(lake, log, null, null);
    try {
      awaitIngest(child, log);
      assertTrue(Files.exists(lockFile(lake)), "the running nightly holds the lock");
      child.destroy(); // SIGTERM, as Airflow sends when it marks a task failed
      assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the nightly did not stop on SIGTERM:\n" + ChildJvm.tail(log, 40));
    } finally {
      ChildJvm.stop(child);
    }
    assertEquals(143, child.exitValue(), "ended by SIGTERM:\n" + ChildJvm.tail(log, 40));
    assertFalse(Files.exists(lockFile(lake)), "released on SIGTERM:\n" + ChildJvm.tail(log, 40));
    assertEquals(RunRecord.SUCCEEDED, nextNightly(config(lake, null, null)).status());
  }

  @Test
  void aSigkilledNightlysLeaseRunsOutAndTheNextRunTakesItsLockOver() throws Exception {
    Path lake = tmp.resolve("lake-sigkill");
    Path log = tmp.resolve("sigkill.log");
    HallmarkConfig config = config(lake, SHORT_LEASE, SHORT_RENEW);
    Process child = startNightly(lake, log, SHORT_LEASE, SHORT_RENEW);
    NightlyLock.Holder first;
    try {
      awaitIngest(child, log);
      first = holderOf(lake);
      // alive past its first lease: its own renewals keep the lock
      Instant pastFirstLease = Instant.parse(first.leaseExpiresAt()).plusSeconds(1);
      while (Instant.now().isBefore(pastFirstLease)) {
        assertTrue(child.isAlive(), "the nightly ended before its first lease did:\n" + ChildJvm.tail(log, 40));
        Thread.sleep(100);
      }
      JobFailure busy = assertThrows(JobFailure.class, () -> nextNightly(config));
      assertTrue(busy.getMessage().startsWith("another nightly run is in progress on this lake: run " + first.runId()),
          busy.getMessage());
      child.destroyForcibly(); // SIGKILL: no shutdown hook runs
      assertTrue(child.waitFor(60, TimeUnit.SECONDS));
    } finally {
      ChildJvm.stop(child);
    }
    assertEquals(137, child.exitValue());
    NightlyLock.Holder last = holderOf(lake);
    assertEquals(first.runId(), last.runId(), "SIGKILL leaves the lock behind");

    // while the lease runs, the next run is refused (the killed process is named), without --force-unlock
    JobFailure stale = assertThrows(JobFailure.class, () -> nextNightly(config));
    assertTrue(stale.getMessage().startsWith("a previous nightly run left a stale lock (its process " + child.pid()
        + " on this host is gone)"), stale.getMessage());

    Instant leaseEnd = Instant.parse(last.leaseExpiresAt());
    while (!Instant.now().isAfter(leaseEnd.plusMillis(200))) {
      Thread.sleep(100);
    }
    RunRecord next = nextNightly(config);
    assertEquals(RunRecord.SUCCEEDED, next.status());
    assertTrue(console.text().contains("took over the nightly lock of run " + first.runId() + " for " + RUN_DATE
        + ", pid " + child.pid()), console.text());
    RunRecord killed = JobRuns.recent(spark(), config.paths(), 10).stream()
        .filter(r -> r.runId().equals(first.runId())).findFirst().orElseThrow();
    assertEquals(RunRecord.ABANDONED, killed.status());
    assertFalse(Files.exists(lockFile(lake)), "the next run released the lock it took over");
  }
}
