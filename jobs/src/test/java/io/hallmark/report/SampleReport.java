package io.hallmark.report;

import static io.hallmark.testing.SparkTestSupport.spark;

import io.hallmark.config.HallmarkConfig;
import io.hallmark.jobs.StepResult;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The fixture lake and its report, built once per test JVM (the machine is small: building it per
 * test class would multiply the Spark work). Test classes only read it.
 */
public final class SampleReport {
  private static SampleReport instance;

  public final Path root;
  public final Path truth;
  public final HallmarkConfig config;
  public final Path out;
  public final StepResult result;

  private SampleReport() throws Exception {
    root = Files.createTempDirectory("hallmark-report-test");
    truth = ReportFixtures.buildLake(root);
    config = ReportFixtures.config(root).with("hallmark.report.top-sellers", 3);
    out = root.resolve("report");
    result = new ReportJob().write(spark(), config, ReportFixtures.RUN_DATE, out.toString());
  }

  public static synchronized SampleReport get() throws Exception {
    if (instance == null) {
      instance = new SampleReport();
    }
    return instance;
  }

  public String lake() {
    return config.lake();
  }
}
