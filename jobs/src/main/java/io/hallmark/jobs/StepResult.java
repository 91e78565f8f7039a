package io.hallmark.jobs;

import java.util.Map;

/**
 * What one step of a run did, for progress lines and the job_runs audit table.
 *
 * @param rows the step's headline row count (rows written, or rows read where it writes none)
 * @param tablesRead Delta table name (e.g. "bronze.account_events") to the version read
 * @param tablesWritten Delta table name to the version it published
 * @param details free-form facts worth auditing (ingest balances, metrics), JSON-serialisable values
 */
public record StepResult(
    long rows, Map<String, Long> tablesRead, Map<String, Long> tablesWritten, Map<String, Object> details) {

  public static StepResult of(long rows) {
    return new StepResult(rows, Map.of(), Map.of(), Map.of());
  }
}
