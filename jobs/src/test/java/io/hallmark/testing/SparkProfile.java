package io.hallmark.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.StageInfo;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A measuring tool, not a test: where a test's wall time goes in production code. While it runs, a
 * sampler reads the test thread's stack every {@link #SAMPLE_MILLIS} ms and charges the sample to the
 * innermost Hallmark production frame (and to the outermost one, the "step"), split into time waiting
 * for a Spark job and time on the driver (planning, code generation, Delta log work, listing); a
 * SparkListener counts the Spark jobs per Hallmark call site (from the result stage's call site) and
 * their wall time.
 *
 * <p>Off unless asked for: {@code -Dhallmark.profile=true -Djunit.jupiter.extensions.autodetection.enabled=true}
 * on the surefire command line profiles every test method of the classes run (the extension is listed in
 * META-INF/services); the report goes to stdout and to {@code target/profile/<class>.<method>.txt}.
 */
public final class SparkProfile {
  static final int SAMPLE_MILLIS = 5;

  private final Thread target;
  private final SparkSession spark;
  private final Listener listener = new Listener();
  private final Map<String, long[]> bySite = new HashMap<>(); // site -> [job samples, driver samples]
  private final Map<String, long[]> byStep = new HashMap<>();
  private final Map<String, Long> byDriverKind = new HashMap<>();
  private volatile boolean running = true;
  private final Thread sampler;
  private final long startNanos = System.nanoTime();
  private long samples;

  private SparkProfile(Thread target, SparkSession spark) {
    this.target = target;
    this.spark = spark;
    // Spark keeps only 20 frames of a job's call site: Delta's own frames alone can take them all
    System.setProperty("spark.callstack.depth", "400");
    spark.sparkContext().addSparkListener(listener);
    sampler = new Thread(this::sample, "hallmark-profile-sampler");
    sampler.setDaemon(true);
    sampler.start();
  }

  /** Starts profiling the calling thread on the shared test session. */
  public static SparkProfile start() {
    return new SparkProfile(Thread.currentThread(), SparkTestSupport.spark());
  }

  private void sample() {
    while (running) {
      StackTraceElement[] stack = target.getStackTrace();
      record(stack);
      try {
        Thread.sleep(SAMPLE_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private synchronized void record(StackTraceElement[] stack) {
    samples++;
    boolean inJob = false;
    String inner = null;
    String outer = null;
    for (StackTraceElement f : stack) {
      String c = f.getClassName();
      if (c.startsWith("org.apache.spark.scheduler.JobWaiter") || c.startsWith("org.apache.spark.scheduler.DAGScheduler")) {
        inJob = true;
      }
      if (Production.is(c)) {
        if (inner == null) {
          inner = site(f);
        }
        outer = simple(c);
      }
    }
    String site = inner == null ? "(test code)" : inner;
    int k = inJob ? 0 : 1;
    bySite.computeIfAbsent(site, s -> new long[2])[k]++;
    byStep.computeIfAbsent(outer == null ? "(test code)" : outer, s -> new long[2])[k]++;
    if (!inJob) {
      byDriverKind.merge(driverKind(stack), 1L, Long::sum);
    }
  }

  /** What the driver is doing, from the first frame that names a recognisable part of Spark/Delta/Hadoop. */
  private static String driverKind(StackTraceElement[] stack) {
    for (StackTraceElement f : stack) {
      String c = f.getClassName();
      if (c.contains(".codegen.") || c.contains("janino") || c.contains("codehaus")) {
        return "code generation";
      }
      if (c.startsWith("org.apache.hadoop.fs") || c.startsWith("java.io.") || c.startsWith("sun.nio.fs")
          || c.startsWith("java.nio.file")) {
        return "file system";
      }
      if (c.startsWith("org.apache.spark.sql.delta.") && (c.contains("Snapshot") || c.contains("DeltaLog")
          || c.contains("LogSegment") || c.contains("Checkpoint"))) {
        return "delta log/snapshot";
      }
      if (c.startsWith("org.apache.spark.sql.catalyst.analysis")) {
        return "analysis";
      }
      if (c.startsWith("org.apache.spark.sql.catalyst.optimizer") || c.contains("Optimizer")) {
        return "optimizer";
      }
      if (c.startsWith("org.apache.spark.sql.execution.SparkStrategies")
          || c.startsWith("org.apache.spark.sql.execution.QueryExecution")
          || c.startsWith("org.apache.spark.sql.catalyst.planning")) {
        return "planning";
      }
      if (c.startsWith("org.apache.spark.sql.delta.")) {
        return "delta (other)";
      }
    }
    return "other";
  }

  private static String site(StackTraceElement f) {
    return simple(f.getClassName()) + "." + f.getMethodName() + ":" + f.getLineNumber();
  }

  private static String simple(String className) {
    String s = className.substring(className.lastIndexOf('.') + 1);
    int lambda = s.indexOf('$');
    return lambda > 0 ? s.substring(0, lambda) : s;
  }

  /** Stops sampling and listening; the report. */
  public String stop() {
    running = false;
    try {
      sampler.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // let the listener bus deliver the last job ends
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    spark.sparkContext().removeSparkListener(listener);
    return report();
  }

  private synchronized String report() {
    double wall = (System.nanoTime() - startNanos) / 1e9;
    double perSample = samples == 0 ? 0 : wall / samples;
    StringBuilder out = new StringBuilder();
    long jobs = listener.jobs.size();
    double jobSeconds = listener.jobs.values().stream().mapToDouble(j -> j.seconds).sum();
    out.append(String.format(Locale.ROOT, "profile: %.1f s wall, %d Spark jobs (%.1f s of job time), %d samples%n",
        wall, jobs, jobSeconds, samples));
    out.append("by step (outermost production class): total s / waiting for jobs s / driver s\n");
    table(out, byStep, perSample, 20);
    out.append("driver time by kind: s\n");
    byDriverKind.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(e -> out.append(String.format(Locale.ROOT, "  %8.2f  %s%n", e.getValue() * perSample, e.getKey())));
    out.append("by site (innermost production frame): total s / jobs s / driver s, then Spark jobs started there (count, job s)\n");
    Map<String, double[]> jobsBySite = new HashMap<>();
    for (Job j : listener.jobs.values()) {
      double[] a = jobsBySite.computeIfAbsent(j.site, s -> new double[2]);
      a[0]++;
      a[1] += j.seconds;
    }
    List<Map.Entry<String, long[]>> sites = new ArrayList<>(bySite.entrySet());
    sites.sort(Comparator.comparingLong((Map.Entry<String, long[]> e) -> e.getValue()[0] + e.getValue()[1]).reversed());
    for (Map.Entry<String, long[]> e : sites.subList(0, Math.min(40, sites.size()))) {
      long[] v = e.getValue();
      double[] j = jobsBySite.getOrDefault(e.getKey(), new double[2]);
      out.append(String.format(Locale.ROOT, "  %7.2f %7.2f %7.2f  %4d jobs %6.2f s  %s%n", (v[0] + v[1]) * perSample,
          v[0] * perSample, v[1] * perSample, (long) j[0], j[1], e.getKey()));
    }
    out.append("Spark jobs by call site (count, job s, description of the first)\n");
    Map<String, List<Job>> grouped = new LinkedHashMap<>();
    listener.jobs.values().stream().sorted(Comparator.comparingInt(j -> j.id))
        .forEach(j -> grouped.computeIfAbsent(j.site, s -> new ArrayList<>()).add(j));
    grouped.entrySet().stream()
        .sorted(Comparator.comparingInt((Map.Entry<String, List<Job>> e) -> e.getValue().size()).reversed())
        .limit(40)
        .forEach(e -> out.append(String.format(Locale.ROOT, "  %4d %7.2f  %s  [%s]%n", e.getValue().size(),
            e.getValue().stream().mapToDouble(j -> j.seconds).sum(), e.getKey(), e.getValue().get(0).description)));
    return out.toString();
  }

  private static void table(StringBuilder out, Map<String, long[]> rows, double perSample, int limit) {
    rows.entrySet().stream()
        .sorted(Comparator.comparingLong((Map.Entry<String, long[]> e) -> e.getValue()[0] + e.getValue()[1]).reversed())
        .limit(limit)
        .forEach(e -> out.append(String.format(Locale.ROOT, "  %7.2f %7.2f %7.2f  %s%n",
            (e.getValue()[0] + e.getValue()[1]) * perSample, e.getValue()[0] * perSample, e.getValue()[1] * perSample,
            e.getKey())));
  }

  private static final class Job {
    final int id;
    final String site;
    final String description;
    final long start;
    double seconds;

    Job(int id, String site, String description, long start) {
      this.id = id;
      this.site = site;
      this.description = description;
      this.start = start;
    }
  }

  private static final class Listener extends SparkListener {
    final Map<Integer, Job> jobs = new ConcurrentHashMap<>();

    @Override
    public void onJobStart(SparkListenerJobStart start) {
      StageInfo last = null;
      for (StageInfo s : scala.jdk.javaapi.CollectionConverters.asJava(start.stageInfos())) {
        if (last == null || s.stageId() > last.stageId()) {
          last = s;
        }
      }
      String site = "(no production frame)";
      String description = last == null ? "" : last.name();
      if (last != null) {
        for (String line : last.details().split("\n")) {
          String frame = line.trim();
          int paren = frame.indexOf('(');
          String method = paren > 0 ? frame.substring(0, paren) : frame;
          int dot = method.lastIndexOf('.');
          String cls = dot > 0 ? method.substring(0, dot) : method;
          if (Production.is(cls)) {
            site = simple(cls) + "." + method.substring(dot + 1) + ":"
                + (paren > 0 ? frame.substring(frame.lastIndexOf(':') + 1).replace(")", "") : "?");
            break;
          }
        }
      }
      String jobDescription = start.properties() == null ? null : start.properties().getProperty("spark.job.description");
      jobs.put(start.jobId(), new Job(start.jobId(), site, jobDescription != null ? jobDescription : description,
          start.time()));
    }

    @Override
    public void onJobEnd(SparkListenerJobEnd end) {
      Job j = jobs.get(end.jobId());
      if (j != null) {
        j.seconds = (end.time() - j.start) / 1000.0;
      }
    }
  }

  /** Whether a class is Hallmark production code (main, not test classes). */
  static final class Production {
    private static final Map<String, Boolean> CACHE = new ConcurrentHashMap<>();

    static boolean is(String className) {
      if (!className.startsWith("io.hallmark.")) {
        return false;
      }
      return CACHE.computeIfAbsent(className.contains("$") ? className.substring(0, className.indexOf('$')) : className,
          c -> {
            try {
              Class<?> k = Class.forName(c, false, SparkProfile.class.getClassLoader());
              String where = String.valueOf(k.getProtectionDomain().getCodeSource().getLocation());
              return !where.contains("test-classes");
            } catch (ClassNotFoundException | RuntimeException | LinkageError e) {
              return false;
            }
          });
    }
  }

  /** Profiles each test method when {@code -Dhallmark.profile=true}; registered by autodetection. */
  public static final class Extension implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SparkProfile.class);

    @Override
    public void beforeEach(ExtensionContext context) {
      if (Boolean.getBoolean("hallmark.profile")) {
        context.getStore(NS).put("profile", SparkProfile.start());
      }
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
      SparkProfile profile = context.getStore(NS).remove("profile", SparkProfile.class);
      if (profile == null) {
        return;
      }
      String name = context.getRequiredTestClass().getSimpleName() + "." + context.getRequiredTestMethod().getName();
      String report = "== " + name + "\n" + profile.stop();
      System.out.println(report);
      Path dir = Path.of("target", "profile");
      Files.createDirectories(dir);
      Files.writeString(dir.resolve(name + ".txt"), report, StandardCharsets.UTF_8);
    }
  }
}
