package io.orderengine.engine.bill;

import io.orderengine.engine.CborSerializable;
import io.orderengine.engine.Money;
import io.orderengine.engine.bill.Bill.BillTotals;
import io.orderengine.engine.bill.Bill.Discount;
import io.orderengine.engine.bill.Bill.DiscountApplied;
import io.orderengine.engine.bill.Bill.Event;
import io.orderengine.engine.bill.Bill.LineRemoved;
import io.orderengine.engine.bill.Bill.Opened;
import io.orderengine.engine.bill.Bill.Payment;
import io.orderengine.engine.bill.Bill.PaymentRecorded;
import io.orderengine.engine.bill.Bill.PaymentSettled;
import io.orderengine.engine.bill.Bill.PaymentStatus;
import io.orderengine.engine.bill.Bill.PaymentUnderway;
import io.orderengine.engine.bill.Bill.RefundEntry;
import io.orderengine.engine.bill.Bill.RefundRecorded;
import io.orderengine.engine.bill.Bill.RefundSettled;
import io.orderengine.engine.bill.Bill.RefundStatus;
import io.orderengine.engine.bill.Bill.RefundUnderway;
import io.orderengine.engine.bill.Bill.Settled;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What is on a bill and what was tendered against it, whatever the bill's stage: the settlement data,
 * the venue's terms when it opened, the discounts, every payment and refund, the lines voided since,
 * and the tenders and refunds whose saga took them on ({@code underway}). The money rules live here:
 * the subtotal less voided lines, discounts, the service charge on what is left, the 抹零 write-off of
 * a cash payment, what a payment has left to refund. An unopened bill's tab is {@link #EMPTY}.
 */
public record Tab(
    BillSpec spec,
    int serviceChargePercent,
    int cashRoundingMinor,
    Instant openedAt,
    List<Discount> discounts,
    List<Payment> payments,
    List<RefundEntry> refunds,
    List<String> removedLines,
    List<String> underway)
    implements CborSerializable {

  /** Nothing on it: the tab of a bill not opened yet. */
  static final Tab EMPTY = new Tab(null, 0, 0, null, List.of(), List.of(), List.of(), List.of(), List.of());

  static Tab of(Opened e) {
    return new Tab(e.spec(), e.serviceChargePercent(), e.cashRoundingMinor(), e.at(), List.of(), List.of(), List.of(),
        List.of(), List.of());
  }

  // ---- the money ----

  /** The settlement data's amount, less the lines voided after the bill was made. */
  public long subtotalMinor() {
    if (spec == null) return 0;
    long removed = 0;
    for (BillLine l : spec.lines()) if (removedLines.contains(l.lineId())) removed += l.amountMinor();
    return Math.max(0, spec.subtotalMinor() - removed);
  }

  public long discountMinor() {
    long sum = 0;
    for (Discount d : discounts) sum += d.amountMinor();
    return Math.min(sum, subtotalMinor());
  }

  public long serviceChargeMinor() {
    return Money.percentOf(subtotalMinor() - discountMinor(), serviceChargePercent);
  }

  public long totalMinor() {
    return subtotalMinor() - discountMinor() + serviceChargeMinor();
  }

  public BillTotals totals() {
    return new BillTotals(subtotalMinor(), discountMinor(), serviceChargeMinor(), totalMinor());
  }

  public long paidMinor() {
    return sumPayments(PaymentStatus.SUCCEEDED);
  }

  /** Money reserved by payments whose outcome is not known yet. */
  public long pendingMinor() {
    return sumPayments(PaymentStatus.PENDING);
  }

  public long refundedMinor() {
    return sumRefunds(RefundStatus.SUCCEEDED);
  }

  long pendingRefundMinor() {
    return sumRefunds(RefundStatus.PENDING);
  }

  /** What the diners still owe of an open bill: the total less what was paid and kept. */
  long owingMinor() {
    return Math.max(0, totalMinor() - (paidMinor() - refundedMinor()));
  }

  /** What a succeeded payment has left to give back: its amount less its refunds that did not fail. */
  long refundableMinor(Payment p) {
    return p.amountMinor() - refunds.stream()
        .filter(r -> r.paymentId().equals(p.paymentId()) && r.status() != RefundStatus.FAILED)
        .mapToLong(RefundEntry::amountMinor).sum();
  }

  /**
   * 抹零: a cash payment of at least the open amount rounded down to the venue's unit (while no other
   * tender is pending) settles it, and the odd fen are written off; what is written off of {@code open}.
   */
  long cashWriteOffMinor(long open, long amountMinor) {
    long roundedOpen = cashRoundingMinor > 0 && pendingMinor() == 0 ? open - open % cashRoundingMinor : open;
    return amountMinor < open && amountMinor >= roundedOpen ? open - roundedOpen : 0;
  }

  private long sumPayments(PaymentStatus status) {
    long sum = 0;
    for (Payment p : payments) if (p.status() == status) sum += p.amountMinor();
    return sum;
  }

  private long sumRefunds(RefundStatus status) {
    long sum = 0;
    for (RefundEntry r : refunds) if (r.status() == status) sum += r.amountMinor();
    return sum;
  }

  // ---- the tenders ----

  public Optional<Payment> payment(String paymentId) {
    return payments.stream().filter(p -> p.paymentId().equals(paymentId)).findFirst();
  }

  public Optional<Payment> paymentOfRequest(String requestId) {
    return payments.stream().filter(p -> Objects.equals(p.requestId(), requestId)).findFirst();
  }

  public Optional<RefundEntry> refundOfRequest(String requestId) {
    return refunds.stream().filter(r -> Objects.equals(r.requestId(), requestId)).findFirst();
  }

  /** The payment the terminal's slip recorded on this bill. */
  Optional<Payment> paymentOnSlip(TerminalSlip slip) {
    return payments.stream().filter(p -> slip != null && slip.sameTransaction(p.terminal())).findFirst();
  }

  /** The refund of {@code paymentId} the terminal's slip recorded on this bill. */
  Optional<RefundEntry> refundOnSlip(String paymentId, TerminalSlip slip) {
    if (slip == null || slip.terminalRef() == null) return Optional.empty();
    return refunds.stream().filter(r -> r.paymentId().equals(paymentId) && slip.sameTransaction(r.terminal())).findFirst();
  }

  public List<Payment> pendingPayments() {
    return payments.stream().filter(p -> p.status() == PaymentStatus.PENDING).toList();
  }

  public List<RefundEntry> pendingRefunds() {
    return refunds.stream().filter(r -> r.status() == RefundStatus.PENDING).toList();
  }

  /** The number of the next refund of {@code paymentId}, {@code <paymentId>-R<n>}; {@code more}: refunds decided alongside. */
  String nextRefundId(String paymentId, long more) {
    return paymentId + "-R" + (refunds.stream().filter(r -> r.paymentId().equals(paymentId)).count() + more + 1);
  }

  // ---- the events that change it ----

  /** The tab after {@code event}; the events of the bill's lifecycle (opened, settled, the table told) leave it as it is. */
  Tab apply(Event event) {
    if (event instanceof DiscountApplied e) return withDiscounts(added(discounts, e.discount()));
    if (event instanceof PaymentRecorded e) return withPayments(added(payments, e.payment()));
    if (event instanceof PaymentSettled e) {
      return withPayments(payments.stream().map(p -> p.paymentId().equals(e.paymentId())
          ? p.settled(e.status(), e.gatewayTxnId(), e.failureCode(), e.failureReason(), e.at()) : p).toList());
    }
    if (event instanceof PaymentUnderway e) {
      return withPayments(payments.stream().map(p -> p.paymentId().equals(e.paymentId())
          ? p.withQrCode(e.qrCodeUrl()).withJsapi(e.jsapi()) : p).toList()).underway(e.paymentId());
    }
    if (event instanceof RefundUnderway e) return underway(e.refundId());
    if (event instanceof RefundRecorded e) return withRefunds(added(refunds, e.refund()));
    if (event instanceof RefundSettled e) {
      return withRefunds(refunds.stream().map(r -> r.refundId().equals(e.refundId())
          ? new RefundEntry(r.refundId(), r.paymentId(), r.method(), r.amountMinor(),
              e.succeeded() ? RefundStatus.SUCCEEDED : RefundStatus.FAILED, r.reason(), e.reason(), r.requestId(), r.at(), e.at(),
              r.takenBy(), r.terminal())
          : r).toList());
    }
    if (event instanceof LineRemoved e) {
      return new Tab(spec, serviceChargePercent, cashRoundingMinor, openedAt, discounts, payments, refunds,
          added(removedLines, e.lineId()), underway);
    }
    return this;
  }

  /** {@code events} as decided, with the bill's money after each one stamped on those that change it. */
  List<Event> stamped(List<Event> events) {
    List<Event> out = new ArrayList<>(events.size());
    Tab t = this;
    for (Event e : events) {
      Tab after = t.apply(e);
      if (e instanceof Settled x && x.totals() == null) {
        e = new Settled(x.billId(), x.tableId(), x.orderId(), x.at(), after.totals());
      } else if (e instanceof LineRemoved x && x.totals() == null) {
        e = new LineRemoved(x.billId(), x.lineId(), x.amountMinor(), x.reason(), x.at(), after.totals());
      } else if (e instanceof DiscountApplied x && x.totals() == null) {
        e = new DiscountApplied(x.billId(), x.requestId(), x.discount(), after.totals());
      }
      out.add(e);
      t = after;
    }
    return out;
  }

  private Tab withDiscounts(List<Discount> ds) {
    return new Tab(spec, serviceChargePercent, cashRoundingMinor, openedAt, ds, payments, refunds, removedLines, underway);
  }

  private Tab withPayments(List<Payment> ps) {
    return new Tab(spec, serviceChargePercent, cashRoundingMinor, openedAt, discounts, ps, refunds, removedLines, underway);
  }

  private Tab withRefunds(List<RefundEntry> rs) {
    return new Tab(spec, serviceChargePercent, cashRoundingMinor, openedAt, discounts, payments, rs, removedLines, underway);
  }

  private Tab underway(String id) {
    return new Tab(spec, serviceChargePercent, cashRoundingMinor, openedAt, discounts, payments, refunds, removedLines,
        added(underway, id));
  }

  private static <T> List<T> added(List<T> list, T item) {
    List<T> next = new ArrayList<>(list);
    next.add(item);
    return List.copyOf(next);
  }
}
