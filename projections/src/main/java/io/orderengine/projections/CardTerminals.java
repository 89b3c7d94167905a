package io.orderengine.projections;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * What each of a venue's standalone card terminals (POS机) should show on its settlement slip (结算单)
 * for a business day, from the books: the cards taken on it (for bills and for members' top-ups) and the
 * refunds made on it, counted and
 * summed, so the cashier can check the one against the other ({@code GET /api/v1/reports/card-terminals};
 * projections/README.md, "Card terminals"). A terminal settles its batch once a day, at close, so the
 * day is the venue's business day of the moment the money moved, not the bill's. Refunds the engine
 * gave back in cash for such a card are the drawer's, not the terminal's, and are not here. Blocking.
 */
public final class CardTerminals {

  /** {@code terminalId} null: cards taken on a terminal the cashier did not name. */
  public record Row(String terminalId, long payments, long paymentsMinor, long refunds, long refundsMinor, long netMinor) {}

  private static final String SQL = "SELECT t.terminal_id, SUM(t.payments), SUM(t.paid), SUM(t.refunds), SUM(t.back) FROM ("
      + " SELECT p.terminal_id, 1 AS payments, p.amount_minor AS paid, 0 AS refunds, 0 AS back FROM report_payments p"
      + " WHERE p.venue_id = ? AND p.method = 'CARD' AND p.terminal_ref IS NOT NULL AND p.status = 'SUCCEEDED'"
      + " AND p.created_at >= ? AND p.created_at < ?"
      + " UNION ALL"
      + " SELECT r.terminal_id, 0, 0, 1, r.amount_minor FROM report_refunds r JOIN report_payments p ON p.payment_id = r.payment_id"
      + " WHERE r.venue_id = ? AND r.method = 'CARD' AND p.terminal_ref IS NOT NULL AND r.status = 'SUCCEEDED'"
      + " AND r.created_at >= ? AND r.created_at < ?"
      // members' stored value bought with a card on the terminal
      + " UNION ALL"
      + " SELECT m.terminal_id, 1, m.amount_minor, 0, 0 FROM report_member_movements m"
      + " WHERE m.venue_id = ? AND m.kind = 'TOP_UP' AND m.terminal_ref IS NOT NULL AND m.at >= ? AND m.at < ?"
      + ") t GROUP BY t.terminal_id ORDER BY t.terminal_id NULLS FIRST";

  private final DataSource dataSource;
  private final BusinessDays businessDays;

  public CardTerminals(DataSource dataSource, BusinessDays businessDays) {
    this.dataSource = dataSource;
    this.businessDays = businessDays;
  }

  /** One row per terminal that took or refunded a card at {@code venueId} on business day {@code date}, by terminal id. */
  public List<Row> forDay(String venueId, LocalDate date) throws SQLException {
    BusinessDay day = businessDays.of(venueId);
    Timestamp from = Timestamp.from(day.startOf(date));
    Timestamp to = Timestamp.from(day.startOf(date.plusDays(1)));
    List<Row> rows = new ArrayList<>();
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SQL)) {
      for (int i = 0; i < 3; i++) {
        ps.setString(1 + 3 * i, venueId);
        ps.setTimestamp(2 + 3 * i, from);
        ps.setTimestamp(3 + 3 * i, to);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long paid = rs.getLong(3);
          long back = rs.getLong(5);
          rows.add(new Row(rs.getString(1), rs.getLong(2), paid, rs.getLong(4), back, paid - back));
        }
      }
    }
    return rows;
  }
}
