package io.orderengine.engine.venue;

import io.orderengine.engine.CborSerializable;
import io.orderengine.engine.DomainEntity;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;

/**
 * The venue's master data: stalls, kitchen stations, the menu and the floor plan. One entity per
 * venue; it changes rarely and is read on every order, so its state is small and snapshotted.
 * The decisions are {@link VenueState}'s.
 */
public final class Venue extends DomainEntity<Venue.Command, Venue.Event, VenueState> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Venue");
  public static final String TAG = "venue";

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
      return Collections.binarySearch(tableIds, tableId) >= 0; // the view lists them sorted
    }
  }

  // ---- shell ----

  public static void init(ActorSystem<?> system) {
    ClusterSharding.get(system).init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId())));
  }

  public static Venue create(String venueId) {
    return new Venue(venueId);
  }

  private Venue(String venueId) {
    super(ENTITY_KEY, venueId, TAG);
  }

  @Override
  public VenueState emptyState() {
    return VenueState.empty();
  }

  // the view of the latest state, built once per change rather than once per question
  private VenueState viewed;
  private View view;

  private View viewOf(VenueState state) {
    if (state != viewed) {
      view = state.view();
      viewed = state;
    }
    return view;
  }

  @Override
  public CommandHandlerWithReply<Command, Event, VenueState> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Seed.class, (s, c) -> decide(s.decideSeed(c.layout()), c.replyTo(), this::viewOf))
        .onCommand(UpsertItem.class, (s, c) -> decide(s.decideUpsert(c.item()), c.replyTo(), this::viewOf))
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), viewOf(s)))
        .build();
  }
}
