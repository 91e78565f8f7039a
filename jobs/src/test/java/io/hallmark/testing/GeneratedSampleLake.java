package io.hallmark.testing;

import static io.hallmark.testing.SparkTestSupport.spark;

import io.hallmark.config.HallmarkConfig;
import io.hallmark.generate.GeneratorOptions;
import io.hallmark.generate.SampleLakeGenerator;
import io.hallmark.ingest.IngestJob;
import io.hallmark.jobs.NightlyStep;
import io.hallmark.report.ReportJob;
import io.hallmark.risk.FeaturesJob;
import io.hallmark.risk.ScoreJob;
import io.hallmark.yearly.SilverJob;
import io.hallmark.yearly.YearlyStatsJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

/**
 * A freshly generated sample lake run through every nightly step once (generator's quick size:
 * 200 accounts, 2023-2024), built once per test JVM and only read by the tests that use it.
 */
public final class GeneratedSampleLake {
  public static final LocalDate RUN_DATE = LocalDate.parse("2024-12-31");
  private static GeneratedSampleLake instance;

  public final Path root;
  public final Path truth;
  public final HallmarkConfig config;

  private GeneratedSampleLake() throws Exception {
    root = Files.createTempDirectory("hallmark-generated-lake");
    GeneratorOptions options = GeneratorOptions.quick(root.resolve("landing"));
    SampleLakeGenerator.generate(options);
    truth = options.truthFile();
    config = HallmarkConfig.defaults()
        .with("hallmark.landing", root.resolve("landing").toString())
        .with("hallmark.lake", root.resolve("lake").toString())
        .with("hallmark.report.dir", root.resolve("reports").toString());
    for (NightlyStep step : List.of(new IngestJob(), new SilverJob(), new YearlyStatsJob(), new FeaturesJob(),
        new ScoreJob(), new ReportJob())) {
      step.run(spark(), config, RUN_DATE);
    }
  }

  public static synchronized GeneratedSampleLake get() throws Exception {
    if (instance == null) {
      instance = new GeneratedSampleLake();
    }
    return instance;
  }

  public String lake() {
    return config.lake();
  }
}
