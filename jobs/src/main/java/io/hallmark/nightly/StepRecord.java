package io.hallmark.nightly;

import java.time.Instant;
import java.util.Map;

/**
 * One step of one nightly run as the audit trail keeps it.
 *
 * @param status PENDING (not reached), SUCCEEDED, FAILED, or NOT_RUN (an earlier step failed)
 * @param details the step's StepResult.details as JSON (ingest balances, metrics); null when none
 */
public record StepRecord(
    int stepNo,
    String name,
    String status,
    Instant startedAt,
    Instant endedAt,
    Double seconds,
    Long rows,
    Map<String, Long> tablesRead,
    Map<String, Long> tablesWritten,
    String details,
    String error) {

  public static final String PENDING = "PENDING";
  public static final String SUCCEEDED = "SUCCEEDED";
  public static final String FAILED = "FAILED";
  public static final String NOT_RUN = "NOT_RUN";

  public static StepRecord pending(int stepNo, String name) {
    return new StepRecord(stepNo, name, PENDING, null, null, null, null, Map.of(), Map.of(), null, null);
  }
}
