package io.hallmark.nightly;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Child JVMs running the packaged jar the way users do (bin/hallmark locally, spark-submit on a
 * cluster). Integration tests only: the jar and Spark's class path come from `mvn package`, passed
 * by failsafe as system properties.
 */
final class ChildJvm {
  static final Path ROOT = Path.of(System.getProperty("hallmark.project.root", ".")).toAbsolutePath().normalize();

  private ChildJvm() {}

  static Path jobsJar() {
    Path jar = Path.of(System.getProperty("hallmark.jobs.jar", ROOT.resolve("jobs/target/hallmark-jobs.jar").toString()));
    assertTrue(Files.isRegularFile(jar), "the packaged jar is needed (run with mvn verify): " + jar);
    return jar;
  }

  /** Spark's jars, as the build lists them (spark-classpath.txt). */
  static List<Path> sparkJars() throws IOException {
    Path list = Path.of(System.getProperty("hallmark.spark.classpath",
        ROOT.resolve("jobs/target/spark-classpath.txt").toString()));
    assertTrue(Files.isRegularFile(list), "spark-classpath.txt is written by mvn package: " + list);
    List<Path> jars = new ArrayList<>();
    for (String entry : Files.readString(list).strip().split(java.io.File.pathSeparator)) {
      if (!entry.isBlank()) {
        jars.add(Path.of(entry));
      }
    }
    return jars;
  }

  /** Dependency jars of this test JVM (test scope: Spark's runtime-only jars too), without the test tools. */
  static List<Path> testClassPathJars() {
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<Path> jars = new ArrayList<>();
    for (String entry : cp.split(java.io.File.pathSeparator)) {
      Path p = Path.of(entry);
      String name = p.getFileName() == null ? "" : p.getFileName().toString();
      if (name.endsWith(".jar") && !name.matches("(junit|opentest4j|apiguardian|surefire|failsafe|common-java5).*")) {
        jars.add(p);
      }
    }
    return jars;
  }

  static List<String> java17Opens() {
    String opens = System.getProperty("hallmark.java17.opens", "");
    assertTrue(!opens.isBlank(), "system property hallmark.java17.opens (failsafe sets it from pom.xml)");
    return Arrays.asList(opens.trim().split("\\s+"));
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** java [opens] -Xmx.. -cp jar:spark-jars mainClass args... */
  static List<String> command(String heap, String mainClass, List<String> args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(java());
    cmd.add("-Xmx" + heap);
    cmd.addAll(java17Opens());
    StringBuilder cp = new StringBuilder(jobsJar().toString());
    for (Path jar : sparkJars()) {
      cp.append(java.io.File.pathSeparator).append(jar);
    }
    cmd.add("-cp");
    cmd.add(cp.toString());
    cmd.add(mainClass);
    cmd.addAll(args);
    return cmd;
  }

  /**
   * java [opens] -Xmx.. -cp (this test JVM's class path) mainClass args...: the classes under test as compiled,
   * no packaged jar needed, so a surefire test can run a real command in a child JVM.
   */
  static List<String> commandOnTestClassPath(String heap, String mainClass, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(java());
    cmd.add("-Xmx" + heap);
    cmd.addAll(java17Opens());
    cmd.add("-cp");
    cmd.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
    cmd.add(mainClass);
    cmd.addAll(args);
    return cmd;
  }

  /** Starts a process with stdout+stderr going to {@code log}. */
  static Process start(List<String> command, Path workDir, Path log, Map<String, String> env) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().putAll(env);
    return pb.start();
  }

  record Result(int exitCode, String output) {}

  /** Runs to completion (or kills it after the timeout and fails). */
  static Result run(List<String> command, Path workDir, Path log, Map<String, String> env, long timeoutSeconds)
      throws Exception {
    Process p = start(command, workDir, log, env);
    try {
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        throw new AssertionError("timed out after " + timeoutSeconds + " s: " + String.join(" ", command.subList(
            Math.max(0, command.size() - 8), command.size())) + "\n" + tail(log, 60));
      }
      return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } finally {
      stop(p);
    }
  }

  /** bin/hallmark's way: the jar and Spark's jars in one local JVM. */
  static Result hallmark(Path workDir, Path log, long timeoutSeconds, String... args) throws Exception {
    return run(command("1536m", "io.hallmark.cli.Hallmark", List.of(args)), workDir, log, Map.of(), timeoutSeconds);
  }

  static void stop(Process p) {
    if (p == null || !p.isAlive()) {
      return;
    }
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroy();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  static String tail(Path log, int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
