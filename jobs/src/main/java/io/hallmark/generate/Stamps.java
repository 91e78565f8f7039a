package io.hallmark.generate;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** Time helpers: instants are epoch milliseconds (UTC); text is ISO-8601 with an explicit offset. */
final class Stamps {
  static final long MINUTE = 60_000L;
  static final long HOUR = 60 * MINUTE;
  static final long DAY = 24 * HOUR;

  private Stamps() {}

  static long startOfYear(int year) {
    return LocalDate.of(year, 1, 1).toEpochDay() * DAY;
  }

  static LocalDate utcDay(long millis) {
    return LocalDate.ofEpochDay(Math.floorDiv(millis, DAY));
  }

  /** {@code 2021-03-04T12:15:30+02:00}, {@code ...Z} for offset 0, fractional seconds only when millis != 0. */
  static String iso(long millis, int offsetMinutes) {
    return iso(millis, offsetMinutes, offsetMinutes == 0 ? "Z" : null);
  }

  static String iso(long millis, int offsetMinutes, String zoneText) {
    long sec = Math.floorDiv(millis, 1000L);
    int ms = (int) Math.floorMod(millis, 1000L);
    LocalDateTime local = LocalDateTime.ofEpochSecond(sec, 0, ZoneOffset.ofTotalSeconds(offsetMinutes * 60));
    StringBuilder b = new StringBuilder(32);
    b.append(local.getYear()).append('-');
    pad2(b, local.getMonthValue()).append('-');
    pad2(b, local.getDayOfMonth()).append('T');
    pad2(b, local.getHour()).append(':');
    pad2(b, local.getMinute()).append(':');
    pad2(b, local.getSecond());
    if (ms != 0) {
      b.append('.');
      if (ms < 100) {
        b.append('0');
      }
      if (ms < 10) {
        b.append('0');
      }
      b.append(ms);
    }
    if (zoneText != null) {
      return b.append(zoneText).toString();
    }
    int abs = Math.abs(offsetMinutes);
    b.append(offsetMinutes < 0 ? '-' : '+');
    pad2(b, abs / 60).append(':');
    return pad2(b, abs % 60).toString();
  }

  /** Local date-time without any offset: a timestamp the contract rejects. */
  static String withoutOffset(long millis) {
    String s = iso(millis, 0);
    return s.substring(0, s.length() - 1);
  }

  private static StringBuilder pad2(StringBuilder b, int v) {
    if (v < 10) {
      b.append('0');
    }
    return b.append(v);
  }
}
