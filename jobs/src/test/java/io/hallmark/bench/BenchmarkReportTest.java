package io.hallmark.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The generated markdown's arithmetic and its handling of JSONs written before and after a key was added. */
class BenchmarkReportTest {
  @Test
  void growthExponentIsTheSlopeOfCpuAgainstSizeOnLogLogAxes() {
    // ten times the accounts, ten times the CPU: linear
    assertEquals(1.0, BenchmarkReport.growthExponent(100, 1000, 1e5, 1e6), 1e-12);
    // ten times the accounts, sqrt(10) = 3.162 times the CPU: square root
    assertEquals(0.5, BenchmarkReport.growthExponent(100, 316.2, 1e5, 1e6), 1e-4);
    // 100 times the CPU: quadratic; the same CPU: flat
    assertEquals(2.0, BenchmarkReport.growthExponent(10, 1000, 1e4, 1e5), 1e-12);
    assertEquals(0.0, BenchmarkReport.growthExponent(50, 50, 1e4, 1e6), 1e-12);
  }

  @Test
  void twoSizesGetAGrowthLineAndOldJsonsRenderWithoutTheNewRows() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    JsonNode twoSizes = mapper.readTree("""
        {"label": "two", "machine": {}, "sizes": [
          {"accounts": 100000, "steps": [{"name": "ingest", "wall_s": 60, "cpu_s": 60}, {"name": "silver", "wall_s": 40, "cpu_s": 40}],
           "incremental": {"day_steps": [{"name": "ingest", "cpu_s": 10}]}},
          {"accounts": 1000000, "steps": [{"name": "ingest", "wall_s": 600, "cpu_s": 600}, {"name": "silver", "wall_s": 400, "cpu_s": 400}],
           "incremental": {"day_steps": [{"name": "ingest", "cpu_s": 25}]}}]}
        """);
    String md = BenchmarkReport.render(List.of(twoSizes));
    assertTrue(md.contains("Full rebuild CPU 100,000 → 1,000,000 accounts: 100.0 s → 1000.0 s, growth exponent"
        + " log(cpu2/cpu1)/log(n2/n1) = 1.00; one-day nightly CPU 10.0 s → 25.0 s (×2.50)."), md);
    // no landing floor, Spark SQL peer or empty nightly in these JSONs: no table for them
    assertFalse(md.contains("landing floor (s)"), md);

    JsonNode oneSize = mapper.readTree("""
        {"label": "one", "machine": {}, "sizes": [{"accounts": 100, "steps": [{"name": "ingest", "wall_s": 2, "cpu_s": 3}],
          "landing_floor": {"name": "spark-read-landing-json", "status": "ok", "wall_s": 0.5, "cpu_s": 0.8, "rows": 2000},
          "ratio_ingest_vs_landing_floor": 4.0, "cpu_us_per_landing_line_ingest": 1500.0,
          "cpu_us_per_landing_line_floor": 400.0,
          "spark_sql_peer": {"name": "spark-sql-peer-yearly-stats", "status": "ok", "wall_s": 3.0, "cpu_s": 5,
            "figures_identical_to_duckdb": true},
          "ratio_spark_sql_peer_vs_duckdb": 6.0,
          "empty_nightly": {"error": "not run: the one-day ingest failed"}}]}
        """);
    String one = BenchmarkReport.render(List.of(oneSize));
    assertFalse(one.contains("growth exponent"), one);
    assertTrue(one.contains("| 100 | 2,000 | 2.0 | 0.5 | 4.00 | 1500.00 | 400.00 | 3.0 | 6.00 | yes | not run | not run | not run |"), one);
    assertTrue(one.contains("| 100 | spark-read-landing-json | ok |"), one);
    assertTrue(one.contains("| 100 | spark-sql-peer-yearly-stats | ok |"), one);
  }
}
