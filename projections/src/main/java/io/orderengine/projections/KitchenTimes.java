package io.orderengine.projections;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * How fast each station of a venue cooked on one of its business days, from {@code kitchen_ticket_lines}
 * ({@code GET /api/v1/reports/kitchen-times}; projections/README.md, "The kitchen tables" and
 * example 9). Blocking.
 */
public final class KitchenTimes {
  /**
   * A station's day: dishes fired, how many reached the pass, the seconds from fire to ready (mean,
   * median, 90th percentile, worst), and what still waits now.
   */
  public record Row(String stationId, long linesFired, long linesReady, Double meanSecondsToReady,
      Double medianSecondsToReady, Double p90SecondsToReady, Double maxSecondsToReady, long waitingNow,
      Double oldestWaitingSeconds) {}

  private final DataSource dataSource;
  private final BusinessDays businessDays;

  public KitchenTimes(DataSource dataSource, BusinessDays businessDays) {
    this.dataSource = dataSource;
    this.businessDays = businessDays;
  }

  public List<Row> forDay(String venueId, LocalDate date) throws SQLException {
    BusinessDay businessDay = businessDays.of(venueId);
    Instant from = businessDay.startOf(date);
    Instant to = businessDay.startOf(date.plusDays(1));
    String sql = "SELECT station_id, COUNT(*) FILTER (WHERE status <> 'VOIDED'), COUNT(ready_at), "
        + "AVG(EXTRACT(EPOCH FROM ready_at - fired_at)), "
        + "percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM ready_at - fired_at)), "
        + "percentile_cont(0.9) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM ready_at - fired_at)), "
        + "MAX(EXTRACT(EPOCH FROM ready_at - fired_at)), "
        + "COUNT(*) FILTER (WHERE status = 'FIRED'), "
        + "EXTRACT(EPOCH FROM now() - MIN(fired_at) FILTER (WHERE status = 'FIRED')) "
        + "FROM kitchen_ticket_lines WHERE venue_id = ? AND fired_at >= ? AND fired_at < ? GROUP BY station_id ORDER BY station_id";
    List<Row> rows = new ArrayList<>();
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, venueId);
      ps.setTimestamp(2, Timestamp.from(from));
      ps.setTimestamp(3, Timestamp.from(to));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(new Row(rs.getString(1), rs.getLong(2), rs.getLong(3), seconds(rs, 4), seconds(rs, 5),
              seconds(rs, 6), seconds(rs, 7), rs.getLong(8), seconds(rs, 9)));
        }
      }
    }
    return rows;
  }

  private static Double seconds(ResultSet rs, int column) throws SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() ? null : Math.round(v * 10) / 10.0;
  }
}
