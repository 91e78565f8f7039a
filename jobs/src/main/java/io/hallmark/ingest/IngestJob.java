package io.hallmark.ingest;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.lit;

import io.hallmark.config.HallmarkConfig;
import io.hallmark.config.JobFailure;
import io.hallmark.config.PiiKey;
import io.hallmark.ingest.LandingFiles.LandingFile;
import io.hallmark.jobs.Console;
import io.hallmark.jobs.NightlyStep;
import io.hallmark.jobs.StepResult;
import io.hallmark.lake.BronzeSchemas;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Landing zone to bronze (landing contract, "What ingest does"): the batch is every landing file
 * not in ops/ingest_files; each line is validated (one reason per rejected line), duplicates are
 * decided on business keys against bronze and within the batch, the per-file balance is checked and
 * recorded, and the run fails without publishing anything when a table's rejected share exceeds the
 * threshold. See {@link IngestLake} for how publication stays atomic.
 */
public class IngestJob implements NightlyStep {
  /** Run date when neither --run-date nor a dt= folder gives one (never the wall clock). */
  public static final LocalDate DEFAULT_RUN_DATE = LocalDate.of(1970, 1, 1);
  private static final int STEPS = 4;

  @Override
  public String name() {
    return "ingest";
  }

  @Override
  public StepResult run(SparkSession spark, HallmarkConfig config, LocalDate runDate) {
    return ingest(spark, config, PiiKey.resolve(config, null), runDate, config.rejectThreshold());
  }

  /** Per-table counts of one run. */
  public record TableCounts(long read, long accepted, long duplicates, long rejected, Map<String, Long> reasons) {
    double rejectedShare() {
      return read == 0 ? 0.0 : (double) rejected / read;
    }
  }

  /**
   * @param runDate null: the newest {@code dt=} folder date of the batch, else 1970-01-01
   */
  public StepResult ingest(SparkSession spark, HallmarkConfig config, PiiKey pii, LocalDate runDate, double threshold) {
    // the batch's lines are cached once and read a few times, then dropped: compressing the cache
    // (dictionary and run-length encodings) was a third of reading and validating them (profiled),
    // and cached blocks beyond storage memory spill to disk (MEMORY_AND_DISK) instead of growing the heap
    String before = spark.conf().contains(CACHE_COMPRESSED) ? spark.conf().get(CACHE_COMPRESSED) : null;
    spark.conf().set(CACHE_COMPRESSED, "false");
    try {
      return ingestBatch(spark, config, pii, runDate, threshold);
    } finally {
      if (before == null) {
        spark.conf().unset(CACHE_COMPRESSED);
      } else {
        spark.conf().set(CACHE_COMPRESSED, before);
      }
    }
  }

  private static final String CACHE_COMPRESSED = "spark.sql.inMemoryColumnarStorage.compressed";

  private StepResult ingestBatch(SparkSession spark, HallmarkConfig config, PiiKey pii, LocalDate runDate,
      double threshold) {
    IngestLake lake = new IngestLake(spark, config.paths());
    Map<String, Set<String>> removed = lake.removeUncommitted();
    removed.forEach((table, runs) ->
        Console.info("removed rows of uncommitted ingest run(s) " + new java.util.TreeSet<>(runs) + " from " + table));

    long t0 = System.nanoTime();
    Map<String, Long> registered = lake.registeredFiles();
    List<LandingFile> batch = new ArrayList<>();
    for (LandingFile f : LandingFiles.list(spark, config.landing())) {
      Long sizeThen = registered.get(f.sourceFile());
      if (sizeThen == null) {
        batch.add(f);
      } else if (sizeThen != f.sizeBytes()) {
        Console.info("WARNING: " + f.sourceFile() + " changed size since it was ingested (" + sizeThen + " -> "
            + f.sizeBytes() + " bytes); files are ingested once, so the change is ignored: deliver a new file instead");
      }
    }
    Console.step(1, STEPS, "list new landing files", batch.size(), seconds(t0));
    if (batch.isEmpty()) {
      lake.ensureBronzeTables();
      Console.info("no new landing files under " + config.landing() + ": nothing to ingest");
      return new StepResult(0, Map.of(), Map.of(), Map.of("files", 0));
    }
    LocalDate effectiveDate = runDate != null ? runDate : LandingFiles.latestDtFolder(batch).orElse(DEFAULT_RUN_DATE);
    String runId = String.format(Locale.ROOT, "ingest-%s-%03d", effectiveDate, lake.runsOn(effectiveDate) + 1);
    Console.info("ingest run " + runId + ": " + batch.size() + " new file(s)");

    List<Dataset<Row>> cached = new ArrayList<>();
    Broadcast<LandingReader.HadoopConf> hadoopConf = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .broadcast(new LandingReader.HadoopConf(spark.sparkContext().hadoopConfiguration()));
    try {
      // 2. read and validate every line, in parallel, one task per group of files; each table's lines
      // are cached apart, in its own columns, so the passes below never decode the other tables' rows
      long t1 = System.nanoTime();
      Map<String, List<LandingFile>> filesByTable = new LinkedHashMap<>();
      for (String table : BronzeSchemas.TABLES) {
        List<LandingFile> files = batch.stream().filter(f -> f.table().equals(table)).toList();
        if (!files.isEmpty()) {
          filesByTable.put(table, files);
        }
      }
      Map<String, Dataset<Row>> linesByTable = new LinkedHashMap<>();
      Dataset<Row> lineMarks = null;
      for (Map.Entry<String, List<LandingFile>> e : filesByTable.entrySet()) {
        Dataset<Row> tableLines = readLines(spark, e.getKey(), e.getValue(), hadoopConf, pii)
            .persist(StorageLevel.MEMORY_AND_DISK());
        cached.add(tableLines);
        linesByTable.put(e.getKey(), tableLines);
        Dataset<Row> marks = tableLines.filter(col("line_number").gt(0)).select(lit(1).as("line"));
        lineMarks = lineMarks == null ? marks : lineMarks.union(marks);
      }
      // one job fills every table's cache
      long lineCount = lineMarks.count();
      Console.step(2, STEPS, "read and validate lines", lineCount, seconds(t1));

      // 3. duplicates against bronze and within the batch; outcome of every line
      long t2 = System.nanoTime();
      Map<String, TableBatch> tables = new LinkedHashMap<>();
      Dataset<Row> invalidLines = linesByTable.values().stream().map(IngestTransforms::invalidLineOutcomes)
          .reduce(Dataset::unionByName).orElseThrow();
      Dataset<Row> outcomeRows = invalidLines.drop("line_number", "raw_line");
      Dataset<Row> conflicts = null;
      Map<String, KeysToDecide> keysToDecide = keysToDecide(lake, linesByTable, runId, cached);
      for (Map.Entry<String, Dataset<Row>> e : linesByTable.entrySet()) {
        String table = e.getKey();
        TableBatch decided = decide(spark, keysToDecide.get(table), table, cached);
        tables.put(table, decided);
        outcomeRows = outcomeRows.unionByName(decided.outcomes());
        if (decided.decided() != null) {
          Dataset<Row> rejected = IngestTransforms.recordOutcomes(decided.decided(), table)
              .filter(col("outcome").equalTo(IngestTransforms.REJECTED))
              .select("table_name", "source_file", "line_number", "reason");
          conflicts = conflicts == null ? rejected : conflicts.unionByName(rejected);
        }
      }
      List<Row> summaries = linesByTable.values().stream().map(IngestTransforms::fileSummaries)
          .reduce(Dataset::unionByName).orElseThrow().collectAsList();
      List<Row> outcomeCounts = outcomeRows.groupBy("table_name", "source_file", "outcome", "reason").count().collectAsList();
      List<Row> runRows = balance(summaries, outcomeCounts, runId, effectiveDate);
      Map<String, TableCounts> counts = tableCounts(runRows, outcomeCounts);
      Console.step(3, STEPS, "decide duplicates and check the balance", lineCount, seconds(t2));

      printSummary(runId, counts);
      String overThreshold = thresholdFailure(counts, threshold);
      if (overThreshold != null) {
        lake.recordRun(spark.createDataFrame(withStatus(runRows, IngestLake.FAILED), BronzeSchemas.INGEST_RUNS_SCHEMA));
        throw new JobFailure(overThreshold);
      }

      // 4. publish: run rows (PUBLISHING), bronze, quarantine, file registry, then the commit flip
      long t3 = System.nanoTime();
      lake.recordRun(spark.createDataFrame(withStatus(runRows, IngestLake.PUBLISHING), BronzeSchemas.INGEST_RUNS_SCHEMA));
      lake.ensureBronzeTables();
      Map<String, Long> written = new TreeMap<>();
      long accepted = 0;
      for (Map.Entry<String, TableBatch> e : tables.entrySet()) {
        TableCounts c = counts.get(e.getKey());
        if (c.accepted() > 0) {
          long inserted = lake.publishBronze(e.getKey(), e.getValue().acceptedRows(), e.getValue().records());
          checkWritten("bronze." + e.getKey(), c.accepted(), inserted);
          written.put("bronze." + e.getKey(), lake.versionWritten(config.paths().bronze(e.getKey())));
        }
        accepted += c.accepted();
      }
      long rejected = counts.values().stream().mapToLong(TableCounts::rejected).sum();
      if (rejected > 0) {
        Dataset<Row> quarantine = IngestTransforms.quarantineRows(invalidLines, runId);
        if (conflicts != null) {
          Dataset<Row> texts = conflictTexts(spark, conflicts, batch, summaries, hadoopConf, pii);
          quarantine = quarantine.unionByName(conflicts
              .join(texts, new String[] {"table_name", "source_file", "line_number"}, "left_outer")
              .select(col("table_name"), col("source_file"), col("line_number"), col("raw_line"), col("reason"),
                  lit(runId).as(BronzeSchemas.RUN_ID)));
        }
        checkWritten("bronze.quarantine", rejected, lake.publishQuarantine(quarantine));
        written.put("bronze.quarantine", lake.versionWritten(config.paths().quarantine()));
      }
      lake.registerFiles(spark.createDataFrame(fileRows(batch, summaries, runId, effectiveDate), BronzeSchemas.INGEST_FILES_SCHEMA));
      lake.commitRun(runId);
      Console.step(4, STEPS, "publish bronze and quarantine", accepted + rejected, seconds(t3));

      Map<String, Object> details = new LinkedHashMap<>();
      details.put("run_id", runId);
      details.put("files", batch.size());
      counts.forEach((table, c) -> details.put(table, Map.of(
          "read", c.read(), "accepted", c.accepted(), "duplicates", c.duplicates(), "rejected", c.rejected())));
      return new StepResult(accepted, Map.of(), written, details);
    } finally {
      cached.forEach(Dataset::unpersist);
      hadoopConf.destroy();
    }
  }

  /** Above this many keys to decide, a table's records meet them in a shuffle join instead of a broadcast. */
  static final long BROADCAST_KEYS_MAX = 2_000_000;

  /**
   * One table's valid records, split by {@link IngestTransforms#keysToDecide}: {@code unique} records (key
   * once in the batch, not in bronze) are accepted as they are; {@code decided} are the others with
   * their duplicate decision (null when there are none).
   */
  record TableBatch(String table, Dataset<Row> records, Dataset<Row> unique, Dataset<Row> decided) {
    Dataset<Row> acceptedRows() {
      Dataset<Row> rows = IngestTransforms.bronzeRows(unique, table);
      return decided == null ? rows : rows.unionByName(IngestTransforms.acceptedRows(decided, table));
    }

    /** (table_name, source_file, outcome, reason) of every record, one row each. */
    Dataset<Row> outcomes() {
      Dataset<Row> accepted = unique.select(lit(table).as("table_name"), col(BronzeSchemas.SOURCE_FILE).as("source_file"),
          lit(IngestTransforms.ACCEPTED).as("outcome"), lit(null).cast("string").as("reason"));
      return decided == null ? accepted : accepted.unionByName(
          IngestTransforms.recordOutcomes(decided, table).select("table_name", "source_file", "outcome", "reason"));
    }
  }

  /**
   * One table's valid records, its bronze rows (null before its first run), the keys that need a
   * decision (cached), how many, and the event years of bronze that hold any of them.
   */
  record KeysToDecide(Dataset<Row> records, Dataset<Row> bronze, Dataset<Row> keys, long count, List<Integer> bronzeYears) {}

  /**
   * {@link IngestTransforms#keysToDecide} of every table, found and counted in one job (one small job per
   * table cost more in scheduling and Delta snapshot work than in scanning at 100 k accounts).
   */
  private static Map<String, KeysToDecide> keysToDecide(IngestLake lake, Map<String, Dataset<Row>> linesByTable,
      String runId, List<Dataset<Row>> cached) {
    Map<String, Dataset<Row>> records = new LinkedHashMap<>();
    Map<String, Dataset<Row>> bronze = new HashMap<>();
    Map<String, Dataset<Row>> keys = new LinkedHashMap<>();
    Dataset<Row> keyCounts = null;
    for (Map.Entry<String, Dataset<Row>> e : linesByTable.entrySet()) {
      String table = e.getKey();
      records.put(table, IngestTransforms.validRecords(e.getValue(), table, runId));
      bronze.put(table, lake.bronze(table));
      Dataset<Row> tableKeys = IngestTransforms.keysToDecide(records.get(table), bronze.get(table), table)
          .persist(StorageLevel.MEMORY_AND_DISK());
      cached.add(tableKeys);
      keys.put(table, tableKeys);
      Dataset<Row> counts = tableKeys.groupBy(col(IngestTransforms.BRONZE_YEAR)).count()
          .select(lit(table).as("table_name"), col(IngestTransforms.BRONZE_YEAR), col("count"));
      keyCounts = keyCounts == null ? counts : keyCounts.unionByName(counts);
    }
    Map<String, Long> count = new HashMap<>();
    Map<String, List<Integer>> years = new HashMap<>();
    for (Row r : keyCounts.collectAsList()) {
      count.merge(r.getString(0), r.getLong(2), Long::sum);
      if (!r.isNullAt(1)) {
        years.computeIfAbsent(r.getString(0), t -> new ArrayList<>()).add(r.getInt(1));
      }
    }
    Map<String, KeysToDecide> out = new LinkedHashMap<>();
    keys.forEach((table, k) -> out.put(table, new KeysToDecide(records.get(table), bronze.get(table), k,
        count.getOrDefault(table, 0L), years.getOrDefault(table, List.of()))));
    return out;
  }

  private static TableBatch decide(SparkSession spark, KeysToDecide toDecide, String table, List<Dataset<Row>> cached) {
    String[] keys = BronzeSchemas.KEYS.get(table).toArray(String[]::new);
    Dataset<Row> records = toDecide.records();
    if (toDecide.count() == 0) {
      return new TableBatch(table, records, records, null);
    }
    Dataset<Row> keysSide = toDecide.count() <= BROADCAST_KEYS_MAX ? broadcast(toDecide.keys()) : toDecide.keys();
    Dataset<Row> toDecideRecords = records.join(keysSide, keys, "left_semi");
    Dataset<Row> bronze = toDecide.bronze();
    if (bronze != null && Arrays.asList(bronze.columns()).contains(BronzeSchemas.EVENT_YEAR)) {
      // only the partitions that hold a key to decide: hashing the content of every bronze row of a
      // year-partitioned table, to meet a day's few re-deliveries, read all its columns over the whole history
      bronze = bronze.filter(col(BronzeSchemas.EVENT_YEAR).isin(toDecide.bronzeYears().toArray()));
    }
    Dataset<Row> acceptedVersions = IngestTransforms.acceptedVersions(
        bronze != null ? bronze : spark.createDataFrame(List.of(), BronzeSchemas.SCHEMAS.get(table)), toDecideRecords, table);
    Dataset<Row> decided = IngestTransforms.decideDuplicates(toDecideRecords, acceptedVersions, table)
        .persist(StorageLevel.MEMORY_AND_DISK());
    cached.add(decided);
    return new TableBatch(table, records, records.join(keysSide, keys, "left_anti"), decided);
  }

  /**
   * Quarantine texts of the conflicting duplicates, read again from their files (valid lines do not
   * carry their text through the batch): (table_name, source_file, line_number, raw_line).
   */
  private static Dataset<Row> conflictTexts(SparkSession spark, Dataset<Row> conflicts, List<LandingFile> batch,
      List<Row> summaries, Broadcast<LandingReader.HadoopConf> hadoopConf, PiiKey pii) {
    Map<String, String> sha = new HashMap<>();
    for (Row r : summaries) {
      sha.put(r.getString(1), r.getString(2));
    }
    List<Row> files = batch.stream().map(f -> RowFactory.create(f.sourceFile(), f.path(), sha.get(f.sourceFile()))).toList();
    Dataset<Row> fileRows = spark.createDataFrame(files, new StructType()
        .add("source_file", DataTypes.StringType, false).add("path", DataTypes.StringType, false)
        .add("file_sha256", DataTypes.StringType, false));
    return conflicts.groupBy("table_name", "source_file").agg(collect_list(col("line_number")).as("line_numbers"))
        .join(broadcast(fileRows), new String[] {"source_file"}, "inner")
        .select("table_name", "source_file", "path", "file_sha256", "line_numbers")
        .flatMap(new LandingReader.QuarantineTexts(hadoopConf, pii), Encoders.row(IngestSchemas.QUARANTINE_TEXT_SCHEMA));
  }

  /** A publication that wrote another number of rows than the run decided fails before the run commits. */
  private static void checkWritten(String table, long decided, long written) {
    if (decided != written) {
      throw new JobFailure("ingest balance broken for " + table + ": " + decided + " rows decided but " + written
          + " written; the run was not committed (the next ingest removes its rows): rerun ingest");
    }
  }

  /** The lines of one table's files, in {@link IngestSchemas#lineSchema}. */
  private static Dataset<Row> readLines(SparkSession spark, String table, List<LandingFile> batch,
      Broadcast<LandingReader.HadoopConf> hadoopConf, PiiKey pii) {
    List<Row> fileRows = batch.stream()
        .map(f -> RowFactory.create(f.table(), f.sourceFile(), f.path()))
        .toList();
    int partitions = Math.max(1, Math.min(batch.size(), spark.sparkContext().defaultParallelism() * 4));
    return spark.createDataFrame(fileRows, IngestSchemas.FILE_SCHEMA)
        .repartition(partitions)
        .flatMap(new LandingReader(hadoopConf, pii), Encoders.row(IngestSchemas.lineSchema(table)));
  }

  /**
   * One ingest_runs row per file (status filled in later). lines_read comes from the reader's own
   * count, the rest from the outcomes; they must agree, else nothing is published.
   */
  private static List<Row> balance(List<Row> summaries, List<Row> outcomeCounts, String runId, LocalDate runDate) {
    // source_file -> [accepted, duplicates, rejected]
    Map<String, long[]> perFile = new HashMap<>();
    for (Row r : outcomeCounts) {
      long[] c = perFile.computeIfAbsent(r.getString(1), k -> new long[3]);
      String outcome = r.getString(2);
      int i = outcome.equals(IngestTransforms.ACCEPTED) ? 0 : outcome.equals(IngestTransforms.DUPLICATE) ? 1 : 2;
      c[i] += r.getLong(4);
    }
    List<Row> sorted = new ArrayList<>(summaries);
    sorted.sort(Comparator.comparing(r -> r.getString(1)));
    List<Row> rows = new ArrayList<>();
    for (Row s : sorted) {
      String file = s.getString(1);
      long read = s.getLong(3);
      long[] c = perFile.getOrDefault(file, new long[3]);
      if (read != c[0] + c[1] + c[2]) {
        throw new JobFailure("ingest balance broken for " + file + ": " + read + " lines read but " + c[0]
            + " accepted + " + c[1] + " duplicates + " + c[2] + " rejected; nothing was published");
      }
      rows.add(RowFactory.create(runId, java.sql.Date.valueOf(runDate), s.getString(0), file, read, c[0], c[1], c[2], null));
    }
    return rows;
  }

  private static Map<String, TableCounts> tableCounts(List<Row> runRows, List<Row> outcomeCounts) {
    Map<String, Map<String, Long>> reasons = new HashMap<>();
    for (Row r : outcomeCounts) {
      if (r.getString(2).equals(IngestTransforms.REJECTED)) {
        reasons.computeIfAbsent(r.getString(0), k -> new TreeMap<>()).merge(r.getString(3), r.getLong(4), Long::sum);
      }
    }
    Map<String, TableCounts> counts = new LinkedHashMap<>();
    for (String table : BronzeSchemas.TABLES) {
      long read = 0, accepted = 0, duplicates = 0, rejected = 0;
      for (Row r : runRows) {
        if (r.getString(2).equals(table)) {
          read += r.getLong(4);
          accepted += r.getLong(5);
          duplicates += r.getLong(6);
          rejected += r.getLong(7);
        }
      }
      counts.put(table, new TableCounts(read, accepted, duplicates, rejected, reasons.getOrDefault(table, Map.of())));
    }
    return counts;
  }

  private static void printSummary(String runId, Map<String, TableCounts> counts) {
    for (Map.Entry<String, TableCounts> e : counts.entrySet()) {
      TableCounts c = e.getValue();
      Console.info(String.format(Locale.ROOT, "%s %-15s %,9d read %,9d accepted %,7d duplicate %,7d rejected (%.1f%%)",
          runId, e.getKey(), c.read(), c.accepted(), c.duplicates(), c.rejected(), 100 * c.rejectedShare()));
    }
  }

  /** The one-line failure message, or null when every table is within the threshold. */
  static String thresholdFailure(Map<String, TableCounts> counts, double threshold) {
    String worst = null;
    int over = 0;
    for (Map.Entry<String, TableCounts> e : counts.entrySet()) {
      if (e.getValue().rejectedShare() > threshold) {
        over++;
        if (worst == null || e.getValue().rejectedShare() > counts.get(worst).rejectedShare()) {
          worst = e.getKey();
        }
      }
    }
    if (worst == null) {
      return null;
    }
    TableCounts c = counts.get(worst);
    String reasons = c.reasons().entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .limit(3)
        .map(r -> r.getKey() + " (" + r.getValue() + ")")
        .collect(Collectors.joining(", "));
    return String.format(Locale.ROOT,
        "ingest failed: table %s rejected %d of %d lines (%.1f%%), above the %.1f%% threshold%s; most common reasons: %s;"
            + " nothing was published (fix the landing files and re-run, or raise --reject-threshold)",
        worst, c.rejected(), c.read(), 100 * c.rejectedShare(), 100 * threshold,
        over > 1 ? " (and " + (over - 1) + " more table(s) over it)" : "", reasons);
  }

  private static List<Row> withStatus(List<Row> runRows, String status) {
    List<Row> out = new ArrayList<>();
    for (Row r : runRows) {
      Object[] values = new Object[r.size()];
      for (int i = 0; i < r.size(); i++) {
        values[i] = r.get(i);
      }
      values[r.size() - 1] = status;
      out.add(RowFactory.create(values));
    }
    return out;
  }

  private static List<Row> fileRows(List<LandingFile> batch, List<Row> summaries, String runId, LocalDate runDate) {
    Map<String, String> sha = new HashMap<>();
    for (Row r : summaries) {
      sha.put(r.getString(1), r.getString(2));
    }
    return batch.stream()
        .map(f -> RowFactory.create(f.sourceFile(), f.table(), f.sizeBytes(), sha.get(f.sourceFile()), runId,
            java.sql.Date.valueOf(runDate)))
        .toList();
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
