package io.orderengine.engine.table;

import java.util.Optional;

/**
 * What a diner holding a table's QR code may do there: each venue's choice. A table card is a
 * printed, never-expiring code, so a photo of it must not let anyone order from home; the default
 * ({@link #STAFF_SEATED}) is the safe one. Staff are never limited by it.
 */
public enum DinerOrdering {
  /** The code is good only while a party the staff seated is at the table: a diner cannot seat themselves. */
  STAFF_SEATED,
  /** Diners may seat themselves and order; nothing reaches the kitchen until staff fire it (下单需确认). */
  STAFF_CONFIRMS,
  /** Diners may seat themselves and order; their dishes go to the kitchen once they are paid for. */
  PAY_FIRST,
  /** Diners may seat themselves, order and fire: the venue trusts its codes (how the engine behaved before the choice). */
  OPEN;

  /** What a diner asks to do at their table. */
  public enum Act {
    SEAT,
    ORDER,
    FIRE,
    ASK_FOR_BILL
  }

  /** The name a table's waiter has when a diner seated themselves through the table's code. */
  public static final String DINER_PREFIX = "diner@";

  /** Whether the party at the table was seated by a diner through the code, not by staff. */
  public static boolean selfSeated(Table.View table) {
    return table.waiter() != null && table.waiter().startsWith(DINER_PREFIX);
  }

  /**
   * Why a diner may not {@code act} at {@code table} (its current view) under this choice, or empty
   * when they may.
   */
  public Optional<String> refusal(Act act, Table.View table) {
    boolean open = table.status() == Table.Status.OPEN;
    return switch (this) {
      case OPEN -> Optional.empty();
      case STAFF_SEATED -> {
        if (act == Act.SEAT) yield Optional.of("please ask the staff to seat you; the table's code works once you are seated");
        if (!open || selfSeated(table)) yield Optional.of("this table's code works only while the staff have seated a party here");
        yield Optional.empty();
      }
      case STAFF_CONFIRMS -> act == Act.FIRE
          ? Optional.of("your order goes to the kitchen once the staff confirm it")
          : Optional.empty();
      case PAY_FIRST -> act == Act.FIRE && !everyUnfiredLinePaid(table)
          ? Optional.of("pay for your order first; it goes to the kitchen once it is paid")
          : Optional.empty();
    };
  }

  /** Every dish not yet sent to the kitchen is on a bill that is settled. */
  static boolean everyUnfiredLinePaid(Table.View table) {
    return table.lines().stream()
        .filter(l -> l.status() == Line.Status.ORDERED)
        .allMatch(l -> l.billId() != null && table.bills().stream()
            .anyMatch(b -> b.billId().equals(l.billId()) && b.settled()));
  }
}
