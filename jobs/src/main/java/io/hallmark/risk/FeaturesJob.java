package io.hallmark.risk;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.hallmark.config.HallmarkConfig;
import io.hallmark.jobs.NightlyStep;
import io.hallmark.jobs.StepResult;
import io.hallmark.lake.BronzeSchemas;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Publishes gold.seller_features for as_of = runDate (replacing only that date).
 *
 * <p>Incremental by default ({@code hallmark.risk.features.incremental}): the two inputs that read
 * the largest bronze tables, each listing's folded events ({@link ListingState}) and the
 * per-(seller, referral tag) order counts ({@link OrderCountState}), are the last run's, kept under
 * ops/, advanced to this cutoff by the rows new to it. Each is recomputed from all of bronze when
 * there is no state yet, it is past this cutoff (a backfill of an earlier date), or its bronze inputs
 * lost rows, were recreated or did not record their changes since ({@link CarriedState}). The
 * features are the same either way (tested).
 */
public class FeaturesJob implements NightlyStep {
  static final List<String> LISTING_INPUTS = List.of(BronzeSchemas.LISTING_EVENTS);
  static final List<String> ORDER_INPUTS = List.of(BronzeSchemas.ORDERS, BronzeSchemas.COMPLAINTS);

  @Override
  public String name() {
    return "seller-features";
  }

  @Override
  public StepResult run(SparkSession spark, HallmarkConfig config, LocalDate runDate) {
    RiskSettings settings = RiskSettings.from(config);
    Map<String, Long> bronzeVersions = new TreeMap<>();
    RiskTables.Bronze bronze = RiskTables.readBronze(spark, config, bronzeVersions);
    Dataset<Row> dates = RiskTables.asOfDates(spark, List.of(runDate));
    Timestamp to = OrderCountState.cutoff(runDate);
    Column asOf = lit(Date.valueOf(runDate)).as("as_of");

    CarriedState.Resume listingResume = CarriedState.resume(spark, config, RiskTables.listingStatePath(config),
        LISTING_INPUTS, bronzeVersions, to);
    Dataset<Row> listingFold = listingResume.advances()
        ? ListingState.merge(RiskTables.readListingState(spark, config, listingResume.stateVersion()),
            // materialised: merge reads it twice (the listings it touches, and their events)
            ListingState.fold(ListingState.newEvents(bronze.listingEvents(),
                listingResume.inserted().get(BronzeSchemas.LISTING_EVENTS), listingResume.from(), to)).localCheckpoint())
        : ListingState.fold(ListingState.foldable(bronze.listingEvents()).filter(col("event_time").lt(lit(to))));
    // materialised: the features read it in three places, and it is written over the state it was read from
    listingFold = listingFold.localCheckpoint();

    CarriedState.Resume orderResume = CarriedState.resume(spark, config, RiskTables.orderCountStatePath(config),
        ORDER_INPUTS, bronzeVersions, to);
    long broadcastMax = settings.broadcastComplainedOrdersMax();
    Dataset<Row> orderCounts = orderResume.advances()
        ? OrderCountState.advance(RiskTables.readOrderCountState(spark, config, orderResume.stateVersion()),
            OrderCountState.delta(bronze.orders(), bronze.complaints(),
                orderResume.inserted().get(BronzeSchemas.ORDERS), orderResume.inserted().get(BronzeSchemas.COMPLAINTS),
                orderResume.from(), to, broadcastMax).localCheckpoint())
        : OrderCountState.recount(bronze.orders(), bronze.complaints(), dates, broadcastMax);
    orderCounts = orderCounts.localCheckpoint();

    Dataset<Row> listings = ListingState.listings(listingFold.select(col("*"), asOf));
    Dataset<Row> sellerTagOrders = orderCounts.select(asOf, col("seller_id"), col("referral_tag"), col("orders"),
        col("external"), col("cf"));
    Dataset<Row> features = SellerFeatures.compute(bronze, dates, SellerFeatures.Params.of(settings), listings,
        sellerTagOrders);
    RiskTables.writeFeatures(config, features, runDate);
    // the states move only after the features they gave are published
    if (listingResume.publish()) {
      RiskTables.writeListingState(spark, config, listingFold,
          CarriedState.metadata(spark, config, name(), runDate.toString(), to, LISTING_INPUTS, bronzeVersions));
    }
    if (orderResume.publish()) {
      RiskTables.writeOrderCountState(spark, config, orderCounts,
          CarriedState.metadata(spark, config, name(), runDate.toString(), to, ORDER_INPUTS, bronzeVersions));
    }

    String path = config.paths().gold(RiskTables.FEATURES);
    Dataset<Row> published = RiskTables.readFeatures(spark, config, runDate);
    long rows = published == null ? 0 : published.count();
    Map<String, Long> read = new TreeMap<>();
    bronzeVersions.forEach((table, version) -> read.put("bronze." + table, version));
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("as_of", runDate.toString());
    details.put("listing_states", listingResume.mode());
    details.put("order_counts", orderResume.mode());
    return new StepResult(rows, read, Map.of("gold." + RiskTables.FEATURES, RiskTables.version(spark, path)), details);
  }

  /** Features of every seller for each date, in memory (training snapshots, evaluation backfills). */
  public static Dataset<Row> compute(SparkSession spark, HallmarkConfig config, RiskSettings settings, List<LocalDate> dates) {
    return SellerFeatures.compute(RiskTables.readBronze(spark, config), RiskTables.asOfDates(spark, dates),
        SellerFeatures.Params.of(settings));
  }
}
