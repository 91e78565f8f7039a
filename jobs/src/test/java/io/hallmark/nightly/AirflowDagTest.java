package io.hallmark.nightly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hallmark.cli.Console;
import io.hallmark.cli.Hallmark;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Airflow DAG, read with Python's ast (no Airflow needed): its schedule, and every command it would
 * submit accepted by the CLI parser with --dry-run; a wrong option or an impossible date refused (exit 2).
 */
class AirflowDagTest {
  static final Path ROOT = Path.of(System.getProperty("hallmark.project.root", ".")).toAbsolutePath().normalize();
  static final Path DAG = ROOT.resolve("jobs/airflow/hallmark_nightly.py");
  static JsonNode extracted;
  static JsonNode badDate;

  @BeforeAll
  static void extract() throws Exception {
    extracted = extract("2024-03-01");
    badDate = extract("2024-02-30");
  }

  /** Every task's command as Airflow would render it for logical date {@code ds}. */
  static JsonNode extract(String ds) throws Exception {
    Path script = ROOT.resolve("jobs/src/test/resources/airflow/extract_commands.py");
    Process python;
    try {
      // the DAG's install folder replaced by the repository, so --conf-file points at conf/cluster.conf
      python = new ProcessBuilder("python3", script.toString(), DAG.toString(), "ds=" + ds, "HALLMARK_HOME=" + ROOT)
          .start();
    } catch (IOException e) {
      fail("python3 is needed to read the Airflow DAG (ast module) but could not be started: " + e.getMessage()
          + ". Install it (Debian: apt-get install -y python3; bin/test does this when run as root).");
      return null;
    }
    byte[] out = python.getInputStream().readAllBytes();
    String err = new String(python.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(python.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, python.exitValue(), "extract_commands.py failed: " + err);
    return new ObjectMapper().readTree(out);
  }

  @Test
  void dailyWithCatchupRetriesAndOneRunAtATime() {
    JsonNode dag = extracted.get("dag");
    assertEquals("hallmark_nightly", dag.get("dag_id").asText());
    assertEquals("@daily", dag.get("schedule").asText());
    assertTrue(dag.get("catchup").asBoolean());
    assertEquals(1, dag.get("max_active_runs").asInt());
    assertEquals(2, extracted.get("default_args").get("retries").asInt());
    assertEquals(1, extracted.get("tasks").size());
  }

  /** The app arguments of each submitted command (after the jar). */
  private static List<List<String>> appArgs(JsonNode commands) {
    List<List<String>> all = new ArrayList<>();
    for (JsonNode task : commands.get("tasks")) {
      List<String> argv = new ArrayList<>();
      task.get("argv").forEach(a -> argv.add(a.asText()));
      assertEquals("spark-submit", argv.get(0), task.toString());
      int cls = argv.indexOf("--class");
      assertTrue(cls > 0, "--class given: " + argv);
      assertEquals(Hallmark.class.getName(), argv.get(cls + 1));
      int jar = -1;
      for (int i = cls + 2; i < argv.size() && jar < 0; i++) {
        if (argv.get(i).endsWith("hallmark-jobs.jar")) {
          jar = i;
        } else if (argv.get(i).startsWith("--")) {
          i++; // spark-submit option and its value
        }
      }
      assertTrue(jar > 0, "the jobs jar is submitted: " + argv);
      List<String> args = new ArrayList<>();
      for (String a : argv.subList(jar + 1, argv.size())) {
        args.add(a);
      }
      all.add(args);
    }
    return all;
  }

  private record Outcome(int code, String out) {}

  private static Outcome execute(List<String> args) {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(buffer, true, StandardCharsets.UTF_8);
    PrintStream originalErr = System.err;
    Console.redirect(capture, capture);
    System.setErr(capture);
    try {
      int code = Hallmark.execute(args.toArray(new String[0]));
      return new Outcome(code, buffer.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(originalErr);
      Console.redirect(System.out, originalErr);
    }
  }

  @Test
  void everySubmittedCommandIsAcceptedByTheCliWithDryRun() {
    List<List<String>> commands = appArgs(extracted);
    for (List<String> args : commands) {
      assertEquals("nightly", args.get(0));
      assertEquals("2024-03-01", args.get(args.indexOf("--run-date") + 1), "{{ ds }} is the run date");
      List<String> dry = new ArrayList<>(args);
      dry.add("--dry-run");
      Outcome outcome = execute(dry);
      assertEquals(0, outcome.code(), outcome.out());
      assertTrue(outcome.out().contains("dry run: nightly for run date 2024-03-01"), outcome.out());
      // the cluster example's lake, from the DAG's --conf-file
      assertTrue(outcome.out().contains("lake hdfs:///data/hallmark/lake"), outcome.out());
    }
    assertFalse(Files.exists(ROOT.resolve("data")), "a dry run creates nothing");
  }

  @Test
  void aWrongOptionOrAnImpossibleDateIsRefusedWithExit2() {
    for (List<String> args : appArgs(extracted)) {
      List<String> wrong = new ArrayList<>(args);
      wrong.add("--dry-run");
      wrong.add("--run-dat");
      wrong.add("2024-03-01");
      Outcome outcome = execute(wrong);
      assertEquals(2, outcome.code(), outcome.out());
      assertTrue(outcome.out().contains("--run-dat"), outcome.out());
    }
    for (List<String> args : appArgs(badDate)) {
      List<String> impossible = new ArrayList<>(args);
      impossible.add("--dry-run");
      Outcome outcome = execute(impossible);
      assertEquals(2, outcome.code(), outcome.out());
      assertTrue(outcome.out().contains("2024-02-30"), outcome.out());
    }
  }

  @Test
  void theDagPassesTheSameJava17FlagsAsTheBuild() throws Exception {
    Matcher pom = Pattern.compile("<spark.java17.opens>(.*)</spark.java17.opens>")
        .matcher(Files.readString(ROOT.resolve("pom.xml")));
    assertTrue(pom.find());
    String command = extracted.get("tasks").get(0).get("command").asText();
    assertTrue(command.contains("--driver-java-options '" + pom.group(1) + "'"), command);
    assertTrue(command.contains("'spark.executor.extraJavaOptions=" + pom.group(1) + "'"), command);
  }
}
