package io.hallmark.lake;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What acting on the published risk scores would have prevented (issue 21's "harm prevented"), one
 * definition shared by {@code evaluate} (risk) and the report: for every seller whose first
 * {@code COUNTERFEIT} account block falls in {@code (windowStart, asOf]}, the orders it took, the
 * counterfeit complaints those orders drew and their sales, from the end of the first day it was
 * published {@code HIGH} or {@code CRITICAL} (the morning an investigator could first have acted on it)
 * to the instant of its block.
 *
 * <p>The score series is gold.seller_risk_scores as published: the scores as they stood each day, the
 * ones an investigator would have worked from (a date re-scored since counts as it stands now, so a
 * backfill should be published with {@code score --as-known}). Everything else is known by the end of
 * {@code asOf}: blocks and orders before its cutoff, complaints on those orders before it too. Only the
 * published dates after {@code scoresFrom} are read (the scores table is partitioned by date, so the nightly
 * report reads a bounded number of them however long the history grows): a seller HIGH since before then
 * counts from the first of those dates.
 */
public final class HarmPrevented {
  private HarmPrevented() {}

  private static Timestamp cutoff(LocalDate date) {
    return Timestamp.from(date.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
  }

  /**
   * Per seller first blocked for COUNTERFEIT in the window: seller_id, block_time, block_date, first_high
   * (null when never HIGH/CRITICAL on a date before the block day), days_flagged (block_date - first_high,
   * 0 when never), orders, counterfeit_complaints, sales_usd (0 when never flagged).
   *
   * @param scores seller_id, as_of, risk_band: the published scores, every date
   */
  public static Dataset<Row> perSeller(Dataset<Row> scores, Dataset<Row> accountEvents, Dataset<Row> orders,
      Dataset<Row> complaints, LocalDate scoresFrom, LocalDate windowStart, LocalDate asOf) {
    Timestamp end = cutoff(asOf);
    Dataset<Row> blocks = accountEvents
        .filter(col("event_type").equalTo("BLOCKED").and(col("reason").equalTo("COUNTERFEIT")).and(col("event_time").lt(lit(end))))
        .groupBy(col("account_id").as("seller_id")).agg(min("event_time").as("block_time"))
        .withColumn("block_date", to_date(col("block_time")))
        .filter(col("block_date").gt(lit(Date.valueOf(windowStart))));
    Dataset<Row> firstHigh = published(scores, scoresFrom, asOf).filter(col("risk_band").isin("HIGH", "CRITICAL"))
        .join(blocks, new String[] {"seller_id"}, "inner")
        .filter(col("as_of").lt(col("block_date")))
        .groupBy("seller_id").agg(min("as_of").as("first_high"));
    Dataset<Row> flagged = blocks.join(firstHigh, new String[] {"seller_id"}, "left");
    // acted on the morning after the first HIGH day: its scores are computed once that day has ended
    Dataset<Row> preventable = orders.join(flagged.filter(col("first_high").isNotNull()), new String[] {"seller_id"}, "inner")
        .filter(col("order_time").geq(expr("cast(date_add(first_high, 1) as timestamp)"))
            .and(col("order_time").lt(col("block_time"))));
    Dataset<Row> complained = complaints
        .filter(col("complaint_type").equalTo("COUNTERFEIT").and(col("complaint_time").lt(lit(end))))
        .groupBy("order_id").agg(count(lit(1)).as("cf"));
    Dataset<Row> harm = preventable.join(complained, new String[] {"order_id"}, "left")
        .groupBy("seller_id")
        .agg(count(lit(1)).as("orders"), sum(coalesce(col("cf"), lit(0L))).as("counterfeit_complaints"),
            sum(col("quantity").multiply(col("unit_price_usd"))).as("sales_usd"));
    return flagged.join(harm, new String[] {"seller_id"}, "left")
        .select(col("seller_id"), col("block_time"), col("block_date"), col("first_high"),
            when(col("first_high").isNull(), 0).otherwise(datediff(col("block_date"), col("first_high"))).as("days_flagged"),
            coalesce(col("orders"), lit(0L)).as("orders"),
            coalesce(col("counterfeit_complaints"), lit(0L)).as("counterfeit_complaints"),
            coalesce(col("sales_usd"), lit(0.0)).as("sales_usd"));
  }

  /**
   * The totals over {@link #perSeller} and the scores they rest on: the published dates (first, last, how
   * many; a missing day is one on which nobody could have acted), each seller in block order.
   */
  public static Map<String, Object> summary(Dataset<Row> perSeller, Dataset<Row> scores, LocalDate scoresFrom,
      LocalDate windowStart, LocalDate asOf) {
    Row dates = published(scores, scoresFrom, asOf).agg(min("as_of"), max("as_of"), countDistinct("as_of")).head();
    List<Row> rows = perSeller.orderBy("block_time", "seller_id").collectAsList();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("window", "(" + windowStart + ", " + asOf + "]");
    m.put("scores", "gold.seller_risk_scores as published"
        + (dates.isNullAt(0) ? ": none on or before " + asOf
            : ", " + dates.getLong(2) + " dates from " + dates.getDate(0) + " to " + dates.getDate(1)
            + " (read after " + scoresFrom + ")"));
    m.put("score_dates", dates.isNullAt(0) ? 0L : dates.getLong(2));
    m.put("score_days_missing", dates.isNullAt(0) ? 0L
        : java.time.temporal.ChronoUnit.DAYS.between(dates.getDate(0).toLocalDate(), dates.getDate(1).toLocalDate()) + 1
            - dates.getLong(2));
    long flagged = 0;
    long orders = 0;
    long complaints = 0;
    double sales = 0;
    List<Map<String, Object>> sellers = new ArrayList<>();
    for (Row r : rows) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("seller_id", r.getString(0));
      s.put("blocked_at", r.getTimestamp(1).toInstant().toString());
      s.put("first_high", r.isNullAt(3) ? null : r.getDate(3).toString());
      s.put("days_flagged", r.getInt(4));
      s.put("orders", r.getLong(5));
      s.put("counterfeit_complaints", r.getLong(6));
      s.put("sales_usd", r.getDouble(7));
      sellers.add(s);
      flagged += r.isNullAt(3) ? 0 : 1;
      orders += r.getLong(5);
      complaints += r.getLong(6);
      sales += r.getDouble(7);
    }
    m.put("blocked_counterfeit_sellers", (long) rows.size());
    m.put("flagged_before_block", flagged);
    m.put("orders", orders);
    m.put("counterfeit_complaints", complaints);
    m.put("sales_usd", Math.round(sales * 100) / 100.0);
    m.put("sellers", sellers);
    return m;
  }

  /** The published dates read: after {@code scoresFrom}, up to asOf. */
  private static Dataset<Row> published(Dataset<Row> scores, LocalDate scoresFrom, LocalDate asOf) {
    return scores.filter(col("as_of").gt(lit(Date.valueOf(scoresFrom))).and(col("as_of").leq(lit(Date.valueOf(asOf)))));
  }

  /** One line: "12 of 15 sellers blocked for COUNTERFEIT in (…] were HIGH first: 340 orders, …". */
  public static String sentence(Map<String, Object> summary) {
    return String.format(java.util.Locale.ROOT,
        "%d of %d sellers blocked for COUNTERFEIT in %s were HIGH or CRITICAL before their block: acting on the"
            + " first such day would have prevented %,d orders, %,d counterfeit complaints and %,.2f USD of sales"
            + " (scores: %s)",
        summary.get("flagged_before_block"), summary.get("blocked_counterfeit_sellers"), summary.get("window"),
        summary.get("orders"), summary.get("counterfeit_complaints"), summary.get("sales_usd"), summary.get("scores"));
  }
}
