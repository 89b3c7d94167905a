package io.orderengine.engine.staff;

import java.util.Locale;
import java.util.Optional;

/** What a member of staff signed in with a PIN may do; the HTTP face maps each to its role of the same name. */
public enum StaffRole {
  WAITER,
  CASHIER,
  KITCHEN,
  MANAGER,
  ANALYST,
  OWNER;

  public static Optional<StaffRole> parse(String text) {
    try {
      return Optional.of(valueOf(text.strip().toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException | NullPointerException e) {
      return Optional.empty();
    }
  }

  /** Managers and owners run the venue; only an owner (or the platform's admin) makes or changes one. */
  public boolean runsTheVenue() {
    return this == MANAGER || this == OWNER;
  }
}
