package io.hallmark.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Cost of one piece of work in this JVM: wall time, process CPU time (driver and local-mode
 * executors alike, and DuckDB's native threads, all live in this process), peak heap and peak RSS.
 * Peaks are reset before the work where the platform allows (MemoryPoolMXBean.resetPeakUsage,
 * writing 5 to /proc/self/clear_refs for VmHWM); otherwise they are peaks since start, flagged so.
 */
public final class Measurement {
  private Measurement() {}

  /** The work; returns its headline row count (rows written, or rows read). */
  @FunctionalInterface
  public interface Work {
    long run() throws Exception;
  }

  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private static final Path STATUS = Path.of("/proc/self/status");
  private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

  /** Runs the work and returns its figures as a JSON-ready map; a failure is recorded, not thrown. */
  public static Map<String, Object> measure(String name, Work work) {
    System.gc(); // start every measurement from a comparable heap, outside the timed region
    boolean rssReset = resetPeaks();
    long cpu0 = OS.getProcessCpuTime();
    long t0 = System.nanoTime();
    long rows = -1;
    String error = null;
    try {
      rows = work.run();
    } catch (Exception | Error e) {
      error = e.getClass().getSimpleName() + ": " + e.getMessage();
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    double cpu = (OS.getProcessCpuTime() - cpu0) / 1e9;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("status", error == null ? "ok" : "failed");
    m.put("wall_s", round(wall));
    m.put("cpu_s", round(cpu));
    m.put("peak_heap_mb", round(peakHeapBytes() / 1048576.0));
    m.put("peak_rss_mb", round(statusKb("VmHWM") / 1024.0));
    m.put("rss_peak_reset", rssReset);
    m.put("rows", rows);
    m.put("rows_per_s", rows >= 0 && wall > 0 ? Math.round(rows / wall) : null);
    if (error != null) {
      m.put("error", error);
    }
    return m;
  }

  private static boolean resetPeaks() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }
    try {
      Files.writeString(CLEAR_REFS, "5");
      return true;
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return false;
    }
  }

  /** Sum of the heap pools' peaks since the reset (an upper bound: pools peak at different times). */
  private static long peakHeapBytes() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  static long statusKb(String field) {
    try {
      for (String line : Files.readAllLines(STATUS)) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux: no RSS figure
    }
    return -1;
  }

  static double round(double v) {
    return Math.round(v * 1000.0) / 1000.0;
  }
}
