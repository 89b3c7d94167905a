package io.orderengine.engine.payment.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderengine.engine.EntityTestKitConfig;
import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.payment.Provider;
import io.orderengine.engine.payment.sandbox.SandboxTrade.RefundState;
import io.orderengine.engine.payment.sandbox.SandboxTrade.TradeState;
import io.orderengine.engine.payment.sandbox.SandboxTrade.View;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sandbox trade in its shell, on the in-memory journal. The merchant is a stand-in webhook that
 * records every callback and answers as the test says: a callback not acknowledged is sent again on
 * the provider's schedule (0.5s, then 1s, 2s... after the trade ended), and no more once acknowledged.
 */
class SandboxTradeEntityTest {

  enum MerchantAnswer {
    ACKNOWLEDGES,
    ANSWERS_500,
    UNREACHABLE
  }

  private static final AtomicInteger TRADES = new AtomicInteger();
  private static ActorTestKit testKit;

  private String tradeNo;
  private final AtomicReference<MerchantAnswer> merchantAnswer = new AtomicReference<>(MerchantAnswer.ANSWERS_500);
  private final List<String> callbacks = new CopyOnWriteArrayList<>();
  private EventSourcedBehaviorTestKit<SandboxTrade.Command, SandboxTrade.Event, SandboxTradeState> trade;

  @BeforeAll
  static void startSystem() {
    testKit = ActorTestKit.create(EntityTestKitConfig.config());
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void newTrade() {
    tradeNo = "A1-0001-B" + TRADES.incrementAndGet() + "-P1";
    SandboxTrade.Webhook merchant = (view, notificationId) -> {
      callbacks.add(notificationId + " " + view.state());
      return switch (merchantAnswer.get()) {
        case ACKNOWLEDGES -> CompletableFuture.completedFuture(true);
        case ANSWERS_500 -> CompletableFuture.completedFuture(false);
        case UNREACHABLE -> CompletableFuture.failedFuture(new java.net.ConnectException("connection refused"));
      };
    };
    trade = EventSourcedBehaviorTestKit.create(testKit.system(),
        SandboxTrade.create(SandboxTrade.entityId(Provider.WECHAT, tradeNo), merchant));
  }

  private StatusReply<View> create(long amount, String authCode) {
    return trade.<StatusReply<View>>runCommand(r -> new SandboxTrade.Create(amount, "dinner", authCode, Instant.now(), r)).reply();
  }

  private View query() {
    return trade.<View>runCommand(SandboxTrade.Query::new).reply();
  }

  private void awaitCallbacks(int atLeast) {
    TestProbe<Object> probe = testKit.createTestProbe();
    probe.awaitAssert(Duration.ofSeconds(5), () -> {
      assertThat(callbacks).hasSizeGreaterThanOrEqualTo(atLeast);
      return null;
    });
  }

  private void awaitAcknowledged() {
    TestProbe<Object> probe = testKit.createTestProbe();
    probe.awaitAssert(Duration.ofSeconds(5), () -> {
      assertThat(query().callbackAcknowledged()).isTrue();
      return null;
    });
  }

  private String paid() {
    return tradeNo + "-N1 " + TradeState.SUCCESS;
  }

  @Test
  void a_callback_not_acknowledged_is_sent_again_and_stops_once_acknowledged() {
    assertThat(create(5_600, "TAP").getValue().state()).isEqualTo(TradeState.SUCCESS);

    awaitCallbacks(2); // at 0.5s and 1.5s, both answered 500
    merchantAnswer.set(MerchantAnswer.ACKNOWLEDGES);
    awaitAcknowledged(); // the one at 3.5s

    assertThat(callbacks).hasSize(3).allMatch(paid()::equals);
    assertThat(trade.persistenceTestKit().persistedInStorage("SandboxTrade|wechat:" + tradeNo))
        .last().isEqualTo(new SandboxTrade.CallbackAcknowledged(tradeNo + "-N1"));
    testKit.createTestProbe().expectNoMessage(Duration.ofMillis(4_500)); // past the slot at 7.5s
    assertThat(callbacks).as("nothing is sent once acknowledged").hasSize(3);
  }

  @Test
  void an_unreachable_merchant_is_called_again_like_one_that_refuses() {
    merchantAnswer.set(MerchantAnswer.UNREACHABLE);
    create(5_600, "DECLINE");

    awaitCallbacks(2);
    merchantAnswer.set(MerchantAnswer.ACKNOWLEDGES);
    awaitAcknowledged();

    assertThat(callbacks).hasSize(3).allMatch((tradeNo + "-N1 " + TradeState.PAYERROR)::equals);
  }

  @Test
  void an_owed_callback_is_sent_again_after_a_restart() {
    create(5_600, "TAP");
    awaitCallbacks(1);
    int before = callbacks.size();

    SandboxTradeState recovered = trade.restart().state();

    assertThat(recovered.owedCallback()).isPresent();
    merchantAnswer.set(MerchantAnswer.ACKNOWLEDGES);
    awaitAcknowledged();
    assertThat(callbacks.size()).isGreaterThan(before);
    assertThat(trade.restart().state().owedCallback()).as("acknowledged, also after a restart").isEmpty();
  }

  @Test
  void a_redelivery_sends_the_last_callback_once_more_even_when_acknowledged() {
    StatusReply<View> none = trade.<StatusReply<View>>runCommand(SandboxTrade.Redeliver::new).reply();
    assertThat(((Rejected) none.getError()).code()).isEqualTo(Rejection.NOT_FOUND);
    merchantAnswer.set(MerchantAnswer.ACKNOWLEDGES);
    create(5_600, "TAP");
    awaitAcknowledged();
    int before = callbacks.size();

    StatusReply<View> again = trade.<StatusReply<View>>runCommand(SandboxTrade.Redeliver::new).reply();

    assertThat(again.isSuccess()).isTrue();
    awaitCallbacks(before + 1);
    assertThat(callbacks.get(before)).isEqualTo(paid());
  }

  @Test
  void a_trade_number_names_one_amount_and_an_unknown_trade_is_not_found() {
    StatusReply<View> notFound = trade.<StatusReply<View>>runCommand(r -> new SandboxTrade.CustomerPays(Instant.now(), r)).reply();
    assertThat(((Rejected) notFound.getError()).code()).isEqualTo(Rejection.NOT_FOUND);
    assertThat(create(5_600, null).getValue().state()).isEqualTo(TradeState.NOTPAY);

    StatusReply<View> reused = create(9_900, null);

    assertThat(((Rejected) reused.getError()).code()).isEqualTo(Rejection.VALIDATION_FAILED);
    assertThat(callbacks).as("nothing ended, nothing to announce").isEmpty();
    View closed = trade.<View>runCommand(r -> new SandboxTrade.Close(Instant.now(), r)).reply();
    assertThat(closed.state()).isEqualTo(TradeState.CLOSED);
    assertThat(trade.restart().state().view().state()).isEqualTo(TradeState.CLOSED);
  }

  @Test
  void a_refund_is_accepted_first_and_succeeds_a_moment_later_also_across_a_restart() {
    merchantAnswer.set(MerchantAnswer.ACKNOWLEDGES);
    create(5_600, "TAP");

    StatusReply<View> accepted = trade.<StatusReply<View>>runCommand(
        r -> new SandboxTrade.Refund("R1", 2_000, Instant.now(), r)).reply();
    assertThat(accepted.getValue().refund("R1")).hasValueSatisfying(r -> assertThat(r.state()).isEqualTo(RefundState.PROCESSING));
    SandboxTradeState recovered = trade.restart().state();
    assertThat(recovered.nextRefundMaturity()).isPresent();

    TestProbe<Object> probe = testKit.createTestProbe();
    probe.awaitAssert(Duration.ofSeconds(5), () -> {
      assertThat(query().refund("R1")).hasValueSatisfying(r -> assertThat(r.state()).isEqualTo(RefundState.SUCCESS));
      return null;
    });
    StatusReply<View> tooMuch = trade.<StatusReply<View>>runCommand(
        r -> new SandboxTrade.Refund("R2", 3_601, Instant.now(), r)).reply();
    assertThat(((Rejected) tooMuch.getError()).code()).isEqualTo(Rejection.AMOUNT_EXCEEDS_DUE);
  }
}
