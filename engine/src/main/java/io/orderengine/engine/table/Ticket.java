package io.orderengine.engine.table;

import io.orderengine.engine.CborSerializable;
import java.time.Instant;
import java.util.List;

/** What one kitchen station must cook for one firing of a table's order. */
public record Ticket(String ticketId, String stationId, List<String> lineIds, Instant firedAt) implements CborSerializable {
  public Ticket {
    lineIds = List.copyOf(lineIds);
  }
}
