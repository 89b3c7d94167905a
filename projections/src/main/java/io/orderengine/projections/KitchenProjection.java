package io.orderengine.projections;

import io.orderengine.engine.VenueIds;
import io.orderengine.engine.table.Table;
import io.orderengine.engine.table.Ticket;
import java.sql.Connection;
import java.sql.PreparedStatement;
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
 * Tables' kitchen events into {@code kitchen_ticket_lines} and {@code kitchen_order_moves}, exactly
 * once per event. Every row names its venue, read from the table's id; tables are stored by the name
 * their venue knows them by ({@code A1}, not {@code V2.A1}), tickets and orders by their whole ids.
 */
public final class KitchenProjection extends JdbcHandler<EventEnvelope<Table.Event>, PooledJdbcSession> {
  public static final String NAME = "kitchen";

  public static Projection<EventEnvelope<Table.Event>> create(ActorSystem<?> system, DataSource dataSource, String tag) {
    return Grouped.projection(system, ProjectionId.of(NAME, tag),
        EventSourcedProvider.eventsByTag(system, Projections.READ_JOURNAL, tag),
        () -> new PooledJdbcSession(dataSource), KitchenProjection::new);
  }

  @Override
  public void process(PooledJdbcSession session, EventEnvelope<Table.Event> envelope) throws Exception {
    Table.Event event = envelope.event();
    session.withConnection(c -> {
      if (event instanceof Table.TicketFired e) fired(c, e);
      else if (event instanceof Table.LineReady e) mark(c, e.ticketId(), ticketLineId(e.lineId()), "READY", "ready_at", e.at());
      else if (event instanceof Table.LineServed e) mark(c, e.ticketId(), ticketLineId(e.lineId()), "SERVED", "served_at", e.at());
      else if (event instanceof Table.LineVoided e) voided(c, e.tableId(), e.orderId(), e.lineId());
      else if (event instanceof Table.MovedIn e) moved(c, e.orderId(), e.tableId(), e.at());
      else if (event instanceof Table.MergedIn e) moved(c, e.order().orderId(), e.tableId(), e.at());
      else if (event instanceof Table.TicketRecalled e) recalled(c, e);
      else if (event instanceof Table.TicketReprinted e) reprinted(c, e.ticketId());
      return null;
    });
  }

  /** A line merged in from another table is named {@code <fromTable>_<lineId>}; its ticket still says {@code lineId}. */
  static String ticketLineId(String lineId) {
    int at = lineId.lastIndexOf('_');
    return at < 0 ? lineId : lineId.substring(at + 1);
  }

  private static void fired(Connection c, Table.TicketFired e) throws Exception {
    Ticket t = e.ticket();
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO kitchen_ticket_lines (ticket_id, venue_id, line_id, table_id, order_id, station_id, sku, name, qty, note, "
            + "status, fired_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'FIRED', ?) ON CONFLICT DO NOTHING")) {
      for (Ticket.Item item : t.items()) {
        ps.setString(1, t.ticketId());
        ps.setString(2, VenueIds.venueOf(e.tableId()));
        ps.setString(3, item.lineId());
        ps.setString(4, VenueIds.localOf(e.tableId()));
        ps.setString(5, e.orderId());
        ps.setString(6, t.stationId());
        ps.setString(7, item.sku());
        ps.setString(8, item.name());
        ps.setInt(9, item.qty());
        ps.setString(10, item.note());
        ps.setTimestamp(11, Timestamp.from(t.firedAt()));
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static void mark(Connection c, String ticketId, String lineId, String status, String column, Instant at)
      throws Exception {
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE kitchen_ticket_lines SET status = ?, " + column + " = ? WHERE ticket_id = ? AND line_id = ?")) {
      ps.setString(1, status);
      ps.setTimestamp(2, Timestamp.from(at));
      ps.setString(3, ticketId);
      ps.setString(4, lineId);
      ps.executeUpdate();
    }
  }

  private static void moved(Connection c, String orderId, String tableId, Instant at) throws Exception {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO kitchen_order_moves (order_id, venue_id, table_id, moved_at) VALUES (?, ?, ?, ?) "
            + "ON CONFLICT (order_id) DO UPDATE SET table_id = EXCLUDED.table_id, moved_at = EXCLUDED.moved_at "
            + "WHERE kitchen_order_moves.moved_at < EXCLUDED.moved_at")) {
      ps.setString(1, orderId);
      ps.setString(2, VenueIds.venueOf(tableId));
      ps.setString(3, VenueIds.localOf(tableId));
      ps.setTimestamp(4, Timestamp.from(at));
      ps.executeUpdate();
    }
  }

  /** Recalled dishes are cooked again: back on the board, their times restarted. */
  private static void recalled(Connection c, Table.TicketRecalled e) throws Exception {
    try (PreparedStatement ps = c.prepareStatement("UPDATE kitchen_ticket_lines SET status = 'FIRED', ready_at = NULL, "
        + "served_at = NULL, recalls = recalls + 1 WHERE ticket_id = ? AND line_id = ?")) {
      for (String lineId : e.lineIds()) {
        ps.setString(1, e.ticketId());
        ps.setString(2, ticketLineId(lineId));
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static void reprinted(Connection c, String ticketId) throws Exception {
    try (PreparedStatement ps = c.prepareStatement("UPDATE kitchen_ticket_lines SET prints = prints + 1 WHERE ticket_id = ?")) {
      ps.setString(1, ticketId);
      ps.executeUpdate();
    }
  }

  private static void voided(Connection c, String tableId, String orderId, String lineId) throws Exception {
    boolean merged = lineId.indexOf('_') >= 0;
    String sql = merged
        // a merged line: its ticket belongs to an order that moved to this table
        ? "UPDATE kitchen_ticket_lines t SET status = 'VOIDED' WHERE t.line_id = ? AND t.order_id IN "
            + "(SELECT m.order_id FROM kitchen_order_moves m WHERE m.venue_id = ? AND m.table_id = ?) AND t.order_id <> ?"
        : "UPDATE kitchen_ticket_lines SET status = 'VOIDED' WHERE line_id = ? AND order_id = ?";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, ticketLineId(lineId));
      if (merged) {
        ps.setString(2, VenueIds.venueOf(tableId));
        ps.setString(3, VenueIds.localOf(tableId));
        ps.setString(4, orderId);
      } else {
        ps.setString(2, orderId);
      }
      ps.executeUpdate();
    }
  }

}
