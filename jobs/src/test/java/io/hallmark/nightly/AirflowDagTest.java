package io.hallmark.nightly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hallmark.cli.Hallmark;
import io.hallmark.jobs.Console;
import io.hallmark.jobs.NightlyStep;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Airflow DAG, run by python3 on stand-ins for the Airflow modules it imports (Airflow cannot be
 * installed here; test resources airflow/stubs, with the provider's real argument names): one
 * SparkSubmitOperator task per nightly step in the nightly's order, each submitting the jar with a
 * {@code hallmark} command the CLI accepts for {@code {{ ds }}}, and the retry rule (exit 2 fails at
 * once, exit 1 is retried).
 */
class AirflowDagTest {
  static final Path ROOT = Path.of(System.getProperty("hallmark.project.root", ".")).toAbsolutePath().normalize();
  static final Path DAG = ROOT.resolve("jobs/airflow/hallmark_nightly.py");
  static final String DS = "2024-03-01";
  static final List<String> STEPS = NightlyJob.defaultSteps().stream().map(NightlyStep::name).toList();
  static JsonNode inspected;
  static JsonNode badDate;

  @BeforeAll
  static void inspect() throws Exception {
    inspected = inspect(DS);
    badDate = inspect("2024-02-30");
  }

  /** What Airflow would see of the DAG for logical date {@code ds} (see inspect_dag.py). */
  static JsonNode inspect(String ds) throws Exception {
    return inspect(DAG, ds);
  }

  /** What Airflow would see of the DAG in {@code dagFile} for logical date {@code ds}. */
  static JsonNode inspect(Path dagFile, String ds) throws Exception {
    Path script = ROOT.resolve("jobs/src/test/resources/airflow/inspect_dag.py");
    ProcessBuilder builder = new ProcessBuilder("python3", script.toString(), dagFile.toString(), "ds=" + ds);
    // the DAG's install folder replaced by the repository, so --conf-file points at conf/cluster.conf
    builder.environment().put("HALLMARK_HOME", ROOT.toString());
    builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
    Process python;
    try {
      python = builder.start();
    } catch (IOException e) {
      fail("python3 is needed to read the Airflow DAG but could not be started: " + e.getMessage()
          + ". Install it (Debian: apt-get install -y python3; bin/test does this when run as root).");
      return null;
    }
    byte[] out = python.getInputStream().readAllBytes();
    String err = new String(python.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(python.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, python.exitValue(), "inspect_dag.py failed: " + err);
    return new ObjectMapper().readTree(out);
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }

  private record Outcome(int code, String out) {}

  private static Outcome execute(List<String> args) {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(buffer, true, StandardCharsets.UTF_8);
    PrintStream originalErr = System.err;
    PrintStream originalOut = System.out;
    Console.redirect(capture, capture);
    System.setErr(capture);
    System.setOut(capture); // picocli prints --help to System.out
    try {
      int code = Hallmark.execute(args.toArray(new String[0]));
      return new Outcome(code, buffer.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(originalErr);
      System.setOut(originalOut);
      Console.redirect(originalOut, originalErr);
    }
  }

  @Test
  void dailyWithCatchupRetriesAndOneRunAtATime() {
    JsonNode dag = inspected.get("dag");
    assertEquals("hallmark_nightly", dag.get("dag_id").asText());
    assertEquals("@daily", dag.get("schedule").asText());
    assertTrue(dag.get("catchup").asBoolean());
    assertEquals(1, dag.get("max_active_runs").asInt());
    assertEquals(2, inspected.get("default_args").get("retries").asInt());
  }

  @Test
  void oneSparkSubmitTaskPerNightlyStepChainedInTheNightlysOrder() {
    List<String> ids = new ArrayList<>();
    List<Boolean> dependsOnPast = new ArrayList<>();
    for (JsonNode task : inspected.get("tasks")) {
      ids.add(task.get("task_id").asText());
      dependsOnPast.add(task.get("depends_on_past").asBoolean());
      assertTrue(task.get("spark_submit").asBoolean(), "a SparkSubmitOperator: " + task.get("operator"));
      assertEquals(2, task.get("retries").asInt(), task.get("task_id").asText());
    }
    assertEquals(List.of("ingest", "silver", "yearly-stats", "seller-features", "risk-scores", "report"), STEPS);
    assertEquals(STEPS, ids, "one task per step, named after it");
    List<List<String>> edges = new ArrayList<>();
    inspected.get("edges").forEach(e -> edges.add(strings(e)));
    List<List<String>> chain = new ArrayList<>();
    for (int i = 1; i < STEPS.size(); i++) {
      chain.add(List.of(STEPS.get(i - 1), STEPS.get(i)));
    }
    assertEquals(chain, edges, "each step waits for the one before, and nothing else");
    assertEquals(List.of(true, false, false, false, false, false), dependsOnPast,
        "a day's ingest waits for the previous day's");
  }

  @Test
  void everyTaskSubmitsTheSameJarAndConnectionInClientModeWithTheBuildsJava17Flags() throws Exception {
    Matcher pom = Pattern.compile("<spark.java17.opens>(.*)</spark.java17.opens>")
        .matcher(Files.readString(ROOT.resolve("pom.xml")));
    assertTrue(pom.find());
    JsonNode first = inspected.get("tasks").get(0);
    assertTrue(first.get("application").asText().endsWith("/hallmark-jobs.jar"), first.get("application").asText());
    for (JsonNode task : inspected.get("tasks")) {
      assertEquals(first.get("application"), task.get("application"));
      assertEquals(first.get("conn_id"), task.get("conn_id"));
      assertEquals(Map.of("spark.driver.extraJavaOptions", pom.group(1), "spark.executor.extraJavaOptions", pom.group(1)),
          new ObjectMapper().convertValue(task.get("conf"), Map.class));
      String argv = String.join(" ", strings(task.get("argv")));
      assertTrue(argv.contains(" --class " + Hallmark.class.getName() + " "), argv);
      // only in client mode does spark-submit exit with the driver's own code (the retry rule needs it)
      assertTrue(argv.contains(" --deploy-mode client "), argv);
    }
  }

  @Test
  void eachTaskRunsItsStepThroughARealSubcommandForTheLogicalDate() {
    for (int i = 0; i < STEPS.size(); i++) {
      JsonNode task = inspected.get("tasks").get(i);
      String step = STEPS.get(i);
      List<String> raw = strings(task.get("raw_application_args"));
      List<String> args = strings(task.get("application_args"));
      assertEquals("{{ ds }}", raw.get(raw.indexOf("--run-date") + 1), "the run date is the template: " + raw);
      assertEquals(DS, args.get(args.indexOf("--run-date") + 1), "{{ ds }} is the run date: " + args);
      assertEquals(step, args.get(args.indexOf("--step") + 1), args.toString());

      String command = args.get(0);
      assertTrue(Hallmark.commandLine().getSubcommands().containsKey(command), "a hallmark command: " + command);
      Outcome help = execute(List.of(command, "--help"));
      assertEquals(0, help.code(), help.out());
      // (help text is wrapped, possibly inside a hyphenated name)
      assertTrue(help.out().replaceAll("\\s+", "").contains(String.join(",", STEPS)),
          "hallmark " + command + " --help lists the steps: " + help.out());

      List<String> dry = new ArrayList<>(args);
      dry.add("--dry-run");
      Outcome plan = execute(dry);
      assertEquals(0, plan.code(), plan.out());
      assertTrue(plan.out().contains("dry run: nightly step " + step + " for run date " + DS), plan.out());
      // only this step, under its number in the nightly
      Matcher planned = Pattern.compile("step (\\d) of 6: ([a-z-]+) \\(").matcher(plan.out());
      List<String> steps = new ArrayList<>();
      while (planned.find()) {
        steps.add(planned.group(1) + " " + planned.group(2));
      }
      assertEquals(List.of((i + 1) + " " + step), steps, plan.out());
      // the cluster example's lake, from the DAG's --conf-file
      assertTrue(plan.out().contains("lake hdfs:///data/hallmark/lake"), plan.out());
    }
    assertFalse(Files.exists(ROOT.resolve("data")), "a dry run creates nothing");
  }

  @Test
  void aWrongOptionOrAnImpossibleDateIsRefusedWithExit2() {
    for (JsonNode task : inspected.get("tasks")) {
      List<String> wrong = new ArrayList<>(strings(task.get("application_args")));
      wrong.addAll(List.of("--dry-run", "--run-dat", DS));
      Outcome outcome = execute(wrong);
      assertEquals(2, outcome.code(), outcome.out());
      assertTrue(outcome.out().contains("--run-dat"), outcome.out());
    }
    for (JsonNode task : badDate.get("tasks")) {
      List<String> impossible = new ArrayList<>(strings(task.get("application_args")));
      impossible.add("--dry-run");
      Outcome outcome = execute(impossible);
      assertEquals(2, outcome.code(), outcome.out());
      assertTrue(outcome.out().contains("2024-02-30"), outcome.out());
    }
  }

  /**
   * What each task's execute() raises when spark-submit exits with a code: AirflowFailException (no
   * retry) for 2, also when only the hook's message carries the code; a plain failure, which Airflow
   * retries, for 1, any other code, or no code at all.
   */
  @Test
  void exit2FailsWithoutRetriesAndExit1IsRetried() {
    Map<String, String> expected = Map.of("0", "ok", "1", "AirflowException", "2", "AirflowFailException",
        "137", "AirflowException", "2-message-only", "AirflowFailException", "no-code", "FileNotFoundError");
    for (JsonNode task : inspected.get("tasks")) {
      assertEquals(expected, new ObjectMapper().convertValue(task.get("outcomes"), Map.class),
          task.get("task_id").asText());
    }
  }

  /**
   * Both DAG files submit through the one module beside them (jobs/airflow/hallmark_common.py: operator,
   * jar, connection, flags, retry rule), not through copies of it; Airflow is told not to parse that
   * module for DAGs (.airflowignore).
   */
  @Test
  void bothDagsSubmitThroughTheSharedModuleBesideThem() throws Exception {
    JsonNode maintain = inspect(DAG.resolveSibling("hallmark_maintain.py"), DS);
    List<JsonNode> tasks = new ArrayList<>();
    inspected.get("tasks").forEach(tasks::add);
    maintain.get("tasks").forEach(tasks::add);
    assertEquals(7, tasks.size());
    for (JsonNode task : tasks) {
      assertEquals("HallmarkStepOperator", task.get("operator").asText());
      assertEquals("hallmark_common", task.get("operator_module").asText(), task.get("task_id").asText());
    }
    List<String> ignored = Files.readAllLines(DAG.resolveSibling(".airflowignore")).stream()
        .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    assertEquals(List.of("hallmark_common\\.py"), ignored);
  }

  /**
   * The weekly maintenance DAG (jobs/airflow/hallmark_maintain.py): one task submitting the same jar in
   * client mode with the nightly's connection and flags, running {@code hallmark maintain} with the
   * cluster settings; exit 2 fails at once, exit 1 (a nightly holding the lock) is retried.
   */
  @Test
  void weeklyMaintenanceTaskRunsMaintainWithTheSameRetryRule() throws Exception {
    JsonNode maintain = inspect(DAG.resolveSibling("hallmark_maintain.py"), DS);
    JsonNode dag = maintain.get("dag");
    assertEquals("hallmark_maintain", dag.get("dag_id").asText());
    // minute hour day-of-month month day-of-week: once a week (Sunday 12:00), no catch-up of missed weeks
    assertTrue(dag.get("schedule").asText().matches("\\d+ \\d+ \\* \\* [0-6]"), dag.get("schedule").asText());
    assertFalse(dag.get("catchup").asBoolean());
    assertEquals(1, dag.get("max_active_runs").asInt());
    assertEquals(1, maintain.get("tasks").size());
    JsonNode task = maintain.get("tasks").get(0);
    JsonNode nightly = inspected.get("tasks").get(0);
    assertEquals("maintain", task.get("task_id").asText());
    assertTrue(task.get("retries").asInt() >= 1, "exit 1 is retried");
    assertEquals(nightly.get("application"), task.get("application"));
    assertEquals(nightly.get("conn_id"), task.get("conn_id"));
    assertEquals(nightly.get("conf"), task.get("conf"));
    String argv = String.join(" ", strings(task.get("argv")));
    assertTrue(argv.contains(" --deploy-mode client "), argv);
    List<String> args = strings(task.get("application_args"));
    assertEquals(List.of("maintain", "--conf-file", ROOT.resolve("conf/cluster.conf").toString()), args);
    Outcome help = execute(List.of("maintain", "--help"));
    assertEquals(0, help.code(), help.out());
    assertTrue(help.out().contains("--dry-run") && help.out().contains("VACUUM"), help.out());
    List<String> wrong = new ArrayList<>(args);
    wrong.add("--retention-hours=0");
    assertEquals(2, execute(wrong).code(), "an unknown option is bad usage");
    assertEquals(Map.of("0", "ok", "1", "AirflowException", "2", "AirflowFailException", "137", "AirflowException",
        "2-message-only", "AirflowFailException", "no-code", "FileNotFoundError"),
        new ObjectMapper().convertValue(task.get("outcomes"), Map.class));
  }
}
