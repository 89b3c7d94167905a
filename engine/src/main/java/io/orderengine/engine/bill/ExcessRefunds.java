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

  /** A refund this class made (its request key is one of the prefixes the bill gives it), not a person's. */
  static boolean automatic(RefundEntry refund) {
    String key = refund.requestId();
    return key != null && (key.startsWith("excess:") || key.startsWith("void:") || key.startsWith("unrefunded:"));
  }

  /**
   * Adds the refunds (and the settlement) to {@code events}, decided by {@code before} whose next
   * state is {@code after}; {@code keyPrefix} makes each refund's request key, so a redelivery finds it.
   */
  static void add(BillState before, BillState after, List<Event> events, String keyPrefix, String why, Instant at) {
    Tab tab = after.tab();
    long kept = tab.paidMinor() - tab.refundedMinor() - tab.pendingRefundMinor();
    long excess = kept - tab.totalMinor();
    int n = 0;
    List<Payment> newestFirst = new ArrayList<>(tab.payments());
    Collections.reverse(newestFirst);
    for (Payment p : newestFirst) {
      if (excess <= 0) break;
      if (p.status() != PaymentStatus.SUCCEEDED) continue;
      long back = Math.min(tab.refundableMinor(p), excess);
      if (back <= 0) continue;
      n++;
      String refundId = tab.nextRefundId(p.paymentId(),
          events.stream().filter(e -> e instanceof RefundRecorded r && r.refund().paymentId().equals(p.paymentId())).count());
      // A standalone terminal cannot be told to refund, and a bank refund (退货) needs the card back at
      // the terminal and settles days later; the guest is here now: the drawer gives the difference back
      // in cash, at once. The terminal's slip keeps the sale as it was; the cash shows in the drawer's books.
      Method givenBackBy = p.method() == Method.CASH || p.onStandaloneTerminal() ? Method.CASH : p.method();
      RefundStatus status = givenBackBy == Method.CASH ? RefundStatus.SUCCEEDED : RefundStatus.PENDING;
      String key = keyPrefix + ":" + n;
      events.add(new RefundRecorded(before.billId(), tab.spec().tableId(), key,
          new RefundEntry(refundId, p.paymentId(), givenBackBy, back, status, why, null, key, at,
              status == RefundStatus.SUCCEEDED ? at : null)));
      excess -= back;
    }
    if (before.settledAt() == null && tab.pendingMinor() == 0 && tab.paidMinor() - tab.refundedMinor() >= tab.totalMinor()) {
      events.add(new Settled(before.billId(), tab.spec().tableId(), tab.spec().orderId(), at));
    }
  }
}
