package io.orderengine.http.auth;

import java.util.Locale;
import java.util.Optional;

/**
 * Who a caller is at the venue. A manager may do everything at the venue but what is the owner's
 * alone (staff, payment providers, printers); the owner may do everything at the venue; the admin
 * is the platform operator, bound to no venue, and may do everything at every venue. A diner is no
 * member of staff: the role comes only from a table's QR code ({@link DinerTokens}), never from
 * configuration.
 */
public enum Role {
  WAITER,
  CASHIER,
  KITCHEN,
  MANAGER,
  ANALYST,
  OWNER,
  ADMIN,
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
