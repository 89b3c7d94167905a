package io.orderengine.engine.member;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderengine.engine.EntityTestKitConfig;
import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.member.Member.View;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The member in its shell, on the in-memory journal: each stage's commands, replies and recovery, and
 * top-ups paid through a saga whose port is a probe (the test gives the saga's first answer).
 */
class MemberEntityTest {

  static final Instant T0 = Instant.parse("2025-05-01T12:30:00Z");
  static final Duration WAIT = Duration.ofSeconds(10);

  private static final AtomicInteger MEMBERS = new AtomicInteger();
  private static ActorTestKit testKit;

  private String memberId;
  private EventSourcedBehaviorTestKit<Member.Command, Member.Event, MemberState> member;
  /** A saga start the member made through its port, and the saga's first answer (given by the test). */
  record Started(TopUpDesk.Order order, CompletableFuture<TopUpDesk.Progress> answer) {}

  private TestProbe<Started> sagas;

  @BeforeAll
  static void startSystem() {
    testKit = ActorTestKit.create(EntityTestKitConfig.config());
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void newMember() {
    memberId = "m-1380013800" + MEMBERS.incrementAndGet();
    sagas = testKit.createTestProbe(Started.class);
    member = EventSourcedBehaviorTestKit.create(testKit.system(), Member.create(memberId, startsTo(sagas)));
  }

  /** The port as the node wires it to the sagas: each start waits for the saga's first answer, a while at most. */
  private static TopUpDesk startsTo(TestProbe<Started> sagas) {
    return order -> {
      CompletableFuture<TopUpDesk.Progress> answer = new CompletableFuture<>();
      sagas.ref().tell(new Started(order, answer));
      return answer.orTimeout(2, TimeUnit.SECONDS);
    };
  }

  private CommandResultWithReply<Member.Command, Member.Event, MemberState, StatusReply<View>> register() {
    return member.runCommand(r -> new Member.Register("Li Mei", "13800138000", T0, r));
  }

  private CommandResultWithReply<Member.Command, Member.Event, MemberState, StatusReply<View>> topUp(String id, long amount) {
    return member.runCommand(r -> new Member.TopUp(id, amount, "cash", T0, r));
  }

  private CommandResultWithReply<Member.Command, Member.Event, MemberState, StatusReply<View>> debit(String id, long amount) {
    return member.runCommand(r -> new Member.Debit(id, amount, T0, r));
  }

  private CommandResultWithReply<Member.Command, Member.Event, MemberState, StatusReply<View>> credit(String refundNo,
      String paymentId, long amount) {
    return member.runCommand(r -> new Member.Credit(refundNo, paymentId, amount, T0, r));
  }

  private static View ok(StatusReply<View> reply) {
    assertThat(reply.isSuccess()).as("reply %s", reply).isTrue();
    return reply.getValue();
  }

  private static Rejected refusal(StatusReply<?> reply) {
    assertThat(reply.isError()).as("reply %s", reply).isTrue();
    return (Rejected) reply.getError();
  }

  @Test
  void nobody_who_never_registered_moves_money() {
    assertThat(member.<View>runCommand(Member.Get::new).reply().exists()).isFalse();
    assertThat(refusal(topUp("t1", 100).reply()).code()).isEqualTo(Rejection.NOT_FOUND);
    assertThat(refusal(debit("P1", 100).reply()).code()).isEqualTo(Rejection.NOT_FOUND);
    assertThat(refusal(credit("P1-R1", "P1", 100).reply()).code()).isEqualTo(Rejection.NOT_FOUND);
    assertThat(member.persistenceTestKit().persistedInStorage("Member|" + memberId)).isEmpty();
  }

  @Test
  void a_member_registers_once_and_every_movement_happens_once() {
    var registered = register();
    assertThat(registered.event()).isEqualTo(new Member.Registered(memberId, "Li Mei", "13800138000", T0));
    assertThat(refusal(register().reply()).code()).isEqualTo(Rejection.MEMBER_EXISTS);

    assertThat(ok(topUp("t1", 10_000).reply()).balanceMinor()).isEqualTo(10_000);
    assertThat(topUp("t1", 10_000).hasNoEvents()).isTrue();
    var debited = debit("P1", 5_600);
    assertThat(debited.event()).isEqualTo(new Member.Debited(memberId, "P1", 5_600, 56, T0));
    assertThat(debit("P1", 5_600).hasNoEvents()).isTrue();
    var credited = credit("P1-R1", "P1", 1_000);
    assertThat(credited.event()).isEqualTo(new Member.Credited(memberId, "P1-R1", "P1", 1_000, 10, T0));

    View view = ok(credited.reply());
    assertThat(view.balanceMinor()).isEqualTo(10_000 - 5_600 + 1_000);
    assertThat(view.points()).isEqualTo(46);
    assertThat(view.debits()).isEqualTo(Map.of("P1", 5_600L));
    assertThat(view.credits()).isEqualTo(Map.of("P1-R1", 1_000L));
  }

  @Test
  void a_debit_above_the_balance_is_refused_as_insufficient() {
    register();
    topUp("t1", 5_599);

    var refused = debit("P1", 5_600);

    assertThat(refused.hasNoEvents()).isTrue();
    assertThat(refusal(refused.reply()).code()).isEqualTo(Rejection.INSUFFICIENT_BALANCE);
    assertThat(member.<View>runCommand(Member.Get::new).reply().balanceMinor()).isEqualTo(5_599);
  }

  @Test
  void the_balance_and_the_keys_survive_a_restart() {
    register();
    topUp("t1", 600_000);
    debit("P1", 500_000);

    MemberState recovered = member.restart().state();

    assertThat(recovered).isInstanceOf(MemberState.Active.class);
    assertThat(recovered.view().balanceMinor()).isEqualTo(100_000);
    assertThat(recovered.view().tier()).isEqualTo(Member.Tier.GOLD);
    assertThat(topUp("t1", 600_000).hasNoEvents()).as("the top-up is remembered").isTrue();
    assertThat(debit("P1", 500_000).hasNoEvents()).as("the debit is remembered").isTrue();
    assertThat(refusal(register().reply()).code()).isEqualTo(Rejection.MEMBER_EXISTS);
  }

  // ---- top-ups paid through a saga ----

  private TestProbe<StatusReply<View>> topUpByWallet(String requestId, long amount) {
    TestProbe<StatusReply<View>> caller = testKit.createTestProbe();
    member.runCommand(new Member.TopUp(requestId, amount, "WECHAT", "li", T0, caller.ref(), null, null, null, null));
    return caller;
  }

  private StatusReply<Done> outcome(String paymentId, TopUpPayment.Status status) {
    return member.<StatusReply<Done>>runCommand(
        r -> new Member.RecordTopUpOutcome(paymentId, status, "TX-1", null, null, T0, r)).reply();
  }

  @Test
  void a_wallet_top_up_is_answered_with_the_sagas_first_word_and_credited_once_when_the_saga_reports_success() {
    register();
    topUp("t1", 1_000);
    TestProbe<StatusReply<View>> caller = topUpByWallet("t2", 50_000);

    Started started = sagas.expectMessageClass(Started.class, WAIT);
    String paymentId = memberId + "-TU2"; // the cash top-up was the first with a payment id
    assertThat(started.order()).isEqualTo(new TopUpDesk.Order(paymentId, memberId, "WECHAT", 50_000, null, T0));
    caller.expectNoMessage(Duration.ofMillis(200)); // the cashier hears nothing before the saga's first word
    started.answer().complete(new TopUpDesk.Progress("weixin://wxpay/bizpayurl?pr=t2"));

    View pending = ok(caller.receiveMessage(WAIT));
    assertThat(pending.balanceMinor()).isEqualTo(1_000);
    assertThat(pending.topUpOfRequest("t2")).hasValueSatisfying(t -> {
      assertThat(t.paymentId()).isEqualTo(paymentId);
      assertThat(t.status()).isEqualTo(TopUpPayment.Status.PENDING);
      assertThat(t.qrCodeUrl()).isEqualTo("weixin://wxpay/bizpayurl?pr=t2");
    });

    assertThat(outcome(paymentId, TopUpPayment.Status.SUCCEEDED).isSuccess()).isTrue();
    assertThat(outcome(paymentId, TopUpPayment.Status.SUCCEEDED).isSuccess()).as("a second report is acknowledged").isTrue();
    View credited = member.<View>runCommand(Member.Get::new).reply();
    assertThat(credited.balanceMinor()).isEqualTo(51_000);
    assertThat(credited.pendingTopUps()).isEmpty();
    assertThat(member.persistenceTestKit().persistedInStorage("Member|" + memberId).stream()
        .filter(e -> e instanceof Member.ToppedUp t && paymentId.equals(t.paymentId())).count()).isEqualTo(1);

    TestProbe<StatusReply<View>> retry = topUpByWallet("t2", 50_000);
    assertThat(ok(retry.receiveMessage(WAIT)).balanceMinor()).as("a retry is answered, not taken again").isEqualTo(51_000);
    sagas.expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  void an_expired_top_up_credits_nothing() {
    register();
    TestProbe<StatusReply<View>> caller = topUpByWallet("t1", 50_000);
    sagas.expectMessageClass(Started.class, WAIT).answer().complete(new TopUpDesk.Progress("weixin://x"));
    ok(caller.receiveMessage(WAIT));

    assertThat(outcome(memberId + "-TU1", TopUpPayment.Status.EXPIRED).isSuccess()).isTrue();

    View view = member.<View>runCommand(Member.Get::new).reply();
    assertThat(view.balanceMinor()).isZero();
    assertThat(view.topUpOfRequest("t1")).hasValueSatisfying(t -> assertThat(t.status()).isEqualTo(TopUpPayment.Status.EXPIRED));
  }

  @Test
  void a_top_up_whose_saga_was_not_yet_reached_is_started_again_after_a_restart() {
    register();
    topUpByWallet("t1", 50_000);
    sagas.expectMessageClass(Started.class, WAIT); // never answered: the node went down

    MemberState recovered = member.restart().state();

    assertThat(recovered.view().pendingTopUps()).hasSize(1);
    Started again = sagas.expectMessageClass(Started.class, WAIT);
    assertThat(again.order().paymentId()).isEqualTo(memberId + "-TU1");
    again.answer().complete(new TopUpDesk.Progress(null));
    sagas.awaitAssert(WAIT, () -> {
      assertThat(member.getState().owed()).isEmpty();
      return null;
    });
  }

  @Test
  void an_outcome_for_a_member_never_registered_is_refused() {
    assertThat(outcome(memberId + "-TU1", TopUpPayment.Status.SUCCEEDED).isError()).isTrue();
  }
}
