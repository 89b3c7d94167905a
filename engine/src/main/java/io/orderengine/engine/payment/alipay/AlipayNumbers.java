package io.orderengine.engine.payment.alipay;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Our trade and refund numbers in Alipay's terms. Ours are payment ids ({@code [A-Za-z0-9_.-]},
 * possibly long); Alipay's {@code out_trade_no} and {@code out_request_no} take at most 64 letters,
 * digits and underscores. The mapping is deterministic, so a retry names the same trade, and
 * reversible, so a notification names our trade:
 *
 * <ul>
 *   <li>escaped: {@code _} becomes {@code __}, {@code -} becomes {@code _h}, {@code .} becomes
 *       {@code _d}; used whenever the result fits in 64;
 *   <li>digest: {@code _z} and 62 hex digits of the id's SHA-256, for an id that does not fit. The
 *       whole id then travels in the trade's {@code body}, which Alipay returns in notifications
 *       and in {@code alipay.trade.query} (128 characters at most, so longer ids are refused);
 *   <li>a refund number that extends its trade's ({@code <trade>-R1}) is written relative to it:
 *       {@code _s} and the escaped rest. Alipay's refund numbers need only be unique within their
 *       trade, and the relative form is always short, so the refund notification's
 *       {@code out_biz_no} reads back without a carrier field.
 * </ul>
 *
 * No escaped form starts with {@code _z} or {@code _s} (after an escaping {@code _} comes only
 * {@code _}, {@code h} or {@code d}), so the three forms never collide.
 */
public final class AlipayNumbers {
  public static final int MAX_OUT_NO = 64;
  /** Alipay's limit on a trade's {@code body}, which carries an id too long for {@code out_trade_no}. */
  public static final int MAX_BODY = 128;
  private static final Pattern OURS = Pattern.compile("[A-Za-z0-9_.-]+");
  private static final String DIGEST = "_z";
  private static final String RELATIVE = "_s";

  private AlipayNumbers() {}

  public static String outTradeNo(String tradeNo) {
    requireOurs("trade number", tradeNo);
    if (tradeNo.length() > MAX_BODY) {
      throw new IllegalArgumentException("a trade number longer than " + MAX_BODY + " does not fit Alipay");
    }
    String escaped = escape(tradeNo);
    return escaped.length() <= MAX_OUT_NO ? escaped : digest(tradeNo);
  }

  /** Whether the trade's {@code out_trade_no} is a digest, so its {@code body} must carry the number. */
  public static boolean carriedInBody(String tradeNo) {
    return outTradeNo(tradeNo).startsWith(DIGEST);
  }

  /**
   * Our trade number back from Alipay's {@code out_trade_no} and the trade's {@code body}; empty
   * when it is no number of ours (or a digest the body does not match).
   */
  public static Optional<String> tradeNo(String outTradeNo, String body) {
    if (outTradeNo == null || outTradeNo.isEmpty()) return Optional.empty();
    if (outTradeNo.startsWith(DIGEST)) {
      if (body == null || !OURS.matcher(body).matches() || !digest(body).equals(outTradeNo)) return Optional.empty();
      return Optional.of(body);
    }
    return unescape(outTradeNo);
  }

  public static String outRequestNo(String tradeNo, String refundNo) {
    requireOurs("trade number", tradeNo);
    requireOurs("refund number", refundNo);
    if (refundNo.length() > tradeNo.length() && refundNo.startsWith(tradeNo)) {
      String relative = RELATIVE + escape(refundNo.substring(tradeNo.length()));
      if (relative.length() <= MAX_OUT_NO) return relative;
    }
    String escaped = escape(refundNo);
    return escaped.length() <= MAX_OUT_NO ? escaped : digest(refundNo);
  }

  /** Our refund number back from {@code out_request_no} (a notification's {@code out_biz_no}); empty for a digest. */
  public static Optional<String> refundNo(String tradeNo, String outRequestNo) {
    if (outRequestNo == null || outRequestNo.isEmpty() || outRequestNo.startsWith(DIGEST)) return Optional.empty();
    if (outRequestNo.startsWith(RELATIVE)) {
      return unescape(outRequestNo.substring(RELATIVE.length())).map(rest -> tradeNo + rest);
    }
    return unescape(outRequestNo);
  }

  static String escape(String id) {
    StringBuilder out = new StringBuilder(id.length() + 8);
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      switch (c) {
        case '_' -> out.append("__");
        case '-' -> out.append("_h");
        case '.' -> out.append("_d");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  static Optional<String> unescape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '_') {
        if (i + 1 >= text.length()) return Optional.empty();
        char next = text.charAt(++i);
        switch (next) {
          case '_' -> out.append('_');
          case 'h' -> out.append('-');
          case 'd' -> out.append('.');
          default -> {
            return Optional.empty();
          }
        }
      } else if (isAsciiLetterOrDigit(c)) {
        out.append(c);
      } else {
        return Optional.empty();
      }
    }
    return out.length() == 0 ? Optional.empty() : Optional.of(out.toString());
  }

  private static String digest(String id) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.US_ASCII));
      return DIGEST + HexFormat.of().formatHex(hash).substring(0, MAX_OUT_NO - DIGEST.length());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  private static boolean isAsciiLetterOrDigit(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  private static void requireOurs(String what, String id) {
    if (id == null || !OURS.matcher(id).matches()) {
      throw new IllegalArgumentException("a " + what + " must match [A-Za-z0-9_.-]+");
    }
  }
}
