package io.orderengine.engine.bill;

import io.orderengine.engine.Decision;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.bill.Bill.Event;
import io.orderengine.engine.bill.Bill.LineRemoved;
import io.orderengine.engine.bill.Bill.Method;
import io.orderengine.engine.bill.Bill.Opened;
import io.orderengine.engine.bill.Bill.Payment;
import io.orderengine.engine.bill.Bill.PaymentSettled;
import io.orderengine.engine.bill.Bill.PaymentStatus;
import io.orderengine.engine.bill.Bill.PaymentUnderway;
import io.orderengine.engine.bill.Bill.RefundEntry;
import io.orderengine.engine.bill.Bill.RefundRecorded;
import io.orderengine.engine.bill.Bill.RefundSettled;
import io.orderengine.engine.bill.Bill.RefundStatus;
import io.orderengine.engine.bill.Bill.RefundUnderway;
import io.orderengine.engine.bill.Bill.TableInformed;
import io.orderengine.engine.bill.Bill.View;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A bill that was opened, {@link BillState.Open} or {@link BillState.Settled}: what both stages decide
 * alike (the outcomes of tenders and refunds, refunds, voided lines, the answers to what it owes) and
 * how they fold the events that change only the {@link Tab}.
 */
public sealed interface OpenedBill extends BillState permits BillState.Open, BillState.Settled {

  /** The stage with {@code tab} after an event that changes only the tab. */
  OpenedBill with(Tab tab);

  @Override
  default boolean exists() {
    return true;
  }

  @Override
  default BillState apply(Event event) {
    if (event instanceof Opened e) return new BillState.Unopened(billId()).apply(e);
    if (event instanceof Bill.Settled e) return new BillState.Settled(billId(), tab(), e.at(), false);
    return with(tab().apply(event));
  }

  @Override
  default View view() {
    Tab t = tab();
    BillSpec spec = t.spec();
    return new View(true, billId(), spec.tableId(), spec.orderId(), spec.waiter(), status(), spec.lines(), spec.part(),
        spec.parts(), t.subtotalMinor(), t.discountMinor(), t.serviceChargeMinor(), t.totalMinor(), t.paidMinor(),
        t.refundedMinor(), dueMinor(), t.discounts(), t.payments(), t.openedAt(), settledAt(), t.pendingMinor(),
        t.refunds(), t.removedLines());
  }

  /** A payment answered without deciding it again (its request's, its slip's), or a slip that cannot be taken. */
  default Optional<Decision<Event>> answeredPay(String requestId, Method method, long amountMinor, String authCode,
      TerminalSlip terminal) {
    if (requestId == null) {
      return Optional.of(Decision.refuse(Rejection.VALIDATION_FAILED, "a payment carries its request id"));
    }
    if (tab().paymentOfRequest(requestId).isPresent()) return Optional.of(Decision.none());
    if (terminal == null) return Optional.empty();
    Optional<String> wrong = method != Method.CARD ? Optional.of("a terminal's slip is of a CARD payment")
        : authCode != null ? Optional.of("a card on a standalone terminal has no authCode") : terminal.problem(false);
    if (wrong.isPresent()) return Optional.of(Decision.refuse(Rejection.VALIDATION_FAILED, wrong.get()));
    return tab().paymentOnSlip(terminal).map(same -> same.amountMinor() == amountMinor ? Decision.none()
        : Decision.refuse(Rejection.VALIDATION_FAILED, "terminalRef " + terminal.terminalRef() + " already records "
            + same.paymentId() + " of " + same.amountMinor() + ", not " + amountMinor));
  }

  @Override
  default Decision<Event> decidePaymentOutcome(String paymentId, PaymentStatus outcome, String txnId, String code,
      String reason, Instant at) {
    Optional<Payment> found = tab().payment(paymentId);
    if (found.isEmpty()) return Decision.refuse(Rejection.NOT_FOUND, "no payment " + paymentId + " on bill " + billId());
    if (found.get().status() != PaymentStatus.PENDING || outcome == PaymentStatus.PENDING) return Decision.none();
    List<Event> events = new ArrayList<>();
    events.add(new PaymentSettled(billId(), paymentId, outcome, txnId, code, reason, at));
    // a line voided while this tender was pending may leave the bill overpaid: that goes back now
    ExcessRefunds.add(this, apply(events.get(0)), events, "excess:" + paymentId,
        "the bill shrank while " + paymentId + " was pending", at);
    return Decision.accept(tab().stamped(events));
  }

  @Override
  default Decision<Event> decideRefund(String requestId, String paymentId, long amountMinor, String reason,
      String takenBy, String terminalId, String terminalRef, Instant at) {
    if (requestId == null) return Decision.refuse(Rejection.VALIDATION_FAILED, "a refund carries its request id");
    if (tab().refundOfRequest(requestId).isPresent()) return Decision.none();
    Optional<Payment> found = tab().payment(paymentId);
    if (found.isEmpty()) return Decision.refuse(Rejection.NOT_FOUND, "no payment " + paymentId + " on bill " + billId());
    Payment p = found.get();
    TerminalSlip slip = p.onStandaloneTerminal() ? p.terminal().refundedOn(terminalId, terminalRef) : null;
    if (slip == null && (terminalId != null || terminalRef != null)) {
      return Decision.refuse(Rejection.VALIDATION_FAILED,
          "terminalId and terminalRef are for refunds of a card taken on a standalone terminal; " + paymentId + " was not");
    }
    if (slip != null && slip.problem(true).isPresent()) {
      return Decision.refuse(Rejection.VALIDATION_FAILED, slip.problem(true).get());
    }
    Optional<RefundEntry> same = tab().refundOnSlip(paymentId, slip);
    if (same.isPresent()) {
      return same.get().amountMinor() == amountMinor ? Decision.none()
          : Decision.refuse(Rejection.VALIDATION_FAILED, "terminalRef " + terminalRef + " already records refund "
              + same.get().refundId() + " of " + same.get().amountMinor() + ", not " + amountMinor);
    }
    if (p.status() != PaymentStatus.SUCCEEDED) {
      return Decision.refuse(Rejection.PAYMENT_NOT_PENDING,
          "payment " + paymentId + " is " + p.status() + "; only a succeeded payment is refunded");
    }
    long refundable = tab().refundableMinor(p);
    if (amountMinor <= 0 || amountMinor > refundable) {
      return Decision.refuse(Rejection.AMOUNT_EXCEEDS_REFUNDABLE,
          "payment " + paymentId + " has " + refundable + " left to refund, not " + amountMinor);
    }
    // cash and a standalone terminal's refund have moved the money already; a gateway's is asked of the saga
    RefundStatus status = p.method() == Method.CASH || slip != null ? RefundStatus.SUCCEEDED : RefundStatus.PENDING;
    RefundEntry refund = new RefundEntry(tab().nextRefundId(paymentId, 0), paymentId, p.method(), amountMinor, status,
        reason, null, requestId, at, status == RefundStatus.SUCCEEDED ? at : null, takenBy, slip);
    return Decision.accept(new RefundRecorded(billId(), tab().spec().tableId(), requestId, refund));
  }

  @Override
  default Decision<Event> decideRefundOutcome(String refundId, boolean succeeded, String reason, Instant at) {
    Optional<RefundEntry> pending = tab().refunds().stream()
        .filter(r -> r.refundId().equals(refundId) && r.status() == RefundStatus.PENDING).findFirst();
    if (pending.isEmpty()) return Decision.none();
    List<Event> events = new ArrayList<>(List.of(new RefundSettled(billId(), refundId, succeeded, reason, at)));
    if (!succeeded && !ExcessRefunds.automatic(pending.get())) {
      // a refund on its way counted as given back when the bill last weighed what it keeps (a tender that
      // succeeded after it found nothing to give back); it failed, so the bill weighs again. A failed
      // automatic refund stays with the venue, for people to sort out: trying it again could go on forever.
      ExcessRefunds.add(this, apply(events.get(0)), events, "unrefunded:" + refundId,
          "refund " + refundId + " failed while the bill kept more than it asks", at);
    }
    return Decision.accept(events);
  }

  @Override
  default Decision<Event> decideRemoveLine(String lineId, String reason, Instant at) {
    BillSpec spec = tab().spec();
    if (tab().removedLines().contains(lineId)) return Decision.none();
    Optional<BillLine> found = spec.lines().stream().filter(l -> l.lineId().equals(lineId)).findFirst();
    if (found.isEmpty()) return Decision.refuse(Rejection.NOT_FOUND, "line " + lineId + " is not on bill " + billId());
    boolean shareOfEvenSplit = spec.subtotalMinor() != spec.lines().stream().mapToLong(BillLine::amountMinor).sum();
    if (shareOfEvenSplit) {
      return Decision.refuse(Rejection.LINE_ALREADY_BILLED,
          "bill " + billId() + " is a share of an even split; its lines cannot change");
    }
    List<Event> events = new ArrayList<>();
    events.add(new LineRemoved(billId(), lineId, found.get().amountMinor(), reason, at));
    ExcessRefunds.add(this, apply(events.get(0)), events, "void:" + lineId, "line " + lineId + " voided: " + reason, at);
    return Decision.accept(tab().stamped(events));
  }

  @Override
  default Decision<Event> decideDelivered(String key, Object answer, Instant at) {
    for (Owed o : owed()) {
      if (!o.key().equals(key)) continue;
      if (o instanceof Owed.PaymentToStart p) {
        String qr = answer instanceof PaymentProgress progress ? progress.qrCodeUrl() : null;
        var jsapi = answer instanceof PaymentProgress progress ? progress.jsapi() : null;
        return Decision.accept(new PaymentUnderway(billId(), p.order().paymentId(), qr, at, jsapi));
      }
      if (o instanceof Owed.RefundToAsk r) return Decision.accept(new RefundUnderway(billId(), r.refundId()));
      return Decision.accept(new TableInformed(billId()));
    }
    return Decision.none();
  }

  @Override
  default Decision<Event> decideRefused(String key, Rejection code, String detail, Instant at) {
    for (Owed o : owed()) {
      if (!o.key().equals(key)) continue;
      if (o instanceof Owed.RefundToAsk r) return decideRefundOutcome(r.refundId(), false, detail, at);
      if (o instanceof Owed.PaymentToStart p) {
        return decidePaymentOutcome(p.order().paymentId(), PaymentStatus.FAILED, null, code.name(), detail, at);
      }
      return Decision.accept(new TableInformed(billId())); // a table that does not know its bill will never ask for it
    }
    return Decision.none();
  }
}
