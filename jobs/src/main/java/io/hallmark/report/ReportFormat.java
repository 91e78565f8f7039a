package io.hallmark.report;

import io.hallmark.report.ReportMetrics.Kind;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/**
 * Number text of the report, locale-independent so the output is byte-identical everywhere.
 * CSV/JSON carry full precision ({@link #plain}); the page rounds for reading ({@link #display}).
 * Rounding is HALF_UP on the shortest decimal form of the double (what the CSV shows), so the
 * page always agrees with the CSV.
 */
public final class ReportFormat {
  private ReportFormat() {}

  public static final String MISSING = "n/a";

  /** Full precision, no exponent: 1.0E-4 becomes 0.0001, 12.0 becomes 12. Null becomes "". */
  public static String plain(Double value) {
    if (value == null) {
      return "";
    }
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }

  public static String plainCount(Double value) {
    return value == null ? "" : Long.toString(Math.round(value));
  }

  /** CSV text of a metric value: whole numbers for counts, full precision otherwise. */
  public static String plain(Kind kind, Double value) {
    return kind == Kind.COUNT ? plainCount(value) : plain(value);
  }

  /** Counts with thousands separators, shares as % with 3 decimals, hours with 1, ratios with 2. */
  public static String display(Kind kind, Double value) {
    if (value == null) {
      return MISSING;
    }
    BigDecimal v = BigDecimal.valueOf(value);
    return switch (kind) {
      case COUNT -> grouped(v.setScale(0, RoundingMode.HALF_UP));
      case SHARE -> v.movePointRight(2).setScale(3, RoundingMode.HALF_UP).toPlainString() + " %";
      case HOURS -> v.setScale(1, RoundingMode.HALF_UP).toPlainString() + " h";
      case RATIO -> v.setScale(2, RoundingMode.HALF_UP).toPlainString();
    };
  }

  /** Year-over-year change: "+12.5 %" (relative) or "+0.120 pp" (share points). */
  public static String change(Kind kind, Double change) {
    if (change == null) {
      return MISSING;
    }
    BigDecimal v = BigDecimal.valueOf(change).movePointRight(2);
    String text = kind == Kind.SHARE
        ? v.setScale(3, RoundingMode.HALF_UP).toPlainString() + " pp"
        : v.setScale(1, RoundingMode.HALF_UP).toPlainString() + " %";
    return v.signum() > 0 ? "+" + text : text;
  }

  public static String score(Double value) {
    return value == null ? MISSING : BigDecimal.valueOf(value).setScale(4, RoundingMode.HALF_UP).toPlainString();
  }

  public static String contribution(Double value) {
    if (value == null) {
      return MISSING;
    }
    BigDecimal v = BigDecimal.valueOf(value).setScale(3, RoundingMode.HALF_UP);
    return v.signum() > 0 ? "+" + v.toPlainString() : v.toPlainString();
  }

  private static String grouped(BigDecimal whole) {
    DecimalFormat format = new DecimalFormat("#,##0", DecimalFormatSymbols.getInstance(Locale.ROOT));
    return format.format(whole);
  }
}
