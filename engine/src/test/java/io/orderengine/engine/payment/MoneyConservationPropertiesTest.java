package io.orderengine.engine.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.bill.Bill;
import io.orderengine.engine.bill.BillState;
import io.orderengine.engine.bill.Bill.DiscountType;
import io.orderengine.engine.bill.Bill.Event;
import io.orderengine.engine.bill.Bill.Method;
import io.orderengine.engine.bill.Bill.Payment;
import io.orderengine.engine.bill.Bill.PaymentRecorded;
import io.orderengine.engine.bill.Bill.PaymentSettled;
import io.orderengine.engine.bill.Bill.PaymentStatus;
import io.orderengine.engine.bill.Bill.RefundEntry;
import io.orderengine.engine.bill.Bill.RefundRecorded;
import io.orderengine.engine.bill.Bill.RefundSettled;
import io.orderengine.engine.bill.Bill.RefundStatus;
import io.orderengine.engine.bill.Bill.Settled;
import io.orderengine.engine.bill.BillLine;
import io.orderengine.engine.bill.BillSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Disabled;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Money is never created or lost on a bill: whatever mix of cash and non-cash tenders, outcomes
 * delivered twice, refunds and voided lines, what the bill says it holds is what the events say was
 * taken less what was given back, and it never keeps more than the bill asks for except while the
 * refunds of a voided line are on their way.
 *
 * <p>(Named *Test so that surefire's default includes pick it up.)
 */
class MoneyConservationPropertiesTest {

  static final String BILL = "A1-0001-B1";
  static final Instant T0 = Instant.parse("2025-05-01T12:30:00Z");

  // ---- what happens to the bill ----

  sealed interface Step permits Pay, Outcome, Refund, RefundOutcome, RemoveLine, Discount {}

  /** {@code share} 0: any amount; 1..100: that percent of what is still open. */
  record Pay(String requestId, Method method, int share, long anyAmount) implements Step {}

  record Outcome(int pick, PaymentStatus status, boolean twice) implements Step {}

  /** {@code percent} of what is left to refund on the picked payment; above 100 asks too much. */
  record Refund(String requestId, int pick, int percent) implements Step {}

  record RefundOutcome(int pick, boolean succeeded, boolean twice) implements Step {}

  record RemoveLine(int pick) implements Step {}

  record Discount(String requestId, long amount) implements Step {}

  @Provide
  Arbitrary<List<BillLine>> lines() {
    return Arbitraries.longs().between(100, 5_000).list().ofMinSize(1).ofMaxSize(4).map(amounts -> {
      List<BillLine> lines = new ArrayList<>();
      for (int i = 0; i < amounts.size(); i++) {
        lines.add(new BillLine("l" + (i + 1), "SKU" + i, "dish " + i, "stall-1", 1, amounts.get(i), amounts.get(i)));
      }
      return lines;
    });
  }

  @Provide
  Arbitrary<List<Step>> steps() {
    // few request ids, so that a retried request happens
    Arbitrary<String> requestIds = Arbitraries.of("q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8");
    Arbitrary<Integer> picks = Arbitraries.integers().between(0, 7);
    Arbitrary<Step> pay = Combinators.combine(requestIds, Arbitraries.of(Method.class),
        Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(0)), Tuple.of(3, Arbitraries.integers().between(1, 100))),
        Arbitraries.longs().between(1, 12_000)).as(Pay::new);
    Arbitrary<Step> outcome = Combinators.combine(picks,
        Arbitraries.of(PaymentStatus.SUCCEEDED, PaymentStatus.SUCCEEDED, PaymentStatus.FAILED, PaymentStatus.CANCELLED,
            PaymentStatus.EXPIRED),
        Arbitraries.of(true, false)).as(Outcome::new);
    Arbitrary<Step> refund = Combinators.combine(requestIds.map(r -> "refund-" + r), picks,
        Arbitraries.integers().between(1, 120)).as(Refund::new);
    Arbitrary<Step> refundOutcome = Combinators.combine(picks, Arbitraries.of(true, true, false), Arbitraries.of(true, false))
        .as(RefundOutcome::new);
    Arbitrary<Step> removeLine = picks.map(RemoveLine::new);
    Arbitrary<Step> discount = Combinators.combine(requestIds.map(r -> "discount-" + r), Arbitraries.longs().between(1, 3_000))
        .as(Discount::new);
    return Arbitraries.frequencyOf(
        Tuple.of(5, pay),
        Tuple.of(4, outcome),
        Tuple.of(3, refund),
        Tuple.of(3, refundOutcome),
        Tuple.of(2, removeLine),
        Tuple.of(1, discount)).list().ofMaxSize(30);
  }

  /**
   * The same, except that no line is voided while a non-cash payment is pending: a voided line's
   * overpayment is refunded only from payments that already succeeded (see the disabled property).
   */
  @Property(tries = 1_000)
  void money_is_conserved_and_never_kept_beyond_the_bill(
      @ForAll("lines") List<BillLine> lines, @ForAll("steps") List<Step> steps) {
    new Run(lines, false).all(steps);
  }

  @Property(tries = 1_000)
  void money_is_conserved_and_never_kept_beyond_the_bill_even_when_a_line_is_voided_during_a_payment(
      @ForAll("lines") List<BillLine> lines, @ForAll("steps") List<Step> steps) {
    new Run(lines, true).all(steps);
  }

  /** Found by the property above (seed -262451955711842798), shrunk. */
  @Example
  void a_refund_that_fails_after_a_tender_counted_it_as_given_back_is_given_back_another_way() {
    List<BillLine> lines = List.of(
        new BillLine("l1", "SKU0", "dish 0", "stall-1", 1, 100, 100),
        new BillLine("l2", "SKU1", "dish 1", "stall-1", 1, 100, 100));

    new Run(lines, true).all(List.of(
        new Pay("q1", Method.CARD, 0, 1),                    // 1 fen pending by card
        new Pay("q2", Method.CARD, 32, 1),                   // 63 pending by card
        new Pay("q3", Method.CASH, 0, 37),                   // 37 in cash
        new Outcome(0, PaymentStatus.SUCCEEDED, true),       // the 1 fen succeeds
        new RemoveLine(0),                                   // the bill is now 100; 38 kept, nothing to give back
        new Refund("refund-q1", 0, 1),                       // 1 fen of goodwill back to the first card, on its way
        new Outcome(0, PaymentStatus.SUCCEEDED, true),       // the 63 succeed: 101 paid, the fen on its way counted
        new RefundOutcome(0, false, true)));                 // the goodwill refund fails: the fen goes back another way
  }

  @Example
  void a_card_payment_pending_while_a_line_is_voided_does_not_overcharge_the_diners() {
    List<BillLine> lines = List.of(
        new BillLine("l1", "N01", "Beef noodles", "stall-1", 1, 3_800, 3_800),
        new BillLine("l2", "T03", "Jasmine tea", "stall-3", 3, 600, 1_800));

    new Run(lines, true).all(List.of(
        new Pay("q1", Method.CARD, 100, 0),                  // 5600 pending at the card terminal
        new RemoveLine(0),                                   // the noodles are voided: the bill is now 1800
        new Outcome(0, PaymentStatus.SUCCEEDED, false)));    // the card took 5600; 3800 must go back
  }

  /** One bill driven through the steps, with its own books kept from the events alone. */
  static final class Run {
    private final boolean removeWhilePending;
    private final List<BillLine> lines;
    private BillState bill;
    private int at;

    // the books, from events only
    private final Map<String, Long> paymentAmounts = new HashMap<>();
    private final Map<String, Long> refundAmounts = new HashMap<>();
    private long taken;
    private long givenBack;
    private int settlements;
    /** Refunds that were on their way when a line was voided: the removal counted them as already given back. */
    private final Set<String> countedByRemoval = new HashSet<>();

    Run(List<BillLine> lines, boolean removeWhilePending) {
      this.lines = lines;
      this.removeWhilePending = removeWhilePending;
      long subtotal = lines.stream().mapToLong(BillLine::amountMinor).sum();
      BillSpec spec = new BillSpec(BILL, "A1", "A1-0001", "mei", lines, subtotal, 1, 1);
      bill = BillState.empty(BILL).apply(new Bill.Opened(spec, 0, T0, 0));
    }

    void all(List<Step> steps) {
      for (Step step : steps) {
        one(step);
        assertInvariants(step);
      }
    }

    private Instant now() {
      return T0.plusSeconds(++at);
    }

    private void one(Step step) {
      try {
        if (step instanceof Pay p) pay(p);
        else if (step instanceof Outcome o) outcome(o);
        else if (step instanceof Refund r) refund(r);
        else if (step instanceof RefundOutcome r) refundOutcome(r);
        else if (step instanceof RemoveLine r) removeLine(r);
        else if (step instanceof Discount d) apply(bill.decideDiscount(d.requestId(), DiscountType.AMOUNT, d.amount(), "vip", now()).orThrow());
      } catch (Rejected refused) {
        // a refused command changes nothing; the invariants still hold afterwards
      }
    }

    private void pay(Pay p) {
      long open = bill.dueMinor() - bill.pendingMinor();
      long amount = p.share() == 0 ? p.anyAmount() : Math.max(1, open * p.share() / 100);
      String memberId = p.method() == Method.MEMBER ? "m1" : null;
      boolean known = bill.paymentOfRequest(p.requestId()).isPresent();
      if (bill.settledAt() != null && !known) {
        BillState settled = bill;
        assertThatThrownBy(() -> settled.decidePay(p.requestId(), p.method(), amount, amount, null, memberId, now()).orThrow())
            .as("a settled bill takes no new payment")
            .isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.code()).isEqualTo(Rejection.BILL_SETTLED));
        return;
      }
      List<Event> events = bill.decidePay(p.requestId(), p.method(), amount, amount, null, memberId, now()).orThrow();
      if (known) assertThat(events).as("a retried payment request is answered, not taken again").isEmpty();
      apply(events);
    }

    private void outcome(Outcome o) {
      List<Payment> candidates = aimAtPending(o.pick(), bill.payments(), bill.pendingPayments());
      if (candidates.isEmpty()) return;
      Payment p = candidates.get(o.pick() % candidates.size());
      String txn = o.status() == PaymentStatus.SUCCEEDED ? "TX-" + p.paymentId() : null;
      String code = o.status() == PaymentStatus.SUCCEEDED ? null : o.status().name();
      apply(bill.decidePaymentOutcome(p.paymentId(), o.status(), txn, code, null, now()).orThrow());
      // a tender that succeeds after a line was voided gives the excess back: those refunds are on their way too
      for (RefundEntry refund : bill.refunds()) {
        if (refund.status() == RefundStatus.PENDING && refund.requestId().startsWith("excess:")) {
          countedByRemoval.add(refund.refundId());
        }
      }
      if (o.twice()) {
        List<Event> again = bill.decidePaymentOutcome(p.paymentId(), o.status(), txn, code, null, now()).orThrow();
        assertThat(again).as("an outcome delivered again is applied once").isEmpty();
      }
    }

    private void refund(Refund r) {
      List<Payment> succeeded = bill.payments().stream().filter(p -> p.status() == PaymentStatus.SUCCEEDED).toList();
      List<Payment> candidates = aimAtPending(r.pick(), bill.payments(), succeeded);
      if (candidates.isEmpty()) return;
      Payment p = candidates.get(r.pick() % candidates.size());
      long left = p.amountMinor() - bill.refunds().stream()
          .filter(x -> x.paymentId().equals(p.paymentId()) && x.status() != RefundStatus.FAILED)
          .mapToLong(RefundEntry::amountMinor).sum();
      long amount = Math.max(1, left * r.percent() / 100);
      apply(bill.decideRefund(r.requestId(), p.paymentId(), amount, "goodwill", now()).orThrow());
    }

    private void refundOutcome(RefundOutcome r) {
      List<RefundEntry> candidates = aimAtPending(r.pick(), bill.refunds(), bill.pendingRefunds());
      if (candidates.isEmpty()) return;
      RefundEntry refund = candidates.get(r.pick() % candidates.size());
      apply(bill.decideRefundOutcome(refund.refundId(), r.succeeded(), r.succeeded() ? null : "NOT_ENOUGH", now()).orThrow());
      if (r.twice()) {
        assertThat(bill.decideRefundOutcome(refund.refundId(), r.succeeded(), null, now()).orThrow())
            .as("a refund outcome delivered again is applied once").isEmpty();
      }
    }

    /** Most steps are about something they can act on; the rest are redeliveries or strays. */
    private static <T> List<T> aimAtPending(int pick, List<T> all, List<T> actionable) {
      return pick % 4 != 3 && !actionable.isEmpty() ? actionable : all;
    }

    private void removeLine(RemoveLine r) {
      if (!removeWhilePending && bill.pendingMinor() > 0) return;
      BillLine line = lines.get(r.pick() % lines.size());
      apply(bill.decideRemoveLine(line.lineId(), "sent back", now()).orThrow());
      long pendingRefunds = 0;
      for (RefundEntry refund : bill.refunds()) {
        if (refund.status() == RefundStatus.PENDING) {
          pendingRefunds += refund.amountMinor();
          countedByRemoval.add(refund.refundId());
        }
      }
      assertThat(net()).as("right after a voided line, only refunds on their way may exceed the new total")
          .isLessThanOrEqualTo(bill.totalMinor() + pendingRefunds + failedAfterRemoval());
    }

    /** A voided line's refund the gateway refused: the money stays with the venue, for people to sort out. */
    private long failedAfterRemoval() {
      return bill.refunds().stream()
          .filter(r -> r.status() == RefundStatus.FAILED && countedByRemoval.contains(r.refundId()))
          .mapToLong(RefundEntry::amountMinor).sum();
    }

    private void apply(List<Event> events) {
      for (Event e : events) {
        book(e);
        bill = bill.apply(e);
      }
    }

    /** The books, from the event alone: what it says was taken or given back. */
    private void book(Event e) {
      if (e instanceof PaymentRecorded r) {
        assertThat(paymentAmounts).as("a payment is recorded once").doesNotContainKey(r.payment().paymentId());
        paymentAmounts.put(r.payment().paymentId(), r.payment().amountMinor());
        if (r.payment().status() == PaymentStatus.SUCCEEDED) taken += r.payment().amountMinor();
      } else if (e instanceof PaymentSettled s && s.status() == PaymentStatus.SUCCEEDED) {
        taken += paymentAmounts.get(s.paymentId());
      } else if (e instanceof RefundRecorded r) {
        assertThat(refundAmounts).as("a refund is recorded once").doesNotContainKey(r.refund().refundId());
        refundAmounts.put(r.refund().refundId(), r.refund().amountMinor());
        if (r.refund().status() == RefundStatus.SUCCEEDED) givenBack += r.refund().amountMinor();
      } else if (e instanceof RefundSettled s && s.succeeded()) {
        givenBack += refundAmounts.get(s.refundId());
      } else if (e instanceof Settled) {
        settlements++;
      }
    }

    private long net() {
      return bill.paidMinor() - bill.refundedMinor();
    }

    private void assertInvariants(Step step) {
      assertThat(net()).as("after %s: what the bill holds is what was taken less what was given back", step)
          .isEqualTo(taken - givenBack);
      assertThat(bill.dueMinor()).as("after %s: due", step).isGreaterThanOrEqualTo(0);
      assertThat(bill.pendingMinor()).as("after %s: pending", step).isGreaterThanOrEqualTo(0);
      assertThat(settlements).as("after %s: settled at most once", step).isLessThanOrEqualTo(1);
      // any refund still on its way already counts as given back when the bill weighs what it keeps
      long onTheirWay = bill.refunds().stream()
          .filter(r -> r.status() == RefundStatus.PENDING)
          .mapToLong(RefundEntry::amountMinor).sum();
      assertThat(net()).as("after %s: the bill keeps no more than it asks, but for a voided line's refunds", step)
          .isLessThanOrEqualTo(bill.totalMinor() + onTheirWay + failedAfterRemoval());
      for (Payment p : bill.payments()) {
        long refunded = bill.refunds().stream()
            .filter(r -> r.paymentId().equals(p.paymentId()) && r.status() != RefundStatus.FAILED)
            .mapToLong(RefundEntry::amountMinor).sum();
        assertThat(refunded).as("after %s: refunds of %s", step, p.paymentId()).isLessThanOrEqualTo(p.amountMinor());
        if (refunded > 0) assertThat(p.status()).isEqualTo(PaymentStatus.SUCCEEDED);
      }
    }
  }
}
