package io.orderengine.http;

import io.orderengine.engine.Engine;
import io.orderengine.engine.bill.Bill;
import io.orderengine.engine.bill.BillLine;
import io.orderengine.engine.table.Line;
import io.orderengine.engine.table.Table;
import io.orderengine.engine.table.Ticket;
import io.orderengine.engine.venue.MenuItem;
import io.orderengine.engine.venue.Stall;
import io.orderengine.engine.venue.Station;
import io.orderengine.engine.venue.Venue;
import java.time.Instant;
import java.util.List;

/** The JSON shapes of the public API, mapped from the engine's views; entity types never reach the wire. */
public final class Representations {
  private Representations() {}

  // ---- menu ----

  public record MenuItemJson(String sku, String name, String nameEn, String stallId, String stationId, String category,
      long priceMinor, boolean available, Integer stock) {}

  public record StallJson(String stallId, String name, String nameEn, int commissionPercent) {}

  public record StationJson(String stationId, String name, String nameEn) {}

  public record MenuJson(String venue, List<MenuItemJson> items, List<StallJson> stalls, List<StationJson> stations) {}

  public static MenuItemJson item(MenuItem i) {
    return new MenuItemJson(i.sku(), i.name(), i.nameEn(), i.stallId(), i.stationId(), i.category(), i.priceMinor(),
        i.available(), null);
  }

  public static MenuJson menu(Venue.View v) {
    return new MenuJson(
        v.name(),
        v.items().stream().map(Representations::item).toList(),
        v.stalls().stream().map((Stall s) -> new StallJson(s.stallId(), s.name(), s.nameEn(), s.commissionPercent())).toList(),
        v.stations().stream().map((Station s) -> new StationJson(s.stationId(), s.name(), s.nameEn())).toList());
  }

  // ---- tables ----

  public record LineJson(String lineId, String sku, String name, String stallId, String stationId, int qty,
      long unitPriceMinor, long amountMinor, String note, String status, String voidReason, String ticketId,
      String billId) {}

  public record TicketJson(String ticketId, String stationId, List<String> lineIds, Instant firedAt) {}

  public record TableBillJson(String billId, long subtotalMinor, int part, int parts, boolean settled) {}

  public record TableJson(String tableId, String orderId, String status, int partySize, String waiter,
      Instant openedAt, Instant closedAt, List<LineJson> lines, long subtotalMinor, List<String> billIds,
      List<TableBillJson> bills, List<TicketJson> tickets) {}

  public record TableSummaryJson(String tableId, String status, String orderId, int partySize, String waiter,
      long subtotalMinor, int openLines) {}

  public record TablesJson(List<TableSummaryJson> tables) {}

  public static TableJson table(Table.View v) {
    return new TableJson(v.tableId(), v.orderId(), v.status().name(), v.partySize(), v.waiter(), v.openedAt(),
        v.closedAt(), v.lines().stream().map(Representations::line).toList(), v.subtotalMinor(), v.billIds(),
        v.bills().stream().map(b -> new TableBillJson(b.billId(), b.subtotalMinor(), b.part(), b.parts(), b.settled())).toList(),
        v.tickets().stream().map(Representations::ticket).toList());
  }

  public static TablesJson tables(List<Table.View> views) {
    return new TablesJson(views.stream()
        .map(v -> new TableSummaryJson(v.tableId(), v.status().name(), v.orderId(), v.partySize(), v.waiter(),
            v.subtotalMinor(), (int) v.lines().stream().filter(l -> !l.voided()).count()))
        .toList());
  }

  static LineJson line(Line l) {
    return new LineJson(l.lineId(), l.sku(), l.name(), l.stallId(), l.stationId(), l.qty(), l.unitPriceMinor(),
        l.amountMinor(), l.note(), l.status().name(), l.voidReason(), l.ticketId(), l.billId());
  }

  static TicketJson ticket(Ticket t) {
    return new TicketJson(t.ticketId(), t.stationId(), t.lineIds(), t.firedAt());
  }

  // ---- bills and payments ----

  public record BillLineJson(String lineId, String sku, String name, String stallId, int qty, long unitPriceMinor,
      long amountMinor) {}

  public record DiscountJson(String discountId, String type, long value, long amountMinor, String reason, Instant at) {}

  public record PaymentJson(String paymentId, String billId, String method, long amountMinor, long tenderedMinor,
      long changeMinor, String status, String gatewayTradeNo, String failureReason, Instant createdAt) {}

  public record BillJson(String billId, String tableId, String orderId, String waiter, String status, int part,
      int parts, List<BillLineJson> lines, long subtotalMinor, long discountMinor, long serviceChargeMinor,
      long totalMinor, long paidMinor, long refundedMinor, long dueMinor, List<DiscountJson> discounts,
      List<PaymentJson> payments, Instant openedAt, Instant settledAt) {}

  public record BillSummaryJson(String billId, String status, int part, int parts, long subtotalMinor,
      long totalMinor, long dueMinor) {}

  public record BillsJson(String tableId, List<BillSummaryJson> bills) {}

  /** A payment as answered to the POST that took it: the tender, and where the bill stands now. */
  public record PaymentTakenJson(String paymentId, String billId, String method, long amountMinor, long tenderedMinor,
      long changeMinor, String status, String gatewayTradeNo, String failureReason, Instant createdAt,
      String billStatus, long dueMinor) {}

  public static BillJson bill(Bill.View v) {
    return new BillJson(v.billId(), v.tableId(), v.orderId(), v.waiter(), v.status().name(), v.part(), v.parts(),
        v.lines().stream().map(Representations::billLine).toList(), v.subtotalMinor(), v.discountMinor(),
        v.serviceChargeMinor(), v.totalMinor(), v.paidMinor(), v.refundedMinor(), v.dueMinor(),
        v.discounts().stream().map(d -> new DiscountJson(d.discountId(), d.type().name(), d.value(), d.amountMinor(),
            d.reason(), d.at())).toList(),
        v.payments().stream().map(p -> payment(v.billId(), p)).toList(), v.openedAt(), v.settledAt());
  }

  public static BillsJson bills(String tableId, List<Bill.View> views) {
    return new BillsJson(tableId, views.stream()
        .map(v -> new BillSummaryJson(v.billId(), v.status().name(), v.part(), v.parts(), v.subtotalMinor(),
            v.totalMinor(), v.dueMinor()))
        .toList());
  }

  public static PaymentJson payment(String billId, Bill.Payment p) {
    return new PaymentJson(p.paymentId(), billId, p.method().name(), p.amountMinor(), p.tenderedMinor(),
        p.changeMinor(), p.status().name(), p.gatewayTradeNo(), p.failureReason(), p.at());
  }

  public static PaymentJson payment(Engine.PaymentView v) {
    return payment(v.bill().billId(), v.payment());
  }

  public static PaymentTakenJson paymentTaken(Engine.PaymentView v) {
    Bill.Payment p = v.payment();
    return new PaymentTakenJson(p.paymentId(), v.bill().billId(), p.method().name(), p.amountMinor(),
        p.tenderedMinor(), p.changeMinor(), p.status().name(), p.gatewayTradeNo(), p.failureReason(), p.at(),
        v.bill().status().name(), v.bill().dueMinor());
  }

  static BillLineJson billLine(BillLine l) {
    return new BillLineJson(l.lineId(), l.sku(), l.name(), l.stallId(), l.qty(), l.unitPriceMinor(), l.amountMinor());
  }
}
