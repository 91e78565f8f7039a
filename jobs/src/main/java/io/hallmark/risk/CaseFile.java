package io.hallmark.risk;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.hallmark.lake.Bronze;
import io.hallmark.config.ConfigError;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The case file of one seller on one date ({@code hallmark explain}): its score and every feature with
 * the seller's value, the marketplace baseline the reasons' sentences compare it with, the model's
 * contribution and the sentence; the accounts it shares a fingerprint with (which kind, their blocks);
 * its listings priced against the catalog reference; and its timeline of blocks, notices and complaints.
 *
 * <p>Point in time as the score is: every row read has its time before the end of as_of (UTC), and a
 * notice's outcome shows only when it was resolved before then. Built as a JSON-ready map (ordered) so
 * the printed and the written case file are the same content.
 */
public final class CaseFile {
  private CaseFile() {}

  /** The features the reasons compare with the median seller (the others: the average seller, or a pooled rate). */
  static final Set<String> MEDIAN_BASELINE = Set.of("account_age_days", "listings_first_30d", "median_price_ratio");

  /** Listing events that are enforcement against a listing (the timeline's, never a feature). */
  static final List<String> LISTING_ENFORCEMENT = List.of("SUBMISSION_BLOCKED", "BLOCKED", "REMOVED", "REINSTATED");

  /**
   * The marketplace value a feature is set against, the one its sentence cites ({@link RiskReasons#sentences}):
   * pooled rates for the order rates (all counterfeit complaints, or external referrals, over all orders),
   * the median seller for age, early listings and price ratio, the average seller for every other feature.
   */
  static Column baseline(String feature) {
    return switch (feature) {
      case "counterfeit_complaint_rate", "top_tag_complaint_rate" ->
          when(col("m_orders").gt(0), col("m_cf").divide(col("m_orders")));
      case "external_referral_share" -> when(col("m_orders").gt(0), col("m_external").divide(col("m_orders")));
      default -> MEDIAN_BASELINE.contains(feature) ? col("median_" + feature).cast("double") : col("avg_" + feature);
    };
  }

  static String baselineOf(String feature) {
    return switch (feature) {
      case "counterfeit_complaint_rate", "top_tag_complaint_rate" ->
          "marketplace rate (all counterfeit complaints over all orders)";
      case "external_referral_share" -> "marketplace share (all external-referral orders over all orders)";
      default -> MEDIAN_BASELINE.contains(feature) ? "median seller" : "average seller";
    };
  }

  /**
   * The case file of {@code sellerId} on {@code asOf} from {@code bronze} (already limited to the rows the
   * caller may see, e.g. as known then), scored by {@code model}.
   *
   * @throws ConfigError when bronze knows no such seller, or it had no listing before the end of asOf
   */
  public static Map<String, Object> build(SparkSession spark, Bronze bronze, RiskModel model, RiskSettings s,
      String sellerId, LocalDate asOf) {
    Dataset<Row> dates = RiskTables.asOfDates(spark, List.of(asOf));
    Timestamp cutoff = cutoffOf(asOf);
    requireScored(bronze, sellerId, asOf);
    SellerFeatures.Params p = SellerFeatures.Params.of(s);
    Dataset<Row> features = SellerFeatures.compute(bronze, dates, p).cache();
    try {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("seller_id", sellerId);
      doc.put("as_of", asOf.toString());
      doc.put("sees", "rows with their time before " + instant(cutoff) + " (the end of as_of, UTC)");
      scoreAndFeatures(doc, features, RiskReasons.evidence(bronze, dates, p), model, sellerId);
      doc.put("linked_accounts", linkedAccounts(bronze.accountEvents(), dates, p, s.maxGraphIterations(), sellerId));
      doc.put("listings", listings(bronze, dates, sellerId));
      doc.put("timeline", timeline(bronze, dates, sellerId));
      return doc;
    } finally {
      features.unpersist();
    }
  }

  /** One line naming the seller when it has no score on asOf (unknown, or no listing before the cutoff). */
  static void requireScored(Bronze bronze, String sellerId, LocalDate asOf) {
    Row first = bronze.listingEvents()
        .filter(col("seller_id").equalTo(sellerId).and(col("event_type").equalTo("CREATED")))
        .agg(min("event_time")).head();
    Timestamp firstListing = first.isNullAt(0) ? null : first.getTimestamp(0);
    if (firstListing == null && bronze.accountEvents().filter(col("account_id").equalTo(sellerId)).isEmpty()) {
      throw new ConfigError("unknown seller '" + sellerId + "': bronze has no account or listing event of it (check --seller)");
    }
    Timestamp cutoff = cutoffOf(asOf);
    if (firstListing == null || !firstListing.before(cutoff)) {
      throw new ConfigError("seller '" + sellerId + "' has no listing created by the end of " + asOf
          + (firstListing == null ? " (none in bronze)" : " (its first: " + instant(firstListing) + ")")
          + ", so it has no score on that date; choose a later --as-of");
    }
  }

  private static void scoreAndFeatures(Map<String, Object> doc, Dataset<Row> features, Dataset<Row> evidence,
      RiskModel model, String sellerId) {
    String[] key = {"as_of", "seller_id"};
    Dataset<Row> mine = features.filter(col("seller_id").equalTo(sellerId));
    Dataset<Row> joined = model.score(mine).join(mine, key, "inner")
        .join(evidence.filter(col("seller_id").equalTo(sellerId)), key, "left")
        .join(broadcast(RiskReasons.baselines(features, evidence)), new String[] {"as_of"}, "left");
    Map<String, Column> sentences = RiskReasons.sentences();
    List<Column> out = new ArrayList<>(List.of(col("risk_score"), col("risk_band"), model.logit().as("logit"),
        col("reason_1"), col("reason_2"), col("reason_3")));
    List<String> names = SellerFeatures.FEATURES;
    for (int i = 0; i < names.size(); i++) {
      String f = names.get(i);
      Column sentence = sentences.get(f);
      out.add(col(f).as("v" + i));
      out.add(baseline(f).as("b" + i));
      out.add(model.contribution(f).as("c" + i));
      out.add((sentence == null ? lit(null).cast("string") : sentence).as("s" + i));
    }
    Row r = joined.select(out.toArray(Column[]::new)).head();
    List<String> reasons = new ArrayList<>();
    for (int n = 1; n <= 3; n++) {
      String reason = r.getAs("reason_" + n);
      if (reason != null) {
        reasons.add(reason);
      }
    }
    doc.put("model_version", model.version());
    doc.put("risk_score", r.getDouble(0));
    doc.put("risk_band", r.getString(1));
    doc.put("risk_score_is", "the probability that " + RiskModel.EVENT);
    doc.put("logit", r.getDouble(2));
    doc.put("intercept", model.intercept());
    doc.put("calibration", model.calibration().asMap());
    doc.put("bands", model.bands().asMap());
    doc.put("reasons", reasons);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      String f = names.get(i);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("feature", f);
      m.put("value", r.getAs("v" + i));
      m.put("baseline", r.getAs("b" + i));
      m.put("baseline_is", baselineOf(f));
      m.put("contribution", r.getAs("c" + i));
      m.put("weight", model.weights().get(f));
      m.put("model_baseline", model.baselines().get(f));
      m.put("reason_rank", reasons.contains(f) ? reasons.indexOf(f) + 1 : null);
      m.put("evidence", r.getAs("s" + i));
      rows.add(m);
    }
    doc.put("features", rows);
  }

  /**
   * The accounts sharing a usable fingerprint with the seller on that date (hub fingerprints left out, as
   * for the features), the kinds that link each (payment, device, address) and its block at the cutoff;
   * and the seller's group of linked accounts with its blocked members ({@code counted}: a link reason,
   * what linked_blocked_direct and linked_blocked_group count).
   */
  static Map<String, Object> linkedAccounts(Dataset<Row> accountEvents, Dataset<Row> dates, SellerFeatures.Params p,
      int maxIterations, String sellerId) {
    Dataset<Row> edges = LinkGraph.fingerprintEdges(accountEvents, dates, p.maxFingerprintDegree()).localCheckpoint();
    Dataset<Row> blocked = SellerFeatures.blockedAtCutoff(accountEvents, dates).select("account_id", "reason");
    Dataset<Row> own = edges.filter(col("account_id").equalTo(sellerId)).select("fingerprint");
    List<Row> direct = edges.join(own, new String[] {"fingerprint"}, "left_semi")
        .filter(col("account_id").notEqual(sellerId))
        .groupBy("account_id").agg(collect_set(split(col("fingerprint"), ":").getItem(0)).as("kinds"))
        .join(blocked, new String[] {"account_id"}, "left")
        .orderBy("account_id").collectAsList();
    List<Map<String, Object>> links = new ArrayList<>();
    for (Row r : direct) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("account_id", r.getString(0));
      m.put("linked_by", kindsInOrder(r.getList(1)));
      m.put("blocked_for", r.getString(2));
      m.put("counted", r.getString(2) != null && Arrays.asList(LinkGraph.LINK_BLOCK_REASONS).contains(r.getString(2)));
      links.add(m);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("direct", links);
    Dataset<Row> components = LinkGraph.components(edges, maxIterations);
    Dataset<Row> group = components.join(components.filter(col("account_id").equalTo(sellerId)).select("component"),
        new String[] {"component"}, "left_semi");
    Map<String, Object> g = new LinkedHashMap<>();
    g.put("accounts", group.count());
    List<Map<String, Object>> blockedMembers = new ArrayList<>();
    for (Row r : group.filter(col("account_id").notEqual(sellerId))
        .join(blocked, new String[] {"account_id"}, "inner").orderBy("account_id").collectAsList()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("account_id", r.getAs("account_id"));
      m.put("blocked_for", r.getAs("reason"));
      m.put("counted", Arrays.asList(LinkGraph.LINK_BLOCK_REASONS).contains(r.<String>getAs("reason")));
      blockedMembers.add(m);
    }
    g.put("blocked", blockedMembers);
    out.put("group", g);
    return out;
  }

  private static List<String> kindsInOrder(List<Object> kinds) {
    List<String> out = new ArrayList<>();
    for (String k : List.of("payment", "device", "address")) {
      if (kinds.contains(k)) {
        out.add(k);
      }
    }
    return out;
  }

  /**
   * The seller's listings created before the cutoff: latest known price against the catalog reference
   * (the ratio the price features use: branded listings with a reference), the brand's luxury flag and
   * the seller's authorisation for it at the listing's creation, orders and counterfeit complaints known
   * at the cutoff, and the listing's state after its last enforcement event.
   */
  static List<Map<String, Object>> listings(Bronze bronze, Dataset<Row> dates, String sellerId) {
    Dataset<Row> listings = SellerFeatures.listingStates(bronze.listingEvents().filter(col("seller_id").equalTo(sellerId)), dates)
        .filter(col("seller_id").equalTo(sellerId));
    Dataset<Row> authorised = listings.as("l")
        .join(bronze.authorizations().as("a"), col("l.brand").equalTo(col("a.brand"))
            .and(col("l.seller_id").equalTo(col("a.seller_id")))
            .and(col("a.valid_from").leq(col("l.created_at")))
            .and(col("a.valid_to").isNull().or(col("a.valid_to").gt(col("l.created_at")))), "left_semi")
        .select(col("listing_id"), lit(true).as("authorised"));
    Dataset<Row> state = SellerFeatures.pointInTime(bronze.listingEvents()
            .filter(col("seller_id").equalTo(sellerId).and(col("event_type").isin(LISTING_ENFORCEMENT.toArray()))),
            "event_time", dates)
        .groupBy("listing_id")
        .agg(max_by(struct(col("event_type"), col("block_reason")), struct(col("event_time"), col("event_id"))).as("last"))
        .select(col("listing_id"), col("last.event_type").as("last_enforcement"), col("last.block_reason").as("last_reason"));
    Dataset<Row> orders = SellerFeatures.pointInTime(bronze.orders().filter(col("seller_id").equalTo(sellerId)), "order_time", dates);
    Dataset<Row> complaints = SellerFeatures.pointInTime(bronze.complaints()
        .filter(col("complaint_type").equalTo("COUNTERFEIT")), "complaint_time", dates)
        .groupBy("order_id").agg(count(lit(1)).as("cf"));
    Dataset<Row> perListing = orders.join(complaints, new String[] {"order_id"}, "left")
        .groupBy("listing_id")
        .agg(count(lit(1)).as("orders"), sum(col("quantity").multiply(col("unit_price_usd"))).as("sales_usd"),
            sum(when(col("cf").isNull(), 0).otherwise(col("cf"))).as("counterfeit_complaints"));
    Dataset<Row> luxury = bronze.brands().select(col("brand"), col("luxury"));
    List<Row> rows = listings
        .join(bronze.catalog().select("product_id", "reference_price_usd"), new String[] {"product_id"}, "left")
        .join(luxury, new String[] {"brand"}, "left")
        .join(authorised, new String[] {"listing_id"}, "left")
        .join(state, new String[] {"listing_id"}, "left")
        .join(perListing, new String[] {"listing_id"}, "left")
        .select(col("listing_id"), col("created_at"), col("product_id"), col("brand"), col("category"), col("price_usd"),
            col("reference_price_usd"),
            when(col("brand").isNotNull().and(col("reference_price_usd").gt(0)),
                col("price_usd").divide(col("reference_price_usd"))).as("price_ratio"),
            col("luxury"), col("authorised"), col("ship_from_country"), col("edits"), col("orders"), col("sales_usd"),
            col("counterfeit_complaints"), col("last_enforcement"), col("last_reason"))
        .orderBy("created_at", "listing_id").collectAsList();
    List<Map<String, Object>> out = new ArrayList<>();
    for (Row r : rows) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("listing_id", r.getAs("listing_id"));
      m.put("created_at", instant(r.getAs("created_at")));
      m.put("product_id", r.getAs("product_id"));
      m.put("brand", r.getAs("brand"));
      m.put("category", r.getAs("category"));
      m.put("price_usd", r.getAs("price_usd"));
      m.put("reference_price_usd", r.getAs("reference_price_usd"));
      m.put("price_ratio", r.getAs("price_ratio"));
      m.put("luxury_brand", Boolean.TRUE.equals(r.getAs("luxury")));
      m.put("authorised", r.getAs("brand") == null ? null : Boolean.TRUE.equals(r.getAs("authorised")));
      m.put("ship_from_country", r.getAs("ship_from_country"));
      m.put("edits", r.getAs("edits"));
      m.put("orders", r.isNullAt(r.fieldIndex("orders")) ? 0L : r.getAs("orders"));
      m.put("sales_usd", r.isNullAt(r.fieldIndex("sales_usd")) ? 0.0 : r.getAs("sales_usd"));
      m.put("counterfeit_complaints", r.isNullAt(r.fieldIndex("counterfeit_complaints")) ? 0L : r.getAs("counterfeit_complaints"));
      String last = r.getAs("last_enforcement");
      m.put("state", last == null || last.equals("REINSTATED") ? "LIVE"
          : last + (r.getAs("last_reason") == null ? "" : " (" + r.getAs("last_reason") + ")"));
      out.add(m);
    }
    return out;
  }

  /**
   * Everything enforcement and complaints say about the seller before the cutoff, oldest first: its
   * account events, its listings' blocks, removals and refused submissions, the notices against its
   * listings (the outcome only once resolved before the cutoff) and the complaints on its orders.
   */
  static List<Map<String, Object>> timeline(Bronze bronze, Dataset<Row> dates, String sellerId) {
    Column nothing = lit(null).cast("string");
    Dataset<Row> account = SellerFeatures.pointInTime(bronze.accountEvents().filter(col("account_id").equalTo(sellerId)),
            "event_time", dates)
        .select(col("event_time").as("time"), lit("account").as("kind"), col("account_id").as("subject"),
            col("event_type").as("what"), col("reason").as("detail"), col("event_id").as("id"));
    Dataset<Row> listing = SellerFeatures.pointInTime(bronze.listingEvents()
            .filter(col("seller_id").equalTo(sellerId).and(col("event_type").isin(LISTING_ENFORCEMENT.toArray()))),
            "event_time", dates)
        .select(col("event_time").as("time"), lit("listing").as("kind"), col("listing_id").as("subject"),
            col("event_type").as("what"), col("block_reason").as("detail"), col("event_id").as("id"));
    Dataset<Row> ownListings = SellerFeatures.listingStates(bronze.listingEvents().filter(col("seller_id").equalTo(sellerId)), dates)
        .filter(col("seller_id").equalTo(sellerId)).select("listing_id");
    Dataset<Row> notices = SellerFeatures.pointInTime(bronze.notices(), "submitted_at", dates)
        .join(ownListings, new String[] {"listing_id"}, "left_semi");
    Dataset<Row> submitted = notices.select(col("submitted_at").as("time"), lit("notice").as("kind"),
        col("listing_id").as("subject"),
        functionsConcat(lit("notice "), col("notice_type"), lit(" from "), col("brand"), lit(" submitted")).as("what"),
        when(col("resolved_at").isNull().or(col("resolved_at").geq(col("cutoff"))), lit("outcome not known by the cutoff"))
            .otherwise(nothing).as("detail"),
        col("notice_id").as("id"));
    Dataset<Row> resolved = notices.filter(col("resolved_at").lt(col("cutoff")))
        .select(col("resolved_at").as("time"), lit("notice").as("kind"), col("listing_id").as("subject"),
            functionsConcat(lit("notice "), col("notice_type"), lit(" from "), col("brand"), lit(" resolved")).as("what"),
            col("outcome").as("detail"), col("notice_id").as("id"));
    Dataset<Row> orders = SellerFeatures.pointInTime(bronze.orders().filter(col("seller_id").equalTo(sellerId)), "order_time", dates)
        .select("order_id", "listing_id");
    Dataset<Row> complaints = SellerFeatures.pointInTime(bronze.complaints(), "complaint_time", dates)
        .join(orders, new String[] {"order_id"}, "inner")
        .select(col("complaint_time").as("time"), lit("complaint").as("kind"), col("order_id").as("subject"),
            functionsConcat(col("complaint_type"), lit(" complaint")).as("what"),
            functionsConcat(lit("listing "), col("listing_id")).as("detail"), col("complaint_id").as("id"));
    List<Row> rows = account.unionByName(listing).unionByName(submitted).unionByName(resolved).unionByName(complaints)
        .orderBy("time", "kind", "id").collectAsList();
    List<Map<String, Object>> out = new ArrayList<>();
    for (Row r : rows) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("time", instant(r.getTimestamp(0)));
      m.put("kind", r.getString(1));
      m.put("subject", r.getString(2));
      m.put("what", r.getString(3).strip());
      m.put("detail", r.getString(4));
      out.add(m);
    }
    return out;
  }

  private static Column functionsConcat(Column... parts) {
    return org.apache.spark.sql.functions.concat(parts);
  }

  /** (as_of + 1 day) 00:00 UTC, as {@link RiskTables#asOfDates} computes it. */
  static Timestamp cutoffOf(LocalDate asOf) {
    return Timestamp.from(asOf.plusDays(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant());
  }

  private static String instant(Timestamp t) {
    return t == null ? null : t.toInstant().toString();
  }

  // ---- the printed case file

  /** The case file as text: score, the feature table, linked accounts, listings, timeline. */
  @SuppressWarnings("unchecked")
  public static String render(Map<String, Object> doc) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "case file of seller %s as of %s (%s%s)%n", doc.get("seller_id"), doc.get("as_of"),
        doc.get("sees"), doc.containsKey("rows_seen") ? "; " + doc.get("rows_seen") : ""));
    out.append(String.format(Locale.ROOT, "risk_score %.6f %s (model %s): %s%n", doc.get("risk_score"), doc.get("risk_band"),
        doc.get("model_version"), doc.get("risk_score_is")));
    out.append(String.format(Locale.ROOT, "logit %.4f = intercept %.4f + the contributions below%n%n", doc.get("logit"),
        doc.get("intercept")));
    out.append(String.format(Locale.ROOT, "%-34s %12s %12s  %-15s %12s  %s%n", "feature", "value", "baseline", "baseline is",
        "contribution", "evidence"));
    for (Map<String, Object> f : (List<Map<String, Object>>) doc.get("features")) {
      Object rank = f.get("reason_rank");
      String baselineIs = String.valueOf(f.get("baseline_is"));
      out.append(String.format(Locale.ROOT, "%-34s %12s %12s  %-15s %12s  %s%n",
          (rank == null ? "   " : "#" + rank + " ") + f.get("feature"), number(f.get("value")), number(f.get("baseline")),
          baselineIs.startsWith("marketplace") ? "marketplace" : baselineIs, signed(f.get("contribution")),
          f.get("evidence") == null ? "" : f.get("evidence")));
    }
    Map<String, Object> linked = (Map<String, Object>) doc.get("linked_accounts");
    List<Map<String, Object>> direct = (List<Map<String, Object>>) linked.get("direct");
    out.append(String.format(Locale.ROOT, "%nlinked accounts (sharing a payment card, device or address): %d%n", direct.size()));
    for (Map<String, Object> l : direct) {
      out.append(String.format(Locale.ROOT, "  %-24s via %-24s %s%n", l.get("account_id"),
          String.join(", ", (List<String>) l.get("linked_by")),
          l.get("blocked_for") == null ? "not blocked" : "blocked for " + l.get("blocked_for")));
    }
    Map<String, Object> group = (Map<String, Object>) linked.get("group");
    List<Map<String, Object>> blocked = (List<Map<String, Object>>) group.get("blocked");
    out.append(String.format(Locale.ROOT, "  group of linked accounts: %d account(s), %d other blocked%s%n", group.get("accounts"),
        blocked.size(), blocked.isEmpty() ? "" : ": " + String.join(", ",
            blocked.stream().map(b -> b.get("account_id") + " (" + b.get("blocked_for") + ")").toList())));
    List<Map<String, Object>> listings = (List<Map<String, Object>>) doc.get("listings");
    out.append(String.format(Locale.ROOT, "%nlistings: %d%n", listings.size()));
    out.append(String.format(Locale.ROOT, "  %-14s %-20s %-12s %-22s %10s %10s %7s %-12s %6s %10s %4s  %s%n", "listing", "created",
        "brand", "category", "price", "reference", "ratio", "authorised", "orders", "sales", "cf", "state"));
    for (Map<String, Object> l : listings) {
      out.append(String.format(Locale.ROOT, "  %-14s %-20s %-12s %-22s %10s %10s %7s %-12s %6d %10.2f %4d  %s%n",
          l.get("listing_id"), l.get("created_at"), l.get("brand") == null ? "(unbranded)" : l.get("brand"),
          l.get("category") == null ? "" : l.get("category"), money(l.get("price_usd")), money(l.get("reference_price_usd")),
          l.get("price_ratio") == null ? "" : String.format(Locale.ROOT, "%.0f %%", 100 * (Double) l.get("price_ratio")),
          l.get("authorised") == null ? "" : Boolean.TRUE.equals(l.get("authorised")) ? "yes"
              : Boolean.TRUE.equals(l.get("luxury_brand")) ? "NO (luxury)" : "no",
          l.get("orders"), l.get("sales_usd"), l.get("counterfeit_complaints"), l.get("state")));
    }
    List<Map<String, Object>> timeline = (List<Map<String, Object>>) doc.get("timeline");
    out.append(String.format(Locale.ROOT, "%ntimeline (blocks, notices, complaints): %d event(s)%n", timeline.size()));
    for (Map<String, Object> t : timeline) {
      out.append(String.format(Locale.ROOT, "  %-24s %-9s %-14s %s%s%n", t.get("time"), t.get("kind"), t.get("subject"),
          t.get("what"), t.get("detail") == null ? "" : " " + t.get("detail")));
    }
    return out.toString().stripTrailing();
  }

  private static String number(Object v) {
    if (v == null) {
      return "n/a";
    }
    double d = ((Number) v).doubleValue();
    return Math.abs(d) >= 100 || d == Math.rint(d) ? String.format(Locale.ROOT, "%.1f", d) : String.format(Locale.ROOT, "%.4f", d);
  }

  private static String signed(Object v) {
    return v == null ? "n/a" : String.format(Locale.ROOT, "%+.4f", ((Number) v).doubleValue());
  }

  private static String money(Object v) {
    return v == null ? "" : String.format(Locale.ROOT, "%.2f", ((Number) v).doubleValue());
  }
}
