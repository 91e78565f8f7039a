package io.hallmark.nightly;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hallmark.config.JobFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * One nightly run per lake at a time: an exclusive lock file {@code <lake>/ops/_nightly.lock}, created
 * atomically, holding who runs (run id, run date, host, pid, start). A second run finds it and refuses
 * to start (JobFailure, exit 1: "try again later" is the right reaction for a scheduler's retry).
 *
 * <p>Atomic creation: on HDFS (and ABFS/GCS) {@code FileSystem.create(path, overwrite=false)} is
 * atomic on the server. Hadoop's local file system implements it as exists() then create(), which two
 * processes can both pass, so for {@code file:} lakes the file is created with
 * {@link Files#createFile} (O_CREAT|O_EXCL). On S3 only conditional writes (put-if-absent, S3A
 * with HADOOP-19256) make it atomic; without them the scheduler's one-run-at-a-time (Airflow
 * max_active_runs=1) is the guard.
 *
 * <p>A lock whose holder is provably gone (same host, pid no longer alive) or older than
 * {@code hallmark.nightly.lock-max-age} is stale: it is reported with what to do, and removed only
 * when the operator says so with {@code --force-unlock}. A live holder on this host is never removed.
 */
public final class NightlyLock implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the lock file holds (JSON). */
  public record Holder(String runId, String runDate, String host, long pid, String startedAt) {}

  private final FileSystem fs;
  private final Path path;
  private final Holder holder;
  private final Thread releaseOnShutdown;
  private boolean released;

  private NightlyLock(FileSystem fs, Path path, Holder holder) {
    this.fs = fs;
    this.path = path;
    this.holder = holder;
    // SIGTERM (Airflow marking a task failed, Ctrl-C) runs shutdown hooks: do not leave a lock behind.
    // SIGKILL cannot be caught: that leaves a stale lock, reported to the next run.
    this.releaseOnShutdown = new Thread(this::releaseQuietly, "hallmark-nightly-lock-release");
    Runtime.getRuntime().addShutdownHook(releaseOnShutdown);
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
   * Takes the lock or throws JobFailure with a one-line reason naming the holder.
   *
   * @param now wall clock, used only for the lock's age (a measurement, never for data)
   */
  public static NightlyLock acquire(Configuration hadoopConf, String lockPath, Holder me, Duration maxAge,
      boolean forceUnlock, Instant now) {
    Path path = new Path(lockPath);
    try {
      FileSystem fs = path.getFileSystem(hadoopConf);
      fs.mkdirs(path.getParent());
      if (tryCreate(fs, path, me)) {
        return new NightlyLock(fs, path, me);
      }
      Holder other = readHolder(fs, path);
      Instant since = startOf(fs, path, other);
      String who = describe(other, since, lockPath);
      String staleBecause = staleReason(other, since, maxAge, now);
      if (!forceUnlock) {
        if (staleBecause != null) {
          throw new JobFailure("a previous nightly run left a stale lock (" + staleBecause + "): " + who
              + ". If no nightly run is active on this lake, rerun with --force-unlock");
        }
        throw new JobFailure("another nightly run is in progress on this lake: " + who
            + ". This run did not start; retry when it has finished");
      }
      if (other != null && currentHost().equals(other.host()) && ProcessHandle.of(other.pid()).isPresent()
          && other.pid() != ProcessHandle.current().pid()) {
        throw new JobFailure("refusing --force-unlock: the holder is alive on this host: " + who);
      }
      io.hallmark.jobs.Console.info("--force-unlock: removing the lock of " + who);
      fs.delete(path, false);
      if (tryCreate(fs, path, me)) {
        return new NightlyLock(fs, path, me);
      }
      throw new JobFailure("another nightly run took the lock at " + lockPath + " while it was being force-unlocked");
    } catch (IOException e) {
      throw new JobFailure("cannot create the nightly lock " + lockPath + ": " + e.getMessage(), e);
    }
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

  public Holder holder() {
    return holder;
  }

  /** Removes the lock if it is still ours (a --force-unlock by someone else may have replaced it). */
  @Override
  public synchronized void close() {
    if (released) {
      return;
    }
    releaseQuietly();
    try {
      Runtime.getRuntime().removeShutdownHook(releaseOnShutdown);
    } catch (IllegalStateException e) {
      // already shutting down: the hook itself released it
    }
  }

  private synchronized void releaseQuietly() {
    if (released) {
      return;
    }
    released = true;
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
