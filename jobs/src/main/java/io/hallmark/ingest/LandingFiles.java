package io.hallmark.ingest;

import io.hallmark.config.ConfigError;
import io.hallmark.jobs.Console;
import io.hallmark.lake.BronzeSchemas;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * Lists the landing zone (driver side, through Hadoop's FileSystem so any storage works):
 * {@code <landing>/<table>/**}{@code /*.jsonl} and {@code *.jsonl.gz}, for the eight contract
 * tables. Folders that are not contract tables, and other files, are reported and skipped.
 */
public final class LandingFiles {
  private LandingFiles() {}

  /**
   * @param sourceFile path relative to the landing root, '/'-separated (the file's identity)
   * @param path fully qualified path executors open
   */
  public record LandingFile(String table, String sourceFile, String path, long sizeBytes) {}

  private static final Pattern DT = Pattern.compile("(?:^|/)dt=(\\d{4}-\\d{2}-\\d{2})(?:/|$)");

  public static List<LandingFile> list(SparkSession spark, String landing) {
    try {
      Path root = new Path(landing);
      FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(root) || !fs.getFileStatus(root).isDirectory()) {
        throw new ConfigError("landing folder not found: " + landing + " (check --landing or hallmark.landing)");
      }
      Path qualifiedRoot = fs.makeQualified(root);
      String rootPrefix = qualifiedRoot.toUri().getPath();
      rootPrefix = rootPrefix.endsWith("/") ? rootPrefix : rootPrefix + "/";
      List<LandingFile> files = new ArrayList<>();
      // skipped for their name: a '.'/'_' prefix (hidden, e.g. _SUCCESS, or an exporter's _part-0.jsonl by
      // mistake) or another extension; relative paths, folders with a trailing '/' (their content is not read)
      List<String> skipped = new ArrayList<>();
      for (FileStatus top : fs.listStatus(qualifiedRoot)) {
        String name = top.getPath().getName();
        if (hidden(name)) {
          skipped.add(name + (top.isDirectory() ? "/" : ""));
          continue;
        }
        if (!top.isDirectory() || !BronzeSchemas.TABLES.contains(name)) {
          Console.info("WARNING: skipping '" + name + "' in the landing zone: not a contract table folder");
          continue;
        }
        // plain listStatus walk: no block locations needed (listFiles would fetch them per file)
        java.util.ArrayDeque<Path> dirs = new java.util.ArrayDeque<>(List.of(top.getPath()));
        while (!dirs.isEmpty()) {
          for (FileStatus f : fs.listStatus(dirs.pop())) {
            String relative = f.getPath().toUri().getPath().substring(rootPrefix.length());
            if (hidden(f.getPath().getName())) {
              skipped.add(relative + (f.isDirectory() ? "/" : ""));
              continue;
            }
            if (f.isDirectory()) {
              dirs.push(f.getPath());
              continue;
            }
            if (!(relative.endsWith(".jsonl") || relative.endsWith(".jsonl.gz"))) {
              skipped.add(relative);
              continue;
            }
            files.add(new LandingFile(name, relative, f.getPath().toString(), f.getLen()));
          }
        }
      }
      if (!skipped.isEmpty()) {
        skipped.sort(null);
        Console.info("WARNING: " + skipped.size() + " landing file(s)/folder(s) skipped for their name (a '.' or '_'"
            + " prefix, or not .jsonl/.jsonl.gz; rename them to be ingested): " + shown(skipped));
      }
      files.sort(Comparator.comparing(LandingFile::sourceFile));
      return files;
    } catch (IOException e) {
      throw new ConfigError("cannot list the landing folder " + landing + ": " + e.getMessage(), e);
    }
  }

  /** The newest {@code dt=YYYY-MM-DD} folder date among the files, if any. */
  public static Optional<LocalDate> latestDtFolder(List<LandingFile> files) {
    LocalDate latest = null;
    for (LandingFile f : files) {
      Matcher m = DT.matcher(f.sourceFile());
      while (m.find()) {
        try {
          LocalDate d = LocalDate.parse(m.group(1));
          latest = latest == null || d.isAfter(latest) ? d : latest;
        } catch (java.time.format.DateTimeParseException notADate) {
          // dt=2024-13-45: not a date folder
        }
      }
    }
    return Optional.ofNullable(latest);
  }

  /** At most {@link #SHOWN_SKIPPED} paths, then how many more. */
  static String shown(List<String> paths) {
    return paths.size() <= SHOWN_SKIPPED ? String.join(", ", paths)
        : String.join(", ", paths.subList(0, SHOWN_SKIPPED)) + " and " + (paths.size() - SHOWN_SKIPPED) + " more";
  }

  static final int SHOWN_SKIPPED = 20;

  // Hadoop/Spark conventions: _SUCCESS, .crc and the like are not data
  private static boolean hidden(String name) {
    return name.startsWith(".") || name.startsWith("_");
  }

}
