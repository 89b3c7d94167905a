package io.orderengine.projections;

import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.projection.Projection;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;
import org.apache.pekko.projection.jdbc.javadsl.JdbcProjection;
import org.apache.pekko.projection.javadsl.SourceProvider;
import org.apache.pekko.persistence.query.Offset;

/**
 * Exactly once, a group at a time: the events of a group are applied and the projection's offset
 * stored in one transaction, so a report table costs one commit per group instead of one per
 * event, and a crash replays a whole group or nothing.
 */
final class Grouped<E> extends JdbcHandler<List<EventEnvelope<E>>, PooledJdbcSession> {
  /** At most this many events wait for a group, and at most this long. */
  static final int GROUP_SIZE = 500;
  static final Duration GROUP_WITHIN = Duration.ofMillis(100);

  private final JdbcHandler<EventEnvelope<E>, PooledJdbcSession> each;

  private Grouped(JdbcHandler<EventEnvelope<E>, PooledJdbcSession> each) {
    this.each = each;
  }

  @Override
  public void process(PooledJdbcSession session, List<EventEnvelope<E>> envelopes) throws Exception {
    for (EventEnvelope<E> envelope : envelopes) each.process(session, envelope);
  }

  static <E> Projection<EventEnvelope<E>> projection(ActorSystem<?> system, ProjectionId id,
      SourceProvider<Offset, EventEnvelope<E>> events, java.util.function.Supplier<PooledJdbcSession> sessions,
      java.util.function.Supplier<JdbcHandler<EventEnvelope<E>, PooledJdbcSession>> handler) {
    return JdbcProjection.groupedWithin(id, events, sessions, () -> new Grouped<>(handler.get()), system)
        .withGroup(GROUP_SIZE, GROUP_WITHIN);
  }
}
