package io.hallmark.bench;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Sample landing zones for the benchmark: generated once per (accounts, seed, years) with the
 * project's own {@code hallmark generate}, cached under the work folder (generation is not what is
 * measured), and split by day folder for the one-day incremental case.
 */
public final class LandingZones {
  private LandingZones() {}

  private static final String COMPLETE = ".complete";
  /** A day folder anywhere in a landing path: {@code dt=2025-12-31} or a bare {@code 2025-12-31}. */
  private static final Pattern DAY = Pattern.compile("^(?:dt=)?(\\d{4}-\\d{2}-\\d{2})$");

  /**
   * The cached landing zone for these parameters, generated first if missing. Generation runs in a
   * child JVM (the generate command owns and stops its own Spark session, which must not be the
   * benchmark's) with this JVM's classpath and module flags.
   */
  public static Path generated(Path work, int accounts, long seed, int fromYear, int toYear) throws Exception {
    Path zone = work.resolve("landing").resolve("accounts-" + accounts + "-seed-" + seed + "-" + fromYear + "-" + toYear);
    if (Files.exists(zone.resolve(COMPLETE))) {
      return zone;
    }
    deleteTree(zone);
    Files.createDirectories(zone.getParent());
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens") || a.startsWith("-Djdk.reflect") || a.startsWith("-Dio.netty")
            || a.startsWith("-Xmx"))
        .collect(Collectors.toList()));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.hallmark.cli.Hallmark", "generate",
        "--accounts", String.valueOf(accounts), "--seed", String.valueOf(seed),
        "--from", String.valueOf(fromYear), "--to", String.valueOf(toYear), "--out", zone.toString()));
    Path log = work.resolve("landing").resolve(zone.getFileName() + ".generate.log");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    int exit = p.waitFor();
    if (exit != 0) {
      throw new IllegalStateException("hallmark generate exited " + exit + " (see " + log + "): "
          + tail(log));
    }
    Files.createFile(zone.resolve(COMPLETE));
    return zone;
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
  }

  /** The latest day folder in the zone, if its files are laid out by day. */
  public static Optional<LocalDate> lastDay(Path zone) throws IOException {
    try (Stream<Path> files = dataFiles(zone)) {
      return files.map(f -> day(zone.relativize(f))).filter(Optional::isPresent).map(Optional::get)
          .max(Comparator.naturalOrder());
    }
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
