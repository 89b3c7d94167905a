package io.orderengine.engine.payment.wechat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Our trade and refund numbers in WeChat Pay's alphabet. A payment id ({@code [A-Za-z0-9_.-]}) that
 * fits WeChat's {@code out_trade_no} (6–32 of {@code [A-Za-z0-9_\-|*]}) goes over as itself with '.'
 * written '*' and, if short, padded with '|': both characters our ids never hold, so the form reads
 * back. A longer id goes over as a digest that starts with '|' and does not read back: the whole id
 * travels in the trade's {@code attach} instead, which callbacks and statements return. Refund numbers
 * are written the same way within {@code out_refund_no}'s 64 characters.
 */
public final class WechatTradeNumbers {
  public static final int TRADE_MIN = 6;
  public static final int TRADE_MAX = 32;
  public static final int REFUND_MAX = 64;
  /** WeChat's limit on {@code attach}: a payment id longer than this cannot be paid through WeChat. */
  public static final int ATTACH_MAX = 128;

  private static final Pattern OURS = Pattern.compile("[A-Za-z0-9_.-]+");
  private static final Pattern READABLE = Pattern.compile("[A-Za-z0-9_*-]+\\|*");
  private static final char PAD = '|';

  private WechatTradeNumbers() {}

  /** The {@code out_trade_no} of a payment. */
  public static String outTradeNo(String paymentId) {
    requireOurs("payment id", paymentId);
    if (paymentId.length() > ATTACH_MAX) {
      throw new IllegalArgumentException("a payment id of " + paymentId.length() + " characters cannot travel in WeChat's attach ("
          + ATTACH_MAX + " at most)");
    }
    return encode(paymentId, TRADE_MIN, TRADE_MAX);
  }

  /** The payment id an {@code out_trade_no} was written from, unless it is a digest (then read {@code attach}). */
  public static Optional<String> paymentId(String outTradeNo) {
    return decode(outTradeNo);
  }

  /** The {@code out_refund_no} of one of our refunds. */
  public static String outRefundNo(String refundNo) {
    requireOurs("refund number", refundNo);
    return encode(refundNo, 1, REFUND_MAX);
  }

  /** Our refund number behind an {@code out_refund_no}, unless it is a digest. */
  public static Optional<String> refundNo(String outRefundNo) {
    return decode(outRefundNo);
  }

  /**
   * The payment a refund callback is about. Refund callbacks carry no {@code attach}; when the trade
   * number is a digest, the payment is found as the longest beginning of our refund number (ours are
   * {@code <payment id>-R<n>}) whose digest the trade number is, which only the right id can give.
   */
  public static Optional<String> paymentIdOfRefund(String outTradeNo, String refundNo) {
    Optional<String> direct = paymentId(outTradeNo);
    if (direct.isPresent() || refundNo == null) return direct;
    for (int end = refundNo.length(); end > TRADE_MAX; end--) {
      String candidate = refundNo.substring(0, end);
      if (OURS.matcher(candidate).matches() && candidate.length() <= ATTACH_MAX && outTradeNo(candidate).equals(outTradeNo)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static String encode(String id, int min, int max) {
    if (id.length() > max) return PAD + digest(id).substring(0, max - 1);
    StringBuilder out = new StringBuilder(id.replace('.', '*'));
    while (out.length() < min) out.append(PAD);
    return out.toString();
  }

  private static Optional<String> decode(String wire) {
    if (wire == null || wire.isEmpty() || wire.charAt(0) == PAD || !READABLE.matcher(wire).matches()) return Optional.empty();
    int end = wire.length();
    while (wire.charAt(end - 1) == PAD) end--;
    return Optional.of(wire.substring(0, end).replace('*', '.'));
  }

  private static void requireOurs(String what, String id) {
    if (id == null || !OURS.matcher(id).matches()) {
      throw new IllegalArgumentException("a " + what + " must be made of [A-Za-z0-9_.-]: " + id);
    }
  }

  private static String digest(String id) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }
}
