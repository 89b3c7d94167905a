package io.orderengine.projections;

import io.orderengine.engine.VenueIds;
import io.orderengine.engine.shift.Shift;
import io.orderengine.engine.usecase.CashDrawer;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;

/**
 * The cash a cashier's shift closes against, from the books: tenders taken and refunds given in
 * cash, and members' top-ups paid in cash, by the shift's people between its opening and its close (projections/README.md, "Cashier
 * shifts"; example 11 counts the same by person and day). The cash drawer reads them through its
 * {@link CashDrawer.Books} port, on the blocking executor; the queries themselves block.
 */
public final class CashierBooks implements CashDrawer.Books {
  /** How long a close waits for the books to catch up with the journal before it answers 503. */
  private static final long CATCH_UP_MILLIS = 5_000;

  public record Cash(long takenMinor, long refundedMinor) {}

  private final DataSource dataSource;
  private final ProjectionLag lag;
  private final Executor blocking;

  public CashierBooks(DataSource dataSource, ProjectionLag lag, Executor blocking) {
    this.dataSource = dataSource;
    this.lag = lag;
    this.blocking = blocking;
  }

  /** The shift's people's cash until {@code until}, once the books hold every tender the journal does. */
  @Override
  public CompletionStage<CashDrawer.CashTaken> cashOf(Shift.View shift, Instant until) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        if (!awaitCaughtUp(CATCH_UP_MILLIS)) {
          throw new CompletionException(new TimeoutException("the books are still catching up with the journal"));
        }
        Cash cash = cash(VenueIds.venueOf(shift.shiftId()), List.of(shift.cashier(), shift.openedBy()), shift.openedAt(), until);
        return new CashDrawer.CashTaken(cash.takenMinor(), cash.refundedMinor());
      } catch (SQLException e) {
        throw new CompletionException(e);
      }
    }, blocking);
  }

  /** Waits (up to {@code maxMillis}) until the books (the sales projection) have caught up with the journal. */
  public boolean awaitCaughtUp(long maxMillis) throws SQLException {
    long deadline = System.currentTimeMillis() + maxMillis;
    return lag.awaitCaughtUp(SalesProjection.NAME, maxMillis)
        && lag.awaitCaughtUp(MemberProjection.NAME, Math.max(0, deadline - System.currentTimeMillis()));
  }

  /**
   * Cash taken and given back at {@code venueId} by any of {@code who} between two instants. Names
   * are a venue's own (two venues may both have a cashier Li): only the shift's venue's cash counts.
   */
  public Cash cash(String venueId, List<String> who, Instant from, Instant to) throws SQLException {
    String sql = "SELECT (SELECT COALESCE(SUM(amount_minor), 0) FROM report_payments WHERE venue_id = ? AND method = 'CASH' "
        + "AND status = 'SUCCEEDED' AND taken_by = ANY (?) AND created_at >= ? AND created_at <= ?), "
        + "(SELECT COALESCE(SUM(amount_minor), 0) FROM report_refunds WHERE venue_id = ? AND method = 'CASH' "
        + "AND status = 'SUCCEEDED' AND taken_by = ANY (?) AND created_at >= ? AND created_at <= ?), "
        // members' stored value bought with cash at the till
        + "(SELECT COALESCE(SUM(amount_minor), 0) FROM report_member_movements WHERE venue_id = ? AND kind = 'TOP_UP' "
        + "AND method = 'CASH' AND taken_by = ANY (?) AND at >= ? AND at <= ?)";
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      Array names = c.createArrayOf("text", who.toArray());
      for (int i = 0; i < 3; i++) {
        ps.setString(1 + 4 * i, venueId);
        ps.setArray(2 + 4 * i, names);
        ps.setTimestamp(3 + 4 * i, Timestamp.from(from));
        ps.setTimestamp(4 + 4 * i, Timestamp.from(to));
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new Cash(rs.getLong(1) + rs.getLong(3), rs.getLong(2));
      }
    }
  }
}
