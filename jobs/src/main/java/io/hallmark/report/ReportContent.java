package io.hallmark.report;

import io.hallmark.report.ReportMetrics.Kind;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Everything the report shows, collected from the lake (small: a few dozen yearly rows, the top-N
 * sellers). The HTML, CSV and JSON are all rendered from this one value, so they cannot disagree.
 *
 * @param completeYear latest year complete on the run date (run date on or after 1 January of the
 *     next year), null when the data has none
 * @param previousYearlyStatsVersion the publication compared for restatements, null on the first one
 * @param yearlyStats yearly_stats rows as CSV text, columns in the spec's order
 * @param scoresAsOf the scoring date shown (latest on or before the run date), null when none
 * @param harm what acting on the published scores would have prevented ({@code io.hallmark.lake.HarmPrevented},
 *     sellers pseudonymous), null when no scores were published
 */
public record ReportContent(
    LocalDate runDate,
    Integer completeYear,
    long yearlyStatsVersion,
    Long previousYearlyStatsVersion,
    List<String> yearlyStatsColumns,
    List<Map<String, String>> yearlyStats,
    List<Headline> headline,
    List<Restatement> restatements,
    Long riskScoresVersion,
    LocalDate scoresAsOf,
    List<Seller> sellers,
    List<Chart> charts,
    String chartLibrary,
    Map<String, Object> harm) {

  public record Headline(String metric, String label, Kind kind, int year, Double value,
      int previousYear, Double previousValue, Double change, String changeUnit) {}

  public record Restatement(int year, String marketplace, String metric, String label, Kind kind,
      Double previousValue, Double currentValue) {}

  /** A reason: the feature's code, its contribution to the logit and the sentence of evidence (may be null). */
  public record Reason(String code, Double contribution, String evidence) {}

  public record Seller(int rank, String pseudonym, LocalDate asOf, double riskScore, String riskBand,
      List<Reason> reasons, String modelVersion) {}

  public record Series(String label, List<Double> data) {}

  public record Chart(String id, String title, String type, Kind kind, List<String> labels, List<Series> series) {}
}
