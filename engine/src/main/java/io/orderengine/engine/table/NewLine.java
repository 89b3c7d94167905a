package io.orderengine.engine.table;

import io.orderengine.engine.CborSerializable;
import java.util.List;

/** A dish to add, already priced from the menu by the caller (options included); {@code seat} may be null. */
public record NewLine(
    String sku, String name, String stallId, String stationId, int qty, long unitPriceMinor, String note,
    List<String> options, Integer seat)
    implements CborSerializable {

  public NewLine {
    options = options == null ? List.of() : List.copyOf(options);
  }

  public NewLine(String sku, String name, String stallId, String stationId, int qty, long unitPriceMinor, String note) {
    this(sku, name, stallId, stationId, qty, unitPriceMinor, note, List.of(), null);
  }
}
