package io.hallmark.nightly;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hallmark.config.ConfigError;
import io.hallmark.config.HadoopFiles;
import io.hallmark.config.HallmarkConfig;
import io.hallmark.config.JobFailure;
import io.hallmark.jobs.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.util.ShutdownHookManager;

/**
 * One nightly run per lake at a time: an exclusive lock file {@code <lake>/ops/_nightly.lock}, created
 * atomically, holding who runs (run id, run date, host, pid, start) and until when its lease runs. A second
 * run finds it and refuses to start (JobFailure, exit 1: "try again later" is the right reaction for a
 * scheduler's retry).
 *
 * <p>A lease: while it runs, the holder rewrites the file every {@code hallmark.nightly.lock-renew} (a daemon
 * thread) with a new expiry, now + {@code hallmark.nightly.lock-lease}. A run killed outright (SIGKILL, the OOM
 * killer, a lost node) stops renewing; once its lease has run out the next run takes the lock over without
 * {@code --force-unlock}, and says whose lock it took. The lease and the lock's age use the wall clock: they
 * measure whether a process is alive, they are never data.
 *
 * <p>Released on every exit the JVM sees: in {@link #close} (normal end and failures), and on SIGTERM
 * through Hadoop's ShutdownHookManager, after Spark's own hook has stopped the run's jobs and before Hadoop's
 * hook closes the file systems the lock lives on (a plain JVM hook could run after that and leave the lock).
 *
 * <p>Atomic creation: on HDFS (and ABFS/GCS) {@code FileSystem.create(path, overwrite=false)} is atomic on
 * the server. Hadoop's local file system implements it as exists() then create(), which two processes can
 * both pass, so for {@code file:} lakes the file is created with {@link Files#createFile} (O_CREAT|O_EXCL).
 * On S3 only conditional writes (put-if-absent, S3A with HADOOP-19256) make it atomic; without them the
 * scheduler's one-run-at-a-time (Airflow max_active_runs=1) is the guard. A renewal replaces the file
 * atomically ({@link HadoopFiles#write}), so it never disappears while held.
 *
 * <p>A lock whose lease is still running but whose holder is provably gone (same host, pid no longer
 * alive) or older than {@code hallmark.nightly.lock-max-age} (a hung run that still renews) is stale: it is
 * reported with what to do, and removed before its lease ends only with {@code --force-unlock}. A live
 * holder on this host is never removed.
 */
public final class NightlyLock implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper()
      .setSerializationInclusion(JsonInclude.Include.NON_NULL)
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  /**
   * Above FileSystem's hook (the lock's file system is still open) and below Spark's (which runs first and
   * stops the run's jobs, so nothing writes to the lake once the lock is gone).
   */
  static final int SHUTDOWN_PRIORITY = FileSystem.SHUTDOWN_HOOK_PRIORITY + 10;

  /**
   * What the lock file holds (JSON). {@code leaseExpiresAt}: the holder's wall clock at its last renewal
   * plus the lease; null in a lock written by an earlier Hallmark (its file's modification time stands in).
   */
  public record Holder(String runId, String runDate, String host, long pid, String startedAt, String leaseExpiresAt) {
    public Holder(String runId, String runDate, String host, long pid, String startedAt) {
      this(runId, runDate, host, pid, startedAt, null);
    }

    Holder leaseUntil(Instant expiry) {
      return new Holder(runId, runDate, host, pid, startedAt, expiry.toString());
    }
  }

  /**
   * How long a lease runs without renewal, how often its holder renews it, and the age past which a lock
   * is stale even while renewed.
   */
  public record Settings(Duration lease, Duration renewEvery, Duration maxAge) {
    public Settings {
      if (lease.isNegative() || lease.isZero() || renewEvery.isNegative() || renewEvery.isZero()) {
        throw new ConfigError("hallmark.nightly.lock-lease and lock-renew must be positive, got " + lease + " and "
            + renewEvery);
      }
      if (renewEvery.multipliedBy(2).compareTo(lease) > 0) {
        // one late renewal (a GC pause, a slow store) must not let a live run's lease run out
        throw new ConfigError("hallmark.nightly.lock-renew (" + renewEvery + ") must be at most half of"
            + " hallmark.nightly.lock-lease (" + lease + ")");
      }
    }

    /** From {@code hallmark.nightly.lock-lease}, {@code lock-renew} and {@code lock-max-age}; ConfigError if bad. */
    public static Settings from(HallmarkConfig config) {
      try {
        return new Settings(config.raw().getDuration("hallmark.nightly.lock-lease"),
            config.raw().getDuration("hallmark.nightly.lock-renew"),
            config.raw().getDuration("hallmark.nightly.lock-max-age"));
      } catch (com.typesafe.config.ConfigException e) {
        throw new ConfigError("bad nightly lock setting: " + e.getMessage(), e);
      }
    }
  }

  private final Configuration hadoop;
  private final FileSystem fs;
  private final Path path;
  private final Settings settings;
  private final Clock clock;
  private final Runnable releaseOnShutdown;
  private final ScheduledExecutorService renewer;
  private Holder holder;
  private boolean released;
  private boolean lost;

  private NightlyLock(Configuration hadoop, FileSystem fs, Path path, Holder holder, Settings settings, Clock clock) {
    this.hadoop = hadoop;
    this.fs = fs;
    this.path = path;
    this.holder = holder;
    this.settings = settings;
    this.clock = clock;
    // SIGTERM (Airflow marking a task failed, Ctrl-C) runs shutdown hooks: do not leave a lock behind.
    // SIGKILL cannot be caught: the lease runs out instead.
    this.releaseOnShutdown = this::releaseQuietly;
    ShutdownHookManager.get().addShutdownHook(releaseOnShutdown, SHUTDOWN_PRIORITY);
    this.renewer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "hallmark-nightly-lock-lease");
      t.setDaemon(true);
      return t;
    });
    long every = settings.renewEvery().toMillis();
    renewer.scheduleWithFixedDelay(this::renewQuietly, every, every, TimeUnit.MILLISECONDS);
  }

  public static String currentHost() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      String env = System.getenv("HOSTNAME");
      return env == null ? "unknown-host" : env;
    }
  }

  /**
   * Takes the lock (or the lock of a run whose lease ran out) or throws JobFailure with a one-line reason
   * naming the holder.
   *
   * @param clock wall clock, for the lease and the lock's age only (a measurement, never data)
   */
  public static NightlyLock acquire(Configuration hadoopConf, String lockPath, Holder me, Settings settings,
      boolean forceUnlock, Clock clock) {
    Path path = new Path(lockPath);
    try {
      FileSystem fs = path.getFileSystem(hadoopConf);
      fs.mkdirs(path.getParent());
      Holder mine = me.leaseUntil(clock.instant().plus(settings.lease()));
      if (tryCreate(fs, path, mine)) {
        return new NightlyLock(hadoopConf, fs, path, mine, settings, clock);
      }
      Holder other = readHolder(fs, path);
      Instant now = clock.instant();
      Instant since = startOf(fs, path, other);
      Instant expiry = leaseExpiry(fs, path, other, settings.lease());
      String who = describe(other, since, lockPath);
      if (expiry != null && now.isAfter(expiry)) {
        return takeOver(hadoopConf, fs, path, other, who, expiry, me, settings, clock);
      }
      String until = expiry == null ? "" : " Its lease runs until " + expiry + " unless renewed.";
      String staleBecause = staleReason(other, since, settings.maxAge(), now);
      if (!forceUnlock) {
        if (staleBecause != null) {
          throw new JobFailure("a previous nightly run left a stale lock (" + staleBecause + "): " + who
              + ". If no nightly run is active on this lake, rerun with --force-unlock, or wait: a run after its"
              + " lease " + (expiry == null ? "" : "(until " + expiry + ") ") + "ends takes it over");
        }
        throw new JobFailure("another nightly run is in progress on this lake: " + who
            + ". This run did not start; retry when it has finished." + until);
      }
      if (other != null && currentHost().equals(other.host()) && ProcessHandle.of(other.pid()).isPresent()
          && other.pid() != ProcessHandle.current().pid()) {
        throw new JobFailure("refusing --force-unlock: the holder is alive on this host: " + who);
      }
      Console.info("--force-unlock: removing the lock of " + who);
      fs.delete(path, false);
      mine = me.leaseUntil(clock.instant().plus(settings.lease()));
      if (tryCreate(fs, path, mine)) {
        return new NightlyLock(hadoopConf, fs, path, mine, settings, clock);
      }
      throw new JobFailure("another nightly run took the lock at " + lockPath + " while it was being force-unlocked");
    } catch (IOException e) {
      throw new JobFailure("cannot create the nightly lock " + lockPath + ": " + e.getMessage(), e);
    }
  }

  /** The lock of a run that stopped renewing it: replaced by ours, unless it changed since it was read. */
  private static NightlyLock takeOver(Configuration hadoopConf, FileSystem fs, Path path, Holder expired, String who,
      Instant expiry, Holder me, Settings settings, Clock clock) throws IOException {
    // read again just before removing it: a holder that renewed meanwhile (or a run that took it over first)
    // keeps it; the window left between this read and the delete is milliseconds, against a lease of minutes
    Holder again = readHolder(fs, path);
    if (!Objects.equals(expired, again)) {
      throw new JobFailure("another nightly run is in progress on this lake: "
          + describe(again, startOf(fs, path, again), path.toString()) + ". This run did not start; retry when it"
          + " has finished");
    }
    fs.delete(path, false);
    Holder mine = me.leaseUntil(clock.instant().plus(settings.lease()));
    if (!tryCreate(fs, path, mine)) {
      throw new JobFailure("another nightly run took over the expired lock " + path + " first; this run did not start");
    }
    Console.info("took over the nightly lock of " + who + ": its lease ran out at " + expiry
        + " (not renewed for " + settings.lease() + "; that run was killed or lost its driver)");
    return new NightlyLock(hadoopConf, fs, path, mine, settings, clock);
  }

  private static boolean tryCreate(FileSystem fs, Path path, Holder me) throws IOException {
    byte[] content = JSON.writeValueAsBytes(me);
    if (fs instanceof LocalFileSystem || fs instanceof RawLocalFileSystem) {
      java.nio.file.Path local = Paths.get(fs.makeQualified(path).toUri());
      try {
        Files.createFile(local);
      } catch (FileAlreadyExistsException e) {
        return false;
      }
      Files.write(local, content);
      return true;
    }
    try (OutputStream out = fs.create(path, false)) {
      out.write(content);
      return true;
    } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      if (fs.exists(path)) {
        return false; // some file systems report the conflict as a plain IOException
      }
      throw e;
    }
  }

  /** The holder, or null when the file is empty or half-written (its creator is still writing it). */
  static Holder readHolder(FileSystem fs, Path path) {
    try (InputStream in = fs.open(path)) {
      byte[] bytes = in.readAllBytes();
      return bytes.length == 0 ? null : JSON.readValue(new String(bytes, StandardCharsets.UTF_8), Holder.class);
    } catch (IOException e) {
      return null;
    }
  }

  private static Instant startOf(FileSystem fs, Path path, Holder holder) {
    if (holder != null && holder.startedAt() != null) {
      return Instant.parse(holder.startedAt());
    }
    return modified(fs, path);
  }

  /** When the lease ends: as the holder wrote it, else the file's last write plus the lease; null if gone. */
  private static Instant leaseExpiry(FileSystem fs, Path path, Holder holder, Duration lease) {
    if (holder != null && holder.leaseExpiresAt() != null) {
      return Instant.parse(holder.leaseExpiresAt());
    }
    Instant modified = modified(fs, path);
    return modified == null ? null : modified.plus(lease);
  }

  private static Instant modified(FileSystem fs, Path path) {
    try {
      return Instant.ofEpochMilli(fs.getFileStatus(path).getModificationTime());
    } catch (IOException e) {
      return null; // removed meanwhile: treat as held, the message says so
    }
  }

  private static String staleReason(Holder holder, Instant since, Duration maxAge, Instant now) {
    if (holder != null && currentHost().equals(holder.host()) && ProcessHandle.of(holder.pid()).isEmpty()) {
      return "its process " + holder.pid() + " on this host is gone";
    }
    if (since != null && Duration.between(since, now).compareTo(maxAge) > 0) {
      return "older than hallmark.nightly.lock-max-age = " + maxAge;
    }
    return null;
  }

  private static String describe(Holder h, Instant since, String lockPath) {
    if (h == null) {
      return "lock " + lockPath + " (holder not yet written" + (since == null ? "" : ", created " + since) + ")";
    }
    return "run " + h.runId() + " for " + h.runDate() + ", pid " + h.pid() + " on " + h.host() + ", started "
        + h.startedAt() + " (lock " + lockPath + ")";
  }

  public synchronized Holder holder() {
    return holder;
  }

  /**
   * Extends the lease to now + lease, if the lock is still ours: a run that lost it (paused past its lease,
   * and another run took over) stops renewing and says so; it never overwrites the other run's lock.
   */
  synchronized void renew() throws IOException {
    if (released || lost) {
      return;
    }
    Holder current = readHolder(fs, path);
    if (current == null || !holder.runId().equals(current.runId())) {
      lost = true;
      Console.error("the nightly lock " + path + " is no longer this run's (" + (current == null ? "removed"
          : "taken over by run " + current.runId()) + ": this run's lease had run out); another run may be"
          + " writing the lake");
      renewer.shutdown();
      return;
    }
    Holder renewed = holder.leaseUntil(clock.instant().plus(settings.lease()));
    byte[] content = JSON.writeValueAsBytes(renewed);
    HadoopFiles.write(hadoop, fs.makeQualified(path).toString(), out -> out.write(content));
    holder = renewed;
  }

  private void renewQuietly() {
    try {
      renew();
    } catch (IOException | RuntimeException e) {
      // the next renewal tries again; the lease is long enough for several misses (renew <= lease / 2)
      Console.error("could not renew the nightly lock " + path + ": " + e.getMessage());
    }
  }

  /** Removes the lock if it is still ours (a --force-unlock by someone else may have replaced it). */
  @Override
  public void close() {
    releaseQuietly();
    try {
      ShutdownHookManager.get().removeShutdownHook(releaseOnShutdown);
    } catch (IllegalStateException e) {
      // already shutting down: the hook itself released it
    }
  }

  private synchronized void releaseQuietly() {
    if (released) {
      return;
    }
    released = true;
    renewer.shutdownNow();
    try {
      Holder current = readHolder(fs, path);
      if (current != null && holder.runId().equals(current.runId())) {
        fs.delete(path, false);
      }
    } catch (IOException e) {
      System.err.println("[hallmark] WARNING: could not remove the nightly lock " + path + ": " + e.getMessage());
    }
  }
}
