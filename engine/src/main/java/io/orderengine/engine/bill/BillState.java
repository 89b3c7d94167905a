package io.orderengine.engine.bill;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
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
import io.orderengine.engine.bill.Bill.Method;
import io.orderengine.engine.bill.Bill.Opened;
import io.orderengine.engine.bill.Bill.Payment;
import io.orderengine.engine.bill.Bill.PaymentRecorded;
import io.orderengine.engine.bill.Bill.PaymentStatus;
import io.orderengine.engine.bill.Bill.RefundEntry;
import io.orderengine.engine.bill.Bill.Status;
import io.orderengine.engine.bill.Bill.TableInformed;
import io.orderengine.engine.bill.Bill.View;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The bill's pure core, one record per stage of its life: {@link Unopened} (no bill under the id
 * yet), {@link Open} (taking tenders and discounts) and {@link Settled} (paid in full, or voided: it
 * takes no more money, but still its refunds, the outcomes of what is under way, and voided lines).
 * What is on the bill, and the money rules, live in its {@link Tab}, whatever the stage; what it
 * owes others (sagas to start, the table to tell) is {@link #owed()}; what the opened stages decide
 * alike is {@link OpenedBill}. Decisions are values.
 *
 * <p>A command a stage does not take is refused here, once: the defaults below are the answers of a
 * bill never opened, and the stages that answer otherwise override them.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "stage")
@JsonSubTypes({
  @JsonSubTypes.Type(value = BillState.Unopened.class, name = "UNOPENED"),
  @JsonSubTypes.Type(value = BillState.Open.class, name = "OPEN"),
  @JsonSubTypes.Type(value = BillState.Settled.class, name = "SETTLED")
})
public sealed interface BillState extends DomainEntity.Evolving<Event, BillState>, CborSerializable
    permits BillState.Unopened, OpenedBill {

  int MAX_DISCOUNTS = 20;

  static BillState empty(String billId) {
    return new Unopened(billId);
  }

  String billId();

  /** What is on the bill; {@link Tab#EMPTY} before it is opened. */
  Tab tab();

  View view();

  default boolean exists() {
    return false;
  }

  default Instant settledAt() {
    return null;
  }

  default boolean tableInformed() {
    return false;
  }

  /** Settled, and the table has yet to hear of it. */
  default boolean awaitsTable() {
    return false;
  }

  default Status status() {
    return tab().paidMinor() - tab().refundedMinor() > 0 ? Status.PARTIALLY_PAID : Status.OPEN;
  }

  /** What the diners still owe; a settled bill owes nothing, even after a goodwill refund. */
  default long dueMinor() {
    return 0;
  }

  /** Everything the bill still owes: sagas to start, refunds to ask for, the table to tell. */
  default List<Owed> owed() {
    return Owed.of(this);
  }

  // ---- what is on the bill: its tab's ----

  default long subtotalMinor() {
    return tab().subtotalMinor();
  }

  default long discountMinor() {
    return tab().discountMinor();
  }

  default long serviceChargeMinor() {
    return tab().serviceChargeMinor();
  }

  default long totalMinor() {
    return tab().totalMinor();
  }

  default BillTotals totals() {
    return tab().totals();
  }

  default long paidMinor() {
    return tab().paidMinor();
  }

  /** Money reserved by payments whose outcome is not known yet. */
  default long pendingMinor() {
    return tab().pendingMinor();
  }

  default long refundedMinor() {
    return tab().refundedMinor();
  }

  default List<Payment> payments() {
    return tab().payments();
  }

  default List<RefundEntry> refunds() {
    return tab().refunds();
  }

  default List<Payment> pendingPayments() {
    return tab().pendingPayments();
  }

  default List<RefundEntry> pendingRefunds() {
    return tab().pendingRefunds();
  }

  default Optional<Payment> payment(String paymentId) {
    return tab().payment(paymentId);
  }

  default Optional<Payment> paymentOfRequest(String requestId) {
    return tab().paymentOfRequest(requestId);
  }

  default Optional<RefundEntry> refundOfRequest(String requestId) {
    return tab().refundOfRequest(requestId);
  }

  /** The payment a Pay answers with: the one of its request, or the one its terminal's slip recorded before. */
  default Optional<Payment> paymentAnswering(String requestId, TerminalSlip terminal) {
    return tab().paymentOfRequest(requestId).or(() -> tab().paymentOnSlip(terminal));
  }

  /** The refund a Refund answers with: the one of its request, or the one its terminal's slip recorded before. */
  default Optional<RefundEntry> refundAnswering(String requestId, String paymentId, String terminalId, String terminalRef) {
    return tab().refundOfRequest(requestId).or(() -> tab().payment(paymentId)
        .filter(Payment::onStandaloneTerminal)
        .flatMap(p -> tab().refundOnSlip(paymentId, p.terminal().refundedOn(terminalId, terminalRef))));
  }

  // ---- decisions: a bill never opened refuses them, an opened one ignores another opening ----

  default Decision<Event> decideOpen(BillSpec newSpec, int serviceCharge, Instant at) {
    return decideOpen(newSpec, serviceCharge, 0, at);
  }

  default Decision<Event> decideOpen(BillSpec newSpec, int serviceCharge, int cashRounding, Instant at) {
    return Decision.none();
  }

  default Decision<Event> decidePay(String requestId, Method method, long amountMinor, Long tenderedMinor, Instant at) {
    return decidePay(requestId, method, amountMinor, tenderedMinor, null, null, null, at);
  }

  default Decision<Event> decidePay(String requestId, Method method, long amountMinor, Long tenderedMinor,
      String authCode, String memberId, Instant at) {
    return decidePay(requestId, method, amountMinor, tenderedMinor, authCode, memberId, null, at);
  }

  default Decision<Event> decidePay(String requestId, Method method, long amountMinor, Long tenderedMinor,
      String authCode, String memberId, String takenBy, Instant at) {
    return decidePay(requestId, method, amountMinor, tenderedMinor, authCode, memberId, takenBy, null, at);
  }

  /**
   * {@code takenBy}: who took the money, for the cashier's books; the decision does not depend on it.
   * {@code terminal}: the slip of a card the cashier took on a standalone terminal (null otherwise): the
   * money has moved already, so the payment is recorded SUCCEEDED at once and no saga is started; the
   * same slip recorded again on this bill answers the payment it made.
   */
  default Decision<Event> decidePay(String requestId, Method method, long amountMinor, Long tenderedMinor,
      String authCode, String memberId, String takenBy, TerminalSlip terminal, Instant at) {
    return decidePay(requestId, method, amountMinor, tenderedMinor, authCode, memberId, takenBy, terminal, null, at);
  }

  /** {@code openid}: the diner's WeChat openid, for a WECHAT payment made inside WeChat (JSAPI); else null. */
  default Decision<Event> decidePay(String requestId, Method method, long amountMinor, Long tenderedMinor,
      String authCode, String memberId, String takenBy, TerminalSlip terminal, String openid, Instant at) {
    return missing();
  }

  default Decision<Event> decidePaymentOutcome(String paymentId, PaymentStatus outcome, String txnId, String code,
      String reason, Instant at) {
    return missing();
  }

  default Decision<Event> decideRefund(String requestId, String paymentId, long amountMinor, String reason, Instant at) {
    return decideRefund(requestId, paymentId, amountMinor, reason, null, at);
  }

  /** {@code takenBy}: who gave the money back, for the cashier's books. */
  default Decision<Event> decideRefund(String requestId, String paymentId, long amountMinor, String reason,
      String takenBy, Instant at) {
    return decideRefund(requestId, paymentId, amountMinor, reason, takenBy, null, null, at);
  }

  /**
   * A refund of a card taken on a standalone terminal was made on a terminal by the cashier: it is
   * recorded SUCCEEDED at once, with the terminal ({@code terminalId}, null: the payment's) and its
   * reference of the refund ({@code terminalRef}, null: not kept); the same reference recorded again for
   * the payment answers the refund it made. Any other refund goes as before.
   */
  default Decision<Event> decideRefund(String requestId, String paymentId, long amountMinor, String reason,
      String takenBy, String terminalId, String terminalRef, Instant at) {
    return missing();
  }

  default Decision<Event> decideRefundOutcome(String refundId, boolean succeeded, String reason, Instant at) {
    return missing();
  }

  /**
   * A line voided after billing leaves the bill; if more was paid than the bill now asks, the
   * difference goes back to the tenders, newest first; if the bill is thereby covered, it is settled.
   */
  default Decision<Event> decideRemoveLine(String lineId, String reason, Instant at) {
    return missing();
  }

  default Decision<Event> decideDiscount(String requestId, DiscountType type, long value, String reason, Instant at) {
    return missing();
  }

  /** The receiver of what {@code key} names holds it: a saga took its payment or refund on, or the table knows. */
  default Decision<Event> decideDelivered(String key, Object answer, Instant at) {
    return Decision.none();
  }

  /** The receiver said no for good: a refund its saga cannot make fails; a payment its saga refuses fails. */
  default Decision<Event> decideRefused(String key, Rejection code, String detail, Instant at) {
    return Decision.none();
  }

  private Decision<Event> missing() {
    return Decision.refuse(Rejection.NOT_FOUND, "no bill " + billId());
  }

  // ---- the stages ----

  /** No bill under this id yet: it is made from its table's settlement data, and nothing else is taken. */
  record Unopened(String billId) implements BillState {

    @Override
    public Tab tab() {
      return Tab.EMPTY;
    }

    /** A bill of free dishes owes nothing from the start: it is settled as it opens. */
    @Override
    public Decision<Event> decideOpen(BillSpec newSpec, int serviceCharge, int cashRounding, Instant at) {
      Opened opened = new Opened(newSpec, serviceCharge, at, cashRounding);
      return newSpec.subtotalMinor() == 0
          ? Decision.accept(opened, new Bill.Settled(newSpec.billId(), newSpec.tableId(), newSpec.orderId(), at))
          : Decision.accept(opened);
    }

    @Override
    public BillState apply(Event event) {
      if (event instanceof Opened e) return new Open(billId, Tab.of(e));
      throw new IllegalStateException("bill " + billId + " is not opened for " + event);
    }

    @Override
    public View view() {
      return new View(false, billId, null, null, null, null, List.of(), 0, 0, 0, 0, 0, 0, 0, 0, 0, List.of(), List.of(),
          null, null, 0, List.of(), List.of());
    }
  }

  /** Opened and not yet covered: takes tenders, and discounts, until what is paid covers it. */
  record Open(String billId, Tab tab) implements OpenedBill {

    @Override
    public Open with(Tab next) {
      return new Open(billId, next);
    }

    @Override
    public long dueMinor() {
      return tab.owingMinor();
    }

    @Override
    public Decision<Event> decidePay(String requestId, Method method, long amountMinor, Long tenderedMinor,
        String authCode, String memberId, String takenBy, TerminalSlip terminal, String openid, Instant at) {
      return answeredPay(requestId, method, amountMinor, authCode, terminal).orElseGet(() -> {
        if (openid != null && (method != Method.WECHAT || authCode != null || terminal != null || openid.isBlank())) {
          return Decision.refuse(Rejection.VALIDATION_FAILED,
              "an openid is the payer of a WECHAT payment made inside WeChat, without authCode");
        }
        return take(requestId, method, amountMinor, tenderedMinor, authCode, memberId, takenBy, terminal, openid, at);
      });
    }

    /** A new tender: cash is taken at once (with 抹零 written off), a standalone card too, any other goes to its saga. */
    private Decision<Event> take(String requestId, Method method, long amountMinor, Long tenderedMinor, String authCode,
        String memberId, String takenBy, TerminalSlip terminal, String openid, Instant at) {
      if (amountMinor <= 0) return Decision.refuse(Rejection.VALIDATION_FAILED, "amountMinor must be positive");
      long pending = tab.pendingMinor();
      long open = dueMinor() - pending;
      if (open <= 0) {
        return Decision.refuse(Rejection.AMOUNT_EXCEEDS_DUE, "nothing is left to pay on bill " + billId
            + (pending > 0 ? " while " + pending + " awaits a pending payment" : ""));
      }
      String id = billId + "-P" + (tab.payments().size() + 1);
      BillSpec spec = tab.spec();
      Payment payment;
      if (method == Method.CASH) {
        long tendered = tenderedMinor == null ? amountMinor : tenderedMinor;
        if (tendered < amountMinor) {
          return Decision.refuse(Rejection.VALIDATION_FAILED, "tenderedMinor must be at least amountMinor");
        }
        long writeOff = tab.cashWriteOffMinor(open, amountMinor);
        long applied = Math.min(amountMinor, open - writeOff);
        payment = new Payment(id, method, applied, tendered, tendered - applied, PaymentStatus.SUCCEEDED,
            null, null, requestId, at, null, null, null, null, at).by(takenBy);
        if (writeOff > 0) {
          return Decision.accept(tab.stamped(List.of(
              new DiscountApplied(billId, requestId,
                  new Discount("R-" + requestId, DiscountType.ROUNDING, writeOff, writeOff, "抹零 cash rounding", at)),
              new PaymentRecorded(billId, spec.tableId(), requestId, payment),
              new Bill.Settled(billId, spec.tableId(), spec.orderId(), at))));
        }
      } else {
        if (amountMinor > open) {
          return Decision.refuse(Rejection.AMOUNT_EXCEEDS_DUE,
              amountMinor + " is more than the " + open + " still open on bill " + billId);
        }
        if (method == Method.MEMBER && (memberId == null || memberId.isBlank())) {
          return Decision.refuse(Rejection.VALIDATION_FAILED, "a MEMBER payment names its memberId");
        }
        payment = terminal != null
            ? new Payment(id, method, amountMinor, amountMinor, 0, PaymentStatus.SUCCEEDED, null, null, requestId, at,
                null, null, null, null, at).by(takenBy).on(terminal)
            : new Payment(id, method, amountMinor, amountMinor, 0, PaymentStatus.PENDING, id, null, requestId, at,
                authCode, method == Method.MEMBER ? memberId : null, null, null, null).by(takenBy).forPayer(openid);
      }
      List<Event> events = new ArrayList<>();
      events.add(new PaymentRecorded(billId, spec.tableId(), requestId, payment));
      if (payment.status() == PaymentStatus.SUCCEEDED && payment.amountMinor() == dueMinor()) {
        events.add(new Bill.Settled(billId, spec.tableId(), spec.orderId(), at));
      }
      return Decision.accept(tab.stamped(events));
    }

    @Override
    public Decision<Event> decideDiscount(String requestId, DiscountType type, long value, String reason, Instant at) {
      String discountId = "D-" + requestId;
      if (tab.discounts().stream().anyMatch(d -> d.discountId().equals(discountId))) return Decision.none();
      if (tab.discounts().size() >= MAX_DISCOUNTS) {
        return Decision.refuse(Rejection.VALIDATION_FAILED, "too many discounts on one bill");
      }
      long base = tab.subtotalMinor() - tab.discountMinor();
      if (type == DiscountType.ROUNDING) {
        return Decision.refuse(Rejection.VALIDATION_FAILED, "rounding is applied by cash payments, not by hand");
      }
      if (type == DiscountType.PERCENT && (value < 1 || value > 100)) {
        return Decision.refuse(Rejection.VALIDATION_FAILED, "a percent discount is 1..100");
      }
      if (type == DiscountType.AMOUNT && value < 1) {
        return Decision.refuse(Rejection.VALIDATION_FAILED, "an amount discount is positive");
      }
      long amount = type == DiscountType.PERCENT ? Money.percentOf(base, value) : Math.min(value, base);
      DiscountApplied applied = new DiscountApplied(billId, requestId,
          new Discount(discountId, type, value, amount, reason, at));
      BillState after = apply(applied);
      if (after.totalMinor() < tab.paidMinor() - tab.refundedMinor() + tab.pendingMinor()) {
        return Decision.refuse(Rejection.AMOUNT_EXCEEDS_DUE,
            "the discount would make the bill smaller than what is paid or being paid");
      }
      List<Event> events = new ArrayList<>(List.of(applied));
      if (after.dueMinor() == 0 && after.pendingMinor() == 0) {
        events.add(new Bill.Settled(billId, tab.spec().tableId(), tab.spec().orderId(), at));
      }
      return Decision.accept(tab.stamped(events));
    }
  }

  /**
   * Paid in full (or voided, or free from the start) at {@code settledAt}; {@code tableInformed}: the
   * table holds it. It takes no more money, but still refunds, outcomes, and voided lines.
   */
  record Settled(String billId, Tab tab, Instant settledAt, boolean tableInformed) implements OpenedBill {

    @Override
    public Settled with(Tab next) {
      return new Settled(billId, next, settledAt, tableInformed);
    }

    @Override
    public BillState apply(Event event) {
      if (event instanceof TableInformed) return new Settled(billId, tab, settledAt, true);
      return OpenedBill.super.apply(event);
    }

    @Override
    public boolean awaitsTable() {
      return !tableInformed;
    }

    @Override
    public Status status() {
      return tab.subtotalMinor() == 0 && tab.paidMinor() == 0 ? Status.VOIDED : Status.PAID;
    }

    @Override
    public Decision<Event> decidePay(String requestId, Method method, long amountMinor, Long tenderedMinor,
        String authCode, String memberId, String takenBy, TerminalSlip terminal, String openid, Instant at) {
      return answeredPay(requestId, method, amountMinor, authCode, terminal)
          .orElseGet(() -> Decision.refuse(Rejection.BILL_SETTLED, "bill " + billId + " is already paid"));
    }

    @Override
    public Decision<Event> decideDiscount(String requestId, DiscountType type, long value, String reason, Instant at) {
      if (tab.discounts().stream().anyMatch(d -> d.discountId().equals("D-" + requestId))) return Decision.none();
      return Decision.refuse(Rejection.BILL_SETTLED, "bill " + billId + " is already paid");
    }
  }
}
