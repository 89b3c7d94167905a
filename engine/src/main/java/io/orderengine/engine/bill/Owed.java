package io.orderengine.engine.bill;

import io.orderengine.engine.bill.Bill.Payment;
import io.orderengine.engine.bill.Bill.RefundEntry;
import java.util.ArrayList;
import java.util.List;

/** Something a bill is to tell another entity until it is acknowledged; the key names it. */
public sealed interface Owed {

  /** Names the settlement among what a bill owes: the table is to hear of it. */
  String TABLE = "table";

  String key();

  /** Everything a bill still owes: sagas to start, refunds to ask for, the table to tell. */
  static List<Owed> of(BillState s) {
    if (!s.exists()) return List.of();
    Tab tab = s.tab();
    List<Owed> owed = new ArrayList<>();
    for (Payment p : tab.pendingPayments()) {
      if (!tab.underway().contains(p.paymentId())) {
        owed.add(new PaymentToStart(new PaymentOrder(p.paymentId(), s.billId(), tab.spec().tableId(), p.method(),
            p.amountMinor(), p.authCode(), p.memberId(), p.at(), p.openid())));
      }
    }
    for (RefundEntry r : tab.pendingRefunds()) {
      if (!tab.underway().contains(r.refundId())) owed.add(new RefundToAsk(r.paymentId(), r.refundId(), r.amountMinor()));
    }
    if (s.awaitsTable()) {
      owed.add(new SettlementToAnnounce(new BillSettled(s.billId(), tab.spec().tableId(), tab.spec().orderId(), s.settledAt())));
    }
    return owed;
  }

  /** A non-cash payment's saga is to take the payment on. */
  record PaymentToStart(PaymentOrder order) implements Owed {
    @Override
    public String key() {
      return "start:" + order.paymentId();
    }
  }

  /** A refund of a non-cash payment is to be taken on by that payment's saga. */
  record RefundToAsk(String paymentId, String refundId, long amountMinor) implements Owed {
    @Override
    public String key() {
      return "refund:" + refundId;
    }
  }

  /** The table is to hear that the bill is paid in full. */
  record SettlementToAnnounce(BillSettled notice) implements Owed {
    @Override
    public String key() {
      return TABLE;
    }
  }
}
