package io.hallmark.cli;

import io.hallmark.config.ConfigError;
import io.hallmark.config.HallmarkConfig;
import io.hallmark.config.JobFailure;
import io.hallmark.jobs.Console;
import io.hallmark.notebook.kernel.KernelSpec;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "notebook", mixinStandardHelpOptions = true,
    description = {
        "Installs the Hallmark Java kernel for Jupyter (kernel spec 'hallmark-java', \"Hallmark (Java)\", in"
            + " $(jupyter --data-dir)/kernels/) and starts Jupyter Notebook on the notebooks folder against the lake.",
        "The kernel runs JShell in a JVM with this launcher's JVM options (HALLMARK_JAVA_OPTS, the Java 17 opens) and"
            + " class path (Hallmark's jar, Spark, Delta); the notebooks read the lake from -Dhallmark.lake, which the"
            + " kernel spec sets to --lake (absolute). Stop Jupyter with Ctrl-C.",
        "Needs Jupyter: Debian 'apt-get install jupyter-notebook python3-nbclient jupyter-nbconvert', or"
            + " 'pip install notebook nbclient nbconvert'."})
public class NotebookCommand implements Callable<Integer> {
  static final String INSTALL_HINT = "install Jupyter: apt-get install jupyter-notebook python3-nbclient"
      + " jupyter-nbconvert (Debian) or pip install notebook nbclient nbconvert";

  @Mixin
  LakeOptions lakeOptions;

  @Option(names = "--port", paramLabel = "N", defaultValue = "8888",
      description = "Port of the notebook server (default: ${DEFAULT-VALUE}; Jupyter takes the next free one if it is busy).")
  int port;

  @Option(names = "--no-browser", description = "Do not open a browser (print the server's address only).")
  boolean noBrowser;

  @Option(names = "--notebooks", paramLabel = "DIR", defaultValue = "notebooks",
      description = "Folder of the notebooks (default: ${DEFAULT-VALUE}, from the repository root).")
  File notebooks;

  @Option(names = "--truth", paramLabel = "FILE",
      description = "The generator's ground truth for the calibration notebook (default: ground_truth.csv beside the"
          + " landing folder, when it is there).")
  File truth;

  @Option(names = "--install-only",
      description = "Only install (or update) the kernel spec, for JupyterLab or VS Code; do not start Jupyter.")
  boolean installOnly;

  @Option(names = "--jupyter", paramLabel = "COMMAND", defaultValue = "jupyter", hidden = true,
      description = "The jupyter command (tests).")
  String jupyter;

  @Override
  public Integer call() throws Exception {
    if (port < 1 || port > 65535) {
      throw new ConfigError("--port must be between 1 and 65535, got " + port);
    }
    HallmarkConfig config = lakeOptions.load();
    String lake = localOrUri(config.lake());
    if (!lake.contains("://") && !Files.isDirectory(Path.of(lake))) {
      throw new ConfigError("no lake at " + lake + ": run bin/hallmark demo first, or pass --lake DIR");
    }
    if (!installOnly && !notebooks.isDirectory()) {
      throw new ConfigError("no notebooks folder at " + notebooks.getAbsolutePath()
          + ": run from the repository root or pass --notebooks DIR");
    }
    Path dataDir = Path.of(ask(List.of(jupyter, "--data-dir")).strip());

    List<String> jvm = new ArrayList<>(launcherJvmOptions());
    jvm.add("-Dhallmark.lake=" + lake);
    File truthFile = truth != null ? truth : defaultTruth(config);
    if (truth != null && !truth.isFile()) {
      throw new ConfigError("ground-truth file not found: " + truth + " (check --truth)");
    }
    if (truthFile != null && truthFile.isFile()) {
      jvm.add("-Dhallmark.truth=" + truthFile.getAbsolutePath());
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Map<String, Object> spec = KernelSpec.content(java, jvm, System.getProperty("java.class.path"));
    Path written = KernelSpec.install(dataDir, spec);
    Console.info("kernel '" + KernelSpec.NAME + "' (" + KernelSpec.DISPLAY_NAME + ") installed: " + written);
    Console.info("lake: " + lake);
    if (installOnly) {
      return Hallmark.EXIT_OK;
    }
    ask(List.of(jupyter, "notebook", "--version"));
    List<String> command = new ArrayList<>(List.of(jupyter, "notebook",
        "--notebook-dir=" + notebooks.getAbsolutePath(), "--port=" + port));
    if (noBrowser) {
      command.add("--no-browser");
    }
    Console.info("starting: " + String.join(" ", command));
    Process server = new ProcessBuilder(command).inheritIO().start();
    // Ctrl-C reaches Jupyter too (same terminal): it asks to confirm and stops; wait for it instead of dying first
    sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> { });
    int code = server.waitFor();
    if (code != 0) {
      throw new JobFailure("jupyter notebook exited with " + code + " (see its output above)");
    }
    return Hallmark.EXIT_OK;
  }

  /** The launcher's own JVM options (heap, the Java 17 opens), minus what only made sense for it. */
  static List<String> launcherJvmOptions() {
    return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> !a.startsWith("-agentlib") && !a.startsWith("-javaagent") && !a.startsWith("-Dhallmark.lake=")
            && !a.startsWith("-Dhallmark.truth="))
        .toList();
  }

  private static File defaultTruth(HallmarkConfig config) {
    String landing = config.landing();
    if (landing.contains("://")) {
      return null;
    }
    Path parent = Path.of(landing).toAbsolutePath().normalize().getParent();
    return parent == null ? null : parent.resolve("ground_truth.csv").toFile();
  }

  /** A local path made absolute (the kernel starts in the notebook's folder); a URI as it is. */
  static String localOrUri(String lake) {
    if (lake.contains("://")) {
      return lake;
    }
    if (lake.startsWith("file:")) {
      return Path.of(URI.create(lake)).toString();
    }
    return Path.of(lake).toAbsolutePath().normalize().toString();
  }

  /** Runs a jupyter command and returns its stdout; missing or failing Jupyter is a configuration error. */
  private static String ask(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new ConfigError("'" + String.join(" ", command) + "' did not answer in 60 s; " + INSTALL_HINT);
      }
      if (p.exitValue() != 0) {
        String said = new String(out, StandardCharsets.UTF_8).strip();
        throw new ConfigError("'" + String.join(" ", command) + "' failed"
            + (said.isEmpty() ? "" : " (" + said.lines().reduce((a, b) -> b).orElse("") + ")") + "; " + INSTALL_HINT);
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigError("jupyter not found (" + command.get(0) + "); " + INSTALL_HINT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JobFailure("interrupted while running " + String.join(" ", command));
    }
  }
}
