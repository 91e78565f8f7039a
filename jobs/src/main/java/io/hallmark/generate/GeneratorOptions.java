package io.hallmark.generate;

import io.hallmark.config.ConfigError;
import java.nio.file.Path;

/**
 * What {@link SampleLakeGenerator} writes: the landing zone {@code out}, the ground-truth CSV (outside
 * the landing zone; the noise manifest goes beside it), how many accounts, which years, the seed.
 *
 * @param truth ground-truth CSV; null = {@code <out>/../ground_truth.csv}
 * @param noiseRate share of records that get a noisy variant (bad line, duplicate, unknown field)
 * @param rings how the counterfeit rings behave: {@link Rings#PLAIN}, {@link Rings#STEALTH} (less external traffic,
 *     prices closer to list, fewer shared fingerprints) or {@link Rings#HIDING} (README, "hallmark generate")
 * @param force allow a non-empty {@code out}: its table folders are deleted first
 * @param layout folder per arrival day ({@code dt=YYYY-MM-DD}, the default) or per arrival month
 *     ({@code month=YYYY-MM}: far fewer files, for fast tests; the contract allows any sub-folders)
 */
public record GeneratorOptions(
    Path out, Path truth, int accounts, int fromYear, int toYear, long seed, Rings rings,
    double noiseRate, boolean force, Layout layout) {

  /** Sub-folder per arrival day or per arrival month. */
  public enum Layout { DAILY, MONTHLY }

  /**
   * How counterfeit rings behave: PLAIN (the default), STEALTH ({@code --stealth}: prices at 45-75 % of list,
   * less handle traffic, one shared fingerprint per link, fewer complaints and notices) or HIDING
   * ({@code --hiding}: short-lived storefronts opened one after another, priced like an authorised reseller,
   * mostly search traffic, few complaints yet, their own cards and devices; see {@link HidingRing}).
   */
  public enum Rings { PLAIN, STEALTH, HIDING }

  public static final int DEFAULT_ACCOUNTS = 3000;
  public static final int DEFAULT_FROM = 2020;
  public static final int DEFAULT_TO = 2024;
  public static final long DEFAULT_SEED = 42L;
  public static final double DEFAULT_NOISE_RATE = 0.01;

  /** Defaults for everything but the landing folder. */
  public static GeneratorOptions defaults(Path out) {
    return new GeneratorOptions(out, null, DEFAULT_ACCOUNTS, DEFAULT_FROM, DEFAULT_TO, DEFAULT_SEED, Rings.PLAIN,
        DEFAULT_NOISE_RATE, false, Layout.DAILY);
  }

  /**
   * A small lake for other tests: 200 accounts over 2023-2024, monthly folders (few files), default
   * noise, seed 42; about 10k lines, generated in a second or two.
   */
  public static GeneratorOptions quick(Path out) {
    return defaults(out).withAccounts(200).withYears(2023, 2024).withLayout(Layout.MONTHLY);
  }

  public GeneratorOptions withOut(Path o) {
    return new GeneratorOptions(o, truth, accounts, fromYear, toYear, seed, rings, noiseRate, force, layout);
  }

  public GeneratorOptions withAccounts(int n) {
    return new GeneratorOptions(out, truth, n, fromYear, toYear, seed, rings, noiseRate, force, layout);
  }

  public GeneratorOptions withYears(int from, int to) {
    return new GeneratorOptions(out, truth, accounts, from, to, seed, rings, noiseRate, force, layout);
  }

  public GeneratorOptions withSeed(long s) {
    return new GeneratorOptions(out, truth, accounts, fromYear, toYear, s, rings, noiseRate, force, layout);
  }

  public GeneratorOptions withStealth(boolean s) {
    return withRings(s ? Rings.STEALTH : Rings.PLAIN);
  }

  public GeneratorOptions withRings(Rings r) {
    return new GeneratorOptions(out, truth, accounts, fromYear, toYear, seed, r, noiseRate, force, layout);
  }

  /** True for {@code --stealth} rings. */
  public boolean stealth() {
    return rings == Rings.STEALTH;
  }

  public GeneratorOptions withNoiseRate(double r) {
    return new GeneratorOptions(out, truth, accounts, fromYear, toYear, seed, rings, r, force, layout);
  }

  public GeneratorOptions withTruth(Path t) {
    return new GeneratorOptions(out, t, accounts, fromYear, toYear, seed, rings, noiseRate, force, layout);
  }

  public GeneratorOptions withForce(boolean f) {
    return new GeneratorOptions(out, truth, accounts, fromYear, toYear, seed, rings, noiseRate, f, layout);
  }

  public GeneratorOptions withLayout(Layout l) {
    return new GeneratorOptions(out, truth, accounts, fromYear, toYear, seed, rings, noiseRate, force, l);
  }

  /** The ground-truth file actually used (default beside the landing folder). */
  public Path truthFile() {
    if (truth != null) {
      return truth.toAbsolutePath().normalize();
    }
    Path landing = out.toAbsolutePath().normalize();
    Path parent = landing.getParent() == null ? landing : landing.getParent();
    return parent.resolve("ground_truth.csv");
  }

  /**
   * The noise manifest, one row per injected bad, duplicate or oddly-shaped line, beside the truth file:
   * {@code noise_manifest.csv} next to {@code ground_truth.csv}, {@code <name>.noise_manifest.csv} next to
   * any other truth file name (so several lakes can share a folder).
   */
  public Path manifestFile() {
    String name = truthFile().getFileName().toString();
    if (name.equals("ground_truth.csv")) {
      return truthFile().resolveSibling("noise_manifest.csv");
    }
    String stem = name.endsWith(".csv") ? name.substring(0, name.length() - 4) : name;
    return truthFile().resolveSibling(stem + ".noise_manifest.csv");
  }

  /** Rejects impossible settings with a message naming the option (exit 2 via ConfigError). */
  public void validate() {
    if (out == null) {
      throw new ConfigError("--out is required");
    }
    if (rings == null) {
      throw new ConfigError("the rings' behaviour must be PLAIN, STEALTH or HIDING");
    }
    if (layout == null) {
      throw new ConfigError("--layout must be DAILY or MONTHLY");
    }
    if (accounts < 1) {
      throw new ConfigError("--accounts must be at least 1, got " + accounts);
    }
    if (fromYear < 1971 || toYear > 9998 || fromYear > toYear) {
      throw new ConfigError("--from/--to must be years with from <= to, got " + fromYear + ".." + toYear);
    }
    if (!(noiseRate >= 0 && noiseRate <= 0.5)) {
      throw new ConfigError("--noise-rate must be between 0 and 0.5, got " + noiseRate);
    }
    Path landing = out.toAbsolutePath().normalize();
    if (truthFile().startsWith(landing) || manifestFile().startsWith(landing)) {
      throw new ConfigError("--truth " + truthFile() + " must be outside the landing zone " + landing
          + " (ingest would read it as data)");
    }
  }
}
