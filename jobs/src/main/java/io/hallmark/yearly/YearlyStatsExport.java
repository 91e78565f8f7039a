package io.hallmark.yearly;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.when;

import io.hallmark.config.HadoopFiles;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Writes yearly_stats as CSV for spreadsheets: header row, the spec's column order, one row per
 * (year, marketplace) sorted by year then ALL first then marketplace, numbers with a '.' decimal
 * separator and no exponent, empty field for null. The file (a URI on any Hadoop file system) appears
 * whole or not at all ({@link HadoopFiles#write}).
 */
public final class YearlyStatsExport {
  private YearlyStatsExport() {}

  static final CSVFormat FORMAT = io.hallmark.jobs.Csv.format(YearlyStats.SCHEMA.fieldNames());

  /** Writes {@code stats} (gold yearly_stats rows) to the file {@code out}; returns the number of data rows. */
  public static long write(Dataset<Row> stats, String out, Configuration hadoop) throws IOException {
    List<Row> rows = stats
        .select(java.util.Arrays.stream(YearlyStats.SCHEMA.fieldNames()).map(c -> col(c)).toArray(org.apache.spark.sql.Column[]::new))
        .orderBy(col("year"), when(col("marketplace").equalTo(YearlyStats.ALL), 0).otherwise(1), col("marketplace"))
        .collectAsList();
    HadoopFiles.write(hadoop, out, stream -> {
      Writer writer = new OutputStreamWriter(stream, StandardCharsets.UTF_8);
      CSVPrinter csv = new CSVPrinter(writer, FORMAT);
      for (Row r : rows) {
        Object[] fields = new Object[r.size()];
        for (int i = 0; i < r.size(); i++) {
          fields[i] = text(r.get(i));
        }
        csv.printRecord(fields);
      }
      csv.flush();
    });
    return rows.size();
  }

  /** Locale-free text of one value: plain decimal doubles, ISO timestamps and dates, null stays null. */
  static String text(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof Double d) {
      return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }
    if (value instanceof Timestamp t) {
      return t.toInstant().toString();
    }
    if (value instanceof LocalDate d) {
      return d.toString();
    }
    return value.toString();
  }
}
