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
import java.util.concurrent.CompletableFuture;
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
   * at once; one made through another node within this long.
   */
  static final Duration VENUE_VIEW_TTL = Duration.ofSeconds(1);

  /** The menu with what is left of each dish that has a limit. */
  public record Menu(Venue.View venue, Stock.Levels stock) {}

  private record CachedVenue(Venue.View view, long atNanos) {}

  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private volatile CachedVenue cachedVenue;

  public MenuBoard(ActorSystem<?> system, Duration askTimeout) {
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = askTimeout;
  }

  public CompletionStage<Venue.View> venue() {
    CachedVenue cached = cachedVenue;
    if (cached != null && System.nanoTime() - cached.atNanos() < VENUE_VIEW_TTL.toNanos()) {
      return CompletableFuture.completedFuture(cached.view());
    }
    return venueRef().ask(Venue.Get::new, askTimeout).thenApply(this::remember);
  }

  public CompletionStage<Venue.View> seed(VenueLayout layout) {
    return answer(venueRef().<Venue.View>askWithStatus(r -> new Venue.Seed(layout, r), askTimeout)).thenApply(this::remember);
  }

  public CompletionStage<Venue.View> upsertItem(MenuItem item) {
    return answer(venueRef().<Venue.View>askWithStatus(r -> new Venue.UpsertItem(item, r), askTimeout)).thenApply(this::remember);
  }

  public CompletionStage<Menu> menu() {
    return venue().thenCombine(stockLevels(), Menu::new);
  }

  public CompletionStage<Stock.Levels> stockLevels() {
    return stockRef().ask(Stock.Get::new, askTimeout);
  }

  /** {@code level} null lifts the limit. */
  public CompletionStage<Stock.Levels> setStock(String sku, Integer level) {
    return venue().thenCompose(venue -> {
      venue.item(sku).orElseThrow(() -> new Rejected(Rejection.NOT_FOUND, "no dish with sku '" + sku + "' on the menu"));
      return answer(stockRef().<Stock.Levels>askWithStatus(r -> new Stock.SetLevel(sku, level, Instant.now(), r), askTimeout));
    });
  }

  /** The venue, once it is sure to have a table of this id. */
  CompletionStage<Venue.View> knownTable(String tableId) {
    return venue().thenApply(venue -> requireTable(venue, tableId));
  }

  static Venue.View requireTable(Venue.View venue, String tableId) {
    if (!venue.hasTable(tableId)) throw new Rejected(Rejection.NOT_FOUND, "no table " + tableId + " in this venue");
    return venue;
  }

  private Venue.View remember(Venue.View view) {
    if (view.laidOut()) cachedVenue = new CachedVenue(view, System.nanoTime());
    return view;
  }

  private EntityRef<Venue.Command> venueRef() {
    return sharding.entityRefFor(Venue.ENTITY_KEY, Venue.VENUE_ID);
  }

  EntityRef<Stock.Command> stockRef() {
    return sharding.entityRefFor(Stock.ENTITY_KEY, Stock.VENUE_STOCK_ID);
  }
}
