package io.hallmark.yearly;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;

import io.delta.tables.DeltaTable;
import io.hallmark.config.HallmarkConfig;
import io.hallmark.config.JobFailure;
import io.hallmark.config.LakePaths;
import io.hallmark.jobs.Console;
import io.hallmark.jobs.NightlyStep;
import io.hallmark.jobs.StepResult;
import io.hallmark.lake.Bronze;
import io.hallmark.lake.BronzeReader;
import io.hallmark.lake.BronzeSchemas;
import io.hallmark.lake.DeltaVersions;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Builds the silver timeline tables from bronze, read at pinned versions; each silver table is
 * published in one Delta commit whose userMetadata names those versions, so the yearly job can
 * record exactly what its figures came from.
 *
 * <p>Incremental by default ({@code hallmark.silver.incremental}): bronze records its row changes
 * (change data feed), so for each silver table the entities touched by the rows inserted since the
 * bronze versions that table was last built from are recomputed from their whole bronze history and
 * MERGEd in on the entity key. The result is the same table a full rebuild gives (tested), for the
 * cost of a scan of bronze plus the work on the touched entities. A table is rebuilt in full when it
 * does not exist yet, its bronze inputs did not record their changes over the range, or the range
 * holds deletes (ingest removing a killed run's rows).
 */
public class SilverJob implements NightlyStep {
  /** Key of "full" / "incremental" in each silver commit's userMetadata. */
  public static final String MODE = "silver_mode";
  static final String DELETION_VECTORS = "delta.enableDeletionVectors";
  static final String CHANGE_DATA_FEED = "delta.enableChangeDataFeed";

  @Override
  public String name() {
    return "silver";
  }

  /** The bronze tables silver is built from (read pinned, see {@link BronzeReader#readBronze}). */
  public static final List<String> BRONZE_TABLES = List.of(BronzeSchemas.ACCOUNT_EVENTS,
      BronzeSchemas.LISTING_EVENTS, BronzeSchemas.ORDERS, BronzeSchemas.COMPLAINTS, BronzeSchemas.NOTICES,
      BronzeSchemas.BRANDS);

  @Override
  public StepResult run(SparkSession spark, HallmarkConfig config, LocalDate runDate) {
    LakePaths paths = config.paths();
    Map<String, Long> bronzeVersions = new TreeMap<>();
    Bronze bronze = BronzeReader.readBronze(spark, paths, BRONZE_TABLES, bronzeVersions);
    if (bronzeVersions.isEmpty()) {
      throw new JobFailure("no bronze tables under " + paths.bronze("") + ": run 'hallmark ingest' first");
    }
    Build build = new Build(spark, paths, bronzeVersions, runDate, config.raw().getBoolean("hallmark.silver.incremental"),
        config.silverMergeBroadcastMax());

    build.entityTable(SilverTables.ACCOUNT_TIMELINE, "account_id", "account_id",
        Map.of(BronzeSchemas.ACCOUNT_EVENTS, "account_id", BronzeSchemas.LISTING_EVENTS, "seller_id"),
        () -> Timelines.accountTimeline(bronze.accountEvents(), bronze.listingEvents()),
        touched -> Timelines.accountTimeline(
            onlyMaterialised(bronze.accountEvents(), "account_id", touched), only(bronze.listingEvents(), "seller_id", touched)));
    build.entityTable(SilverTables.LISTING_TIMELINE, "listing_id", "listing_id",
        Map.of(BronzeSchemas.LISTING_EVENTS, "listing_id", BronzeSchemas.NOTICES, "listing_id"),
        () -> Timelines.listingTimeline(bronze.listingEvents(), bronze.notices()),
        touched -> Timelines.listingTimeline(
            onlyMaterialised(bronze.listingEvents(), "listing_id", touched), only(bronze.notices(), "listing_id", touched)));
    // notices take their listing's seller from the listing timeline just published, so a notice is
    // touched when its listing is
    Dataset<Row> listingTimeline = DeltaVersions.readAt(spark, paths.silver(SilverTables.LISTING_TIMELINE),
        build.written.get("silver." + SilverTables.LISTING_TIMELINE));
    build.entityTable(SilverTables.NOTICE_FACTS, "notice_id", "listing_id",
        Map.of(BronzeSchemas.NOTICES, "listing_id", BronzeSchemas.LISTING_EVENTS, "listing_id"),
        () -> Timelines.noticeFacts(bronze.notices(), listingTimeline),
        touchedListings -> Timelines.noticeFacts(
            only(bronze.notices(), "listing_id", touchedListings), only(listingTimeline, "listing_id", touchedListings)));
    build.entityTable(SilverTables.ORDER_FACTS, "order_id", "order_id",
        Map.of(BronzeSchemas.ORDERS, "order_id", BronzeSchemas.COMPLAINTS, "order_id"),
        () -> Timelines.orderFacts(bronze.orders(), bronze.complaints()),
        touched -> Timelines.orderFacts(
            only(bronze.orders(), "order_id", touched), only(bronze.complaints(), "order_id", touched)));
    // a few dozen rows: always rebuilt
    build.overwrite(SilverTables.BRAND_FACTS, Timelines.brandFacts(bronze.brands()), "full", "always rebuilt (small)");
    build.activityYears(bronze);

    Map<String, Long> read = new TreeMap<>();
    bronzeVersions.forEach((table, version) -> read.put("bronze." + table, version));
    return new StepResult(build.rows, read, build.written, new LinkedHashMap<>(build.modes));
  }

  /** The rows of {@code table} whose {@code column} is one of the touched keys (column "key"). */
  static Dataset<Row> only(Dataset<Row> table, String column, Dataset<Row> touched) {
    return table.join(broadcast(touched), col(column).equalTo(col("key")), "left_semi");
  }

  /**
   * {@link #only}, materialised, for a table its timeline reads in several branches (registrations,
   * verifications and blocks; first creation, first event and blocks): each branch otherwise scanned
   * the whole bronze table again (the listing events, 14 M rows at 1 M accounts, four times for one
   * night's 48 k touched listings). Not for tables read once: the checkpoint reads every column,
   * where a lazy scan reads only those the timeline uses (at 1 M accounts: orders 12 s lazy, 20 s materialised).
   */
  static Dataset<Row> onlyMaterialised(Dataset<Row> table, String column, Dataset<Row> touched) {
    return only(table, column, touched).localCheckpoint();
  }

  /** One silver run's publications: what it wrote, how (full or incremental) and why. */
  private static final class Build {
    final SparkSession spark;
    final LakePaths paths;
    final Map<String, Long> bronzeVersions;
    final LocalDate runDate;
    final boolean incremental;
    final long mergeBroadcastMax;
    final Map<String, Long> written = new TreeMap<>();
    final Map<String, Object> modes = new TreeMap<>();
    final Map<String, Optional<BronzeReader.Changes>> changeFeeds = new java.util.HashMap<>();
    long rows = 0;

    Build(SparkSession spark, LakePaths paths, Map<String, Long> bronzeVersions, LocalDate runDate, boolean incremental,
        long mergeBroadcastMax) {
      this.spark = spark;
      this.mergeBroadcastMax = mergeBroadcastMax;
      this.paths = paths;
      this.bronzeVersions = bronzeVersions;
      this.runDate = runDate;
      this.incremental = incremental;
    }

    /**
     * A table with one row per entity key: MERGE the recomputed rows of the touched entities, or
     * rebuild it whole when the changes since its last build are not known.
     *
     * @param touchedWhat what the touched keys are (for the progress line)
     * @param touchedBy bronze table to the column naming the entity its rows touch
     * @param partial rows of the touched entities (one column "key") recomputed from their whole history
     */
    void entityTable(String table, String key, String touchedWhat, Map<String, String> touchedBy, Supplier<Dataset<Row>> full,
        Function<Dataset<Row>, Dataset<Row>> partial) {
      Map<String, Dataset<Row>> inserted = new TreeMap<>();
      String why = insertedSinceLastBuild(table, touchedBy.keySet(), inserted);
      if (why != null) {
        overwrite(table, full.get(), "full", why);
        return;
      }
      List<Dataset<Row>> keys = new ArrayList<>();
      touchedBy.forEach((bronzeTable, column) -> keys.add(inserted.get(bronzeTable).select(col(column).as("key"))));
      // materialised once: the change feed is read once, and the merge sees a fixed key set
      Dataset<Row> touched = keys.stream().reduce(Dataset::union).orElseThrow()
          .filter(col("key").isNotNull()).distinct().localCheckpoint();
      long touchedCount = touched.count();
      String path = paths.silver(table);
      Map<String, Object> metadata = metadata("incremental");
      if (touchedCount > 0) {
        switchOnRowLevelChanges(path);
        // Spark cannot tell that the recomputed rows are few (their plan reads whole bronze tables), so
        // without the hint the MERGE shuffled the whole target to meet them, to find the touched files
        // and again to write the deletion vectors: 27 M order rows each time for one night's 49 k orders
        Dataset<Row> recomputed = partial.apply(touched);
        Dataset<Row> source = touchedCount <= mergeBroadcastMax ? broadcast(recomputed) : recomputed;
        DeltaVersions.withUserMetadata(spark, metadata, () -> DeltaTable.forPath(spark, path).as("t")
            .merge(source.as("s"), DeltaVersions.sameKeys(List.of(key)))
            .whenMatched().updateAll()
            .whenNotMatched().insertAll()
            .execute());
      }
      DeltaVersions.Commit commit = DeltaVersions.lastCommit(spark, path).orElseThrow();
      if (!bronzeVersions.equals(YearlyStatsJob.bronzeVersionsOf(commit.metadata(), path, commit.version()))) {
        // nothing to merge (Delta makes no commit then), yet the table now stands for the new bronze
        // versions: a metadata-only commit records them, so the yearly job sees one consistent state
        DeltaVersions.withUserMetadata(spark, metadata, () -> DeltaVersions.setProperty(spark, path, "hallmark.silver.bronze_versions",
            DeltaVersions.toJson(bronzeVersions)));
        commit = DeltaVersions.lastCommit(spark, path).orElseThrow();
      }
      record(table, commit, "incremental: " + touchedCount + " touched " + touchedWhat + " value(s) recomputed");
    }

    /**
     * Switches deletion vectors and change data feed on before the first MERGE into a table (full
     * builds write without them, and lakes from before this change have none). Deletion vectors: the
     * MERGE marks a touched entity's old row as deleted instead of rewriting the whole file that holds
     * it. Entities touched by one day sit in nearly every file (late complaints on old orders, edits of
     * old listings), so without them a one-day run at 1 M accounts rewrote 34.8 M of the 34.7 M silver
     * rows. Change data feed: the yearly step reads which rows the MERGEs changed, old and new, to
     * recompute only the years they reach. The switch is one commit carrying the previous commit's
     * userMetadata: the table still stands for the same bronze.
     */
    private void switchOnRowLevelChanges(String path) {
      boolean deletionVectors = DeltaVersions.propertyIsTrue(spark, path, DELETION_VECTORS);
      boolean changeDataFeed = DeltaVersions.propertyIsTrue(spark, path, CHANGE_DATA_FEED);
      if (!deletionVectors || !changeDataFeed) {
        DeltaVersions.withUserMetadata(spark, DeltaVersions.lastCommit(spark, path).orElseThrow().metadata(),
            () -> DeltaVersions.setProperties(spark, path, Map.of(DELETION_VECTORS, "true", CHANGE_DATA_FEED, "true")));
      }
    }

    /** Distinct (source, year) pairs: the existing ones plus those of the inserted rows. */
    void activityYears(Bronze bronze) {
      String table = SilverTables.ACTIVITY_YEARS;
      Map<String, Dataset<Row>> inserted = new TreeMap<>();
      String why = insertedSinceLastBuild(table, Timelines.ACTIVITY_SOURCES.keySet(), inserted);
      if (why != null) {
        overwrite(table, Timelines.activityYears(bronze), "full", why);
        return;
      }
      String path = paths.silver(table);
      Dataset<Row> existing = DeltaVersions.readAt(spark, path, DeltaVersions.latest(spark, path).orElseThrow());
      Dataset<Row> years = Timelines.activityYears(inserted).unionByName(existing).distinct()
          .localCheckpoint(); // the table is overwritten from itself
      overwrite(table, Timelines.conform(years, SilverTables.ACTIVITY_YEARS_SCHEMA), "incremental",
          "years of the inserted rows added");
    }

    /**
     * Fills {@code inserted} with the rows each bronze input gained since the versions the silver
     * table was last built from; returns why that is not possible (then the table is rebuilt), or null.
     */
    private String insertedSinceLastBuild(String table, java.util.Set<String> inputs, Map<String, Dataset<Row>> inserted) {
      if (!incremental) {
        return "hallmark.silver.incremental is off";
      }
      String path = paths.silver(table);
      Optional<DeltaVersions.Commit> last = DeltaVersions.lastCommit(spark, path);
      if (last.isEmpty()) {
        return "first build";
      }
      Object recorded = last.get().metadata().get(BronzeReader.BRONZE_VERSIONS);
      if (!(recorded instanceof Map<?, ?> builtFrom)) {
        return "its last commit does not record the bronze versions it was built from";
      }
      for (String bronzeTable : inputs) {
        Long now = bronzeVersions.get(bronzeTable);
        Object then = builtFrom.get(bronzeTable);
        if (now == null) {
          if (then != null) {
            return "bronze." + bronzeTable + " is gone";
          }
          inserted.put(bronzeTable, spark.createDataFrame(List.of(), BronzeSchemas.SCHEMAS.get(bronzeTable)));
          continue;
        }
        // a bronze table created after the last build: all of its rows are new
        long since = then == null ? -1 : ((Number) then).longValue();
        // silver tables built from the same bronze versions share one read of the change feed
        Optional<BronzeReader.Changes> changes = changeFeeds.computeIfAbsent(bronzeTable + "@" + since + ".." + now,
            range -> BronzeReader.changes(spark, paths, bronzeTable, since, now)
                .map(c -> new BronzeReader.Changes(c.rows().localCheckpoint(), c.changeTypes())));
        if (changes.isEmpty()) {
          return "bronze." + bronzeTable + " has no change data feed for versions " + (since + 1) + ".." + now;
        }
        if (!changes.get().insertsOnly()) {
          return "bronze." + bronzeTable + " had rows deleted or updated since (a killed ingest run removed)";
        }
        inserted.put(bronzeTable, changes.get().rows().drop(BronzeReader.CHANGE_TYPE));
      }
      return null;
    }

    void overwrite(String table, Dataset<Row> content, String mode, String why) {
      DeltaVersions.Commit commit = DeltaVersions.overwrite(spark, content, paths.silver(table), metadata(mode));
      record(table, commit, mode + ": " + why);
    }

    private void record(String table, DeltaVersions.Commit commit, String how) {
      written.put("silver." + table, commit.version());
      modes.put("silver." + table, how);
      rows += commit.outputRows();
      Console.info("silver " + table + ": " + how);
    }

    private Map<String, Object> metadata(String mode) {
      Map<String, Object> metadata = new LinkedHashMap<>();
      metadata.put("step", "silver");
      metadata.put("run_date", runDate == null ? null : runDate.toString());
      metadata.put(BronzeReader.BRONZE_VERSIONS, bronzeVersions);
      metadata.put(MODE, mode);
      return metadata;
    }
  }
}
