package io.hallmark.jobs;

import org.apache.commons.csv.CSVFormat;

/** The one CSV dialect every export and report file uses (Apache Commons CSV). */
public final class Csv {
  private Csv() {}

  /** RFC 4180 with the given header row, {@code \n} line ends, quotes only where needed, empty field for null. */
  public static CSVFormat format(String... header) {
    return CSVFormat.RFC4180.builder()
        .setHeader(header)
        .setRecordSeparator("\n")
        .setNullString("")
        .get();
  }
}
