package io.hallmark.risk;

import com.typesafe.config.Config;
import io.hallmark.config.ConfigError;
import io.hallmark.config.HallmarkConfig;

/** The {@code hallmark.risk} section of the configuration, read once and checked. */
public record RiskSettings(
    String defaultModelVersion,
    double bandMedium,
    double bandHigh,
    double bandCritical,
    double complaintPriorRate,
    double complaintPriorWeight,
    int maxFingerprintDegree,
    int maxGraphIterations,
    String luxuryCategoryRegex,
    int horizonDays,
    int snapshots,
    int snapshotStepDays,
    int validationGroupPercent,
    double regParam,
    double elasticNet,
    int maxIter,
    int backfillDays,
    int evaluationStepDays,
    int stabilityDays,
    int leadWindowDays,
    int minPositives,
    long broadcastComplainedOrdersMax,
    double calibrationSlope,
    double calibrationOffset,
    int reliabilityBins) {

  public static RiskSettings from(HallmarkConfig config) {
    Config c = config.raw().getConfig("hallmark.risk");
    RiskSettings s = new RiskSettings(
        c.getString("default-model-version"),
        c.getDouble("bands.medium"),
        c.getDouble("bands.high"),
        c.getDouble("bands.critical"),
        c.getDouble("smoothing.complaint-prior-rate"),
        c.getDouble("smoothing.complaint-prior-weight"),
        c.getInt("graph.max-fingerprint-degree"),
        c.getInt("graph.max-iterations"),
        c.getString("luxury-category-regex"),
        c.getInt("training.horizon-days"),
        c.getInt("training.snapshots"),
        c.getInt("training.snapshot-step-days"),
        c.getInt("training.validation-group-percent"),
        c.getDouble("training.reg-param"),
        c.getDouble("training.elastic-net"),
        c.getInt("training.max-iter"),
        c.getInt("evaluation.backfill-days"),
        c.getInt("evaluation.step-days"),
        c.getInt("evaluation.stability-days"),
        c.getInt("evaluation.lead-window-days"),
        c.getInt("training.min-positives"),
        c.getLong("features.broadcast-complained-orders-max"),
        c.getDouble("calibration.slope"),
        c.getDouble("calibration.offset"),
        c.getInt("evaluation.reliability-bins"));
    if (!(s.calibrationSlope > 0) || !Double.isFinite(s.calibrationSlope) || !Double.isFinite(s.calibrationOffset)) {
      throw new ConfigError("hallmark.risk.calibration needs a finite slope > 0 and a finite offset, got "
          + s.calibrationSlope + ", " + s.calibrationOffset + " (a slope <= 0 would reverse or flatten the ranking)");
    }
    if (s.reliabilityBins < 2) {
      throw new ConfigError("hallmark.risk.evaluation.reliability-bins must be at least 2, got " + s.reliabilityBins);
    }
    if (!(0 < s.bandMedium && s.bandMedium < s.bandHigh && s.bandHigh < s.bandCritical && s.bandCritical < 1)) {
      throw new ConfigError("hallmark.risk.bands must satisfy 0 < medium < high < critical < 1, got "
          + s.bandMedium + ", " + s.bandHigh + ", " + s.bandCritical);
    }
    if (s.minPositives < 1) {
      throw new ConfigError("hallmark.risk.training.min-positives must be >= 1, got " + s.minPositives);
    }
    if (s.broadcastComplainedOrdersMax < 0) {
      throw new ConfigError("hallmark.risk.features.broadcast-complained-orders-max must be >= 0 (0: never broadcast), got "
          + s.broadcastComplainedOrdersMax);
    }
    if (s.complaintPriorWeight <= 0 || s.complaintPriorRate < 0 || s.complaintPriorRate > 1) {
      throw new ConfigError("hallmark.risk.smoothing: complaint-prior-weight must be > 0 and complaint-prior-rate in [0,1]");
    }
    if (s.snapshots < 2 || s.snapshotStepDays < 1 || s.horizonDays < 1) {
      throw new ConfigError("hallmark.risk.training: need snapshots >= 2 (one for validation), step and horizon >= 1 day");
    }
    if (s.validationGroupPercent <= 0 || s.validationGroupPercent >= 100) {
      throw new ConfigError("hallmark.risk.training.validation-group-percent must be in 1..99");
    }
    if (s.maxGraphIterations < 1 || s.maxFingerprintDegree < 2) {
      throw new ConfigError("hallmark.risk.graph: max-iterations >= 1 and max-fingerprint-degree >= 2 required");
    }
    if (s.evaluationStepDays < 1 || s.stabilityDays < 2 || s.backfillDays < s.leadWindowDays) {
      throw new ConfigError("hallmark.risk.evaluation: step-days >= 1, stability-days >= 2, backfill-days >= lead-window-days");
    }
    return s;
  }

  /** The conf default model's Platt scaling ({@code hallmark.risk.calibration}). */
  public RiskModel.Calibration confCalibration() {
    return new RiskModel.Calibration(calibrationSlope, calibrationOffset, "hallmark.risk.calibration (conf)");
  }

  /** The band thresholds on the calibrated probability, every model's ({@code hallmark.risk.bands}). */
  public RiskModel.Bands confBands() {
    return new RiskModel.Bands(bandMedium, bandHigh, bandCritical);
  }
}
