package io.orderengine.engine.venue;

import io.orderengine.engine.CborSerializable;
import io.orderengine.engine.Decision;
import io.orderengine.engine.DomainEntity;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.venue.Venue.CategoryPut;
import io.orderengine.engine.venue.Venue.CategoryRemoved;
import io.orderengine.engine.venue.Venue.Created;
import io.orderengine.engine.venue.Venue.Event;
import io.orderengine.engine.venue.Venue.Imported;
import io.orderengine.engine.venue.Venue.PrinterPut;
import io.orderengine.engine.venue.Venue.PrinterRemoved;
import io.orderengine.engine.venue.Venue.ItemRemoved;
import io.orderengine.engine.venue.Venue.ItemUpserted;
import io.orderengine.engine.venue.Venue.Seeded;
import io.orderengine.engine.venue.Venue.SettingsChanged;
import io.orderengine.engine.venue.Venue.StallPut;
import io.orderengine.engine.venue.Venue.StallRemoved;
import io.orderengine.engine.venue.Venue.StationPut;
import io.orderengine.engine.venue.Venue.StationRemoved;
import io.orderengine.engine.venue.Venue.TablePut;
import io.orderengine.engine.venue.Venue.TableRemoved;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The venue's pure core: its master data, what a change to it decides, and how its events fold.
 * {@code creation} is the venue's {@link Created} event, null for a venue never created (a new one, or
 * the one venue an older release laid out with {@link Seeded}).
 */
public record VenueState(
    String name,
    Created creation,
    Settings settings,
    Map<String, Stall> stalls,
    Map<String, Station> stations,
    Map<String, MenuItem> items,
    Map<String, FloorTable> tables,
    Map<String, Category> categories,
    Map<String, Printer> printers)
    implements CborSerializable, DomainEntity.Evolving<Event, VenueState> {

  public VenueState {
    // a snapshot of the older shape (tableIds, no settings) fails here, so the events are replayed instead
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(tables, "tables");
    Objects.requireNonNull(categories, "categories");
    if (printers == null) printers = Map.of(); // a snapshot from before printers
  }

  /** A venue nobody created yet, running on the node's {@code defaults}. */
  public static VenueState empty(Settings defaults) {
    return new VenueState("", null, defaults, Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of());
  }

  public static VenueState empty() {
    return empty(Settings.FALLBACK);
  }

  /** A venue with neither tables nor a menu has not been laid out, whatever was seeded before. */
  public boolean laidOut() {
    return !tables.isEmpty() || !items.isEmpty();
  }

  public boolean exists() {
    return creation != null || laidOut();
  }

  // ---- decisions ----

  /** Lays out an empty venue; a venue that already has a layout is left as it is. */
  public Decision<Event> decideSeed(VenueLayout layout) {
    return laidOut() ? Decision.none() : Decision.accept(new Seeded(layout));
  }

  /** Creating the same venue again changes nothing; creating another under its id is refused. */
  public Decision<Event> decideCreate(String newName, String timeZone, String currency) {
    // bad input is refused as such, whether or not the venue exists
    if (newName == null || newName.isBlank()) return Decision.refuse(Rejection.VALIDATION_FAILED, "name: required");
    Settings created = settings.in(timeZone, currency);
    var problem = created.problem();
    if (problem.isPresent()) return Decision.refuse(Rejection.VALIDATION_FAILED, problem.get());
    if (creation != null) {
      Settings was = creation.settings();
      if (creation.name().equals(newName) && was.timeZone().equals(timeZone) && was.currency().equals(currency)) {
        return Decision.none();
      }
      return Decision.refuse(Rejection.VENUE_EXISTS, "this venue exists already, as '" + creation.name() + "' ("
          + was.timeZone() + ", " + was.currency() + ")");
    }
    return Decision.accept(new Created(newName, created));
  }

  public Decision<Event> decideSettings(String newName, Settings.Change change) {
    if (!exists()) return noVenue();
    if (newName != null && newName.isBlank()) return Decision.refuse(Rejection.VALIDATION_FAILED, "name: must not be empty");
    Settings next = settings.with(change);
    var problem = next.problem();
    if (problem.isPresent()) return Decision.refuse(Rejection.VALIDATION_FAILED, problem.get());
    String named = newName != null ? newName : name;
    if (next.equals(settings) && named.equals(name)) return Decision.none();
    return Decision.accept(new SettingsChanged(named, next));
  }

  public Decision<Event> decidePutStall(Stall stall) {
    if (!exists()) return noVenue();
    return stall.equals(stalls.get(stall.stallId())) ? Decision.none() : Decision.accept(new StallPut(stall));
  }

  /** A stall that still sells a dish stays: take the dishes off it first. */
  public Decision<Event> decideRemoveStall(String stallId) {
    if (!stalls.containsKey(stallId)) return Decision.refuse(Rejection.NOT_FOUND, "no stall " + stallId);
    List<String> skus = skusWhere(i -> i.stallId().equals(stallId));
    if (!skus.isEmpty()) {
      return Decision.refuse(Rejection.STALL_IN_USE, "stall " + stallId + " still sells " + skus, Map.of("skus", String.join(",", skus)));
    }
    return Decision.accept(new StallRemoved(stallId));
  }

  public Decision<Event> decidePutStation(Station station) {
    if (!exists()) return noVenue();
    return station.equals(stations.get(station.stationId())) ? Decision.none() : Decision.accept(new StationPut(station));
  }

  /** A station that still cooks a dish stays: its tickets would have nowhere to go. */
  public Decision<Event> decideRemoveStation(String stationId) {
    if (!stations.containsKey(stationId)) return Decision.refuse(Rejection.NOT_FOUND, "no station " + stationId);
    List<String> skus = skusWhere(i -> i.stationId().equals(stationId));
    if (!skus.isEmpty()) {
      return Decision.refuse(Rejection.STATION_IN_USE, "station " + stationId + " still cooks " + skus,
          Map.of("skus", String.join(",", skus)));
    }
    List<String> printing = printers.values().stream().filter(p -> p.prints(stationId)).map(Printer::printerId).sorted().toList();
    if (!printing.isEmpty()) {
      return Decision.refuse(Rejection.STATION_IN_USE, "station " + stationId + " still prints at " + printing,
          Map.of("printers", String.join(",", printing)));
    }
    return Decision.accept(new StationRemoved(stationId));
  }

  /** A printer's stations must be the venue's: a ticket for a station nobody has would never print. */
  public Decision<Event> decidePutPrinter(Printer printer) {
    if (!exists()) return noVenue();
    var problem = printer.problem();
    if (problem.isPresent()) return Decision.refuse(Rejection.VALIDATION_FAILED, problem.get());
    for (String stationId : printer.stations()) {
      if (!stations.containsKey(stationId)) {
        return Decision.refuse(Rejection.UNKNOWN_STATION, "no station " + stationId + " in this venue; put it first",
            Map.of("stationId", stationId));
      }
    }
    return printer.equals(printers.get(printer.printerId())) ? Decision.none() : Decision.accept(new PrinterPut(printer));
  }

  public Decision<Event> decideRemovePrinter(String printerId) {
    if (!printers.containsKey(printerId)) return Decision.refuse(Rejection.NOT_FOUND, "no printer " + printerId);
    return Decision.accept(new PrinterRemoved(printerId));
  }

  public Decision<Event> decidePutTable(FloorTable table) {
    if (!exists()) return noVenue();
    return table.equals(tables.get(table.tableId())) ? Decision.none() : Decision.accept(new TablePut(table));
  }

  public Decision<Event> decideRemoveTable(String tableId) {
    if (!tables.containsKey(tableId)) return Decision.refuse(Rejection.NOT_FOUND, "no table " + tableId + " in this venue");
    return Decision.accept(new TableRemoved(tableId));
  }

  public Decision<Event> decidePutCategory(Category category) {
    if (!exists()) return noVenue();
    return category.equals(categories.get(category.categoryId())) ? Decision.none()
        : Decision.accept(new CategoryPut(category));
  }

  /** The dishes of a removed category keep it by its id, listed after the named categories. */
  public Decision<Event> decideRemoveCategory(String categoryId) {
    if (!categories.containsKey(categoryId)) return Decision.refuse(Rejection.NOT_FOUND, "no category " + categoryId);
    return Decision.accept(new CategoryRemoved(categoryId));
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

  public Decision<Event> decideRemoveItem(String sku) {
    if (!items.containsKey(sku)) return Decision.refuse(Rejection.NOT_FOUND, "no dish with sku '" + sku + "' on the menu");
    return Decision.accept(new ItemRemoved(sku));
  }

  /**
   * Every entry of the document checked before any is taken, the first bad one named by where it
   * stands ({@code items[3].stallId: unknown stall 'S9'}); then one event with what it changes.
   */
  public Decision<Event> decideImport(VenueSetup setup) {
    if (!exists()) return noVenue();
    String problem = firstDuplicate("stalls", setup.stalls(), Stall::stallId);
    if (problem == null) problem = firstDuplicate("stations", setup.stations(), Station::stationId);
    if (problem == null) problem = firstDuplicate("tables", setup.tables(), FloorTable::tableId);
    if (problem == null) problem = firstDuplicate("categories", setup.categories(), Category::categoryId);
    if (problem == null) problem = firstDuplicate("items", setup.items(), MenuItem::sku);
    if (problem == null) problem = firstDuplicate("printers", setup.printers(), Printer::printerId);
    if (problem != null) return Decision.refuse(Rejection.VALIDATION_FAILED, problem);
    if (setup.name() != null && setup.name().isBlank()) {
      return Decision.refuse(Rejection.VALIDATION_FAILED, "name: must not be empty");
    }
    Settings nextSettings = setup.settings() == null ? settings : settings.with(setup.settings());
    var settingsProblem = nextSettings.problem();
    if (settingsProblem.isPresent()) return Decision.refuse(Rejection.VALIDATION_FAILED, "settings." + settingsProblem.get());
    Set<String> stallIds = new HashSet<>(stalls.keySet());
    setup.stalls().forEach(s -> stallIds.add(s.stallId()));
    Set<String> stationIds = new HashSet<>(stations.keySet());
    setup.stations().forEach(s -> stationIds.add(s.stationId()));
    for (int i = 0; i < setup.items().size(); i++) {
      MenuItem item = setup.items().get(i);
      if (!stallIds.contains(item.stallId())) {
        return Decision.refuse(Rejection.VALIDATION_FAILED, "items[" + i + "].stallId: unknown stall '" + item.stallId() + "'");
      }
      if (!stationIds.contains(item.stationId())) {
        return Decision.refuse(Rejection.VALIDATION_FAILED,
            "items[" + i + "].stationId: unknown station '" + item.stationId() + "'");
      }
    }
    for (int i = 0; i < setup.printers().size(); i++) {
      Printer printer = setup.printers().get(i);
      var printerProblem = printer.problem();
      if (printerProblem.isPresent()) return Decision.refuse(Rejection.VALIDATION_FAILED, "printers[" + i + "]." + printerProblem.get());
      for (String stationId : printer.stations()) {
        if (!stationIds.contains(stationId)) {
          return Decision.refuse(Rejection.VALIDATION_FAILED, "printers[" + i + "].stations: unknown station '" + stationId + "'");
        }
      }
    }
    String nextName = setup.name() == null || setup.name().equals(name) ? null : setup.name();
    Imported changes = new Imported(
        nextName,
        nextSettings.equals(settings) ? null : nextSettings,
        changed(setup.stalls(), stalls, Stall::stallId),
        changed(setup.stations(), stations, Station::stationId),
        changed(setup.tables(), tables, FloorTable::tableId),
        changed(setup.categories(), categories, Category::categoryId),
        changed(setup.items(), items, MenuItem::sku),
        changed(setup.printers(), printers, Printer::printerId));
    boolean nothing = changes.name() == null && changes.settings() == null && changes.stalls().isEmpty()
        && changes.stations().isEmpty() && changes.tables().isEmpty() && changes.categories().isEmpty()
        && changes.items().isEmpty() && changes.printers().isEmpty();
    return nothing ? Decision.none() : Decision.accept(changes);
  }

  private static Decision<Event> noVenue() {
    return Decision.refuse(Rejection.NOT_FOUND, "no such venue: create it first");
  }

  private List<String> skusWhere(java.util.function.Predicate<MenuItem> uses) {
    return items.values().stream().filter(uses).map(MenuItem::sku).sorted().toList();
  }

  private static <T> String firstDuplicate(String list, List<T> entries, Function<T, String> id) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < entries.size(); i++) {
      if (!seen.add(id.apply(entries.get(i)))) {
        return list + "[" + i + "]: '" + id.apply(entries.get(i)) + "' appears more than once";
      }
    }
    return null;
  }

  private static <T> List<T> changed(List<T> entries, Map<String, T> current, Function<T, String> id) {
    return entries.stream().filter(e -> !e.equals(current.get(id.apply(e)))).toList();
  }

  // ---- events ----

  @Override
  public VenueState apply(Event event) {
    if (event instanceof Seeded seeded) {
      VenueLayout l = seeded.layout();
      return new VenueState(l.name(), creation, settings, index(l.stalls(), Stall::stallId),
          index(l.stations(), Station::stationId), index(l.items(), MenuItem::sku),
          index(l.tableIds().stream().map(id -> new FloorTable(id, null, 0)).toList(), FloorTable::tableId), categories, printers);
    }
    if (event instanceof Created c) {
      return new VenueState(c.name(), c, c.settings(), stalls, stations, items, tables, categories, printers);
    }
    if (event instanceof SettingsChanged c) {
      return new VenueState(c.name(), creation, c.settings(), stalls, stations, items, tables, categories, printers);
    }
    if (event instanceof StallPut e) return withStalls(put(stalls, List.of(e.stall()), Stall::stallId));
    if (event instanceof StallRemoved e) return withStalls(without(stalls, e.stallId()));
    if (event instanceof StationPut e) return withStations(put(stations, List.of(e.station()), Station::stationId));
    if (event instanceof StationRemoved e) return withStations(without(stations, e.stationId()));
    if (event instanceof TablePut e) return withTables(put(tables, List.of(e.table()), FloorTable::tableId));
    if (event instanceof TableRemoved e) return withTables(without(tables, e.tableId()));
    if (event instanceof CategoryPut e) return withCategories(put(categories, List.of(e.category()), Category::categoryId));
    if (event instanceof CategoryRemoved e) return withCategories(without(categories, e.categoryId()));
    if (event instanceof ItemUpserted e) return withItems(put(items, List.of(e.item()), MenuItem::sku));
    if (event instanceof ItemRemoved e) return withItems(without(items, e.sku()));
    if (event instanceof PrinterPut e) return withPrinters(put(printers, List.of(e.printer()), Printer::printerId));
    if (event instanceof PrinterRemoved e) return withPrinters(without(printers, e.printerId()));
    if (event instanceof Imported e) {
      return new VenueState(
          e.name() != null ? e.name() : name,
          creation,
          e.settings() != null ? e.settings() : settings,
          put(stalls, e.stalls(), Stall::stallId),
          put(stations, e.stations(), Station::stationId),
          put(items, e.items(), MenuItem::sku),
          put(tables, e.tables(), FloorTable::tableId),
          put(categories, e.categories(), Category::categoryId),
          put(printers, e.printers(), Printer::printerId));
    }
    throw new IllegalStateException("unknown event " + event);
  }

  private VenueState withStalls(Map<String, Stall> next) {
    return new VenueState(name, creation, settings, next, stations, items, tables, categories, printers);
  }

  private VenueState withStations(Map<String, Station> next) {
    return new VenueState(name, creation, settings, stalls, next, items, tables, categories, printers);
  }

  private VenueState withItems(Map<String, MenuItem> next) {
    return new VenueState(name, creation, settings, stalls, stations, next, tables, categories, printers);
  }

  private VenueState withTables(Map<String, FloorTable> next) {
    return new VenueState(name, creation, settings, stalls, stations, items, next, categories, printers);
  }

  private VenueState withPrinters(Map<String, Printer> next) {
    return new VenueState(name, creation, settings, stalls, stations, items, tables, categories, next);
  }

  private VenueState withCategories(Map<String, Category> next) {
    return new VenueState(name, creation, settings, stalls, stations, items, tables, next, printers);
  }

  public Venue.View view() {
    List<FloorTable> sortedTables = tables.values().stream().sorted(Comparator.comparing(FloorTable::tableId)).toList();
    return new Venue.View(
        laidOut(),
        name,
        stalls.values().stream().sorted(Comparator.comparing(Stall::stallId)).toList(),
        stations.values().stream().sorted(Comparator.comparing(Station::stationId)).toList(),
        items.values().stream().sorted(Comparator.comparing(MenuItem::sku)).toList(),
        sortedTables.stream().map(FloorTable::tableId).toList(),
        creation != null,
        settings,
        sortedTables,
        categories.values().stream()
            .sorted(Comparator.comparingInt(Category::sort).thenComparing(Category::categoryId)).toList(),
        printers.values().stream().sorted(Comparator.comparing(Printer::printerId)).toList());
  }

  private static <T> Map<String, T> index(List<T> values, Function<T, String> key) {
    return put(Map.of(), values, key);
  }

  private static <T> Map<String, T> put(Map<String, T> map, List<T> values, Function<T, String> key) {
    if (values.isEmpty()) return map;
    Map<String, T> next = new LinkedHashMap<>(map);
    values.forEach(v -> next.put(key.apply(v), v));
    return Map.copyOf(next);
  }

  private static <T> Map<String, T> without(Map<String, T> map, String key) {
    Map<String, T> next = new LinkedHashMap<>(map);
    next.remove(key);
    return Map.copyOf(next);
  }
}
