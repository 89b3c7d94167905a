package io.orderengine.projections;

import io.orderengine.engine.Money;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a venue owes each of its stalls for a business day: its dishes' takings (the stall's {@code net}
 * of the sales report) less the venue's commission ({@code GET /api/v1/reports/stall-settlement};
 * projections/README.md, "Stall settlement"). Blocking.
 */
public final class StallSettlement {
  public record Row(String stallId, long netMinor, int commissionPercent, long commissionMinor, long payableMinor) {}

  private final SalesReport sales;

  public StallSettlement(SalesReport sales) {
    this.sales = sales;
  }

  /** One row per stall of {@code commissionPercent} (sorted), 0 when it sold nothing; stalls gone from the venue follow at 0 %. */
  public List<Row> forDay(String venueId, LocalDate date, Map<String, Integer> commissionPercent) throws SQLException {
    Map<String, Long> net = new LinkedHashMap<>();
    commissionPercent.keySet().stream().sorted().forEach(stall -> net.put(stall, 0L));
    for (SalesReport.Row r : sales.rows(venueId, date, date, SalesReport.GroupBy.STALL)) net.put(r.key(), r.netMinor());
    List<Row> rows = new ArrayList<>();
    net.forEach((stall, amount) -> {
      int pct = commissionPercent.getOrDefault(stall, 0);
      long commission = Money.percentOf(amount, pct);
      rows.add(new Row(stall, amount, pct, commission, amount - commission));
    });
    return rows;
  }
}
