package io.hallmark.yearly;

import io.hallmark.config.HallmarkConfig;
import io.hallmark.config.JobFailure;
import io.hallmark.config.LakePaths;
import io.hallmark.jobs.Console;
import io.hallmark.jobs.NightlyStep;
import io.hallmark.jobs.StepResult;
import io.hallmark.lake.BronzeReader;
import io.hallmark.lake.DeltaVersions;
import io.hallmark.lake.YearlyStatsPublications;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Publishes gold yearly_stats from the silver timelines: the whole table is replaced in one Delta
 * commit (readers see the old or the new table, never a mix; the old one stays readable by time
 * travel). The commit's userMetadata records the silver versions read and the bronze versions
 * those were built from.
 */
public class YearlyStatsJob implements NightlyStep {
  public static final String TABLE = "yearly_stats";
  public static final String SILVER_VERSIONS = "silver_versions";
  /** Key of "full" / "incremental" in each yearly_stats commit's userMetadata. */
  public static final String MODE = "yearly_mode";
  /** Key of the years an incremental publication recomputed (the others were carried). */
  public static final String YEARS_RECOMPUTED = "years_recomputed";

  @Override
  public String name() {
    return "yearly-stats";
  }

  @Override
  public StepResult run(SparkSession spark, HallmarkConfig config, LocalDate runDate) {
    LakePaths paths = config.paths();
    Map<String, Long> silverVersions = new TreeMap<>();
    Map<String, Long> bronzeVersions = null;
    Map<String, Dataset<Row>> silver = new LinkedHashMap<>();
    for (String table : SilverTables.TABLES) {
      String path = paths.silver(table);
      Optional<DeltaVersions.Commit> commit = DeltaVersions.lastCommit(spark, path);
      if (commit.isEmpty()) {
        throw new JobFailure("silver table " + table + " is missing at " + path
            + ": run 'hallmark yearly-stats' (its silver step builds the silver tables first) or the nightly run");
      }
      long version = commit.get().version();
      silverVersions.put(table, version);
      silver.put(table, DeltaVersions.readAt(spark, path, version));
      Map<String, Long> builtFrom = bronzeVersionsOf(commit.get().metadata(), path, version);
      if (bronzeVersions == null) {
        bronzeVersions = builtFrom;
      } else if (!bronzeVersions.equals(builtFrom)) {
        // a silver step that stopped half-way: figures would mix two states of bronze. A finished silver
        // step leaves every silver table naming the same bronze versions (a table it did not change gets a
        // commit recording them), so the silver step of 'hallmark yearly-stats' repairs this
        throw new JobFailure("silver tables were built from different bronze versions (" + bronzeVersions
            + " vs " + table + ": " + builtFrom + "): the silver step did not finish; nothing was published."
            + " Run 'hallmark yearly-stats' (or the nightly run): its silver step brings every silver table to the"
            + " bronze versions of the last finished ingest run, then the figures are published");
      }
    }

    String path = paths.gold(TABLE);
    Plan plan = plan(spark, paths, config.raw().getBoolean("hallmark.yearly.incremental"), silverVersions, silver);
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("step", name());
    metadata.put("run_date", runDate == null ? null : runDate.toString());
    metadata.put(BronzeReader.BRONZE_VERSIONS, bronzeVersions);
    metadata.put(SILVER_VERSIONS, silverVersions);
    metadata.put(MODE, plan.years().all() ? "full" : "incremental");
    if (!plan.years().all()) {
      metadata.put(YEARS_RECOMPUTED, List.copyOf(plan.years().chosen()));
    }
    DeltaVersions.Commit published;
    if (plan.years().all()) {
      published = DeltaVersions.overwrite(spark, YearlyStats.yearlyStats(silverOf(silver)), path, metadata);
    } else if (plan.years().chosen().isEmpty()) {
      // nothing reaches any year: the rows stay; a metadata-only commit records that they now stand for
      // these silver (and bronze) versions, so the next run looks only at what comes after them
      DeltaVersions.withUserMetadata(spark, metadata,
          () -> DeltaVersions.setProperty(spark, path, "hallmark.yearly.silver_versions", DeltaVersions.toJson(silverVersions)));
      published = DeltaVersions.lastCommit(spark, path).orElseThrow();
    } else {
      String years = plan.years().chosen().stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", "));
      published = DeltaVersions.replaceWhere(spark, YearlyStats.yearlyStats(silverOf(silver), plan.years()), path,
          "year IN (" + years + ")", metadata);
    }
    Console.info("yearly-stats: " + plan.describe());
    // the publication kept as rows (diff and the report compare publications without time travel, which
    // VACUUM ends); also catches up a publication a killed run left unrecorded, or backfills a lake from before
    YearlyStatsPublications.Recorded recorded = YearlyStatsPublications.record(spark, paths, YearlyStats.SCHEMA);
    Console.info("yearly-stats: " + YearlyStatsPublications.TABLE + ": " + recorded.describe());

    Map<String, Long> read = new TreeMap<>();
    silverVersions.forEach((table, v) -> read.put("silver." + table, v));
    bronzeVersions.forEach((table, v) -> read.put("bronze." + table, v));
    Map<String, Long> written = new TreeMap<>();
    written.put("gold." + TABLE, published.version());
    if (recorded.tableVersion() != null) {
      written.put("gold." + YearlyStatsPublications.TABLE, recorded.tableVersion());
    }
    return new StepResult(published.outputRows(), read, written,
        Map.of("gold." + TABLE, plan.describe(), "gold." + YearlyStatsPublications.TABLE, recorded.describe()));
  }

  private static YearlyStats.Silver silverOf(Map<String, Dataset<Row>> silver) {
    return new YearlyStats.Silver(
        silver.get(SilverTables.ACCOUNT_TIMELINE), silver.get(SilverTables.LISTING_TIMELINE),
        silver.get(SilverTables.ORDER_FACTS), silver.get(SilverTables.NOTICE_FACTS),
        silver.get(SilverTables.BRAND_FACTS), silver.get(SilverTables.ACTIVITY_YEARS));
  }

  /** What a run recomputes: every year (and why), or only the years that silver's changes reach. */
  record Plan(YearlyStats.Years years, String why) {
    static Plan full(String why) {
      return new Plan(YearlyStats.Years.ALL, why);
    }

    String describe() {
      return years.all() ? "full: " + why
          : "incremental: " + (years.chosen().isEmpty() ? "no year" : "years " + years.chosen()) + " recomputed, "
              + why;
    }
  }

  /** Silver operations after which the change data feed tells exactly which rows changed. */
  private static final java.util.Set<String> ROW_LEVEL_OPERATIONS = rowLevelOperations();

  /** MERGE, and the commits that change no row: properties, and maintain's OPTIMIZE / REORG / VACUUM. */
  private static java.util.Set<String> rowLevelOperations() {
    java.util.Set<String> operations = new java.util.HashSet<>(DeltaVersions.MAINTENANCE_OPERATIONS);
    operations.add("MERGE");
    operations.add("SET TBLPROPERTIES");
    return java.util.Set.copyOf(operations);
  }

  /**
   * The years to recompute: those {@link TouchedYears} finds in silver's changes since the versions the
   * last publication was computed from, or every year when those changes are not known (first build,
   * a silver table rebuilt in full, change data feed missing, the table's columns changed).
   */
  static Plan plan(SparkSession spark, LakePaths paths, boolean incremental, Map<String, Long> silverNow,
      Map<String, Dataset<Row>> silver) {
    String path = paths.gold(TABLE);
    if (!incremental) {
      return Plan.full("hallmark.yearly.incremental is off");
    }
    Optional<DeltaVersions.Commit> last = DeltaVersions.lastCommit(spark, path);
    if (last.isEmpty()) {
      return Plan.full("first build");
    }
    if (!(last.get().metadata().get(SILVER_VERSIONS) instanceof Map<?, ?> recorded)) {
      return Plan.full("its last commit does not record the silver versions it was computed from");
    }
    if (!sameColumns(DeltaVersions.readAt(spark, path, last.get().version()).schema(), YearlyStats.SCHEMA)) {
      return Plan.full("its columns differ from this version's");
    }
    Map<String, Long> then = new TreeMap<>();
    recorded.forEach((table, v) -> then.put(String.valueOf(table), ((Number) v).longValue()));
    for (String table : SilverTables.TABLES) {
      if (!then.containsKey(table)) {
        return Plan.full("the last publication did not read silver " + table);
      }
    }
    SilverStates lake = new SilverStates(spark, paths, silverNow, then);
    try {
      Map<String, Dataset<Row>> changes = new TreeMap<>();
      for (String table : List.of(SilverTables.ACCOUNT_TIMELINE, SilverTables.LISTING_TIMELINE,
          SilverTables.ORDER_FACTS, SilverTables.NOTICE_FACTS)) {
        String why = lake.changes(table, changes);
        if (why != null) {
          return Plan.full(why);
        }
      }
      Dataset<Row> accountChanges = changes.get(SilverTables.ACCOUNT_TIMELINE);
      Dataset<Row> factYears = TouchedYears.accountYears(accountChanges)
          .union(TouchedYears.listingYears(changes.get(SilverTables.LISTING_TIMELINE)))
          .union(TouchedYears.orderYears(changes.get(SilverTables.ORDER_FACTS)))
          .union(TouchedYears.noticeYears(changes.get(SilverTables.NOTICE_FACTS)));
      java.util.SortedSet<Integer> years = collectYears(TouchedYears.reached(factYears,
          YearlyStats.coveredYears(silver.get(SilverTables.ACTIVITY_YEARS)),
          YearlyStats.coveredYears(lake.then(SilverTables.ACTIVITY_YEARS)),
          silver.get(SilverTables.BRAND_FACTS), lake.then(SilverTables.BRAND_FACTS)));
      java.util.SortedSet<Integer> covered = collectYears(YearlyStats.coveredYears(silver.get(SilverTables.ACTIVITY_YEARS)));
      // a typical day reaches every year (late complaints on old orders): then the plan stops here,
      // before the scan below, and the step costs what a full rebuild costs
      if (years.containsAll(covered)) {
        return Plan.full("the changes reach every covered year " + covered);
      }
      // few accounts change marketplace (a late REGISTERED): collected, so the scan of the sellers'
      // listings, orders and notices runs only when there is one
      List<Row> marketplaceChanged = TouchedYears.marketplaceChanged(accountChanges).collectAsList();
      if (!marketplaceChanged.isEmpty()) {
        Dataset<Row> sellers = spark.createDataFrame(marketplaceChanged,
            new org.apache.spark.sql.types.StructType().add("key", org.apache.spark.sql.types.DataTypes.StringType));
        years.addAll(collectYears(TouchedYears.sellerYears(sellers, silver.get(SilverTables.LISTING_TIMELINE),
            silver.get(SilverTables.ORDER_FACTS), silver.get(SilverTables.NOTICE_FACTS))));
        if (years.containsAll(covered)) {
          return Plan.full("the changes reach every covered year " + covered);
        }
      }
      return new Plan(YearlyStats.Years.of(years), "the rest carried from version " + last.get().version());
    } catch (Exception e) {
      // AnalysisException is a checked exception to Java, thrown through Scala
      if (e.getClass().getName().contains("DeltaAnalysisException") || String.valueOf(e.getMessage()).contains("change data")
          || String.valueOf(e.getMessage()).contains("versionAsOf") || e.getClass().getName().contains("VersionNotFound")) {
        return Plan.full("the silver versions of the last publication cannot be read (" + e.getClass().getSimpleName() + ")");
      }
      throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
    }
  }

  /** The silver tables now and at the versions the last publication read. */
  private record SilverStates(SparkSession spark, LakePaths paths, Map<String, Long> now, Map<String, Long> then) {
    /** Fills {@code changes} with the table's changes since the last publication; returns why not, or null. */
    String changes(String table, Map<String, Dataset<Row>> changes) {
      String path = pathOf(table);
      Long before = then.get(table);
      long current = now.get(table);
      if (before == null || before > current) {
        return "silver " + table + " is not the table the last publication read";
      }
      if (before == current) {
        changes.put(table, noChanges(table));
        return null;
      }
      java.util.SortedMap<Long, String> operations = DeltaVersions.operations(spark, path, before, current);
      if (!ROW_LEVEL_OPERATIONS.containsAll(operations.values())) {
        return "silver " + table + " was rewritten since the last publication ("
            + String.join(", ", new java.util.TreeSet<>(operations.values())) + ")";
      }
      // property and maintenance commits change no row (the feed has nothing of them, and the commit that
      // switches it on records none): the changes are those of the MERGEs
      List<Long> merges = operations.entrySet().stream().filter(c -> c.getValue().equals("MERGE")).map(Map.Entry::getKey).toList();
      if (merges.isEmpty()) {
        changes.put(table, noChanges(table));
        return null;
      }
      Optional<Dataset<Row>> feed = DeltaVersions.changes(spark, path, merges.get(0) - 1, current);
      if (feed.isEmpty()) {
        return "silver " + table + " has no change data feed for versions " + merges.get(0) + ".." + current;
      }
      changes.put(table, feed.get());
      return null;
    }

    /** An empty change feed of the table: its columns plus the change type. */
    private Dataset<Row> noChanges(String table) {
      return spark.createDataFrame(List.of(), SilverTables.schema(table).add(DeltaVersions.CHANGE_TYPE, "string"));
    }

    /** The table as the last publication read it (from the files maintain's OPTIMIZE wrote, when it ran since). */
    Dataset<Row> then(String table) {
      String path = pathOf(table);
      return DeltaVersions.readAt(spark, path, DeltaVersions.sameContentUpTo(spark, path, then.get(table), now.get(table)));
    }

    private String pathOf(String table) {
      return paths.silver(table);
    }
  }

  /** Same column names and types in the same order (nullability aside: Delta may widen it). */
  private static boolean sameColumns(org.apache.spark.sql.types.StructType a, org.apache.spark.sql.types.StructType b) {
    return java.util.Arrays.equals(a.fields(), b.fields(), java.util.Comparator
        .comparing((org.apache.spark.sql.types.StructField f) -> f.name() + ":" + f.dataType().sql()));
  }

  private static java.util.SortedSet<Integer> collectYears(Dataset<Row> years) {
    java.util.SortedSet<Integer> collected = new java.util.TreeSet<>();
    for (Row r : years.select(org.apache.spark.sql.functions.col("year").cast("int")).distinct().collectAsList()) {
      if (!r.isNullAt(0)) {
        collected.add(r.getInt(0));
      }
    }
    return collected;
  }

  /** The bronze versions a silver commit was built from (its userMetadata). */
  static Map<String, Long> bronzeVersionsOf(Map<String, Object> commitMetadata, String path, long version) {
    Object recorded = commitMetadata.get(BronzeReader.BRONZE_VERSIONS);
    Map<String, Long> versions = new TreeMap<>();
    if (recorded instanceof Map<?, ?> map) {
      map.forEach((table, v) -> versions.put(String.valueOf(table), ((Number) v).longValue()));
    } else {
      throw new JobFailure("silver table at " + path + " version " + version
          + " does not record the bronze versions it was built from (its last commit was not made by the silver"
          + " step): run 'hallmark yearly-stats' (or the nightly run), whose silver step rebuilds it");
    }
    return versions;
  }
}
