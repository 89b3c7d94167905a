package io.orderengine.projections;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * A venue's sales over a range of its business days, grouped by day, hour, item, stall, method or waiter
 * ({@code GET /api/v1/reports/sales}). Every grouping's {@code net} is what the bills kept
 * (succeeded tenders less succeeded refunds), so sales by method, by item, by stall, by day and by
 * hour all sum to the same takings, to the fen. The SQL is documented for analysts in
 * projections/README.md, "The sales report". Blocking: call it off the actors' threads.
 */
public final class SalesReport {
  public enum GroupBy {
    DAY,
    HOUR,
    ITEM,
    STALL,
    METHOD,
    WAITER
  }

  public record Row(String key, long bills, long grossMinor, long discountMinor, long netMinor, long refundsMinor) {}

  private final DataSource dataSource;
  private final BusinessDays businessDays;

  public SalesReport(DataSource dataSource, BusinessDays businessDays) {
    this.dataSource = dataSource;
    this.businessDays = businessDays;
  }

  /** The rows of {@code venueId}'s bills only: another venue's tables, dishes and stalls may have the same names. */
  public List<Row> rows(String venueId, LocalDate from, LocalDate to, GroupBy groupBy) throws SQLException {
    String zone = businessDays.of(venueId).zone().getId();
    String sql = switch (groupBy) {
      case DAY, HOUR, WAITER -> {
        String key = switch (groupBy) {
          case DAY -> "to_char(b.business_date, 'YYYY-MM-DD')";
          case HOUR -> "to_char(b.opened_at AT TIME ZONE '" + zone + "', 'HH24')";
          default -> "COALESCE(b.waiter, '')";
        };
        yield "SELECT " + key + " AS k, COUNT(*), SUM(b.subtotal_minor), SUM(b.discount_minor), "
            + "SUM(b.paid_minor - b.refunded_minor), SUM(b.refunded_minor) FROM report_bills b "
            + "WHERE b.venue_id = ? AND b.business_date BETWEEN ? AND ? AND b.paid_minor > 0 GROUP BY k ORDER BY k";
      }
      case ITEM, STALL -> {
        String key = groupBy == GroupBy.ITEM ? "l.sku" : "l.stall_id";
        yield "SELECT " + key + " AS k, COUNT(DISTINCT l.bill_id), SUM(CASE WHEN l.voided THEN 0 ELSE l.gross_minor END), "
            + "SUM(CASE WHEN l.voided THEN 0 ELSE l.gross_minor END) - SUM(l.net_minor), SUM(l.net_minor), 0 "
            + "FROM report_bill_lines l JOIN report_bills b ON b.bill_id = l.bill_id "
            + "WHERE b.venue_id = ? AND b.business_date BETWEEN ? AND ? AND b.paid_minor > 0 GROUP BY k ORDER BY k";
      }
      case METHOD -> "SELECT m.method AS k, COUNT(DISTINCT m.bill_id), SUM(m.taken), 0, SUM(m.taken) - SUM(m.back), SUM(m.back) "
          + "FROM (SELECT p.method, p.bill_id, p.amount_minor AS taken, 0 AS back FROM report_payments p "
          + "      JOIN report_bills b ON b.bill_id = p.bill_id "
          + "      WHERE p.status = 'SUCCEEDED' AND b.venue_id = ? AND b.business_date BETWEEN ? AND ? "
          + "      UNION ALL "
          + "      SELECT r.method, r.bill_id, 0, r.amount_minor FROM report_refunds r "
          + "      JOIN report_bills b ON b.bill_id = r.bill_id "
          + "      WHERE r.status = 'SUCCEEDED' AND b.venue_id = ? AND b.business_date BETWEEN ? AND ?) m "
          + "GROUP BY k ORDER BY k";
    };
    List<Row> rows = new ArrayList<>();
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < (groupBy == GroupBy.METHOD ? 2 : 1); i++) {
        ps.setString(1 + 3 * i, venueId);
        ps.setDate(2 + 3 * i, Date.valueOf(from));
        ps.setDate(3 + 3 * i, Date.valueOf(to));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(new Row(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6)));
        }
      }
    }
    return rows;
  }
}
