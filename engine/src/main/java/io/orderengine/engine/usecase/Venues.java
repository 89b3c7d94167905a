package io.orderengine.engine.usecase;

import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.VenueIds;
import io.orderengine.engine.table.Table;
import io.orderengine.engine.venue.Category;
import io.orderengine.engine.venue.FloorTable;
import io.orderengine.engine.venue.Printer;
import io.orderengine.engine.venue.Settings;
import io.orderengine.engine.venue.Stall;
import io.orderengine.engine.venue.Station;
import io.orderengine.engine.venue.Venue;
import io.orderengine.engine.venue.VenueDirectory;
import io.orderengine.engine.venue.VenueSetup;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * Venues made and set up from nothing: the platform creates and lists them (the
 * {@link VenueDirectory}), a venue's owner or manager sets its profile, stalls, stations, floor plan
 * and menu categories, or brings the whole of it in one document. Dishes are put through the
 * {@link MenuBoard}. Every change goes through the {@link Venue} entity, which decides it.
 */
public final class Venues {

  /** A venue of the list, with its view. */
  public record Listed(String venueId, Venue.View view) {}

  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final MenuBoard menu;
  private final Floor floor;
  /** Venues this node has seen exist; a venue never ceases to, so a yes is never asked again. */
  private final Set<String> known = ConcurrentHashMap.newKeySet();

  public Venues(ActorSystem<?> system, Duration askTimeout, MenuBoard menu, Floor floor) {
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = askTimeout;
    this.menu = menu;
    this.floor = floor;
  }

  // ---- the platform's ----

  /**
   * Creates a venue and lists it. The venue first, the directory second: a venue is never listed that
   * was not created, and a retry after a failure in between lists it (its creation is answered again).
   */
  public CompletionStage<Venue.View> create(String venueId, String name, String timeZone, String currency) {
    if (venueId == null || !VenueIds.VENUE_ID.matcher(venueId).matches()) {
      return CompletableFuture.failedFuture(
          new Rejected(Rejection.VALIDATION_FAILED, "venueId: must match " + VenueIds.VENUE_ID.pattern()));
    }
    return menu.change(venueId, r -> new Venue.Create(name, timeZone, currency, r))
        .thenCompose(view -> Asks.answer(directory().<VenueDirectory.Listing>askWithStatus(
                r -> new VenueDirectory.Register(venueId, Instant.now(), r), askTimeout))
            .thenApply(listing -> {
              known.add(venueId);
              return view;
            }));
  }

  /** Every venue of the cluster with its profile, by id. */
  public CompletionStage<List<Listed>> list() {
    return ids().thenCompose(ids -> {
      List<CompletableFuture<Listed>> views = ids.stream()
          .map(id -> menu.venueNow(id).thenApply(v -> new Listed(id, v)).toCompletableFuture())
          .toList();
      return CompletableFuture.allOf(views.toArray(CompletableFuture[]::new))
          .thenApply(done -> views.stream().map(CompletableFuture::join).toList());
    });
  }

  /** The ids of every venue: those created, and the one an older release laid out, if it was. */
  public CompletionStage<List<String>> ids() {
    return directory().ask(VenueDirectory.Get::new, askTimeout).thenCompose(listing -> {
      if (listing.has(VenueIds.DEFAULT)) return CompletableFuture.completedFuture(listing.venueIds());
      return menu.venueNow(VenueIds.DEFAULT).thenApply(main -> {
        if (!main.exists()) return listing.venueIds();
        List<String> ids = new ArrayList<>(listing.venueIds());
        ids.add(VenueIds.DEFAULT);
        return ids.stream().sorted().toList();
      });
    });
  }

  /**
   * Whether a venue exists: listed by the directory, or (the one venue of older releases, which no
   * directory lists) laid out. A yes is remembered on this node; a no is asked again next time.
   */
  public CompletionStage<Boolean> exists(String venueId) {
    if (known.contains(venueId)) return CompletableFuture.completedFuture(true);
    return directory().ask(VenueDirectory.Get::new, askTimeout).thenCompose(listing -> {
      if (listing.has(venueId)) return CompletableFuture.completedFuture(true);
      if (!venueId.equals(VenueIds.DEFAULT)) return CompletableFuture.completedFuture(false);
      return menu.venueNow(venueId).thenApply(Venue.View::exists);
    }).thenApply(yes -> {
      if (yes) known.add(venueId);
      return yes;
    });
  }

  // ---- a venue's own ----

  /** The venue's profile, settings, layout and menu as they are now. */
  public CompletionStage<Venue.View> venue(String venueId) {
    return menu.venueNow(venueId);
  }

  /** {@code name} null keeps the name; the change's nulls keep those settings. */
  public CompletionStage<Venue.View> changeSettings(String venueId, String name, Settings.Change change) {
    return menu.change(venueId, r -> new Venue.ChangeSettings(name, change, r));
  }

  public CompletionStage<Venue.View> putStall(String venueId, Stall stall) {
    return menu.change(venueId, r -> new Venue.PutStall(stall, r));
  }

  public CompletionStage<Venue.View> removeStall(String venueId, String stallId) {
    return menu.change(venueId, r -> new Venue.RemoveStall(stallId, r));
  }

  public CompletionStage<Venue.View> putStation(String venueId, Station station) {
    return menu.change(venueId, r -> new Venue.PutStation(station, r));
  }

  public CompletionStage<Venue.View> removeStation(String venueId, String stationId) {
    return menu.change(venueId, r -> new Venue.RemoveStation(stationId, r));
  }

  public CompletionStage<Venue.View> putPrinter(String venueId, Printer printer) {
    return menu.change(venueId, r -> new Venue.PutPrinter(printer, r));
  }

  public CompletionStage<Venue.View> removePrinter(String venueId, String printerId) {
    return menu.change(venueId, r -> new Venue.RemovePrinter(printerId, r));
  }

  public CompletionStage<Venue.View> putTable(String venueId, FloorTable table) {
    return menu.change(venueId, r -> new Venue.PutTable(table, r));
  }

  /**
   * Takes a table off the floor plan once its table says no order is open at it. (An order opened in
   * the moment between the two asks stays on its table entity, unreachable until the table is put back.)
   */
  public CompletionStage<Venue.View> removeTable(String venueId, String tableId) {
    return floor.table(venueId, tableId).thenCompose(table -> {
      if (table.status() == Table.Status.OPEN) {
        throw new Rejected(Rejection.TABLE_IN_USE, "table " + tableId + " has order " + table.orderId()
            + " open; close it first");
      }
      return menu.change(venueId, r -> new Venue.RemoveTable(tableId, r));
    });
  }

  public CompletionStage<Venue.View> putCategory(String venueId, Category category) {
    return menu.change(venueId, r -> new Venue.PutCategory(category, r));
  }

  public CompletionStage<Venue.View> removeCategory(String venueId, String categoryId) {
    return menu.change(venueId, r -> new Venue.RemoveCategory(categoryId, r));
  }

  /** The dish leaves the menu; orders and reports keep what they recorded of it. */
  public CompletionStage<Venue.View> removeItem(String venueId, String sku) {
    return menu.change(venueId, r -> new Venue.RemoveItem(sku, r));
  }

  /** Puts every entry of {@code setup}, all or nothing. */
  public CompletionStage<Venue.View> importSetup(String venueId, VenueSetup setup) {
    return menu.change(venueId, r -> new Venue.Import(setup, r));
  }

  private EntityRef<VenueDirectory.Command> directory() {
    return sharding.entityRefFor(VenueDirectory.ENTITY_KEY, VenueDirectory.ENTITY_ID);
  }
}
