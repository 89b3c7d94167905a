package io.orderengine.engine.bill;

import static io.orderengine.engine.bill.BillStateTest.BILL;
import static io.orderengine.engine.bill.BillStateTest.T0;
import static io.orderengine.engine.bill.BillStateTest.T1;
import static io.orderengine.engine.bill.BillStateTest.after;
import static io.orderengine.engine.bill.BillStateTest.assertRejected;
import static io.orderengine.engine.bill.BillStateTest.opened;
import static io.orderengine.engine.bill.BillStateTest.paid;
import static io.orderengine.engine.bill.BillStateTest.paymentOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.orderengine.engine.Rejection;
import io.orderengine.engine.bill.Bill.Event;
import io.orderengine.engine.bill.Bill.Method;
import io.orderengine.engine.bill.Bill.Payment;
import io.orderengine.engine.bill.Bill.PaymentRecorded;
import io.orderengine.engine.bill.Bill.PaymentStatus;
import io.orderengine.engine.bill.Bill.RefundEntry;
import io.orderengine.engine.bill.Bill.RefundRecorded;
import io.orderengine.engine.bill.Bill.RefundStatus;
import io.orderengine.engine.bill.Bill.Settled;
import io.orderengine.engine.bill.Bill.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A card the cashier took on a bank's standalone terminal: the bill records the slip as a payment
 * that succeeded when it was taken, and refunds of it likewise; nothing is owed to a saga.
 */
class StandaloneTerminalCardTest {

  static final TerminalSlip SLIP = new TerminalSlip("T1", "000123456789", "4321");

  static List<Event> payOnTerminal(BillState s, String requestId, long amount, TerminalSlip slip) {
    return s.decidePay(requestId, Method.CARD, amount, null, null, null, "cashier-1", slip, T1).orThrow();
  }

  static RefundEntry refundOf(List<Event> events) {
    return events.stream().filter(RefundRecorded.class::isInstance).map(e -> ((RefundRecorded) e).refund())
        .findFirst().orElseThrow();
  }

  @Test
  void a_card_on_a_standalone_terminal_settles_the_bill_at_once_and_starts_no_saga() {
    BillState open = opened(15_000);

    List<Event> events = payOnTerminal(open, "k1", 15_000, SLIP);

    Payment p = paymentOf(events);
    assertThat(p.status()).isEqualTo(PaymentStatus.SUCCEEDED);
    assertThat(p.method()).isEqualTo(Method.CARD);
    assertThat(p.terminal()).isEqualTo(SLIP);
    assertThat(p.onStandaloneTerminal()).isTrue();
    assertThat(p.changeMinor()).isZero();
    assertThat(p.tenderedMinor()).isEqualTo(15_000);
    assertThat(p.gatewayTradeNo()).isNull();
    assertThat(p.finishedAt()).isEqualTo(T1);
    assertThat(p.takenBy()).isEqualTo("cashier-1");
    assertThat(events).last().isInstanceOf(Settled.class);
    BillState settled = after(open, events);
    assertThat(settled.status()).isEqualTo(Status.PAID);
    assertThat(settled.owed()).allSatisfy(o -> assertThat(o).isInstanceOf(Owed.SettlementToAnnounce.class));
  }

  @Test
  void part_on_the_terminal_and_the_rest_in_cash() {
    BillState partly = after(opened(15_000), payOnTerminal(opened(15_000), "k1", 10_000, SLIP));

    assertThat(partly.status()).isEqualTo(Status.PARTIALLY_PAID);
    assertThat(partly.dueMinor()).isEqualTo(5_000);
    assertThat(partly.owed()).isEmpty();
    assertThat(paid(partly, "c1", 5_000).status()).isEqualTo(Status.PAID);
  }

  @Test
  void the_same_request_or_the_same_slip_again_answers_the_first_payment() {
    BillState partly = after(opened(15_000), payOnTerminal(opened(15_000), "k1", 10_000, SLIP));

    assertThat(payOnTerminal(partly, "k1", 10_000, SLIP)).isEmpty();
    // another request id (a second click that made a new key) with the slip already recorded
    assertThat(payOnTerminal(partly, "k2", 10_000, SLIP)).isEmpty();
    assertThat(partly.paymentAnswering("k2", SLIP)).map(Payment::paymentId).contains(BILL + "-P1");
    assertThat(partly.paidMinor()).isEqualTo(10_000);
    // the same reference with another amount is not the same transaction; another terminal's is
    assertRejected(() -> payOnTerminal(partly, "k3", 5_000, SLIP), Rejection.VALIDATION_FAILED);
    Payment other = paymentOf(payOnTerminal(partly, "k4", 5_000, new TerminalSlip("T2", "000123456789", "4321")));
    assertThat(other.paymentId()).isEqualTo(BILL + "-P2");
  }

  @Test
  void more_than_the_balance_is_refused_as_for_every_tender_but_cash() {
    BillState partly = paid(opened(15_000), "c1", 10_000);

    assertRejected(() -> payOnTerminal(partly, "k1", 5_001, SLIP), Rejection.AMOUNT_EXCEEDS_DUE);
    BillState settled = after(partly, payOnTerminal(partly, "k1", 5_000, SLIP));
    assertRejected(() -> payOnTerminal(settled, "k2", 100, new TerminalSlip(null, "9", "0000")), Rejection.BILL_SETTLED);
  }

  @Test
  void a_slip_is_of_a_card_and_is_copied_in_full() {
    BillState open = opened(15_000);

    assertRejected(() -> open.decidePay("k1", Method.CASH, 100, null, null, null, null, SLIP, T1).orThrow(),
        Rejection.VALIDATION_FAILED);
    assertRejected(() -> open.decidePay("k1", Method.CARD, 100, null, "134567", null, null, SLIP, T1).orThrow(),
        Rejection.VALIDATION_FAILED);
    for (TerminalSlip bad : List.of(new TerminalSlip(null, null, "4321"), new TerminalSlip(null, "", "4321"),
        new TerminalSlip(null, "12 34", "4321"), new TerminalSlip(null, "12\u00003", "4321"),
        new TerminalSlip(null, "x".repeat(65), "4321"), new TerminalSlip(null, "参考号", "4321"),
        new TerminalSlip(null, "123", "432"), new TerminalSlip(null, "123", null), new TerminalSlip(null, "123", "43a1"),
        new TerminalSlip("T 1", "123", "4321"))) {
      assertRejected(() -> payOnTerminal(open, "k1", 100, bad), Rejection.VALIDATION_FAILED);
    }
    assertThat(paymentOf(payOnTerminal(open, "k1", 100, new TerminalSlip(null, "x".repeat(64), "0000"))).terminal())
        .isNotNull();
  }

  @Test
  void a_refund_made_on_the_terminal_is_recorded_succeeded_with_its_reference() {
    BillState paid = after(opened(15_000), payOnTerminal(opened(15_000), "k1", 15_000, SLIP));
    String paymentId = BILL + "-P1";

    List<Event> events = paid.decideRefund("r1", paymentId, 4_000, "cold soup", "cashier-1", null, "000123456790", T1)
        .orThrow();

    RefundEntry r = refundOf(events);
    assertThat(r.status()).isEqualTo(RefundStatus.SUCCEEDED);
    assertThat(r.method()).isEqualTo(Method.CARD);
    assertThat(r.finishedAt()).isEqualTo(T1);
    assertThat(r.terminal()).isEqualTo(new TerminalSlip("T1", "000123456790", "4321")); // the payment's terminal
    BillState refunded = after(paid, events);
    assertThat(refunded.refundedMinor()).isEqualTo(4_000);
    assertThat(refunded.owed()).noneMatch(o -> o instanceof Owed.RefundToAsk);
    // the same reference again answers the refund made; without one, each request is its own refund
    assertThat(refunded.decideRefund("r2", paymentId, 4_000, "again", null, null, "000123456790", T1).orThrow()).isEmpty();
    assertThat(refunded.refundAnswering("r2", paymentId, null, "000123456790")).map(RefundEntry::refundId)
        .contains(paymentId + "-R1");
    RefundEntry unreferenced = refundOf(refunded.decideRefund("r3", paymentId, 1_000, "tea", null, "T9", null, T1).orThrow());
    assertThat(unreferenced.terminal()).isEqualTo(new TerminalSlip("T9", null, "4321"));
    // more than is left of the payment is refused as for any tender
    assertRejected(() -> refunded.decideRefund("r4", paymentId, 11_001, "x", null, null, null, T1).orThrow(),
        Rejection.AMOUNT_EXCEEDS_REFUNDABLE);
  }

  @Test
  void a_terminal_reference_is_refused_on_the_refund_of_another_tender() {
    BillState paid = paid(opened(15_000), "c1", 15_000);

    assertRejected(() -> paid.decideRefund("r1", BILL + "-P1", 100, "x", null, null, "123", T1).orThrow(),
        Rejection.VALIDATION_FAILED);
    assertRejected(() -> paid.decideRefund("r1", BILL + "-P1", 100, "x", null, "T1", null, T1).orThrow(),
        Rejection.VALIDATION_FAILED);
  }

  @Test
  void a_line_voided_after_a_standalone_card_paid_for_it_is_given_back_in_cash() {
    BillSpec twoLines = new BillSpec(BILL, "A1", "A1-0001", "mei", List.of(
        new BillLine("l1", "N01", "Beef noodles", "stall-1", 1, 3800, 3800),
        new BillLine("l2", "T03", "Jasmine tea", "stall-3", 3, 600, 1800)), 5600, 1, 1);
    BillState empty = BillState.empty(BILL);
    BillState open = after(empty, empty.decideOpen(twoLines, 0, T0).orThrow());
    BillState paid = after(open, payOnTerminal(open, "k1", 5600, SLIP));

    List<Event> events = paid.decideRemoveLine("l2", "spilt", T1).orThrow();

    RefundEntry back = refundOf(events);
    assertThat(back.paymentId()).isEqualTo(BILL + "-P1");
    assertThat(back.amountMinor()).isEqualTo(1800);
    assertThat(back.method()).isEqualTo(Method.CASH);
    assertThat(back.status()).isEqualTo(RefundStatus.SUCCEEDED);
    assertThat(back.terminal()).isNull();
    BillState after = after(paid, events);
    assertThat(after.owed()).noneMatch(o -> o instanceof Owed.RefundToAsk);
    assertThat(after.refundedMinor()).isEqualTo(1800);
    assertThat(after.paidMinor() - after.refundedMinor()).isEqualTo(after.totalMinor());
    // what is left of the card payment may still be refunded on the terminal, not more
    assertRejected(() -> after.decideRefund("r1", BILL + "-P1", 3801, "x", null, null, "77", T1).orThrow(),
        Rejection.AMOUNT_EXCEEDS_REFUNDABLE);
  }

  @Test
  void the_slip_survives_the_events_it_travels_in() {
    BillState open = opened(15_000);
    List<Event> events = payOnTerminal(open, "k1", 15_000, SLIP);

    assertThat(((PaymentRecorded) events.get(0)).payment().terminal()).isEqualTo(SLIP);
    assertThat(after(open, events).view().payments()).singleElement()
        .satisfies(p -> assertThat(p.terminal()).isEqualTo(SLIP));
  }
}
