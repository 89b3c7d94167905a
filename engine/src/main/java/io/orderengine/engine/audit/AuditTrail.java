package io.orderengine.engine.audit;

import io.orderengine.engine.CborSerializable;
import io.orderengine.engine.DomainEntity;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Set;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;

/**
 * Who did what, as events: every write the API applies or refuses is recorded here with the staff
 * member, their role, the manager who approved it (if one did), the action, its target and the
 * answer. A trail is one entity per UTC day and slice, so that no entity's history grows without
 * end; an entity persists one entry at a time, so the slices are many (a write waits for its
 * entry, and 8 slices held a lunch rush to ~250 writes a second). The {@value #TAG} tag feeds the
 * {@code audit_log} table.
 */
public final class AuditTrail extends DomainEntity<AuditTrail.Command, AuditTrail.Recorded, Long> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "AuditTrail");
  public static final String TAG = "audit";
  public static final int SLICES = 128;

  /** One thing a member of staff (or a diner) did through the API, and what the API answered. */
  public record Entry(Instant at, String who, String role, String approvedBy, String action, String method,
      String path, int status, String code, String requestId) implements CborSerializable {}

  public sealed interface Command extends CborSerializable {}

  public record Record(Entry entry, ActorRef<Done> replyTo) implements Command {}

  public record Recorded(String trailId, Entry entry) implements CborSerializable {}

  /** The trail an entry about {@code target} goes to: its day, and a slice chosen by the target. */
  public static String trailFor(Instant at, String target) {
    LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
    return day + "-" + Math.floorMod(target.hashCode(), SLICES);
  }

  public static void init(ActorSystem<?> system) {
    ClusterSharding.get(system).init(Entity.of(ENTITY_KEY, ctx -> new AuditTrail(ctx.getEntityId())));
  }

  private final String trailId;

  private AuditTrail(String trailId) {
    super(PersistenceId.of(ENTITY_KEY.name(), trailId));
    this.trailId = trailId;
  }

  @Override
  public Long emptyState() {
    return 0L;
  }

  @Override
  public CommandHandlerWithReply<Command, Recorded, Long> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Record.class, (count, c) -> Effect().persist(new Recorded(trailId, c.entry()))
            .thenReply(c.replyTo(), s -> Done.getInstance()))
        .build();
  }

  @Override
  public EventHandler<Long, Recorded> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent((count, e) -> count + 1);
  }

  @Override
  public Set<String> tagsFor(Recorded event) {
    return Set.of(TAG);
  }
}
