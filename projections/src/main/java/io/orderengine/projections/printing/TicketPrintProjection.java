package io.orderengine.projections.printing;

import io.orderengine.engine.VenueIds;
import io.orderengine.engine.table.Table;
import io.orderengine.engine.table.Ticket;
import io.orderengine.engine.venue.Printer;
import io.orderengine.engine.venue.Station;
import io.orderengine.engine.venue.Venue;
import io.orderengine.projections.PooledJdbcSession;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;

/**
 * Tables' kitchen events into print jobs at the printers of their station, exactly once (the jobs and
 * the offset commit together): a fired ticket, a void of a fired line, a move notice for an order
 * whose tickets were fired, a reprint. An event older than {@link #TOO_OLD} makes no job: a first
 * start on an old journal does not print yesterday's tickets.
 */
public final class TicketPrintProjection extends JdbcHandler<EventEnvelope<Table.Event>, PooledJdbcSession> {
  public static final String NAME = "print-tickets";
  public static final Duration TOO_OLD = Duration.ofMinutes(10);
  static final Duration ASK = Duration.ofSeconds(10);

  private final PrintSetup setup;

  public TicketPrintProjection(PrintSetup setup) {
    this.setup = setup;
  }

  @Override
  public void process(PooledJdbcSession session, EventEnvelope<Table.Event> envelope) throws Exception {
    Table.Event event = envelope.event();
    if (Instant.ofEpochMilli(envelope.timestamp()).isBefore(Instant.now().minus(TOO_OLD))) return;
    String jobBase = envelope.persistenceId().replace('|', '.') + "." + envelope.sequenceNr();
    session.withConnection(c -> {
      if (event instanceof Table.TicketFired e) fired(c, jobBase, e);
      else if (event instanceof Table.TicketReprinted e) reprinted(c, jobBase, e);
      else if (event instanceof Table.LineVoided e) voided(c, jobBase, e);
      else if (event instanceof Table.MovedIn e) moved(c, jobBase, e.order().orderId(), e.fromTableId(), e.tableId(), e.at(), false);
      else if (event instanceof Table.MergedIn e) moved(c, jobBase, e.order().orderId(), e.fromTableId(), e.tableId(), e.at(), true);
      return null;
    });
  }

  private Venue.View venue(String venueId) throws Exception {
    return setup.venue(venueId).toCompletableFuture().get(ASK.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static String stationName(Venue.View venue, String stationId) {
    return venue.stations().stream().filter(s -> s.stationId().equals(stationId)).findFirst()
        .map(Station::name).orElse(stationId);
  }

  private static ZoneId zone(Venue.View venue) {
    return ZoneId.of(venue.settings().timeZone());
  }

  private static List<Printer> printersOf(Venue.View venue, String stationId) {
    return venue.printers().stream().filter(p -> p.prints(stationId)).toList();
  }

  private void fired(Connection c, String jobBase, Table.TicketFired e) throws Exception {
    Ticket t = e.ticket();
    String venueId = VenueIds.venueOf(e.tableId());
    String table = VenueIds.localOf(e.tableId());
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO print_ticket_lines (ticket_id, line_id, venue_id, order_id, "
        + "table_id, station_id, sku, name, qty, note, fired_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
      for (Ticket.Item item : t.items()) {
        ps.setString(1, t.ticketId());
        ps.setString(2, item.lineId());
        ps.setString(3, venueId);
        ps.setString(4, e.orderId());
        ps.setString(5, table);
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
    Venue.View venue = venue(venueId);
    List<PrintLayouts.TicketLine> lines = t.items().stream()
        .map(i -> new PrintLayouts.TicketLine(i.lineId(), i.name(), i.qty(), i.note())).toList();
    for (Printer p : printersOf(venue, t.stationId())) {
      PrintDocument doc = PrintLayouts.ticket(stationName(venue, t.stationId()), table, e.orderId(), t.ticketId(),
          t.firedAt(), zone(venue), lines, false, t.firedAt());
      PrintJobs.insert(c, new PrintJobs.NewJob(jobBase + "." + p.printerId(), venueId, p.printerId(), PrintJobs.Kind.TICKET,
          t.ticketId(), doc, t.firedAt()));
    }
  }

  private void reprinted(Connection c, String jobBase, Table.TicketReprinted e) throws Exception {
    String venueId = VenueIds.venueOf(e.tableId());
    List<PrintLayouts.TicketLine> lines = new ArrayList<>();
    String table = VenueIds.localOf(e.tableId());
    String orderId = e.orderId();
    Instant firedAt = e.at();
    try (PreparedStatement ps = c.prepareStatement("SELECT line_id, name, qty, note, table_id, order_id, fired_at "
        + "FROM print_ticket_lines WHERE ticket_id = ? ORDER BY line_id")) {
      ps.setString(1, e.ticketId());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          lines.add(new PrintLayouts.TicketLine(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4)));
          orderId = rs.getString(6);
          firedAt = rs.getTimestamp(7).toInstant();
        }
      }
    }
    if (lines.isEmpty()) return; // fired before printing was set up, or before the projection's horizon
    Venue.View venue = venue(venueId);
    for (Printer p : printersOf(venue, e.stationId())) {
      PrintDocument doc = PrintLayouts.ticket(stationName(venue, e.stationId()), table, orderId, e.ticketId(), firedAt,
          zone(venue), lines, true, e.at());
      PrintJobs.insert(c, new PrintJobs.NewJob(jobBase + "." + p.printerId(), venueId, p.printerId(), PrintJobs.Kind.REPRINT,
          e.ticketId(), doc, e.at()));
    }
  }

  /** Only a line the kitchen was told of is voided on paper; a line never fired was never cooked. */
  private void voided(Connection c, String jobBase, Table.LineVoided e) throws Exception {
    String venueId = VenueIds.venueOf(e.tableId());
    String stationId = null;
    PrintLayouts.TicketLine line = null;
    try (PreparedStatement ps = c.prepareStatement("SELECT station_id, name, qty, note, ticket_id FROM print_ticket_lines "
        + "WHERE order_id = ? AND line_id = ?")) {
      ps.setString(1, e.orderId());
      ps.setString(2, e.lineId());
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          stationId = rs.getString(1);
          line = new PrintLayouts.TicketLine(e.lineId(), rs.getString(2), rs.getInt(3), rs.getString(4));
        }
      }
    }
    if (line == null) return;
    Venue.View venue = venue(venueId);
    for (Printer p : printersOf(venue, stationId)) {
      PrintDocument doc = PrintLayouts.voided(stationName(venue, stationId), VenueIds.localOf(e.tableId()), e.orderId(), line,
          e.reason(), e.at(), zone(venue));
      PrintJobs.insert(c, new PrintJobs.NewJob(jobBase + "." + p.printerId(), venueId, p.printerId(), PrintJobs.Kind.VOID,
          e.orderId() + "/" + e.lineId(), doc, e.at()));
    }
  }

  /** Each station that has dishes of the order hears where they go now. */
  private void moved(Connection c, String jobBase, String orderId, String fromTableId, String toTableId, Instant at,
      boolean merged) throws Exception {
    String venueId = VenueIds.venueOf(toTableId);
    Set<String> stations = new LinkedHashSet<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT DISTINCT station_id FROM print_ticket_lines WHERE order_id = ? ORDER BY station_id")) {
      ps.setString(1, orderId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) stations.add(rs.getString(1));
      }
    }
    if (stations.isEmpty()) return;
    Venue.View venue = venue(venueId);
    Set<String> printed = new LinkedHashSet<>();
    for (String stationId : stations) {
      for (Printer p : printersOf(venue, stationId)) {
        if (!printed.add(p.printerId())) continue; // one notice per printer, naming its first station
        PrintDocument doc = PrintLayouts.moved(stationName(venue, stationId), orderId, VenueIds.localOf(fromTableId),
            VenueIds.localOf(toTableId), at, zone(venue), merged);
        PrintJobs.insert(c, new PrintJobs.NewJob(jobBase + "." + p.printerId(), venueId, p.printerId(), PrintJobs.Kind.MOVE,
            orderId, doc, at));
      }
    }
  }
}
