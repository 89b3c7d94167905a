package io.orderengine.engine;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * What every entity of the engine shares: its persistence id and tag, the event handler of its
 * pure state, snapshots, a journal that fails retried with backoff, and a command decided by the
 * pure core, persisted and answered, or refused with its code.
 *
 * @param <S> the pure state; {@code apply} is the whole event handler
 */
public abstract class DomainEntity<C, E, S extends DomainEntity.Evolving<E, S>>
    extends EventSourcedBehaviorWithEnforcedReplies<C, E, S> {

  /** A state that folds events: the pure core's half of the event handler. */
  public interface Evolving<E, S> {
    S apply(E event);
  }

  /** Snapshots every this many events; the events stay, so a snapshot of an older shape is skipped, not fatal. */
  private static final int SNAPSHOT_EVERY = 50;

  private final String tag;

  protected DomainEntity(EntityTypeKey<C> key, String entityId, String tagPrefix, int tagCount) {
    super(PersistenceId.of(key.name(), entityId),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1));
    this.tag = tagFor(tagPrefix, tagCount, entityId);
  }

  /**
   * An entity type whose events were always written under one fixed tag: the tag is stored with
   * each event and named by its readers (projections, the event stream), so it is kept as it is.
   */
  protected DomainEntity(EntityTypeKey<C> key, String entityId, String tag) {
    super(PersistenceId.of(key.name(), entityId),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1));
    this.tag = tag;
  }

  /** The one tag of an entity: a fixed number per entity type, chosen up front, for the projections. */
  public static String tagFor(String tagPrefix, int tagCount, String entityId) {
    return tagPrefix + Math.floorMod(entityId.hashCode(), tagCount);
  }

  @Override
  public EventHandler<S, E> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(Evolving::apply);
  }

  @Override
  public Set<String> tagsFor(E event) {
    return Set.of(tag);
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(SNAPSHOT_EVERY, 2);
  }

  /** Persists what the core decided and answers with {@code reply} of the new state; a refusal is answered as such. */
  protected <R> ReplyEffect<E, S> decide(Decision<E> decision, ActorRef<StatusReply<R>> replyTo, Function<S, R> reply) {
    return decide(decision, replyTo, reply, (s, events) -> {});
  }

  /**
   * As {@link #decide(Decision, ActorRef, Function)}, with {@code after} run on the new state and the
   * persisted events before the answer: what the entity does once a change is in the journal (send
   * what it now owes, arm its timers).
   */
  protected <R> ReplyEffect<E, S> decide(Decision<E> decision, ActorRef<StatusReply<R>> replyTo, Function<S, R> reply,
      BiConsumer<S, List<E>> after) {
    if (decision instanceof Decision.Refused<E> refused) return Effect().reply(replyTo, refused.rejected().toReply());
    List<E> events = ((Decision.Accepted<E>) decision).events();
    return Effect().persist(events).thenRun(s -> after.accept(s, events))
        .thenReply(replyTo, s -> StatusReply.success(reply.apply(s)));
  }
}
