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

  /**
   * Splits {@code amountMinor} over {@code weights} in proportion (largest remainder): the shares
   * sum to the amount exactly. With no weight at all the whole amount goes to the first share.
   */
  public static List<Long> allocate(long amountMinor, List<Long> weights) {
    if (weights.isEmpty()) throw new IllegalArgumentException("nothing to allocate over");
    long total = 0;
    for (long w : weights) {
      if (w < 0) throw new IllegalArgumentException("weights are not negative");
      total += w;
    }
    List<Long> shares = new ArrayList<>(weights.size());
    if (total == 0) {
      for (int i = 0; i < weights.size(); i++) shares.add(i == 0 ? amountMinor : 0L);
      return shares;
    }
    long given = 0;
    long[] remainders = new long[weights.size()];
    for (int i = 0; i < weights.size(); i++) {
      java.math.BigInteger exact = java.math.BigInteger.valueOf(amountMinor).multiply(java.math.BigInteger.valueOf(weights.get(i)));
      java.math.BigInteger[] qr = exact.divideAndRemainder(java.math.BigInteger.valueOf(total));
      long share = qr[0].longValueExact();
      long rem = qr[1].longValueExact();
      if (rem < 0) { // floor for negative amounts
        share -= 1;
        rem += total;
      }
      shares.add(share);
      remainders[i] = rem;
      given += share;
    }
    long left = amountMinor - given;
    java.util.List<Integer> order = new ArrayList<>();
    for (int i = 0; i < weights.size(); i++) order.add(i);
    order.sort((a, b) -> remainders[a] != remainders[b] ? Long.compare(remainders[b], remainders[a]) : Integer.compare(a, b));
    for (int k = 0; k < left; k++) {
      int i = order.get(k % order.size());
      shares.set(i, shares.get(i) + 1);
    }
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
