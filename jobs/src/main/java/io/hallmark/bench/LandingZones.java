package io.hallmark.bench;

import io.hallmark.generate.GenerationSummary;
import io.hallmark.generate.GeneratorOptions;
import io.hallmark.generate.SampleLakeGenerator;
import java.io.File;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Sample landing zones for the benchmark: generated once per (accounts, seed, years) with the
 * project's own generator ({@code hallmark generate}), cached under the work folder (generation is not what is
 * measured), and split by day folder for the one-day incremental case.
 */
public final class LandingZones {
  private LandingZones() {}

  private static final String COMPLETE = ".complete";
  /** A day folder anywhere in a landing path: {@code dt=2025-12-31} or a bare {@code 2025-12-31}. */
  private static final Pattern DAY = Pattern.compile("^(?:dt=)?(\\d{4}-\\d{2}-\\d{2})$");

  /**
   * The cached landing zone for these parameters, generated first if missing: the project's own
   * generator (default noise rate, so ingest quarantines some lines as it would in production), one
   * folder per arrival day (or month: far fewer files, for the CI smoke run). Its ground truth goes beside the zone, not into it.
   */
  public static Path generated(Path work, int accounts, long seed, int fromYear, int toYear,
      GeneratorOptions.Layout layout) throws IOException {
    Path zone = work.resolve("landing").resolve("accounts-" + accounts + "-seed-" + seed + "-" + fromYear + "-" + toYear
        + (layout == GeneratorOptions.Layout.DAILY ? "" : "-" + layout.name().toLowerCase()));
    if (Files.exists(zone.resolve(COMPLETE))) {
      return zone;
    }
    deleteTree(zone);
    Files.createDirectories(zone.getParent());
    GeneratorOptions options = GeneratorOptions.defaults(zone).withAccounts(accounts).withYears(fromYear, toYear)
        .withSeed(seed).withLayout(layout).withTruth(zone.resolveSibling(zone.getFileName() + ".ground_truth.csv"));
    GenerationSummary summary = SampleLakeGenerator.generate(options);
    System.out.println("[bench]   generated " + summary.files() + " files, " + summary.bytes() / 1_000_000 + " MB in "
        + Math.round(summary.seconds()) + " s");
    Files.createFile(zone.resolve(COMPLETE));
    return zone;
  }

  /** The latest day folder in the zone, if its files are laid out by day. */
  public static Optional<LocalDate> lastDay(Path zone) throws IOException {
    try (Stream<Path> files = dataFiles(zone)) {
      return files.map(f -> day(zone.relativize(f))).filter(Optional::isPresent).map(Optional::get)
          .max(Comparator.naturalOrder());
    }
  }

  /**
   * The day the incremental case adds: the latest day folder holding at least as many bytes as the
   * median day. The generator's last folders hold only late arrivals (at 1 M accounts, 2.8 k lines in
   * 11 files against 107 k lines in the 11 files of the last real day), which is not "one more day of
   * events"; counting files could not tell them apart, since every day has about one file per table.
   */
  public static Optional<LocalDate> typicalLastDay(Path zone) throws IOException {
    java.util.TreeMap<LocalDate, Long> bytesPerDay = new java.util.TreeMap<>();
    try (Stream<Path> files = dataFiles(zone)) {
      files.forEach(f -> day(zone.relativize(f)).ifPresent(d -> bytesPerDay.merge(d, f.toFile().length(), Long::sum)));
    }
    if (bytesPerDay.isEmpty()) {
      return Optional.empty();
    }
    List<Long> sizes = new java.util.ArrayList<>(bytesPerDay.values());
    java.util.Collections.sort(sizes);
    long median = sizes.get(sizes.size() / 2);
    return bytesPerDay.descendingMap().entrySet().stream().filter(e -> e.getValue() >= median)
        .map(java.util.Map.Entry::getKey).findFirst();
  }

  /**
   * Hard-links (copies where links are impossible) into {@code target} the zone's files whose day is
   * before {@code day} (history: also files outside any day folder, such as dimension tables), or
   * exactly {@code day} (the one-day drop), keeping relative paths.
   */
  public static long linkDays(Path zone, Path target, LocalDate day, boolean history) throws IOException {
    long n = 0;
    try (Stream<Path> files = dataFiles(zone)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path rel = zone.relativize(f);
        Optional<LocalDate> d = day(rel);
        boolean take = history ? d.map(x -> x.isBefore(day)).orElse(true) : d.map(x -> x.equals(day)).orElse(false);
        if (take) {
          Path to = target.resolve(rel.toString());
          Files.createDirectories(to.getParent());
          try {
            Files.createLink(to, f);
          } catch (FileAlreadyExistsException e) {
            continue;
          } catch (IOException | UnsupportedOperationException e) {
            Files.copy(f, to);
          }
          n++;
        }
      }
    }
    return n;
  }

  public static long sizeBytes(Path zone) throws IOException {
    try (Stream<Path> files = dataFiles(zone)) {
      return files.mapToLong(f -> f.toFile().length()).sum();
    }
  }

  private static Stream<Path> dataFiles(Path zone) throws IOException {
    return Files.walk(zone).filter(Files::isRegularFile)
        .filter(f -> !f.getFileName().toString().startsWith(".") && !f.getFileName().toString().startsWith("_"));
  }

  private static Optional<LocalDate> day(Path rel) {
    for (Path segment : rel) {
      Matcher m = DAY.matcher(segment.toString());
      if (m.matches()) {
        return Optional.of(LocalDate.parse(m.group(1)));
      }
    }
    return Optional.empty();
  }

  public static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
        File file = p.toFile();
        if (!file.delete() && file.exists()) {
          throw new IOException("cannot delete " + p);
        }
      }
    }
  }
}
