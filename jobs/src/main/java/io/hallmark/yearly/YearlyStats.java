package io.hallmark.yearly;

import static org.apache.spark.sql.functions.bool_or;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.median;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.year;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import io.hallmark.lake.Bronze;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Silver to gold: the yearly brand-protection statistics of ../shared/spec/yearly-metrics.md as pure
 * transforms. Each metric family turns entities into one fact row per (entity, year) carrying its
 * marketplace, then counts them per (year, marketplace) and once more per year as marketplace ALL,
 * so an ALL figure is computed over all records, never summed from the marketplace rows.
 */
public final class YearlyStats {
  private YearlyStats() {}

  public static final String ALL = "ALL";
  public static final String UNKNOWN = "UNKNOWN";

  private static final long HOUR_MICROS = 3_600_000_000L;
  private static final long DAY_MICROS = 24 * HOUR_MICROS;

  private static StructField f(String name, DataType type, boolean nullable) {
    return new StructField(name, type, nullable, Metadata.empty());
  }

  /** Gold yearly_stats: the spec's columns in the spec's order after (year, marketplace). */
  public static final StructType SCHEMA = new StructType(new StructField[] {
      f("year", IntegerType, false),
      f("marketplace", StringType, false),
      f("accounts_registered", LongType, false),
      f("accounts_blocked", LongType, false),
      f("accounts_blocked_before_first_listing", LongType, false),
      f("pre_listing_block_share", DoubleType, true),
      f("counterfeit_accounts_blocked", LongType, false),
      f("accounts_verified_and_listed_90d", LongType, false),
      f("verification_pass_share", DoubleType, true),
      f("repeat_blocked_accounts", LongType, false),
      f("listings_created", LongType, false),
      f("submissions_blocked", LongType, false),
      f("listings_blocked_ip", LongType, false),
      f("listings_blocked_proactively", LongType, false),
      f("proactive_block_share", DoubleType, true),
      f("notices_submitted", LongType, false),
      f("valid_notices", LongType, false),
      f("brands_enrolled", LongType, true),
      f("valid_notices_per_brand", DoubleType, true),
      f("notices_resolved_within_24h_share", DoubleType, true),
      f("orders", LongType, false),
      f("units_sold", LongType, false),
      f("orders_with_counterfeit_complaint", LongType, false),
      f("counterfeit_complaint_rate", DoubleType, true),
      f("median_hours_registration_to_block", DoubleType, true)});

  /** The counts that decide whether a (year, marketplace) row exists (brands_enrolled is ALL-only). */
  public static final List<String> ROW_COUNTS = List.of(
      "accounts_registered", "accounts_blocked", "accounts_blocked_before_first_listing",
      "counterfeit_accounts_blocked", "accounts_verified_and_listed_90d", "repeat_blocked_accounts",
      "listings_created", "submissions_blocked", "listings_blocked_ip", "listings_blocked_proactively",
      "notices_submitted", "valid_notices", "orders", "units_sold", "orders_with_counterfeit_complaint");

  /** Counts kept only to compute a share; not published. */
  private static final List<String> HELPER_COUNTS = List.of("notices_resolved", "notices_resolved_within_24h");

  /** The silver tables the statistics are computed from. */
  public record Silver(Dataset<Row> accountTimeline, Dataset<Row> listingTimeline, Dataset<Row> orderFacts,
      Dataset<Row> noticeFacts, Dataset<Row> brandFacts, Dataset<Row> activityYears) {

    /** Silver built in memory from bronze (what SilverJob publishes; tests use it directly). */
    public static Silver fromBronze(Bronze bronze) {
      // materialised once each, as SilverJob's published tables are, so the metrics do not
      // recompute every timeline from bronze
      Dataset<Row> listings = Timelines.listingTimeline(bronze.listingEvents(), bronze.notices()).localCheckpoint();
      return new Silver(
          Timelines.accountTimeline(bronze.accountEvents(), bronze.listingEvents()).localCheckpoint(),
          listings,
          Timelines.orderFacts(bronze.orders(), bronze.complaints()).localCheckpoint(),
          Timelines.noticeFacts(bronze.notices(), listings).localCheckpoint(),
          Timelines.brandFacts(bronze.brands()).localCheckpoint(),
          Timelines.activityYears(bronze).localCheckpoint());
    }
  }

  /** Every year's rows. */
  public static Dataset<Row> yearlyStats(Silver silver) {
    return yearlyStats(silver, Years.ALL);
  }

  /**
   * The rows of the chosen years only: each family drops the facts of other years before it
   * aggregates, and a year's rows depend on that year's facts alone (plus the brands enrolled by then),
   * so these rows equal the same years of {@link #yearlyStats(Silver)}.
   */
  public static Dataset<Row> yearlyStats(Silver silver, Years years) {
    Dataset<Row> marketplaces = accountMarketplaces(silver.accountTimeline());
    Dataset<Row> allYears = coveredYears(silver.activityYears()).filter(years.contain(col("year")));
    List<Dataset<Row>> families = List.of(
        registrations(silver.accountTimeline(), years),
        accountBlocks(silver.accountTimeline(), years),
        listingsCreated(silver.listingTimeline(), marketplaces, years),
        submissionsBlocked(silver.listingTimeline(), marketplaces, years),
        listingIpBlocks(silver.listingTimeline(), marketplaces, years),
        notices(silver.noticeFacts(), marketplaces, years),
        orders(silver.orderFacts(), marketplaces, years),
        brandsEnrolled(silver.brandFacts(), allYears));

    // stack every family's rows (plus an ALL row for every covered year) and fold them per key in
    // one aggregation: each family has at most one row per (year, marketplace), so max() picks it
    Dataset<Row> stacked = allYears.withColumn("marketplace", lit(ALL));
    for (Dataset<Row> family : families) {
      stacked = stacked.unionByName(family, true);
    }
    List<String> figures = Arrays.stream(stacked.columns()).filter(c -> !c.equals("year") && !c.equals("marketplace")).toList();
    Dataset<Row> stats = stacked.groupBy("year", "marketplace")
        .agg(max(figures.get(0)).as(figures.get(0)),
            figures.stream().skip(1).map(c -> max(c).as(c)).toArray(Column[]::new));
    for (String count : concat(ROW_COUNTS, HELPER_COUNTS)) {
      stats = stats.withColumn(count, coalesce(col(count), lit(0L)));
    }
    Column anyCount = ROW_COUNTS.stream().map(c -> col(c).gt(0)).reduce(Column::or).orElseThrow();
    Column isAll = col("marketplace").equalTo(ALL);
    Dataset<Row> published = stats
        .filter(isAll.or(anyCount))
        .withColumn("brands_enrolled", when(isAll, coalesce(col("brands_enrolled"), lit(0L))))
        .withColumn("pre_listing_block_share", share("accounts_blocked_before_first_listing", "accounts_blocked"))
        .withColumn("verification_pass_share", share("accounts_verified_and_listed_90d", "accounts_registered"))
        .withColumn("proactive_block_share", share("listings_blocked_proactively", "listings_blocked_ip"))
        .withColumn("valid_notices_per_brand", when(isAll, share("valid_notices", "brands_enrolled")))
        .withColumn("notices_resolved_within_24h_share", share("notices_resolved_within_24h", "notices_resolved"))
        .withColumn("counterfeit_complaint_rate", share("orders_with_counterfeit_complaint", "orders"));
    return Timelines.conform(published, SCHEMA);
  }

  /** Which years to compute: all of them, or a chosen set (the years a nightly's changes reach). */
  public record Years(java.util.SortedSet<Integer> chosen) {
    public static final Years ALL = new Years(null);

    public static Years of(java.util.Collection<Integer> years) {
      return new Years(java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(years)));
    }

    public boolean all() {
      return chosen == null;
    }

    /** Whether {@code year} is one of the chosen years (always true for ALL). */
    Column contain(Column year) {
      return all() ? lit(true) : year.isin(chosen.toArray());
    }
  }

  /** numerator / denominator as a double; null when the denominator is 0 (or null). */
  static Column share(String numerator, String denominator) {
    return when(col(denominator).gt(0), col(numerator).cast(DoubleType).divide(col(denominator).cast(DoubleType)));
  }

  /** Each fact row once under its marketplace and once under ALL. */
  static Dataset<Row> withAllMarketplace(Dataset<Row> facts) {
    return facts.unionByName(facts.withColumn("marketplace", lit(ALL)));
  }

  /** account_id -> marketplace of its first REGISTERED, UNKNOWN when it never registered. */
  static Dataset<Row> accountMarketplaces(Dataset<Row> accountTimeline) {
    return accountTimeline.select(
        col("account_id").as("_mp_account_id"),
        coalesce(col("registered_marketplace"), lit(UNKNOWN)).as("_mp_marketplace"));
  }

  /** Adds {@code marketplace} for the seller in {@code sellerColumn}; sellers without REGISTERED are UNKNOWN. */
  static Dataset<Row> withSellerMarketplace(Dataset<Row> facts, String sellerColumn, Dataset<Row> marketplaces) {
    return facts
        .join(marketplaces, col(sellerColumn).equalTo(col("_mp_account_id")), "left")
        .withColumn("marketplace", coalesce(col("_mp_marketplace"), lit(UNKNOWN)))
        .drop("_mp_account_id", "_mp_marketplace");
  }

  private static Column hoursBetween(Column from, Column to) {
    return unix_micros(to).minus(unix_micros(from)).cast(DoubleType).divide(lit((double) HOUR_MICROS));
  }

  /** {@code at} within 90 x 24 h after {@code from}, both ends inclusive (at >= from holds in silver). */
  private static Column within90Days(Column from, Column at) {
    return at.isNotNull().and(unix_micros(at).minus(unix_micros(from)).leq(90 * DAY_MICROS));
  }

  static Dataset<Row> registrations(Dataset<Row> accountTimeline, Years years) {
    Column registered = col("first_registered_at");
    Dataset<Row> facts = accountTimeline
        .filter(registered.isNotNull().and(years.contain(year(registered))))
        .select(
            year(registered).as("year"),
            coalesce(col("registered_marketplace"), lit(UNKNOWN)).as("marketplace"),
            within90Days(registered, col("first_verified_after_registration_at"))
                .and(within90Days(registered, col("first_listing_created_after_registration_at")))
                .as("verified_and_listed_90d"));
    return withAllMarketplace(facts).groupBy("year", "marketplace").agg(
        count(lit(1)).as("accounts_registered"),
        count_if(col("verified_and_listed_90d")).as("accounts_verified_and_listed_90d"));
  }

  /** One fact per (account, year with a block): earliest block of the year decides the timing metrics. */
  static Dataset<Row> accountBlocks(Dataset<Row> accountTimeline, Years years) {
    Dataset<Row> blockYears = accountTimeline
        .select(col("account_id"), col("registered_marketplace"), col("first_registered_at"),
            col("first_listing_created_at"), explode(col("blocks")).as("block"))
        .withColumn("year", year(col("block.event_time")))
        .filter(years.contain(col("year")))
        .groupBy("account_id", "year", "registered_marketplace", "first_registered_at", "first_listing_created_at")
        .agg(
            min("block.event_time").as("earliest_block_at"),
            bool_or(col("block.reason").equalTo("COUNTERFEIT")).as("counterfeit"),
            bool_or(col("block.after_reinstatement")).as("repeat"));
    Column firstListing = col("first_listing_created_at");
    Dataset<Row> facts = blockYears.select(
        col("year"),
        coalesce(col("registered_marketplace"), lit(UNKNOWN)).as("marketplace"),
        // strictly before: a block at the same instant as the first listing is not pre-listing
        firstListing.isNull().or(col("earliest_block_at").lt(firstListing)).as("before_first_listing"),
        col("counterfeit"),
        col("repeat"),
        // null for accounts without REGISTERED: median() skips them
        hoursBetween(col("first_registered_at"), col("earliest_block_at")).as("hours_registration_to_block"));
    return withAllMarketplace(facts).groupBy("year", "marketplace").agg(
        count(lit(1)).as("accounts_blocked"),
        count_if(col("before_first_listing")).as("accounts_blocked_before_first_listing"),
        count_if(coalesce(col("counterfeit"), lit(false))).as("counterfeit_accounts_blocked"),
        count_if(coalesce(col("repeat"), lit(false))).as("repeat_blocked_accounts"),
        // exact median, linear interpolation between the two middle values (percentile 0.5)
        median(col("hours_registration_to_block")).as("median_hours_registration_to_block"));
  }

  static Dataset<Row> listingsCreated(Dataset<Row> listingTimeline, Dataset<Row> marketplaces, Years years) {
    // counted per (year, seller) before the seller's marketplace is joined: the join then moves one
    // row per seller and year instead of one per listing (14 M at 1 M accounts)
    Dataset<Row> sellerYears = listingTimeline
        .filter(col("first_created_at").isNotNull().and(years.contain(year(col("first_created_at")))))
        .groupBy(year(col("first_created_at")).as("year"), col("seller_id"))
        .agg(count(lit(1)).as("listings"));
    return withAllMarketplace(withSellerMarketplace(sellerYears, "seller_id", marketplaces)
            .select("year", "marketplace", "listings"))
        .groupBy("year", "marketplace").agg(sum("listings").as("listings_created"));
  }

  /**
   * Listings with a SUBMISSION_BLOCKED in the year and no CREATED strictly before it. The counted
   * event is the year's earliest such one (if any qualifies, the earliest does); a listing that never
   * went live takes that event's seller.
   */
  static Dataset<Row> submissionsBlocked(Dataset<Row> listingTimeline, Dataset<Row> marketplaces, Years years) {
    Dataset<Row> blockYears = listingTimeline
        .select(col("listing_id"), col("seller_id"), col("first_created_at"), explode(col("submission_blocks")).as("sb"))
        .filter(col("first_created_at").isNull().or(col("sb.event_time").leq(col("first_created_at"))))
        .withColumn("year", year(col("sb.event_time")))
        .filter(years.contain(col("year")))
        .groupBy("listing_id", "year", "seller_id")
        .agg(min("sb").as("counted"));
    Dataset<Row> facts = blockYears.select(
        col("year"), coalesce(col("seller_id"), col("counted.seller_id")).as("attributed_seller"));
    return withAllMarketplace(withSellerMarketplace(facts, "attributed_seller", marketplaces).select("year", "marketplace"))
        .groupBy("year", "marketplace").agg(count(lit(1)).as("submissions_blocked"));
  }

  /**
   * Listings with a COUNTERFEIT/TRADEMARK block in the year; proactive when the year's earliest such
   * block is strictly before the listing's first notice ever (a block at the notice's instant is not).
   */
  static Dataset<Row> listingIpBlocks(Dataset<Row> listingTimeline, Dataset<Row> marketplaces, Years years) {
    Dataset<Row> blockYears = listingTimeline
        .select(col("listing_id"), col("seller_id"), col("first_notice_at"), explode(col("ip_blocks")).as("b"))
        .withColumn("year", year(col("b.event_time")))
        .filter(years.contain(col("year")))
        .groupBy("listing_id", "year", "seller_id", "first_notice_at")
        .agg(min("b").as("earliest"));
    Dataset<Row> facts = blockYears.select(
        col("year"),
        coalesce(col("seller_id"), col("earliest.seller_id")).as("attributed_seller"),
        col("first_notice_at").isNull().or(col("earliest.event_time").lt(col("first_notice_at"))).as("proactive"));
    return withAllMarketplace(withSellerMarketplace(facts, "attributed_seller", marketplaces).select("year", "marketplace", "proactive"))
        .groupBy("year", "marketplace").agg(
            count(lit(1)).as("listings_blocked_ip"),
            count_if(col("proactive")).as("listings_blocked_proactively"));
  }

  static Dataset<Row> notices(Dataset<Row> noticeFacts, Dataset<Row> marketplaces, Years years) {
    Column resolved = col("resolved_at").isNotNull();
    Dataset<Row> facts = withSellerMarketplace(noticeFacts.filter(years.contain(year(col("submitted_at")))),
        "seller_id", marketplaces).select(
        year(col("submitted_at")).as("year"),
        col("marketplace"),
        col("outcome").equalTo("VALID").as("valid"),
        resolved.as("resolved"),
        resolved.and(unix_micros(col("resolved_at")).minus(unix_micros(col("submitted_at"))).leq(DAY_MICROS))
            .as("resolved_within_24h"));
    return withAllMarketplace(facts).groupBy("year", "marketplace").agg(
        count(lit(1)).as("notices_submitted"),
        count_if(col("valid")).as("valid_notices"),
        count_if(col("resolved")).as("notices_resolved"),
        count_if(col("resolved_within_24h")).as("notices_resolved_within_24h"));
  }

  static Dataset<Row> orders(Dataset<Row> orderFacts, Dataset<Row> marketplaces, Years years) {
    // summed per (year, seller) before the seller's marketplace is joined: the join then moves one row
    // per seller and year instead of one per order (27 M at 1 M accounts, the largest shuffle here)
    Dataset<Row> sellerYears = orderFacts
        .filter(years.contain(year(col("order_time"))))
        .groupBy(year(col("order_time")).as("year"), col("seller_id"))
        .agg(count(lit(1)).as("orders"),
            sum(col("quantity")).cast(LongType).as("units"),
            count_if(col("has_counterfeit_complaint")).as("with_complaint"));
    Dataset<Row> facts = withSellerMarketplace(sellerYears, "seller_id", marketplaces)
        .select("year", "marketplace", "orders", "units", "with_complaint");
    return withAllMarketplace(facts).groupBy("year", "marketplace").agg(
        sum("orders").as("orders"),
        sum("units").as("units_sold"),
        sum("with_complaint").as("orders_with_counterfeit_complaint"));
  }

  /** Every year from the earliest to the latest activity year, gaps included. */
  static Dataset<Row> coveredYears(Dataset<Row> activityYears) {
    return activityYears
        .agg(min("year").as("first_year"), max("year").as("last_year"))
        // no activity at all: sequence(null, null) is null and explode yields no year
        .select(explode(sequence(col("first_year"), col("last_year"))).as("year"));
  }

  /** Brands enrolled before the end of each covered year (enrolled_at's UTC year <= year), on ALL only. */
  static Dataset<Row> brandsEnrolled(Dataset<Row> brandFacts, Dataset<Row> coveredYears) {
    return coveredYears
        .join(brandFacts, year(col("enrolled_at")).leq(col("year")), "left")
        .groupBy("year")
        .agg(count(col("brand")).as("brands_enrolled"))
        .select(col("year"), lit(ALL).as("marketplace"), col("brands_enrolled"));
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }
}
