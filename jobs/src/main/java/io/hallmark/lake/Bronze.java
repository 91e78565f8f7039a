package io.hallmark.lake;

import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The bronze tables a job reads, one field per table of {@link BronzeSchemas#TABLES}, each in its declared
 * columns. Silver and yearly use the first six; seller features all eight. Read with
 * {@link BronzeReader#readBronze}, which leaves the tables a job does not ask for empty.
 */
public record Bronze(
    Dataset<Row> accountEvents, Dataset<Row> listingEvents, Dataset<Row> orders, Dataset<Row> complaints,
    Dataset<Row> notices, Dataset<Row> brands, Dataset<Row> catalog, Dataset<Row> authorizations) {

  /** Each table as {@code table} gives it by name ({@link BronzeSchemas}' table names). */
  public static Bronze of(Function<String, Dataset<Row>> table) {
    return new Bronze(
        table.apply(BronzeSchemas.ACCOUNT_EVENTS),
        table.apply(BronzeSchemas.LISTING_EVENTS),
        table.apply(BronzeSchemas.ORDERS),
        table.apply(BronzeSchemas.COMPLAINTS),
        table.apply(BronzeSchemas.NOTICES),
        table.apply(BronzeSchemas.BRANDS),
        table.apply(BronzeSchemas.CATALOG),
        table.apply(BronzeSchemas.AUTHORIZATIONS));
  }
}
