package io.orderengine.projections;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * How far each projection instance is behind the journal ({@code GET /api/v1/reports/projection-lag}
 * and the lag gauges of {@code /metrics}; projections/README.md, "How far behind", has it in SQL).
 * Blocking.
 */
public final class ProjectionLag {
  /**
   * Pending events are counted up to this many; a projection further behind shows this number (its
   * {@code lagSeconds} still says how far). Counting is a range scan that grows with the backlog,
   * and a scrape asks it of every instance: with 10,000 a lagging node spent ~25 ms of PostgreSQL per
   * instance per scrape (pg_stat_statements, in the benchmark's rush), load that made it lag more.
   */
  public static final int LAG_COUNT_CAP = 1_000;

  /** One instance: {@code name} is {@code <projection>/<tag>}. */
  public record Row(String name, double lagSeconds, long pendingEvents) {}

  private final DataSource dataSource;

  public ProjectionLag(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * The age of each instance's oldest event not yet projected, and how many are pending (at most
   * {@value #LAG_COUNT_CAP}); {@code projections} and {@code tags} name the instances pairwise. Each
   * instance costs two index range scans over its own tag's pending events (event_tag's (tag,
   * event_id) index), never a pass over the journal: /metrics asks this every few seconds on a busy node.
   */
  public List<Row> of(List<String> projections, List<String> tags) throws SQLException {
    String offset = "COALESCE((SELECT CAST(o.current_offset AS BIGINT) FROM pekko_projection_offset_store o "
        + "WHERE o.projection_name = ? AND o.projection_key = ?), 0)";
    String sql = "SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM event_tag t WHERE t.tag = ? AND t.event_id > " + offset
        + " LIMIT " + LAG_COUNT_CAP + ") pending), "
        + "(SELECT e.write_timestamp FROM event_tag t JOIN event_journal e ON e.ordering = t.event_id "
        + "WHERE t.tag = ? AND t.event_id > " + offset + " ORDER BY t.event_id LIMIT 1)";
    List<Row> rows = new ArrayList<>();
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
          rows.add(new Row(projections.get(i) + "/" + tags.get(i), lag, pending));
        }
      }
    }
    return rows;
  }

  /** Every instance of every projection this node runs. */
  public List<Row> all() throws SQLException {
    return of(Projections.names(), Projections.tags());
  }

  /** Waits (up to {@code maxMillis}) until every instance of {@code projection} has caught up with the journal. */
  public boolean awaitCaughtUp(String projection, long maxMillis) throws SQLException {
    long deadline = System.currentTimeMillis() + maxMillis;
    List<String> names = new ArrayList<>();
    List<String> tags = new ArrayList<>();
    for (int i = 0; i < Projections.names().size(); i++) {
      if (Projections.names().get(i).equals(projection)) {
        names.add(projection);
        tags.add(Projections.tags().get(i));
      }
    }
    while (true) {
      boolean behind = of(names, tags).stream().anyMatch(r -> r.pendingEvents() > 0);
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
}
