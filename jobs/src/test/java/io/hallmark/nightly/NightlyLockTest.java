package io.hallmark.nightly;

import static io.hallmark.testing.SparkTestSupport.spark;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hallmark.config.HallmarkConfig;
import io.hallmark.config.JobFailure;
import io.hallmark.jobs.Console;
import io.hallmark.jobs.NightlyStep;
import io.hallmark.jobs.StepResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One nightly run per lake: a second run refuses to start; the holder renews its lease and a lease that ran
 * out is taken over; stale locks are reported, force-unlocked on request.
 */
class NightlyLockTest {
  static final LocalDate RUN_DATE = LocalDate.of(2024, 12, 31);
  static final Duration DAY = Duration.ofHours(24);
  static final Duration LEASE = Duration.ofMinutes(3);
  /** The default lease and renewal, with this max age. */
  static final NightlyLock.Settings SETTINGS = settings(DAY);

  @TempDir Path lake;
  HallmarkConfig config;
  Path lockFile;

  ByteArrayOutputStream console;

  @BeforeEach
  void setUp() {
    config = HallmarkConfig.defaults().with("hallmark.lake", lake.toString());
    lockFile = lake.resolve("ops/_nightly.lock");
    console = new ByteArrayOutputStream();
    PrintStream both = new PrintStream(console, true, StandardCharsets.UTF_8);
    Console.redirect(both, both);
  }

  static NightlyLock.Settings settings(Duration maxAge) {
    return new NightlyLock.Settings(LEASE, Duration.ofSeconds(30), maxAge);
  }

  static Clock at(Instant instant) {
    return Clock.fixed(instant, java.time.ZoneOffset.UTC);
  }

  /** A lock file as another process (another host, or one since killed) left it. */
  private void lockLeftBy(String runId, String host, long pid, String startedAt, Instant leaseExpiresAt) throws Exception {
    Files.createDirectories(lockFile.getParent());
    Files.writeString(lockFile, "{\"runId\":\"" + runId + "\",\"runDate\":\"2024-12-31\",\"host\":\"" + host
        + "\",\"pid\":" + pid + ",\"startedAt\":\"" + startedAt + "\",\"leaseExpiresAt\":\"" + leaseExpiresAt + "\"}");
  }

  @AfterEach
  void restoreConsole() {
    Console.redirect(System.out, System.err);
  }

  private static NightlyLock.Holder holder(String runId, long pid, Instant start) {
    return new NightlyLock.Holder(runId, "2024-12-31", NightlyLock.currentHost(), pid, start.toString());
  }

  private static long deadPid() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    return p.pid();
  }

  @Test
  void manyThreadsRacingForTheLockExactlyOneWins() throws Exception {
    int contenders = 8;
    ExecutorService pool = Executors.newFixedThreadPool(contenders);
    CountDownLatch go = new CountDownLatch(1);
    AtomicInteger refused = new AtomicInteger();
    List<Future<NightlyLock>> futures = new ArrayList<>();
    for (int i = 0; i < contenders; i++) {
      String runId = "run-" + i;
      futures.add(pool.submit(() -> {
        go.await();
        try {
          return NightlyLock.acquire(new Configuration(), lockFile.toString(),
              holder(runId, ProcessHandle.current().pid(), Instant.now()), SETTINGS, false, Clock.systemUTC());
        } catch (JobFailure e) {
          assertTrue(e.getMessage().startsWith("another nightly run is in progress on this lake"), e.getMessage());
          refused.incrementAndGet();
          return null;
        }
      }));
    }
    go.countDown();
    List<NightlyLock> winners = new ArrayList<>();
    for (Future<NightlyLock> f : futures) {
      NightlyLock lock = f.get(30, TimeUnit.SECONDS);
      if (lock != null) {
        winners.add(lock);
      }
    }
    pool.shutdown();
    assertEquals(1, winners.size());
    assertEquals(contenders - 1, refused.get());
    assertTrue(Files.readString(lockFile).contains("\"runId\":\"" + winners.get(0).holder().runId() + "\""));
    winners.get(0).close();
    assertFalse(Files.exists(lockFile));
  }

  @Test
  void aSecondNightlyRunWhileTheFirstRunsRefusesToStart() throws Exception {
    CountDownLatch firstIsRunning = new CountDownLatch(1);
    CountDownLatch secondHasTried = new CountDownLatch(1);
    List<String> calls = new ArrayList<>();
    NightlyStep slow = new NightlyStep() {
      @Override
      public String name() {
        return "slow";
      }

      @Override
      public StepResult run(SparkSession spark, HallmarkConfig c, LocalDate runDate) throws Exception {
        synchronized (calls) {
          calls.add("slow");
        }
        firstIsRunning.countDown();
        assertTrue(secondHasTried.await(60, TimeUnit.SECONDS));
        return StepResult.of(1);
      }
    };
    ExecutorService pool = Executors.newSingleThreadExecutor();
    Future<RunRecord> first = pool.submit(
        () -> new NightlyJob(List.of(slow), Clock.systemUTC()).run(spark(), config, RUN_DATE, false));
    assertTrue(firstIsRunning.await(60, TimeUnit.SECONDS));
    JobFailure refused;
    try {
      refused = assertThrows(JobFailure.class,
          () -> new NightlyJob(List.of(slow), Clock.systemUTC()).run(spark(), config, RUN_DATE, false));
    } finally {
      secondHasTried.countDown();
    }
    RunRecord firstRun = first.get(60, TimeUnit.SECONDS);
    pool.shutdown();

    assertTrue(refused.getMessage().startsWith("another nightly run is in progress on this lake: run "
        + firstRun.runId() + " for 2024-12-31, pid " + ProcessHandle.current().pid()), refused.getMessage());
    assertEquals(List.of("slow"), calls, "the second run ran no step");
    assertEquals("SUCCEEDED", firstRun.status());
    assertEquals(1, JobRuns.recent(spark(), config.paths(), 10).size(), "the refused run left no audit row");
    assertFalse(Files.exists(lockFile));
  }

  @Test
  void aLockWhoseProcessIsGoneIsReportedAsStaleAndRemovedOnlyWithForceUnlock() throws Exception {
    long dead = deadPid();
    Instant now = Instant.parse("2026-01-01T10:00:00Z");
    // the holder was SIGKILLed a minute ago: its lock stays, its lease runs two more minutes
    lockLeftBy("killed-run", NightlyLock.currentHost(), dead, "2026-01-01T09:00:00Z", now.plus(Duration.ofMinutes(2)));

    JobFailure stale = assertThrows(JobFailure.class, () -> NightlyLock.acquire(new Configuration(),
        lockFile.toString(), holder("next", ProcessHandle.current().pid(), now), SETTINGS, false, at(now)));
    assertEquals("a previous nightly run left a stale lock (its process " + dead + " on this host is gone): run "
        + "killed-run for 2024-12-31, pid " + dead + " on " + NightlyLock.currentHost() + ", started "
        + "2026-01-01T09:00:00Z (lock " + lockFile + "). If no nightly run is active on this lake, rerun with "
        + "--force-unlock, or wait: a run after its lease (until 2026-01-01T10:02:00Z) ends takes it over",
        stale.getMessage());

    try (NightlyLock lock = NightlyLock.acquire(new Configuration(), lockFile.toString(),
        holder("next", ProcessHandle.current().pid(), now), SETTINGS, true, at(now))) {
      assertTrue(Files.readString(lockFile).contains("\"runId\":\"next\""));
    }
    assertFalse(Files.exists(lockFile));
  }

  @Test
  void aLockOlderThanTheMaxAgeIsStaleEvenIfItsHostIsElsewhere() throws Exception {
    Instant then = Instant.parse("2026-01-01T10:00:00Z");
    // a hung run that still renews: its lease runs on
    lockLeftBy("old", "other-host", 1, "2026-01-01T10:00:00Z", then.plus(Duration.ofHours(48)));
    Instant withinAge = then.plus(Duration.ofHours(23));
    JobFailure busy = assertThrows(JobFailure.class, () -> NightlyLock.acquire(new Configuration(),
        lockFile.toString(), holder("next", 2, withinAge), SETTINGS, false, at(withinAge)));
    assertTrue(busy.getMessage().startsWith("another nightly run is in progress"), busy.getMessage());
    Instant pastAge = then.plus(Duration.ofHours(25));
    JobFailure stale = assertThrows(JobFailure.class, () -> NightlyLock.acquire(new Configuration(),
        lockFile.toString(), holder("next", 2, pastAge), SETTINGS, false, at(pastAge)));
    assertTrue(stale.getMessage().startsWith("a previous nightly run left a stale lock (older than "
        + "hallmark.nightly.lock-max-age = PT24H)"), stale.getMessage());
  }

  @Test
  void forceUnlockNeverRemovesTheLockOfALiveProcessOnThisHost() throws Exception {
    Process alive = new ProcessBuilder("sleep", "60").start();
    try {
      Instant now = Instant.parse("2026-01-01T10:00:00Z");
      lockLeftBy("live", NightlyLock.currentHost(), alive.pid(), "2026-01-01T10:00:00Z", now.plus(LEASE));
      JobFailure refused = assertThrows(JobFailure.class, () -> NightlyLock.acquire(new Configuration(),
          lockFile.toString(), holder("next", ProcessHandle.current().pid(), now), SETTINGS, true, at(now)));
      assertTrue(refused.getMessage().startsWith("refusing --force-unlock: the holder is alive on this host"),
          refused.getMessage());
      assertTrue(Files.readString(lockFile).contains("\"live\""));
    } finally {
      alive.destroyForcibly().waitFor();
    }
  }

  @Test
  void aLeaseThatRanOutIsTakenOverWithoutForceUnlockNamingItsHolder() throws Exception {
    Instant expiry = Instant.parse("2026-01-01T10:03:00Z");
    // a driver on another host, lost: nothing here can tell it is gone but its lease
    lockLeftBy("lost-driver", "node-17", 4242, "2026-01-01T09:00:00Z", expiry);

    JobFailure busy = assertThrows(JobFailure.class, () -> NightlyLock.acquire(new Configuration(),
        lockFile.toString(), holder("retry-1", 7, expiry), SETTINGS, false, at(expiry)));
    assertEquals("another nightly run is in progress on this lake: run lost-driver for 2024-12-31, pid 4242 on node-17,"
        + " started 2026-01-01T09:00:00Z (lock " + lockFile + "). This run did not start; retry when it has finished."
        + " Its lease runs until 2026-01-01T10:03:00Z unless renewed.", busy.getMessage());

    Instant later = expiry.plusSeconds(1);
    try (NightlyLock lock = NightlyLock.acquire(new Configuration(), lockFile.toString(),
        holder("retry-2", 7, later), SETTINGS, false, at(later))) {
      assertEquals("[hallmark] took over the nightly lock of run lost-driver for 2024-12-31, pid 4242 on node-17, started "
          + "2026-01-01T09:00:00Z (lock " + lockFile + "): its lease ran out at 2026-01-01T10:03:00Z (not renewed for "
          + "PT3M; that run was killed or lost its driver)\n", console.toString(StandardCharsets.UTF_8));
      NightlyLock.Holder written = NightlyLock.readHolder(lockFs(), new org.apache.hadoop.fs.Path(lockFile.toString()));
      assertEquals("retry-2", written.runId());
      assertEquals("2026-01-01T10:06:01Z", written.leaseExpiresAt(), "now + lease");
    }
    assertFalse(Files.exists(lockFile));
  }

  private static org.apache.hadoop.fs.FileSystem lockFs() throws Exception {
    return org.apache.hadoop.fs.FileSystem.getLocal(new Configuration());
  }

  /** A clock a test moves by hand. */
  static final class HandClock extends Clock {
    volatile Instant now;

    HandClock(Instant start) {
      now = start;
    }

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void aRenewedLeaseKeepsALiveRunsLockPastItsFirstExpiry() throws Exception {
    Instant t0 = Instant.parse("2026-01-01T10:00:00Z");
    HandClock clock = new HandClock(t0);
    try (NightlyLock lock = NightlyLock.acquire(new Configuration(), lockFile.toString(),
        holder("long-run", ProcessHandle.current().pid(), t0), SETTINGS, false, clock)) {
      assertEquals("2026-01-01T10:03:00Z", lock.holder().leaseExpiresAt());
      clock.now = t0.plus(Duration.ofMinutes(2));
      lock.renew();
      assertEquals("2026-01-01T10:05:00Z", NightlyLock.readHolder(lockFs(),
          new org.apache.hadoop.fs.Path(lockFile.toString())).leaseExpiresAt());
      Instant pastFirstLease = t0.plus(Duration.ofMinutes(4));
      JobFailure busy = assertThrows(JobFailure.class, () -> NightlyLock.acquire(new Configuration(),
          lockFile.toString(), holder("next", 2, pastFirstLease), SETTINGS, false, at(pastFirstLease)));
      assertTrue(busy.getMessage().startsWith("another nightly run is in progress on this lake: run long-run"),
          busy.getMessage());
      try (var files = Files.list(lockFile.getParent())) {
        assertEquals(List.of("_nightly.lock"), files.map(p -> p.getFileName().toString()).toList(),
            "the renewal replaced the file, leaving no temporary or .crc file");
      }
    }
    assertFalse(Files.exists(lockFile));
  }

  @Test
  void theHolderRenewsOnItsOwnEveryRenewalPeriod() throws Exception {
    NightlyLock.Settings quick = new NightlyLock.Settings(Duration.ofSeconds(20), Duration.ofMillis(100), DAY);
    try (NightlyLock lock = NightlyLock.acquire(new Configuration(), lockFile.toString(),
        holder("renewing", ProcessHandle.current().pid(), Instant.now()), quick, false, Clock.systemUTC())) {
      String first = NightlyLock.readHolder(lockFs(), new org.apache.hadoop.fs.Path(lockFile.toString())).leaseExpiresAt();
      java.util.Set<String> seen = new java.util.HashSet<>(List.of(first));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (seen.size() < 3 && System.nanoTime() < deadline) {
        NightlyLock.Holder now = NightlyLock.readHolder(lockFs(), new org.apache.hadoop.fs.Path(lockFile.toString()));
        if (now != null) {
          seen.add(now.leaseExpiresAt());
        }
        Thread.sleep(20);
      }
      assertTrue(seen.size() >= 3, "the lease was renewed twice by the holder's thread: " + seen);
      assertTrue(seen.stream().map(Instant::parse).allMatch(e -> !e.isBefore(Instant.parse(first))), seen.toString());
    }
    assertFalse(Files.exists(lockFile));
  }

  @Test
  void aRunThatLostItsLockNeverOverwritesTheRunThatTookItOver() throws Exception {
    Instant t0 = Instant.parse("2026-01-01T10:00:00Z");
    NightlyLock paused = NightlyLock.acquire(new Configuration(), lockFile.toString(),
        holder("paused", ProcessHandle.current().pid(), t0), SETTINGS, false, at(t0));
    Instant later = t0.plus(Duration.ofMinutes(4));
    try (NightlyLock next = NightlyLock.acquire(new Configuration(), lockFile.toString(),
        holder("next", ProcessHandle.current().pid(), later), SETTINGS, false, at(later))) {
      paused.renew();
      paused.close();
      assertTrue(Files.readString(lockFile).contains("\"runId\":\"next\""), "still the new holder's");
      assertTrue(console.toString(StandardCharsets.UTF_8).contains("ERROR: the nightly lock " + lockFile
          + " is no longer this run's (taken over by run next"), console.toString(StandardCharsets.UTF_8));
    }
    assertFalse(Files.exists(lockFile));
  }

  @Test
  void aRenewalPeriodOfMoreThanHalfTheLeaseIsBadConfiguration() {
    io.hallmark.config.ConfigError e = assertThrows(io.hallmark.config.ConfigError.class, () -> NightlyLock.Settings.from(
        config.with("hallmark.nightly.lock-lease", "60 seconds").with("hallmark.nightly.lock-renew", "31 seconds")));
    assertEquals("hallmark.nightly.lock-renew (PT31S) must be at most half of hallmark.nightly.lock-lease (PT1M)",
        e.getMessage());
    assertEquals(new NightlyLock.Settings(Duration.ofMinutes(3), Duration.ofSeconds(30), DAY), NightlyLock.Settings.from(config),
        "conf/local.conf's lease");
  }

  @Test
  void forceUnlockedRunMarksTheKilledRunAbandonedInJobRuns() throws Exception {
    long dead = deadPid();
    Instant start = Instant.now().minus(Duration.ofMinutes(1));
    RunRecord killed = new RunRecord("killed-run", RUN_DATE, RunRecord.RUNNING, start, null, null,
        NightlyLock.currentHost(), dead, null, null, null, List.of(StepRecord.pending(1, "slow")));
    JobRuns.upsert(spark(), config.paths(), killed);
    lockLeftBy("killed-run", NightlyLock.currentHost(), dead, start.toString(), Instant.now().plus(Duration.ofHours(1)));

    assertThrows(JobFailure.class, () -> new NightlyJob(List.of(), Clock.systemUTC())
        .run(spark(), config, RUN_DATE, false));
    RunRecord next = new NightlyJob(List.of(), Clock.systemUTC()).run(spark(), config, RUN_DATE, true);

    List<RunRecord> runs = JobRuns.recent(spark(), config.paths(), 10);
    assertEquals(2, runs.size());
    RunRecord abandoned = runs.stream().filter(r -> r.runId().equals("killed-run")).findFirst().orElseThrow();
    assertEquals("ABANDONED", abandoned.status());
    assertNotNull(abandoned.error());
    assertTrue(abandoned.error().endsWith(next.runId()), abandoned.error());
    assertFalse(Files.exists(lockFile));
  }
}
