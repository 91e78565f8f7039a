package io.hallmark.risk;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.hallmark.config.HallmarkConfig;
import io.hallmark.jobs.Console;
import io.hallmark.jobs.NightlyStep;
import io.hallmark.jobs.StepResult;
import io.hallmark.lake.Bronze;
import io.hallmark.lake.BronzeReader;
import io.hallmark.lake.DeltaVersions;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Publishes gold.seller_features for as_of = runDate (replacing only that date).
 *
 * <p>Incremental by default ({@code hallmark.features.incremental}): the sellers that the bronze changes
 * since the previous publication, or the rows whose time the moved cutoff passed, can reach
 * ({@link TouchedSellers}) are recomputed; every other seller's row is carried from the previous
 * publication (account age moved on, link features recomputed only in the linked groups the night reaches,
 * {@link SellerFeatures#linksAround}). Each commit records the
 * bronze versions, the settings and the feature definition it was computed with; everything is recomputed
 * when the previous publication does not record them, they differ, or the changes are not known.
 */
public class FeaturesJob implements NightlyStep {
  /** userMetadata keys of a seller_features commit. */
  public static final String AS_OF = "as_of";
  public static final String MODE = "features_mode";
  public static final String SELLERS_RECOMPUTED = "sellers_recomputed";
  /** Accounts whose link features were recomputed (the groups the night reached); absent when the whole graph was. */
  public static final String LINK_ACCOUNTS_RECOMPUTED = "link_accounts_recomputed";
  static final String DEFINITION = "features_definition";
  static final String PARAMS = "params";
  /** userMetadata key of a publication read as known by its date's run (it records no bronze versions). */
  public static final String AS_KNOWN = "as_known";

  private final boolean asKnown;

  /** Event time: every row in bronze whose time precedes the cutoff (the nightly's reading). */
  public FeaturesJob() {
    this(false);
  }

  /**
   * {@code asKnown}: only the rows ingested by runs of the date or earlier ({@link RiskTables#knownBy}), so a
   * backfilled date publishes what that date's nightly published; always recomputed in full.
   */
  public FeaturesJob(boolean asKnown) {
    this.asKnown = asKnown;
  }

  @Override
  public String name() {
    return "seller-features";
  }

  @Override
  public StepResult run(SparkSession spark, HallmarkConfig config, LocalDate runDate) {
    RiskSettings settings = RiskSettings.from(config);
    SellerFeatures.Params params = SellerFeatures.Params.of(settings);
    Map<String, Long> bronzeVersions = new TreeMap<>();
    Bronze pinned = BronzeReader.readBronze(spark, config.paths(), RiskTables.BRONZE_TABLES, bronzeVersions);
    Bronze bronze = asKnown ? RiskTables.knownBy(spark, config, pinned, runDate) : pinned;
    Dataset<Row> dates = RiskTables.asOfDates(spark, List.of(runDate));
    String path = config.paths().gold(RiskTables.FEATURES);

    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("step", name());
    metadata.put(AS_OF, runDate.toString());
    if (asKnown) {
      // no bronze versions: it did not read all of them, so no later night may carry its rows forward
      metadata.put(AS_KNOWN, true);
    } else {
      metadata.put(BronzeReader.BRONZE_VERSIONS, bronzeVersions);
    }
    metadata.put(DEFINITION, SellerFeatures.DEFINITION);
    metadata.put(PARAMS, params.toString());

    long started = System.nanoTime();
    Plan plan = asKnown ? Plan.full("as known by the ingest runs of " + runDate + " or earlier (--as-known)")
        : config.raw().getBoolean("hallmark.features.incremental")
        ? plan(spark, config, path, runDate, bronzeVersions, params, bronze)
        : Plan.full("hallmark.features.incremental is off");
    Dataset<Row> features;
    String describe;
    if (plan.previous() == null) {
      features = SellerFeatures.compute(bronze, dates, params);
      describe = "full: " + plan.why();
      metadata.put(MODE, "full");
    } else {
      Dataset<Row> touched = plan.reach().sellers();
      long touchedCount = touched.count();
      long previousCount = plan.previous().count();
      Console.info(String.format("seller-features: %,d account(s) touched since as_of %s (%,d sellers then), found in %.1f s",
          touchedCount, plan.previousAsOf(), previousCount,
          (System.nanoTime() - started) / 1e9));
      double maxShare = config.raw().getDouble("hallmark.features.max-touched-share");
      // touched accounts include some that are no seller (a linked account blocked): a conservative share
      if (touchedCount > maxShare * previousCount) {
        features = SellerFeatures.compute(bronze, dates, params);
        describe = "full: the changes reach " + touchedCount + " of " + previousCount
            + " sellers (more than hallmark.features.max-touched-share = " + maxShare + ")";
        metadata.put(MODE, "full");
      } else {
        // the link features of every account: both the recomputed and the carried rows take theirs,
        // recomputed in the groups the night reaches (and of new sellers: nothing to carry), carried elsewhere
        Dataset<Row> previousSellers = plan.previous().select("seller_id");
        Optional<SellerFeatures.CarriedLinks> around = SellerFeatures.linksAround(bronze.accountEvents(), plan.reach().accountEvents(),
            touched.join(previousSellers, new String[] {"seller_id"}, "left_anti"),
            plan.previous().select("seller_id", "linked_blocked_direct", "linked_blocked_group"), dates, params,
            (long) (maxShare * previousCount));
        around.ifPresent(a -> metadata.put(LINK_ACCOUNTS_RECOMPUTED, a.recomputedAccounts()));
        Dataset<Row> links = around.map(SellerFeatures.CarriedLinks::links)
            .orElseGet(() -> SellerFeatures.links(bronze.accountEvents(), dates, params))
            .persist(StorageLevel.MEMORY_AND_DISK());
        Console.info(String.format("seller-features: link features of %,d accounts (%s) in %.1f s", links.count(),
            around.map(a -> String.format("recomputed in the groups the night reaches, %,d accounts; carried elsewhere",
                a.recomputedAccounts())).orElse("the whole graph"),
            (System.nanoTime() - started) / 1e9));
        Dataset<Row> recomputed = SellerFeatures.features(TouchedSellers.scope(bronze, touched), dates, links,
                TouchedSellers.tagRatesOf(bronze, dates, params), params)
            // a scoped listing created by an untouched seller (an event of it names a touched one) is incomplete
            .join(touched, new String[] {"seller_id"}, "left_semi");
        Dataset<Row> topTagRates = TouchedSellers.topTagRates(bronze, plan.reach(), dates, params);
        features = recomputed.unionByName(TouchedSellers.carried(plan.previous(), touched, links, topTagRates, dates));
        describe = "incremental: " + touchedCount + " touched account(s) recomputed, the other sellers carried from as_of "
            + plan.previousAsOf();
        metadata.put(MODE, "incremental");
        metadata.put(SELLERS_RECOMPUTED, touchedCount);
        metadata.put("carried_from_as_of", plan.previousAsOf().toString());
      }
    }
    RiskTables.writeFeatures(config, features, runDate, metadata);
    spark.sharedState().cacheManager().clearCache();
    Console.info("seller-features: " + describe);
    DeltaVersions.Commit published = DeltaVersions.lastCommit(spark, path).orElseThrow();
    Map<String, Long> read = new TreeMap<>();
    bronzeVersions.forEach((table, v) -> read.put("bronze." + table, v));
    return new StepResult(published.outputRows(), read, Map.of("gold." + RiskTables.FEATURES, published.version()),
        Map.of("as_of", runDate.toString(), "gold." + RiskTables.FEATURES, describe));
  }

  /** Features of every seller for each date, in memory (training snapshots, evaluation backfills). */
  public static Dataset<Row> compute(SparkSession spark, HallmarkConfig config, RiskSettings settings, List<LocalDate> dates) {
    return SellerFeatures.compute(BronzeReader.readBronze(spark, config.paths(), RiskTables.BRONZE_TABLES, null),
        RiskTables.asOfDates(spark, dates),
        SellerFeatures.Params.of(settings));
  }

  /** Recompute everything (previous null, and why), or the touched sellers on top of a previous publication. */
  record Plan(String why, Dataset<Row> previous, LocalDate previousAsOf, TouchedSellers.Reach reach) {
    static Plan full(String why) {
      return new Plan(why, null, null, null);
    }
  }

  /** One seller_features commit: its version, operation and what its userMetadata says it wrote. */
  private record Publication(long version, String operation, Map<String, Object> metadata) {
    LocalDate asOf() {
      Object asOf = metadata.get(AS_OF);
      return asOf == null ? null : LocalDate.parse(asOf.toString());
    }
  }

  static Plan plan(SparkSession spark, HallmarkConfig config, String path, LocalDate runDate,
      Map<String, Long> bronzeNow, SellerFeatures.Params params, Bronze bronze) {
    Optional<Long> latest = DeltaVersions.latest(spark, path);
    if (latest.isEmpty()) {
      return Plan.full("first build");
    }
    List<Publication> history = new java.util.ArrayList<>();
    for (DeltaVersions.CommitEntry c : DeltaVersions.newestFirst(spark, path)) {
      history.add(new Publication(c.version(), c.operation(), DeltaVersions.parseMetadata(c.userMetadata(), path)));
    }
    // the previous publication: the latest date before this one; every commit after it must be one of
    // ours for another date, so that its rows are still the ones it wrote
    Publication previous = null;
    for (Publication p : history) {
      if (DeltaVersions.MAINTENANCE_OPERATIONS.contains(p.operation())) {
        continue; // hallmark maintain's OPTIMIZE / REORG / VACUUM: files rewritten or removed, rows as they were
      }
      LocalDate asOf = p.asOf();
      if (asOf == null || !"WRITE".equals(p.operation())) {
        break;
      }
      if (asOf.isBefore(runDate) && (previous == null || asOf.isAfter(previous.asOf()))) {
        previous = p;
      }
    }
    if (previous == null) {
      return Plan.full("no earlier date's publication recording what it was computed from");
    }
    LocalDate previousAsOf = previous.asOf();
    for (Publication p : history) {
      if (p.version() > previous.version() && previousAsOf.equals(p.asOf())
          && !DeltaVersions.MAINTENANCE_OPERATIONS.contains(p.operation())) {
        return Plan.full("as_of " + previousAsOf + " was rewritten after the publication found");
      }
    }
    if (!SellerFeatures.DEFINITION.equals(previous.metadata().get(DEFINITION))) {
      return Plan.full("the features of as_of " + previousAsOf + " were computed by another feature definition");
    }
    if (!params.toString().equals(previous.metadata().get(PARAMS))) {
      return Plan.full("the features of as_of " + previousAsOf + " were computed with other settings");
    }
    if (!(previous.metadata().get(BronzeReader.BRONZE_VERSIONS) instanceof Map<?, ?> recorded)) {
      return Plan.full("the publication of as_of " + previousAsOf + " does not record its bronze versions");
    }
    Map<String, Long> then = new TreeMap<>();
    recorded.forEach((table, v) -> then.put(String.valueOf(table), ((Number) v).longValue()));
    Optional<Bronze> changed = RiskTables.changedBronze(spark, config, then, bronzeNow);
    if (changed.isEmpty()) {
      return Plan.full("bronze's changes since the publication of as_of " + previousAsOf + " are not known");
    }
    TouchedSellers.Window window = new TouchedSellers.Window(cutoff(previousAsOf), cutoff(runDate));
    // no commit after it rewrote that date (checked above), so the latest version holds the same rows, from
    // files that exist even when maintain's VACUUM removed those the publication wrote (after its OPTIMIZE)
    Dataset<Row> previousRows = DeltaVersions.readAt(spark, path, latest.get())
        .filter(col("as_of").equalTo(lit(java.sql.Date.valueOf(previousAsOf))));
    TouchedSellers.Reach reach = TouchedSellers.touched(bronze, changed.get(), window);
    return new Plan(null, previousRows, previousAsOf, new TouchedSellers.Reach(
        reach.sellers().persist(StorageLevel.MEMORY_AND_DISK()), reach.tags().persist(StorageLevel.MEMORY_AND_DISK()),
        reach.accountEvents()));
  }

  /** (date + 1 day) 00:00 UTC, as {@link RiskTables#asOfDates} computes it. */
  private static Timestamp cutoff(LocalDate asOf) {
    return Timestamp.from(asOf.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC));
  }
}
