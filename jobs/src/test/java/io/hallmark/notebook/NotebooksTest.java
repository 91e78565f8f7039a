package io.hallmark.notebook;

import static io.hallmark.testing.SparkTestSupport.spark;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hallmark.report.ReportFixtures;
import io.hallmark.report.SampleReport;
import io.hallmark.testing.GeneratedSampleLake;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every notebook in notebooks/ top to bottom the way JJava does: each code cell's source is
 * split into snippets and evaluated in JShell, here with the local execution engine so the cells
 * share this JVM's classpath and Spark session. Any rejected snippet or exception fails the build,
 * naming the notebook and the cell.
 */
class NotebooksTest {
  static final Path NOTEBOOKS = Path.of(System.getProperty("hallmark.project.root", ".."), "notebooks");
  static final List<String> EXPECTED = List.of(
      "01-yearly-statistics-and-restatements.ipynb", "02-riskiest-sellers.ipynb",
      "03-calibrate-band-thresholds.ipynb", "04-compare-model-versions.ipynb");

  @Test
  void theFourNotebooksArePresentWithTheJJavaKernel() throws Exception {
    try (Stream<Path> files = Files.list(NOTEBOOKS)) {
      assertEquals(EXPECTED, files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".ipynb")).sorted().toList());
    }
    for (String name : EXPECTED) {
      JsonNode kernel = new ObjectMapper().readTree(NOTEBOOKS.resolve(name).toFile()).path("metadata").path("kernelspec");
      assertEquals("java", kernel.path("name").asText(), name);
      assertEquals("java", kernel.path("language").asText(), name);
    }
  }

  @TestFactory
  List<DynamicTest> everyNotebookRunsTopToBottom() throws Exception {
    SampleReport sample = SampleReport.get();
    List<DynamicTest> tests = new ArrayList<>();
    for (String name : EXPECTED) {
      tests.add(DynamicTest.dynamicTest(name, () -> {
        System.setProperty("hallmark.lake", sample.lake());
        System.setProperty("hallmark.truth", sample.truth.toString());
        System.setProperty("hallmark.run-date", ReportFixtures.RUN_DATE.toString());
        String output = run(NOTEBOOKS.resolve(name));
        assertTrue(output.contains("scores as of") || output.contains("publications of yearly_stats")
            || output.contains("comparing"), name + " printed nothing expected:\n" + output);
      }));
    }
    return tests;
  }

  /** The same notebooks against a lake made by the generator and the real nightly steps. */
  @TestFactory
  List<DynamicTest> everyNotebookRunsOnAFreshlyGeneratedLake() throws Exception {
    GeneratedSampleLake generated = GeneratedSampleLake.get();
    List<DynamicTest> tests = new ArrayList<>();
    for (String name : EXPECTED) {
      tests.add(DynamicTest.dynamicTest(name, () -> {
        System.setProperty("hallmark.lake", generated.lake());
        System.setProperty("hallmark.truth", generated.truth.toString());
        System.setProperty("hallmark.run-date", GeneratedSampleLake.RUN_DATE.toString());
        String output = run(NOTEBOOKS.resolve(name));
        assertTrue(output.contains("scores as of") || output.contains("publications of yearly_stats")
            || output.contains("comparing"), name + " printed nothing expected:\n" + output);
      }));
    }
    return tests;
  }

  @Test
  void aFailingCellFailsNamingNotebookAndCell() throws Exception {
    Path broken = Files.createTempFile("broken", ".ipynb");
    Files.writeString(broken, "{\"cells\":[{\"cell_type\":\"code\",\"source\":[\"int x = 1;\"]},"
        + "{\"cell_type\":\"markdown\",\"source\":[\"text\"]},"
        + "{\"cell_type\":\"code\",\"source\":[\"int y = x + 1;\\n\", \"Object o = null; o.toString();\"]}],"
        + "\"metadata\":{},\"nbformat\":4,\"nbformat_minor\":5}");
    AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> run(broken));
    assertTrue(e.getMessage().contains(broken.getFileName() + ", code cell 2"), e.getMessage());
    assertTrue(e.getMessage().contains("NullPointerException"), e.getMessage());
    Files.writeString(broken, "{\"cells\":[{\"cell_type\":\"code\",\"source\":[\"int x = undefinedThing;\"]}],"
        + "\"metadata\":{},\"nbformat\":4,\"nbformat_minor\":5}");
    AssertionError rejected = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> run(broken));
    assertTrue(rejected.getMessage().contains("code cell 1") && rejected.getMessage().contains("undefinedThing"),
        rejected.getMessage());
  }

  @Test
  void cellsShareThisJvmsSparkSession() throws Exception {
    spark();
    try (JShell shell = shell(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))) {
      List<SnippetEvent> events = shell.eval("System.identityHashCode(org.apache.spark.sql.SparkSession.getDefaultSession().get())");
      assertEquals(String.valueOf(System.identityHashCode(spark())), events.get(0).value());
    }
  }

  /** Evaluates every code cell in order; returns what the cells printed. */
  static String run(Path notebook) throws Exception {
    JsonNode cells = new ObjectMapper().readTree(notebook.toFile()).path("cells");
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
    PrintStream console = System.out;
    try (JShell shell = shell(out)) {
      int codeCell = 0;
      for (JsonNode cell : cells) {
        if (!cell.path("cell_type").asText().equals("code")) {
          continue;
        }
        codeCell++;
        String where = notebook.getFileName() + ", code cell " + codeCell;
        String source = source(cell);
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        String remaining = source;
        while (!remaining.isBlank()) {
          SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
          if (info.completeness() == SourceCodeAnalysis.Completeness.EMPTY) {
            break;
          }
          if (!info.completeness().isComplete()) {
            fail(where + ": incomplete code: " + remaining);
          }
          // cell output goes to this test's log as well, so a reader sees the notebook's tables
          System.setOut(out);
          try {
            check(shell, where, info.source(), shell.eval(info.source()));
          } finally {
            System.setOut(console);
          }
          remaining = info.remaining();
        }
      }
    }
    String text = printed.toString(StandardCharsets.UTF_8);
    console.println("---- " + notebook.getFileName() + " ----\n" + text);
    return text;
  }

  private static void check(JShell shell, String where, String snippet, List<SnippetEvent> events) {
    for (SnippetEvent event : events) {
      if (event.exception() != null) {
        Throwable ex = event.exception();
        String type = ex instanceof EvalException ee ? ee.getExceptionClassName() : ex.getClass().getName();
        fail(where + ": " + type + ": " + ex.getMessage() + "\n  in: " + snippet.strip());
      }
      Snippet.Status status = event.status();
      if (status == Snippet.Status.REJECTED || status == Snippet.Status.RECOVERABLE_NOT_DEFINED
          || status == Snippet.Status.RECOVERABLE_DEFINED) {
        String diagnostics = shell.diagnostics(event.snippet())
            .map((Diag d) -> d.getMessage(null)).collect(Collectors.joining("; "));
        String unresolved = event.snippet() instanceof DeclarationSnippet d
            ? shell.unresolvedDependencies(d).collect(Collectors.joining(", ")) : "";
        fail(where + ": snippet " + status + ": " + diagnostics + " " + unresolved + "\n  in: " + snippet.strip());
      }
    }
  }

  static JShell shell(PrintStream out) {
    JShell shell = JShell.builder().executionEngine("local").out(out).err(out).build();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      shell.addToClasspath(entry);
    }
    return shell;
  }

  private static String source(JsonNode cell) {
    JsonNode src = cell.path("source");
    if (src.isTextual()) {
      return src.asText();
    }
    StringBuilder text = new StringBuilder();
    src.forEach(line -> text.append(line.asText()));
    return text.toString();
  }
}
