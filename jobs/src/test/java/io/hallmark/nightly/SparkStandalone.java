package io.hallmark.nightly;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real Spark standalone cluster on 127.0.0.1: a Master and a Worker, each its own JVM, started from
 * the Spark jars the build already has. SPARK_HOME is a temp folder with jars/ (links to those jars)
 * and a RELEASE file, which is what Spark's launcher needs to build the executors' class path.
 * close() stops both (also on JVM exit: a shutdown hook), so no test leaves a JVM behind.
 */
final class SparkStandalone implements AutoCloseable {
  private final Path home;
  private final Path logs;
  private final int masterPort;
  private final List<Process> processes = new ArrayList<>();
  private final Thread stopOnExit = new Thread(this::stopAll, "spark-standalone-stop");

  private SparkStandalone(Path dir) throws IOException {
    this.home = Files.createDirectories(dir.resolve("spark-home"));
    this.logs = Files.createDirectories(dir.resolve("logs"));
    this.masterPort = freePort();
    Runtime.getRuntime().addShutdownHook(stopOnExit);
  }

  /** Starts a master and one worker (1 core, 1 GB) and waits until the worker is registered. */
  static SparkStandalone start(Path dir) throws Exception {
    SparkStandalone cluster = new SparkStandalone(dir);
    try {
      cluster.prepareHome();
      cluster.startMaster();
      cluster.startWorker();
      return cluster;
    } catch (Exception | Error e) {
      cluster.close();
      throw e;
    }
  }

  String masterUrl() {
    return "spark://127.0.0.1:" + masterPort;
  }

  Path home() {
    return home;
  }

  Path logs() {
    return logs;
  }

  private void prepareHome() throws IOException {
    Path jars = Files.createDirectories(home.resolve("jars"));
    List<Path> all = new ArrayList<>(ChildJvm.sparkJars());
    // Spark's runtime-scope dependencies (log4j-core, parquet-jackson, ...) are missing from the build's
    // compile-scope list (bin/hallmark gets them from the shaded jar); a distribution's jars/ has them.
    // The test JVM's class path (test scope) holds them all.
    all.addAll(ChildJvm.testClassPathJars());
    for (Path jar : all) {
      Path link = jars.resolve(jar.getFileName());
      if (!Files.exists(link)) {
        Files.createSymbolicLink(link, jar);
      }
    }
    // Spark's launcher treats a folder with RELEASE as an installed distribution (jars/ holds the class path)
    Files.writeString(home.resolve("RELEASE"), "Spark 4.2.0 (jars from the Hallmark build, for tests)\n");
  }

  private Map<String, String> env() {
    return Map.of("SPARK_HOME", home.toString(), "SPARK_SCALA_VERSION", "2.13", "SPARK_LOCAL_IP", "127.0.0.1");
  }

  private List<String> daemon(String mainClass, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ChildJvm.java());
    cmd.add("-Xmx256m");
    cmd.addAll(ChildJvm.java17Opens());
    cmd.add("-cp");
    cmd.add(home.resolve("jars") + "/*");
    cmd.add(mainClass);
    cmd.addAll(args);
    return cmd;
  }

  private void startMaster() throws Exception {
    Path log = logs.resolve("master.log");
    processes.add(ChildJvm.start(daemon("org.apache.spark.deploy.master.Master",
        List.of("--host", "127.0.0.1", "--port", String.valueOf(masterPort), "--webui-port", String.valueOf(freePort()))),
        home, log, env()));
    awaitLog(log, "I have been elected leader", 180);
  }

  private void startWorker() throws Exception {
    Path log = logs.resolve("worker.log");
    Path work = Files.createDirectories(home.resolve("work"));
    processes.add(ChildJvm.start(daemon("org.apache.spark.deploy.worker.Worker",
        List.of("--host", "127.0.0.1", "--cores", "1", "--memory", "1g", "--work-dir", work.toString(),
            "--webui-port", String.valueOf(freePort()), masterUrl())), home, log, env()));
    awaitLog(log, "Successfully registered with master", 180);
  }

  /**
   * spark-submit (SparkSubmit's main, client mode: the driver in this child JVM, executors on the
   * worker) of the jobs jar with Hallmark's CLI as the main class.
   */
  ChildJvm.Result submit(Path workDir, Path log, long timeoutSeconds, String... hallmarkArgs) throws Exception {
    List<String> args = new ArrayList<>(List.of(
        "--master", masterUrl(),
        "--deploy-mode", "client",
        "--class", "io.hallmark.cli.Hallmark",
        "--conf", "spark.driver.host=127.0.0.1",
        "--conf", "spark.executor.memory=768m",
        "--conf", "spark.cores.max=1",
        "--conf", "spark.executor.extraJavaOptions=" + String.join(" ", ChildJvm.java17Opens()),
        ChildJvm.jobsJar().toString()));
    args.addAll(List.of(hallmarkArgs));
    return ChildJvm.run(ChildJvm.command("1536m", "org.apache.spark.deploy.SparkSubmit", args), workDir, log, env(),
        timeoutSeconds);
  }

  private void awaitLog(Path log, String marker, long timeoutSeconds) throws Exception {
    long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains(marker)) {
        return;
      }
      for (Process p : processes) {
        if (!p.isAlive()) {
          throw new AssertionError("a cluster process exited (" + p.exitValue() + "):\n" + ChildJvm.tail(log, 40));
        }
      }
      Thread.sleep(250);
    }
    throw new AssertionError("no '" + marker + "' within " + timeoutSeconds + " s:\n" + ChildJvm.tail(log, 40));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private void stopAll() {
    // worker first (it also stops its executors), then the master
    for (int i = processes.size() - 1; i >= 0; i--) {
      ChildJvm.stop(processes.get(i));
    }
  }

  @Override
  public void close() {
    stopAll();
    try {
      Runtime.getRuntime().removeShutdownHook(stopOnExit);
    } catch (IllegalStateException e) {
      // already shutting down: the hook does it
    }
  }
}
