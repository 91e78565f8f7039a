package io.hallmark.report;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * How the report presents each yearly_stats column (spec: shared/spec/yearly-metrics.md): its label,
 * its kind (which decides formatting and how a year-over-year change is expressed), and which of them
 * are headline figures and charts. Column order is the spec's order.
 */
public final class ReportMetrics {
  private ReportMetrics() {}

  public enum Kind {
    /** a whole number; change is relative (%) */
    COUNT,
    /** a fraction in [0,1] shown as %; change in percentage points */
    SHARE,
    /** a duration in hours; change is relative (%) */
    HOURS,
    /** a plain ratio (valid notices per brand); change is relative (%) */
    RATIO
  }

  public record Metric(String column, String label, Kind kind) {}

  /** Every metric column of yearly_stats, in the spec's order (after year, marketplace). */
  public static final List<Metric> YEARLY = List.of(
      new Metric("accounts_registered", "Accounts registered", Kind.COUNT),
      new Metric("accounts_blocked", "Accounts blocked", Kind.COUNT),
      new Metric("accounts_blocked_before_first_listing", "Accounts blocked before their first listing", Kind.COUNT),
      new Metric("pre_listing_block_share", "Share of blocks before the first listing", Kind.SHARE),
      new Metric("counterfeit_accounts_blocked", "Accounts blocked for counterfeits", Kind.COUNT),
      new Metric("accounts_verified_and_listed_90d", "Accounts verified and listing within 90 days", Kind.COUNT),
      new Metric("verification_pass_share", "Verification pass share", Kind.SHARE),
      new Metric("repeat_blocked_accounts", "Repeat-blocked accounts", Kind.COUNT),
      new Metric("listings_created", "Listings created", Kind.COUNT),
      new Metric("submissions_blocked", "Submissions blocked before going live", Kind.COUNT),
      new Metric("listings_blocked_ip", "Listings blocked for counterfeit/trademark", Kind.COUNT),
      new Metric("listings_blocked_proactively", "Listings blocked before any notice", Kind.COUNT),
      new Metric("proactive_block_share", "Proactive block share", Kind.SHARE),
      new Metric("notices_submitted", "Notices submitted", Kind.COUNT),
      new Metric("valid_notices", "Valid notices", Kind.COUNT),
      new Metric("brands_enrolled", "Brands enrolled", Kind.COUNT),
      new Metric("valid_notices_per_brand", "Valid notices per enrolled brand", Kind.RATIO),
      new Metric("notices_resolved_within_24h_share", "Notices resolved within 24 h", Kind.SHARE),
      new Metric("orders", "Orders", Kind.COUNT),
      new Metric("units_sold", "Units sold", Kind.COUNT),
      new Metric("orders_with_counterfeit_complaint", "Orders with a counterfeit complaint", Kind.COUNT),
      new Metric("counterfeit_complaint_rate", "Counterfeit complaint rate", Kind.SHARE),
      new Metric("median_hours_registration_to_block", "Median hours from registration to block", Kind.HOURS));

  public static final Map<String, Metric> BY_COLUMN =
      YEARLY.stream().collect(Collectors.toMap(Metric::column, Function.identity()));

  /** The figures of the "year at a glance" table (marketplace ALL). */
  public static final List<String> HEADLINE = List.of(
      "accounts_blocked",
      "accounts_blocked_before_first_listing",
      "pre_listing_block_share",
      "counterfeit_accounts_blocked",
      "listings_blocked_ip",
      "proactive_block_share",
      "notices_submitted",
      "valid_notices",
      "notices_resolved_within_24h_share",
      "orders",
      "counterfeit_complaint_rate",
      "median_hours_registration_to_block");

  /**
   * One chart per metric family over all years. {@code perMarketplace}: one line per marketplace
   * (shares compare well across marketplaces); otherwise bars of the ALL row, one per metric.
   */
  public record ChartSpec(String id, String title, String type, List<String> metrics, boolean perMarketplace) {}

  public static final List<ChartSpec> CHARTS = List.of(
      new ChartSpec("chart-pre-listing", "Accounts blocked before their first listing", "bar",
          List.of("accounts_blocked", "accounts_blocked_before_first_listing"), false),
      new ChartSpec("chart-proactive", "Proactive block share (listings blocked before any notice)", "line",
          List.of("proactive_block_share"), true),
      new ChartSpec("chart-complaints", "Counterfeit complaint rate (orders with a counterfeit complaint)", "line",
          List.of("counterfeit_complaint_rate"), true),
      new ChartSpec("chart-notices", "Notices from brands", "bar",
          List.of("notices_submitted", "valid_notices"), false));

  public static Metric metric(String column) {
    Metric m = BY_COLUMN.get(column);
    if (m == null) {
      throw new IllegalArgumentException("not a yearly_stats metric: " + column);
    }
    return m;
  }
}
