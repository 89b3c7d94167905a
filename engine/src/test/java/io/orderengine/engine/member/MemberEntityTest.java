package io.orderengine.engine.member;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderengine.engine.EntityTestKitConfig;
import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.member.Member.View;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The member in its shell, on the in-memory journal: each stage's commands, replies and recovery. */
class MemberEntityTest {

  static final Instant T0 = Instant.parse("2025-05-01T12:30:00Z");

  private static final AtomicInteger MEMBERS = new AtomicInteger();
  private static ActorTestKit testKit;

  private String memberId;
  private EventSourcedBehaviorTestKit<Member.Command, Member.Event, MemberState> member;

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
    member = EventSourcedBehaviorTestKit.create(testKit.system(), Member.create(memberId));
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
}
