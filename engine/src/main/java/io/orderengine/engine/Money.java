package io.orderengine.engine;

import java.util.ArrayList;
import java.util.List;

/** Money in integer minor units (fen). Every rounding rule of the engine lives here. */
public final class Money {
  private Money() {}

  /** {@code percent} of {@code amountMinor}, rounded half up to the fen. */
  public static long percentOf(long amountMinor, long percent) {
    return Math.floorDiv(Math.multiplyExact(amountMinor, percent) + 50, 100);
  }

  /** Splits {@code amountMinor} into {@code parts} shares that differ by at most one fen and sum to the whole; the first shares carry the remainder. */
  public static List<Long> splitEvenly(long amountMinor, int parts) {
    if (parts < 1) throw new IllegalArgumentException("parts must be at least 1");
    if (amountMinor < 0) throw new IllegalArgumentException("only a non-negative amount is split");
    long base = amountMinor / parts;
    long remainder = amountMinor % parts;
    List<Long> shares = new ArrayList<>(parts);
    for (int i = 0; i < parts; i++) shares.add(base + (i < remainder ? 1 : 0));
    return shares;
  }

  public static long times(long unitMinor, int qty) {
    return Math.multiplyExact(unitMinor, (long) qty);
  }

  /** "12.34" for 1234 fen, for logs and pages. */
  public static String format(long minor) {
    String sign = minor < 0 ? "-" : "";
    long abs = Math.abs(minor);
    return sign + (abs / 100) + "." + String.format("%02d", abs % 100);
  }
}
