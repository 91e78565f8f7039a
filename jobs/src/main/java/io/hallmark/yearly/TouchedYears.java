package io.hallmark.yearly;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_compact;
import static org.apache.spark.sql.functions.bool_or;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.year;

import io.hallmark.lake.DeltaVersions;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;

/**
 * Which years of yearly_stats a change to silver reaches, as pure transforms over silver rows. A
 * (year, marketplace) row depends only on the facts of that year: an account's registration and
 * blocks, a listing's creation and blocks, an order, a notice, each under its seller's marketplace, and
 * on the brands enrolled by the end of the year. So the years to recompute are the fact years of every
 * changed silver row, old and new image alike; the fact years of every row whose seller's marketplace
 * changed; every year from the earliest enrolment of a changed brand on; and every newly covered year.
 * Each function returns one column {@code year} (distinct, non-null).
 */
public final class TouchedYears {
  private TouchedYears() {}

  private static Dataset<Row> explodeYears(Dataset<Row> rows, Column yearArray) {
    return rows.select(explode(array_compact(yearArray)).as("year")).distinct().select(col("year"));
  }

  private static Column eventYears(String refArray) {
    Column refs = coalesce(col(refArray), array().cast(new ArrayType(SilverTables.LISTING_EVENT_REF, true)));
    return transform(refs, ref -> year(ref.getField("event_time")));
  }

  /** Years an account_timeline row has figures in: its registration year and each block's year. */
  public static Dataset<Row> accountYears(Dataset<Row> accountRows) {
    Column blocks = coalesce(col("blocks"), array().cast(new ArrayType(SilverTables.ACCOUNT_BLOCK, true)));
    return explodeYears(accountRows, concat(array(year(col("first_registered_at"))),
        transform(blocks, block -> year(block.getField("event_time")))));
  }

  /** Years a listing_timeline row has figures in: its creation, submission blocks and IP blocks. */
  public static Dataset<Row> listingYears(Dataset<Row> listingRows) {
    return explodeYears(listingRows, listingYearArray());
  }

  private static Column listingYearArray() {
    return concat(array(year(col("first_created_at"))), eventYears("ip_blocks"), eventYears("submission_blocks"));
  }

  public static Dataset<Row> orderYears(Dataset<Row> orderRows) {
    return explodeYears(orderRows, array(year(col("order_time"))));
  }

  public static Dataset<Row> noticeYears(Dataset<Row> noticeRows) {
    return explodeYears(noticeRows, array(year(col("submitted_at"))));
  }

  /**
   * Accounts whose marketplace (registered_marketplace, UNKNOWN when null or when the account has no
   * row) may differ between the old and the new silver, from account_timeline's change rows: two
   * marketplaces among an account's change rows, or a row inserted or deleted with a known marketplace
   * (the other side had no row: UNKNOWN). Column {@code key}.
   */
  public static Dataset<Row> marketplaceChanged(Dataset<Row> accountChanges) {
    Column marketplace = coalesce(col("registered_marketplace"), lit(YearlyStats.UNKNOWN));
    Column rowAppearsOrGoes = col(DeltaVersions.CHANGE_TYPE).isin("insert", "delete").and(col("registered_marketplace").isNotNull());
    return accountChanges
        .groupBy(col("account_id"))
        .agg(count_distinct(marketplace).as("marketplaces"), bool_or(rowAppearsOrGoes).as("appears_or_goes"))
        .filter(col("marketplaces").gt(1).or(col("appears_or_goes")))
        .select(col("account_id").as("key"));
  }

  /**
   * Years of the listings, orders and notices attributed to the given sellers (column {@code key}): a
   * listing is attributed to its seller, or to the seller of a blocked submission when it never went
   * live, so every seller named in the row counts.
   */
  public static Dataset<Row> sellerYears(Dataset<Row> sellers, Dataset<Row> listingTimeline, Dataset<Row> orderFacts,
      Dataset<Row> noticeFacts) {
    Dataset<Row> keys = broadcast(sellers.select(col("key")).distinct());
    Column namedSellers = concat(array(col("seller_id")),
        transform(coalesce(col("ip_blocks"), array().cast(new ArrayType(SilverTables.LISTING_EVENT_REF, true))),
            ref -> ref.getField("seller_id")),
        transform(coalesce(col("submission_blocks"), array().cast(new ArrayType(SilverTables.LISTING_EVENT_REF, true))),
            ref -> ref.getField("seller_id")));
    Dataset<Row> listingRows = listingTimeline
        .select(listingYearArray().as("years"), explode(array_compact(namedSellers)).as("named_seller"))
        .join(keys, col("named_seller").equalTo(col("key")), "left_semi")
        .select(explode(array_compact(col("years"))).as("year"));
    Dataset<Row> orderRows = orderFacts.join(keys, col("seller_id").equalTo(col("key")), "left_semi")
        .select(year(col("order_time")).as("year"));
    Dataset<Row> noticeRows = noticeFacts.join(keys, col("seller_id").equalTo(col("key")), "left_semi")
        .select(year(col("submitted_at")).as("year"));
    return listingRows.union(orderRows).union(noticeRows)
        .filter(col("year").isNotNull()).distinct().select(col("year").cast(DataTypes.IntegerType).as("year"));
  }

  /**
   * Every year to recompute: the fact years given, the covered years that are new, and every covered
   * year from the enrolment year of a brand added, removed or changed on ({@code brands_enrolled}
   * counts the brands enrolled by the end of each year).
   */
  public static Dataset<Row> reached(Dataset<Row> factYears, Dataset<Row> coveredNow, Dataset<Row> coveredThen,
      Dataset<Row> brandsNow, Dataset<Row> brandsThen) {
    Dataset<Row> newlyCovered = coveredNow.select("year").except(coveredThen.select("year"));
    Dataset<Row> changedBrands = brandsNow.exceptAll(brandsThen).unionByName(brandsThen.exceptAll(brandsNow));
    Dataset<Row> firstChangedEnrolment = changedBrands.agg(org.apache.spark.sql.functions.min(year(col("enrolled_at")))
        .as("from_year"));
    Dataset<Row> brandYears = coveredNow.join(broadcast(firstChangedEnrolment), col("year").geq(col("from_year")), "inner")
        .select(col("year"));
    return factYears.select(col("year")).union(newlyCovered).union(brandYears)
        .filter(col("year").isNotNull()).distinct().select(col("year").cast(DataTypes.IntegerType).as("year"));
  }
}
