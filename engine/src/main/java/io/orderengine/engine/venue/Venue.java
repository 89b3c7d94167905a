package io.orderengine.engine.venue;

import io.orderengine.engine.CborSerializable;
import io.orderengine.engine.DomainEntity;
import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * The venue's master data: stalls, kitchen stations, the menu and the floor plan. One entity per
 * venue; it changes rarely and is read on every order, so its state is small and snapshotted.
 */
public final class Venue extends DomainEntity<Venue.Command, Venue.Event, Venue.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Venue");
  public static final String TAG = "venue";
  /** A deployment serves one venue. */
  public static final String VENUE_ID = "main";

  // ---- protocol ----

  public sealed interface Command extends CborSerializable {}

  /** Lays out an empty venue; a venue that already has a layout is left as it is. */
  public record Seed(VenueLayout layout, ActorRef<StatusReply<View>> replyTo) implements Command {}

  public record UpsertItem(MenuItem item, ActorRef<StatusReply<View>> replyTo) implements Command {}

  public record Get(ActorRef<View> replyTo) implements Command {}

  public sealed interface Event extends CborSerializable {}

  public record Seeded(VenueLayout layout) implements Event {}

  public record ItemUpserted(MenuItem item) implements Event {}

  /** What callers see; never the state itself. */
  public record View(
      boolean laidOut,
      String name,
      List<Stall> stalls,
      List<Station> stations,
      List<MenuItem> items,
      List<String> tableIds)
      implements CborSerializable {

    public Optional<MenuItem> item(String sku) {
      return items.stream().filter(i -> i.sku().equals(sku)).findFirst();
    }

    public boolean hasTable(String tableId) {
      return java.util.Collections.binarySearch(tableIds, tableId) >= 0; // the view lists them sorted
    }
  }

  // ---- pure core ----

  public record State(
      String name,
      Map<String, Stall> stalls,
      Map<String, Station> stations,
      Map<String, MenuItem> items,
      List<String> tableIds)
      implements CborSerializable {

    public static State empty() {
      return new State("", Map.of(), Map.of(), Map.of(), List.of());
    }

    public boolean laidOut() {
      return !tableIds.isEmpty() || !items.isEmpty();
    }

    public List<Event> decideSeed(VenueLayout layout) {
      return laidOut() ? List.of() : List.of(new Seeded(layout));
    }

    public List<Event> decideUpsert(MenuItem item) {
      if (!stalls.containsKey(item.stallId())) {
        throw new Rejected(Rejection.VALIDATION_FAILED, "unknown stallId '" + item.stallId() + "'");
      }
      if (!stations.containsKey(item.stationId())) {
        throw new Rejected(Rejection.VALIDATION_FAILED, "unknown stationId '" + item.stationId() + "'");
      }
      if (item.equals(items.get(item.sku()))) return List.of();
      return List.of(new ItemUpserted(item));
    }

    public State apply(Event event) {
      if (event instanceof Seeded seeded) {
        VenueLayout l = seeded.layout();
        return new State(
            l.name(),
            index(l.stalls(), Stall::stallId),
            index(l.stations(), Station::stationId),
            index(l.items(), MenuItem::sku),
            l.tableIds());
      }
      if (event instanceof ItemUpserted upserted) {
        Map<String, MenuItem> next = new LinkedHashMap<>(items);
        next.put(upserted.item().sku(), upserted.item());
        return new State(name, stalls, stations, Map.copyOf(next), tableIds);
      }
      throw new IllegalStateException("unknown event " + event);
    }

    public View view() {
      return new View(
          laidOut(),
          name,
          stalls.values().stream().sorted(Comparator.comparing(Stall::stallId)).toList(),
          stations.values().stream().sorted(Comparator.comparing(Station::stationId)).toList(),
          items.values().stream().sorted(Comparator.comparing(MenuItem::sku)).toList(),
          tableIds.stream().sorted().toList());
    }

    private static <T> Map<String, T> index(List<T> values, java.util.function.Function<T, String> key) {
      Map<String, T> map = new LinkedHashMap<>();
      values.forEach(v -> map.put(key.apply(v), v));
      return Map.copyOf(map);
    }
  }

  // ---- shell ----

  public static void init(ActorSystem<?> system) {
    ClusterSharding.get(system)
        .init(Entity.of(ENTITY_KEY, ctx -> new Venue(PersistenceId.of(ENTITY_KEY.name(), ctx.getEntityId()))));
  }

  public static Venue create(String venueId) {
    return new Venue(PersistenceId.of(ENTITY_KEY.name(), venueId));
  }

  private Venue(PersistenceId persistenceId) {
    super(persistenceId);
  }

  @Override
  public State emptyState() {
    return State.empty();
  }

  // the view of the latest state, built once per change rather than once per question
  private State viewed;
  private View view;

  private View viewOf(State state) {
    if (state != viewed) {
      view = state.view();
      viewed = state;
    }
    return view;
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Seed.class, (state, cmd) -> decide(cmd.replyTo(), () -> state.decideSeed(cmd.layout()), State::view))
        .onCommand(UpsertItem.class, (state, cmd) -> decide(cmd.replyTo(), () -> state.decideUpsert(cmd.item()), State::view))
        .onCommand(Get.class, (state, cmd) -> Effect().reply(cmd.replyTo(), viewOf(state)))
        .build();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(State::apply);
  }

  @Override
  public java.util.Set<String> tagsFor(Event event) {
    return java.util.Set.of(TAG);
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(100, 2);
  }
}
