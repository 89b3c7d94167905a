package io.orderengine.projections;

import io.orderengine.engine.payment.Provider;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import javax.sql.DataSource;

/**
 * When a venue last took a payment through each provider, from {@code report_payments}: what the
 * back office shows beside a connected merchant account (a few seconds behind, as every report).
 */
public final class ProviderUsage {
  private final DataSource dataSource;
  private final Executor blocking;

  public ProviderUsage(DataSource dataSource, Executor blocking) {
    this.dataSource = dataSource;
    this.blocking = blocking;
  }

  public CompletionStage<Map<Provider, Instant>> lastUsed(String venueId) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return query(venueId);
      } catch (SQLException e) {
        throw new CompletionException(e);
      }
    }, blocking);
  }

  private Map<Provider, Instant> query(String venueId) throws SQLException {
    Map<Provider, Instant> last = new EnumMap<>(Provider.class);
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT method, MAX(created_at) FROM report_payments WHERE venue_id = ? AND method IN ('WECHAT', 'ALIPAY') "
            + "GROUP BY method")) {
      ps.setString(1, venueId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) last.put(Provider.valueOf(rs.getString(1)), rs.getTimestamp(2).toInstant());
      }
    }
    return last;
  }
}
