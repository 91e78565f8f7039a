package io.hallmark.generate;

/** One simulated account: its identity and fingerprints, and what the truth file says about it. */
final class Account {
  String id;
  String country;
  String marketplace;
  String email;
  String phone;
  String pay;
  String dev;
  String addr;
  long reg;
  boolean listed;
  boolean counterfeit;
  String scheme;

  /** Takes over one fingerprint of another account: 0 payment card, 1 device, 2 address. */
  void copyFingerprint(Account from, int kind) {
    switch (kind) {
      case 0 -> pay = from.pay;
      case 1 -> dev = from.dev;
      default -> addr = from.addr;
    }
  }
}
