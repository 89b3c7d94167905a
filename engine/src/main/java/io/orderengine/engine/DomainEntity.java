package io.orderengine.engine;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * What every entity of the engine shares: a journal that fails is retried with backoff, and a
 * command is decided by the pure core, persisted, and answered, or refused with its code.
 */
public abstract class DomainEntity<C, E, S> extends EventSourcedBehaviorWithEnforcedReplies<C, E, S> {

  protected DomainEntity(PersistenceId persistenceId) {
    super(persistenceId, SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1));
  }

  /** Persists what {@code decision} decides and answers with {@code reply} of the new state; a refusal is answered as such. */
  protected <R> ReplyEffect<E, S> decide(ActorRef<StatusReply<R>> replyTo, Supplier<List<E>> decision,
      Function<S, R> reply) {
    try {
      return Effect().persist(decision.get()).thenReply(replyTo, s -> StatusReply.success(reply.apply(s)));
    } catch (Rejected r) {
      return Effect().reply(replyTo, r.toReply());
    }
  }
}
