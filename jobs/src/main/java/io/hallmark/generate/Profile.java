package io.hallmark.generate;

import io.hallmark.generate.ReferenceData.Product;
import java.util.SplittableRandom;

/** How a kind of seller lists and sells: what {@link SellerLife} needs to play out its listings. */
final class Profile {
  int listings;
  double burstShare;
  double orderRate;
  double orderSigma = 1.0;
  double complaintP;
  double cfShare;
  double noticeP;
  String[] noticeTypes = {"TRADEMARK"};
  double[] outcome = {0.3, 0.6, 0.1}; // VALID, INVALID, PENDING
  double noticeMedianDays = 25;
  double shipAbroadP = 0.03;
  /** The country every "abroad" listing ships from (a ring's warehouse); null = one of the usual exporters. */
  String shipFromAbroad;
  double editMean = 0.4;
  double removalMeanDays = 250;
  double submissionBlockP = 0.02;
  String[] submissionReasons = {"POLICY", "SAFETY", "TRADEMARK"};
  double resubmitP = 0.4;
  double proactiveBlockP = 0.003;
  boolean proactiveReinstated = true;
  String proactiveReason = "POLICY";
  Picker picker;
  Traffic traffic;

  /** Chooses the product of a new listing and its price factor against the product's typical price. */
  interface Picker {
    Pick pick(SplittableRandom rng, long at);
  }

  record Pick(Product product, double priceFactor) {}

  /** A stretch of time the account can sell in, and how it ends ({@code BLOCK:reason:listing reason[:INSTANT]}). */
  record Active(long from, long to, String endCause) {}

  static final String END_NONE = "NONE";
  static final String END_CLOSE = "CLOSE";
}
