package io.orderengine.engine.table;

import io.orderengine.engine.CborSerializable;
import java.time.Instant;
import java.util.List;

/**
 * What one kitchen station must cook for one firing of a table's order. It carries the dishes
 * themselves, so a kitchen screen needs nothing else to show it.
 */
public record Ticket(String ticketId, String stationId, List<String> lineIds, Instant firedAt, List<Item> items)
    implements CborSerializable {

  public record Item(String lineId, String sku, String name, int qty, String note) implements CborSerializable {}

  public Ticket {
    lineIds = List.copyOf(lineIds);
    items = items == null ? List.of() : List.copyOf(items);
  }

  public Ticket(String ticketId, String stationId, List<String> lineIds, Instant firedAt) {
    this(ticketId, stationId, lineIds, firedAt, List.of());
  }

  /** The table a ticket belongs to: ticket ids are made as {@code <tableId>-<orderNo>-K<n>}. */
  public static java.util.Optional<String> tableIdOf(String ticketId) {
    int k = ticketId.lastIndexOf("-K");
    if (k <= 0) return java.util.Optional.empty();
    String orderId = ticketId.substring(0, k);
    int dash = orderId.lastIndexOf('-');
    return dash <= 0 ? java.util.Optional.empty() : java.util.Optional.of(orderId.substring(0, dash));
  }
}
