package io.hallmark.yearly;

import io.hallmark.config.HallmarkConfig;
import io.hallmark.config.JobFailure;
import io.hallmark.config.LakePaths;
import io.hallmark.jobs.NightlyStep;
import io.hallmark.jobs.StepResult;
import io.hallmark.lake.BronzeSchemas;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Rebuilds the silver timeline tables from the whole bronze history. Bronze is read at pinned
 * versions; each silver table is replaced in one Delta commit whose userMetadata names those
 * versions, so the yearly job can record exactly what its figures came from.
 */
public class SilverJob implements NightlyStep {
  /** Key of the bronze versions map in each silver commit's userMetadata. */
  public static final String BRONZE_VERSIONS = "bronze_versions";

  @Override
  public String name() {
    return "silver";
  }

  @Override
  public StepResult run(SparkSession spark, HallmarkConfig config, LocalDate runDate) {
    LakePaths paths = config.paths();
    Map<String, Long> bronzeVersions = new TreeMap<>();
    Timelines.Bronze bronze = new Timelines.Bronze(
        readBronze(spark, paths, BronzeSchemas.ACCOUNT_EVENTS, bronzeVersions),
        readBronze(spark, paths, BronzeSchemas.LISTING_EVENTS, bronzeVersions),
        readBronze(spark, paths, BronzeSchemas.ORDERS, bronzeVersions),
        readBronze(spark, paths, BronzeSchemas.COMPLAINTS, bronzeVersions),
        readBronze(spark, paths, BronzeSchemas.NOTICES, bronzeVersions),
        readBronze(spark, paths, BronzeSchemas.BRANDS, bronzeVersions));
    if (bronzeVersions.isEmpty()) {
      throw new JobFailure("no bronze tables under " + paths.bronze("") + ": run 'hallmark ingest' first");
    }

    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("step", name());
    metadata.put("run_date", runDate == null ? null : runDate.toString());
    metadata.put(BRONZE_VERSIONS, bronzeVersions);

    Map<String, Long> written = new TreeMap<>();
    long rows = 0;
    rows += publish(spark, paths, SilverTables.ACCOUNT_TIMELINE,
        Timelines.accountTimeline(bronze.accountEvents(), bronze.listingEvents()), metadata, written);
    rows += publish(spark, paths, SilverTables.LISTING_TIMELINE,
        Timelines.listingTimeline(bronze.listingEvents(), bronze.notices()), metadata, written);
    // notices take their listing's seller from the listing timeline just published
    Dataset<Row> listingTimeline = DeltaVersions.readAt(spark, paths.silver(SilverTables.LISTING_TIMELINE),
        written.get("silver." + SilverTables.LISTING_TIMELINE));
    rows += publish(spark, paths, SilverTables.NOTICE_FACTS,
        Timelines.noticeFacts(bronze.notices(), listingTimeline), metadata, written);
    rows += publish(spark, paths, SilverTables.ORDER_FACTS,
        Timelines.orderFacts(bronze.orders(), bronze.complaints()), metadata, written);
    rows += publish(spark, paths, SilverTables.BRAND_FACTS, Timelines.brandFacts(bronze.brands()), metadata, written);
    rows += publish(spark, paths, SilverTables.ACTIVITY_YEARS, Timelines.activityYears(bronze), metadata, written);

    Map<String, Long> read = new TreeMap<>();
    bronzeVersions.forEach((table, version) -> read.put("bronze." + table, version));
    return new StepResult(rows, read, written, Map.of());
  }

  /** A bronze table at its latest version; a table ingest never created reads as empty. */
  private static Dataset<Row> readBronze(SparkSession spark, LakePaths paths, String table, Map<String, Long> versions) {
    return DeltaVersions.readPinned(spark, paths.bronze(table), BronzeSchemas.SCHEMAS.get(table), table, versions);
  }

  private static long publish(SparkSession spark, LakePaths paths, String table, Dataset<Row> content,
      Map<String, Object> metadata, Map<String, Long> written) {
    String path = paths.silver(table);
    long version = DeltaVersions.overwrite(spark, content, path, metadata);
    written.put("silver." + table, version);
    return DeltaVersions.readAt(spark, path, version).count();
  }
}
