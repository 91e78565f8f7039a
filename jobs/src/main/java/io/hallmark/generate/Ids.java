package io.hallmark.generate;

/**
 * Opaque, unique, deterministic identifiers: a counter mapped through a bijection of 48-bit integers
 * (add a seed-derived salt, multiply by an odd constant), printed in base 36. Unique because the
 * mapping is one-to-one; opaque so that ids carry no hint of a seller's scheme or creation order.
 */
final class Ids {
  private static final long MASK48 = (1L << 48) - 1;
  private final long salt;

  Ids(long seed) {
    this.salt = mix(seed) & MASK48;
  }

  String of(String prefix, long counter) {
    long x = ((counter + salt) * 0x5DEECE66DL) & MASK48; // odd multiplier: bijective mod 2^48
    String s = Long.toString(x, 36).toUpperCase(java.util.Locale.ROOT);
    StringBuilder b = new StringBuilder(prefix.length() + 10).append(prefix);
    for (int i = s.length(); i < 10; i++) {
      b.append('0');
    }
    return b.append(s).toString();
  }

  /** SplitMix64 finaliser: spreads seeds so neighbouring seeds give unrelated streams. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  static long mix(long a, long b) {
    return mix(a * 0x9E3779B97F4A7C15L + mix(b));
  }

  /** 16 lower-case hex chars: fingerprints. */
  static String hex(long v) {
    String s = Long.toHexString(v);
    return "0".repeat(16 - s.length()) + s;
  }
}
