package io.hallmark.risk;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.unix_seconds;

import io.hallmark.lake.Bronze;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Which sellers' features a night can change, and the features of every other seller carried from
 * the previous publication (pure transforms; {@link FeaturesJob} reads and writes).
 *
 * <p>A seller's features (except the two link features: a block anywhere in a linked group reaches
 * every member, see {@link SellerFeatures#linksAround}) depend only on rows of its own listings, its account, its orders and their
 * complaints, the notices on its listings, its authorisations, the catalog rows and brands of its
 * listings, and the orders of every referral tag it sells through and the blocks of the sellers of those
 * orders (a tag's complaint rate and blocked share are over all sellers). Between two publications those inputs change in two ways only:
 * <ul>
 *   <li>bronze rows inserted, updated or deleted since the bronze versions the previous publication read
 *       ({@code changed}: every image the change data feed holds);
 *   <li>rows already in bronze that become visible because the cutoff moved: their time lies in
 *       [previous cutoff, cutoff) ({@code window}); a notice also when its outcome (resolved_at) does.
 * </ul>
 * Every seller such a row reaches is recomputed; the others keep their row, with the account age moved on
 * by the days between the two dates, which is all that time alone changes.
 */
public final class TouchedSellers {
  private TouchedSellers() {}

  /** [from, to): the cutoffs of the previous publication and of this one. */
  public record Window(Timestamp from, Timestamp to) {
    Column contains(String timeColumn) {
      return col(timeColumn).geq(lit(from)).and(col(timeColumn).lt(lit(to)));
    }
  }

  /**
   * What a night's rows reach: {@code sellers} (seller_id, distinct), whose features other than the link
   * features are recomputed, and {@code tags} (referral_tag, distinct) with a changed or newly visible
   * order or complaint, or an order of an account blocked or reinstated since, whose complaint rate or
   * blocked share moves for every seller whose top tag it is (see {@link #topTagRates}), and
   * {@code accountEvents} (account_id and the three fingerprints): the account events that differ from what
   * the previous publication saw, where the night enters the link graph ({@link LinkGraph#seeds}).
   */
  public record Reach(Dataset<Row> sellers, Dataset<Row> tags, Dataset<Row> accountEvents) {}

  /**
   * Every seller whose features (other than the link features and the top tag's rate) may differ from
   * its previous row, and the referral tags whose rate may differ. {@code now}: bronze as this run reads it; {@code changed}: the rows the change feed
   * holds for the commits since the previous publication's versions, all images, declared columns.
   */
  public static Reach touched(Bronze now, Bronze changed, Window window) {
    Dataset<Row> listingIds = ids("listing_id",
        changed.listingEvents(),
        now.listingEvents().filter(window.contains("event_time")),
        changed.notices(),
        now.notices().filter(window.contains("submitted_at").or(window.contains("resolved_at"))));
    Dataset<Row> orderIds = ids("order_id",
        changed.orders(),
        now.orders().filter(window.contains("order_time")),
        changed.complaints(),
        now.complaints().filter(window.contains("complaint_time")));
    // the order rows, old images included (a changed tag or seller reaches both the old and the new one)
    Dataset<Row> touchedOrders = now.orders().join(broadcast(orderIds), new String[] {"order_id"}, "left_semi")
        .select("seller_id", "referral_tag")
        .unionByName(changed.orders().select("seller_id", "referral_tag"));
    // an account blocked or reinstated moves the blocked share of every tag it sold through
    Dataset<Row> blockChanges = changed.accountEvents().select("account_id", "event_type")
        .unionByName(now.accountEvents().filter(window.contains("event_time")).select("account_id", "event_type"))
        .filter(col("event_type").isin("BLOCKED", "REINSTATED"))
        .select(col("account_id").as("seller_id")).distinct();
    Dataset<Row> blockedSellersOrders = now.orders().join(broadcast(blockChanges), new String[] {"seller_id"}, "left_semi")
        .select("seller_id", "referral_tag");
    Dataset<Row> touchedTags = touchedOrders.unionByName(blockedSellersOrders)
        .filter(col("referral_tag").isNotNull()).select("referral_tag").distinct();
    Dataset<Row> changedProducts = changed.catalog().select("product_id").distinct();
    // the features read a catalog row for its reference price (by product) and a brand for its luxury flag
    Dataset<Row> changedBrands = changed.brands().select("brand").distinct();

    List<Dataset<Row>> sellers = new ArrayList<>();
    // a listing's seller is its CREATED event's, so every event of a touched listing names it
    sellers.add(now.listingEvents().join(broadcast(listingIds), new String[] {"listing_id"}, "left_semi")
        .select("seller_id"));
    sellers.add(changed.listingEvents().select("seller_id"));
    sellers.add(touchedOrders.select("seller_id"));
    sellers.add(changed.accountEvents().select(col("account_id").as("seller_id")));
    sellers.add(now.accountEvents().filter(window.contains("event_time")).select(col("account_id").as("seller_id")));
    sellers.add(changed.authorizations().select("seller_id"));
    sellers.add(now.listingEvents().join(broadcast(changedProducts), new String[] {"product_id"}, "left_semi")
        .select("seller_id"));
    sellers.add(now.listingEvents().join(broadcast(changedBrands), new String[] {"brand"}, "left_semi")
        .select("seller_id"));
    // the change feed's columns are bronze's declared ones: both sides cut to what the graph reads
    Dataset<Row> accountEvents = graphColumns(changed.accountEvents())
        .unionByName(graphColumns(now.accountEvents().filter(window.contains("event_time"))));
    Dataset<Row> all = sellers.get(0);
    for (Dataset<Row> more : sellers.subList(1, sellers.size())) {
      all = all.unionByName(more);
    }
    return new Reach(all.distinct().select("seller_id"), touchedTags, accountEvents);
  }

  private static Dataset<Row> graphColumns(Dataset<Row> accountEvents) {
    return accountEvents.select("account_id", "payment_fingerprint", "device_fingerprint", "address_fingerprint");
  }

  @SafeVarargs
  private static Dataset<Row> ids(String column, Dataset<Row> first, Dataset<Row>... more) {
    Dataset<Row> all = first.select(column);
    for (Dataset<Row> d : more) {
      all = all.unionByName(d.select(column));
    }
    return all.distinct();
  }

  /**
   * The bronze rows the features of {@code sellers} need: their listings' events, their accounts' events
   * and their orders; the small tables, the complaints and the notices whole (each is only joined to the
   * rows above). Their top tags' rates come from {@link #tagRatesOf}.
   */
  public static Bronze scope(Bronze bronze, Dataset<Row> sellers) {
    Dataset<Row> ids = broadcast(sellers.select("seller_id"));
    Dataset<Row> listings = bronze.listingEvents().join(ids, new String[] {"seller_id"}, "left_semi")
        .select("listing_id").distinct();
    Dataset<Row> listingEvents = bronze.listingEvents().join(broadcast(listings), new String[] {"listing_id"}, "left_semi");
    Dataset<Row> accountEvents = bronze.accountEvents()
        .join(broadcast(sellers.select(col("seller_id").as("account_id"))), new String[] {"account_id"}, "left_semi");
    Dataset<Row> orders = bronze.orders().join(ids, new String[] {"seller_id"}, "left_semi");
    return new Bronze(accountEvents, listingEvents, orders, bronze.complaints(), bronze.notices(),
        bronze.brands(), bronze.catalog(), bronze.authorizations());
  }

  /**
   * The tag rates {@link SellerFeatures#features} needs for scoped sellers: those of the sellers' top tags
   * (from their per-(seller, tag) counts), over every seller's orders of those tags in {@code bronze}.
   */
  public static java.util.function.Function<Dataset<Row>, Dataset<Row>> tagRatesOf(Bronze bronze,
      Dataset<Row> dates, SellerFeatures.Params p) {
    return sellerTagOrders -> {
      Dataset<Row> topTags = SellerFeatures.topTags(sellerTagOrders).select("referral_tag").distinct();
      return SellerFeatures.tagRates(ordersOfTags(bronze, topTags, dates, p),
          LinkGraph.blockedAccounts(bronze.accountEvents(), dates), p);
    };
  }

  private static Dataset<Row> ordersOfTags(Bronze bronze, Dataset<Row> tags, Dataset<Row> dates,
      SellerFeatures.Params p) {
    Dataset<Row> orders = bronze.orders().join(broadcast(tags), new String[] {"referral_tag"}, "left_semi");
    return SellerFeatures.sellerTagOrders(orders, bronze.complaints(), dates, p.broadcastComplainedOrdersMax());
  }

  /**
   * (as_of, seller_id, top_tag_complaint_rate, top_tag_blocked_share) for the sellers outside
   * {@code reach.sellers()} whose top referral tag is one of {@code reach.tags()}: their own orders did not
   * change, so neither did their top tag, but its figures over all sellers did.
   */
  public static Dataset<Row> topTagRates(Bronze bronze, Reach reach, Dataset<Row> dates,
      SellerFeatures.Params p) {
    Dataset<Row> tagOrders = bronze.orders().join(broadcast(reach.tags()), new String[] {"referral_tag"}, "left_semi");
    Dataset<Row> candidates = tagOrders.select("seller_id").distinct()
        .join(broadcast(reach.sellers()), new String[] {"seller_id"}, "left_anti");
    Dataset<Row> candidateOrders = bronze.orders().join(candidates, new String[] {"seller_id"}, "left_semi");
    Dataset<Row> topTags = SellerFeatures.topTags(SellerFeatures.sellerTagOrders(candidateOrders, bronze.complaints(),
            dates, p.broadcastComplainedOrdersMax()))
        .join(broadcast(reach.tags()), new String[] {"referral_tag"}, "left_semi");
    Dataset<Row> blocked = LinkGraph.blockedAccounts(bronze.accountEvents(), dates);
    return SellerFeatures.topTagFigures(topTags,
            SellerFeatures.tagRates(ordersOfTags(bronze, reach.tags(), dates, p), blocked, p), blocked, p)
        .select(col("as_of"), col("seller_id"), col("tag_rate").as("top_tag_complaint_rate"),
            col("top_tag_blocked_share"));
  }

  /**
   * The previous publication's rows of the sellers not in {@code touched}, as of {@code dates}' date:
   * the account age moved on by the seconds between the two cutoffs (the age is whole seconds over
   * 86,400, so the seconds are recovered exactly and the sum divided as a rebuild divides it), and the
   * link features taken from {@code links} (this night's for every account, carried or recomputed; 0 without an edge), the top
   * tag's rate from {@code topTagRates} where it has one ({@link #topTagRates}).
   */
  public static Dataset<Row> carried(Dataset<Row> previous, Dataset<Row> touched, Dataset<Row> links,
      Dataset<Row> topTagRates, Dataset<Row> dates) {
    Column cutoffNow = col("d.cutoff");
    Column cutoffBefore = date_add(col("p.as_of"), 1).cast("timestamp");
    Column seconds = round(col("p.account_age_days").multiply(86400.0)).cast("long");
    List<Column> out = new ArrayList<>();
    out.add(col("p.seller_id").as("seller_id"));
    out.add(col("d.as_of").as("as_of"));
    for (String f : SellerFeatures.FEATURES) {
      Column value = switch (f) {
        case "account_age_days" -> seconds.plus(unix_seconds(cutoffNow).minus(unix_seconds(cutoffBefore)))
            .divide(86400.0);
        case "linked_blocked_direct", "linked_blocked_group" ->
            org.apache.spark.sql.functions.coalesce(col("l." + f), lit(0.0));
        case "top_tag_complaint_rate", "top_tag_blocked_share" ->
            org.apache.spark.sql.functions.coalesce(col("t." + f), col("p." + f));
        default -> col("p." + f);
      };
      out.add(value.cast("double").as(f));
    }
    return previous.join(broadcast(touched), new String[] {"seller_id"}, "left_anti").as("p")
        .crossJoin(broadcast(dates).as("d"))
        .join(links.as("l"), col("l.seller_id").equalTo(col("p.seller_id")).and(col("l.as_of").equalTo(col("d.as_of"))),
            "left")
        .join(topTagRates.as("t"), col("t.seller_id").equalTo(col("p.seller_id")).and(col("t.as_of").equalTo(col("d.as_of"))),
            "left")
        .select(out.toArray(Column[]::new));
  }
}
