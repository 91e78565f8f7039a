package io.hallmark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/hallmark notebook} as a data scientist runs it: the launcher installs the kernel spec and starts a
 * real Jupyter Notebook server on the notebooks folder, which then offers the Hallmark kernel (pointing at the
 * lake) and the project's notebooks; without Jupyter it exits 2 with the install hint. Runs the packaged jar
 * (failsafe, after {@code mvn package}); Jupyter comes from bin/test's Debian packages. No Spark starts: the
 * kernel JVM is only launched when a notebook runs (NotebooksThroughJupyterTest does that).
 */
class NotebookCommandIT {
  private static final Path ROOT = Path.of(System.getProperty("hallmark.project.root", "..")).toAbsolutePath().normalize();
  private static final String TOKEN = "notebook-command-it";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;

  @Test
  void startsJupyterOnTheNotebooksWithTheHallmarkKernelForTheLake() throws Exception {
    Path lake = Files.createDirectories(tmp.resolve("lake"));
    Path jupyterDirs = Files.createDirectories(tmp.resolve("jupyter"));
    Path config = Files.createDirectories(jupyterDirs.resolve("config"));
    // CI runs as root, where Jupyter refuses to start unless told (a data scientist's account is not root)
    Files.writeString(config.resolve("jupyter_notebook_config.py"), "c.NotebookApp.allow_root = True\n");
    int port = freePort();
    Process launcher = launcher(jupyterDirs, "notebook", "--lake", lake.toString(), "--no-browser",
        "--port", String.valueOf(port), "--notebooks", ROOT.resolve("notebooks").toString());
    try {
      JsonNode specs = getJson(port, "/api/kernelspecs", launcher, Duration.ofSeconds(90));
      JsonNode hallmark = specs.path("kernelspecs").path("hallmark-java");
      assertTrue(hallmark.isObject(), "the server offers the hallmark-java kernel: " + specs);
      JsonNode spec = hallmark.path("spec");
      assertEquals("Hallmark (Java)", spec.path("display_name").asText());
      assertEquals("java", spec.path("language").asText());
      List<String> argv = new ArrayList<>();
      spec.path("argv").forEach(a -> argv.add(a.asText()));
      assertTrue(argv.contains("-Dhallmark.lake=" + lake), "the kernel reads the lake given by --lake: " + argv);
      assertTrue(argv.stream().anyMatch(a -> a.contains("hallmark-jobs.jar")), "Hallmark's jar on the kernel's class path");
      assertTrue(argv.contains("{connection_file}"), "Jupyter passes the kernel its connection file: " + argv);
      // the kernel spec went where Jupyter looks (JUPYTER_DATA_DIR), not into the user's home
      assertTrue(Files.isRegularFile(jupyterDirs.resolve("data/kernels/hallmark-java/kernel.json")));

      TreeSet<String> served = new TreeSet<>();
      getJson(port, "/api/contents", launcher, Duration.ofSeconds(10)).path("content")
          .forEach(f -> served.add(f.path("name").asText()));
      TreeSet<String> onDisk = new TreeSet<>();
      try (var files = Files.list(ROOT.resolve("notebooks"))) {
        files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".ipynb")).forEach(onDisk::add);
      }
      assertEquals(4, onDisk.size(), "the project ships four notebooks: " + onDisk);
      assertTrue(served.containsAll(onDisk), "the server shows the notebooks folder: " + served);
    } finally {
      stop(launcher);
    }
  }

  @Test
  void withoutJupyterItExitsTwoSayingHowToInstallIt() throws Exception {
    Path lake = Files.createDirectories(tmp.resolve("lake"));
    Process launcher = launcher(Files.createDirectories(tmp.resolve("jupyter")), "notebook", "--lake",
        lake.toString(), "--no-browser", "--jupyter", tmp.resolve("no-such-jupyter").toString());
    assertTrue(launcher.waitFor(120, TimeUnit.SECONDS), "the launcher answers without Jupyter");
    String output = Files.readString(tmp.resolve("launcher.log"));
    assertEquals(2, launcher.exitValue(), output);
    String error = output.lines().filter(l -> l.contains("jupyter not found")).findFirst().orElse("");
    assertTrue(error.contains("apt-get install jupyter-notebook") && error.contains("pip install notebook"),
        "one line says what is missing and how to install it: " + output);
  }

  private Process launcher(Path jupyterDirs, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(ROOT.resolve("bin/hallmark").toString()));
    command.addAll(List.of(args));
    // output to a file: a pipe nobody reads would block a chatty server
    ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
        .redirectOutput(tmp.resolve("launcher.log").toFile());
    Map<String, String> env = builder.environment();
    env.put("JUPYTER_TOKEN", TOKEN);
    env.put("JUPYTER_DATA_DIR", jupyterDirs.resolve("data").toString());
    env.put("JUPYTER_CONFIG_DIR", jupyterDirs.resolve("config").toString());
    env.put("JUPYTER_RUNTIME_DIR", jupyterDirs.resolve("runtime").toString());
    env.put("HALLMARK_JAVA_OPTS", "-Xmx256m");
    return builder.start();
  }

  /** GET on the server with the token, retried until it answers 200 (the server takes a few seconds to start). */
  private JsonNode getJson(int port, String path, Process launcher, Duration patience) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path + "?token=" + TOKEN))
        .timeout(Duration.ofSeconds(10)).build();
    long deadline = System.nanoTime() + patience.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      if (!launcher.isAlive()) {
        fail("bin/hallmark notebook exited with " + launcher.exitValue() + ": "
            + Files.readString(tmp.resolve("launcher.log")));
      }
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return JSON.readTree(response.body());
        }
        last = response.statusCode() + " " + response.body();
      } catch (ConnectException e) {
        last = "connection refused";
      }
      Thread.sleep(500);
    }
    throw new AssertionError("Jupyter did not answer " + path + " on port " + port + " within " + patience + ": " + last);
  }

  /** Stops Jupyter and the launcher (Jupyter is the launcher's child: stop it first, it would outlive the JVM). */
  private static void stop(Process launcher) throws InterruptedException {
    List<ProcessHandle> children = launcher.toHandle().descendants().toList();
    children.forEach(ProcessHandle::destroy);
    for (ProcessHandle child : children) {
      child.onExit().completeOnTimeout(null, 20, TimeUnit.SECONDS).join();
      child.destroyForcibly();
    }
    launcher.destroy();
    if (!launcher.waitFor(20, TimeUnit.SECONDS)) {
      launcher.destroyForcibly();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
