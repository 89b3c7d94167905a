package io.orderengine.http.auth;

import java.util.Locale;
import java.util.Optional;

/**
 * Who a caller is at the venue; a manager may do everything. A diner is no member of staff: the
 * role comes only from a table's QR code ({@link DinerTokens}), never from configuration.
 */
public enum Role {
  WAITER,
  CASHIER,
  KITCHEN,
  MANAGER,
  ANALYST,
  DINER;

  public static Optional<Role> parse(String text) {
    try {
      return Optional.of(valueOf(text.trim().toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
