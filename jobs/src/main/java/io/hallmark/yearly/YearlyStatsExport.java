package io.hallmark.yearly;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.when;

import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Writes yearly_stats as CSV for spreadsheets: header row, the spec's column order, one row per
 * (year, marketplace) sorted by year then ALL first then marketplace, numbers with a '.' decimal
 * separator and no exponent, empty field for null. The file appears whole or not at all.
 */
public final class YearlyStatsExport {
  private YearlyStatsExport() {}

  static final CSVFormat FORMAT = io.hallmark.jobs.Csv.format(YearlyStats.SCHEMA.fieldNames());

  /** Writes {@code stats} (gold yearly_stats rows) to {@code out}; returns the number of data rows. */
  public static long write(Dataset<Row> stats, Path out) throws IOException {
    List<Row> rows = stats
        .select(java.util.Arrays.stream(YearlyStats.SCHEMA.fieldNames()).map(c -> col(c)).toArray(org.apache.spark.sql.Column[]::new))
        .orderBy(col("year"), when(col("marketplace").equalTo(YearlyStats.ALL), 0).otherwise(1), col("marketplace"))
        .collectAsList();
    Path target = out.toAbsolutePath();
    Files.createDirectories(target.getParent());
    Path partial = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".partial");
    try {
      try (Writer writer = Files.newBufferedWriter(partial, StandardCharsets.UTF_8);
           CSVPrinter csv = new CSVPrinter(writer, FORMAT)) {
        for (Row r : rows) {
          Object[] fields = new Object[r.size()];
          for (int i = 0; i < r.size(); i++) {
            fields[i] = text(r.get(i));
          }
          csv.printRecord(fields);
        }
      }
      // readers of the CSV never see a half-written file
      Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(partial);
    }
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
