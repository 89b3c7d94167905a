package io.orderengine.projections;

import io.orderengine.engine.Money;
import io.orderengine.engine.VenueIds;
import io.orderengine.engine.bill.Bill;
import io.orderengine.engine.bill.BillLine;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.projection.Projection;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.eventsourced.javadsl.EventSourcedProvider;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;

/**
 * Bills' events into the report tables ({@code report_bills}, {@code report_bill_lines},
 * {@code report_payments}, {@code report_refunds}), exactly once: the rows and the projection's
 * offset commit in one transaction. Every row names its venue, read from the bill's id; tables,
 * members and merged lines are stored by the names their venue knows them by ({@code A1}, not
 * {@code V2.A1}), the ids the server made (bill, order, payment, refund) whole.
 */
public final class SalesProjection extends JdbcHandler<EventEnvelope<Bill.Event>, PooledJdbcSession> {
  public static final String NAME = "sales";

  private final BusinessDays businessDays;

  public SalesProjection(BusinessDays businessDays) {
    this.businessDays = businessDays;
  }

  public static Projection<EventEnvelope<Bill.Event>> create(ActorSystem<?> system, DataSource dataSource, String tag,
      BusinessDays businessDays) {
    return Grouped.projection(system, ProjectionId.of(NAME, tag),
        EventSourcedProvider.eventsByTag(system, Projections.READ_JOURNAL, tag),
        () -> new PooledJdbcSession(dataSource), () -> new SalesProjection(businessDays));
  }

  @Override
  public void process(PooledJdbcSession session, EventEnvelope<Bill.Event> envelope) throws Exception {
    Bill.Event event = envelope.event();
    session.withConnection(c -> {
      if (event instanceof Bill.Opened e) opened(c, e);
      else if (event instanceof Bill.DiscountApplied e) totals(c, e.billId(), e.totals());
      else if (event instanceof Bill.PaymentRecorded e) paymentRecorded(c, e);
      else if (event instanceof Bill.PaymentSettled e) paymentSettled(c, e);
      else if (event instanceof Bill.RefundRecorded e) refundRecorded(c, e);
      else if (event instanceof Bill.RefundSettled e) refundSettled(c, e);
      else if (event instanceof Bill.LineRemoved e) lineRemoved(c, e);
      else if (event instanceof Bill.Settled e) settled(c, e);
      return null;
    });
  }

  private void opened(Connection c, Bill.Opened e) throws SQLException {
    var spec = e.spec();
    String venue = VenueIds.venueOf(spec.billId());
    long service = Money.percentOf(spec.subtotalMinor(), e.serviceChargePercent());
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO report_bills (bill_id, venue_id, table_id, order_id, waiter, business_date, opened_at, status, part, "
            + "parts, subtotal_minor, service_minor, total_minor) VALUES (?, ?, ?, ?, ?, ?, ?, 'OPEN', ?, ?, ?, ?, ?) "
            + "ON CONFLICT (bill_id) DO NOTHING")) {
      ps.setString(1, spec.billId());
      ps.setString(2, venue);
      ps.setString(3, VenueIds.localOf(spec.tableId()));
      ps.setString(4, spec.orderId());
      ps.setString(5, spec.waiter());
      ps.setDate(6, Date.valueOf(businessDays.of(venue).of(e.at())));
      ps.setTimestamp(7, Timestamp.from(e.at()));
      ps.setInt(8, spec.part());
      ps.setInt(9, spec.parts());
      ps.setLong(10, spec.subtotalMinor());
      ps.setLong(11, service);
      ps.setLong(12, spec.subtotalMinor() + service);
      ps.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO report_bill_lines (bill_id, venue_id, line_id, sku, name, stall_id, qty, unit_price_minor, amount_minor, "
            + "gross_minor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
      List<Long> gross = spec.lines().isEmpty() ? List.of()
          : Money.allocate(spec.subtotalMinor(), spec.lines().stream().map(BillLine::amountMinor).toList());
      int i = 0;
      for (BillLine l : spec.lines()) {
        ps.setString(1, spec.billId());
        ps.setString(2, venue);
        ps.setString(3, lineId(l.lineId()));
        ps.setString(4, l.sku());
        ps.setString(5, l.name());
        ps.setString(6, l.stallId());
        ps.setInt(7, l.qty());
        ps.setLong(8, l.unitPriceMinor());
        ps.setLong(9, l.amountMinor());
        ps.setLong(10, gross.get(i++));
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** A line merged in from another table is {@code <fromTable>_<lineId>}: {@code A3_l1}, also at a venue whose tables are {@code V2.A3}. */
  static String lineId(String lineId) {
    return VenueIds.localOf(lineId);
  }

  private static void totals(Connection c, String billId, Bill.BillTotals t) throws SQLException {
    if (t == null) return;
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE report_bills SET subtotal_minor = ?, discount_minor = ?, service_minor = ?, total_minor = ? WHERE bill_id = ?")) {
      ps.setLong(1, t.subtotalMinor());
      ps.setLong(2, t.discountMinor());
      ps.setLong(3, t.serviceChargeMinor());
      ps.setLong(4, t.totalMinor());
      ps.setString(5, billId);
      ps.executeUpdate();
    }
  }

  private static void paymentRecorded(Connection c, Bill.PaymentRecorded e) throws SQLException {
    Bill.Payment p = e.payment();
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO report_payments (payment_id, venue_id, bill_id, method, amount_minor, tendered_minor, change_minor, "
            + "status, member_id, created_at, finished_at, taken_by, terminal_id, terminal_ref, card_last4) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            + "ON CONFLICT DO NOTHING")) {
      ps.setString(1, p.paymentId());
      ps.setString(2, VenueIds.venueOf(e.billId()));
      ps.setString(3, e.billId());
      ps.setString(4, p.method().name());
      ps.setLong(5, p.amountMinor());
      ps.setLong(6, p.tenderedMinor());
      ps.setLong(7, p.changeMinor());
      ps.setString(8, p.status().name());
      ps.setString(9, p.memberId() == null ? null : VenueIds.localOf(p.memberId()));
      ps.setTimestamp(10, Timestamp.from(p.at()));
      ps.setTimestamp(11, p.finishedAt() == null ? null : Timestamp.from(p.finishedAt()));
      ps.setString(12, p.takenBy());
      ps.setString(13, p.terminal() == null ? null : p.terminal().terminalId());
      ps.setString(14, p.terminal() == null ? null : p.terminal().terminalRef());
      ps.setString(15, p.terminal() == null ? null : p.terminal().cardLast4());
      ps.executeUpdate();
    }
    if (p.status() == Bill.PaymentStatus.SUCCEEDED) addMoney(c, e.billId(), "paid_minor", p.amountMinor());
  }

  private static void paymentSettled(Connection c, Bill.PaymentSettled e) throws SQLException {
    long amount;
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE report_payments SET status = ?, gateway_txn_id = ?, finished_at = ? WHERE payment_id = ? AND status = 'PENDING' "
            + "RETURNING amount_minor")) {
      ps.setString(1, e.status().name());
      ps.setString(2, e.gatewayTxnId());
      ps.setTimestamp(3, Timestamp.from(e.at()));
      ps.setString(4, e.paymentId());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) return;
        amount = rs.getLong(1);
      }
    }
    if (e.status() == Bill.PaymentStatus.SUCCEEDED) addMoney(c, e.billId(), "paid_minor", amount);
  }

  private static void refundRecorded(Connection c, Bill.RefundRecorded e) throws SQLException {
    Bill.RefundEntry r = e.refund();
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO report_refunds (refund_id, venue_id, payment_id, bill_id, method, amount_minor, status, reason, "
            + "created_at, finished_at, taken_by, terminal_id, terminal_ref) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            + "ON CONFLICT DO NOTHING")) {
      ps.setString(1, r.refundId());
      ps.setString(2, VenueIds.venueOf(e.billId()));
      ps.setString(3, r.paymentId());
      ps.setString(4, e.billId());
      ps.setString(5, r.method().name());
      ps.setLong(6, r.amountMinor());
      ps.setString(7, r.status().name());
      ps.setString(8, r.reason());
      ps.setTimestamp(9, Timestamp.from(r.at()));
      ps.setTimestamp(10, r.finishedAt() == null ? null : Timestamp.from(r.finishedAt()));
      ps.setString(11, r.takenBy());
      ps.setString(12, r.terminal() == null ? null : r.terminal().terminalId());
      ps.setString(13, r.terminal() == null ? null : r.terminal().terminalRef());
      ps.executeUpdate();
    }
    if (r.status() == Bill.RefundStatus.SUCCEEDED) addMoney(c, e.billId(), "refunded_minor", r.amountMinor());
  }

  private static void refundSettled(Connection c, Bill.RefundSettled e) throws SQLException {
    long amount;
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE report_refunds SET status = ?, finished_at = ? WHERE refund_id = ? AND status = 'PENDING' RETURNING amount_minor")) {
      ps.setString(1, e.succeeded() ? "SUCCEEDED" : "FAILED");
      ps.setTimestamp(2, Timestamp.from(e.at()));
      ps.setString(3, e.refundId());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) return;
        amount = rs.getLong(1);
      }
    }
    if (e.succeeded()) addMoney(c, e.billId(), "refunded_minor", amount);
  }

  private static void lineRemoved(Connection c, Bill.LineRemoved e) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE report_bill_lines SET voided = TRUE WHERE bill_id = ? AND line_id = ?")) {
      ps.setString(1, e.billId());
      ps.setString(2, lineId(e.lineId()));
      ps.executeUpdate();
    }
    totals(c, e.billId(), e.totals());
    allocate(c, e.billId());
  }

  private static void settled(Connection c, Bill.Settled e) throws SQLException {
    totals(c, e.billId(), e.totals());
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE report_bills SET settled_at = ?, status = CASE WHEN paid_minor = 0 AND subtotal_minor = 0 THEN 'VOIDED' ELSE 'PAID' END "
            + "WHERE bill_id = ?")) {
      ps.setTimestamp(1, Timestamp.from(e.at()));
      ps.setString(2, e.billId());
      ps.executeUpdate();
    }
  }

  private static void addMoney(Connection c, String billId, String column, long amount) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE report_bills SET " + column + " = " + column + " + ?, "
        + "status = CASE WHEN settled_at IS NOT NULL THEN status WHEN paid_minor - refunded_minor + "
        + (column.equals("paid_minor") ? "?" : "-?") + " > 0 THEN 'PARTIALLY_PAID' ELSE 'OPEN' END WHERE bill_id = ?")) {
      ps.setLong(1, amount);
      ps.setLong(2, amount);
      ps.setString(3, billId);
      ps.executeUpdate();
    }
    allocate(c, billId);
  }

  /** Splits what the bill kept over its lines in proportion to their amounts; the shares sum to it exactly. */
  static void allocate(Connection c, String billId) throws SQLException {
    long kept;
    try (PreparedStatement ps = c.prepareStatement("SELECT paid_minor - refunded_minor FROM report_bills WHERE bill_id = ?")) {
      ps.setString(1, billId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) return;
        kept = rs.getLong(1);
      }
    }
    List<String> ids = new ArrayList<>();
    List<Long> weights = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT line_id, CASE WHEN voided THEN 0 ELSE amount_minor END FROM report_bill_lines WHERE bill_id = ? ORDER BY line_id")) {
      ps.setString(1, billId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
          weights.add(rs.getLong(2));
        }
      }
    }
    if (ids.isEmpty()) return;
    List<Long> shares = Money.allocate(kept, weights);
    try (PreparedStatement ps = c.prepareStatement("UPDATE report_bill_lines SET net_minor = ? WHERE bill_id = ? AND line_id = ?")) {
      for (int i = 0; i < ids.size(); i++) {
        ps.setLong(1, shares.get(i));
        ps.setString(2, billId);
        ps.setString(3, ids.get(i));
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }
}
