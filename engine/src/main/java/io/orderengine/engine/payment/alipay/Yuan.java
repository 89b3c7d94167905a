package io.orderengine.engine.payment.alipay;

import java.math.BigDecimal;

/**
 * Alipay's amounts are yuan written with two decimals ({@code "12.34"}); ours are integer fen.
 * Both ways are exact: an amount with a fraction of a fen is not an amount.
 */
public final class Yuan {
  private Yuan() {}

  public static String of(long fen) {
    return BigDecimal.valueOf(fen, 2).toPlainString();
  }

  /** @throws NumberFormatException for text that is not a yuan amount to the fen */
  public static long fen(String yuan) {
    if (yuan == null || yuan.isBlank()) throw new NumberFormatException("no amount");
    try {
      return new BigDecimal(yuan.strip()).movePointRight(2).longValueExact();
    } catch (ArithmeticException e) {
      throw new NumberFormatException("not an amount to the fen: " + yuan);
    }
  }
}
