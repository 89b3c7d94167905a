package io.orderengine.projections;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;

/**
 * The cash a cashier's shift closes against, from the books: tenders taken and refunds given in
 * cash by the shift's people between its opening and its close (projections/README.md, "Cashier
 * shifts"; example 11 counts the same by person and day). Blocking.
 */
public final class CashierBooks {
  public record Cash(long takenMinor, long refundedMinor) {}

  private final DataSource dataSource;
  private final ProjectionLag lag;

  public CashierBooks(DataSource dataSource, ProjectionLag lag) {
    this.dataSource = dataSource;
    this.lag = lag;
  }

  /** Waits (up to {@code maxMillis}) until the books (the sales projection) have caught up with the journal. */
  public boolean awaitCaughtUp(long maxMillis) throws SQLException {
    return lag.awaitCaughtUp(SalesProjection.NAME, maxMillis);
  }

  /** Cash taken and given back by any of {@code who} between two instants. */
  public Cash cash(List<String> who, Instant from, Instant to) throws SQLException {
    String sql = "SELECT (SELECT COALESCE(SUM(amount_minor), 0) FROM report_payments WHERE method = 'CASH' AND status = 'SUCCEEDED' "
        + "AND taken_by = ANY (?) AND created_at >= ? AND created_at <= ?), "
        + "(SELECT COALESCE(SUM(amount_minor), 0) FROM report_refunds WHERE method = 'CASH' AND status = 'SUCCEEDED' "
        + "AND taken_by = ANY (?) AND created_at >= ? AND created_at <= ?)";
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      Array names = c.createArrayOf("text", who.toArray());
      for (int i = 0; i < 2; i++) {
        ps.setArray(1 + 3 * i, names);
        ps.setTimestamp(2 + 3 * i, Timestamp.from(from));
        ps.setTimestamp(3 + 3 * i, Timestamp.from(to));
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new Cash(rs.getLong(1), rs.getLong(2));
      }
    }
  }
}
