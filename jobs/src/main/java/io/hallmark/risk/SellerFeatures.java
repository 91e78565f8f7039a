package io.hallmark.risk;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.last;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.make_dt_interval;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.unix_seconds;
import static org.apache.spark.sql.functions.when;

import io.hallmark.lake.Bronze;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Point-in-time seller features, for one or many as_of dates at once ({@code dates}: as_of,
 * cutoff = (as_of + 1 day) 00:00 UTC). Every event is joined to the dates whose cutoff it precedes
 * ({@code time < cutoff}), so a feature for as_of D sees exactly the events before the end of D, and
 * training snapshots and evaluation backfills are one job instead of one per date.
 *
 * <p>Consequences of enforcement against the seller itself (its account blocks, listing blocks,
 * removals, refused submissions) are never inputs: only CREATED/UPDATED listing events, orders,
 * complaints, rights-owner notices and other accounts' blocks are read.
 */
public final class SellerFeatures {
  private SellerFeatures() {}

  /** Feature columns, in model order (also the published seller_features column order). */
  public static final List<String> FEATURES = List.of(
      "account_age_days",
      "listings_first_30d",
      "edits_per_listing",
      "share_below_half_ref",
      "median_price_ratio",
      "share_unauthorised_luxury",
      "generic_luxury_category_listings",
      "external_referral_share",
      "top_tag_share",
      "top_tag_complaint_rate",
      "counterfeit_complaint_rate",
      "valid_notices",
      "complaining_brands",
      "linked_blocked_direct",
      "linked_blocked_group",
      "ship_from_mismatch_share",
      "luxury_listings_first_30d",
      "top_tag_blocked_share");

  /**
   * Names this version of the features' definitions. A seller_features publication records it, and a
   * later run carries rows only from a publication with the same one: change it with any change to what
   * a feature means or how it is computed, so that the next night recomputes every seller.
   */
  public static final String DEFINITION = "2026-12-04";

  static final String[] EXTERNAL_REFERRALS = {"INSTAGRAM", "TIKTOK", "YOUTUBE", "EXTERNAL_SITE"};

  /** Events joined to every as_of whose cutoff they precede (strictly). */
  public static Dataset<Row> pointInTime(Dataset<Row> events, String timeColumn, Dataset<Row> dates) {
    return events.join(broadcast(dates), seen(events, timeColumn), "inner");
  }

  /**
   * An event is seen on a date when its time precedes the date's cutoff, and, read as known on each date
   * ({@link RiskTables#asKnownOnEachDate}), when it had arrived by that date's run as well.
   */
  static Column seen(Dataset<Row> events, String timeColumn) {
    Column seen = col(timeColumn).lt(col("cutoff"));
    return java.util.Arrays.asList(events.columns()).contains(RiskTables.KNOWN_AT)
        ? seen.and(col(RiskTables.KNOWN_AT).lt(col("cutoff"))) : seen;
  }

  /**
   * (as_of, account_id, reason) of the accounts blocked at the cutoff: their latest BLOCKED or REINSTATED
   * event before it (by event time, then event id) is a block. The one definition the training labels
   * (blocked sellers are not scored) and the link graph (blocked neighbours) share.
   */
  public static Dataset<Row> blockedAtCutoff(Dataset<Row> accountEvents, Dataset<Row> dates) {
    return pointInTime(accountEvents, "event_time", dates)
        .filter(col("event_type").isin("BLOCKED", "REINSTATED"))
        .groupBy("as_of", "account_id")
        .agg(max_by(struct(col("event_type"), col("reason")), struct(col("event_time"), col("event_id"))).as("last"))
        .filter(col("last.event_type").equalTo("BLOCKED"))
        .select(col("as_of"), col("account_id"), col("last.reason").as("reason"));
  }

  /** Settings the transforms need (smoothing, graph bounds, category regex, complaint broadcast limit). */
  public record Params(double priorRate, double priorWeight, int maxFingerprintDegree, int maxIterations,
      String luxuryCategoryRegex, long broadcastComplainedOrdersMax) {
    public static Params of(RiskSettings s) {
      return new Params(s.complaintPriorRate(), s.complaintPriorWeight(), s.maxFingerprintDegree(),
          s.maxGraphIterations(), s.luxuryCategoryRegex(), s.broadcastComplainedOrdersMax());
    }
  }

  /** All features for every (seller, as_of) with a listing created before the cutoff. */
  public static Dataset<Row> compute(Bronze bronze, Dataset<Row> dates, Params p) {
    Dataset<Row> blocked = LinkGraph.blockedAccounts(bronze.accountEvents(), dates);
    return features(bronze, dates, links(bronze.accountEvents(), dates, p),
        sellerTagOrders -> tagRates(sellerTagOrders, blocked, p), p);
  }

  /**
   * (as_of, seller_id, linked_blocked_direct, linked_blocked_group) for every account with a usable
   * fingerprint edge, from all account events: a block anywhere in a group reaches every member, so
   * these are never computed from a subset of accounts.
   */
  public static Dataset<Row> links(Dataset<Row> accountEvents, Dataset<Row> dates, Params p) {
    // materialised once: the label propagation joins the edges twice per round, and each join would
    // otherwise recompute them from all account events (a dozen scans per run)
    Dataset<Row> edges = LinkGraph.fingerprintEdges(accountEvents, dates, p.maxFingerprintDegree())
        .localCheckpoint();
    return LinkGraph.linkFeatures(edges, LinkGraph.components(edges, p.maxIterations()),
            LinkGraph.blockedAccounts(accountEvents, dates))
        .withColumnRenamed("account_id", "seller_id");
  }

  /** {@link #linksAround}'s links, with the number of accounts in the groups it recomputed. */
  public record CarriedLinks(Dataset<Row> links, long recomputedAccounts) {}

  /**
   * The link features of every account as {@link #links} computes them, recomputed only in the groups a
   * night's changes reach and carried for every other account: {@code changedEvents} are the account
   * events that differ from what the previous publication saw (see {@link LinkGraph#seeds}),
   * {@code previous} (seller_id, linked_blocked_direct, linked_blocked_group) that publication's values,
   * {@code moreSeeds} (seller_id) accounts that need their values computed although nothing of theirs
   * changed (new sellers: no previous value to carry). A group no seed reaches has the same members,
   * edges and blocked members as before, so its accounts' values are the previous ones. Empty when the
   * reached groups are not a small part of the graph (more than maxAccounts accounts, or not settled
   * within the graph's rounds): then {@link #links} over everything is the cheaper plan.
   */
  public static java.util.Optional<CarriedLinks> linksAround(Dataset<Row> accountEvents, Dataset<Row> changedEvents,
      Dataset<Row> moreSeeds, Dataset<Row> previous, Dataset<Row> dates, Params p, long maxAccounts) {
    Dataset<Row> carriedAll = previous.crossJoin(broadcast(dates))
        .select("as_of", "seller_id", "linked_blocked_direct", "linked_blocked_group");
    // materialised once: a change feed and a scan of every account event, used three times below
    Dataset<Row> changed = changedEvents.select("account_id", "payment_fingerprint", "device_fingerprint",
        "address_fingerprint").localCheckpoint();
    if (changed.isEmpty() && moreSeeds.isEmpty()) {
      return java.util.Optional.of(new CarriedLinks(carriedAll, 0)); // nothing enters the graph: every value carried
    }
    Dataset<Row> pairs = LinkGraph.fingerprintPairs(accountEvents, dates).localCheckpoint();
    Dataset<Row> edges = LinkGraph.usableEdges(pairs, p.maxFingerprintDegree()).localCheckpoint();
    Dataset<Row> seeds = LinkGraph.seeds(pairs, changed, dates, p.maxFingerprintDegree())
        .unionByName(moreSeeds.crossJoin(broadcast(dates)).select(col("as_of"), col("seller_id").as("account_id")));
    java.util.Optional<Dataset<Row>> reached = LinkGraph.groupsOf(edges, seeds, p.maxIterations(), maxAccounts);
    if (reached.isEmpty()) {
      return java.util.Optional.empty();
    }
    Dataset<Row> groups = broadcast(reached.get());
    Dataset<Row> groupEdges = edges.join(groups, new String[] {"as_of", "account_id"}, "left_semi").localCheckpoint();
    // only the reached accounts' own events decide whether they are blocked
    Dataset<Row> groupEvents = accountEvents.join(broadcast(reached.get().select("account_id").distinct()),
        new String[] {"account_id"}, "left_semi");
    Dataset<Row> blocked = LinkGraph.blockedAccounts(groupEvents, dates)
        .join(groups, new String[] {"as_of", "account_id"}, "left_semi");
    Dataset<Row> recomputed = LinkGraph.linkFeatures(groupEdges, LinkGraph.components(groupEdges, p.maxIterations()), blocked)
        .withColumnRenamed("account_id", "seller_id");
    Dataset<Row> carried = carriedAll
        .join(groups.withColumnRenamed("account_id", "seller_id"), new String[] {"as_of", "seller_id"}, "left_anti");
    return java.util.Optional.of(new CarriedLinks(recomputed.unionByName(carried), reached.get().count()));
  }

  /**
   * Every feature of the sellers whose listings {@code bronze} holds, with the link features given:
   * {@code bronze} may be all of bronze, or only the rows that reach some sellers (see
   * {@link TouchedSellers#scope}); a seller's features then need its own listings, account events and
   * orders, and its top referral tag's figures over every seller's orders: {@code tagRatesOf} gives them
   * ({@link #tagRates}) from the per-(seller, tag) counts of the sellers' own orders.
   */
  public static Dataset<Row> features(Bronze bronze, Dataset<Row> dates, Dataset<Row> links,
      java.util.function.Function<Dataset<Row>, Dataset<Row>> tagRatesOf, Params p) {
    // listing states feed the seller population, the listing features and the notice features, each
    // with its own columns, so Spark cannot share one scan: materialised once, as the edges are
    // (at 100 k accounts the listing events were scanned and shuffled six times per run)
    Dataset<Row> listings = listingStates(bronze.listingEvents(), dates).localCheckpoint();
    Dataset<Row> sellers = sellers(listings);
    Dataset<Row> accounts = accountFacts(bronze.accountEvents(), dates);
    Dataset<Row> listingFeatures = listingFeatures(listings, accounts, bronze.catalog(), bronze.brands(),
        bronze.authorizations(), p.luxuryCategoryRegex());
    // orders are the largest table (27 M rows at 1 M accounts): read once into per-(seller, tag) counts
    Dataset<Row> sellerTagOrders = sellerTagOrders(bronze.orders(), bronze.complaints(), dates,
        p.broadcastComplainedOrdersMax()).localCheckpoint();
    // the seller's own block only takes its own orders out of its tag's blocked share (never an input)
    Dataset<Row> selfBlocked = LinkGraph.blockedAccounts(bronze.accountEvents(), dates);
    Dataset<Row> orderFeatures = orderFeatures(sellerTagOrders, tagRatesOf.apply(sellerTagOrders), selfBlocked, p);
    Dataset<Row> noticeFeatures = noticeFeatures(bronze.notices(), listings, dates);
    return assemble(sellers, accounts, listingFeatures, orderFeatures, noticeFeatures, links, p);
  }

  /**
   * One row per (as_of, listing) created before the cutoff: seller, product, brand, category,
   * created_at, the latest known price and ship-from country, and its UPDATED count.
   */
  static Dataset<Row> listingStates(Dataset<Row> listingEvents, Dataset<Row> dates) {
    // one window over each listing's events in (event_time, event_id) order, not min_by/max_by: their
    // string and struct buffers make Spark sort-aggregate twice (map and reduce side), a third
    // of the features' task time at 1 M accounts (136 of 428 s); the window sorts once
    WindowSpec history = Window.partitionBy("as_of", "listing_id").orderBy(col("event_time"), col("event_id"));
    WindowSpec wholeHistory = history.rowsBetween(Window.unboundedPreceding(), Window.unboundedFollowing());
    Column creation = when(col("event_type").equalTo("CREATED"), struct(col("seller_id"), col("product_id"),
        col("brand"), col("category"), col("event_time").as("created_at")));
    return pointInTime(listingEvents.filter(col("event_type").isin("CREATED", "UPDATED")), "event_time", dates)
        .select(col("as_of"), col("listing_id"),
            row_number().over(history).as("event_rank"),
            first(creation, true).over(wholeHistory).as("creation"),
            last(col("price_usd"), true).over(wholeHistory).as("price_usd"),
            last(col("ship_from_country"), true).over(wholeHistory).as("ship_from_country"),
            sum(when(col("event_type").equalTo("UPDATED"), 1).otherwise(0)).over(wholeHistory).as("edits"))
        // one row per listing; an UPDATED without a CREATED before the cutoff is not a listing yet
        .filter(col("event_rank").equalTo(1).and(col("creation").isNotNull()))
        .select(col("as_of"), col("listing_id"), col("creation.seller_id").as("seller_id"),
            col("creation.product_id").as("product_id"), col("creation.brand").as("brand"),
            col("creation.category").as("category"), col("creation.created_at").as("created_at"),
            col("price_usd"), col("ship_from_country"), col("edits"));
  }

  /** (as_of, seller_id, first_listing_at, listings): the population scored on that date. */
  static Dataset<Row> sellers(Dataset<Row> listings) {
    return listings.groupBy("as_of", "seller_id")
        .agg(min("created_at").as("first_listing_at"), count(lit(1)).as("listings"))
        .select("as_of", "seller_id", "first_listing_at", "listings");
  }

  /** (as_of, seller_id, registered_at, declared_country) from the account's own events. */
  static Dataset<Row> accountFacts(Dataset<Row> accountEvents, Dataset<Row> dates) {
    return pointInTime(accountEvents, "event_time", dates)
        .groupBy("as_of", "account_id")
        .agg(min(when(col("event_type").equalTo("REGISTERED"), col("event_time"))).as("registered_at"),
            max_by(col("country"), when(col("country").isNotNull(), struct(col("event_time"), col("event_id"))))
                .as("declared_country"))
        .select(col("as_of"), col("account_id").as("seller_id"), col("registered_at"), col("declared_country"));
  }

  /** Listing-derived features per (as_of, seller_id). */
  static Dataset<Row> listingFeatures(Dataset<Row> listings, Dataset<Row> accounts, Dataset<Row> catalog,
      Dataset<Row> brands, Dataset<Row> authorizations, String luxuryCategoryRegex) {
    Dataset<Row> luxuryBrands = brands.filter(col("luxury")).select(col("brand").as("luxury_brand"));
    // authorised for the brand at the listing's creation
    Dataset<Row> authorised = listings.as("l")
        .join(authorizations.as("a"), col("l.brand").equalTo(col("a.brand"))
            .and(col("l.seller_id").equalTo(col("a.seller_id")))
            .and(col("a.valid_from").leq(col("l.created_at")))
            .and(col("a.valid_to").isNull().or(col("a.valid_to").gt(col("l.created_at")))), "left_semi")
        .select(col("as_of"), col("listing_id"), lit(true).as("authorised"));
    WindowSpec byRatio = Window.partitionBy("as_of", "seller_id").orderBy(col("price_ratio").asc_nulls_last());
    Dataset<Row> enriched = listings
        .join(catalog.select("product_id", "reference_price_usd"), new String[] {"product_id"}, "left")
        .join(broadcast(luxuryBrands), col("brand").equalTo(col("luxury_brand")), "left")
        .join(authorised, new String[] {"as_of", "listing_id"}, "left")
        .join(accounts.select("as_of", "seller_id", "registered_at", "declared_country"),
            new String[] {"as_of", "seller_id"}, "left")
        .withColumn("price_ratio", when(col("brand").isNotNull().and(col("reference_price_usd").gt(0)),
            col("price_usd").divide(col("reference_price_usd"))))
        .withColumn("unauthorised_luxury", col("luxury_brand").isNotNull().and(col("authorised").isNull()))
        .withColumn("generic_luxury", col("brand").isNull()
            .and(coalesce(lower(col("category")).rlike(luxuryCategoryRegex), lit(false))))
        .withColumn("ship_mismatch", coalesce(col("ship_from_country").notEqual(col("declared_country")), lit(false)))
        .withColumn("in_first_30d", col("registered_at").isNotNull()
            .and(col("created_at").lt(col("registered_at").plus(make_dt_interval(lit(30))))))
        // the exact median of the price ratios without percentile(): its per-seller hash-map buffers
        // make Spark fall back to a sort-based object aggregation over every listing (a third of the
        // final stage at 1 M accounts); instead one sort ranks each seller's ratios (nulls last) and
        // the aggregation below picks the middle one or two, as percentile(0.5) interpolates them
        .withColumn("ratio_rank", row_number().over(byRatio))
        .withColumn("ratios", count(col("price_ratio")).over(byRatio.rowsBetween(
            Window.unboundedPreceding(), Window.unboundedFollowing())));
    // 1-based ranks of the two middle ratios (equal when the count is odd)
    Column lowerMiddle = expr("floor((ratios - 1) / 2) + 1");
    Column upperMiddle = expr("ceil((ratios - 1) / 2) + 1");
    return enriched.groupBy("as_of", "seller_id")
        .agg(count(lit(1)).as("n"),
            sum(when(col("in_first_30d"), 1).otherwise(0)).as("first_30d"),
            sum("edits").as("edits"),
            count(col("price_ratio")).as("priced_branded"),
            sum(when(col("price_ratio").lt(0.5), 1).otherwise(0)).as("below_half"),
            sum(when(col("ratio_rank").equalTo(lowerMiddle), col("price_ratio").multiply(0.5)))
                .plus(sum(when(col("ratio_rank").equalTo(upperMiddle), col("price_ratio").multiply(0.5))))
                .as("median_ratio"),
            sum(when(col("unauthorised_luxury"), 1).otherwise(0)).as("unauth_lux"),
            sum(when(col("generic_luxury"), 1).otherwise(0)).as("generic_lux"),
            sum(when(col("in_first_30d").and(col("unauthorised_luxury").or(col("generic_luxury"))), 1).otherwise(0))
                .as("luxury_first_30d"),
            sum(when(col("ship_mismatch"), 1).otherwise(0)).as("mismatch"))
        .select(col("as_of"), col("seller_id"),
            col("first_30d").cast("double").as("listings_first_30d"),
            col("edits").divide(col("n")).as("edits_per_listing"),
            when(col("priced_branded").gt(0), col("below_half").divide(col("priced_branded"))).otherwise(0.0)
                .as("share_below_half_ref"),
            coalesce(col("median_ratio"), lit(1.0)).as("median_price_ratio"),
            col("unauth_lux").divide(col("n")).as("share_unauthorised_luxury"),
            col("generic_lux").cast("double").as("generic_luxury_category_listings"),
            col("mismatch").divide(col("n")).as("ship_from_mismatch_share"),
            col("luxury_first_30d").cast("double").as("luxury_listings_first_30d"));
  }

  /**
   * Orders known before the cutoff, counted per (as_of, seller_id, referral_tag) (tag null for orders
   * without one): orders, orders from an external referral, and counterfeit complaints on them
   * (complaints known before the cutoff). Every order feature is a sum over these counts.
   *
   * <p>Each complained order's counterfeit complaint times are joined to the orders before the dates
   * are, so that join does not grow with the number of as_of dates; when there are at most
   * {@code broadcastMax} such orders they are broadcast, and the orders (27 M rows at 1 M accounts,
   * against 1.05 M complaints of all types) are counted where they are read instead of shuffled to
   * meet them.
   */
  static Dataset<Row> sellerTagOrders(Dataset<Row> orders, Dataset<Row> complaints, Dataset<Row> dates,
      long broadcastMax) {
    Dataset<Row> complaintTimes = complaints.filter(col("complaint_type").equalTo("COUNTERFEIT"))
        .groupBy("order_id").agg(collect_list("complaint_time").as("cf_times"))
        .localCheckpoint();
    if (complaintTimes.count() <= broadcastMax) {
      complaintTimes = broadcast(complaintTimes);
    }
    Column complaintsBeforeCutoff = when(col("cf_times").isNull(), lit(0))
        .otherwise(size(filter(col("cf_times"), time -> time.lt(col("cutoff")))));
    return pointInTime(orders.join(complaintTimes, new String[] {"order_id"}, "left"), "order_time", dates)
        .groupBy("as_of", "seller_id", "referral_tag")
        .agg(count(lit(1)).as("orders"),
            sum(when(col("referral_source").isin((Object[]) EXTERNAL_REFERRALS), 1).otherwise(0)).as("external"),
            sum(complaintsBeforeCutoff).as("cf"))
        .select("as_of", "seller_id", "referral_tag", "orders", "external", "cf");
  }

  /**
   * (as_of, referral_tag, tag_rate, tag_orders, tag_blocked_orders) over all the tag's orders in
   * {@code sellerTagOrders}: its smoothed counterfeit-complaint rate, its orders, and those of them received
   * by sellers blocked at the cutoff for a link reason ({@code blocked}: as_of, account_id, see
   * {@link LinkGraph#blockedAccounts}).
   */
  static Dataset<Row> tagRates(Dataset<Row> sellerTagOrders, Dataset<Row> blocked, Params p) {
    Column prior = lit(p.priorRate());
    Column weight = lit(p.priorWeight());
    return sellerTagOrders.filter(col("referral_tag").isNotNull())
        .join(blocked.select(col("as_of"), col("account_id").as("seller_id"), lit(true).as("seller_blocked")),
            new String[] {"as_of", "seller_id"}, "left")
        .groupBy("as_of", "referral_tag")
        .agg(sum("orders").as("tag_orders"), sum("cf").as("tag_cf"),
            sum(when(col("seller_blocked"), col("orders")).otherwise(0L)).as("tag_blocked_orders"))
        .select(col("as_of"), col("referral_tag"),
            col("tag_cf").plus(weight.multiply(prior)).divide(col("tag_orders").plus(weight)).as("tag_rate"),
            col("tag_orders"), col("tag_blocked_orders"));
  }

  /** (as_of, seller_id, referral_tag, top_tag_orders): the tag most of a seller's tagged orders came through (ties: smallest tag). */
  static Dataset<Row> topTags(Dataset<Row> sellerTagOrders) {
    return sellerTagOrders.filter(col("referral_tag").isNotNull())
        .withColumn("rank", row_number().over(Window.partitionBy("as_of", "seller_id")
            .orderBy(col("orders").desc(), col("referral_tag"))))
        .filter(col("rank").equalTo(1))
        .select(col("as_of"), col("seller_id"), col("referral_tag"), col("orders").as("top_tag_orders"));
  }

  /**
   * Order, referral and complaint features per (as_of, seller_id), from {@link #sellerTagOrders}, the
   * figures ({@link #tagRates}) of at least every seller's top tag, and the blocked sellers.
   */
  static Dataset<Row> orderFeatures(Dataset<Row> sellerTagOrders, Dataset<Row> tagRates, Dataset<Row> blocked,
      Params p) {
    Column prior = lit(p.priorRate());
    Column weight = lit(p.priorWeight());
    Dataset<Row> topTag = topTagFigures(topTags(sellerTagOrders), tagRates, blocked, p);
    return sellerTagOrders.groupBy("as_of", "seller_id")
        .agg(sum("orders").as("orders"), sum("external").as("external"), sum("cf").as("cf"))
        .join(topTag, new String[] {"as_of", "seller_id"}, "left")
        .select(col("as_of"), col("seller_id"),
            col("external").divide(col("orders")).as("external_referral_share"),
            coalesce(col("top_tag_orders"), lit(0L)).divide(col("orders")).as("top_tag_share"),
            coalesce(col("tag_rate"), prior).as("top_tag_complaint_rate"),
            col("cf").plus(weight.multiply(prior)).divide(col("orders").plus(weight)).as("counterfeit_complaint_rate"),
            coalesce(col("top_tag_blocked_share"), lit(0.0)).as("top_tag_blocked_share"));
  }

  /**
   * (as_of, seller_id, top_tag_orders, tag_rate, top_tag_blocked_share) of sellers' top tags ({@link #topTags}):
   * the tag's complaint rate, and the share of the tag's orders at other sellers that went to sellers blocked at
   * the cutoff for a link reason (a tag shared with sellers already blocked), smoothed towards 0 by
   * {@code complaint-prior-weight} orders. The seller's own orders are left out of that share, so its own
   * block is never an input.
   */
  static Dataset<Row> topTagFigures(Dataset<Row> topTags, Dataset<Row> tagRates, Dataset<Row> blocked, Params p) {
    Column ownBlocked = when(col("self_blocked"), col("top_tag_orders")).otherwise(0L);
    Column others = col("tag_orders").minus(col("top_tag_orders"));
    return topTags
        .join(tagRates, new String[] {"as_of", "referral_tag"}, "inner")
        .join(blocked.select(col("as_of"), col("account_id").as("seller_id"), lit(true).as("self_blocked")),
            new String[] {"as_of", "seller_id"}, "left")
        .select(col("as_of"), col("seller_id"), col("top_tag_orders"), col("tag_rate"),
            col("tag_blocked_orders").minus(ownBlocked).divide(others.plus(lit(p.priorWeight())))
                .as("top_tag_blocked_share"));
  }

  /**
   * Rights-owner notices per (as_of, seller_id): VALID counterfeit/trademark notices whose outcome
   * was known before the cutoff (resolved_at), and distinct brands that sent any notice.
   */
  static Dataset<Row> noticeFeatures(Dataset<Row> notices, Dataset<Row> listings, Dataset<Row> dates) {
    return pointInTime(notices, "submitted_at", dates)
        .join(listings.select("as_of", "listing_id", "seller_id"), new String[] {"as_of", "listing_id"}, "inner")
        .groupBy("as_of", "seller_id")
        .agg(sum(when(col("notice_type").isin("COUNTERFEIT", "TRADEMARK").and(col("outcome").equalTo("VALID"))
                .and(col("resolved_at").lt(col("cutoff"))), 1).otherwise(0)).as("valid"),
            countDistinct("brand").as("brands"))
        .select(col("as_of"), col("seller_id"), col("valid").cast("double").as("valid_notices"),
            col("brands").cast("double").as("complaining_brands"));
  }

  /** One row per scored seller: missing evidence becomes the neutral value (0, or the prior for rates). */
  static Dataset<Row> assemble(Dataset<Row> sellers, Dataset<Row> accounts, Dataset<Row> listingFeatures,
      Dataset<Row> orderFeatures, Dataset<Row> noticeFeatures, Dataset<Row> links, Params p) {
    String[] key = {"as_of", "seller_id"};
    Dataset<Row> joined = sellers
        .join(accounts, key, "left")
        .join(listingFeatures, key, "left")
        .join(orderFeatures, key, "left")
        .join(noticeFeatures, key, "left")
        .join(links, key, "left");
    List<Column> out = new ArrayList<>();
    out.add(col("seller_id"));
    out.add(col("as_of"));
    for (String f : FEATURES) {
      Column value = switch (f) {
        // registration unknown (its events not delivered yet): age from the first listing
        case "account_age_days" -> unix_seconds(expr("cast(date_add(as_of, 1) as timestamp)"))
            .minus(unix_seconds(coalesce(col("registered_at"), col("first_listing_at")))).divide(86400.0);
        case "median_price_ratio" -> coalesce(col(f), lit(1.0));
        case "top_tag_complaint_rate", "counterfeit_complaint_rate" -> coalesce(col(f), lit(p.priorRate()));
        default -> coalesce(col(f).cast("double"), lit(0.0));
      };
      out.add(value.cast("double").as(f));
    }
    return joined.select(out.toArray(new Column[0]));
  }
}
