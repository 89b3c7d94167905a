package io.orderengine.engine.bill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.bill.Bill.DiscountApplied;
import io.orderengine.engine.bill.Bill.DiscountType;
import io.orderengine.engine.bill.Bill.Event;
import io.orderengine.engine.bill.Bill.Method;
import io.orderengine.engine.bill.Bill.Opened;
import io.orderengine.engine.bill.Bill.Payment;
import io.orderengine.engine.bill.Bill.PaymentRecorded;
import io.orderengine.engine.bill.Bill.PaymentStatus;
import io.orderengine.engine.bill.Bill.Settled;
import io.orderengine.engine.bill.Bill.Status;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The bill's pure core, given / when / then, plus the invariant that money is never created or lost. */
class BillStateTest {

  static final String BILL = "A1-0001-B1";
  static final Instant T0 = Instant.parse("2025-05-01T12:30:00Z");
  static final Instant T1 = T0.plusSeconds(120);

  // ---- given ----

  static BillSpec spec(long subtotal) {
    return new BillSpec(BILL, "A1", "A1-0001", "mei",
        List.of(new BillLine("l1", "N01", "Beef noodles", "stall-1", 1, subtotal, subtotal)), subtotal, 1, 1);
  }

  static BillState after(BillState state, List<Event> events) {
    BillState s = state;
    for (Event e : events) s = s.apply(e);
    return s;
  }

  static BillState opened(long subtotal, int serviceChargePercent) {
    BillState empty = BillState.empty(BILL);
    return after(empty, empty.decideOpen(spec(subtotal), serviceChargePercent, T0).orThrow());
  }

  static BillState opened(long subtotal) {
    return opened(subtotal, 0);
  }

  static BillState paid(BillState s, String requestId, long amount) {
    return after(s, s.decidePay(requestId, Method.CASH, amount, null, T1).orThrow());
  }

  static void assertRejected(ThrowingCallable call, Rejection code) {
    assertThatThrownBy(call).isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.code()).isEqualTo(code));
  }

  static Payment paymentOf(List<Event> events) {
    return events.stream().filter(PaymentRecorded.class::isInstance).map(e -> ((PaymentRecorded) e).payment())
        .findFirst().orElseThrow();
  }

  @Nested
  class Opening {

    @Test
    void a_bill_is_made_from_its_spec_once() {
      BillState empty = BillState.empty(BILL);

      List<Event> events = empty.decideOpen(spec(15_000), 10, T0).orThrow();

      assertThat(events).containsExactly(new Opened(spec(15_000), 10, T0));
      BillState open = after(empty, events);
      assertThat(open.exists()).isTrue();
      assertThat(open.status()).isEqualTo(Status.OPEN);
      assertThat(open.view().subtotalMinor()).isEqualTo(15_000);
      assertThat(open.view().serviceChargeMinor()).isEqualTo(1_500);
      assertThat(open.view().dueMinor()).isEqualTo(16_500);
      assertThat(open.decideOpen(spec(99), 0, T1).orThrow()).isEmpty();
    }

    @Test
    void a_bill_that_was_never_opened_is_not_found() {
      BillState empty = BillState.empty(BILL);

      assertThat(empty.view().exists()).isFalse();
      assertRejected(() -> empty.decidePay("p1", Method.CASH, 100, null, T1).orThrow(), Rejection.NOT_FOUND);
      assertRejected(() -> empty.decideDiscount("d1", DiscountType.AMOUNT, 100, "vip", T1).orThrow(), Rejection.NOT_FOUND);
    }
  }

  @Nested
  class CashPayments {

    @Test
    void tendering_more_than_due_gives_change_and_settles() {
      BillState open = opened(15_000);

      List<Event> events = open.decidePay("p1", Method.CASH, 15_000, 20_000L, T1).orThrow();

      assertThat(events).containsExactly(
          new PaymentRecorded(BILL, "A1", "p1",
              new Payment(BILL + "-P1", Method.CASH, 15_000, 20_000, 5_000, PaymentStatus.SUCCEEDED, null, null, "p1", T1,
                  null, null, null, null, T1)),
          new Settled(BILL, "A1", "A1-0001", T1, new Bill.BillTotals(15_000, 0, 0, 15_000)));
      BillState settled = after(open, events);
      assertThat(settled.status()).isEqualTo(Status.PAID);
      assertThat(settled.paidMinor()).isEqualTo(15_000);
      assertThat(settled.dueMinor()).isZero();
      assertThat(settled.settledAt()).isEqualTo(T1);
      assertThat(settled.awaitsTable()).isTrue();
    }

    @Test
    void an_amount_above_due_applies_only_the_due() {
      BillState open = opened(15_000);

      List<Event> events = open.decidePay("p1", Method.CASH, 20_000, null, T1).orThrow();

      Payment payment = paymentOf(events);
      assertThat(payment.amountMinor()).isEqualTo(15_000);
      assertThat(payment.tenderedMinor()).isEqualTo(20_000);
      assertThat(payment.changeMinor()).isEqualTo(5_000);
      assertThat(events).last().isInstanceOf(Settled.class);
      assertThat(after(open, events).paidMinor()).isEqualTo(15_000);
    }

    @Test
    void an_amount_above_due_with_more_tendered_gives_change_of_all_of_it() {
      BillState partly = paid(opened(15_000), "p1", 10_000);

      Payment payment = paymentOf(partly.decidePay("p2", Method.CASH, 8_000, 10_000L, T1).orThrow());

      assertThat(payment.paymentId()).isEqualTo(BILL + "-P2");
      assertThat(payment.amountMinor()).isEqualTo(5_000);
      assertThat(payment.changeMinor()).isEqualTo(5_000);
    }

    @Test
    void partial_payments_settle_when_the_last_fen_is_paid() {
      BillState open = opened(15_000);

      List<Event> first = open.decidePay("p1", Method.CASH, 6_000, null, T1).orThrow();
      BillState partly = after(open, first);
      List<Event> second = partly.decidePay("p2", Method.CASH, 9_000, null, T1).orThrow();
      BillState settled = after(partly, second);

      assertThat(first).hasSize(1).first().isInstanceOf(PaymentRecorded.class);
      assertThat(partly.status()).isEqualTo(Status.PARTIALLY_PAID);
      assertThat(partly.dueMinor()).isEqualTo(9_000);
      assertThat(partly.settledAt()).isNull();
      assertThat(second).hasSize(2).last().isInstanceOf(Settled.class);
      assertThat(settled.view().payments()).extracting(Payment::paymentId).containsExactly(BILL + "-P1", BILL + "-P2");
      assertThat(settled.status()).isEqualTo(Status.PAID);
    }

    @Test
    void tendering_less_than_the_amount_is_refused() {
      BillState open = opened(15_000);

      assertRejected(() -> open.decidePay("p1", Method.CASH, 10_000, 9_999L, T1).orThrow(), Rejection.VALIDATION_FAILED);
    }

    @Test
    void the_amount_must_be_positive() {
      BillState open = opened(15_000);

      assertRejected(() -> open.decidePay("p1", Method.CASH, 0, null, T1).orThrow(), Rejection.VALIDATION_FAILED);
      assertRejected(() -> open.decidePay("p2", Method.CASH, -100, null, T1).orThrow(), Rejection.VALIDATION_FAILED);
    }

    @Test
    void a_settled_bill_takes_no_more_money() {
      BillState settled = paid(opened(15_000), "p1", 15_000);

      assertRejected(() -> settled.decidePay("p2", Method.CASH, 100, null, T1).orThrow(), Rejection.BILL_SETTLED);
    }

    @Test
    void the_same_request_twice_pays_once() {
      BillState partly = paid(opened(15_000), "p1", 6_000);

      List<Event> again = partly.decidePay("p1", Method.CASH, 6_000, null, T1).orThrow();

      assertThat(again).isEmpty();
      assertThat(partly.paidMinor()).isEqualTo(6_000);
      assertThat(partly.paymentOfRequest("p1")).map(Payment::paymentId).contains(BILL + "-P1");
      assertThat(partly.paymentOfRequest("p2")).isEmpty();
    }

    @Test
    void the_settling_request_repeated_after_settlement_is_answered_not_refused() {
      BillState settled = paid(opened(15_000), "p1", 15_000);

      assertThat(settled.decidePay("p1", Method.CASH, 15_000, null, T1).orThrow()).isEmpty();
    }

    @Test
    void a_non_cash_payment_waits_for_its_outcome_and_cash_covers_only_the_rest() {
      BillState open = opened(15_000);

      List<Event> events = open.decidePay("w1", Method.WECHAT, 10_000, null, T1).orThrow();

      Payment pending = paymentOf(events);
      assertThat(events).hasSize(1);
      assertThat(pending.status()).isEqualTo(PaymentStatus.PENDING);
      BillState waiting = after(open, events);
      assertThat(waiting.paidMinor()).isZero();
      assertThat(waiting.pendingMinor()).isEqualTo(10_000);
      assertThat(waiting.status()).isEqualTo(Status.OPEN);
      // cash cannot take the money the wallet payment has reserved
      Payment cash = paymentOf(waiting.decidePay("c1", Method.CASH, 15_000, null, T1).orThrow());
      assertThat(cash.amountMinor()).isEqualTo(5_000);
      assertThat(cash.changeMinor()).isEqualTo(10_000);
      assertRejected(() -> waiting.decidePay("w2", Method.CARD, 5_001, null, T1).orThrow(), Rejection.AMOUNT_EXCEEDS_DUE);
    }
  }

  @Nested
  class Discounts {

    @Test
    void a_percent_discount_is_rounded_half_up() {
      BillState open = opened(1_005);

      List<Event> events = open.decideDiscount("d1", DiscountType.PERCENT, 10, "regular", T1).orThrow();

      // the decision carries the bill's money after it, for the read side
      assertThat(events).containsExactly(new DiscountApplied(BILL, "d1",
          new Bill.Discount("D-d1", DiscountType.PERCENT, 10, 101, "regular", T1), new Bill.BillTotals(1_005, 101, 0, 904)));
      BillState discounted = after(open, events);
      assertThat(discounted.discountMinor()).isEqualTo(101);
      assertThat(discounted.totalMinor()).isEqualTo(904);
      assertThat(discounted.dueMinor()).isEqualTo(904);
    }

    @Test
    void percent_discounts_stack_on_what_is_left() {
      BillState open = opened(10_000);
      BillState once = after(open, open.decideDiscount("d1", DiscountType.PERCENT, 10, "regular", T1).orThrow());

      BillState twice = after(once, once.decideDiscount("d2", DiscountType.PERCENT, 10, "birthday", T1).orThrow());

      assertThat(twice.discountMinor()).isEqualTo(1_000 + 900);
      assertThat(twice.totalMinor()).isEqualTo(8_100);
    }

    @Test
    void an_amount_discount_comes_off_the_total() {
      BillState open = opened(10_000);

      BillState discounted = after(open, open.decideDiscount("d1", DiscountType.AMOUNT, 2_500, "voucher", T1).orThrow());

      assertThat(discounted.discountMinor()).isEqualTo(2_500);
      assertThat(discounted.totalMinor()).isEqualTo(7_500);
      assertThat(discounted.status()).isEqualTo(Status.OPEN);
    }

    @Test
    void an_amount_discount_larger_than_the_bill_makes_it_free_and_settles_it() {
      BillState open = opened(10_000);

      List<Event> events = open.decideDiscount("d1", DiscountType.AMOUNT, 50_000, "on the house", T1).orThrow();

      assertThat(((DiscountApplied) events.get(0)).discount().amountMinor()).isEqualTo(10_000);
      assertThat(events).hasSize(2).last()
          .isEqualTo(new Settled(BILL, "A1", "A1-0001", T1, new Bill.BillTotals(10_000, 10_000, 0, 0)));
      BillState free = after(open, events);
      assertThat(free.totalMinor()).isZero();
      assertThat(free.status()).isEqualTo(Status.PAID);
    }

    @Test
    void values_out_of_range_are_refused() {
      BillState open = opened(10_000);

      assertRejected(() -> open.decideDiscount("d1", DiscountType.PERCENT, 0, "", T1).orThrow(), Rejection.VALIDATION_FAILED);
      assertRejected(() -> open.decideDiscount("d2", DiscountType.PERCENT, 101, "", T1).orThrow(), Rejection.VALIDATION_FAILED);
      assertRejected(() -> open.decideDiscount("d3", DiscountType.AMOUNT, 0, "", T1).orThrow(), Rejection.VALIDATION_FAILED);
    }

    @Test
    void a_discount_may_not_bring_the_bill_below_what_is_paid() {
      BillState partly = paid(opened(10_000), "p1", 8_000);

      assertRejected(() -> partly.decideDiscount("d1", DiscountType.AMOUNT, 3_000, "voucher", T1).orThrow(),
          Rejection.AMOUNT_EXCEEDS_DUE);
    }

    @Test
    void a_discount_down_to_what_is_paid_settles_the_bill() {
      BillState partly = paid(opened(10_000), "p1", 8_000);

      List<Event> events = partly.decideDiscount("d1", DiscountType.AMOUNT, 2_000, "voucher", T1).orThrow();

      assertThat(events).hasSize(2).last().isInstanceOf(Settled.class);
      assertThat(after(partly, events).dueMinor()).isZero();
    }

    @Test
    void the_same_discount_request_twice_applies_once() {
      BillState open = opened(10_000);
      BillState once = after(open, open.decideDiscount("d1", DiscountType.AMOUNT, 1_000, "voucher", T1).orThrow());

      assertThat(once.decideDiscount("d1", DiscountType.AMOUNT, 1_000, "voucher", T1).orThrow()).isEmpty();
      assertThat(once.totalMinor()).isEqualTo(9_000);
    }

    @Test
    void a_settled_bill_takes_no_discount() {
      BillState settled = paid(opened(10_000), "p1", 10_000);

      assertRejected(() -> settled.decideDiscount("d1", DiscountType.PERCENT, 10, "late", T1).orThrow(), Rejection.BILL_SETTLED);
    }

    @Test
    void a_bill_takes_a_bounded_number_of_discounts() {
      BillState s = opened(10_000);
      for (int i = 0; i < BillState.MAX_DISCOUNTS; i++) {
        s = after(s, s.decideDiscount("d" + i, DiscountType.AMOUNT, 1, "", T1).orThrow());
      }
      BillState full = s;

      assertRejected(() -> full.decideDiscount("one-more", DiscountType.AMOUNT, 1, "", T1).orThrow(), Rejection.VALIDATION_FAILED);
      assertThat(full.discountMinor()).isEqualTo(BillState.MAX_DISCOUNTS);
    }

    @Test
    void the_service_charge_is_taken_after_discounts() {
      BillState open = opened(10_000, 10);
      BillState discounted = after(open, open.decideDiscount("d1", DiscountType.AMOUNT, 1_000, "voucher", T1).orThrow());

      assertThat(open.totalMinor()).isEqualTo(11_000);
      assertThat(discounted.serviceChargeMinor()).isEqualTo(900);
      assertThat(discounted.totalMinor()).isEqualTo(9_900);
      assertThat(paid(discounted, "p1", 9_900).status()).isEqualTo(Status.PAID);
    }
  }

  @Nested
  class Stages {

    @Test
    void an_unopened_bill_refuses_every_command_but_its_opening() {
      BillState empty = BillState.empty(BILL);

      assertThat(empty).isInstanceOf(BillState.Unopened.class);
      assertThat(empty.exists()).isFalse();
      assertThat(empty.owed()).isEmpty();
      assertThat(empty.dueMinor()).isZero();
      assertRejected(() -> empty.decideRefund("r1", BILL + "-P1", 100, "x", T1).orThrow(), Rejection.NOT_FOUND);
      assertRejected(() -> empty.decideRefundOutcome(BILL + "-P1-R1", true, null, T1).orThrow(), Rejection.NOT_FOUND);
      assertRejected(() -> empty.decidePaymentOutcome(BILL + "-P1", PaymentStatus.SUCCEEDED, "t", null, null, T1).orThrow(),
          Rejection.NOT_FOUND);
      assertRejected(() -> empty.decideRemoveLine("l1", "x", T1).orThrow(), Rejection.NOT_FOUND);
      assertThat(empty.decideDelivered(Owed.TABLE, null, T1).orThrow()).isEmpty();
      assertThat(empty.decideRefused(Owed.TABLE, Rejection.NOT_FOUND, "x", T1).orThrow()).isEmpty();
      assertThatThrownBy(() -> empty.apply(new Bill.TableInformed(BILL))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void opening_makes_an_open_bill_and_paying_it_in_full_a_settled_one() {
      BillState open = opened(15_000);
      BillState partly = paid(open, "p1", 5_000);
      BillState settled = paid(partly, "p2", 10_000);

      assertThat(open).isInstanceOf(BillState.Open.class);
      assertThat(partly).isInstanceOf(BillState.Open.class);
      assertThat(settled).isInstanceOfSatisfying(BillState.Settled.class, s -> {
        assertThat(s.settledAt()).isEqualTo(T1);
        assertThat(s.tableInformed()).isFalse();
        assertThat(s.tab().payments()).extracting(Payment::requestId).containsExactly("p1", "p2");
      });
      assertThat(settled.owed()).extracting(Owed::key).containsExactly(Owed.TABLE);
    }

    @Test
    void a_bill_of_free_dishes_is_settled_as_it_opens_and_voided() {
      BillState empty = BillState.empty(BILL);

      BillState free = after(empty, empty.decideOpen(spec(0), 10, T0).orThrow());

      assertThat(free).isInstanceOf(BillState.Settled.class);
      assertThat(free.status()).isEqualTo(Status.VOIDED);
      assertThat(free.view().exists()).isTrue();
      assertThat(free.view().settledAt()).isEqualTo(T0);
    }

    @Test
    void the_table_told_a_settled_bill_owes_nothing_more() {
      BillState settled = paid(opened(15_000), "p1", 15_000);

      List<Event> events = settled.decideDelivered(Owed.TABLE, null, T1).orThrow();
      BillState told = after(settled, events);

      assertThat(events).containsExactly(new Bill.TableInformed(BILL));
      assertThat(told).isInstanceOf(BillState.Settled.class);
      assertThat(told.tableInformed()).isTrue();
      assertThat(told.awaitsTable()).isFalse();
      assertThat(told.owed()).isEmpty();
      assertThat(told.decideDelivered(Owed.TABLE, null, T1).orThrow()).isEmpty();
    }

    @Test
    void a_settled_bill_still_takes_refunds_and_voided_lines_and_stays_settled() {
      BillState settled = after(paid(opened(15_000), "p1", 15_000), List.of(new Bill.TableInformed(BILL)));

      BillState refunded = after(settled, settled.decideRefund("r1", BILL + "-P1", 1_000, "cold", T1).orThrow());
      assertThat(refunded).isInstanceOf(BillState.Settled.class);
      assertThat(refunded.refundedMinor()).isEqualTo(1_000);
      assertThat(refunded.dueMinor()).as("a goodwill refund leaves nothing due").isZero();
      assertThat(refunded.status()).isEqualTo(Status.PAID);
      assertThat(refunded.tableInformed()).isTrue();

      BillState voided = after(refunded, refunded.decideRemoveLine("l1", "never came", T1).orThrow());
      assertThat(voided).isInstanceOf(BillState.Settled.class);
      assertThat(voided.refundedMinor()).as("what was kept of the voided line goes back").isEqualTo(15_000);
      assertThat(voided.status()).isEqualTo(Status.PAID);
      assertThat(voided.settledAt()).isEqualTo(T1);
    }

    @Test
    void an_open_bill_whose_last_line_is_voided_is_settled() {
      BillState open = opened(15_000);

      List<Event> events = open.decideRemoveLine("l1", "never came", T1).orThrow();
      BillState voided = after(open, events);

      assertThat(events).last().isInstanceOf(Settled.class);
      assertThat(voided).isInstanceOf(BillState.Settled.class);
      assertThat(voided.status()).isEqualTo(Status.VOIDED);
    }

    @Test
    void a_card_outcome_that_covers_the_bill_settles_it() {
      BillState open = opened(15_000);
      BillState waiting = after(open, open.decidePay("w1", Method.WECHAT, 15_000, null, T1).orThrow());

      List<Event> events = waiting.decidePaymentOutcome(BILL + "-P1", PaymentStatus.SUCCEEDED, "txn", null, null, T1).orThrow();

      assertThat(waiting).isInstanceOf(BillState.Open.class);
      assertThat(events).last().isInstanceOf(Settled.class);
      assertThat(after(waiting, events)).isInstanceOf(BillState.Settled.class);
    }
  }

  @Test
  void a_payment_id_names_its_bill() {
    assertThat(Bill.billIdOfPayment("A1-0001-B1-P3")).isEqualTo(Optional.of("A1-0001-B1"));
    assertThat(Bill.billIdOfPayment("A1-0001-B12-P10")).isEqualTo(Optional.of("A1-0001-B12"));
    assertThat(Bill.billIdOfPayment("A1-0001-B1")).isEmpty();
    assertThat(Bill.billIdOfPayment("A1-0001-B1-P")).isEmpty();
    assertThat(Bill.billIdOfPayment("A1-0001-B1-Px")).isEmpty();
    assertThat(Bill.billIdOfPayment("-P1")).isEmpty();
  }

  // ---- property: money is never created or lost ----

  sealed interface Step {}

  record PayCash(String requestId, long amount, long extraTendered) implements Step {}

  record GiveDiscount(String requestId, DiscountType type, long value) implements Step {}

  @Provide
  Arbitrary<List<Step>> steps() {
    // few request ids, so that redeliveries happen
    Arbitrary<String> requestIds = Arbitraries.of("r1", "r2", "r3", "r4", "r5", "r6");
    Arbitrary<Step> pay = Combinators.combine(requestIds, Arbitraries.longs().between(-10, 30_000),
        Arbitraries.longs().between(0, 5_000)).as(PayCash::new);
    Arbitrary<Step> discount = Combinators.combine(requestIds, Arbitraries.of(DiscountType.class),
        Arbitraries.longs().between(-1, 20_000)).as(GiveDiscount::new);
    return Arbitraries.frequencyOf(
        Tuple.of(3, pay),
        Tuple.of(1, discount)).list().ofMaxSize(15);
  }

  @Property(tries = 500)
  void paid_never_exceeds_total_and_due_is_the_rest(
      @ForAll @LongRange(min = 1, max = 50_000) long subtotal,
      @ForAll @IntRange(min = 0, max = 20) int serviceChargePercent,
      @ForAll("steps") List<Step> steps) {
    BillState s = opened(subtotal, serviceChargePercent);
    int settlements = 0;
    for (Step step : steps) {
      List<Event> events;
      try {
        events = decide(s, step);
      } catch (Rejected r) {
        assertThat(r.code()).isIn(Rejection.VALIDATION_FAILED, Rejection.BILL_SETTLED, Rejection.AMOUNT_EXCEEDS_DUE);
        continue;
      }
      s = after(s, events);
      settlements += (int) events.stream().filter(Settled.class::isInstance).count();

      assertThat(s.paidMinor()).isBetween(0L, s.totalMinor());
      assertThat(s.dueMinor()).isEqualTo(s.totalMinor() - s.paidMinor());
      assertThat(s.discountMinor()).isBetween(0L, subtotal);
      assertThat(s.settledAt() != null).as("settled exactly when nothing is due").isEqualTo(s.dueMinor() == 0);
      assertThat(settlements).isLessThanOrEqualTo(1);
      assertThat(s.payments()).allSatisfy(p -> {
        assertThat(p.amountMinor()).isNotNegative();
        assertThat(p.changeMinor()).isNotNegative();
        assertThat(p.amountMinor() + p.changeMinor()).isEqualTo(p.tenderedMinor());
      });
      assertThat(s.view().payments().stream().mapToLong(Payment::amountMinor).sum()).isEqualTo(s.paidMinor());
    }
  }

  private static List<Event> decide(BillState s, Step step) {
    if (step instanceof PayCash pay) {
      return s.decidePay(pay.requestId(), Method.CASH, pay.amount(), pay.amount() + pay.extraTendered(), T1).orThrow();
    }
    GiveDiscount d = (GiveDiscount) step;
    return s.decideDiscount(d.requestId(), d.type(), d.value(), "property", T1).orThrow();
  }
}
