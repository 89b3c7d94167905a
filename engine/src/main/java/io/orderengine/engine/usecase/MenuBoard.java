package io.orderengine.engine.usecase;

import static io.orderengine.engine.usecase.Asks.answer;

import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.venue.MenuItem;
import io.orderengine.engine.venue.Stock;
import io.orderengine.engine.venue.Venue;
import io.orderengine.engine.venue.VenueLayout;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/** The venue's layout and menu, and what is left of each dish: what the floor and the kitchen work from. */
public final class MenuBoard {

  /**
   * How long this node answers from the venue's last view before asking the venue again. Every
   * table command checks the floor plan and the menu; one entity answering them all would cap the
   * whole venue, so each node keeps the view a moment. A menu change made through this node shows
   * at once; one made through another node within this long (and the one ask that refreshes it).
   */
  static final Duration VENUE_VIEW_TTL = Duration.ofSeconds(1);

  /** The menu with what is left of each dish that has a limit. */
  public record Menu(Venue.View venue, Stock.Levels stock) {}

  private record CachedVenue(Venue.View view, long atNanos) {}

  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final Map<String, CachedVenue> cachedVenues = new ConcurrentHashMap<>();
  private final java.util.Set<String> refreshing = ConcurrentHashMap.newKeySet();

  public MenuBoard(ActorSystem<?> system, Duration askTimeout) {
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = askTimeout;
  }

  public CompletionStage<Venue.View> venue(String venueId) {
    CachedVenue cached = cachedVenues.get(venueId);
    if (cached == null) return venueNow(venueId);
    if (System.nanoTime() - cached.atNanos() >= VENUE_VIEW_TTL.toNanos() && refreshing.add(venueId)) {
      // one ask per venue and node refreshes the view; the requests meanwhile answer from the one held,
      // so no request waits on the venue's single entity (which would queue every table command behind it)
      venueNow(venueId).whenComplete((view, failure) -> refreshing.remove(venueId));
    }
    return CompletableFuture.completedFuture(cached.view());
  }

  /** The venue as it is now, asked of the venue itself: what a change just made shows here at once. */
  public CompletionStage<Venue.View> venueNow(String venueId) {
    return venueRef(venueId).ask(Venue.Get::new, askTimeout).thenApply(view -> remember(venueId, view));
  }

  /** Lays out an empty venue the way older releases' demo did; kept for their journals and tests. */
  public CompletionStage<Venue.View> seed(String venueId, VenueLayout layout) {
    return change(venueId, r -> new Venue.Seed(layout, r));
  }

  public CompletionStage<Venue.View> upsertItem(String venueId, MenuItem item) {
    return change(venueId, r -> new Venue.UpsertItem(item, r));
  }

  /** One change of a venue, answered with its view or its refusal; this node's copy of the view follows it. */
  CompletionStage<Venue.View> change(String venueId,
      java.util.function.Function<org.apache.pekko.actor.typed.ActorRef<org.apache.pekko.pattern.StatusReply<Venue.View>>,
          Venue.Command> command) {
    return answer(venueRef(venueId).<Venue.View>askWithStatus(command::apply, askTimeout))
        .thenApply(view -> remember(venueId, view));
  }

  public CompletionStage<Menu> menu(String venueId) {
    return venue(venueId).thenCombine(stockLevels(venueId), Menu::new);
  }

  public CompletionStage<Stock.Levels> stockLevels(String venueId) {
    return stockRef(venueId).ask(Stock.Get::new, askTimeout);
  }

  /** {@code level} null lifts the limit. */
  public CompletionStage<Stock.Levels> setStock(String venueId, String sku, Integer level) {
    return venue(venueId).thenCompose(venue -> {
      venue.item(sku).orElseThrow(() -> new Rejected(Rejection.NOT_FOUND, "no dish with sku '" + sku + "' on the menu"));
      return answer(stockRef(venueId).<Stock.Levels>askWithStatus(r -> new Stock.SetLevel(sku, level, Instant.now(), r),
          askTimeout));
    });
  }

  /** The venue, once it is sure to have a table of this id. */
  CompletionStage<Venue.View> knownTable(String venueId, String tableId) {
    return venue(venueId).thenApply(venue -> requireTable(venue, tableId));
  }

  static Venue.View requireTable(Venue.View venue, String tableId) {
    if (!venue.hasTable(tableId)) throw new Rejected(Rejection.NOT_FOUND, "no table " + tableId + " in this venue");
    return venue;
  }

  /** The venue as this node last saw it, however long ago; empty when it has not seen it laid out. */
  public Optional<Venue.View> lastSeen(String venueId) {
    return Optional.ofNullable(cachedVenues.get(venueId)).map(CachedVenue::view);
  }

  private Venue.View remember(String venueId, Venue.View view) {
    if (view.laidOut()) cachedVenues.put(venueId, new CachedVenue(view, System.nanoTime()));
    else cachedVenues.remove(venueId);
    return view;
  }

  /** A venue's master data is one entity, named by the venue's id. */
  private EntityRef<Venue.Command> venueRef(String venueId) {
    return sharding.entityRefFor(Venue.ENTITY_KEY, venueId);
  }

  /** A venue's stock is one entity, named by the venue's id. */
  EntityRef<Stock.Command> stockRef(String venueId) {
    return sharding.entityRefFor(Stock.ENTITY_KEY, venueId);
  }
}
