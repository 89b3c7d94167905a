package io.orderengine.projections;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/** How many events the journal holds: every write the engine ever made (a counter of {@code /metrics}). Blocking. */
public final class JournalSize {
  private final DataSource dataSource;

  public JournalSize(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  public long events() throws SQLException {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT COALESCE(MAX(ordering), 0) FROM event_journal"); ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
