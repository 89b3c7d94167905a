package io.orderengine.engine.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.payment.PaymentSaga.AwaitingCustomer;
import io.orderengine.engine.payment.PaymentSaga.BillInformed;
import io.orderengine.engine.payment.PaymentSaga.CancelRequested;
import io.orderengine.engine.payment.PaymentSaga.Cancelled;
import io.orderengine.engine.payment.PaymentSaga.Event;
import io.orderengine.engine.payment.PaymentSaga.Expired;
import io.orderengine.engine.payment.PaymentSaga.Failed;
import io.orderengine.engine.payment.PaymentSaga.NotificationReceived;
import io.orderengine.engine.payment.PaymentSaga.PaidAfterEnd;
import io.orderengine.engine.payment.PaymentSaga.RefundEntry;
import io.orderengine.engine.payment.PaymentSaga.RefundRequested;
import io.orderengine.engine.payment.PaymentSaga.RefundSettled;
import io.orderengine.engine.payment.PaymentSaga.RefundStatus;
import io.orderengine.engine.payment.PaymentSaga.Spec;
import io.orderengine.engine.payment.PaymentSaga.Started;
import io.orderengine.engine.payment.PaymentSagaState;
import io.orderengine.engine.payment.PaymentSaga.Status;
import io.orderengine.engine.payment.PaymentSaga.Step;
import io.orderengine.engine.payment.PaymentSaga.Succeeded;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The payment saga's pure core, given / when / then: what each answer, callback and request does to a payment. */
class PaymentSagaStateTest {

  static final String PAY = "A1-0001-B1-P1";
  static final Duration EXPIRY = Duration.ofMinutes(5);
  static final Instant T0 = Instant.parse("2025-05-01T12:30:00Z");
  static final Instant T1 = T0.plusSeconds(30);
  static final Instant T2 = T0.plusSeconds(60);
  static final Instant T3 = T0.plusSeconds(600);
  static final Spec QR = new Spec(PAY, "A1-0001-B1", "A1", Provider.WECHAT, 5_600, null, null, "bill A1-0001-B1 table A1");

  // ---- given ----

  static PaymentSagaState after(PaymentSagaState s, List<Event> events) {
    PaymentSagaState next = s;
    for (Event e : events) next = next.apply(e);
    return next;
  }

  static PaymentSagaState starting() {
    PaymentSagaState empty = PaymentSagaState.empty(PAY);
    return after(empty, empty.decideStart(QR, EXPIRY, T0).orThrow());
  }

  static PaymentSagaState pending() {
    PaymentSagaState s = starting();
    return after(s, s.decideAnswer(new TradeResult(TradeResult.Status.PENDING, "WX-1", 5_600, "weixin://qr/1", null),
        Step.INITIATE, T0).orThrow());
  }

  static PaymentSagaState succeeded() {
    PaymentSagaState s = pending();
    return after(s, s.decideAnswer(paid(), Step.QUERY, T1).orThrow());
  }

  static PaymentSagaState cancelled() {
    PaymentSagaState s = pending();
    s = after(s, s.decideCancel(T1).orThrow());
    return after(s, s.decideAnswer(closed(), Step.CLOSE, T1).orThrow());
  }

  static PaymentSagaState expired() {
    PaymentSagaState s = pending();
    return after(s, s.decideAnswer(closed(), Step.CLOSE, T3).orThrow());
  }

  static PaymentSagaState failed() {
    PaymentSagaState s = starting();
    return after(s, s.decideAnswer(TradeResult.of(TradeResult.Status.DECLINED, "card declined"), Step.INITIATE, T0).orThrow());
  }

  static TradeResult paid() {
    return new TradeResult(TradeResult.Status.SUCCEEDED, "WX-1", 5_600, null, null);
  }

  static TradeResult closed() {
    return TradeResult.of(TradeResult.Status.CLOSED, "closed");
  }

  static Notification callback(String id, TradeResult.Status status) {
    return new Notification(id, Provider.WECHAT, PAY, status, status == TradeResult.Status.SUCCEEDED ? "WX-1" : null,
        5_600, status == TradeResult.Status.DECLINED ? "PAYERROR" : null);
  }

  static void assertRejected(ThrowingCallable call, Rejection code) {
    assertThatThrownBy(call).isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.code()).isEqualTo(code));
  }

  static PaymentSagaState refunded(PaymentSagaState s, String refundNo, long amount) {
    return after(s, s.decideRefund(refundNo, amount, T2).orThrow());
  }

  @Nested
  class Starting {

    @Test
    void a_start_records_the_spec_and_the_deadline_once() {
      PaymentSagaState empty = PaymentSagaState.empty(PAY);

      List<Event> events = empty.decideStart(QR, EXPIRY, T0).orThrow();

      assertThat(events).containsExactly(new Started(PAY, QR, T0.plus(EXPIRY), T0));
      PaymentSagaState s = after(empty, events);
      assertThat(s.status()).isEqualTo(Status.STARTING);
      assertThat(s.deadline()).isEqualTo(T0.plus(EXPIRY));
      assertThat(s.decideStart(QR, EXPIRY, T1).orThrow()).isEmpty();
    }

    @Test
    void a_spec_for_another_payment_is_refused() {
      Spec other = new Spec("A1-0001-B1-P2", "A1-0001-B1", "A1", Provider.WECHAT, 100, null, null, "x");

      assertRejected(() -> PaymentSagaState.empty(PAY).decideStart(other, EXPIRY, T0).orThrow(), Rejection.VALIDATION_FAILED);
    }

    @Test
    void a_gateway_that_stays_unreachable_leaves_the_trade_pending_until_its_deadline() {
      PaymentSagaState s = starting();

      List<Event> events = s.decideUnreachable(T1).orThrow();

      assertThat(events).containsExactly(new AwaitingCustomer(PAY, null, null, T1));
      assertThat(after(s, events).status()).isEqualTo(Status.PENDING);
      assertThat(pending().decideUnreachable(T1).orThrow()).isEmpty();
    }
  }

  @Nested
  class GatewayAnswers {

    @Test
    void succeeded_ends_the_payment_with_the_amount_of_the_spec() {
      PaymentSagaState s = starting();

      List<Event> events = s.decideAnswer(paid(), Step.INITIATE, T1).orThrow();

      assertThat(events).containsExactly(new Succeeded(PAY, "WX-1", 5_600, "initiate", T1));
      PaymentSagaState done = after(s, events);
      assertThat(done.status()).isEqualTo(Status.SUCCEEDED);
      assertThat(done.gatewayTxnId()).isEqualTo("WX-1");
      assertThat(done.finishedAt()).isEqualTo(T1);
      assertThat(done.owesBillPayment()).isTrue();
    }

    @Test
    void pending_on_the_first_answer_awaits_the_customer_and_later_pendings_change_nothing() {
      PaymentSagaState s = starting();

      List<Event> events = s.decideAnswer(
          new TradeResult(TradeResult.Status.PENDING, "WX-1", 5_600, "weixin://qr/1", null), Step.INITIATE, T0).orThrow();

      assertThat(events).containsExactly(new AwaitingCustomer(PAY, "weixin://qr/1", "WX-1", T0));
      PaymentSagaState waiting = after(s, events);
      assertThat(waiting.status()).isEqualTo(Status.PENDING);
      assertThat(waiting.qrCodeUrl()).isEqualTo("weixin://qr/1");
      assertThat(waiting.owesBillPayment()).isFalse();
      assertThat(waiting.decideAnswer(TradeResult.of(TradeResult.Status.PENDING, null), Step.QUERY, T1).orThrow()).isEmpty();
    }

    @Test
    void declined_fails_the_payment_with_the_gateways_reason_or_a_default() {
      PaymentSagaState s = starting();

      assertThat(s.decideAnswer(TradeResult.of(TradeResult.Status.DECLINED, "card declined"), Step.INITIATE, T1).orThrow())
          .containsExactly(new Failed(PAY, "PAYMENT_DECLINED", "card declined", T1));
      assertThat(s.decideAnswer(TradeResult.of(TradeResult.Status.DECLINED, null), Step.INITIATE, T1).orThrow())
          .containsExactly(new Failed(PAY, "PAYMENT_DECLINED", "declined", T1));
      assertThat(failed().status()).isEqualTo(Status.FAILED);
      assertThat(failed().failureCode()).isEqualTo("PAYMENT_DECLINED");
    }

    @Test
    void insufficient_balance_fails_the_payment_with_its_own_code() {
      PaymentSagaState s = starting();

      List<Event> events = s.decideAnswer(TradeResult.of(TradeResult.Status.INSUFFICIENT_BALANCE, "balance 120"),
          Step.INITIATE, T1).orThrow();

      assertThat(events).containsExactly(new Failed(PAY, "INSUFFICIENT_BALANCE", "balance 120", T1));
      assertThat(after(s, events).failureCode()).isEqualTo("INSUFFICIENT_BALANCE");
    }

    @Test
    void closed_expires_the_payment_unless_a_cancel_was_asked_for() {
      PaymentSagaState s = pending();

      assertThat(s.decideAnswer(closed(), Step.CLOSE, T3).orThrow()).containsExactly(new Expired(PAY, T3));
      PaymentSagaState asked = after(s, s.decideCancel(T1).orThrow());
      assertThat(asked.decideAnswer(closed(), Step.CLOSE, T2).orThrow()).containsExactly(new Cancelled(PAY, T2));
      assertThat(expired().failureCode()).isEqualTo("EXPIRED");
      assertThat(cancelled().failureCode()).isEqualTo("CANCELLED");
    }

    @Test
    void not_found_ends_the_trade_only_when_closing() {
      PaymentSagaState s = pending();
      TradeResult notFound = TradeResult.of(TradeResult.Status.NOT_FOUND, "no trade");

      assertThat(s.decideAnswer(notFound, Step.QUERY, T1).orThrow()).isEmpty();
      assertThat(s.decideAnswer(notFound, Step.INITIATE, T1).orThrow()).isEmpty();
      assertThat(s.decideAnswer(notFound, Step.CLOSE, T3).orThrow()).containsExactly(new Expired(PAY, T3));
    }

    @Test
    void after_the_end_only_a_success_matters_and_only_as_money_to_give_back() {
      for (PaymentSagaState ended : List.of(succeeded(), failed(), cancelled(), expired())) {
        for (TradeResult.Status other : List.of(TradeResult.Status.PENDING, TradeResult.Status.DECLINED,
            TradeResult.Status.CLOSED, TradeResult.Status.NOT_FOUND, TradeResult.Status.INSUFFICIENT_BALANCE)) {
          assertThat(ended.decideAnswer(TradeResult.of(other, "late"), Step.QUERY, T3).orThrow()).as("%s after %s", other, ended.status())
              .isEmpty();
        }
      }
      assertThat(succeeded().decideAnswer(paid(), Step.CLOSE, T3).orThrow()).isEmpty();
    }

    @Test
    void a_success_answered_after_a_cancel_is_given_back_and_never_counted() {
      PaymentSagaState s = cancelled();

      List<Event> events = s.decideAnswer(paid(), Step.QUERY, T2).orThrow();

      assertThat(events).containsExactly(
          new PaidAfterEnd(PAY, "WX-1", 5_600, T2),
          new RefundRequested(PAY, PAY + "-RBACK", 5_600, true, T2));
      PaymentSagaState after = after(s, events);
      assertThat(after.status()).isEqualTo(Status.CANCELLED);
      assertThat(after.refunds()).containsExactly(
          new RefundEntry(PAY + "-RBACK", 5_600, RefundStatus.PROCESSING, true, false, null));
    }

    @Test
    void a_query_that_finds_no_trade_makes_it_again_unless_the_gateway_gave_its_qr_code() {
      TradeResult none = TradeResult.of(TradeResult.Status.NOT_FOUND, "no trade");
      PaymentSagaState scanned = PaymentSagaState.empty(PAY);
      scanned = after(scanned, scanned.decideStart(new Spec(PAY, "A1-0001-B1", "A1", Provider.WECHAT, 5_600, "134567890123456789",
          null, "bill"), EXPIRY, T0).orThrow());
      scanned = after(scanned, scanned.decideAnswer(TradeResult.of(TradeResult.Status.PENDING, null), Step.INITIATE, T0).orThrow());

      assertThat(starting().tradeLost(none, Step.QUERY)).as("never reached the gateway").isTrue();
      assertThat(scanned.tradeLost(none, Step.QUERY)).as("a customer's code, no QR of ours").isTrue();
      assertThat(pending().tradeLost(none, Step.QUERY)).as("the gateway gave the QR trade its code").isFalse();
      assertThat(starting().tradeLost(none, Step.CLOSE)).as("a close that finds none ends the trade").isFalse();
      assertThat(starting().tradeLost(paid(), Step.QUERY)).isFalse();
      assertThat(succeeded().tradeLost(none, Step.QUERY)).as("an ended payment").isFalse();
    }
  }

  @Nested
  class Callbacks {

    @Test
    void a_success_callback_ends_a_pending_payment() {
      PaymentSagaState s = pending();

      List<Event> events = s.decideNotification(callback("N1", TradeResult.Status.SUCCEEDED), T1).orThrow();

      assertThat(events).containsExactly(
          new NotificationReceived(PAY, "N1"),
          new Succeeded(PAY, "WX-1", 5_600, "callback N1", T1));
      assertThat(after(s, events).status()).isEqualTo(Status.SUCCEEDED);
    }

    @Test
    void a_callback_is_counted_once_by_its_id() {
      PaymentSagaState s = pending();
      Notification n = callback("N1", TradeResult.Status.SUCCEEDED);
      PaymentSagaState once = after(s, s.decideNotification(n, T1).orThrow());

      assertThat(once.decideNotification(n, T2).orThrow()).isEmpty();
      // the same id stays spent even while the payment is pending: a resent decline is not a second decline
      Notification declined = callback("N7", TradeResult.Status.DECLINED);
      PaymentSagaState ignoredOnce = after(s, List.of(new NotificationReceived(PAY, "N7")));
      assertThat(ignoredOnce.decideNotification(declined, T1).orThrow()).isEmpty();
    }

    @Test
    void a_decline_after_a_success_changes_nothing_but_is_remembered() {
      PaymentSagaState s = succeeded();

      List<Event> events = s.decideNotification(callback("N2", TradeResult.Status.DECLINED), T2).orThrow();

      assertThat(events).containsExactly(new NotificationReceived(PAY, "N2"));
      PaymentSagaState after = after(s, events);
      assertThat(after.status()).isEqualTo(Status.SUCCEEDED);
      assertThat(after.failureCode()).isNull();
    }

    @Test
    void a_second_success_callback_with_another_id_does_not_count_twice() {
      PaymentSagaState s = succeeded();

      List<Event> events = s.decideNotification(callback("N3", TradeResult.Status.SUCCEEDED), T2).orThrow();

      assertThat(events).containsExactly(new NotificationReceived(PAY, "N3"));
    }

    @Test
    void a_decline_callback_fails_a_pending_payment() {
      PaymentSagaState s = pending();

      assertThat(s.decideNotification(callback("N1", TradeResult.Status.DECLINED), T1).orThrow()).containsExactly(
          new NotificationReceived(PAY, "N1"), new Failed(PAY, "PAYMENT_DECLINED", "PAYERROR", T1));
    }

    @Test
    void pending_and_closed_callbacks_are_only_remembered() {
      PaymentSagaState s = pending();

      assertThat(s.decideNotification(callback("N1", TradeResult.Status.PENDING), T1).orThrow())
          .containsExactly(new NotificationReceived(PAY, "N1"));
      assertThat(s.decideNotification(callback("N2", TradeResult.Status.CLOSED), T1).orThrow())
          .containsExactly(new NotificationReceived(PAY, "N2"));
    }

    @Test
    void a_callback_before_the_start_is_only_remembered() {
      PaymentSagaState empty = PaymentSagaState.empty(PAY);

      assertThat(empty.decideNotification(callback("N1", TradeResult.Status.SUCCEEDED), T0).orThrow())
          .containsExactly(new NotificationReceived(PAY, "N1"));
    }

    @Test
    void a_success_callback_after_a_cancel_or_an_expiry_is_given_back_and_never_succeeds() {
      for (PaymentSagaState ended : List.of(cancelled(), expired(), failed())) {
        List<Event> events = ended.decideNotification(callback("N9", TradeResult.Status.SUCCEEDED), T3).orThrow();

        assertThat(events).as("after %s", ended.status()).containsExactly(
            new NotificationReceived(PAY, "N9"),
            new PaidAfterEnd(PAY, "WX-1", 5_600, T3),
            new RefundRequested(PAY, PAY + "-RBACK", 5_600, true, T3));
        assertThat(events).noneMatch(Succeeded.class::isInstance);
        PaymentSagaState after = after(ended, events);
        assertThat(after.status()).isEqualTo(ended.status());
        assertThat(after.finishedAt()).isEqualTo(ended.finishedAt());
      }
    }

    @Test
    void a_late_payment_is_given_back_once_whatever_announces_it_again() {
      PaymentSagaState ended = cancelled();
      PaymentSagaState compensating = after(ended, ended.decideNotification(callback("N9", TradeResult.Status.SUCCEEDED), T3).orThrow());

      assertThat(compensating.decideNotification(callback("N9", TradeResult.Status.SUCCEEDED), T3).orThrow()).isEmpty();
      assertThat(compensating.decideNotification(callback("N10", TradeResult.Status.SUCCEEDED), T3).orThrow())
          .containsExactly(new NotificationReceived(PAY, "N10"));
      assertThat(compensating.decideAnswer(paid(), Step.QUERY, T3).orThrow()).isEmpty();
    }

    @Test
    void the_most_recent_callback_ids_are_remembered() {
      PaymentSagaState s = pending();
      for (int i = 1; i <= PaymentSagaState.REMEMBERED_NOTIFICATIONS + 5; i++) {
        s = after(s, s.decideNotification(callback("N" + i, TradeResult.Status.PENDING), T1).orThrow());
      }

      assertThat(s.notifications()).hasSize(PaymentSagaState.REMEMBERED_NOTIFICATIONS);
      for (int i = 6; i <= PaymentSagaState.REMEMBERED_NOTIFICATIONS + 5; i++) {
        assertThat(s.decideNotification(callback("N" + i, TradeResult.Status.SUCCEEDED), T2).orThrow()).as("N%d", i).isEmpty();
      }
    }
  }

  @Nested
  class Cancelling {

    @Test
    void a_payment_that_never_started_cannot_be_cancelled() {
      assertRejected(() -> PaymentSagaState.empty(PAY).decideCancel(T1).orThrow(), Rejection.NOT_FOUND);
    }

    @Test
    void a_starting_or_pending_payment_is_asked_to_cancel_once() {
      for (PaymentSagaState open : List.of(starting(), pending())) {
        List<Event> events = open.decideCancel(T1).orThrow();

        assertThat(events).containsExactly(new CancelRequested(PAY, T1));
        PaymentSagaState asked = after(open, events);
        assertThat(asked.cancelRequested()).isTrue();
        assertThat(asked.status()).isEqualTo(open.status());
        assertThat(asked.decideCancel(T2).orThrow()).isEmpty();
      }
    }

    @Test
    void a_cancelled_payment_takes_another_cancel_quietly() {
      assertThat(cancelled().decideCancel(T2).orThrow()).isEmpty();
    }

    @Test
    void a_payment_that_ended_otherwise_cannot_be_cancelled() {
      for (PaymentSagaState ended : List.of(succeeded(), failed(), expired())) {
        assertRejected(() -> ended.decideCancel(T2).orThrow(), Rejection.PAYMENT_NOT_PENDING);
      }
    }

    @Test
    void a_payment_the_customer_paid_before_the_close_stays_paid() {
      PaymentSagaState asked = after(pending(), pending().decideCancel(T1).orThrow());

      List<Event> events = asked.decideAnswer(paid(), Step.CLOSE, T2).orThrow();

      assertThat(events).containsExactly(new Succeeded(PAY, "WX-1", 5_600, "close", T2));
    }
  }

  @Nested
  class Refunds {

    @Test
    void only_a_succeeded_payment_is_refunded() {
      for (PaymentSagaState other : List.of(starting(), pending(), failed(), cancelled(), expired())) {
        assertRejected(() -> other.decideRefund(PAY + "-R1", 100, T2).orThrow(), Rejection.PAYMENT_NOT_PENDING);
      }
      assertThat(succeeded().decideRefund(PAY + "-R1", 100, T2).orThrow())
          .containsExactly(new RefundRequested(PAY, PAY + "-R1", 100, false, T2));
    }

    @Test
    void refunds_never_add_up_to_more_than_the_payment_took() {
      PaymentSagaState s = refunded(succeeded(), PAY + "-R1", 5_000);

      assertRejected(() -> s.decideRefund(PAY + "-R2", 601, T2).orThrow(), Rejection.AMOUNT_EXCEEDS_REFUNDABLE);
      assertRejected(() -> succeeded().decideRefund(PAY + "-R1", 5_601, T2).orThrow(), Rejection.AMOUNT_EXCEEDS_REFUNDABLE);
      assertRejected(() -> succeeded().decideRefund(PAY + "-R1", 0, T2).orThrow(), Rejection.AMOUNT_EXCEEDS_REFUNDABLE);
      assertRejected(() -> succeeded().decideRefund(PAY + "-R1", -5, T2).orThrow(), Rejection.AMOUNT_EXCEEDS_REFUNDABLE);
      PaymentSagaState full = refunded(s, PAY + "-R2", 600);
      assertThat(full.refundedOrRefunding()).isEqualTo(5_600);
    }

    @Test
    void a_refund_number_is_acted_on_once() {
      PaymentSagaState s = refunded(succeeded(), PAY + "-R1", 1_000);

      assertThat(s.decideRefund(PAY + "-R1", 1_000, T3).orThrow()).isEmpty();
      assertThat(s.decideRefund(PAY + "-R1", 4_000, T3).orThrow()).isEmpty();
      assertThat(s.refunds()).hasSize(1);
    }

    @Test
    void a_rejected_refund_frees_its_amount_again() {
      PaymentSagaState s = refunded(succeeded(), PAY + "-R1", 5_600);
      PaymentSagaState rejected = after(s, s.decideRefundAnswer(PAY + "-R1",
          new RefundResult(RefundResult.Status.REJECTED, "NOT_ENOUGH"), T3).orThrow());

      assertThat(rejected.refund(PAY + "-R1").orElseThrow().status()).isEqualTo(RefundStatus.REJECTED);
      assertThat(rejected.decideRefund(PAY + "-R2", 5_600, T3).orThrow()).hasSize(1);
    }

    @Test
    void a_refund_settles_once_on_the_gateways_final_word() {
      PaymentSagaState s = refunded(succeeded(), PAY + "-R1", 1_000);

      assertThat(s.decideRefundAnswer(PAY + "-R1", new RefundResult(RefundResult.Status.PROCESSING, null), T3).orThrow()).isEmpty();
      assertThat(s.decideRefundAnswer(PAY + "-R1", new RefundResult(RefundResult.Status.NOT_FOUND, null), T3).orThrow()).isEmpty();
      List<Event> settled = s.decideRefundAnswer(PAY + "-R1", new RefundResult(RefundResult.Status.SUCCEEDED, null), T3).orThrow();
      assertThat(settled).containsExactly(new RefundSettled(PAY, PAY + "-R1", true, null, T3));
      PaymentSagaState done = after(s, settled);
      assertThat(done.decideRefundAnswer(PAY + "-R1", new RefundResult(RefundResult.Status.REJECTED, "late"), T3).orThrow()).isEmpty();
      assertThat(done.decideRefundAnswer("unknown", new RefundResult(RefundResult.Status.SUCCEEDED, null), T3).orThrow()).isEmpty();
    }
  }

  @Nested
  class TellingTheBill {

    @Test
    void a_finished_payment_is_owed_to_the_bill_until_it_acknowledges() {
      for (PaymentSagaState ended : List.of(succeeded(), failed(), cancelled(), expired())) {
        assertThat(ended.owesBillPayment()).as("%s", ended.status()).isTrue();
        assertThat(ended.apply(new BillInformed(PAY, "payment")).owesBillPayment()).isFalse();
      }
      assertThat(pending().owesBillPayment()).isFalse();
    }

    @Test
    void a_settled_refund_is_owed_to_the_bill_but_a_compensation_never_is() {
      PaymentSagaState s = refunded(succeeded(), PAY + "-R1", 1_000);
      assertThat(s.refundsOwedToBill()).isEmpty();
      PaymentSagaState settled = after(s, s.decideRefundAnswer(PAY + "-R1", new RefundResult(RefundResult.Status.SUCCEEDED, null), T3).orThrow());

      assertThat(settled.refundsOwedToBill()).extracting(RefundEntry::refundNo).containsExactly(PAY + "-R1");
      assertThat(settled.apply(new BillInformed(PAY, PAY + "-R1")).refundsOwedToBill()).isEmpty();

      PaymentSagaState compensating = after(cancelled(), cancelled().decideNotification(callback("N9", TradeResult.Status.SUCCEEDED), T3).orThrow());
      PaymentSagaState compensated = after(compensating, compensating.decideRefundAnswer(PAY + "-RBACK",
          new RefundResult(RefundResult.Status.SUCCEEDED, null), T3).orThrow());
      assertThat(compensated.refundsOwedToBill()).isEmpty();
    }
  }

  // ---- whatever the gateway says, in whatever order ----

  sealed interface Word permits Answer, Callback, Unreachable, Cancel {}

  record Answer(TradeResult.Status status, Step step) implements Word {}

  record Callback(int id, TradeResult.Status status) implements Word {}

  record Unreachable() implements Word {}

  record Cancel() implements Word {}

  @Provide
  Arbitrary<List<Word>> words() {
    Arbitrary<Word> answer = Combinators.combine(Arbitraries.of(TradeResult.Status.class), Arbitraries.of(Step.class))
        .as(Answer::new);
    // few ids, so that redeliveries happen
    Arbitrary<Word> callback = Combinators.combine(Arbitraries.integers().between(1, 4), Arbitraries.of(TradeResult.Status.class))
        .as(Callback::new);
    return Arbitraries.oneOf(answer, callback, Arbitraries.just(new Unreachable()), Arbitraries.just(new Cancel()))
        .list().ofMaxSize(25);
  }

  @Property(tries = 500)
  void a_payment_succeeds_at_most_once_never_after_it_ended_and_gives_back_at_most_once(@ForAll("words") List<Word> words) {
    PaymentSagaState s = starting();
    List<Event> all = new ArrayList<>();
    for (Word w : words) {
      Status before = s.status();
      List<Event> events;
      try {
        if (w instanceof Answer a) events = s.decideAnswer(TradeResult.of(a.status(), null), a.step(), T1).orThrow();
        else if (w instanceof Callback c) events = s.decideNotification(callback("N" + c.id(), c.status()), T1).orThrow();
        else if (w instanceof Unreachable) events = s.decideUnreachable(T1).orThrow();
        else events = s.decideCancel(T1).orThrow();
      } catch (Rejected r) {
        assertThat(before.terminal()).as("only an ended payment refuses a cancel").isTrue();
        continue;
      }
      s = after(s, events);
      all.addAll(events);
      if (before.terminal()) {
        assertThat(s.status()).as("an ended payment stays as it ended").isEqualTo(before);
        assertThat(events).noneMatch(e -> e instanceof Succeeded || e instanceof Failed
            || e instanceof Cancelled || e instanceof Expired);
      }
    }
    long endings = all.stream().filter(e -> e instanceof Succeeded || e instanceof Failed
        || e instanceof Cancelled || e instanceof Expired).count();
    assertThat(endings).isLessThanOrEqualTo(1);
    long compensations = all.stream().filter(e -> e instanceof RefundRequested r && r.compensation()).count();
    assertThat(compensations).isLessThanOrEqualTo(1);
    boolean succeededOnce = all.stream().anyMatch(Succeeded.class::isInstance);
    if (succeededOnce) assertThat(compensations).as("money counted is never also given back").isZero();
    if (compensations == 1) assertThat(s.status()).isNotEqualTo(Status.SUCCEEDED);
  }
}
