package io.orderengine.http;

import java.util.Locale;
import java.util.Optional;

/** Who a caller is at the venue; a manager may do everything. */
public enum Role {
  WAITER,
  CASHIER,
  KITCHEN,
  MANAGER,
  ANALYST;

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
