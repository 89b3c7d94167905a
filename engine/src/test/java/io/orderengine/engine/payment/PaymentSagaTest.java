package io.orderengine.engine.payment;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderengine.engine.EntityTestKitConfig;
import io.orderengine.engine.bill.Bill;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import io.orderengine.engine.payment.FaultyGateway.Call;
import io.orderengine.engine.payment.FaultyGateway.CodeOutcome;
import io.orderengine.engine.payment.PaymentSaga.AwaitingCustomer;
import io.orderengine.engine.payment.PaymentSaga.BillInformed;
import io.orderengine.engine.payment.PaymentSaga.Cancelled;
import io.orderengine.engine.payment.PaymentSaga.Command;
import io.orderengine.engine.payment.PaymentSaga.Event;
import io.orderengine.engine.payment.PaymentSaga.Expired;
import io.orderengine.engine.payment.PaymentSaga.Failed;
import io.orderengine.engine.payment.PaymentSaga.NotificationReceived;
import io.orderengine.engine.payment.PaymentSaga.PaidAfterEnd;
import io.orderengine.engine.payment.PaymentSaga.RefundRequested;
import io.orderengine.engine.payment.PaymentSaga.RefundStatus;
import io.orderengine.engine.payment.PaymentSaga.Settings;
import io.orderengine.engine.payment.PaymentSaga.Spec;
import io.orderengine.engine.payment.PaymentSagaState;
import io.orderengine.engine.payment.PaymentSaga.Status;
import io.orderengine.engine.payment.PaymentSaga.Succeeded;
import io.orderengine.engine.payment.PaymentSaga.View;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * The payment saga in its shell, on the in-memory journal, against a gateway that misbehaves on cue
 * and a bill that is a probe: the test decides when (and whether) the bill acknowledges an outcome.
 *
 * <p>Timers are short (query every 100 ms, retry from 50 ms) and every wait is generous, so a slow
 * machine makes a test slower, not red.
 */
class PaymentSagaTest {

  static final Duration QUERY_INTERVAL = Duration.ofMillis(100);
  static final Duration RETRY_BACKOFF = Duration.ofMillis(50);
  /** Long enough that no test but the expiry one meets the deadline. */
  static final Settings SETTINGS = new Settings(QUERY_INTERVAL, Duration.ofSeconds(20), RETRY_BACKOFF);
  static final Settings SHORT_EXPIRY = new Settings(QUERY_INTERVAL, Duration.ofSeconds(1), RETRY_BACKOFF, Duration.ofMillis(500));
  static final Duration WAIT = Duration.ofSeconds(10);
  static final long AMOUNT = 5_600;

  private static final AtomicInteger PAYMENTS = new AtomicInteger();
  private static ActorTestKit testKit;

  private String paymentId;
  /** A report the saga made through its port, and the receiver's acknowledgement of it (answered by the test). */
  record Reported(Object outcome, CompletableFuture<Object> ack) {
    PaymentOutcome payment() {
      return (PaymentOutcome) outcome;
    }
  }

  private TestProbe<Reported> bill;
  private TestProbe<StatusReply<View>> caller;

  @BeforeAll
  static void startSystem() {
    testKit = ActorTestKit.create(EntityTestKitConfig.config());
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void newPayment() {
    paymentId = "A1-0001-B" + PAYMENTS.incrementAndGet() + "-P1";
    bill = testKit.createTestProbe(Reported.class);
    caller = testKit.createTestProbe();
  }

  // ---- given ----

  private EventSourcedBehaviorTestKit<Command, Event, PaymentSagaState> saga(FaultyGateway gateway, Settings settings) {
    return EventSourcedBehaviorTestKit.create(testKit.system(),
        PaymentSaga.create(paymentId, new Gateways(List.of(gateway)), settings, reportsTo(bill)));
  }

  /** The port as the node wires it to a bill: each report waits for the receiver's answer, a while at most. */
  private static OutcomeReports reportsTo(TestProbe<Reported> bill) {
    return new OutcomeReports() {
      @Override
      public CompletionStage<?> payment(PaymentOutcome outcome) {
        return report(outcome);
      }

      @Override
      public CompletionStage<?> refund(RefundOutcome outcome) {
        return report(outcome);
      }

      private CompletionStage<?> report(Object outcome) {
        CompletableFuture<Object> ack = new CompletableFuture<>();
        bill.ref().tell(new Reported(outcome, ack));
        return ack.orTimeout(2, TimeUnit.SECONDS);
      }
    };
  }

  private Spec qrSpec() {
    return new Spec(paymentId, billIdOf(paymentId), "A1", Provider.WECHAT, AMOUNT, null, null, "table A1");
  }

  private Spec cardSpec() {
    return new Spec(paymentId, billIdOf(paymentId), "A1", Provider.CARD, AMOUNT, "6222-0000", null, "table A1");
  }

  private static String billIdOf(String paymentId) {
    return Bill.billIdOfPayment(paymentId).orElseThrow();
  }

  // ---- when ----

  /** Starts the payment; the answer comes later, to {@link #caller}. */
  private void start(EventSourcedBehaviorTestKit<Command, Event, PaymentSagaState> saga, Spec spec) {
    saga.runCommand(new PaymentSaga.Start(spec, Instant.now(), caller.ref()));
  }

  /** Starts a QR payment and waits until the customer has its code. */
  private void startPending(EventSourcedBehaviorTestKit<Command, Event, PaymentSagaState> saga) {
    start(saga, qrSpec());
    View first = answer(caller);
    assertThat(first.status()).isEqualTo(Status.PENDING);
    assertThat(first.qrCodeUrl()).isNotNull();
  }

  private CommandResult<Command, Event, PaymentSagaState> deliver(EventSourcedBehaviorTestKit<Command, Event, PaymentSagaState> saga,
      Notification n) {
    TestProbe<StatusReply<View>> gateway = testKit.createTestProbe();
    CommandResult<Command, Event, PaymentSagaState> result = saga.runCommand(new PaymentSaga.Notify(n, Instant.now(), gateway.ref()));
    assertThat(answer(gateway)).isNotNull(); // the webhook is answered, so the provider stops re-sending
    return result;
  }

  // ---- then ----

  private static View answer(TestProbe<StatusReply<View>> probe) {
    StatusReply<View> reply = probe.receiveMessage(WAIT);
    assertThat(reply.isSuccess()).as("reply %s", reply).isTrue();
    return reply.getValue();
  }

  private Reported outcome(String result) {
    Reported reported = bill.expectMessageClass(Reported.class, WAIT);
    assertThat(reported.outcome()).isInstanceOf(PaymentOutcome.class);
    assertThat(reported.payment().paymentId()).isEqualTo(paymentId);
    assertThat(reported.payment().billId()).isEqualTo(billIdOf(paymentId));
    assertThat(reported.payment().result().name()).isEqualTo(result);
    return reported;
  }

  private static void ack(Reported reported) {
    reported.ack().complete(org.apache.pekko.Done.getInstance());
  }

  private void awaitState(EventSourcedBehaviorTestKit<Command, Event, PaymentSagaState> saga, Predicate<PaymentSagaState> condition, String what) {
    bill.awaitAssert(WAIT, () -> {
      assertThat(saga.getState()).as(what).matches(condition);
      return null;
    });
  }

  private List<Object> journal(EventSourcedBehaviorTestKit<Command, Event, PaymentSagaState> saga) {
    return saga.persistenceTestKit().persistedInStorage("Payment|" + paymentId);
  }

  private long count(EventSourcedBehaviorTestKit<Command, Event, PaymentSagaState> saga, Class<?> type) {
    return journal(saga).stream().filter(type::isInstance).count();
  }

  /** The end every test comes to: terminal, and the bill holds the outcome. */
  private void assertFinished(EventSourcedBehaviorTestKit<Command, Event, PaymentSagaState> saga, Status status) {
    awaitState(saga, s -> s.status() == status && !s.owesBillPayment(), status + " and the bill informed");
    assertThat(count(saga, Succeeded.class) + count(saga, Failed.class) + count(saga, Cancelled.class)
        + count(saga, Expired.class)).as("one ending").isEqualTo(1);
    assertThat(count(saga, BillInformed.class)).isEqualTo(1);
  }

  // ---- tests ----

  @Test
  void a_gateway_that_times_out_is_tried_again_with_backoff_until_it_answers() {
    FaultyGateway card = new FaultyGateway(Provider.CARD).timeOut(Call.INITIATE, 3);
    var saga = saga(card, SETTINGS);

    start(saga, cardSpec());

    ack(outcome("SUCCEEDED"));
    View view = answer(caller);
    assertThat(view.status()).isEqualTo(Status.SUCCEEDED);
    assertThat(view.gatewayTxnId()).isEqualTo("TX-" + paymentId);
    assertThat(card.calls(Call.INITIATE)).isEqualTo(4);
    assertThat(card.callLog()).containsOnly(Call.INITIATE);
    assertFinished(saga, Status.SUCCEEDED);
  }

  @Test
  void a_gateway_that_stays_down_is_given_up_on_after_bounded_attempts_and_the_payment_is_made_when_it_returns() {
    // down for as many calls as the saga makes before it stops insisting; the trade never reached it
    FaultyGateway card = new FaultyGateway(Provider.CARD).timeOut(Call.INITIATE, PaymentSagaState.MAX_GATEWAY_ATTEMPTS);
    var saga = saga(card, SETTINGS);

    start(saga, cardSpec());

    View first = answer(caller);
    assertThat(first.status()).as("the caller hears the outcome is unknown, not nothing").isEqualTo(Status.PENDING);
    ack(outcome("SUCCEEDED"));
    assertFinished(saga, Status.SUCCEEDED);
    List<Call> log = card.callLog();
    assertThat(log.subList(0, PaymentSagaState.MAX_GATEWAY_ATTEMPTS)).containsOnly(Call.INITIATE);
    assertThat(log.get(PaymentSagaState.MAX_GATEWAY_ATTEMPTS)).as("then it asks instead of paying again").isEqualTo(Call.QUERY);
    assertThat(log).last().isEqualTo(Call.INITIATE); // not found: made now, under the same trade number
    assertThat(count(saga, AwaitingCustomer.class)).isEqualTo(1);
  }

  @Test
  void a_declined_card_ends_failed_and_the_bill_is_told() {
    FaultyGateway card = new FaultyGateway(Provider.CARD).codeOutcome(CodeOutcome.DECLINED);
    var saga = saga(card, SETTINGS);

    start(saga, cardSpec());

    Reported outcome = outcome("FAILED");
    assertThat(outcome.payment().failureCode()).isEqualTo("PAYMENT_DECLINED");
    assertThat(outcome.payment().failureReason()).isEqualTo("card declined");
    ack(outcome);
    assertThat(answer(caller).status()).isEqualTo(Status.FAILED);
    assertFinished(saga, Status.FAILED);
  }

  @Test
  void a_lost_callback_is_found_by_the_query_schedule_even_when_the_gateway_lags_behind() {
    FaultyGateway wechat = new FaultyGateway(Provider.WECHAT).loseCallbacks().queryLag(3);
    var saga = saga(wechat, SETTINGS);
    startPending(saga);

    assertThat(wechat.customerPays()).isTrue();

    ack(outcome("SUCCEEDED"));
    assertFinished(saga, Status.SUCCEEDED);
    assertThat(wechat.takeCallbacks()).isEmpty();
    assertThat(wechat.calls(Call.QUERY)).as("three lagging answers, then the paid one").isGreaterThanOrEqualTo(4);
    assertThat(journal(saga)).filteredOn(Succeeded.class::isInstance)
        .singleElement().extracting(e -> ((Succeeded) e).source()).isEqualTo("query");
  }

  @Test
  void a_qr_trade_the_gateway_hides_until_scanned_is_queried_not_made_again() {
    FaultyGateway alipay = new FaultyGateway(Provider.WECHAT).loseCallbacks().hidesUnpaidTrades(); // as Alipay does
    var saga = saga(alipay, SETTINGS);
    startPending(saga);
    // several query intervals while the code is not scanned: each query finds no trade
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (alipay.calls(Call.QUERY) < 3 && System.nanoTime() < deadline) Thread.onSpinWait();
    assertThat(alipay.calls(Call.QUERY)).isGreaterThanOrEqualTo(3);
    assertThat(alipay.initiatedTrades()).as("the code was made once: its trade exists").hasSize(1);

    assertThat(alipay.customerPays()).isTrue();
    ack(outcome("SUCCEEDED"));
    assertFinished(saga, Status.SUCCEEDED);
    assertThat(alipay.initiatedTrades()).hasSize(1);
  }

  @Test
  void duplicate_and_out_of_order_callbacks_are_counted_once() {
    // the provider's books lag far behind its callbacks, so only the callbacks tell
    FaultyGateway wechat = new FaultyGateway(Provider.WECHAT).callbacksTwice().queryLag(1_000);
    var saga = saga(wechat, SETTINGS);
    startPending(saga);
    wechat.customerPays();
    List<Notification> callbacks = wechat.takeCallbacks();
    assertThat(callbacks).hasSize(2).allMatch(n -> n.equals(callbacks.get(0)));

    var first = deliver(saga, callbacks.get(0));
    var again = deliver(saga, callbacks.get(1));
    Notification staleDecline = wechat.notification(TradeResult.Status.DECLINED);
    var declined = deliver(saga, staleDecline);

    assertThat(first.events()).filteredOn(Succeeded.class::isInstance).hasSize(1);
    assertThat(again.hasNoEvents()).isTrue();
    assertThat(declined.events()).containsExactly(new NotificationReceived(paymentId, staleDecline.notificationId()));
    assertThat(declined.state().status()).isEqualTo(Status.SUCCEEDED);
    ack(outcome("SUCCEEDED"));
    assertFinished(saga, Status.SUCCEEDED);
    bill.expectNoMessage(Duration.ofMillis(300));
    assertThat(count(saga, PaidAfterEnd.class)).isZero();
    assertThat(wechat.refunds()).isEmpty();
  }

  @Test
  void an_approval_that_is_also_announced_by_callback_is_counted_once() {
    FaultyGateway card = new FaultyGateway(Provider.CARD).announceApprovals();
    var saga = saga(card, SETTINGS);
    start(saga, cardSpec());
    ack(outcome("SUCCEEDED"));
    assertThat(answer(caller).status()).isEqualTo(Status.SUCCEEDED);
    assertFinished(saga, Status.SUCCEEDED);

    var callback = deliver(saga, card.takeCallbacks().get(0));

    assertThat(callback.events()).singleElement().isInstanceOf(NotificationReceived.class);
    assertThat(callback.state().status()).isEqualTo(Status.SUCCEEDED);
    bill.expectNoMessage(Duration.ofMillis(300));
    assertThat(card.refunds()).as("a paid trade is never given back by mistake").isEmpty();
  }

  @Test
  void an_unpaid_trade_is_closed_at_its_deadline_and_ends_expired() {
    FaultyGateway wechat = new FaultyGateway(Provider.WECHAT);
    var saga = saga(wechat, SHORT_EXPIRY);
    startPending(saga);

    Reported outcome = outcome("EXPIRED");

    assertThat(outcome.payment().failureCode()).isEqualTo("EXPIRED");
    ack(outcome);
    assertFinished(saga, Status.EXPIRED);
    assertThat(wechat.trade()).isEqualTo(TradeResult.Status.CLOSED);
    assertThat(wechat.calls(Call.CLOSE)).isGreaterThanOrEqualTo(1);
    int calls = wechat.callLog().size();
    bill.expectNoMessage(Duration.ofMillis(400));
    assertThat(wechat.callLog()).as("an ended payment stops asking").hasSize(calls);
  }

  @Test
  void a_cancel_while_pending_ends_cancelled_and_a_payment_made_after_it_is_given_back() {
    FaultyGateway wechat = new FaultyGateway(Provider.WECHAT);
    var saga = saga(wechat, SETTINGS);
    startPending(saga);
    TestProbe<StatusReply<View>> canceller = testKit.createTestProbe();

    saga.runCommand(new PaymentSaga.Cancel(Instant.now(), canceller.ref()));

    ack(outcome("CANCELLED"));
    assertThat(answer(canceller).status()).isEqualTo(Status.CANCELLED);
    assertFinished(saga, Status.CANCELLED);
    assertThat(wechat.trade()).isEqualTo(TradeResult.Status.CLOSED);

    // the customer's phone paid anyway, and the provider says so
    wechat.customerPaysAfterClose();
    var late = deliver(saga, wechat.takeCallbacks().get(0));

    assertThat(late.events()).noneMatch(Succeeded.class::isInstance);
    PaidAfterEnd paidAfterEnd = late.events().stream().filter(PaidAfterEnd.class::isInstance).map(PaidAfterEnd.class::cast)
        .findFirst().orElseThrow();
    assertThat(paidAfterEnd.gatewayTxnId()).isEqualTo("TX-" + paymentId);
    assertThat(paidAfterEnd.amountMinor()).isEqualTo(AMOUNT);
    RefundRequested compensation = (RefundRequested) late.events().get(late.events().indexOf(paidAfterEnd) + 1);
    assertThat(compensation).isEqualTo(new RefundRequested(paymentId, paymentId + "-RBACK", AMOUNT, true, paidAfterEnd.at()));
    awaitState(saga, s -> s.refund(paymentId + "-RBACK").map(r -> r.status() == RefundStatus.SUCCEEDED).orElse(false),
        "the compensation settled");
    assertThat(wechat.refunds()).containsExactly(Map.entry(paymentId + "-RBACK", AMOUNT));
    assertThat(saga.getState().status()).isEqualTo(Status.CANCELLED);
    assertThat(count(saga, Succeeded.class)).as("the bill never counts it").isZero();

    // announced once more, under a new id: still given back once
    var again = deliver(saga, wechat.notification(TradeResult.Status.SUCCEEDED));
    assertThat(again.events()).singleElement().isInstanceOf(NotificationReceived.class);
    bill.expectNoMessage(Duration.ofMillis(300)); // a compensation is the saga's business, not the bill's
    assertThat(wechat.calls(Call.REFUND)).isEqualTo(1);
  }

  @Test
  void a_cancel_while_the_gateway_has_not_answered_yet_closes_after_its_first_answer() {
    FaultyGateway wechat = new FaultyGateway(Provider.WECHAT).timeOut(Call.INITIATE, 2);
    var saga = saga(wechat, SETTINGS);
    start(saga, qrSpec());
    TestProbe<StatusReply<View>> canceller = testKit.createTestProbe();

    saga.runCommand(new PaymentSaga.Cancel(Instant.now(), canceller.ref()));

    assertThat(answer(caller).status()).isEqualTo(Status.PENDING);
    ack(outcome("CANCELLED"));
    assertThat(answer(canceller).status()).isEqualTo(Status.CANCELLED);
    assertFinished(saga, Status.CANCELLED);
    assertThat(wechat.calls(Call.CLOSE)).isGreaterThanOrEqualTo(1);
  }

  @Test
  void a_restart_while_pending_resumes_querying_and_finishes() {
    FaultyGateway wechat = new FaultyGateway(Provider.WECHAT).loseCallbacks();
    var saga = saga(wechat, SETTINGS);
    startPending(saga);
    bill.awaitAssert(WAIT, () -> {
      assertThat(wechat.calls(Call.QUERY)).isGreaterThanOrEqualTo(2);
      return null;
    });

    PaymentSagaState recovered = saga.restart().state();
    int queriesBefore = wechat.calls(Call.QUERY);
    wechat.customerPays();

    assertThat(recovered.status()).isEqualTo(Status.PENDING);
    ack(outcome("SUCCEEDED"));
    assertFinished(saga, Status.SUCCEEDED);
    assertThat(wechat.calls(Call.QUERY)).isGreaterThan(queriesBefore);
    assertThat(wechat.calls(Call.INITIATE)).as("a pending trade is not made again").isEqualTo(1);
  }

  @Test
  void a_restart_while_the_first_call_hangs_makes_the_call_again_under_the_same_number() {
    FaultyGateway card = new FaultyGateway(Provider.CARD).hang(Call.INITIATE, 1);
    var saga = saga(card, SETTINGS);
    start(saga, cardSpec());
    bill.awaitAssert(WAIT, () -> {
      assertThat(card.calls(Call.INITIATE)).isEqualTo(1);
      return null;
    });

    assertThat(saga.getState().status()).isEqualTo(Status.STARTING);

    // The recovered saga calls again at once; how far it gets before the testkit asks for its
    // state is a race, so what it recovered is judged by what it does next.
    saga.restart();

    ack(outcome("SUCCEEDED"));
    assertFinished(saga, Status.SUCCEEDED);
    assertThat(card.calls(Call.INITIATE)).isEqualTo(2);
    List<String> trades = card.initiatedTrades();
    assertThat(trades).hasSize(2);
    assertThat(trades.get(1)).isEqualTo(trades.get(0));
  }

  @Test
  void the_bill_is_told_until_it_acknowledges_and_again_after_a_restart_but_never_after_it_acknowledged() {
    FaultyGateway card = new FaultyGateway(Provider.CARD);
    var saga = saga(card, SETTINGS);
    start(saga, cardSpec());

    outcome("SUCCEEDED").ack().completeExceptionally(new IllegalStateException("bill shard unavailable"));
    outcome("SUCCEEDED"); // told again after a while; this time the bill never answers
    assertThat(saga.getState().owesBillPayment()).isTrue();
    saga.restart();
    ack(outcome("SUCCEEDED")); // told again by the recovered saga

    assertFinished(saga, Status.SUCCEEDED);
    saga.restart();
    bill.expectNoMessage(Duration.ofMillis(500));
    assertThat(card.calls(Call.INITIATE)).isEqualTo(1);
  }


  @Test
  void a_query_that_never_answers_does_not_keep_the_payment_open_forever() {
    FaultyGateway wechat = new FaultyGateway(Provider.WECHAT).hang(Call.QUERY, 1);
    var saga = saga(wechat, SHORT_EXPIRY);
    startPending(saga);

    ack(outcome("EXPIRED"));

    assertFinished(saga, Status.EXPIRED);
  }

  @Test
  void a_payment_through_a_provider_with_no_gateway_on_this_node_fails_instead_of_restarting() {
    FaultyGateway card = new FaultyGateway(Provider.CARD);
    var saga = saga(card, SETTINGS);

    start(saga, qrSpec()); // WECHAT, but this node only has a card terminal

    Reported outcome = outcome("FAILED");
    assertThat(outcome.payment().failureReason()).contains("wechat");
    ack(outcome);
    assertThat(answer(caller).status()).isEqualTo(Status.FAILED);
    assertFinished(saga, Status.FAILED);
    assertThat(card.callLog()).isEmpty();
    assertThat(saga.restart().state().status()).as("recovers as it ended").isEqualTo(Status.FAILED);
    bill.expectNoMessage(Duration.ofMillis(300));
  }
}
