package io.hallmark.nightly;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * One nightly run: one row of the job_runs table.
 *
 * @param status RUNNING, SUCCEEDED, FAILED, or ABANDONED (a RUNNING row found by a later run that took
 *     the lock: the process died without finishing, e.g. SIGKILL)
 * @param ingestBalances the ingest step's details (per file and table: read = accepted + duplicate +
 *     rejected) as JSON, copied up so an operator finds them without unnesting the steps
 */
public record RunRecord(
    String runId,
    LocalDate runDate,
    String status,
    Instant startedAt,
    Instant endedAt,
    Double seconds,
    String host,
    long pid,
    String failedStep,
    String error,
    String ingestBalances,
    List<StepRecord> steps) {

  public static final String RUNNING = "RUNNING";
  public static final String SUCCEEDED = "SUCCEEDED";
  public static final String FAILED = "FAILED";
  public static final String ABANDONED = "ABANDONED";

  public RunRecord {
    steps = List.copyOf(steps);
  }

  RunRecord withStep(StepRecord step) {
    List<StepRecord> updated = new ArrayList<>(steps);
    updated.set(step.stepNo() - 1, step);
    return new RunRecord(runId, runDate, status, startedAt, endedAt, seconds, host, pid, failedStep, error,
        ingestBalances, updated);
  }

  RunRecord withIngestBalances(String balances) {
    return new RunRecord(runId, runDate, status, startedAt, endedAt, seconds, host, pid, failedStep, error,
        balances, steps);
  }

  RunRecord finished(String finalStatus, Instant end, double totalSeconds, String failed, String message) {
    return new RunRecord(runId, runDate, finalStatus, startedAt, end, totalSeconds, host, pid, failed, message,
        ingestBalances, steps);
  }
}
