package io.orderengine.engine.payment;

import java.util.Locale;
import java.util.Optional;

/** Who holds the money of a non-cash tender: a wallet, the card acquirer, or the venue's own member accounts. */
public enum Provider {
  WECHAT,
  ALIPAY,
  CARD,
  MEMBER;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Provider> parse(String text) {
    try {
      return Optional.of(valueOf(text.toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
