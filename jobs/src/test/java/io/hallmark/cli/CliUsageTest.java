package io.hallmark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    Path conf = tmp.resolve("broken.conf");
    Files.writeString(conf, "hallmark {\n  lake = [1,\n");
    Outcome outcome = run("ingest", "--conf-file", conf.toString());
    assertEquals(2, outcome.code());
    assertTrue(outcome.err().contains("broken.conf: 3"), outcome.err());
  }

  @Test
  void unknownConfKeyExits2NamingTheKey() throws Exception {
    Path conf = tmp.resolve("typo.conf");
    Files.writeString(conf, "hallmark { ingest { reject-treshold = 0.1 } }\n");
    Outcome outcome = run("ingest", "--conf-file", conf.toString());
    assertEquals(2, outcome.code());
    assertTrue(outcome.err().contains("hallmark.ingest.reject-treshold"), outcome.err());
  }

  @Test
  void wrongTypeExits2NamingTheKey() throws Exception {
    Path conf = tmp.resolve("type.conf");
    Files.writeString(conf, "hallmark { ingest { reject-threshold = lots } }\n");
    Outcome outcome = run("ingest", "--conf-file", conf.toString());
    assertEquals(2, outcome.code());
    assertTrue(outcome.err().contains("hallmark.ingest.reject-threshold"), outcome.err());
  }

  @Test
  void outOfRangeSettingExits2AtStartNamingTheKey() throws Exception {
    Path conf = tmp.resolve("range.conf");
    Files.writeString(conf, "hallmark { silver { merge-broadcast-max = -1 } }\n");
    Outcome outcome = run("ingest", "--conf-file", conf.toString());
    assertEquals(2, outcome.code());
    assertTrue(outcome.err().contains("hallmark.silver.merge-broadcast-max must be >= 0 (0: never broadcast), got -1"),
        outcome.err());
  }

  @Test
  void missingConfFileExits2() {
    Outcome outcome = run("ingest", "--conf-file", tmp.resolve("nope.conf").toString());
    assertEquals(2, outcome.code());
    assertTrue(outcome.err().contains("nope.conf"), outcome.err());
  }
}
