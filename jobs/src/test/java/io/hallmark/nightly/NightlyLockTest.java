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

/** One nightly run per lake: a second run refuses to start; stale locks are reported, force-unlocked on request. */
class NightlyLockTest {
  static final LocalDate RUN_DATE = LocalDate.of(2024, 12, 31);
  static final Duration DAY = Duration.ofHours(24);

  @TempDir Path lake;
  HallmarkConfig config;
  Path lockFile;

  @BeforeEach
  void setUp() {
    config = HallmarkConfig.defaults().with("hallmark.lake", lake.toString());
    lockFile = lake.resolve("ops/_nightly.lock");
    Console.redirect(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), System.err);
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
              holder(runId, ProcessHandle.current().pid(), Instant.now()), DAY, false, Instant.now());
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
    NightlyLock.acquire(new Configuration(), lockFile.toString(), holder("killed-run", dead, now), DAY, false, now);
    // the holder was SIGKILLed: its lock stays (acquire registered a release hook only for this JVM's exit)

    JobFailure stale = assertThrows(JobFailure.class, () -> NightlyLock.acquire(new Configuration(),
        lockFile.toString(), holder("next", ProcessHandle.current().pid(), now), DAY, false, now));
    assertEquals("a previous nightly run left a stale lock (its process " + dead + " on this host is gone): run "
        + "killed-run for 2024-12-31, pid " + dead + " on " + NightlyLock.currentHost() + ", started "
        + "2026-01-01T10:00:00Z (lock " + lockFile + "). If no nightly run is active on this lake, rerun with "
        + "--force-unlock", stale.getMessage());

    try (NightlyLock lock = NightlyLock.acquire(new Configuration(), lockFile.toString(),
        holder("next", ProcessHandle.current().pid(), now), DAY, true, now)) {
      assertTrue(Files.readString(lockFile).contains("\"runId\":\"next\""));
    }
    assertFalse(Files.exists(lockFile));
  }

  @Test
  void aLockOlderThanTheMaxAgeIsStaleEvenIfItsHostIsElsewhere() throws Exception {
    Instant then = Instant.parse("2026-01-01T10:00:00Z");
    Files.createDirectories(lockFile.getParent());
    Files.writeString(lockFile, "{\"runId\":\"old\",\"runDate\":\"2024-12-30\",\"host\":\"other-host\",\"pid\":1,"
        + "\"startedAt\":\"2026-01-01T10:00:00Z\"}");
    Instant withinAge = then.plus(Duration.ofHours(23));
    JobFailure busy = assertThrows(JobFailure.class, () -> NightlyLock.acquire(new Configuration(),
        lockFile.toString(), holder("next", 2, withinAge), DAY, false, withinAge));
    assertTrue(busy.getMessage().startsWith("another nightly run is in progress"), busy.getMessage());
    Instant pastAge = then.plus(Duration.ofHours(25));
    JobFailure stale = assertThrows(JobFailure.class, () -> NightlyLock.acquire(new Configuration(),
        lockFile.toString(), holder("next", 2, pastAge), DAY, false, pastAge));
    assertTrue(stale.getMessage().startsWith("a previous nightly run left a stale lock (older than "
        + "hallmark.nightly.lock-max-age = PT24H)"), stale.getMessage());
  }

  @Test
  void forceUnlockNeverRemovesTheLockOfALiveProcessOnThisHost() throws Exception {
    Process alive = new ProcessBuilder("sleep", "60").start();
    try {
      Instant now = Instant.parse("2026-01-01T10:00:00Z");
      Files.createDirectories(lockFile.getParent());
      Files.writeString(lockFile, "{\"runId\":\"live\",\"runDate\":\"2024-12-31\",\"host\":\""
          + NightlyLock.currentHost() + "\",\"pid\":" + alive.pid() + ",\"startedAt\":\"2026-01-01T10:00:00Z\"}");
      JobFailure refused = assertThrows(JobFailure.class, () -> NightlyLock.acquire(new Configuration(),
          lockFile.toString(), holder("next", ProcessHandle.current().pid(), now), DAY, true, now));
      assertTrue(refused.getMessage().startsWith("refusing --force-unlock: the holder is alive on this host"),
          refused.getMessage());
      assertTrue(Files.readString(lockFile).contains("\"live\""));
    } finally {
      alive.destroyForcibly().waitFor();
    }
  }

  @Test
  void forceUnlockedRunMarksTheKilledRunAbandonedInJobRuns() throws Exception {
    long dead = deadPid();
    Instant start = Instant.parse("2026-01-01T10:00:00Z");
    RunRecord killed = new RunRecord("killed-run", RUN_DATE, RunRecord.RUNNING, start, null, null,
        NightlyLock.currentHost(), dead, null, null, null, List.of(StepRecord.pending(1, "slow")));
    JobRuns.upsert(spark(), config.paths(), killed);
    NightlyLock.acquire(new Configuration(), lockFile.toString(), holder("killed-run", dead, start), DAY, false, start);

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
