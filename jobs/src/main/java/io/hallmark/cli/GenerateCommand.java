package io.hallmark.cli;

import io.hallmark.config.ConfigError;
import io.hallmark.config.HallmarkConfig;
import io.hallmark.generate.GenerationSummary;
import io.hallmark.generate.GeneratorOptions;
import io.hallmark.generate.SampleLakeGenerator;
import io.hallmark.jobs.Console;
import java.io.File;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "generate", mixinStandardHelpOptions = true,
    description = "Write a sample landing zone (all contract tables) and a ground-truth file.")
public class GenerateCommand implements Callable<Integer> {
  @Option(names = {"--out", "--landing"}, paramLabel = "DIR",
      description = "Landing zone to write (default: hallmark.landing of the config, ./landing).")
  Path out;

  @Option(names = "--conf-file", paramLabel = "FILE", description = "Settings file; only its landing folder is used.")
  File confFile;

  @Option(names = "--truth", paramLabel = "FILE",
      description = "Ground-truth CSV, outside the landing zone (default: <out>/../ground_truth.csv); "
          + "the noise manifest is written beside it as noise_manifest.csv.")
  Path truth;

  @Option(names = "--accounts", paramLabel = "N", defaultValue = "3000", description = "Seller accounts (default: ${DEFAULT-VALUE}).")
  int accounts;

  @Option(names = "--from", paramLabel = "YEAR", defaultValue = "2020", description = "First year (default: ${DEFAULT-VALUE}).")
  int fromYear;

  @Option(names = "--to", paramLabel = "YEAR", defaultValue = "2024", description = "Last year (default: ${DEFAULT-VALUE}).")
  int toYear;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Random seed; same seed, same bytes (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--stealth", description = "Stealthier rings: less external traffic, prices closer to list, fewer shared fingerprints.")
  boolean stealth;

  @Option(names = "--hiding", description = "Rings that hide harder: short-lived storefronts opened one after another,"
      + " priced like an authorised reseller, mostly search traffic, few complaints yet, their own cards and devices"
      + " (only a forwarding address or the handle links them).")
  boolean hiding;

  @Option(names = "--noise-rate", paramLabel = "SHARE", defaultValue = "0.01",
      description = "Share of records given a noisy variant (bad line, duplicate, unknown field); 0 = clean (default: ${DEFAULT-VALUE}).")
  double noiseRate;

  @Option(names = "--layout", paramLabel = "DAILY|MONTHLY", defaultValue = "DAILY",
      description = "Sub-folder per arrival day (dt=YYYY-MM-DD, default) or per arrival month (month=YYYY-MM: "
          + "fewer files, for quick tests).")
  GeneratorOptions.Layout layout;

  @Option(names = "--force", description = "Allow a non-empty --out: its table folders are deleted first.")
  boolean force;

  /** The sample generator writes the local disk only: a configured landing URI elsewhere is bad usage. */
  private static Path localLanding(String landing) {
    if (landing.startsWith("file:")) {
      return Path.of(java.net.URI.create(landing));
    }
    if (io.hallmark.config.HadoopFiles.hasScheme(landing)) {
      throw new io.hallmark.config.ConfigError("generate writes a local folder, but hallmark.landing is " + landing
          + ": pass --out DIR (then copy the folder to the store, e.g. with hadoop distcp)");
    }
    return Path.of(landing);
  }

  @Override
  public Integer call() {
    Path landing = out != null ? out : localLanding(HallmarkConfig.load(confFile, Map.of()).landing());
    if (stealth && hiding) {
      throw new ConfigError("--stealth and --hiding are two behaviours of the rings; choose one");
    }
    GeneratorOptions.Rings rings = hiding ? GeneratorOptions.Rings.HIDING
        : stealth ? GeneratorOptions.Rings.STEALTH : GeneratorOptions.Rings.PLAIN;
    GeneratorOptions options = new GeneratorOptions(landing, truth, accounts, fromYear, toYear, seed, rings,
        noiseRate, force, layout);
    Console.info("generating " + accounts + " accounts, " + fromYear + ".." + toYear + ", seed " + seed
        + (stealth ? ", stealth rings" : "") + (hiding ? ", hiding rings" : "") + ", noise rate " + noiseRate + " into " + landing.toAbsolutePath().normalize());
    GenerationSummary s = SampleLakeGenerator.generate(options);
    s.linesPerTable().forEach((t, n) -> Console.info(String.format(Locale.ROOT, "  %-15s %,10d lines", t, n)));
    Console.info(String.format(Locale.ROOT,
        "sellers: %,d accounts, %,d with listings, %,d counterfeit (%.1f %%) in %,d rings + solo; %,d noise lines",
        s.accounts(), s.listingSellers(), s.counterfeitSellers(), 100.0 * s.counterfeitSellers() / Math.max(1, s.accounts()),
        s.rings(), s.noiseLines()));
    if (!s.missingNoise().isEmpty()) {
      Console.info("note: too few records for these noise variants: " + String.join(", ", s.missingNoise()));
    }
    Console.info(String.format(Locale.ROOT, "wrote %,d files, %,.1f MB in %.1f s; ground truth %s, noise manifest %s",
        s.files(), s.bytes() / 1e6, s.seconds(), options.truthFile(), options.manifestFile()));
    return 0;
  }
}
