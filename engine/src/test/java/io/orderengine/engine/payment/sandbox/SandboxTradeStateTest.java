package io.orderengine.engine.payment.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderengine.engine.Decision;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.payment.Provider;
import io.orderengine.engine.payment.sandbox.SandboxTrade.CallbackAcknowledged;
import io.orderengine.engine.payment.sandbox.SandboxTrade.Closed;
import io.orderengine.engine.payment.sandbox.SandboxTrade.Created;
import io.orderengine.engine.payment.sandbox.SandboxTrade.Declined;
import io.orderengine.engine.payment.sandbox.SandboxTrade.Event;
import io.orderengine.engine.payment.sandbox.SandboxTrade.Paid;
import io.orderengine.engine.payment.sandbox.SandboxTrade.RefundAccepted;
import io.orderengine.engine.payment.sandbox.SandboxTrade.RefundState;
import io.orderengine.engine.payment.sandbox.SandboxTrade.RefundSucceeded;
import io.orderengine.engine.payment.sandbox.SandboxTrade.TradeState;
import io.orderengine.engine.payment.sandbox.SandboxTrade.View;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A sandbox trade's pure core, given / when / then: its stages, its refunds and its callback schedule. */
class SandboxTradeStateTest {

  static final String TRADE = "A1-0001-B1-P1";
  static final Instant T0 = Instant.parse("2025-05-01T12:30:00Z");
  static final Instant T1 = T0.plusSeconds(20);

  static SandboxTradeState after(SandboxTradeState s, Decision<Event> decision) {
    for (Event e : decision.orThrow()) s = s.apply(e);
    return s;
  }

  static SandboxTradeState unknown() {
    return SandboxTradeState.empty(Provider.WECHAT, TRADE);
  }

  static SandboxTradeState qr() {
    return after(unknown(), unknown().decideCreate(5_600, "dinner", null, T0));
  }

  static SandboxTradeState paid() {
    return after(qr(), qr().decidePay(T1));
  }

  static Rejection refusal(Decision<Event> decision) {
    assertThat(decision).isInstanceOf(Decision.Refused.class);
    return ((Decision.Refused<Event>) decision).code();
  }

  @Test
  void a_qr_trade_waits_for_the_customer_and_its_number_names_one_amount() {
    Decision<Event> created = unknown().decideCreate(5_600, "dinner", null, T0);

    assertThat(created.orThrow())
        .containsExactly(new Created(Provider.WECHAT, TRADE, 5_600, "dinner", true, TradeState.NOTPAY, null, T0));
    SandboxTradeState s = after(unknown(), created);
    View view = s.view();
    assertThat(view.exists()).isTrue();
    assertThat(view.state()).isEqualTo(TradeState.NOTPAY);
    assertThat(view.qr()).isTrue();
    assertThat(view.callbackAcknowledged()).as("nothing owed yet").isTrue();
    assertThat(s.decideCreate(5_600, "dinner", null, T1)).isEqualTo(Decision.none());
    assertThat(refusal(s.decideCreate(5_000, "dinner", null, T1))).isEqualTo(Rejection.VALIDATION_FAILED);
    assertThat(refusal(unknown().decideCreate(0, "dinner", null, T0))).isEqualTo(Rejection.VALIDATION_FAILED);
  }

  @Test
  void a_scanned_code_pays_declines_or_waits_at_once() {
    List<Event> paid = unknown().decideCreate(5_600, "dinner", "134567890123456789", T0).orThrow();
    List<Event> declined = unknown().decideCreate(5_600, "dinner", "decline", T0).orThrow();
    List<Event> waiting = unknown().decideCreate(5_600, "dinner", "USERPAYING", T0).orThrow();

    assertThat(paid).hasSize(2);
    assertThat(paid.get(1)).isInstanceOfSatisfying(Paid.class, p -> assertThat(p.transactionId()).startsWith("WE"));
    assertThat(declined).containsExactly(
        new Created(Provider.WECHAT, TRADE, 5_600, "dinner", false, TradeState.NOTPAY, null, T0),
        new Declined("the customer's code was declined", T0));
    assertThat(after(unknown(), Decision.accept(waiting)).view().state()).isEqualTo(TradeState.USERPAYING);
  }

  @Test
  void each_stage_answers_pay_decline_and_close_as_a_provider_does() {
    SandboxTradeState declined = after(qr(), qr().decideDecline("no money", T1));
    SandboxTradeState closed = after(qr(), qr().decideClose(T1));

    assertThat(refusal(unknown().decidePay(T1))).isEqualTo(Rejection.NOT_FOUND);
    assertThat(unknown().decideClose(T1)).isEqualTo(Decision.none());
    assertThat(paid().decidePay(T1)).isEqualTo(Decision.none());
    assertThat(refusal(paid().decideDecline("late", T1))).isEqualTo(Rejection.VALIDATION_FAILED);
    assertThat(paid().decideClose(T1)).isEqualTo(Decision.none());
    assertThat(declined.view().state()).isEqualTo(TradeState.PAYERROR);
    assertThat(declined.view().reason()).isEqualTo("no money");
    assertThat(declined.decideDecline("again", T1)).isEqualTo(Decision.none());
    assertThat(refusal(declined.decidePay(T1))).isEqualTo(Rejection.VALIDATION_FAILED);
    assertThat(closed.decideClose(T1)).isEqualTo(Decision.none());
    assertThat(closed.view().state()).isEqualTo(TradeState.CLOSED);
    assertThat(closed.view().finishedAt()).isEqualTo(T1);
    assertThat(refusal(closed.decidePay(T1))).isEqualTo(Rejection.VALIDATION_FAILED);
    assertThat(closed.lastCallback()).as("a trade closed unpaid announces nothing").isEmpty();
  }

  @Test
  void refunds_never_exceed_what_the_trade_took_and_mature_a_moment_after_acceptance() {
    SandboxTradeState s = paid();

    Decision<Event> first = s.decideRefund("R1", 4_000, T1);
    assertThat(first.orThrow()).containsExactly(new RefundAccepted("R1", 4_000, T1));
    s = after(s, first);
    assertThat(s.decideRefund("R1", 4_000, T1)).isEqualTo(Decision.none());
    assertThat(refusal(s.decideRefund("R2", 1_601, T1))).isEqualTo(Rejection.AMOUNT_EXCEEDS_DUE);
    assertThat(refusal(qr().decideRefund("R1", 100, T1))).isEqualTo(Rejection.VALIDATION_FAILED);
    assertThat(refusal(unknown().decideRefund("R1", 100, T1))).isEqualTo(Rejection.NOT_FOUND);

    Instant matures = T1.plus(SandboxTradeState.REFUND_MATURES_AFTER);
    assertThat(s.nextRefundMaturity()).contains(matures);
    assertThat(s.decideMatured(matures.minusMillis(1))).isEqualTo(Decision.none());
    Decision<Event> matured = s.decideMatured(matures);
    assertThat(matured.orThrow()).containsExactly(new RefundSucceeded("R1", matures));
    SandboxTradeState done = after(s, matured);
    assertThat(done.view().refund("R1")).hasValueSatisfying(r -> assertThat(r.state()).isEqualTo(RefundState.SUCCESS));
    assertThat(done.nextRefundMaturity()).isEmpty();
  }

  @Test
  void a_paid_trade_owes_one_callback_on_the_providers_schedule_until_it_is_acknowledged() {
    SandboxTradeState s = paid();

    assertThat(s.owedCallback()).hasValueSatisfying(c -> assertThat(c.notificationId()).isEqualTo(TRADE + "-N1"));
    assertThat(s.view().callbacksSent()).isEqualTo(1);
    assertThat(s.view().callbackAcknowledged()).isFalse();
    // 0.5s, then 1s, 2s, 4s... after the trade was paid
    assertThat(s.nextCallbackAt(T1)).contains(T1.plusMillis(500));
    assertThat(s.nextCallbackAt(T1.plusMillis(500))).contains(T1.plusMillis(1_500));
    assertThat(s.nextCallbackAt(T1.plusMillis(2_000))).contains(T1.plusMillis(3_500));
    Duration whole = SandboxTradeState.CALLBACK_SCHEDULE.stream().reduce(Duration.ZERO, Duration::plus);
    assertThat(s.nextCallbackAt(T1.plus(whole).minusMillis(1))).contains(T1.plus(whole));
    assertThat(s.nextCallbackAt(T1.plus(whole))).as("the schedule is spent").isEmpty();

    assertThat(s.decideAcknowledged("other-N1")).isEqualTo(Decision.none());
    Decision<Event> acknowledged = s.decideAcknowledged(TRADE + "-N1");
    assertThat(acknowledged.orThrow()).containsExactly(new CallbackAcknowledged(TRADE + "-N1"));
    SandboxTradeState done = after(s, acknowledged);
    assertThat(done.owedCallback()).isEmpty();
    assertThat(done.lastCallback()).isPresent();
    assertThat(done.nextCallbackAt(T1)).isEmpty();
    assertThat(done.view().callbackAcknowledged()).isTrue();
    assertThat(done.decideAcknowledged(TRADE + "-N1")).isEqualTo(Decision.none());
  }

  @Test
  void a_declined_trade_owes_its_callback_too() {
    SandboxTradeState s = after(qr(), qr().decideDecline("no money", T1));

    assertThat(s.nextCallbackAt(T1)).contains(T1.plusMillis(500));
    assertThat(after(s, s.decideAcknowledged(TRADE + "-N1")).owedCallback()).isEmpty();
  }

  @Test
  void the_statement_folds_the_events_from_empty() {
    SandboxTradeState s = unknown();
    for (Event e : List.of(new Created(Provider.WECHAT, TRADE, 5_600, "dinner", true, TradeState.NOTPAY, null, T0),
        new Paid("WE1", T1), new RefundAccepted("R1", 600, T1), new RefundSucceeded("R1", T1), new CallbackAcknowledged(TRADE + "-N1"))) {
      s = s.apply(e);
    }

    View v = s.view();
    assertThat(v.state()).isEqualTo(TradeState.SUCCESS);
    assertThat(v.transactionId()).isEqualTo("WE1");
    assertThat(v.finishedAt()).isEqualTo(T1);
    assertThat(v.refunds()).containsExactly(new SandboxTrade.RefundView("R1", 600, RefundState.SUCCESS));
    assertThat(v.callbackAcknowledged()).isTrue();
    assertThat(after(qr(), Decision.accept(new Closed(T1))).view().reason()).isEqualTo("closed by the merchant");
  }
}
