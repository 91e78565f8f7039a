package io.hallmark.risk;

import static org.apache.spark.sql.functions.array_join;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.percentile_approx;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.when;

import io.hallmark.lake.Bronze;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The top three reasons of a score as evidence an investigator can check: one sentence per reason with
 * the seller's value, the marketplace's value on the same date and the size of the evidence (orders,
 * complaints, linked accounts and how they are linked), e.g. "31 counterfeit complaints on 140 orders
 * (22 %); marketplace 1.0 %". Built from Spark column functions (format_string, concat, when), no UDF.
 *
 * <p>Baselines are the same as_of's: pooled marketplace rates for the order rates (all complaints over
 * all orders), the median seller for ages, counts and price ratios, the average seller for shares.
 */
public final class RiskReasons {
  private RiskReasons() {}

  /** Published scores: the model's columns with evidence_1..3 beside reason/contribution 1..3. */
  static final List<String> SCORE_COLUMNS = List.of("seller_id", "as_of", "risk_score", "risk_band",
      "reason_1", "contribution_1", "evidence_1", "reason_2", "contribution_2", "evidence_2",
      "reason_3", "contribution_3", "evidence_3", "model_version");

  /**
   * Per (as_of, seller_id), what the sentences cite beyond the features: the seller's orders, their
   * counterfeit complaints and external referrals, its top referral tag's reach across sellers, and the
   * blocked accounts it shares each kind of fingerprint with (by block reason). Point in time as the
   * features are (the same transforms), for every date of {@code dates}.
   */
  public static Dataset<Row> evidence(Bronze bronze, Dataset<Row> dates, SellerFeatures.Params p) {
    Dataset<Row> sellerTagOrders = SellerFeatures.sellerTagOrders(bronze.orders(), bronze.complaints(), dates,
        p.broadcastComplainedOrdersMax()).cache();
    Dataset<Row> orders = sellerTagOrders.groupBy("as_of", "seller_id")
        .agg(sum("orders").as("orders"), sum("cf").as("cf"), sum("external").as("external"));
    Dataset<Row> blocked = LinkGraph.blockedAccounts(bronze.accountEvents(), dates)
        .select(col("as_of"), col("account_id").as("seller_id"), lit(true).as("blocked"));
    Dataset<Row> tags = sellerTagOrders.filter(col("referral_tag").isNotNull())
        .join(blocked, new String[] {"as_of", "seller_id"}, "left")
        .groupBy("as_of", "referral_tag")
        .agg(countDistinct("seller_id").as("tag_sellers"), sum("orders").as("tag_orders"), sum("cf").as("tag_cf"),
            sum(when(col("blocked"), col("orders")).otherwise(0L)).as("tag_blocked_orders"),
            countDistinct(when(col("blocked"), col("seller_id"))).as("tag_blocked_sellers"));
    // the tag's orders at other sellers, and those of them at sellers blocked (the seller's own left out)
    Column self = coalesce(col("blocked"), lit(false));
    Dataset<Row> topTag = SellerFeatures.topTags(sellerTagOrders)
        .join(tags, new String[] {"as_of", "referral_tag"}, "inner")
        .join(blocked, new String[] {"as_of", "seller_id"}, "left")
        .select(col("as_of"), col("seller_id"), col("top_tag_orders"), col("tag_sellers"), col("tag_orders"),
            col("tag_cf"), col("tag_orders").minus(col("top_tag_orders")).as("tag_other_orders"),
            col("tag_blocked_orders").minus(when(self, col("top_tag_orders")).otherwise(0L)).as("tag_other_blocked_orders"),
            col("tag_blocked_sellers").minus(when(self, 1L).otherwise(0L)).as("tag_other_blocked_sellers"));
    return orders
        .join(topTag, new String[] {"as_of", "seller_id"}, "left")
        .join(links(bronze.accountEvents(), dates, p), new String[] {"as_of", "seller_id"}, "left")
        .select(col("as_of"), col("seller_id"), col("orders"), col("cf"), col("external"), col("top_tag_orders"),
            col("tag_sellers"), col("tag_orders"), col("tag_cf"), col("tag_other_orders"),
            col("tag_other_blocked_orders"), col("tag_other_blocked_sellers"), col("linked_by"));
  }

  /**
   * (as_of, seller_id, linked_by): "a payment card with 2 accounts blocked for COUNTERFEIT, a device with
   * 3 blocked accounts (2 COUNTERFEIT, 1 FRAUD)", over the fingerprint edges linked_blocked_direct counts (hub
   * fingerprints left out, blocked for a link reason at the cutoff, the seller's own block never counts).
   */
  static Dataset<Row> links(Dataset<Row> accountEvents, Dataset<Row> dates, SellerFeatures.Params p) {
    Dataset<Row> edges = LinkGraph.fingerprintEdges(accountEvents, dates, p.maxFingerprintDegree());
    Dataset<Row> blocked = SellerFeatures.blockedAtCutoff(accountEvents, dates)
        .filter(col("reason").isin((Object[]) LinkGraph.LINK_BLOCK_REASONS))
        .select(col("as_of"), col("account_id").as("neighbour"), col("reason"));
    Column kind = split(col("fingerprint"), ":").getItem(0);
    Dataset<Row> pairs = edges
        .join(edges.select(col("as_of"), col("fingerprint"), col("account_id").as("neighbour")),
            new String[] {"as_of", "fingerprint"}, "inner")
        .filter(col("neighbour").notEqual(col("account_id")))
        .join(blocked, new String[] {"as_of", "neighbour"}, "inner")
        .select(col("as_of"), col("account_id"), kind.as("kind"), col("neighbour"), col("reason"))
        .distinct();
    // per kind of fingerprint: the blocked accounts behind it, by reason ("3 COUNTERFEIT, 1 FRAUD")
    Dataset<Row> byReason = pairs.groupBy("as_of", "account_id", "kind", "reason").agg(count(lit(1)).as("accounts"));
    Dataset<Row> byKind = byReason.groupBy("as_of", "account_id", "kind")
        .agg(sum("accounts").as("accounts"), count(lit(1)).as("reasons"),
            min("reason").as("reason"),
            array_join(transform(sort_array(collect_list(struct(col("reason"), col("accounts")))),
                x -> format_string("%d %s", x.getField("accounts"), x.getField("reason"))), ", ").as("by_reason"));
    Column kindName = when(col("kind").equalTo("payment"), "a payment card")
        .when(col("kind").equalTo("address"), "an address").otherwise(concat(lit("a "), col("kind")));
    Column phrase = when(col("reasons").equalTo(1), format_string("%s with %d account%s blocked for %s", kindName,
            col("accounts"), when(col("accounts").equalTo(1), "").otherwise("s"), col("reason")))
        .otherwise(format_string("%s with %d blocked accounts (%s)", kindName, col("accounts"), col("by_reason")));
    Column order = when(col("kind").equalTo("payment"), 1).when(col("kind").equalTo("device"), 2).otherwise(3);
    // payment card, device, address: the same sentence every run
    return byKind.groupBy("as_of", "account_id")
        .agg(sort_array(collect_list(struct(order.as("order"), phrase.as("phrase")))).as("phrases"))
        .select(col("as_of"), col("account_id").as("seller_id"),
            array_join(transform(col("phrases"), x -> x.getField("phrase")), ", ").as("linked_by"));
  }

  /**
   * Per as_of, the marketplace values the sentences compare with: pooled order rates from
   * {@code evidence}, the median seller's age, early listings and price ratio, the average seller's
   * shares and counts from {@code features}.
   */
  static Dataset<Row> baselines(Dataset<Row> features, Dataset<Row> evidence) {
    Dataset<Row> orders = evidence.groupBy("as_of")
        .agg(sum("orders").as("m_orders"), sum("cf").as("m_cf"), sum("external").as("m_external"));
    List<Column> aggregates = new ArrayList<>();
    for (String f : SellerFeatures.FEATURES) {
      aggregates.add(avg(f).as("avg_" + f));
    }
    aggregates.add(percentile_approx(col("account_age_days"), lit(0.5), lit(10000)).as("median_account_age_days"));
    aggregates.add(percentile_approx(col("listings_first_30d"), lit(0.5), lit(10000)).as("median_listings_first_30d"));
    aggregates.add(percentile_approx(col("median_price_ratio"), lit(0.5), lit(10000)).as("median_median_price_ratio"));
    return features.groupBy("as_of").agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new))
        .join(orders, new String[] {"as_of"}, "left");
  }

  /** A share (0..1) as a percentage: one decimal below 10 %, none above ("0.4 %", "22 %"). */
  static Column percent(Column share) {
    Column pct = share.cast("double").multiply(100);
    return when(share.isNull(), lit("n/a"))
        .when(pct.lt(9.95), format_string("%.1f %%", pct))
        .otherwise(format_string("%.0f %%", pct));
  }

  private static Column whole(Column x) {
    return round(x).cast("long");
  }

  private static Column ratio(Column part, Column whole) {
    return when(whole.gt(0), part.divide(whole));
  }

  /** The sentence of each feature, over the columns of features joined with evidence and baselines. */
  static Map<String, Column> sentences() {
    Map<String, Column> s = new LinkedHashMap<>();
    Column orders = coalesce(col("orders"), lit(0L));
    Column noOrders = orders.equalTo(0);
    Column marketplaceRate = percent(ratio(col("m_cf"), col("m_orders")));
    s.put("account_age_days", format_string("account %d days old; median seller %d days",
        whole(col("account_age_days")), whole(col("median_account_age_days"))));
    s.put("listings_first_30d", format_string("%d listings created in its first 30 days; median seller %d",
        whole(col("listings_first_30d")), whole(col("median_listings_first_30d"))));
    s.put("edits_per_listing", format_string("%.1f edits per listing; marketplace average %.1f",
        col("edits_per_listing"), col("avg_edits_per_listing")));
    s.put("share_below_half_ref", format_string(
        "%s of its branded listings priced below half the catalog reference price; marketplace average %s",
        percent(col("share_below_half_ref")), percent(col("avg_share_below_half_ref"))));
    s.put("median_price_ratio", format_string(
        "its branded listings at a median %s of the catalog reference price; median seller %s",
        percent(col("median_price_ratio")), percent(col("median_median_price_ratio"))));
    s.put("share_unauthorised_luxury", format_string(
        "%s of its listings in luxury brands it is not authorised for; marketplace average %s",
        percent(col("share_unauthorised_luxury")), percent(col("avg_share_unauthorised_luxury"))));
    s.put("generic_luxury_category_listings", format_string(
        "%d unbranded jewellery, watch or bag listings; marketplace average %.1f",
        whole(col("generic_luxury_category_listings")), col("avg_generic_luxury_category_listings")));
    s.put("external_referral_share", when(noOrders, lit("no orders yet")).otherwise(format_string(
        "%d of %d orders (%s) came from social media or external sites; marketplace %s",
        col("external"), orders, percent(ratio(col("external"), orders)),
        percent(ratio(col("m_external"), col("m_orders"))))));
    Column tagSentence = format_string(
        "%s of orders came through one referral tag whose %d orders across %d seller%s drew %s counterfeit"
            + " complaints; marketplace %s",
        percent(ratio(col("top_tag_orders"), orders)), col("tag_orders"), col("tag_sellers"),
        when(col("tag_sellers").equalTo(1), "").otherwise("s"), percent(ratio(col("tag_cf"), col("tag_orders"))),
        marketplaceRate);
    Column noTag = when(noOrders, lit("no orders yet")).otherwise(lit("no order came through a referral tag"));
    s.put("top_tag_share", when(col("tag_orders").isNull(), noTag).otherwise(tagSentence));
    s.put("top_tag_complaint_rate", when(col("tag_orders").isNull(), noTag).otherwise(tagSentence));
    s.put("counterfeit_complaint_rate", when(noOrders, concat(lit("no orders yet; marketplace "), marketplaceRate))
        .otherwise(format_string("%d counterfeit complaint%s on %d orders (%s); marketplace %s",
            col("cf"), when(col("cf").equalTo(1), "").otherwise("s"), orders, percent(ratio(col("cf"), orders)),
            marketplaceRate)));
    s.put("valid_notices", format_string(
        "%d valid counterfeit or trademark notices from rights owners; marketplace average %.2f",
        whole(col("valid_notices")), col("avg_valid_notices")));
    s.put("complaining_brands", format_string("notices from %d brands; marketplace average %.2f",
        whole(col("complaining_brands")), col("avg_complaining_brands")));
    s.put("linked_blocked_direct", when(col("linked_by").isNull(),
            lit("shares no payment card, device or address with a blocked account"))
        .otherwise(format_string("shares %s; %d distinct blocked accounts, marketplace average %.2f",
            col("linked_by"), whole(col("linked_blocked_direct")), col("avg_linked_blocked_direct"))));
    s.put("linked_blocked_group", format_string(
        "%d other blocked accounts in its group of linked accounts; marketplace average %.2f",
        whole(col("linked_blocked_group")), col("avg_linked_blocked_group")));
    s.put("luxury_listings_first_30d", format_string(
        "%d listings in its first 30 days in luxury brands it is not authorised for or unbranded jewellery, watches"
            + " or bags; marketplace average %.1f",
        whole(col("luxury_listings_first_30d")), col("avg_luxury_listings_first_30d")));
    s.put("top_tag_blocked_share", when(col("tag_orders").isNull(), noTag)
        .when(col("tag_other_orders").equalTo(0), lit("no other seller's order came through its top referral tag"))
        .otherwise(format_string(
            "of the %d orders other sellers received through its top referral tag, %s went to %d seller%s blocked"
                + " (COUNTERFEIT, FRAUD or RELATED_ACCOUNT); marketplace average %s",
            col("tag_other_orders"), percent(ratio(col("tag_other_blocked_orders"), col("tag_other_orders"))),
            col("tag_other_blocked_sellers"), when(col("tag_other_blocked_sellers").equalTo(1), "").otherwise("s"),
            percent(col("avg_top_tag_blocked_share")))));
    s.put("ship_from_mismatch_share", format_string(
        "%s of its listings ship from another country than the one it declared; marketplace average %s",
        percent(col("ship_from_mismatch_share")), percent(col("avg_ship_from_mismatch_share"))));
    return s;
  }

  /**
   * The published scores: {@code scores} (the model's output) with evidence_N, the sentence of reason_N,
   * beside each reason and contribution; {@code features} are the scored features (for the seller's
   * values and the baselines), {@code evidence} from {@link #evidence}.
   */
  public static Dataset<Row> explain(Dataset<Row> scores, Dataset<Row> features, Dataset<Row> evidence) {
    String[] key = {"as_of", "seller_id"};
    Dataset<Row> joined = scores
        .join(features.drop("risk_score"), key, "left")
        .join(evidence, key, "left")
        .join(broadcast(baselines(features, evidence)), new String[] {"as_of"}, "left");
    Map<String, Column> sentences = sentences();
    List<Column> out = new ArrayList<>();
    for (String c : SCORE_COLUMNS) {
      if (c.startsWith("evidence_")) {
        Column reason = col("reason_" + c.substring("evidence_".length()));
        Column sentence = null;
        for (Map.Entry<String, Column> e : sentences.entrySet()) {
          sentence = sentence == null ? when(reason.equalTo(e.getKey()), e.getValue())
              : sentence.when(reason.equalTo(e.getKey()), e.getValue());
        }
        out.add(sentence.as(c));
      } else {
        out.add(col(c));
      }
    }
    return joined.select(out.toArray(Column[]::new));
  }
}
