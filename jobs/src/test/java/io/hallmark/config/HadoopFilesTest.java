package io.hallmark.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Abortable;
import org.apache.hadoop.fs.CommonPathCapabilities;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files written whole or not at all, on the local disk, behind a mount table and on an object store. */
class HadoopFilesTest {
  @TempDir Path dir;

  private static List<String> names(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static HadoopFiles.Content failingAfter(String partial) {
    return out -> {
      out.write(partial.getBytes(StandardCharsets.UTF_8));
      throw new IOException("disk full (simulated)");
    };
  }

  @Test
  void aLocalFileIsReplacedWholeWithoutSideFiles() throws Exception {
    String uri = dir.resolve("out/report.csv").toString();
    HadoopFiles.writeString(new Configuration(), uri, "first\n");
    HadoopFiles.writeString(new Configuration(), uri, "second\n");
    assertEquals("second\n", Files.readString(dir.resolve("out/report.csv")));
    assertEquals(List.of("report.csv"), names(dir.resolve("out")), "no .crc, no temporary file left");
  }

  @Test
  void aFailedWriteKeepsThePreviousFileAndRemovesItsTemporary() throws Exception {
    String uri = "file:" + dir.resolve("model.json");
    HadoopFiles.writeString(new Configuration(), uri, "{\"v\":1}");
    IOException e = assertThrows(IOException.class,
        () -> HadoopFiles.write(new Configuration(), uri, failingAfter("{\"v\":2, \"trunc")));
    assertEquals("disk full (simulated)", e.getMessage());
    assertEquals("{\"v\":1}", Files.readString(dir.resolve("model.json")));
    assertEquals(List.of("model.json"), names(dir));
  }

  @Test
  void schemeLessPathsAreQualifiedAgainstTheDefaultFileSystemNotTheWorkingDirectory() throws Exception {
    Configuration local = new Configuration();
    String cwd = Path.of("").toAbsolutePath().toString();
    assertEquals(cwd + "/lake", HadoopFiles.qualify(local, "./lake/"));
    assertEquals("/data/lake", HadoopFiles.qualify(local, "/data/lake"));
    assertEquals("s3a://bucket/lake", HadoopFiles.qualify(local, "s3a://bucket/lake/"));

    // a default file system that is not the local disk: viewfs, its one mount a folder of this test
    Configuration mounted = viewfs(dir.resolve("store"));
    String user = System.getProperty("user.name");
    String relative = HadoopFiles.qualify(mounted, "reports/2024-12-31/report.csv");
    assertEquals("viewfs://hallmark-test/user/" + user + "/reports/2024-12-31/report.csv", relative);
    assertEquals("viewfs://hallmark-test/data/truth.csv", HadoopFiles.qualify(mounted, "/data/truth.csv"));

    HadoopFiles.writeString(mounted, relative, "x\n");
    Path landed = dir.resolve("store/user/" + user + "/reports/2024-12-31/report.csv");
    assertEquals("x\n", Files.readString(landed));
    assertEquals(List.of("report.csv"), names(landed.getParent()));
    assertFalse(Files.exists(Path.of(cwd, "reports", "2024-12-31")), "nothing in the working directory");
    assertTrue(HadoopFiles.isFile(mounted, relative));
    assertEquals("x\n", HadoopFiles.readString(mounted, relative));
  }

  /** fs.defaultFS = viewfs://hallmark-test/, every path of it under {@code root}. */
  static Configuration viewfs(Path root) {
    Configuration conf = new Configuration();
    conf.set("fs.defaultFS", "viewfs://hallmark-test/");
    conf.set("fs.viewfs.mounttable.hallmark-test.linkFallback", root.toUri().toString());
    return conf;
  }

  @Test
  void onAnObjectStoreTheFinalNameIsWrittenDirectlyAndAFailedUploadIsAborted() throws Exception {
    Configuration conf = new Configuration();
    conf.set("fs.objtest.impl", ObjectStore.class.getName());
    conf.setBoolean("fs.objtest.impl.disable.cache", true);
    ObjectStore.created.clear();
    String uri = "objtest://" + dir.resolve("bucket/scores.csv");
    HadoopFiles.writeString(conf, uri, "old\n");
    assertThrows(IOException.class, () -> HadoopFiles.write(conf, uri, failingAfter("new, half")));
    assertEquals("old\n", Files.readString(dir.resolve("bucket/scores.csv")), "the aborted upload left the old object");
    HadoopFiles.writeString(conf, uri, "new\n");
    assertEquals("new\n", Files.readString(dir.resolve("bucket/scores.csv")));
    assertEquals(List.of("scores.csv", "scores.csv", "scores.csv"), ObjectStore.created,
        "every upload went to the final name (a rename on an object store is a second copy)");
    assertEquals(List.of("scores.csv"), names(dir.resolve("bucket")));
  }

  /**
   * The local disk behaving like S3A: an upload becomes visible only when its stream is closed, and an
   * aborted one never does (Hadoop's abortable-stream capability).
   */
  public static final class ObjectStore extends RawLocalFileSystem {
    static final List<String> created = new CopyOnWriteArrayList<>();

    @Override
    public URI getUri() {
      return URI.create("objtest:///");
    }

    @Override
    public String getScheme() {
      return "objtest";
    }

    @Override
    public boolean hasPathCapability(org.apache.hadoop.fs.Path path, String capability) throws IOException {
      return CommonPathCapabilities.ABORTABLE_STREAM.equals(capability) || super.hasPathCapability(path, capability);
    }

    @Override
    public FSDataOutputStream create(org.apache.hadoop.fs.Path f, boolean overwrite, int bufferSize,
        short replication, long blockSize, Progressable progress) throws IOException {
      created.add(f.getName());
      return new FSDataOutputStream(new Upload(this, f), null);
    }

    @Override
    public FSDataOutputStream create(org.apache.hadoop.fs.Path f, FsPermission permission, boolean overwrite,
        int bufferSize, short replication, long blockSize, Progressable progress) throws IOException {
      return create(f, overwrite, bufferSize, replication, blockSize, progress);
    }

    private static final class Upload extends ByteArrayOutputStream implements Abortable {
      private final RawLocalFileSystem store;
      private final org.apache.hadoop.fs.Path path;
      private boolean done;

      Upload(RawLocalFileSystem store, org.apache.hadoop.fs.Path path) {
        this.store = store;
        this.path = path;
      }

      @Override
      public void close() throws IOException {
        if (done) {
          return;
        }
        done = true;
        try (OutputStream out = store.createNonRecursive(path, FsPermission.getFileDefault(), true, 4096,
            (short) 1, 1L << 20, null)) {
          out.write(toByteArray());
        }
      }

      @Override
      public AbortableResult abort() {
        done = true;
        return new AbortableResult() {
          @Override
          public boolean alreadyClosed() {
            return false;
          }

          @Override
          public IOException anyCleanupException() {
            return null;
          }
        };
      }
    }
  }
}
