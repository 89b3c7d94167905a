package io.orderengine.engine.bill;

import io.orderengine.engine.CborSerializable;
import io.orderengine.engine.Decision;
import io.orderengine.engine.DomainEntity;
import io.orderengine.engine.Money;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.bill.Bill.BillTotals;
import io.orderengine.engine.bill.Bill.Discount;
import io.orderengine.engine.bill.Bill.DiscountApplied;
import io.orderengine.engine.bill.Bill.DiscountType;
import io.orderengine.engine.bill.Bill.Event;
import io.orderengine.engine.bill.Bill.LineRemoved;
import io.orderengine.engine.bill.Bill.Method;
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
import io.orderengine.engine.bill.Bill.Status;
import io.orderengine.engine.bill.Bill.TableInformed;
import io.orderengine.engine.bill.Bill.View;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The pure core of a bill: the settlement data it was made from, its discounts, every tender and
 * refund, and what it still owes others (sagas to start, the table to tell). Decisions are values;
 * the money rules (service charge, 抹零 rounding, refunds of what a voided line paid for) live here.
 */
public record BillState(
    String billId,
    BillSpec spec,
    int serviceChargePercent,
    List<Discount> discounts,
    List<Payment> payments,
    Instant openedAt,
    Instant settledAt,
    boolean tableInformed,
    List<RefundEntry> refunds,
    int cashRoundingMinor,
    List<String> removedLines,
    List<String> underway)
    implements DomainEntity.Evolving<Event, BillState>, CborSerializable {

  static final int MAX_DISCOUNTS = 20;

  public BillState {
    underway = underway == null ? List.of() : underway; // snapshots of a release before sagas acknowledged
  }

  public static BillState empty(String billId) {
    return new BillState(billId, null, 0, List.of(), List.of(), null, null, false, List.of(), 0, List.of(), List.of());
  }

  public boolean exists() {
    return spec != null;
  }

  /** The settlement data's amount, less the lines voided after the bill was made. */
  public long subtotalMinor() {
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

  public long paidMinor() {
    return sumPayments(PaymentStatus.SUCCEEDED);
  }

  /** Money reserved by payments whose outcome is not known yet. */
  public long pendingMinor() {
    return sumPayments(PaymentStatus.PENDING);
  }

  public long refundedMinor() {
    long sum = 0;
    for (RefundEntry r : refunds) if (r.status() == RefundStatus.SUCCEEDED) sum += r.amountMinor();
    return sum;
  }

  /** What the diners still owe; a settled bill owes nothing, even after a goodwill refund. */
  public long dueMinor() {
    if (settledAt != null) return 0;
    return Math.max(0, totalMinor() - (paidMinor() - refundedMinor()));
  }

  public Status status() {
    if (settledAt != null) return subtotalMinor() == 0 && paidMinor() == 0 ? Status.VOIDED : Status.PAID;
    return paidMinor() - refundedMinor() > 0 ? Status.PARTIALLY_PAID : Status.OPEN;
  }

  public boolean awaitsTable() {
    return settledAt != null && !tableInformed;
  }

  public List<Payment> pendingPayments() {
    return payments.stream().filter(p -> p.status() == PaymentStatus.PENDING).toList();
  }

  public List<RefundEntry> pendingRefunds() {
    return refunds.stream().filter(r -> r.status() == RefundStatus.PENDING).toList();
  }

  public Decision<Event> decideOpen(BillSpec newSpec, int serviceCharge, Instant at) {
    return decideOpen(newSpec, serviceCharge, 0, at);
  }

  public Decision<Event> decideOpen(BillSpec newSpec, int serviceCharge, int cashRounding, Instant at) {
    if (exists()) return Decision.none();
    Opened opened = new Opened(newSpec, serviceCharge, at, cashRounding);
    // a bill of free dishes owes nothing from the start
    return newSpec.subtotalMinor() == 0
        ? Decision.accept(opened, new Settled(newSpec.billId(), newSpec.tableId(), newSpec.orderId(), at))
        : Decision.accept(opened);
  }

  public Optional<Payment> paymentOfRequest(String requestId) {
    return payments.stream().filter(p -> java.util.Objects.equals(p.requestId(), requestId)).findFirst();
  }

  public Optional<RefundEntry> refundOfRequest(String requestId) {
    return refunds.stream().filter(r -> java.util.Objects.equals(r.requestId(), requestId)).findFirst();
  }

  /** The payment a Pay answers with: the one of its request, or the one its terminal's slip recorded before. */
  public Optional<Payment> paymentAnswering(String requestId, TerminalSlip terminal) {
    return paymentOfRequest(requestId)
        .or(() -> payments.stream().filter(p -> terminal != null && terminal.sameTransaction(p.terminal())).findFirst());
  }

  /** The refund a Refund answers with: the one of its request, or the one its terminal's slip recorded before. */
  public Optional<RefundEntry> refundAnswering(String requestId, String paymentId, String terminalId, String terminalRef) {
    return refundOfRequest(requestId).or(() -> payment(paymentId)
        .filter(Payment::onStandaloneTerminal)
        .flatMap(p -> refundOnSlip(paymentId, p.terminal().refundedOn(terminalId, terminalRef))));
  }

  private Optional<RefundEntry> refundOnSlip(String paymentId, TerminalSlip slip) {
    if (slip == null || slip.terminalRef() == null) return Optional.empty();
    return refunds.stream().filter(r -> r.paymentId().equals(paymentId) && slip.sameTransaction(r.terminal())).findFirst();
  }

  public Decision<Event> decidePay(String requestId, Method method, long amountMinor, Long tenderedMinor, Instant at) {
    return decidePay(requestId, method, amountMinor, tenderedMinor, null, null, null, at);
  }

  public Decision<Event> decidePay(String requestId, Method method, long amountMinor, Long tenderedMinor, String authCode,
      String memberId, Instant at) {
    return decidePay(requestId, method, amountMinor, tenderedMinor, authCode, memberId, null, at);
  }

  public Decision<Event> decidePay(String requestId, Method method, long amountMinor, Long tenderedMinor, String authCode,
      String memberId, String takenBy, Instant at) {
    return decidePay(requestId, method, amountMinor, tenderedMinor, authCode, memberId, takenBy, null, at);
  }

  /**
   * {@code takenBy}: who took the money, for the cashier's books; the decision does not depend on it.
   * {@code terminal}: the slip of a card the cashier took on a standalone terminal (null otherwise): the
   * money has moved already, so the payment is recorded SUCCEEDED at once and no saga is started; the
   * same slip recorded again on this bill answers the payment it made.
   */
  public Decision<Event> decidePay(String requestId, Method method, long amountMinor, Long tenderedMinor, String authCode,
      String memberId, String takenBy, TerminalSlip terminal, Instant at) {
    if (!exists()) return missing();
    if (requestId == null) return Decision.refuse(Rejection.VALIDATION_FAILED, "a payment carries its request id");
    if (paymentOfRequest(requestId).isPresent()) return Decision.none();
    if (terminal != null) {
      Optional<String> wrong = method != Method.CARD ? Optional.of("a terminal's slip is of a CARD payment")
          : authCode != null ? Optional.of("a card on a standalone terminal has no authCode") : terminal.problem(false);
      if (wrong.isPresent()) return Decision.refuse(Rejection.VALIDATION_FAILED, wrong.get());
      Optional<Payment> same = payments.stream().filter(p -> terminal.sameTransaction(p.terminal())).findFirst();
      if (same.isPresent()) {
        return same.get().amountMinor() == amountMinor ? Decision.none()
            : Decision.refuse(Rejection.VALIDATION_FAILED, "terminalRef " + terminal.terminalRef() + " already records "
                + same.get().paymentId() + " of " + same.get().amountMinor() + ", not " + amountMinor);
      }
    }
    if (settledAt != null) return Decision.refuse(Rejection.BILL_SETTLED, "bill " + billId + " is already paid");
    if (amountMinor <= 0) return Decision.refuse(Rejection.VALIDATION_FAILED, "amountMinor must be positive");
    long open = dueMinor() - pendingMinor();
    if (open <= 0) {
      return Decision.refuse(Rejection.AMOUNT_EXCEEDS_DUE, "nothing is left to pay on bill " + billId
          + (pendingMinor() > 0 ? " while " + pendingMinor() + " awaits a pending payment" : ""));
    }
    Payment payment;
    if (method == Method.CASH) {
      long tendered = tenderedMinor == null ? amountMinor : tenderedMinor;
      if (tendered < amountMinor) {
        return Decision.refuse(Rejection.VALIDATION_FAILED, "tenderedMinor must be at least amountMinor");
      }
      long roundedOpen = cashRoundingMinor > 0 && pendingMinor() == 0 ? open - open % cashRoundingMinor : open;
      long writeOff = amountMinor < open && amountMinor >= roundedOpen ? open - roundedOpen : 0;
      long applied = Math.min(amountMinor, open - writeOff);
      payment = new Payment(nextPaymentId(), method, applied, tendered, tendered - applied, PaymentStatus.SUCCEEDED,
          null, null, requestId, at, null, null, null, null, at).by(takenBy);
      if (writeOff > 0) {
        List<Event> events = new ArrayList<>();
        events.add(new DiscountApplied(billId, requestId,
            new Discount("R-" + requestId, DiscountType.ROUNDING, writeOff, writeOff, "抹零 cash rounding", at)));
        events.add(new PaymentRecorded(billId, spec.tableId(), requestId, payment));
        events.add(new Settled(billId, spec.tableId(), spec.orderId(), at));
        return accepted(events);
      }
    } else {
      if (amountMinor > open) {
        return Decision.refuse(Rejection.AMOUNT_EXCEEDS_DUE, amountMinor + " is more than the " + open + " still open on bill " + billId);
      }
      if (method == Method.MEMBER && (memberId == null || memberId.isBlank())) {
        return Decision.refuse(Rejection.VALIDATION_FAILED, "a MEMBER payment names its memberId");
      }
      String id = nextPaymentId();
      payment = terminal != null
          ? new Payment(id, method, amountMinor, amountMinor, 0, PaymentStatus.SUCCEEDED, null, null, requestId, at,
              null, null, null, null, at).by(takenBy).on(terminal)
          : new Payment(id, method, amountMinor, amountMinor, 0, PaymentStatus.PENDING, id, null, requestId, at,
              authCode, method == Method.MEMBER ? memberId : null, null, null, null).by(takenBy);
    }
    List<Event> events = new ArrayList<>();
    events.add(new PaymentRecorded(billId, spec.tableId(), requestId, payment));
    if (payment.status() == PaymentStatus.SUCCEEDED && payment.amountMinor() == dueMinor()) {
      events.add(new Settled(billId, spec.tableId(), spec.orderId(), at));
    }
    return accepted(events);
  }

  public Decision<Event> decidePaymentOutcome(String paymentId, PaymentStatus outcome, String txnId, String code,
      String reason, Instant at) {
    if (!exists()) return missing();
    Optional<Payment> found = payment(paymentId);
    if (found.isEmpty()) return Decision.refuse(Rejection.NOT_FOUND, "no payment " + paymentId + " on bill " + billId);
    if (found.get().status() != PaymentStatus.PENDING || outcome == PaymentStatus.PENDING) return Decision.none();
    List<Event> events = new ArrayList<>();
    events.add(new PaymentSettled(billId, paymentId, outcome, txnId, code, reason, at));
    // a line voided while this tender was pending may leave the bill overpaid: that goes back now
    ExcessRefunds.add(this, apply(events.get(0)), events, "excess:" + paymentId, "the bill shrank while " + paymentId + " was pending", at);
    return accepted(events);
  }

  public Decision<Event> decideRefund(String requestId, String paymentId, long amountMinor, String reason, Instant at) {
    return decideRefund(requestId, paymentId, amountMinor, reason, null, at);
  }

  /** {@code takenBy}: who gave the money back, for the cashier's books. */
  public Decision<Event> decideRefund(String requestId, String paymentId, long amountMinor, String reason, String takenBy,
      Instant at) {
    return decideRefund(requestId, paymentId, amountMinor, reason, takenBy, null, null, at);
  }

  /**
   * A refund of a card taken on a standalone terminal was made on a terminal by the cashier: it is
   * recorded SUCCEEDED at once, with the terminal ({@code terminalId}, null: the payment's) and its
   * reference of the refund ({@code terminalRef}, null: not kept); the same reference recorded again for
   * the payment answers the refund it made. Any other refund goes as before.
   */
  public Decision<Event> decideRefund(String requestId, String paymentId, long amountMinor, String reason, String takenBy,
      String terminalId, String terminalRef, Instant at) {
    if (!exists()) return missing();
    if (requestId == null) return Decision.refuse(Rejection.VALIDATION_FAILED, "a refund carries its request id");
    if (refundOfRequest(requestId).isPresent()) return Decision.none();
    Optional<Payment> found = payment(paymentId);
    if (found.isEmpty()) return Decision.refuse(Rejection.NOT_FOUND, "no payment " + paymentId + " on bill " + billId);
    Payment p = found.get();
    TerminalSlip slip = p.onStandaloneTerminal() ? p.terminal().refundedOn(terminalId, terminalRef) : null;
    if (slip == null && (terminalId != null || terminalRef != null)) {
      return Decision.refuse(Rejection.VALIDATION_FAILED,
          "terminalId and terminalRef are for refunds of a card taken on a standalone terminal; " + paymentId + " was not");
    }
    if (slip != null && slip.problem(true).isPresent()) return Decision.refuse(Rejection.VALIDATION_FAILED, slip.problem(true).get());
    Optional<RefundEntry> same = refundOnSlip(paymentId, slip);
    if (same.isPresent()) {
      return same.get().amountMinor() == amountMinor ? Decision.none()
          : Decision.refuse(Rejection.VALIDATION_FAILED, "terminalRef " + terminalRef + " already records refund "
              + same.get().refundId() + " of " + same.get().amountMinor() + ", not " + amountMinor);
    }
    if (p.status() != PaymentStatus.SUCCEEDED) {
      return Decision.refuse(Rejection.PAYMENT_NOT_PENDING, "payment " + paymentId + " is " + p.status() + "; only a succeeded payment is refunded");
    }
    long refundable = p.amountMinor() - refunds.stream()
        .filter(r -> r.paymentId().equals(paymentId) && r.status() != RefundStatus.FAILED)
        .mapToLong(RefundEntry::amountMinor).sum();
    if (amountMinor <= 0 || amountMinor > refundable) {
      return Decision.refuse(Rejection.AMOUNT_EXCEEDS_REFUNDABLE,
          "payment " + paymentId + " has " + refundable + " left to refund, not " + amountMinor);
    }
    long sameTender = refunds.stream().filter(r -> r.paymentId().equals(paymentId)).count();
    String refundId = paymentId + "-R" + (sameTender + 1);
    // cash and a standalone terminal's refund have moved the money already; a gateway's is asked of the saga
    RefundStatus status = p.method() == Method.CASH || slip != null ? RefundStatus.SUCCEEDED : RefundStatus.PENDING;
    RefundEntry refund = new RefundEntry(refundId, paymentId, p.method(), amountMinor, status, reason, null, requestId,
        at, status == RefundStatus.SUCCEEDED ? at : null, takenBy, slip);
    return accepted(new RefundRecorded(billId, spec.tableId(), requestId, refund));
  }

  public Decision<Event> decideRefundOutcome(String refundId, boolean succeeded, String reason, Instant at) {
    if (!exists()) return missing();
    Optional<RefundEntry> pending = refunds.stream()
        .filter(r -> r.refundId().equals(refundId) && r.status() == RefundStatus.PENDING).findFirst();
    if (pending.isEmpty()) return Decision.none();
    List<Event> events = new ArrayList<>(List.of(new RefundSettled(billId, refundId, succeeded, reason, at)));
    if (!succeeded && !ExcessRefunds.automatic(pending.get())) {
      // a refund on its way counted as given back when the bill last weighed what it keeps (a tender that
      // succeeded after it found nothing to give back); it failed, so the bill weighs again. A failed
      // automatic refund stays with the venue, for people to sort out: trying it again could go on forever.
      ExcessRefunds.add(this, apply(events.get(0)), events, "unrefunded:" + refundId,
          "refund " + refundId + " failed while the bill kept more than it asks", at);
    }
    return Decision.accept(events);
  }

  /**
   * A line voided after billing leaves the bill; if more was paid than the bill now asks, the
   * difference goes back to the tenders, newest first; if the bill is thereby covered, it is settled.
   */
  public Decision<Event> decideRemoveLine(String lineId, String reason, Instant at) {
    if (!exists()) return missing();
    if (removedLines.contains(lineId)) return Decision.none();
    Optional<BillLine> found = spec.lines().stream().filter(l -> l.lineId().equals(lineId)).findFirst();
    if (found.isEmpty()) return Decision.refuse(Rejection.NOT_FOUND, "line " + lineId + " is not on bill " + billId);
    BillLine line = found.get();
    boolean shareOfEvenSplit = spec.subtotalMinor() != spec.lines().stream().mapToLong(BillLine::amountMinor).sum();
    if (shareOfEvenSplit) {
      return Decision.refuse(Rejection.LINE_ALREADY_BILLED, "bill " + billId + " is a share of an even split; its lines cannot change");
    }
    List<Event> events = new ArrayList<>();
    events.add(new LineRemoved(billId, lineId, line.amountMinor(), reason, at));
    ExcessRefunds.add(this, apply(events.get(0)), events, "void:" + lineId, "line " + lineId + " voided: " + reason, at);
    return accepted(events);
  }

  long pendingRefundMinor() {
    long sum = 0;
    for (RefundEntry r : refunds) if (r.status() == RefundStatus.PENDING) sum += r.amountMinor();
    return sum;
  }

  public Decision<Event> decideDiscount(String requestId, DiscountType type, long value, String reason, Instant at) {
    if (!exists()) return missing();
    if (discounts.stream().anyMatch(d -> d.discountId().equals(discountIdOf(requestId)))) return Decision.none();
    if (settledAt != null) return Decision.refuse(Rejection.BILL_SETTLED, "bill " + billId + " is already paid");
    if (discounts.size() >= MAX_DISCOUNTS) return Decision.refuse(Rejection.VALIDATION_FAILED, "too many discounts on one bill");
    long base = subtotalMinor() - discountMinor();
    if (type == DiscountType.ROUNDING) {
      return Decision.refuse(Rejection.VALIDATION_FAILED, "rounding is applied by cash payments, not by hand");
    }
    if (type == DiscountType.PERCENT && (value < 1 || value > 100)) {
      return Decision.refuse(Rejection.VALIDATION_FAILED, "a percent discount is 1..100");
    }
    if (type == DiscountType.AMOUNT && value < 1) return Decision.refuse(Rejection.VALIDATION_FAILED, "an amount discount is positive");
    long amount = type == DiscountType.PERCENT ? Money.percentOf(base, value) : Math.min(value, base);
    Discount discount = new Discount(discountIdOf(requestId), type, value, amount, reason, at);
    BillState after = apply(new DiscountApplied(billId, requestId, discount));
    if (after.totalMinor() < paidMinor() - refundedMinor() + pendingMinor()) {
      return Decision.refuse(Rejection.AMOUNT_EXCEEDS_DUE, "the discount would make the bill smaller than what is paid or being paid");
    }
    List<Event> events = new ArrayList<>();
    events.add(new DiscountApplied(billId, requestId, discount));
    if (after.dueMinor() == 0 && after.pendingMinor() == 0) events.add(new Settled(billId, spec.tableId(), spec.orderId(), at));
    return accepted(events);
  }

  @Override
  public BillState apply(Event event) {
    if (event instanceof Opened e) {
      return new BillState(billId, e.spec(), e.serviceChargePercent(), List.of(), List.of(), e.at(), null, false, List.of(),
          e.cashRoundingMinor(), List.of(), List.of());
    }
    if (event instanceof DiscountApplied e) return with(discounts, e.discount(), payments, refunds, settledAt, tableInformed);
    if (event instanceof PaymentRecorded e) return with(discounts, null, added(payments, e.payment()), refunds, settledAt, tableInformed);
    if (event instanceof PaymentSettled e) {
      return with(discounts, null, payments.stream().map(p -> p.paymentId().equals(e.paymentId())
          ? p.settled(e.status(), e.gatewayTxnId(), e.failureCode(), e.failureReason(), e.at()) : p).toList(),
          refunds, settledAt, tableInformed);
    }
    if (event instanceof PaymentUnderway e) {
      BillState s = with(discounts, null, payments.stream().map(p -> p.paymentId().equals(e.paymentId())
          ? p.withQrCode(e.qrCodeUrl()) : p).toList(), refunds, settledAt, tableInformed);
      return s.underway(e.paymentId());
    }
    if (event instanceof RefundUnderway e) return underway(e.refundId());
    if (event instanceof RefundRecorded e) return with(discounts, null, payments, added(refunds, e.refund()), settledAt, tableInformed);
    if (event instanceof RefundSettled e) {
      return with(discounts, null, payments, refunds.stream().map(r -> r.refundId().equals(e.refundId())
          ? new RefundEntry(r.refundId(), r.paymentId(), r.method(), r.amountMinor(),
              e.succeeded() ? RefundStatus.SUCCEEDED : RefundStatus.FAILED, r.reason(), e.reason(), r.requestId(), r.at(), e.at(),
              r.takenBy(), r.terminal())
          : r).toList(), settledAt, tableInformed);
    }
    if (event instanceof Settled e) return with(discounts, null, payments, refunds, e.at(), false);
    if (event instanceof TableInformed) return with(discounts, null, payments, refunds, settledAt, true);
    if (event instanceof LineRemoved e) {
      return new BillState(billId, spec, serviceChargePercent, discounts, payments, openedAt, settledAt, tableInformed,
          refunds, cashRoundingMinor, added(removedLines, e.lineId()), underway);
    }
    throw new IllegalStateException("unknown event " + event);
  }

  private BillState with(List<Discount> ds, Discount added, List<Payment> ps, List<RefundEntry> rs, Instant settled,
      boolean informed) {
    return new BillState(billId, spec, serviceChargePercent, added == null ? ds : added(ds, added), ps, openedAt, settled,
        informed, rs, cashRoundingMinor, removedLines, underway);
  }

  private BillState underway(String id) {
    return new BillState(billId, spec, serviceChargePercent, discounts, payments, openedAt, settledAt, tableInformed,
        refunds, cashRoundingMinor, removedLines, added(underway, id));
  }

  private static <T> List<T> added(List<T> list, T item) {
    List<T> next = new ArrayList<>(list);
    next.add(item);
    return List.copyOf(next);
  }

  public BillTotals totals() {
    return new BillTotals(subtotalMinor(), discountMinor(), serviceChargeMinor(), totalMinor());
  }

  @SafeVarargs
  private Decision<Event> accepted(Event... events) {
    return accepted(List.of(events));
  }

  /** The events as decided, with the bill's money after each one stamped on those that change it. */
  private Decision<Event> accepted(List<Event> events) {
    return Decision.accept(stamped(events));
  }

  private List<Event> stamped(List<Event> events) {
    List<Event> out = new ArrayList<>(events.size());
    BillState s = this;
    for (Event e : events) {
      BillState after = s.apply(e);
      if (e instanceof Settled x && x.totals() == null) e = new Settled(x.billId(), x.tableId(), x.orderId(), x.at(), after.totals());
      else if (e instanceof LineRemoved x && x.totals() == null) {
        e = new LineRemoved(x.billId(), x.lineId(), x.amountMinor(), x.reason(), x.at(), after.totals());
      } else if (e instanceof DiscountApplied x && x.totals() == null) {
        e = new DiscountApplied(x.billId(), x.requestId(), x.discount(), after.totals());
      }
      out.add(e);
      s = after;
    }
    return out;
  }

  public View view() {
    if (!exists()) {
      return new View(false, billId, null, null, null, null, List.of(), 0, 0, 0, 0, 0, 0, 0, 0, 0, List.of(), List.of(),
          null, null, 0, List.of(), List.of());
    }
    return new View(true, billId, spec.tableId(), spec.orderId(), spec.waiter(), status(), spec.lines(), spec.part(),
        spec.parts(), subtotalMinor(), discountMinor(), serviceChargeMinor(), totalMinor(), paidMinor(),
        refundedMinor(), dueMinor(), discounts, payments, openedAt, settledAt, pendingMinor(), refunds, removedLines);
  }

  private long sumPayments(PaymentStatus status) {
    long sum = 0;
    for (Payment p : payments) if (p.status() == status) sum += p.amountMinor();
    return sum;
  }

  private String nextPaymentId() {
    return billId + "-P" + (payments.size() + 1);
  }

  private String discountIdOf(String requestId) {
    return "D-" + requestId;
  }

  // ---- what the bill owes others, and their answers ----


  /** Everything the bill still owes: sagas to start, refunds to ask for, the table to tell. */
  public List<Owed> owed() {
    return Owed.of(this);
  }

  /** The receiver of what {@code key} names holds it: a saga took its payment or refund on, or the table knows. */
  public Decision<Event> decideDelivered(String key, Object answer, Instant at) {
    for (Owed o : owed()) {
      if (!o.key().equals(key)) continue;
      if (o instanceof Owed.PaymentToStart p) {
        String qr = answer instanceof PaymentProgress progress ? progress.qrCodeUrl() : null;
        return Decision.accept(new PaymentUnderway(billId, p.order().paymentId(), qr, at));
      }
      if (o instanceof Owed.RefundToAsk r) return Decision.accept(new RefundUnderway(billId, r.refundId()));
      return Decision.accept(new TableInformed(billId));
    }
    return Decision.none();
  }

  /** The receiver said no for good: a refund its saga cannot make fails; a payment its saga refuses fails. */
  public Decision<Event> decideRefused(String key, Rejection code, String detail, Instant at) {
    for (Owed o : owed()) {
      if (!o.key().equals(key)) continue;
      if (o instanceof Owed.RefundToAsk r) return decideRefundOutcome(r.refundId(), false, detail, at);
      if (o instanceof Owed.PaymentToStart p) {
        return decidePaymentOutcome(p.order().paymentId(), PaymentStatus.FAILED, null, code.name(), detail, at);
      }
      return Decision.accept(new TableInformed(billId)); // a table that does not know its bill will never ask for it
    }
    return Decision.none();
  }

  public Optional<Payment> payment(String paymentId) {
    return payments.stream().filter(p -> p.paymentId().equals(paymentId)).findFirst();
  }

  private Decision<Event> missing() {
    return Decision.refuse(Rejection.NOT_FOUND, "no bill " + billId);
  }
}
