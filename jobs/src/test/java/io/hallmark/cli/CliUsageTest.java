package io.hallmark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hallmark.jobs.Console;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Bad usage and bad configuration exit 2 with one line naming the option or key. */
class CliUsageTest {
  @TempDir Path tmp;

  private record Outcome(int code, String err) {}

  private Outcome run(String... args) {
    CommandLine cli = Hallmark.commandLine();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    java.io.PrintStream original = System.err;
    System.setErr(new java.io.PrintStream(stderr, true, StandardCharsets.UTF_8));
    Console.redirect(System.out, System.err);
    try {
      int code = cli.execute(args);
      return new Outcome(code, err.toString(StandardCharsets.UTF_8) + stderr.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(original);
      Console.redirect(System.out, original);
    }
  }

  @Test
  void unknownOptionExits2NamingTheOption() {
    Outcome outcome = run("ingest", "--no-such-option");
    assertEquals(2, outcome.code());
    assertTrue(outcome.err().contains("--no-such-option"), outcome.err());
  }

  @Test
  void noCommandExits2() {
    assertEquals(2, run().code());
  }

  @Test
  void helpExits0() {
    assertEquals(0, run("ingest", "--help").code());
  }

  @Test
  void malformedConfFileExits2NamingTheFileAndLine() throws Exception {
    assertConfFileExits2Saying("broken.conf", "hallmark {\n  lake = [1,\n", "broken.conf: 3");
  }

  @Test
  void unknownConfKeyExits2NamingTheKey() throws Exception {
    assertConfFileExits2Saying("typo.conf", "hallmark { ingest { reject-treshold = 0.1 } }\n",
        "hallmark.ingest.reject-treshold");
  }

  @Test
  void wrongTypeExits2NamingTheKey() throws Exception {
    assertConfFileExits2Saying("type.conf", "hallmark { ingest { reject-threshold = lots } }\n",
        "hallmark.ingest.reject-threshold");
  }

  @Test
  void outOfRangeSettingExits2AtStartNamingTheKey() throws Exception {
    assertConfFileExits2Saying("range.conf", "hallmark { silver { merge-broadcast-max = -1 } }\n",
        "hallmark.silver.merge-broadcast-max must be >= 0 (0: never broadcast), got -1");
    assertConfFileExits2Saying("share.conf", "hallmark { ingest { reject-threshold = 1.5 } }\n",
        "config key 'hallmark.ingest.reject-threshold' must be between 0 and 1, got 1.5");
  }

  /** `ingest --conf-file` with {@code content} exits 2 and its error contains {@code expected}. */
  private void assertConfFileExits2Saying(String fileName, String content, String expected) throws Exception {
    Path conf = tmp.resolve(fileName);
    Files.writeString(conf, content);
    Outcome outcome = run("ingest", "--conf-file", conf.toString());
    assertEquals(2, outcome.code());
    assertTrue(outcome.err().contains(expected), outcome.err());
  }

  @Test
  void anUnknownNightlyStepExits2WithOneLineListingTheSteps() {
    Outcome outcome = run("nightly", "--run-date", "2024-03-01", "--step", "yearly_stats", "--lake",
        tmp.resolve("lake").toString());
    assertEquals(2, outcome.code(), outcome.err());
    assertEquals("[hallmark] ERROR: unknown step 'yearly_stats' for --step: the steps are ingest, silver,"
        + " yearly-stats, seller-features, risk-scores, report", outcome.err().strip());
    assertFalse(Files.exists(tmp.resolve("lake")), "refused before anything is touched");
  }

  @Test
  void explainWithoutASellerExits2NamingTheOption() {
    Outcome outcome = run("explain", "--as-of", "2024-03-10", "--lake", tmp.resolve("lake").toString());
    assertEquals(2, outcome.code(), outcome.err());
    assertTrue(outcome.err().contains("Missing required option: '--seller=ID'"), outcome.err());
    assertEquals(0, run("explain", "--help").code());
    assertFalse(Files.exists(tmp.resolve("lake")), "refused before anything is touched");
  }

  @Test
  void missingConfFileExits2() {
    Outcome outcome = run("ingest", "--conf-file", tmp.resolve("nope.conf").toString());
    assertEquals(2, outcome.code());
    assertTrue(outcome.err().contains("nope.conf"), outcome.err());
  }
}
