package io.orderengine.engine.venue;

import io.orderengine.engine.CborSerializable;
import io.orderengine.engine.Decision;
import io.orderengine.engine.DomainEntity;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.venue.Venue.Event;
import io.orderengine.engine.venue.Venue.ItemUpserted;
import io.orderengine.engine.venue.Venue.Seeded;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The venue's pure core: its master data, what a change to it decides, and how its events fold. */
public record VenueState(
    String name,
    Map<String, Stall> stalls,
    Map<String, Station> stations,
    Map<String, MenuItem> items,
    List<String> tableIds)
    implements CborSerializable, DomainEntity.Evolving<Event, VenueState> {

  public static VenueState empty() {
    return new VenueState("", Map.of(), Map.of(), Map.of(), List.of());
  }

  /** A venue with neither tables nor a menu has not been laid out, whatever was seeded before. */
  public boolean laidOut() {
    return !tableIds.isEmpty() || !items.isEmpty();
  }

  /** Lays out an empty venue; a venue that already has a layout is left as it is. */
  public Decision<Event> decideSeed(VenueLayout layout) {
    return laidOut() ? Decision.none() : Decision.accept(new Seeded(layout));
  }

  public Decision<Event> decideUpsert(MenuItem item) {
    if (!stalls.containsKey(item.stallId())) {
      return Decision.refuse(Rejection.VALIDATION_FAILED, "unknown stallId '" + item.stallId() + "'");
    }
    if (!stations.containsKey(item.stationId())) {
      return Decision.refuse(Rejection.VALIDATION_FAILED, "unknown stationId '" + item.stationId() + "'");
    }
    if (item.equals(items.get(item.sku()))) return Decision.none();
    return Decision.accept(new ItemUpserted(item));
  }

  @Override
  public VenueState apply(Event event) {
    if (event instanceof Seeded seeded) {
      VenueLayout l = seeded.layout();
      return new VenueState(l.name(), index(l.stalls(), Stall::stallId), index(l.stations(), Station::stationId),
          index(l.items(), MenuItem::sku), l.tableIds());
    }
    if (event instanceof ItemUpserted upserted) return withItem(upserted.item());
    throw new IllegalStateException("unknown event " + event);
  }

  private VenueState withItem(MenuItem item) {
    Map<String, MenuItem> next = new LinkedHashMap<>(items);
    next.put(item.sku(), item);
    return new VenueState(name, stalls, stations, Map.copyOf(next), tableIds);
  }

  public Venue.View view() {
    return new Venue.View(
        laidOut(),
        name,
        stalls.values().stream().sorted(Comparator.comparing(Stall::stallId)).toList(),
        stations.values().stream().sorted(Comparator.comparing(Station::stationId)).toList(),
        items.values().stream().sorted(Comparator.comparing(MenuItem::sku)).toList(),
        tableIds.stream().sorted().toList());
  }

  private static <T> Map<String, T> index(List<T> values, Function<T, String> key) {
    Map<String, T> map = new LinkedHashMap<>();
    values.forEach(v -> map.put(key.apply(v), v));
    return Map.copyOf(map);
  }
}
