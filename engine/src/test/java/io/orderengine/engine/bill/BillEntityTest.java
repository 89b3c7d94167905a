package io.orderengine.engine.bill;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderengine.engine.EntityTestKitConfig;
import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.bill.Bill.DiscountApplied;
import io.orderengine.engine.bill.Bill.DiscountType;
import io.orderengine.engine.bill.Bill.Method;
import io.orderengine.engine.bill.Bill.Opened;
import io.orderengine.engine.bill.Bill.PaymentRecorded;
import io.orderengine.engine.bill.Bill.PaymentReply;
import io.orderengine.engine.bill.Bill.Settled;
import io.orderengine.engine.bill.Bill.Status;
import io.orderengine.engine.bill.Bill.TableInformed;
import io.orderengine.engine.bill.Bill.View;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bill entity in its shell, on the in-memory journal. Its ports are stand-ins: the table shows
 * every notice to a probe and answers as the test says (the bill holds back the answer to a
 * settling command until the table has answered, so the table must answer by itself); the payment
 * desk shows every saga start to a probe and the test answers it.
 */
class BillEntityTest {

  enum TableAnswer {
    COUNTED,
    UNREACHABLE
  }

  static final Instant T0 = Instant.parse("2025-05-01T12:30:00Z");
  static final Instant T1 = T0.plusSeconds(120);

  private static final AtomicInteger BILLS = new AtomicInteger();
  private static ActorTestKit testKit;

  private String billId;
  private BillSpec spec;
  private TestProbe<BillSettled> tables;
  private TestProbe<Started> sagas;
  private final AtomicReference<TableAnswer> tableAnswer = new AtomicReference<>(TableAnswer.COUNTED);
  private EventSourcedBehaviorTestKit<Bill.Command, Bill.Event, BillState> bill;

  /** A saga start the bill asked for, and the saga's first answer (given by the test). */
  record Started(PaymentOrder order, CompletableFuture<PaymentProgress> answer) {}

  @BeforeAll
  static void startSystem() {
    testKit = ActorTestKit.create(EntityTestKitConfig.config());
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void newBill() {
    billId = "A1-0001-B" + BILLS.incrementAndGet();
    spec = new BillSpec(billId, "A1", "A1-0001", "mei", List.of(
        new BillLine("l1", "N01", "Beef noodles", "stall-1", 1, 3800, 3800),
        new BillLine("l2", "T03", "Jasmine tea", "stall-3", 3, 600, 1800)), 5600, 1, 1);
    tables = testKit.createTestProbe(BillSettled.class);
    sagas = testKit.createTestProbe(Started.class);
    // the default settings verify that every command, event and state survives serialization
    bill = EventSourcedBehaviorTestKit.create(testKit.system(), Bill.create(billId, 0, 0, tableDesk(), paymentDesk()));
  }

  // ---- commands ----

  private CommandResultWithReply<Bill.Command, Bill.Event, BillState, StatusReply<View>> open() {
    return bill.runCommand(r -> new Bill.Open(spec, T0, r));
  }

  private CommandResultWithReply<Bill.Command, Bill.Event, BillState, StatusReply<PaymentReply>> pay(
      String requestId, long amount, Long tendered) {
    return bill.runCommand(r -> new Bill.Pay(requestId, Method.CASH, amount, tendered, T1, r));
  }

  private static <T> T ok(StatusReply<T> reply) {
    assertThat(reply.isSuccess()).as("reply %s", reply).isTrue();
    return reply.getValue();
  }

  private static Rejection rejection(StatusReply<?> reply) {
    assertThat(reply.isError()).as("reply %s", reply).isTrue();
    Throwable unwrapped = Rejected.unwrap(reply.getError());
    assertThat(unwrapped).isInstanceOf(Rejected.class);
    return ((Rejected) unwrapped).code();
  }

  private TableDesk tableDesk() {
    return notice -> {
      TableAnswer now = tableAnswer.get(); // read before the probe sees the notice, so a test switching it affects only later ones
      tables.ref().tell(notice);
      return now == TableAnswer.COUNTED
          ? CompletableFuture.completedFuture(notice)
          : CompletableFuture.failedFuture(new IllegalStateException("table shard unavailable"));
    };
  }

  private PaymentDesk paymentDesk() {
    return new PaymentDesk() {
      @Override
      public CompletionStage<PaymentProgress> start(PaymentOrder order) {
        CompletableFuture<PaymentProgress> answer = new CompletableFuture<>();
        sagas.ref().tell(new Started(order, answer));
        return answer;
      }

      @Override
      public CompletionStage<?> refund(String paymentId, String refundId, long amountMinor) {
        return CompletableFuture.failedFuture(new IllegalStateException("no refunds in these tests"));
      }
    };
  }

  private void awaitTableInformed() {
    tables.awaitAssert(() -> {
      assertThat(bill.getState().tableInformed()).isTrue();
      return null;
    });
  }

  private BillSettled settledNotice() {
    return tables.expectMessageClass(BillSettled.class);
  }

  // ---- tests ----

  @Test
  void a_bill_is_opened_once() {
    assertThat(bill.<View>runCommand(Bill.Get::new).reply().exists()).isFalse();

    var opened = open();
    var again = open();

    assertThat(opened.event()).isEqualTo(new Opened(spec, 0, T0));
    View view = ok(opened.reply());
    assertThat(view.exists()).isTrue();
    assertThat(view.status()).isEqualTo(Status.OPEN);
    assertThat(view.dueMinor()).isEqualTo(5600);
    assertThat(again.hasNoEvents()).isTrue();
    assertThat(ok(again.reply())).isEqualTo(view);
  }

  @Test
  void paid_in_full_it_tells_its_table_until_the_table_counts_it() {
    open();

    var partly = pay("p1", 2000, null);
    assertThat(partly.event()).isInstanceOf(PaymentRecorded.class);
    assertThat(ok(partly.reply()).bill().status()).isEqualTo(Status.PARTIALLY_PAID);
    tables.expectNoMessage(Duration.ofMillis(100));

    var rest = pay("p2", 3600, 5000L);
    // the answer waits for the table, so the table's acknowledgement may already be in the journal too
    assertThat(rest.events()).hasSizeBetween(2, 3);
    assertThat(rest.events().get(0)).isInstanceOf(PaymentRecorded.class);
    Settled settled = (Settled) rest.events().get(1);
    assertThat(new Settled(settled.billId(), settled.tableId(), settled.orderId(), settled.at()))
        .isEqualTo(new Settled(billId, "A1", "A1-0001", T1));
    assertThat(settled.totals().totalMinor()).isEqualTo(settled.totals().subtotalMinor());
    PaymentReply reply = ok(rest.reply());
    assertThat(reply.payment().paymentId()).isEqualTo(billId + "-P2");
    assertThat(reply.payment().changeMinor()).isEqualTo(1400);
    assertThat(reply.bill().status()).isEqualTo(Status.PAID);
    assertThat(reply.bill().dueMinor()).isZero();

    BillSettled notice = settledNotice();
    assertThat(notice.billId()).isEqualTo(billId);
    assertThat(notice.at()).isEqualTo(T1);
    awaitTableInformed();

    bill.restart();

    tables.expectNoMessage(Duration.ofMillis(300));
  }

  @Test
  void a_settlement_the_table_did_not_acknowledge_is_sent_again_after_a_restart() {
    tableAnswer.set(TableAnswer.UNREACHABLE);
    open();
    assertThat(ok(pay("p1", 5600, null).reply()).bill().status()).isEqualTo(Status.PAID);
    BillSettled first = settledNotice();
    tableAnswer.set(TableAnswer.COUNTED);

    assertThat(bill.getState().awaitsTable()).isTrue();

    bill.restart(); // the recovered bill tells the table at once: its state is not read here, it races that

    BillSettled second = settledNotice();
    assertThat(second.billId()).isEqualTo(first.billId());
    assertThat(second.at()).isEqualTo(first.at());
    awaitTableInformed();
    assertThat(bill.persistenceTestKit().persistedInStorage("Bill|" + billId))
        .last().isEqualTo(new TableInformed(billId));

    bill.restart();

    tables.expectNoMessage(Duration.ofMillis(300));
  }

  @Test
  void an_unreachable_table_is_told_again_after_a_pause() {
    tableAnswer.set(TableAnswer.UNREACHABLE);
    open();
    pay("p1", 5600, null);
    settledNotice();
    tableAnswer.set(TableAnswer.COUNTED);

    tables.expectNoMessage(Duration.ofMillis(1000));
    BillSettled retried = tables.expectMessageClass(BillSettled.class, Duration.ofSeconds(5));
    assertThat(retried.billId()).isEqualTo(billId);
    awaitTableInformed();
    tables.expectNoMessage(Duration.ofMillis(300));
  }

  @Test
  void a_restart_recovers_the_same_state_and_still_knows_each_request() {
    open();
    var discounted = bill.<StatusReply<View>>runCommand(r -> new Bill.ApplyDiscount("d1", DiscountType.PERCENT, 10, "regular", T1, r));
    assertThat(discounted.event()).isInstanceOf(DiscountApplied.class);
    assertThat(ok(discounted.reply()).totalMinor()).isEqualTo(5040);
    PaymentReply first = ok(pay("p1", 3000, 5000L).reply());
    BillState before = bill.getState();

    BillState recovered = bill.restart().state();

    assertThat(recovered).isEqualTo(before);
    var again = pay("p1", 3000, 5000L);
    assertThat(again.hasNoEvents()).isTrue();
    assertThat(ok(again.reply()).payment()).isEqualTo(first.payment());
    assertThat(ok(again.reply()).bill().dueMinor()).isEqualTo(2040);
    tables.expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void refusals_come_back_as_codes_and_persist_nothing() {
    var notOpen = pay("p1", 100, null);
    assertThat(rejection(notOpen.reply())).isEqualTo(Rejection.NOT_FOUND);
    assertThat(notOpen.hasNoEvents()).isTrue();

    open();
    var nothing = pay("p2", 0, null);
    assertThat(rejection(nothing.reply())).isEqualTo(Rejection.VALIDATION_FAILED);
    var shortTendered = pay("p2", 1000, 500L);
    assertThat(rejection(shortTendered.reply())).isEqualTo(Rejection.VALIDATION_FAILED);
    assertThat(shortTendered.hasNoEvents()).isTrue();

    pay("p3", 5600, null);
    var afterSettled = pay("p4", 100, null);
    assertThat(rejection(afterSettled.reply())).isEqualTo(Rejection.BILL_SETTLED);
    assertThat(afterSettled.hasNoEvents()).isTrue();
    assertThat(bill.getState().paidMinor()).isEqualTo(5600);
  }

  @Test
  void the_service_charge_the_entity_was_made_with_is_recorded_on_the_bill() {
    var withCharge = EventSourcedBehaviorTestKit.<Bill.Command, Bill.Event, BillState>create(
        testKit.system(), Bill.create(billId + "-S", 10, 0, tableDesk(), paymentDesk()));
    BillSpec charged = new BillSpec(billId + "-S", "A1", "A1-0001", "mei", spec.lines(), 5600, 1, 1);

    var opened = withCharge.<StatusReply<View>>runCommand(r -> new Bill.Open(charged, T0, r));

    assertThat(opened.event()).isEqualTo(new Opened(charged, 10, T0));
    assertThat(ok(opened.reply()).serviceChargeMinor()).isEqualTo(560);
    assertThat(ok(opened.reply()).totalMinor()).isEqualTo(6160);
  }

  @Test
  void a_card_payment_is_answered_with_the_sagas_first_word_and_the_saga_is_started_once() {
    open();
    TestProbe<StatusReply<PaymentReply>> payer = testKit.createTestProbe();
    var paying = bill.runCommand(new Bill.Pay("c1", Method.WECHAT, 5600, null, null, null, "cashier-1", T1, payer.ref()));
    // no answer yet: the bill waits for the saga it started
    Started started = sagas.expectMessageClass(Started.class);
    assertThat(started.order()).isEqualTo(new PaymentOrder(billId + "-P1", billId, "A1", Method.WECHAT, 5600, null, null, T1));

    payer.expectNoMessage(Duration.ofMillis(200));

    started.answer().complete(new PaymentProgress("weixin://qr/P1"));

    PaymentReply answer = ok(payer.receiveMessage(Duration.ofSeconds(5)));
    assertThat(answer.payment().qrCodeUrl()).isEqualTo("weixin://qr/P1");
    assertThat(answer.payment().status()).isEqualTo(Bill.PaymentStatus.PENDING);
    assertThat(answer.payment().takenBy()).isEqualTo("cashier-1");
    assertThat(((Bill.PaymentRecorded) paying.event()).payment().paymentId()).isEqualTo(billId + "-P1");
    sagas.awaitAssert(() -> {
      Bill.Payment p = bill.getState().payment(billId + "-P1").orElseThrow();
      assertThat(p.qrCodeUrl()).isEqualTo("weixin://qr/P1");
      assertThat(p.status()).isEqualTo(Bill.PaymentStatus.PENDING);
      assertThat(bill.getState().owed()).isEmpty();
      return null;
    });
    bill.restart();
    sagas.expectNoMessage(Duration.ofMillis(300)); // the saga took it on: nothing is owed after a restart
  }

  @Test
  void a_card_taken_on_a_standalone_terminal_settles_the_bill_without_a_saga_and_survives_a_restart() {
    open();
    TerminalSlip slip = new TerminalSlip("T1", "000123456789", "4321");
    TestProbe<StatusReply<PaymentReply>> payer = testKit.createTestProbe();

    var paying = bill.runCommand(new Bill.Pay("k1", Method.CARD, 5600, null, null, null, "cashier-1", T1, payer.ref(), slip));

    PaymentReply answer = ok(payer.receiveMessage(Duration.ofSeconds(5)));
    assertThat(answer.payment().status()).isEqualTo(Bill.PaymentStatus.SUCCEEDED);
    assertThat(answer.payment().terminal()).isEqualTo(slip);
    assertThat(answer.bill().status()).isEqualTo(Status.PAID);
    assertThat(((PaymentRecorded) paying.events().get(0)).payment().terminal()).isEqualTo(slip);
    sagas.expectNoMessage(Duration.ofMillis(200));
    awaitTableInformed();

    // the same slip under another request id answers the payment already recorded
    TestProbe<StatusReply<PaymentReply>> again = testKit.createTestProbe();
    var repeated = bill.runCommand(new Bill.Pay("k2", Method.CARD, 5600, null, null, null, "cashier-1", T1, again.ref(), slip));
    assertThat(repeated.hasNoEvents()).isTrue();
    assertThat(ok(again.receiveMessage(Duration.ofSeconds(5))).payment().paymentId()).isEqualTo(billId + "-P1");

    var refund = bill.<StatusReply<Bill.RefundReply>>runCommand(
        r -> new Bill.Refund("r1", billId + "-P1", 600, "tea", "cashier-1", T1, r, null, "000123456790"));
    assertThat(ok(refund.reply()).refund().status()).isEqualTo(Bill.RefundStatus.SUCCEEDED);
    assertThat(ok(refund.reply()).refund().terminal()).isEqualTo(new TerminalSlip("T1", "000123456790", "4321"));

    bill.restart();

    assertThat(bill.getState().payment(billId + "-P1").orElseThrow().terminal()).isEqualTo(slip);
    assertThat(bill.getState().refundedMinor()).isEqualTo(600);
    sagas.expectNoMessage(Duration.ofMillis(300));
  }

  @Test
  void a_saga_that_did_not_take_the_payment_on_is_asked_again_after_a_restart() {
    open();
    TestProbe<StatusReply<PaymentReply>> payer = testKit.createTestProbe();
    bill.runCommand(new Bill.Pay("c1", Method.CARD, 5600, null, "6222", null, null, T1, payer.ref()));
    Started first = sagas.expectMessageClass(Started.class);
    first.answer().completeExceptionally(new IllegalStateException("saga shard unavailable"));
    // the payer hears what the bill knows (pending) and may ask again; the bill asks its saga again by itself
    assertThat(ok(payer.receiveMessage(Duration.ofSeconds(5))).payment().status()).isEqualTo(Bill.PaymentStatus.PENDING);

    bill.restart();

    Started again = sagas.expectMessageClass(Started.class, Duration.ofSeconds(5));
    assertThat(again.order().paymentId()).isEqualTo(first.order().paymentId());
    again.answer().complete(new PaymentProgress(null));
    sagas.awaitAssert(() -> {
      assertThat(bill.getState().owed()).isEmpty();
      return null;
    });
  }
}
