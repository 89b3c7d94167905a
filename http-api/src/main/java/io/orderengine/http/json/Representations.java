package io.orderengine.http.json;

import io.orderengine.engine.VenueIds;

import io.orderengine.engine.usecase.Checkout;
import io.orderengine.engine.bill.Bill;
import io.orderengine.engine.bill.BillLine;
import io.orderengine.engine.member.Member;
import io.orderengine.engine.member.TopUpPayment;
import io.orderengine.engine.usecase.Members;
import io.orderengine.engine.payment.sandbox.SandboxTrade;
import io.orderengine.engine.table.Line;
import io.orderengine.engine.table.Table;
import io.orderengine.engine.table.Ticket;
import io.orderengine.engine.venue.MenuItem;
import io.orderengine.engine.venue.Stall;
import io.orderengine.engine.venue.Station;
import io.orderengine.engine.venue.Stock;
import io.orderengine.engine.venue.Venue;
import java.time.Instant;
import java.util.List;

/** The JSON shapes of the public API, mapped from the engine's views; entity types never reach the wire. */
public final class Representations {
  private Representations() {}

  // ---- menu ----

  public record ChoiceJson(String code, String name, long priceDeltaMinor) {}

  public record OptionGroupJson(String groupId, String name, boolean required, boolean multiple, List<ChoiceJson> choices) {}

  public record MenuItemJson(String sku, String name, String nameEn, String stallId, String stationId, String category,
      long priceMinor, boolean available, Integer stock, List<OptionGroupJson> options) {}

  public record StallJson(String stallId, String name, String nameEn, int commissionPercent) {}

  public record StationJson(String stationId, String name, String nameEn) {}

  /** {@code categories}: the menu's headings in their order; a dish's {@code category} names one by its id. */
  /** {@code dinerOrdering}: what a diner's table code allows here, so the diner's page can say so. */
  public record MenuJson(String venue, List<MenuItemJson> items, List<StallJson> stalls, List<StationJson> stations,
      List<VenueDocuments.CategoryJson> categories, String dinerOrdering) {}

  public record StockJson(String sku, Integer stock) {}

  public static MenuItemJson item(MenuItem i, Integer stock) {
    return new MenuItemJson(i.sku(), i.name(), i.nameEn(), i.stallId(), i.stationId(), i.category(), i.priceMinor(),
        i.available(), stock, i.options().stream().map(g -> new OptionGroupJson(g.groupId(), g.name(), g.required(),
            g.multiple(), g.choices().stream().map(c -> new ChoiceJson(c.code(), c.name(), c.priceDeltaMinor())).toList()))
        .toList());
  }

  public static MenuJson menu(Venue.View v, Stock.Levels stock) {
    return new MenuJson(
        v.name(),
        v.items().stream().map(i -> item(i, stock.of(i.sku()))).toList(),
        v.stalls().stream().map((Stall s) -> new StallJson(s.stallId(), s.name(), s.nameEn(), s.commissionPercent())).toList(),
        v.stations().stream().map((Station s) -> new StationJson(s.stationId(), s.name(), s.nameEn())).toList(),
        v.categories().stream().map(VenueDocuments::category).toList(),
        v.settings().dinerOrdering().name());
  }

  // ---- tables ----

  public record LineJson(String lineId, String sku, String name, String stallId, String stationId, int qty,
      long unitPriceMinor, long amountMinor, String note, List<String> options, Integer seat, String status,
      String voidReason, String ticketId, String billId) {}

  public record TicketJson(String ticketId, String stationId, List<String> lineIds, Instant firedAt) {}

  public record TableBillJson(String billId, long subtotalMinor, int part, int parts, boolean settled) {}

  public record TableJson(String tableId, String orderId, String status, int partySize, String waiter,
      Instant openedAt, Instant closedAt, List<LineJson> lines, long subtotalMinor, List<String> billIds,
      List<TableBillJson> bills, List<TicketJson> tickets, String movedTo) {}

  public record TableSummaryJson(String tableId, String status, String orderId, int partySize, String waiter,
      long subtotalMinor, int openLines) {}

  public record TablesJson(List<TableSummaryJson> tables) {}

  public static TableJson table(Table.View v) {
    return new TableJson(VenueIds.localOf(v.tableId()), v.orderId(), v.status().name(), v.partySize(), v.waiter(), v.openedAt(),
        v.closedAt(), v.lines().stream().map(Representations::line).toList(), v.subtotalMinor(), v.billIds(),
        v.bills().stream().map(b -> new TableBillJson(b.billId(), b.subtotalMinor(), b.part(), b.parts(), b.settled())).toList(),
        v.tickets().stream().map(Representations::ticket).toList(),
        v.movedTo() == null ? null : VenueIds.localOf(v.movedTo()));
  }

  public static TablesJson tables(List<Table.View> views) {
    return new TablesJson(views.stream()
        .map(v -> new TableSummaryJson(VenueIds.localOf(v.tableId()), v.status().name(), v.orderId(), v.partySize(), v.waiter(),
            v.subtotalMinor(), (int) v.lines().stream().filter(l -> !l.voided()).count()))
        .toList());
  }

  static LineJson line(Line l) {
    return new LineJson(l.lineId(), l.sku(), l.name(), l.stallId(), l.stationId(), l.qty(), l.unitPriceMinor(),
        l.amountMinor(), l.note(), l.options(), l.seat(), l.status().name(), l.voidReason(), l.ticketId(), l.billId());
  }

  static TicketJson ticket(Ticket t) {
    return new TicketJson(t.ticketId(), t.stationId(), t.lineIds(), t.firedAt());
  }

  // ---- bills and payments ----

  /** {@code voided}: the line was voided after the bill was made and no longer counts. */
  public record BillLineJson(String lineId, String sku, String name, String stallId, int qty, long unitPriceMinor,
      long amountMinor, boolean voided) {}

  public record DiscountJson(String discountId, String type, long value, long amountMinor, String reason, Instant at) {}

  /**
   * {@code terminalId}, {@code terminalRef}, {@code cardLast4}: the slip of a card taken on a standalone terminal, else null.
   * {@code jsapi}: while a WECHAT payment made inside WeChat is PENDING, what the diner's page passes to
   * {@code getBrandWCPayRequest}; else null.
   */
  public record PaymentJson(String paymentId, String billId, String method, long amountMinor, long tenderedMinor,
      long changeMinor, String status, String gatewayTradeNo, String gatewayTxnId, String qrCodeUrl,
      String failureCode, String failureReason, String memberId, Instant createdAt, Instant finishedAt,
      String terminalId, String terminalRef, String cardLast4, JsapiJson jsapi) {}

  /** WeixinJSBridge's {@code getBrandWCPayRequest} parameters, by WeChat's own names. */
  public record JsapiJson(String appId, String timeStamp, String nonceStr,
      @com.fasterxml.jackson.annotation.JsonProperty("package") String packageValue, String signType, String paySign) {

    static JsapiJson of(io.orderengine.engine.JsapiPay p) {
      return p == null ? null
          : new JsapiJson(p.appId(), p.timeStamp(), p.nonceStr(), p.packageValue(), p.signType(), p.paySign());
    }
  }

  /** {@code terminalId}, {@code terminalRef}: where a standalone terminal's card was refunded, else null. */
  public record RefundJson(String refundId, String paymentId, String billId, String method, long amountMinor,
      String status, String reason, String failureReason, Instant createdAt, Instant finishedAt, String terminalId,
      String terminalRef) {}

  public record BillJson(String billId, String tableId, String orderId, String waiter, String status, int part,
      int parts, List<BillLineJson> lines, long subtotalMinor, long discountMinor, long serviceChargeMinor,
      long totalMinor, long paidMinor, long refundedMinor, long dueMinor, long pendingMinor,
      List<DiscountJson> discounts, List<PaymentJson> payments, List<RefundJson> refunds, Instant openedAt,
      Instant settledAt) {}

  public record BillSummaryJson(String billId, String status, int part, int parts, long subtotalMinor,
      long totalMinor, long dueMinor) {}

  public record BillsJson(String tableId, List<BillSummaryJson> bills) {}

  /** A payment as answered to the POST that took it: the tender, and where the bill stands now. */
  public record PaymentTakenJson(String paymentId, String billId, String method, long amountMinor, long tenderedMinor,
      long changeMinor, String status, String gatewayTradeNo, String qrCodeUrl, String failureCode,
      String failureReason, Instant createdAt, String billStatus, long dueMinor, String terminalId, String terminalRef,
      String cardLast4, JsapiJson jsapi) {}

  public record RefundTakenJson(String refundId, String paymentId, String billId, String method, long amountMinor,
      String status, String reason, String billStatus, long refundedMinor, String terminalId, String terminalRef) {}

  public static BillJson bill(Bill.View v) {
    return new BillJson(v.billId(), VenueIds.localOf(v.tableId()), v.orderId(), v.waiter(), v.status().name(), v.part(), v.parts(),
        v.lines().stream().map(l -> billLine(l, v.removedLines().contains(l.lineId()))).toList(), v.subtotalMinor(), v.discountMinor(),
        v.serviceChargeMinor(), v.totalMinor(), v.paidMinor(), v.refundedMinor(), v.dueMinor(), v.pendingMinor(),
        v.discounts().stream().map(d -> new DiscountJson(d.discountId(), d.type().name(), d.value(), d.amountMinor(),
            d.reason(), d.at())).toList(),
        v.payments().stream().map(p -> payment(v.billId(), p)).toList(),
        v.refunds().stream().map(r -> refund(v.billId(), r)).toList(),
        v.openedAt(), v.settledAt());
  }

  public static BillsJson bills(String tableId, List<Bill.View> views) {
    return new BillsJson(tableId, views.stream()
        .map(v -> new BillSummaryJson(v.billId(), v.status().name(), v.part(), v.parts(), v.subtotalMinor(),
            v.totalMinor(), v.dueMinor()))
        .toList());
  }

  /** A payment as its bill records it: the bill is the one place that says what a payment's status is. */
  static PaymentJson payment(String billId, Bill.Payment p) {
    return new PaymentJson(p.paymentId(), billId, p.method().name(), p.amountMinor(), p.tenderedMinor(),
        p.changeMinor(), p.status().name(), p.gatewayTradeNo(), p.gatewayTxnId(), p.qrCodeUrl(), p.failureCode(),
        p.failureReason(), p.memberId() == null ? null : VenueIds.localOf(p.memberId()), p.at(), p.finishedAt(),
        p.terminal() == null ? null : p.terminal().terminalId(), p.terminal() == null ? null : p.terminal().terminalRef(),
        p.terminal() == null ? null : p.terminal().cardLast4(),
        p.status() == Bill.PaymentStatus.PENDING ? JsapiJson.of(p.jsapi()) : null);
  }

  public static PaymentJson payment(Checkout.PaymentView v) {
    return payment(v.bill().billId(), v.payment());
  }

  public static PaymentTakenJson paymentTaken(Checkout.PaymentView v) {
    PaymentJson p = payment(v);
    return new PaymentTakenJson(p.paymentId(), p.billId(), p.method(), p.amountMinor(), p.tenderedMinor(),
        p.changeMinor(), p.status(), p.gatewayTradeNo(), p.qrCodeUrl(), p.failureCode(), p.failureReason(),
        p.createdAt(), v.bill().status().name(), v.bill().dueMinor(), p.terminalId(), p.terminalRef(), p.cardLast4(),
        p.jsapi());
  }

  static RefundJson refund(String billId, Bill.RefundEntry r) {
    return new RefundJson(r.refundId(), r.paymentId(), billId, r.method().name(), r.amountMinor(), r.status().name(),
        r.reason(), r.failureReason(), r.at(), r.finishedAt(), r.terminal() == null ? null : r.terminal().terminalId(),
        r.terminal() == null ? null : r.terminal().terminalRef());
  }

  public static RefundTakenJson refundTaken(Checkout.RefundView v) {
    Bill.RefundEntry r = v.refund();
    return new RefundTakenJson(r.refundId(), r.paymentId(), v.bill().billId(), r.method().name(), r.amountMinor(),
        r.status().name(), r.reason(), v.bill().status().name(), v.bill().refundedMinor(),
        r.terminal() == null ? null : r.terminal().terminalId(), r.terminal() == null ? null : r.terminal().terminalRef());
  }

  // ---- members ----

  /** {@code pendingTopUps}: top-ups paid by wallet or card whose payment has not ended yet (not in the balance). */
  public record MemberJson(String memberId, String name, String phone, long balanceMinor, long points, String tier,
      long lifetimeSpendMinor, Instant since, List<TopUpJson> pendingTopUps) {}

  /**
   * A top-up: {@code paymentId} is {@code <memberId>-TU<n>} (the trade number at the gateway), status one of
   * PENDING, SUCCEEDED, FAILED, CANCELLED, EXPIRED; {@code qrCodeUrl} what the member scans for a wallet's QR.
   */
  public record TopUpJson(String paymentId, String memberId, String method, long amountMinor, String status,
      String qrCodeUrl, String failureCode, String failureReason, Instant createdAt, Instant finishedAt,
      String terminalId, String terminalRef, String cardLast4) {}

  /** The answer to a top-up credited at once: the member as it stands, and the top-up. */
  public record MemberToppedUpJson(String memberId, String name, String phone, long balanceMinor, long points,
      String tier, long lifetimeSpendMinor, Instant since, List<TopUpJson> pendingTopUps, TopUpJson topUp) {}

  /** The answer to a top-up whose payment is under way: the member pays (scans the QR, confirms on the phone). */
  public record TopUpPendingJson(String paymentId, String status, String qrCodeUrl, TopUpJson topUp, MemberJson member) {}

  public static MemberJson member(Member.View m) {
    return new MemberJson(VenueIds.localOf(m.memberId()), m.name(), m.phone(), m.balanceMinor(), m.points(), m.tier().name(),
        m.lifetimeSpendMinor(), m.since(), m.pendingTopUps().stream().map(Representations::topUp).toList());
  }

  public static TopUpJson topUp(TopUpPayment t) {
    String memberId = Member.memberIdOfTopUp(t.paymentId()).map(VenueIds::localOf).orElse(null);
    return new TopUpJson(t.paymentId(), memberId, t.method().toUpperCase(java.util.Locale.ROOT), t.amountMinor(),
        t.status().name(),
        t.qrCodeUrl(), t.failureCode(), t.failureReason(), t.at(), t.finishedAt(), t.terminalId(), t.terminalRef(),
        t.cardLast4());
  }

  public static MemberToppedUpJson memberToppedUp(Members.TopUpTaken taken) {
    MemberJson m = member(taken.member());
    return new MemberToppedUpJson(m.memberId(), m.name(), m.phone(), m.balanceMinor(), m.points(), m.tier(),
        m.lifetimeSpendMinor(), m.since(), m.pendingTopUps(), taken.topUp() == null ? null : topUp(taken.topUp()));
  }

  public static TopUpPendingJson topUpPending(Members.TopUpTaken taken) {
    TopUpJson t = topUp(taken.topUp());
    return new TopUpPendingJson(t.paymentId(), t.status(), t.qrCodeUrl(), t, member(taken.member()));
  }

  // ---- sandbox ----

  public record SandboxRefundJson(String refundNo, long amountMinor, String state) {}

  public record SandboxTradeJson(String provider, String gatewayTradeNo, long amountMinor, String description,
      String kind, String state, String transactionId, String reason, int callbacksSent, boolean callbackAcknowledged,
      List<SandboxRefundJson> refunds, Instant createdAt, Instant finishedAt) {}

  public static SandboxTradeJson sandboxTrade(SandboxTrade.View t) {
    return new SandboxTradeJson(t.provider().wire(), t.tradeNo(), t.amountMinor(), t.description(),
        t.qr() ? "QR" : "CODE", t.state().name(), t.transactionId(), t.reason(), t.callbacksSent(),
        t.callbackAcknowledged(),
        t.refunds().stream().map(r -> new SandboxRefundJson(r.refundNo(), r.amountMinor(), r.state().name())).toList(),
        t.createdAt(), t.finishedAt());
  }

  static BillLineJson billLine(BillLine l, boolean voided) {
    return new BillLineJson(l.lineId(), l.sku(), l.name(), l.stallId(), l.qty(), l.unitPriceMinor(), l.amountMinor(), voided);
  }
}
