package io.orderengine.projections;

import io.orderengine.engine.audit.AuditTrail;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.Projection;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.eventsourced.javadsl.EventSourcedProvider;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;

/** The audit trail's events into {@code audit_log}, one row per event, exactly once. */
public final class AuditProjection extends JdbcHandler<EventEnvelope<AuditTrail.Recorded>, PooledJdbcSession> {
  public static final String NAME = "audit";

  public static Projection<EventEnvelope<AuditTrail.Recorded>> create(ActorSystem<?> system, DataSource dataSource) {
    return Grouped.projection(system, ProjectionId.of(NAME, AuditTrail.TAG),
        EventSourcedProvider.eventsByTag(system, Projections.READ_JOURNAL, AuditTrail.TAG),
        () -> new PooledJdbcSession(dataSource), AuditProjection::new);
  }

  @Override
  public void process(PooledJdbcSession session, EventEnvelope<AuditTrail.Recorded> envelope) throws Exception {
    AuditTrail.Recorded event = envelope.event();
    AuditTrail.Entry e = event.entry();
    session.withConnection(c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_log (trail_id, seq, at, who, role, approved_by, "
          + "action, method, path, status, code, request_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
          + "ON CONFLICT DO NOTHING")) {
        ps.setString(1, event.trailId());
        ps.setLong(2, envelope.sequenceNr());
        ps.setTimestamp(3, Timestamp.from(e.at()));
        ps.setString(4, e.who());
        ps.setString(5, e.role());
        ps.setString(6, e.approvedBy());
        ps.setString(7, e.action());
        ps.setString(8, e.method());
        ps.setString(9, e.path());
        ps.setInt(10, e.status());
        ps.setString(11, e.code());
        ps.setString(12, e.requestId());
        ps.executeUpdate();
      }
      return null;
    });
  }
}
