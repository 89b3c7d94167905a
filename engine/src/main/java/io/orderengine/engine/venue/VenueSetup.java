package io.orderengine.engine.venue;

import io.orderengine.engine.CborSerializable;
import java.util.List;

/**
 * A venue's layout and menu as one document, as an import brings it: each entry is put as its own
 * PUT would put it, nothing the document leaves out is removed. {@code name} and {@code settings}
 * null leave the venue's as they are.
 */
public record VenueSetup(
    String name,
    Settings.Change settings,
    List<Stall> stalls,
    List<Station> stations,
    List<FloorTable> tables,
    List<Category> categories,
    List<MenuItem> items,
    List<Printer> printers)
    implements CborSerializable {

  public VenueSetup(String name, Settings.Change settings, List<Stall> stalls, List<Station> stations,
      List<FloorTable> tables, List<Category> categories, List<MenuItem> items) {
    this(name, settings, stalls, stations, tables, categories, items, List.of());
  }

  public VenueSetup {
    stalls = stalls == null ? List.of() : List.copyOf(stalls);
    stations = stations == null ? List.of() : List.copyOf(stations);
    tables = tables == null ? List.of() : List.copyOf(tables);
    categories = categories == null ? List.of() : List.copyOf(categories);
    items = items == null ? List.of() : List.copyOf(items);
    printers = printers == null ? List.of() : List.copyOf(printers);
  }

  /** A document of tables alone. */
  public static VenueSetup ofTables(List<FloorTable> tables) {
    return new VenueSetup(null, null, List.of(), List.of(), tables, List.of(), List.of());
  }
}
