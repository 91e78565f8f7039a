package io.hallmark.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CommonPathCapabilities;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.viewfs.ViewFileSystem;
import org.apache.hadoop.hdfs.DistributedFileSystem;

/**
 * Every file Hallmark writes outside its Delta tables (the report, CSV exports, models, evaluation
 * output, the nightly lock) and every such file it reads (ground truth, the PII key), through Hadoop's
 * FileSystem: a path is a URI on whatever store the lake lives on ({@code file:}, {@code hdfs:},
 * {@code s3a:}, {@code abfs:}), and nothing touches the driver's disk unless the path says so.
 *
 * <p>{@link #write} makes a file appear whole or not at all, the way the store allows:
 * <ul>
 *   <li>stores whose output streams are abortable (S3A: an object exists only once its upload completes,
 *       Hadoop's {@code fs.capability.outputstream.abortable}) are written at the final name directly,
 *       and the upload is aborted on failure; a rename there would be a second, slower copy;</li>
 *   <li>elsewhere the content goes to a hidden temporary file in the same folder, which then replaces the
 *       final name by rename: atomic on a local disk (rename(2)) and on HDFS (rename with OVERWRITE);
 *       other stores get delete-then-rename, so a reader may briefly find no file but never half of one.</li>
 * </ul>
 * Local files are written without Hadoop's {@code .crc} side files (they are not Hadoop's data files:
 * people open them, and a stale {@code .crc} would fail a later Hadoop read).
 */
public final class HadoopFiles {
  private static final Configuration DEFAULTS = new Configuration();

  private HadoopFiles() {}

  /** Writes a file's content to a stream (which the caller closes). */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  /** core-site.xml/core-default.xml on the class path: for code that has no session or settings at hand. */
  public static Configuration defaultConfiguration() {
    return DEFAULTS;
  }

  /** True for {@code s3a://b/k}, {@code file:/x}, {@code hdfs:///x}; false for {@code /x} and {@code x/y}. */
  public static boolean hasScheme(String path) {
    return path.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*");
  }

  /**
   * A path as the URI every reader and writer will use. A path with a scheme is kept as it is; a path
   * without one is qualified against the default file system ({@code fs.defaultFS}) and its working
   * directory, never the driver's working directory through java.io: on HDFS {@code lake} becomes
   * {@code hdfs://nn/user/me/lake}. When the default file system is the local disk, the result is kept
   * as a plain absolute path ({@code /home/me/lake}), which every Hadoop client with that default reads
   * the same way. A trailing '/' is dropped.
   */
  public static String qualify(Configuration hadoop, String path) {
    if (path == null || path.isBlank()) {
      throw new ConfigError("an empty path cannot be qualified (check the configuration)");
    }
    String trimmed = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    if (hasScheme(trimmed)) {
      return trimmed;
    }
    try {
      Path qualified = FileSystem.get(hadoop).makeQualified(new Path(trimmed));
      return "file".equals(qualified.toUri().getScheme()) ? qualified.toUri().getPath() : qualified.toString();
    } catch (IOException | IllegalArgumentException e) {
      throw new ConfigError("cannot qualify the path " + path + " against the default file system "
          + hadoop.get(FileSystem.FS_DEFAULT_NAME_KEY) + ": " + e.getMessage(), e);
    }
  }

  /** {@code dir/name}, for a folder URI and a file name. */
  public static String child(String dir, String name) {
    return dir.endsWith("/") ? dir + name : dir + "/" + name;
  }

  /**
   * The file system of a path; for the local disk the raw one (no {@code .crc} side files, and its
   * rename is the operating system's atomic rename).
   */
  public static FileSystem fileSystem(Configuration hadoop, Path path) throws IOException {
    FileSystem fs = path.getFileSystem(hadoop);
    return fs instanceof LocalFileSystem local ? local.getRawFileSystem() : fs;
  }

  public static boolean isFile(Configuration hadoop, String uri) throws IOException {
    Path path = new Path(uri);
    return fileSystem(hadoop, path).isFile(path);
  }

  public static boolean isDirectory(Configuration hadoop, String uri) throws IOException {
    Path path = new Path(uri);
    return fileSystem(hadoop, path).isDirectory(path);
  }

  public static boolean exists(Configuration hadoop, String uri) throws IOException {
    Path path = new Path(uri);
    return fileSystem(hadoop, path).exists(path);
  }

  public static String readString(Configuration hadoop, String uri) throws IOException {
    Path path = new Path(uri);
    try (InputStream in = fileSystem(hadoop, path).open(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  public static void writeString(Configuration hadoop, String uri, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    write(hadoop, uri, out -> out.write(bytes));
  }

  /** Writes {@code uri} whole or not at all (see the class comment); its folder is created if missing. */
  public static void write(Configuration hadoop, String uri, Content content) throws IOException {
    Path target = new Path(uri);
    FileSystem fs = fileSystem(hadoop, target);
    Path folder = target.getParent();
    if (folder != null && !fs.mkdirs(folder)) {
      throw new IOException("cannot create the folder " + folder);
    }
    if (fs instanceof ViewFileSystem && folder != null) {
      // a mount point is resolved to the store behind it, whose rules then apply
      target = new Path(fs.resolvePath(folder), target.getName());
      fs = fileSystem(hadoop, target);
    }
    if (fs.hasPathCapability(target, CommonPathCapabilities.ABORTABLE_STREAM)) {
      writeDirectly(fs, target, content);
    } else {
      writeThenRename(fs, target, content);
    }
  }

  private static void writeDirectly(FileSystem fs, Path target, Content content) throws IOException {
    FSDataOutputStream out = fs.create(target, true);
    try {
      content.writeTo(out);
    } catch (IOException | RuntimeException | Error e) {
      try {
        out.abort(); // the upload is discarded: the previous object (if any) stays as it was
      } catch (UnsupportedOperationException ignored) {
        // nothing more to undo
      }
      throw e;
    }
    out.close(); // the object appears, whole, here
  }

  private static void writeThenRename(FileSystem fs, Path target, Content content) throws IOException {
    Path temporary = new Path(target.getParent(), "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
    try {
      try (FSDataOutputStream out = fs.create(temporary, false)) {
        content.writeTo(out);
      }
      replace(fs, temporary, target);
    } catch (IOException | RuntimeException | Error e) {
      try {
        fs.delete(temporary, false);
      } catch (IOException ignored) {
        // the hidden temporary file stays; the target is untouched either way
      }
      throw e;
    }
  }

  private static void replace(FileSystem fs, Path temporary, Path target) throws IOException {
    if (fs instanceof RawLocalFileSystem) {
      // java.io.File.renameTo, i.e. rename(2): replaces an existing file atomically
      if (!fs.rename(temporary, target)) {
        throw new IOException("cannot rename " + temporary + " to " + target);
      }
      return;
    }
    if (fs instanceof DistributedFileSystem hdfs) {
      hdfs.rename(temporary, target, Options.Rename.OVERWRITE); // one atomic NameNode operation
      return;
    }
    // rename/2 does not replace an existing file on most stores
    fs.delete(target, false);
    if (!fs.rename(temporary, target)) {
      throw new IOException("cannot rename " + temporary + " to " + target);
    }
  }
}
