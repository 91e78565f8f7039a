package io.hallmark.generate;

import java.util.SplittableRandom;

/** Where a seller's buyers come from: an optional handle driving a share of orders, the rest the usual mix. */
final class Traffic {
  private static final String[] SOCIAL = {"INSTAGRAM", "TIKTOK", "YOUTUBE"};
  private final ReferenceData ref;
  String tag;
  String tagSource;
  double tagShare;
  /** What is left of a ring's traffic besides its handle: search and direct, a little else. */
  boolean ringStyle;

  Traffic(ReferenceData ref) {
    this.ref = ref;
  }

  /** {referral_source, referral_tag}, either may be null. */
  String[] pick(SplittableRandom r) {
    if (tag != null && r.nextDouble() < tagShare) {
      return new String[] {tagSource, tag};
    }
    double u = r.nextDouble();
    if (ringStyle) {
      if (u < 0.55) {
        return new String[] {"SEARCH", null};
      }
      if (u < 0.92) {
        return new String[] {r.nextBoolean() ? "DIRECT" : null, null};
      }
    } else {
      if (u < 0.62) {
        return new String[] {"SEARCH", null};
      }
      if (u < 0.87) {
        return new String[] {r.nextBoolean() ? "DIRECT" : null, null};
      }
      if (u < 0.92) {
        return new String[] {"EXTERNAL_SITE", r.nextDouble() < 0.6 ? "aff-" + (100 + r.nextInt(200)) : null};
      }
    }
    if (r.nextDouble() < 0.65) {
      int k = r.nextInt(ref.legitTags.size());
      return new String[] {ref.legitTagSource.get(k), ref.legitTags.get(k)};
    }
    return new String[] {SOCIAL[r.nextInt(3)], null};
  }
}
