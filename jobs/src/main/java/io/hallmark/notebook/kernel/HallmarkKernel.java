package io.hallmark.notebook.kernel;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.ExpressionSnippet;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.VarSnippet;
import org.apache.spark.sql.SparkSession;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.HelpLink;
import org.dflib.jjava.jupyter.kernel.JupyterIO;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;
import org.dflib.jjava.jupyter.kernel.util.TextColor;

/**
 * Hallmark's Jupyter kernel: Java cells evaluated by the JDK's JShell in this JVM (local execution),
 * so every cell sees the kernel's class path (Hallmark's jar, Spark, Delta, JFreeChart) and the one
 * Spark session {@code Lakehouse.open} starts or reuses. Built on JJava's Jupyter messaging library
 * ({@code org.dflib.jjava:jjava-jupyter}).
 *
 * <p>A cell is split into JShell snippets and run in order; the first rejected snippet or exception
 * stops the cell with a {@link CellError} naming it. When the cell's last snippet is an expression
 * its value is the cell's result: a Dataset renders as an HTML table of its first rows
 * ({@code -Dhallmark.notebook.max-rows}, default 50), a {@link java.awt.image.RenderedImage} (the
 * {@code io.hallmark.notebook.Charts}) as a PNG, anything else as its text. {@code display(x)} shows a
 * value in the middle of a cell. A cell holding only {@code %reset} starts a fresh JShell (variables and
 * imports gone) and drops Spark's cached tables, keeping the session: how one kernel runs several
 * notebooks in a row.
 */
public final class HallmarkKernel extends BaseKernel {
  static final String VERSION = "0.1.0";
  /** Imports every cell has (JShell's own defaults come too). */
  static final List<String> STARTUP = List.of(
      "import static org.dflib.jjava.jupyter.kernel.BaseNotebookStatics.display;",
      "import static org.dflib.jjava.jupyter.kernel.BaseNotebookStatics.render;");

  private CapturingExecutionControl control;
  private JShell shell;

  public HallmarkKernel() {
    super("hallmark", VERSION,
        new LanguageInfo.Builder("java").version(Runtime.version().toString()).mimetype("text/x-java-source")
            .fileExtension(".jshell").pygments("java").codemirror("java").build(),
        List.<HelpLink>of(),
        null, new JupyterIO(StandardCharsets.UTF_8), new CommManager(), new Renderer(), null, new MagicsRegistry(),
        false,
        new StringStyler.Builder().addPrimaryStyle(TextColor.BOLD_RESET_FG).addSecondaryStyle(TextColor.BOLD_RED_FG)
            .addHighlightStyle(TextColor.BOLD_RESET_FG).addHighlightStyle(TextColor.RED_BG)
            .withLinePrefix(TextColor.BOLD_RESET_FG + "|   ").build());
    DatasetDisplay.register(getRenderer(), DatasetDisplay.maxRows());
    newShell();
  }

  /** Jupyter starts the kernel with the connection file it wrote: {@code HallmarkKernel <connection.json>}. */
  public static void main(String[] args) throws Exception {
    if (args.length != 1 || args[0].startsWith("-")) {
      System.err.println("[hallmark] ERROR: usage: HallmarkKernel CONNECTION_FILE (Jupyter starts the kernel; "
          + "install its spec with bin/hallmark notebook)");
      System.exit(2);
    }
    Path connectionFile = Path.of(args[0]);
    if (!Files.isRegularFile(connectionFile)) {
      System.err.println("[hallmark] ERROR: connection file not found: " + connectionFile
          + " (Jupyter writes it when it starts the kernel)");
      System.exit(2);
    }
    KernelConnectionProperties props = KernelConnectionProperties.parse(Files.readString(connectionFile));
    JupyterConnection connection = new JupyterConnection(props);
    HallmarkKernel kernel = new HallmarkKernel();
    kernel.onStartup();
    kernel.becomeHandlerForConnection(connection);
    connection.connect();
    connection.waitUntilClose();
    kernel.shell.close();
    System.exit(0);
  }

  private void newShell() {
    control = new CapturingExecutionControl();
    shell = JShell.builder()
        .executionEngine(CapturingExecutionControl.provider(control), java.util.Map.of())
        .out(System.out).err(System.err)
        .build();
    // the compiler sees what the JVM runs with (the classes themselves come from the JVM's own loader)
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!entry.isBlank()) {
        shell.addToClasspath(entry);
      }
    }
    for (String imp : STARTUP) {
      shell.eval(imp);
    }
  }

  /** A fresh JShell (no variables, no imports but the startup ones) on the same Spark session, cache dropped. */
  public void reset() {
    shell.close();
    scala.Option<SparkSession> spark = SparkSession.getDefaultSession();
    if (spark.isDefined()) {
      spark.get().catalog().clearCache();
    }
    newShell();
  }

  @Override
  public Object evalRaw(String source) {
    if (source.strip().equals("%reset")) {
      reset();
      return null;
    }
    try {
      return evalCell(source);
    } finally {
      control.clearValues();
    }
  }

  private Object evalCell(String source) {
    SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
    Object result = null;
    String remaining = source;
    int snippet = 0;
    while (!remaining.isBlank()) {
      SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
      if (info.completeness() == SourceCodeAnalysis.Completeness.EMPTY) {
        break;
      }
      snippet++;
      if (!info.completeness().isComplete()) {
        throw new CellError("snippet " + snippet + " is incomplete (a missing ';', brace or parenthesis?): "
            + firstLine(remaining));
      }
      result = null;
      for (SnippetEvent event : shell.eval(info.source())) {
        if (event.causeSnippet() != null) {
          continue; // a dependent snippet updated by this one
        }
        check(snippet, info.source(), event);
        Object value = control.take(event.value());
        if (isExpression(event.snippet())) {
          result = value;
        }
      }
      remaining = info.remaining();
    }
    return result;
  }

  private void check(int snippet, String source, SnippetEvent event) {
    Throwable ex = event.exception();
    if (ex instanceof EvalException ee) {
      throw new CellError("snippet " + snippet + " threw " + ee.getExceptionClassName()
          + (ee.getMessage() == null ? "" : ": " + ee.getMessage()) + "\n  in: " + firstLine(source),
          ee.getStackTrace(), ee.getCause());
    }
    if (ex instanceof UnresolvedReferenceException ure) {
      throw new CellError("snippet " + snippet + " uses what is not defined: "
          + String.join(", ", shell.unresolvedDependencies(ure.getSnippet()).toList()) + "\n  in: " + firstLine(source));
    }
    if (ex != null) {
      throw new CellError("snippet " + snippet + " failed: " + ex + "\n  in: " + firstLine(source), ex.getStackTrace(), ex);
    }
    Snippet.Status status = event.status();
    if (status == Snippet.Status.REJECTED || status == Snippet.Status.RECOVERABLE_NOT_DEFINED
        || status == Snippet.Status.RECOVERABLE_DEFINED) {
      String diagnostics = shell.diagnostics(event.snippet()).map((Diag d) -> d.getMessage(null))
          .collect(Collectors.joining("; "));
      String unresolved = event.snippet() instanceof DeclarationSnippet d
          ? String.join(", ", shell.unresolvedDependencies(d).toList()) : "";
      throw new CellError("snippet " + snippet + " does not compile: " + diagnostics
          + (unresolved.isEmpty() ? "" : " (not defined: " + unresolved + ")") + "\n  in: " + firstLine(source));
    }
  }

  /** An expression statement, or the temporary variable ($1) JShell makes of one. */
  private static boolean isExpression(Snippet s) {
    return s instanceof ExpressionSnippet
        || (s instanceof VarSnippet v && v.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND);
  }

  private static String firstLine(String source) {
    String s = source.strip();
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl) + " ...";
  }

  @Override
  public DisplayData inspect(String code, int at, boolean extraDetail) {
    List<SourceCodeAnalysis.Documentation> docs = shell.sourceCodeAnalysis().documentation(code, at, extraDetail);
    if (docs.isEmpty()) {
      return null;
    }
    return new DisplayData(docs.stream()
        .map(d -> d.signature() + (d.javadoc() == null ? "" : "\n" + d.javadoc()))
        .collect(Collectors.joining("\n\n")));
  }

  @Override
  public ReplacementOptions complete(String code, int at) {
    int[] anchor = new int[1];
    List<String> options = shell.sourceCodeAnalysis().completionSuggestions(code, at, anchor).stream()
        .filter(SourceCodeAnalysis.Suggestion::matchesType)
        .map(SourceCodeAnalysis.Suggestion::continuation).distinct().toList();
    if (options.isEmpty()) {
      options = shell.sourceCodeAnalysis().completionSuggestions(code, at, anchor).stream()
          .map(SourceCodeAnalysis.Suggestion::continuation).distinct().toList();
    }
    return options.isEmpty() ? null : new ReplacementOptions(options, anchor[0], at);
  }

  @Override
  public String isComplete(String code) {
    SourceCodeAnalysis.CompletionInfo info = shell.sourceCodeAnalysis().analyzeCompletion(code);
    while (info.completeness().isComplete() && !info.remaining().isBlank()) {
      info = shell.sourceCodeAnalysis().analyzeCompletion(info.remaining());
    }
    return switch (info.completeness()) {
      case COMPLETE, COMPLETE_WITH_SEMI, EMPTY -> IS_COMPLETE_YES;
      case DEFINITELY_INCOMPLETE, CONSIDERED_INCOMPLETE -> "    ";
      case UNKNOWN -> IS_COMPLETE_BAD;
    };
  }

  @Override
  public void interrupt() {
    shell.stop();
  }

  @Override
  public void onShutdown(boolean isRestarting) {
    super.onShutdown(isRestarting);
  }

  /** The kernel's JShell (tests). */
  JShell shell() {
    return shell;
  }
}
