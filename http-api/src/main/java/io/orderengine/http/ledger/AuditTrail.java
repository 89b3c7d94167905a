package io.orderengine.http.ledger;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * Who did what through the API, approved by whom, and what they were told: the {@code audit_log}
 * table, for managers and auditors.
 *
 * <p>This class owns the table: its DDL (db/http-api.sql), its writer and its reader. It lives in
 * http-api because the rows are the API's own record of the requests it answered, written by the
 * {@link RequestLedger} in the same transaction as the Idempotency-Key answers, before the caller
 * hears the answer. It is no projection of the journal (a rebuild never empties it), so the report
 * tables' module has no say in it.
 */
public final class AuditTrail {
  /**
   * One thing a member of staff (or a diner) did through the API, and what the API answered.
   * {@code staffId}: the member who signed in with their PIN, null for a configured token.
   * {@code venue}: the venue the request acted at; null for the platform's own writes (the admin
   * making a venue), stored as the empty text ({@link #NO_VENUE}).
   */
  public record Entry(Instant at, String who, String role, String approvedBy, String action, String method,
      String path, int status, String code, String requestId, String staffId, String venue) {}

  /** {@code audit_log.venue_id} of a write that acted at no venue. */
  public static final String NO_VENUE = "";

  private final DataSource dataSource;
  /** Rows are keyed by the trail that wrote them (one per node start) and its own count. */
  private final String trailId = "ledger-" + UUID.randomUUID();
  private final AtomicLong seq = new AtomicLong();

  public AuditTrail(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * A venue's entries between two instants, newest first, optionally of one person (named, or by
   * staff id) or one action. Blocking.
   */
  public List<Entry> entries(String venue, Instant from, Instant to, String who, String action, int limit) throws SQLException {
    String sql = "SELECT at, who, role, approved_by, action, method, path, status, code, request_id, staff_id, venue_id "
        + "FROM audit_log WHERE venue_id = ? AND at >= ? AND at < ? AND (?::text IS NULL OR who = ? OR staff_id = ?) "
        + "AND (?::text IS NULL OR action = ?) "
        + "ORDER BY at DESC, trail_id, seq DESC LIMIT ?";
    List<Entry> rows = new ArrayList<>();
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, venue == null ? NO_VENUE : venue);
      ps.setTimestamp(2, Timestamp.from(from));
      ps.setTimestamp(3, Timestamp.from(to));
      ps.setString(4, who);
      ps.setString(5, who);
      ps.setString(6, who);
      ps.setString(7, action);
      ps.setString(8, action);
      ps.setInt(9, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String v = rs.getString(12);
          rows.add(new Entry(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3), rs.getString(4),
              rs.getString(5), rs.getString(6), rs.getString(7), rs.getInt(8), rs.getString(9), rs.getString(10),
              rs.getString(11), NO_VENUE.equals(v) ? null : v));
        }
      }
    }
    return rows;
  }

  /** Appends {@code entries} in the caller's transaction: one {@code INSERT ... SELECT FROM unnest(arrays)}. */
  void append(Connection c, List<Entry> entries) throws SQLException {
    if (entries.isEmpty()) return;
    int n = entries.size();
    Long[] seqs = new Long[n], ats = new Long[n];
    Integer[] statuses = new Integer[n];
    String[] who = new String[n], roles = new String[n], approvers = new String[n], actions = new String[n],
        methods = new String[n], paths = new String[n], codes = new String[n], requestIds = new String[n],
        staffIds = new String[n], venues = new String[n];
    for (int i = 0; i < n; i++) {
      Entry e = entries.get(i);
      seqs[i] = seq.incrementAndGet();
      ats[i] = e.at().toEpochMilli();
      who[i] = e.who();
      roles[i] = e.role();
      approvers[i] = e.approvedBy();
      actions[i] = e.action();
      methods[i] = e.method();
      paths[i] = e.path();
      statuses[i] = e.status();
      codes[i] = e.code();
      requestIds[i] = e.requestId();
      staffIds[i] = e.staffId();
      venues[i] = e.venue() == null ? NO_VENUE : e.venue();
    }
    try (PreparedStatement ins = c.prepareStatement(
        "INSERT INTO audit_log (trail_id, seq, at, who, role, approved_by, action, method, path, status, code, request_id, "
            + "staff_id, venue_id) SELECT ?, sq, to_timestamp(ms / 1000.0), w, r, ap, ac, m, p, st, cd, rq, sf, v "
            + "FROM unnest(?::int8[], ?::int8[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], "
            + "?::int4[], ?::text[], ?::text[], ?::text[], ?::text[]) AS a(sq, ms, w, r, ap, ac, m, p, st, cd, rq, sf, v)")) {
      ins.setString(1, trailId);
      Array[] arrays = {c.createArrayOf("int8", seqs), c.createArrayOf("int8", ats), c.createArrayOf("text", who),
          c.createArrayOf("text", roles), c.createArrayOf("text", approvers), c.createArrayOf("text", actions),
          c.createArrayOf("text", methods), c.createArrayOf("text", paths), c.createArrayOf("int4", statuses),
          c.createArrayOf("text", codes), c.createArrayOf("text", requestIds), c.createArrayOf("text", staffIds),
          c.createArrayOf("text", venues)};
      for (int i = 0; i < arrays.length; i++) ins.setArray(i + 2, arrays[i]);
      ins.executeUpdate();
    }
  }
}
