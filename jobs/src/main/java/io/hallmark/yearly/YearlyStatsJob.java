package io.hallmark.yearly;

import io.hallmark.config.HallmarkConfig;
import io.hallmark.config.JobFailure;
import io.hallmark.config.LakePaths;
import io.hallmark.jobs.NightlyStep;
import io.hallmark.jobs.StepResult;
import java.time.LocalDate;
import java.util.LinkedHashMap;
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

    Dataset<Row> stats = YearlyStats.yearlyStats(new YearlyStats.Silver(
        silver.get(SilverTables.ACCOUNT_TIMELINE), silver.get(SilverTables.LISTING_TIMELINE),
        silver.get(SilverTables.ORDER_FACTS), silver.get(SilverTables.NOTICE_FACTS),
        silver.get(SilverTables.BRAND_FACTS), silver.get(SilverTables.ACTIVITY_YEARS)));

    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("step", name());
    metadata.put("run_date", runDate == null ? null : runDate.toString());
    metadata.put(SilverJob.BRONZE_VERSIONS, bronzeVersions);
    metadata.put(SILVER_VERSIONS, silverVersions);
    String path = paths.gold(TABLE);
    DeltaVersions.Commit published = DeltaVersions.overwrite(spark, stats, path, metadata);

    Map<String, Long> read = new TreeMap<>();
    silverVersions.forEach((table, v) -> read.put("silver." + table, v));
    bronzeVersions.forEach((table, v) -> read.put("bronze." + table, v));
    return new StepResult(published.outputRows(), read, Map.of("gold." + TABLE, published.version()), Map.of());
  }

  /** The bronze versions a silver commit was built from (its userMetadata). */
  static Map<String, Long> bronzeVersionsOf(Map<String, Object> commitMetadata, String path, long version) {
    Object recorded = commitMetadata.get(SilverJob.BRONZE_VERSIONS);
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
