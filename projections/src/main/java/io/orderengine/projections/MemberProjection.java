package io.orderengine.projections;

import io.orderengine.engine.VenueIds;
import io.orderengine.engine.member.Member;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.projection.Projection;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.eventsourced.javadsl.EventSourcedProvider;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;

/**
 * Members' events into {@code report_members} and {@code report_member_movements}, exactly once.
 * A member is stored by its venue and the id its venue knows it by ({@code V2}, {@code M001}).
 */
public final class MemberProjection extends JdbcHandler<EventEnvelope<Member.Event>, PooledJdbcSession> {
  public static final String NAME = "members";

  public static Projection<EventEnvelope<Member.Event>> create(ActorSystem<?> system, DataSource dataSource) {
    return Grouped.projection(system, ProjectionId.of(NAME, Member.TAG),
        EventSourcedProvider.eventsByTag(system, Projections.READ_JOURNAL, Member.TAG),
        () -> new PooledJdbcSession(dataSource), MemberProjection::new);
  }

  @Override
  public void process(PooledJdbcSession session, EventEnvelope<Member.Event> envelope) throws Exception {
    Member.Event event = envelope.event();
    session.withConnection(c -> {
      if (event instanceof Member.Registered e) {
        try (PreparedStatement ps = c.prepareStatement(
            "INSERT INTO report_members (venue_id, member_id, name, phone, since) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
          ps.setString(1, VenueIds.venueOf(e.memberId()));
          ps.setString(2, VenueIds.localOf(e.memberId()));
          ps.setString(3, e.name());
          ps.setString(4, e.phone());
          ps.setTimestamp(5, Timestamp.from(e.at()));
          ps.executeUpdate();
        }
      } else if (event instanceof Member.ToppedUp e) {
        if (movement(c, e.memberId(), e.requestId(), "TOP_UP", e.amountMinor(), e.method(), e.at(), e.takenBy())) {
          topUpPayment(c, e);
          update(c, e.memberId(), "balance_minor = balance_minor + ?, topped_up_minor = topped_up_minor + ?",
              e.amountMinor(), e.amountMinor());
        }
      } else if (event instanceof Member.Debited e) {
        if (movement(c, e.memberId(), e.paymentId(), "SPEND", -e.amountMinor(), null, e.at())) {
          update(c, e.memberId(), "balance_minor = balance_minor - ?, points = points + ?, "
              + "lifetime_spend_minor = lifetime_spend_minor + ?, visits = visits + 1, last_visit_at = ?",
              e.amountMinor(), e.points(), e.amountMinor(), e.at());
        }
      } else if (event instanceof Member.Credited e) {
        if (movement(c, e.memberId(), e.refundNo(), "REFUND", e.amountMinor(), null, e.at())) {
          update(c, e.memberId(), "balance_minor = balance_minor + ?, points = points - ?, "
              + "lifetime_spend_minor = lifetime_spend_minor - ?", e.amountMinor(), e.points(), e.amountMinor());
        }
      }
      return null;
    });
  }

  private static boolean movement(Connection c, String memberId, String id, String kind, long amount, String method,
      Instant at) throws SQLException {
    return movement(c, memberId, id, kind, amount, method, at, null);
  }

  /** {@code takenBy}: who took a top-up's money at the till (a cash one counts in their shift). */
  private static boolean movement(Connection c, String memberId, String id, String kind, long amount, String method,
      Instant at, String takenBy) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO report_member_movements "
        + "(venue_id, member_id, movement_id, kind, amount_minor, method, at, taken_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
        + "ON CONFLICT DO NOTHING")) {
      ps.setString(1, VenueIds.venueOf(memberId));
      ps.setString(2, VenueIds.localOf(memberId));
      ps.setString(3, id);
      ps.setString(4, kind);
      ps.setLong(5, amount);
      ps.setString(6, method);
      ps.setTimestamp(7, Timestamp.from(at));
      ps.setString(8, takenBy);
      return ps.executeUpdate() == 1;
    }
  }

  /**
   * The top-up's payment id (the trade number at the gateway, for one paid by wallet or card) and the
   * slip of a card taken on a standalone terminal, so reconciliation and the card-terminals report
   * count top-ups where the money went. Null in top-ups recorded before they had payment ids.
   */
  private static void topUpPayment(Connection c, Member.ToppedUp e) throws SQLException {
    if (e.paymentId() == null) return;
    try (PreparedStatement ps = c.prepareStatement("UPDATE report_member_movements SET payment_id = ?, terminal_id = ?, "
        + "terminal_ref = ?, card_last4 = ? WHERE venue_id = ? AND member_id = ? AND movement_id = ?")) {
      ps.setString(1, e.paymentId());
      ps.setString(2, e.terminalId());
      ps.setString(3, e.terminalRef());
      ps.setString(4, e.cardLast4());
      ps.setString(5, VenueIds.venueOf(e.memberId()));
      ps.setString(6, VenueIds.localOf(e.memberId()));
      ps.setString(7, e.requestId());
      ps.executeUpdate();
    }
  }

  private static void update(Connection c, String memberId, String set, Object... values) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE report_members SET " + set + " WHERE venue_id = ? AND member_id = ?")) {
      int i = 1;
      for (Object v : values) {
        if (v instanceof Instant at) ps.setTimestamp(i++, Timestamp.from(at));
        else ps.setLong(i++, (Long) v);
      }
      ps.setString(i++, VenueIds.venueOf(memberId));
      ps.setString(i, VenueIds.localOf(memberId));
      ps.executeUpdate();
    }
  }
}
