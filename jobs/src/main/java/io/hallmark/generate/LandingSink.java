package io.hallmark.generate;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

/**
 * Streams lines into {@code <landing>/<table>/<fileKey>} with bounded memory: lines of one chunk of
 * sellers are buffered per table and file, spilled sorted by file, and at the end the sorted spills
 * of each table are merged so every landing file is written once, sequentially (chunk order, then
 * emission order: deterministic). The noise manifest rows are produced during the merge, when the
 * final line numbers are known.
 */
final class LandingSink {
  private static final byte TAB = '\t';
  private final Path landing;
  private final Path spillDir;
  private final List<String> tables;
  private final Map<String, TreeMap<String, ByteArrayOutputStream>> chunk = new LinkedHashMap<>();
  private final Map<String, List<Path>> spills = new LinkedHashMap<>();
  private long bufferedBytes;
  private int chunkNo;
  long files;
  long bytes;

  LandingSink(Path landing, Path spillDir, List<String> tables) {
    this.landing = landing;
    this.spillDir = spillDir;
    this.tables = tables;
    for (String t : tables) {
      chunk.put(t, new TreeMap<>());
      spills.put(t, new ArrayList<>());
    }
  }

  /**
   * @param fileKey path below the table folder, e.g. {@code dt=2021-03-04/part-0000.jsonl}
   * @param manifest {@code record_key,expected,expected_by_folder} for a noise line, else null
   */
  void add(String table, String fileKey, byte[] json, String manifest) {
    ByteArrayOutputStream buf = chunk.get(table).computeIfAbsent(fileKey, k -> new ByteArrayOutputStream(4096));
    byte[] key = fileKey.getBytes(StandardCharsets.UTF_8);
    buf.write(key, 0, key.length);
    buf.write(TAB);
    if (manifest != null) {
      byte[] m = manifest.getBytes(StandardCharsets.UTF_8);
      buf.write(m, 0, m.length);
    }
    buf.write(TAB);
    buf.write(json, 0, json.length);
    buf.write('\n');
    bufferedBytes += key.length + json.length + 3;
  }

  long bufferedBytes() {
    return bufferedBytes;
  }

  /** Writes the buffered chunk to one sorted spill file per table. */
  void spill() {
    if (bufferedBytes == 0) {
      return;
    }
    try {
      for (String t : tables) {
        TreeMap<String, ByteArrayOutputStream> files = chunk.get(t);
        if (files.isEmpty()) {
          continue;
        }
        Path p = spillDir.resolve(t + "." + chunkNo + ".spill");
        try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(p), 1 << 16)) {
          for (ByteArrayOutputStream b : files.values()) {
            b.writeTo(o);
          }
        }
        spills.get(t).add(p);
        files.clear();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write spill file in " + spillDir, e);
    }
    chunkNo++;
    bufferedBytes = 0;
  }

  /** Merges the spills into the landing files; returns lines per table and writes the manifest rows. */
  Map<String, Long> finish(Writer manifest) throws IOException {
    spill();
    Map<String, Long> lines = new LinkedHashMap<>();
    for (String t : tables) {
      lines.put(t, mergeTable(t, manifest));
    }
    return lines;
  }

  private long mergeTable(String table, Writer manifest) throws IOException {
    List<Path> parts = spills.get(table);
    List<BufferedReader> readers = new ArrayList<>();
    String[] heads = new String[parts.size()];
    long total = 0;
    try {
      for (int i = 0; i < parts.size(); i++) {
        BufferedReader r = Files.newBufferedReader(parts.get(i), StandardCharsets.UTF_8);
        readers.add(r);
        heads[i] = r.readLine();
      }
      while (true) {
        String current = null;
        for (String h : heads) {
          if (h != null) {
            String k = h.substring(0, h.indexOf('\t'));
            if (current == null || k.compareTo(current) < 0) {
              current = k;
            }
          }
        }
        if (current == null) {
          break;
        }
        String relative = table + "/" + current;
        Path file = landing.resolve(relative);
        Files.createDirectories(file.getParent());
        long lineNo = 0;
        CountingStream counting = new CountingStream(Files.newOutputStream(file));
        OutputStream raw = current.endsWith(".gz") ? new GZIPOutputStream(counting, 1 << 16) : counting;
        try (OutputStream o = new BufferedOutputStream(raw, 1 << 16)) {
          for (int i = 0; i < heads.length; i++) {
            while (heads[i] != null && heads[i].startsWith(current) && heads[i].charAt(current.length()) == '\t') {
              String h = heads[i];
              int tab1 = current.length();
              int tab2 = h.indexOf('\t', tab1 + 1);
              o.write(h.substring(tab2 + 1).getBytes(StandardCharsets.UTF_8));
              o.write('\n');
              lineNo++;
              if (tab2 > tab1 + 1) {
                String m = h.substring(tab1 + 1, tab2);
                int comma = m.indexOf(',');
                manifest.write(relative + "," + lineNo + "," + table + "," + m + "\n");
                if (comma < 0) {
                  throw new IllegalStateException("bad manifest entry " + m);
                }
              }
              heads[i] = readers.get(i).readLine();
            }
          }
        }
        files++;
        bytes += counting.count;
        total += lineNo;
      }
    } finally {
      for (BufferedReader r : readers) {
        r.close();
      }
      for (Path p : parts) {
        Files.deleteIfExists(p);
      }
    }
    return total;
  }

  private static final class CountingStream extends java.io.FilterOutputStream {
    long count;

    CountingStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }
}
