package io.orderengine.projections;

import io.orderengine.engine.Money;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The queries behind the report endpoints, over the report tables. Every grouping's {@code net}
 * is what the bills kept (succeeded tenders less succeeded refunds), so sales by method, by item,
 * by stall, by day and by hour all sum to the same takings, to the fen. Blocking: call it off the
 * actors' threads.
 */
public final class Reports {
  public enum GroupBy {
    DAY,
    HOUR,
    ITEM,
    STALL,
    METHOD,
    WAITER
  }

  public record SalesRow(String key, long bills, long grossMinor, long discountMinor, long netMinor, long refundsMinor) {}

  public record StallRow(String stallId, long netMinor, int commissionPercent, long commissionMinor, long payableMinor) {}

  public record LagRow(String name, double lagSeconds, long pendingEvents) {}

  private final DataSource dataSource;
  private final BusinessDay businessDay;

  public Reports(DataSource dataSource, BusinessDay businessDay) {
    this.dataSource = dataSource;
    this.businessDay = businessDay;
  }

  public LocalDate today() {
    return businessDay.of(Instant.now());
  }

  public List<SalesRow> sales(LocalDate from, LocalDate to, GroupBy groupBy) throws SQLException {
    String zone = businessDay.zone().getId();
    String sql = switch (groupBy) {
      case DAY, HOUR, WAITER -> {
        String key = switch (groupBy) {
          case DAY -> "to_char(b.business_date, 'YYYY-MM-DD')";
          case HOUR -> "to_char(b.opened_at AT TIME ZONE '" + zone + "', 'HH24')";
          default -> "COALESCE(b.waiter, '')";
        };
        yield "SELECT " + key + " AS k, COUNT(*), SUM(b.subtotal_minor), SUM(b.discount_minor), "
            + "SUM(b.paid_minor - b.refunded_minor), SUM(b.refunded_minor) FROM report_bills b "
            + "WHERE b.business_date BETWEEN ? AND ? AND b.paid_minor > 0 GROUP BY k ORDER BY k";
      }
      case ITEM, STALL -> {
        String key = groupBy == GroupBy.ITEM ? "l.sku" : "l.stall_id";
        yield "SELECT " + key + " AS k, COUNT(DISTINCT l.bill_id), SUM(CASE WHEN l.voided THEN 0 ELSE l.gross_minor END), "
            + "SUM(CASE WHEN l.voided THEN 0 ELSE l.gross_minor END) - SUM(l.net_minor), SUM(l.net_minor), 0 "
            + "FROM report_bill_lines l JOIN report_bills b ON b.bill_id = l.bill_id "
            + "WHERE b.business_date BETWEEN ? AND ? AND b.paid_minor > 0 GROUP BY k ORDER BY k";
      }
      case METHOD -> "SELECT m.method AS k, COUNT(DISTINCT m.bill_id), SUM(m.taken), 0, SUM(m.taken) - SUM(m.back), SUM(m.back) "
          + "FROM (SELECT p.method, p.bill_id, p.amount_minor AS taken, 0 AS back FROM report_payments p "
          + "      JOIN report_bills b ON b.bill_id = p.bill_id WHERE p.status = 'SUCCEEDED' AND b.business_date BETWEEN ? AND ? "
          + "      UNION ALL "
          + "      SELECT r.method, r.bill_id, 0, r.amount_minor FROM report_refunds r "
          + "      JOIN report_bills b ON b.bill_id = r.bill_id WHERE r.status = 'SUCCEEDED' AND b.business_date BETWEEN ? AND ?) m "
          + "GROUP BY k ORDER BY k";
    };
    List<SalesRow> rows = new ArrayList<>();
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setDate(1, Date.valueOf(from));
      ps.setDate(2, Date.valueOf(to));
      if (groupBy == GroupBy.METHOD) {
        ps.setDate(3, Date.valueOf(from));
        ps.setDate(4, Date.valueOf(to));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(new SalesRow(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6)));
        }
      }
    }
    return rows;
  }

  /** What the venue owes each stall for a day: its dishes' takings less the venue's commission. */
  public List<StallRow> stallSettlement(LocalDate date, Map<String, Integer> commissionPercent) throws SQLException {
    Map<String, Long> net = new LinkedHashMap<>();
    commissionPercent.keySet().stream().sorted().forEach(stall -> net.put(stall, 0L));
    for (SalesRow r : sales(date, date, GroupBy.STALL)) net.put(r.key(), r.netMinor());
    List<StallRow> rows = new ArrayList<>();
    net.forEach((stall, amount) -> {
      int pct = commissionPercent.getOrDefault(stall, 0);
      long commission = Money.percentOf(amount, pct);
      rows.add(new StallRow(stall, amount, pct, commission, amount - commission));
    });
    return rows;
  }

  /**
   * How fast a station cooked on a business day: dishes fired, how many reached the pass, the
   * seconds from fire to ready (mean, median, 90th percentile, worst), and what still waits now.
   */
  public record KitchenTimeRow(String stationId, long linesFired, long linesReady, Double meanSecondsToReady,
      Double medianSecondsToReady, Double p90SecondsToReady, Double maxSecondsToReady, long waitingNow,
      Double oldestWaitingSeconds) {}

  public List<KitchenTimeRow> kitchenTimes(LocalDate date) throws SQLException {
    Instant from = businessDay.startOf(date);
    Instant to = businessDay.startOf(date.plusDays(1));
    String sql = "SELECT station_id, COUNT(*) FILTER (WHERE status <> 'VOIDED'), COUNT(ready_at), "
        + "AVG(EXTRACT(EPOCH FROM ready_at - fired_at)), "
        + "percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM ready_at - fired_at)), "
        + "percentile_cont(0.9) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM ready_at - fired_at)), "
        + "MAX(EXTRACT(EPOCH FROM ready_at - fired_at)), "
        + "COUNT(*) FILTER (WHERE status = 'FIRED'), "
        + "EXTRACT(EPOCH FROM now() - MIN(fired_at) FILTER (WHERE status = 'FIRED')) "
        + "FROM kitchen_ticket_lines WHERE fired_at >= ? AND fired_at < ? GROUP BY station_id ORDER BY station_id";
    List<KitchenTimeRow> rows = new ArrayList<>();
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setTimestamp(1, java.sql.Timestamp.from(from));
      ps.setTimestamp(2, java.sql.Timestamp.from(to));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(new KitchenTimeRow(rs.getString(1), rs.getLong(2), rs.getLong(3), seconds(rs, 4), seconds(rs, 5),
              seconds(rs, 6), seconds(rs, 7), rs.getLong(8), seconds(rs, 9)));
        }
      }
    }
    return rows;
  }

  public record AuditRow(Instant at, String who, String role, String approvedBy, String action, String method,
      String path, int status, String code, String requestId) {}

  /** The audit trail of a business day, newest first, optionally for one person or one action. */
  public List<AuditRow> audit(LocalDate date, String who, String action, int limit) throws SQLException {
    Instant from = businessDay.startOf(date);
    Instant to = businessDay.startOf(date.plusDays(1));
    String sql = "SELECT at, who, role, approved_by, action, method, path, status, code, request_id FROM audit_log "
        + "WHERE at >= ? AND at < ? AND (?::text IS NULL OR who = ?) AND (?::text IS NULL OR action = ?) "
        + "ORDER BY at DESC, trail_id, seq DESC LIMIT ?";
    List<AuditRow> rows = new ArrayList<>();
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setTimestamp(1, java.sql.Timestamp.from(from));
      ps.setTimestamp(2, java.sql.Timestamp.from(to));
      ps.setString(3, who);
      ps.setString(4, who);
      ps.setString(5, action);
      ps.setString(6, action);
      ps.setInt(7, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(new AuditRow(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3), rs.getString(4),
              rs.getString(5), rs.getString(6), rs.getString(7), rs.getInt(8), rs.getString(9), rs.getString(10)));
        }
      }
    }
    return rows;
  }

  private static Double seconds(ResultSet rs, int column) throws SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() ? null : Math.round(v * 10) / 10.0;
  }

  public record Cash(long takenMinor, long refundedMinor) {}

  public record Mismatch(String gatewayTradeNo, String kind, Long engineMinor, Long gatewayMinor, String engineStatus) {}

  public record Reconciliation(String date, String provider, int matched, List<Mismatch> mismatches) {}

  /** A tender as the engine's books hold it, for reconciliation. */
  private record Booked(String status, long amountMinor, long refundedMinor) {}

  /**
   * The engine's books against the gateway's statement for a day: every trade the gateway settled
   * must be a succeeded payment of the same amount and refunds, and the other way round.
   */
  public Reconciliation reconcile(LocalDate date, String method, List<io.orderengine.engine.payment.StatementLine> statement)
      throws SQLException {
    String zone = businessDay.zone().getId();
    Map<String, Booked> books = new LinkedHashMap<>();
    String sql = "SELECT p.payment_id, p.status, p.amount_minor, COALESCE((SELECT SUM(r.amount_minor) FROM report_refunds r "
        + "WHERE r.payment_id = p.payment_id AND r.status = 'SUCCEEDED'), 0) FROM report_payments p "
        + "WHERE p.method = ? AND ((p.status = 'SUCCEEDED' AND (p.finished_at AT TIME ZONE '" + zone + "')::date = ?) "
        + "OR p.payment_id = ANY (?))";
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, method);
      ps.setDate(2, Date.valueOf(date));
      ps.setArray(3, c.createArrayOf("text", statement.stream().map(l -> l.tradeNo()).toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) books.put(rs.getString(1), new Booked(rs.getString(2), rs.getLong(3), rs.getLong(4)));
      }
    }
    int matched = 0;
    List<Mismatch> mismatches = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (io.orderengine.engine.payment.StatementLine line : statement) {
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
    return new Reconciliation(date.toString(), method.toLowerCase(java.util.Locale.ROOT), matched, mismatches);
  }

  /** Cash taken and given back by any of {@code who} between two instants, from the books. */
  public Cash cash(List<String> who, Instant from, Instant to) throws SQLException {
    String sql = "SELECT (SELECT COALESCE(SUM(amount_minor), 0) FROM report_payments WHERE method = 'CASH' AND status = 'SUCCEEDED' "
        + "AND taken_by = ANY (?) AND created_at >= ? AND created_at <= ?), "
        + "(SELECT COALESCE(SUM(amount_minor), 0) FROM report_refunds WHERE method = 'CASH' AND status = 'SUCCEEDED' "
        + "AND taken_by = ANY (?) AND created_at >= ? AND created_at <= ?)";
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      java.sql.Array names = c.createArrayOf("text", who.toArray());
      for (int i = 0; i < 2; i++) {
        ps.setArray(1 + 3 * i, names);
        ps.setTimestamp(2 + 3 * i, java.sql.Timestamp.from(from));
        ps.setTimestamp(3 + 3 * i, java.sql.Timestamp.from(to));
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new Cash(rs.getLong(1), rs.getLong(2));
      }
    }
  }

  /** Waits (up to {@code maxMillis}) until the sales projections have caught up with the journal. */
  public boolean awaitSalesCaughtUp(long maxMillis) throws SQLException {
    long deadline = System.currentTimeMillis() + maxMillis;
    List<String> names = new ArrayList<>();
    List<String> tags = new ArrayList<>();
    for (int i = 0; i < Projections.names().size(); i++) {
      if (Projections.names().get(i).equals(SalesProjection.NAME)) {
        names.add(SalesProjection.NAME);
        tags.add(Projections.tags().get(i));
      }
    }
    while (true) {
      boolean behind = projectionLag(names, tags).stream().anyMatch(r -> r.pendingEvents() > 0);
      if (!behind) return true;
      if (System.currentTimeMillis() > deadline) return false;
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  /** How many events the journal holds: every write the engine ever made. */
  public long journalEvents() throws SQLException {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT COALESCE(MAX(ordering), 0) FROM event_journal"); ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Pending events are counted up to this many; a projection further behind shows this number. */
  public static final int LAG_COUNT_CAP = 10_000;

  /**
   * How far each projection instance is behind the journal: the age of its oldest event not yet
   * projected, and how many are pending (at most {@value #LAG_COUNT_CAP}). Each instance costs two
   * index range scans over its own tag's pending events (event_tag's (tag, event_id) index), never
   * a pass over the journal: /metrics asks this every few seconds on a busy node.
   */
  public List<LagRow> projectionLag(List<String> projections, List<String> tags) throws SQLException {
    String offset = "COALESCE((SELECT CAST(o.current_offset AS BIGINT) FROM pekko_projection_offset_store o "
        + "WHERE o.projection_name = ? AND o.projection_key = ?), 0)";
    String sql = "SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM event_tag t WHERE t.tag = ? AND t.event_id > " + offset
        + " LIMIT " + LAG_COUNT_CAP + ") pending), "
        + "(SELECT e.write_timestamp FROM event_tag t JOIN event_journal e ON e.ordering = t.event_id "
        + "WHERE t.tag = ? AND t.event_id > " + offset + " ORDER BY t.event_id LIMIT 1)";
    List<LagRow> rows = new ArrayList<>();
    long now = System.currentTimeMillis();
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < projections.size(); i++) {
        for (int first : new int[] {1, 4}) {
          ps.setString(first, tags.get(i));
          ps.setString(first + 1, projections.get(i));
          ps.setString(first + 2, tags.get(i));
        }
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          long pending = rs.getLong(1);
          long oldest = rs.getLong(2);
          double lag = pending == 0 || rs.wasNull() ? 0 : Math.max(0, (now - oldest) / 1000.0);
          rows.add(new LagRow(projections.get(i) + "/" + tags.get(i), lag, pending));
        }
      }
    }
    return rows;
  }
}
