package io.hallmark.yearly;

import static io.hallmark.testing.SparkTestSupport.row;
import static io.hallmark.testing.SparkTestSupport.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CSV a spreadsheet reads: header, spec order, sorted rows, '.' decimals, empty nulls. */
class YearlyStatsExportTest {
  @TempDir Path tmp;

  @Test
  void writesTheSpecCsv() throws Exception {
    java.util.Locale previous = java.util.Locale.getDefault();
    java.util.Locale.setDefault(java.util.Locale.GERMANY); // a ',' decimal locale must not leak into the file
    try {
      Path out = tmp.resolve("sub/yearly.csv");
      long written = YearlyStatsExport.write(rows(YearlyStats.SCHEMA,
          row(2021, "FR", 2L, 1L, 1L, 1.0, 0L, 1L, 0.5, 0L, 3L, 0L, 1L, 0L, 0.0, 5L, 2L, null, null,
              0.6666666666666666, 3L, 6L, 2L, 0.6666666666666666, 1.0E-4),
          row(2021, "ALL", 3L, 2L, 1L, 0.5, 0L, 1L, 0.3333333333333333, 0L, 4L, 0L, 1L, 1L, 1.0, 6L, 3L, 3L, 1.0,
              null, 4L, 11L, 2L, 0.5, 17.5),
          row(2020, "ALL", 0L, 0L, 0L, null, 0L, 0L, null, 0L, 0L, 0L, 0L, 0L, null, 0L, 0L, 0L, null,
              null, 0L, 0L, 0L, null, null)), out.toString(), new org.apache.hadoop.conf.Configuration());
      assertEquals(3, written);
      String expected = """
          year,marketplace,accounts_registered,accounts_blocked,accounts_blocked_before_first_listing,pre_listing_block_share,counterfeit_accounts_blocked,accounts_verified_and_listed_90d,verification_pass_share,repeat_blocked_accounts,listings_created,submissions_blocked,listings_blocked_ip,listings_blocked_proactively,proactive_block_share,notices_submitted,valid_notices,brands_enrolled,valid_notices_per_brand,notices_resolved_within_24h_share,orders,units_sold,orders_with_counterfeit_complaint,counterfeit_complaint_rate,median_hours_registration_to_block
          2020,ALL,0,0,0,,0,0,,0,0,0,0,0,,0,0,0,,,0,0,0,,
          2021,ALL,3,2,1,0.5,0,1,0.3333333333333333,0,4,0,1,1,1,6,3,3,1,,4,11,2,0.5,17.5
          2021,FR,2,1,1,1,0,1,0.5,0,3,0,1,0,0,5,2,,,0.6666666666666666,3,6,2,0.6666666666666666,0.0001
          """;
      assertEquals(expected, Files.readString(out, StandardCharsets.UTF_8));
      try (var files = Files.list(out.getParent())) {
        assertEquals(1, files.count(), "no partial file left behind");
      }
    } finally {
      java.util.Locale.setDefault(previous);
    }
  }
}
