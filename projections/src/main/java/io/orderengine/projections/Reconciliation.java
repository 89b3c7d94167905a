package io.orderengine.projections;

import io.orderengine.engine.VenueIds;
import io.orderengine.engine.payment.StatementLine;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The engine's books against a gateway's statement (对账单) for a day
 * ({@code GET /api/v1/reports/reconciliation}; projections/README.md, "Reconciliation", shows the
 * books side in SQL). Nothing is stored. Blocking.
 */
public final class Reconciliation {
  public record Mismatch(String gatewayTradeNo, String kind, Long engineMinor, Long gatewayMinor, String engineStatus) {}

  public record Result(String date, String provider, int matched, List<Mismatch> mismatches) {}

  /** A tender as the engine's books hold it. */
  private record Booked(String status, long amountMinor, long refundedMinor) {}

  private final DataSource dataSource;
  private final BusinessDays businessDays;

  public Reconciliation(DataSource dataSource, BusinessDays businessDays) {
    this.dataSource = dataSource;
    this.businessDays = businessDays;
  }

  /**
   * Every trade the gateway settled must be a succeeded payment (a bill's tender, or a member's top-up)
   * of the same amount and refunds, and the other way round. {@code date} is the calendar date in the venue's time zone. A merchant
   * account several venues share has one statement for all of them; each venue reconciles the trades
   * it made (a trade number is a payment id, which names its venue). A card taken on a standalone
   * terminal never went through the gateway: it is checked against the terminal's slip instead
   * ({@link CardTerminals}).
   */
  public Result reconcile(String venueId, LocalDate date, String method, List<StatementLine> allVenues) throws SQLException {
    String zone = businessDays.of(venueId).zone().getId();
    List<StatementLine> statement = allVenues.stream().filter(l -> VenueIds.belongsTo(l.tradeNo(), venueId)).toList();
    Map<String, Booked> books = new LinkedHashMap<>();
    String sql = "SELECT p.payment_id, p.status, p.amount_minor, COALESCE((SELECT SUM(r.amount_minor) FROM report_refunds r "
        + "WHERE r.payment_id = p.payment_id AND r.status = 'SUCCEEDED'), 0) FROM report_payments p "
        + "WHERE p.venue_id = ? AND p.method = ? AND p.terminal_ref IS NULL AND ((p.status = 'SUCCEEDED' AND (p.finished_at AT TIME ZONE '" + zone + "')::date = ?) "
        + "OR p.payment_id = ANY (?))"
        // members' top-ups paid through the gateway: credited once the payment succeeded, never refunded
        + " UNION ALL SELECT m.payment_id, 'SUCCEEDED', m.amount_minor, 0 FROM report_member_movements m "
        + "WHERE m.venue_id = ? AND m.kind = 'TOP_UP' AND UPPER(m.method) = ? AND m.payment_id IS NOT NULL "
        + "AND m.terminal_ref IS NULL AND ((m.at AT TIME ZONE '" + zone + "')::date = ? OR m.payment_id = ANY (?))";
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      java.sql.Array tradeNos = c.createArrayOf("text", statement.stream().map(l -> l.tradeNo()).toArray());
      for (int i = 0; i < 2; i++) {
        ps.setString(1 + 4 * i, venueId);
        ps.setString(2 + 4 * i, method);
        ps.setDate(3 + 4 * i, Date.valueOf(date));
        ps.setArray(4 + 4 * i, tradeNos);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) books.put(rs.getString(1), new Booked(rs.getString(2), rs.getLong(3), rs.getLong(4)));
      }
    }
    int matched = 0;
    List<Mismatch> mismatches = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (StatementLine line : statement) {
      seen.add(line.tradeNo());
      Booked b = books.get(line.tradeNo());
      if (b == null) {
        mismatches.add(new Mismatch(line.tradeNo(), "MISSING_IN_ENGINE", null, line.amountMinor(), null));
      } else if (!b.status().equals("SUCCEEDED")) {
        mismatches.add(new Mismatch(line.tradeNo(), "STATUS", b.amountMinor(), line.amountMinor(), b.status()));
      } else if (b.amountMinor() != line.amountMinor()) {
        mismatches.add(new Mismatch(line.tradeNo(), "AMOUNT", b.amountMinor(), line.amountMinor(), b.status()));
      } else if (b.refundedMinor() != line.refundedMinor()) {
        mismatches.add(new Mismatch(line.tradeNo(), "REFUND_AMOUNT", b.refundedMinor(), line.refundedMinor(), b.status()));
      } else {
        matched++;
      }
    }
    books.forEach((tradeNo, b) -> {
      if (!seen.contains(tradeNo) && b.status().equals("SUCCEEDED")) {
        mismatches.add(new Mismatch(tradeNo, "MISSING_AT_GATEWAY", b.amountMinor(), null, b.status()));
      }
    });
    return new Result(date.toString(), method.toLowerCase(Locale.ROOT), matched, mismatches);
  }
}
