package io.hallmark.jobs;

import java.io.PrintStream;
import java.util.Locale;

/**
 * What a person reads on the terminal: progress and results on stdout, problems on stderr.
 * Spark's own logging stays at WARN (log4j2.properties), so these lines are not drowned.
 */
public final class Console {
  private static PrintStream out = System.out;
  private static PrintStream err = System.err;

  private Console() {}

  public static void info(String message) {
    out.println("[hallmark] " + message);
    out.flush();
  }

  public static void error(String message) {
    err.println("[hallmark] ERROR: " + message);
    err.flush();
  }

  /** "step 3 of 6: yearly-stats: 1,234 rows in 4.2 s" */
  public static void step(int n, int of, String name, long rows, double seconds) {
    info(String.format(Locale.ROOT, "step %d of %d: %s: %,d rows in %.1f s", n, of, name, rows, seconds));
  }

  /** Redirects output (tests). */
  public static void redirect(PrintStream stdout, PrintStream stderr) {
    out = stdout;
    err = stderr;
  }
}
