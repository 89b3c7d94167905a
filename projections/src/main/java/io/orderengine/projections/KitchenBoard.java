package io.orderengine.projections;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * What a kitchen screen shows: a station's open tickets at its venue, oldest first, read from
 * {@code kitchen_ticket_lines}. Tables are the venue's own names ({@code A1}).
 */
public final class KitchenBoard {
  public record TicketLine(String lineId, String sku, String name, int qty, String note, String status,
      Instant readyAt, Instant servedAt) {}

  public record OpenTicket(String ticketId, String tableId, String orderId, String stationId, Instant firedAt,
      List<TicketLine> lines) {}

  private final DataSource dataSource;

  public KitchenBoard(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Tickets with at least one dish neither served nor voided; blocking, run it off the actors' threads. */
  public List<OpenTicket> openTickets(String venueId, String stationId) throws SQLException {
    String sql = "SELECT t.ticket_id, COALESCE(m.table_id, t.table_id), t.order_id, t.station_id, t.fired_at, t.line_id, "
        + "t.sku, t.name, t.qty, t.note, t.status, t.ready_at, t.served_at "
        + "FROM kitchen_ticket_lines t LEFT JOIN kitchen_order_moves m ON m.order_id = t.order_id "
        + "WHERE t.venue_id = ? AND t.station_id = ? AND EXISTS (SELECT 1 FROM kitchen_ticket_lines o "
        + "WHERE o.ticket_id = t.ticket_id AND o.status IN ('FIRED', 'READY')) ORDER BY t.fired_at, t.ticket_id, t.line_id";
    Map<String, OpenTicket> tickets = new LinkedHashMap<>();
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, venueId);
      ps.setString(2, stationId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          OpenTicket t = tickets.computeIfAbsent(rs.getString(1), id -> {
            try {
              return new OpenTicket(id, rs.getString(2), rs.getString(3), rs.getString(4), rs.getTimestamp(5).toInstant(),
                  new ArrayList<>());
            } catch (SQLException e) {
              throw new IllegalStateException(e);
            }
          });
          t.lines().add(new TicketLine(rs.getString(6), rs.getString(7), rs.getString(8), rs.getInt(9), rs.getString(10),
              rs.getString(11), instant(rs.getTimestamp(12)), instant(rs.getTimestamp(13))));
        }
      }
    }
    return List.copyOf(tickets.values());
  }

  private static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }
}
