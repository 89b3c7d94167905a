package io.orderengine.engine.venue;

import io.orderengine.engine.CborSerializable;
import java.util.List;

/** Everything a venue is made of before anybody orders: stalls, stations, dishes and tables. */
public record VenueLayout(
    String name, List<Stall> stalls, List<Station> stations, List<MenuItem> items, List<String> tableIds)
    implements CborSerializable {

  public VenueLayout {
    stalls = List.copyOf(stalls);
    stations = List.copyOf(stations);
    items = List.copyOf(items);
    tableIds = List.copyOf(tableIds);
  }
}
