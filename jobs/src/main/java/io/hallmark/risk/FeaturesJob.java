package io.hallmark.risk;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.delta.tables.DeltaTable;
import io.hallmark.config.HallmarkConfig;
import io.hallmark.jobs.NightlyStep;
import io.hallmark.jobs.StepResult;
import io.hallmark.lake.BronzeReader;
import io.hallmark.lake.BronzeSchemas;
import io.hallmark.yearly.DeltaVersions;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Publishes gold.seller_features for as_of = runDate (replacing only that date).
 *
 * <p>Incremental by default ({@code hallmark.risk.features.incremental}): the per-(seller, referral
 * tag) order counts are the last run's counts (ops/seller_tag_order_counts) advanced to this cutoff
 * ({@link OrderCountState}); they are recounted from all orders when there is no state yet, it counts
 * past this cutoff (a backfill of an earlier date), or bronze orders or complaints lost rows or did not
 * record their changes since. The features are the same either way (tested).
 */
public class FeaturesJob implements NightlyStep {
  static final String STATE_CUTOFF = "cutoff";
  static final String STATE_BRONZE_VERSIONS = "bronze_versions";
  /** Delta table ids: a bronze table recreated (versions from 0 again) must not pass for the counted one. */
  static final String STATE_BRONZE_IDS = "bronze_table_ids";

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
    OrderCounts counts = orderCounts(spark, config, bronze, bronzeVersions, dates, runDate, settings);
    Dataset<Row> sellerTagOrders = counts.rows().select(lit(Date.valueOf(runDate)).as("as_of"), col("seller_id"),
        col("referral_tag"), col("orders"), col("external"), col("cf"));
    Dataset<Row> features = SellerFeatures.compute(bronze, dates, SellerFeatures.Params.of(settings), sellerTagOrders);
    RiskTables.writeFeatures(config, features, runDate);
    if (counts.publish()) {
      Map<String, Object> metadata = new LinkedHashMap<>();
      metadata.put("step", name());
      metadata.put("as_of", runDate.toString());
      metadata.put(STATE_CUTOFF, OrderCountState.cutoff(runDate).toInstant().toString());
      metadata.put(STATE_BRONZE_VERSIONS, Map.of(BronzeSchemas.ORDERS, bronzeVersions.get(BronzeSchemas.ORDERS),
          BronzeSchemas.COMPLAINTS, bronzeVersions.get(BronzeSchemas.COMPLAINTS)));
      metadata.put(STATE_BRONZE_IDS, bronzeIds(spark, config));
      RiskTables.writeOrderCountState(spark, config, counts.rows(), metadata);
    }
    String path = config.paths().gold(RiskTables.FEATURES);
    Dataset<Row> published = RiskTables.readFeatures(spark, config, runDate);
    long rows = published == null ? 0 : published.count();
    Map<String, Long> read = new TreeMap<>();
    bronzeVersions.forEach((table, version) -> read.put("bronze." + table, version));
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("as_of", runDate.toString());
    details.put("order_counts", counts.mode());
    return new StepResult(rows, read, Map.of("gold." + RiskTables.FEATURES, RiskTables.version(spark, path)), details);
  }

  /** Features of every seller for each date, in memory (training snapshots, evaluation backfills). */
  public static Dataset<Row> compute(SparkSession spark, HallmarkConfig config, RiskSettings settings, List<LocalDate> dates) {
    return SellerFeatures.compute(RiskTables.readBronze(spark, config), RiskTables.asOfDates(spark, dates),
        SellerFeatures.Params.of(settings));
  }

  /** The Delta table ids of bronze orders and complaints (both exist when this is called). */
  private static Map<String, String> bronzeIds(SparkSession spark, HallmarkConfig config) {
    Map<String, String> ids = new TreeMap<>();
    for (String table : List.of(BronzeSchemas.ORDERS, BronzeSchemas.COMPLAINTS)) {
      ids.put(table, DeltaTable.forPath(spark, config.paths().bronze(table)).detail()
          .select("id").head().getString(0));
    }
    return ids;
  }

  /** This cutoff's order counts, how they were had, and whether they become the new state. */
  record OrderCounts(Dataset<Row> rows, String mode, boolean publish) {}

  static OrderCounts orderCounts(SparkSession spark, HallmarkConfig config, RiskTables.Bronze bronze,
      Map<String, Long> bronzeVersions, Dataset<Row> dates, LocalDate runDate, RiskSettings settings) {
    long broadcastMax = settings.broadcastComplainedOrdersMax();
    Timestamp to = OrderCountState.cutoff(runDate);
    Long orders = bronzeVersions.get(BronzeSchemas.ORDERS);
    Long complaints = bronzeVersions.get(BronzeSchemas.COMPLAINTS);
    String why;
    boolean publish = orders != null && complaints != null;
    Optional<DeltaVersions.Commit> state = RiskTables.orderCountStateCommit(spark, config);
    if (!config.raw().getBoolean("hallmark.risk.features.incremental")) {
      why = "hallmark.risk.features.incremental is off";
      publish = false;
    } else if (!publish) {
      why = "no bronze orders or complaints table yet";
    } else if (state.isEmpty()) {
      why = "no order count state yet";
    } else {
      Map<String, Object> metadata = state.get().metadata();
      Object recordedCutoff = metadata.get(STATE_CUTOFF);
      Map<?, ?> recordedVersions = metadata.get(STATE_BRONZE_VERSIONS) instanceof Map<?, ?> m ? m : Map.of();
      Long stateOrders = recordedVersions.get(BronzeSchemas.ORDERS) instanceof Number n ? n.longValue() : null;
      Long stateComplaints = recordedVersions.get(BronzeSchemas.COMPLAINTS) instanceof Number n ? n.longValue() : null;
      if (recordedCutoff == null || stateOrders == null || stateComplaints == null) {
        why = "the order count state does not record its cutoff and bronze versions";
      } else if (Instant.parse(recordedCutoff.toString()).isAfter(to.toInstant())) {
        why = "the order count state counts to " + recordedCutoff + ", after this cutoff " + to.toInstant();
        // a backfill of an earlier date leaves the nightly's state where it is
        publish = false;
      } else if (!bronzeIds(spark, config).equals(metadata.get(STATE_BRONZE_IDS))) {
        why = "bronze orders or complaints are not the tables the order count state was counted from (recreated?)";
      } else if (stateOrders > orders || stateComplaints > complaints) {
        why = "the order count state was counted from bronze versions newer than the current ones (restored bronze?)";
      } else {
        Optional<BronzeReader.Changes> newOrders = BronzeReader.changes(spark, config.paths(), BronzeSchemas.ORDERS,
            stateOrders, orders);
        Optional<BronzeReader.Changes> newComplaints = BronzeReader.changes(spark, config.paths(),
            BronzeSchemas.COMPLAINTS, stateComplaints, complaints);
        if (newOrders.isEmpty() || newComplaints.isEmpty()) {
          why = "bronze orders or complaints have no change data feed since the state's versions";
        } else if (!newOrders.get().insertsOnly() || !newComplaints.get().insertsOnly()) {
          why = "bronze orders or complaints had rows deleted or updated since the state (a killed ingest run removed)";
        } else {
          Timestamp from = Timestamp.from(Instant.parse(recordedCutoff.toString()));
          Dataset<Row> delta = OrderCountState.delta(bronze.orders(), bronze.complaints(), newOrders.get().rows(),
              newComplaints.get().rows(), from, to, broadcastMax);
          Dataset<Row> advanced = OrderCountState.advance(
              RiskTables.readOrderCountState(spark, config, state.get().version()), delta);
          // materialised: it is written over the state it was read from
          return new OrderCounts(advanced.localCheckpoint(), "incremental: advanced from cutoff " + recordedCutoff, true);
        }
      }
    }
    Dataset<Row> recounted = OrderCountState.recount(bronze.orders(), bronze.complaints(), dates, broadcastMax);
    return new OrderCounts(recounted.localCheckpoint(), "full: " + why, publish);
  }
}
