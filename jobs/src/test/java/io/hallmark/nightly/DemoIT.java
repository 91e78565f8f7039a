package io.hallmark.nightly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The newcomer's first command, README's {@code bin/hallmark demo} itself (the packaged jar, conf/'s
 * logging), started in a fresh folder: it leaves no spark-warehouse/ there, and its console holds
 * Hallmark's lines only, no log4j line of Spark or Delta; their warnings are in the log file the run names.
 */
class DemoIT {
  /** A log4j line as the console layout prints it: "12:34:56 WARN SomeClass: ...". */
  private static final Pattern LOG_LINE = Pattern.compile("(?m)^\\d\\d:\\d\\d:\\d\\d (TRACE|DEBUG|INFO|WARN|ERROR) .*$");

  @TempDir Path work;

  @Test
  void theDemoPrintsOnlyHallmarksLinesAndLeavesNoSparkWarehouseWhereItRan() throws Exception {
    Path lake = work.resolve("lake");
    ChildJvm.jobsJar(); // packaged, so bin/hallmark does not build it
    List<String> command = List.of(ChildJvm.ROOT.resolve("bin/hallmark").toString(),
        "demo", "--accounts", "30", "--lake", lake.toString(), "--landing", work.resolve("landing").toString());
    ChildJvm.Result demo = ChildJvm.run(command, work, work.resolve("demo.out"),
        Map.of("HALLMARK_JAVA_OPTS", "-Xmx1536m"), 900);
    String console = demo.output();
    assertEquals(0, demo.exitCode(), console);
    assertTrue(console.contains("[hallmark] done. Lake: " + lake), console);

    Matcher logged = LOG_LINE.matcher(console);
    assertFalse(logged.find(), () -> "a log4j line on the console: " + logged.group());
    assertFalse(console.contains("WARN org.apache"), console);
    assertFalse(Files.exists(work.resolve("spark-warehouse")), "spark-warehouse/ left where the demo ran");

    Matcher named = Pattern.compile("(?m)^\\[hallmark\\] Spark's log: (.+)$").matcher(console);
    assertTrue(named.find(), "the run names its log file: " + console);
    Path log = Path.of(named.group(1));
    try {
      List<String> lines = Files.readAllLines(log);
      // Spark's warnings are kept there (full logger names), not dropped
      assertTrue(lines.stream().anyMatch(l -> l.matches("\\S+ \\S+ WARN org\\.apache\\..*")), String.join("\n", lines));
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
