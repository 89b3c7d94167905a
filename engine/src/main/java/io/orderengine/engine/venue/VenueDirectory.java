package io.orderengine.engine.venue;

import io.orderengine.engine.CborSerializable;
import io.orderengine.engine.DomainEntity;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;

/**
 * The venues of the whole cluster, in one entity ({@value #ENTITY_ID}): a venue created on any node
 * is listed to the next question on every node. It holds ids only; each venue's profile is the
 * venue's own. The decisions are {@link VenueDirectoryState}'s.
 */
public final class VenueDirectory
    extends DomainEntity<VenueDirectory.Command, VenueDirectory.Event, VenueDirectoryState> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "VenueDirectory");
  /** There is one directory; this is its entity id. */
  public static final String ENTITY_ID = "venues";
  public static final String TAG = "venue-directory";

  // ---- protocol ----

  public sealed interface Command extends CborSerializable {}

  /** Lists a created venue; listing it again changes nothing. */
  public record Register(String venueId, Instant at, ActorRef<StatusReply<Listing>> replyTo) implements Command {}

  public record Get(ActorRef<Listing> replyTo) implements Command {}

  public sealed interface Event extends CborSerializable {}

  public record Registered(String venueId, Instant at) implements Event {}

  /** The venues' ids, sorted. */
  public record Listing(List<String> venueIds) implements CborSerializable {
    public boolean has(String venueId) {
      return java.util.Collections.binarySearch(venueIds, venueId) >= 0;
    }
  }

  // ---- shell ----

  public static void init(ActorSystem<?> system) {
    ClusterSharding.get(system).init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId())));
  }

  public static VenueDirectory create(String entityId) {
    return new VenueDirectory(entityId);
  }

  private VenueDirectory(String entityId) {
    super(ENTITY_KEY, entityId, TAG);
  }

  @Override
  public VenueDirectoryState emptyState() {
    return VenueDirectoryState.empty();
  }

  @Override
  public CommandHandlerWithReply<Command, Event, VenueDirectoryState> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Register.class, (s, c) -> decide(s.decideRegister(c.venueId(), c.at()), c.replyTo(),
            VenueDirectoryState::listing))
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), s.listing()))
        .build();
  }
}
