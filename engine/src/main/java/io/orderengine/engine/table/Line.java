package io.orderengine.engine.table;

import io.orderengine.engine.CborSerializable;
import io.orderengine.engine.Money;
import java.util.List;

/** One dish ordered at a table, priced when it was ordered. */
public record Line(
    String lineId,
    String sku,
    String name,
    String stallId,
    String stationId,
    int qty,
    long unitPriceMinor,
    String note,
    Status status,
    String voidReason,
    String ticketId,
    String billId,
    List<String> options,
    Integer seat)
    implements CborSerializable {

  public Line {
    options = options == null ? List.of() : List.copyOf(options);
  }

  public Line(String lineId, String sku, String name, String stallId, String stationId, int qty, long unitPriceMinor,
      String note, Status status, String voidReason, String ticketId, String billId) {
    this(lineId, sku, name, stallId, stationId, qty, unitPriceMinor, note, status, voidReason, ticketId, billId,
        List.of(), null);
  }

  public enum Status {
    ORDERED,
    FIRED,
    READY,
    SERVED,
    VOIDED
  }

  public long amountMinor() {
    return Money.times(unitPriceMinor, qty);
  }

  public boolean voided() {
    return status == Status.VOIDED;
  }

  /** Billed by some bill of the order (an even split bills every line several times over). */
  public boolean billed() {
    return billId != null;
  }

  Line withStatus(Status next) {
    return new Line(lineId, sku, name, stallId, stationId, qty, unitPriceMinor, note, next, voidReason, ticketId, billId, options, seat);
  }

  Line voidedFor(String reason) {
    return new Line(lineId, sku, name, stallId, stationId, qty, unitPriceMinor, note, Status.VOIDED, reason, ticketId, billId, options, seat);
  }

  Line firedOn(String ticket) {
    return new Line(lineId, sku, name, stallId, stationId, qty, unitPriceMinor, note, Status.FIRED, voidReason, ticket, billId, options, seat);
  }

  Line billedBy(String bill) {
    return new Line(lineId, sku, name, stallId, stationId, qty, unitPriceMinor, note, status, voidReason, ticketId, bill, options, seat);
  }
}
