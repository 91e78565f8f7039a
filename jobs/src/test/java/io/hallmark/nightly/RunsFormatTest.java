package io.hallmark.nightly;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What `hallmark runs` prints, for a hand-made pair of runs. */
class RunsFormatTest {
  @Test
  void oneLinePerRunThenItsSteps() {
    Instant t0 = Instant.parse("2026-11-28T17:45:01Z");
    RunRecord ok = new RunRecord("nightly-2024-12-31-a", LocalDate.of(2024, 12, 31), "SUCCEEDED", t0,
        t0.plusSeconds(12), 12.0, "h", 1, null, null, null, List.of(
            new StepRecord(1, "ingest", "SUCCEEDED", t0, t0.plusSeconds(8), 8.14, 12345L, Map.of(),
                Map.of("bronze.accounts", 3L), null, null),
            new StepRecord(2, "silver", "SUCCEEDED", t0, t0.plusSeconds(4), 3.96, 10L,
                Map.of("bronze.accounts", 3L), Map.of("silver.x", 1L), null, null)));
    RunRecord failed = new RunRecord("nightly-2024-12-30-b", LocalDate.of(2024, 12, 30), "FAILED", t0, t0, 1.0, "h",
        1, "silver", "disk full\nmore", null, List.of(
            new StepRecord(1, "ingest", "FAILED", t0, t0, 1.0, null, Map.of(), Map.of(), null, "disk full"),
            StepRecord.pending(2, "silver")));
    String expected = ""
        + "RUN ID                RUN DATE    STATUS     STARTED (UTC)         SECONDS  STEPS  FAILED STEP / ERROR\n"
        + "nightly-2024-12-31-a  2024-12-31  SUCCEEDED  2026-11-28 17:45:01      12.0  2/2    \n"
        + "    1 ingest           SUCCEEDED     12,345 rows     8.1 s  wrote bronze.accounts@3\n"
        + "    2 silver           SUCCEEDED         10 rows     4.0 s  read bronze.accounts@3; wrote silver.x@1\n"
        + "nightly-2024-12-30-b  2024-12-30  FAILED     2026-11-28 17:45:01       1.0  0/2    silver: disk full\n"
        + "    1 ingest           FAILED                        1.0 s  error: disk full\n"
        + "    2 silver           PENDING                              \n";
    assertEquals(expected, JobRuns.format(List.of(ok, failed)));
    assertEquals("no nightly runs recorded yet\n", JobRuns.format(List.of()));
  }
}
