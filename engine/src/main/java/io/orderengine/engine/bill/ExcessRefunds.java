package io.orderengine.engine.bill;

import io.orderengine.engine.bill.Bill.Event;
import io.orderengine.engine.bill.Bill.Method;
import io.orderengine.engine.bill.Bill.Payment;
import io.orderengine.engine.bill.Bill.PaymentStatus;
import io.orderengine.engine.bill.Bill.RefundEntry;
import io.orderengine.engine.bill.Bill.RefundRecorded;
import io.orderengine.engine.bill.Bill.RefundStatus;
import io.orderengine.engine.bill.Bill.Settled;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a bill gives back when it keeps more than it now asks (a line voided, perhaps while a tender
 * was pending): the difference goes back to the tenders, newest first (a card taken on a standalone
 * terminal's share in cash), and the bill is settled if it is covered.
 */
final class ExcessRefunds {
  private ExcessRefunds() {}

  /**
   * Adds the refunds (and the settlement) to {@code events}, decided by {@code before} whose next
   * state is {@code after}; {@code keyPrefix} makes each refund's request key, so a redelivery finds it.
   */
  /** A refund this class made (its request key is one of the prefixes the bill gives it), not a person's. */
  static boolean automatic(RefundEntry refund) {
    String key = refund.requestId();
    return key != null && (key.startsWith("excess:") || key.startsWith("void:") || key.startsWith("unrefunded:"));
  }

  static void add(BillState before, BillState after, List<Event> events, String keyPrefix, String why, Instant at) {
    long kept = after.paidMinor() - after.refundedMinor() - after.pendingRefundMinor();
    long excess = kept - after.totalMinor();
    int n = 0;
    List<Payment> newestFirst = new ArrayList<>(after.payments());
    Collections.reverse(newestFirst);
    for (Payment p : newestFirst) {
      if (excess <= 0) break;
      if (p.status() != PaymentStatus.SUCCEEDED) continue;
      long refundable = p.amountMinor() - after.refunds().stream()
          .filter(r -> r.paymentId().equals(p.paymentId()) && r.status() != RefundStatus.FAILED)
          .mapToLong(RefundEntry::amountMinor).sum();
      long back = Math.min(refundable, excess);
      if (back <= 0) continue;
      n++;
      long sameTender = after.refunds().stream().filter(r -> r.paymentId().equals(p.paymentId())).count()
          + events.stream().filter(e -> e instanceof RefundRecorded r && r.refund().paymentId().equals(p.paymentId())).count();
      String refundId = p.paymentId() + "-R" + (sameTender + 1);
      // A standalone terminal cannot be told to refund, and a bank refund (退货) needs the card back at
      // the terminal and settles days later; the guest is here now: the drawer gives the difference back
      // in cash, at once. The terminal's slip keeps the sale as it was; the cash shows in the drawer's books.
      Method givenBackBy = p.method() == Method.CASH || p.onStandaloneTerminal() ? Method.CASH : p.method();
      RefundStatus status = givenBackBy == Method.CASH ? RefundStatus.SUCCEEDED : RefundStatus.PENDING;
      String key = keyPrefix + ":" + n;
      events.add(new RefundRecorded(before.billId(), before.spec().tableId(), key,
          new RefundEntry(refundId, p.paymentId(), givenBackBy, back, status, why, null, key, at,
              status == RefundStatus.SUCCEEDED ? at : null)));
      excess -= back;
    }
    if (before.settledAt() == null && after.pendingMinor() == 0
        && after.paidMinor() - after.refundedMinor() >= after.totalMinor()) {
      events.add(new Settled(before.billId(), before.spec().tableId(), before.spec().orderId(), at));
    }
  }
}
