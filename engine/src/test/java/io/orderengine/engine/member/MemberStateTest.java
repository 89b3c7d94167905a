package io.orderengine.engine.member;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderengine.engine.Decision;
import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.member.Member.Credited;
import io.orderengine.engine.member.Member.Debited;
import io.orderengine.engine.member.Member.Event;
import io.orderengine.engine.member.Member.Registered;
import io.orderengine.engine.member.MemberState.Active;
import io.orderengine.engine.member.MemberState.Unregistered;
import io.orderengine.engine.member.Member.Tier;
import io.orderengine.engine.member.Member.ToppedUp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** A member's stored value, points and tier, given / when / then: every movement is keyed and happens once. */
class MemberStateTest {

  static final String MEMBER = "m-13800138000";
  static final String PAY = "A1-0001-B1-P1";
  static final Instant T0 = Instant.parse("2025-05-01T12:30:00Z");
  static final Instant T1 = T0.plusSeconds(60);

  // ---- given ----

  static Active after(MemberState s, Decision<Event> decision) {
    MemberState next = s;
    for (Event e : decision.orThrow()) next = next.apply(e);
    return (Active) next;
  }

  static Active registered() {
    Unregistered empty = new Unregistered(MEMBER);
    return after(empty, empty.decideRegister("Li Mei", "13800138000", T0));
  }

  static Active withBalance(long balance) {
    Active s = registered();
    return after(s, s.decideTopUp("top-1", balance, "cash", T0));
  }

  static Active debited(Active s, String paymentId, long amount) {
    return after(s, s.decideDebit(paymentId, amount, T1));
  }

  static Active credited(Active s, String refundNo, String paymentId, long amount) {
    return after(s, s.decideCredit(refundNo, paymentId, amount, T1));
  }

  static void assertRejected(Decision<?> decision, Rejection code) {
    assertThat(decision).isInstanceOfSatisfying(Decision.Refused.class, r -> assertThat(r.code()).isEqualTo(code));
  }

  @Nested
  class Registering {

    @Test
    void a_member_registers_once() {
      Unregistered empty = new Unregistered(MEMBER);

      Decision<Event> events = empty.decideRegister("Li Mei", "13800138000", T0);

      assertThat(events.orThrow()).containsExactly(new Registered(MEMBER, "Li Mei", "13800138000", T0));
      Active s = after(empty, events);
      assertThat(s.view().exists()).isTrue();
      assertThat(s.view().balanceMinor()).isZero();
      assertThat(s.view().tier()).isEqualTo(Tier.REGULAR);
      assertRejected(s.decideRegister("Li Mei", "13800138000", T1), Rejection.MEMBER_EXISTS);
    }

    @Test
    void nobody_who_never_registered_moves_money() {
      Unregistered empty = new Unregistered(MEMBER);

      assertThat(empty.view().exists()).isFalse();
      assertThat(empty.view().balanceMinor()).isZero();
      // an unregistered member decides nothing but registering; every movement is NOT_FOUND (see MemberEntityTest)
      assertRejected(empty.notFound(), Rejection.NOT_FOUND);
    }
  }

  @Nested
  class TopUps {

    @Test
    void a_top_up_adds_to_the_balance_once_per_request() {
      Active s = registered();

      Decision<Event> events = s.decideTopUp("top-1", 50_000, "wechat", T1);

      assertThat(events.orThrow()).containsExactly(new ToppedUp(MEMBER, "top-1", 50_000, "wechat", T1));
      Active once = after(s, events);
      assertThat(once.balanceMinor()).isEqualTo(50_000);
      assertThat(once.decideTopUp("top-1", 50_000, "wechat", T1).orThrow()).isEmpty();
      assertThat(once.decideTopUp("top-1", 99_999, "cash", T1).orThrow()).as("the key decides, not the amount").isEmpty();
      Active twice = after(once, once.decideTopUp("top-2", 10_000, "cash", T1));
      assertThat(twice.balanceMinor()).isEqualTo(60_000);
    }

    @Test
    void a_top_up_is_positive() {
      Active s = registered();

      assertRejected(s.decideTopUp("top-1", 0, "cash", T1), Rejection.VALIDATION_FAILED);
      assertRejected(s.decideTopUp("top-1", -100, "cash", T1), Rejection.VALIDATION_FAILED);
    }

    @Test
    void a_top_up_neither_earns_points_nor_counts_as_spend() {
      Active s = withBalance(900_000);

      assertThat(s.points()).isZero();
      assertThat(s.lifetimeSpendMinor()).isZero();
      assertThat(s.tier()).isEqualTo(Tier.REGULAR);
    }

    @Test
    void the_most_recent_top_up_requests_are_remembered() {
      Active s = registered();
      for (int i = 1; i <= 300; i++) s = after(s, s.decideTopUp("top-" + i, 1, "cash", T1));

      assertThat(s.balanceMinor()).isEqualTo(300);
      for (int i = 300 - 255; i <= 300; i++) assertThat(s.decideTopUp("top-" + i, 1, "cash", T1).orThrow()).as("top-%d", i).isEmpty();
    }
  }

  @Nested
  class Debits {

    @Test
    void a_debit_draws_the_balance_once_per_payment() {
      Active s = withBalance(10_000);

      Decision<Event> events = s.decideDebit(PAY, 5_600, T1);

      assertThat(events.orThrow()).containsExactly(new Debited(MEMBER, PAY, 5_600, 56, T1));
      Active once = after(s, events);
      assertThat(once.balanceMinor()).isEqualTo(4_400);
      assertThat(once.view().debits()).containsExactly(Map.entry(PAY, 5_600L));
      assertThat(once.decideDebit(PAY, 5_600, T1).orThrow()).isEmpty();
      assertThat(once.decideDebit(PAY, 4_400, T1).orThrow()).as("the key decides, not the amount").isEmpty();
    }

    @Test
    void a_debit_above_the_balance_is_insufficient_and_changes_nothing() {
      Active s = withBalance(5_599);

      assertRejected(s.decideDebit(PAY, 5_600, T1), Rejection.INSUFFICIENT_BALANCE);
      assertThat(s.view().debits()).isEmpty();
    }

    @Test
    void a_refused_debit_is_not_remembered_so_it_succeeds_after_a_top_up() {
      Active s = withBalance(5_599);
      assertRejected(s.decideDebit(PAY, 5_600, T1), Rejection.INSUFFICIENT_BALANCE);
      Active toppedUp = after(s, s.decideTopUp("top-2", 1, "cash", T1));

      Active paid = debited(toppedUp, PAY, 5_600);

      assertThat(paid.balanceMinor()).isZero();
    }

    @Test
    void the_whole_balance_can_be_spent_but_no_more() {
      Active s = debited(withBalance(5_600), PAY, 5_600);

      assertThat(s.balanceMinor()).isZero();
      assertRejected(s.decideDebit("A1-0001-B1-P2", 1, T1), Rejection.INSUFFICIENT_BALANCE);
    }

    @Test
    void a_debit_is_positive() {
      Active s = withBalance(10_000);

      assertRejected(s.decideDebit(PAY, 0, T1), Rejection.VALIDATION_FAILED);
      assertRejected(s.decideDebit(PAY, -1, T1), Rejection.VALIDATION_FAILED);
    }
  }

  @Nested
  class Credits {

    @Test
    void a_credit_gives_back_what_a_payment_drew_once_per_refund() {
      Active s = debited(withBalance(10_000), PAY, 5_600);

      Decision<Event> events = s.decideCredit(PAY + "-R1", PAY, 2_000, T1);

      assertThat(events.orThrow()).containsExactly(new Credited(MEMBER, PAY + "-R1", PAY, 2_000, 20, T1));
      Active once = after(s, events);
      assertThat(once.balanceMinor()).isEqualTo(6_400);
      assertThat(once.decideCredit(PAY + "-R1", PAY, 2_000, T1).orThrow()).isEmpty();
      assertThat(once.balanceMinor()).isEqualTo(6_400);
    }

    @Test
    void credits_never_add_up_to_more_than_the_payment_drew() {
      Active s = credited(debited(withBalance(10_000), PAY, 5_600), PAY + "-R1", PAY, 5_000);

      assertRejected(s.decideCredit(PAY + "-R2", PAY, 601, T1), Rejection.AMOUNT_EXCEEDS_REFUNDABLE);
      Active full = credited(s, PAY + "-R2", PAY, 600);
      assertThat(full.balanceMinor()).isEqualTo(10_000);
      assertRejected(full.decideCredit(PAY + "-RBACK", PAY, 1, T1), Rejection.AMOUNT_EXCEEDS_REFUNDABLE);
    }

    @Test
    void a_payment_that_drew_nothing_gets_nothing_back() {
      Active s = debited(withBalance(10_000), PAY, 5_600);

      assertRejected(s.decideCredit("A1-0001-B1-P2-R1", "A1-0001-B1-P2", 1, T1), Rejection.AMOUNT_EXCEEDS_REFUNDABLE);
      assertRejected(s.decideCredit(PAY + "-R1", PAY, 0, T1), Rejection.AMOUNT_EXCEEDS_REFUNDABLE);
      assertRejected(s.decideCredit(PAY + "-R1", PAY, -10, T1), Rejection.AMOUNT_EXCEEDS_REFUNDABLE);
    }

    @Test
    void credits_of_one_payment_do_not_use_up_another_payments_room() {
      String p1 = "A1-0001-B1-P1";
      String p12 = "A1-0001-B1-P12";
      Active s = debited(debited(withBalance(10_000), p1, 1_000), p12, 1_000);
      s = credited(s, p12 + "-R1", p12, 1_000);

      assertThat(s.decideCredit(p1 + "-R1", p1, 1_000, T1).orThrow()).hasSize(1);
    }
  }

  @Nested
  class PointsAndTier {

    @Test
    void a_debit_earns_a_point_per_whole_yuan() {
      Active s = debited(withBalance(100_000), PAY, 12_399);

      assertThat(s.points()).isEqualTo(123);
      assertThat(s.lifetimeSpendMinor()).isEqualTo(12_399);
    }

    @Test
    void a_credit_takes_back_the_points_of_the_money_it_returns_but_never_below_zero() {
      Active s = debited(withBalance(100_000), PAY, 12_399);

      Active partly = credited(s, PAY + "-R1", PAY, 5_050);
      assertThat(partly.points()).isEqualTo(123 - 50);
      assertThat(partly.lifetimeSpendMinor()).isEqualTo(12_399 - 5_050);

      Active none = after(MemberState.empty(MEMBER), Decision.accept(new Registered(MEMBER, "x", "y", T0),
          new ToppedUp(MEMBER, "t", 1_000, "cash", T0),
          new Debited(MEMBER, PAY, 1_000, 0, T0))); // written before points were earned
      assertThat(credited(none, PAY + "-R1", PAY, 1_000).points()).isZero();
    }

    @Test
    void the_tier_follows_lifetime_spend_both_ways() {
      Active s = withBalance(1_000_000);

      Active regular = debited(s, "B-P1", MemberState.SILVER_FROM_MINOR - 1);
      assertThat(regular.tier()).isEqualTo(Tier.REGULAR);
      Active silver = debited(regular, "B-P2", 1);
      assertThat(silver.tier()).isEqualTo(Tier.SILVER);
      assertThat(silver.view().tier()).isEqualTo(Tier.SILVER);
      Active almostGold = debited(silver, "B-P3", MemberState.GOLD_FROM_MINOR - MemberState.SILVER_FROM_MINOR - 1);
      assertThat(almostGold.tier()).isEqualTo(Tier.SILVER);
      Active gold = debited(almostGold, "B-P4", 1);
      assertThat(gold.tier()).isEqualTo(Tier.GOLD);

      Active refunded = credited(gold, "B-P4-R1", "B-P4", 1);
      assertThat(refunded.tier()).as("a refund takes the spend back").isEqualTo(Tier.SILVER);
    }
  }

  // ---- whatever the order and the redeliveries ----

  sealed interface Move permits TopUp, Debit, Credit {}

  record TopUp(int request, long amount) implements Move {}

  record Debit(int payment, long amount) implements Move {}

  /** {@code percent} of what the payment drew; above 100 asks for more than it drew. */
  record Credit(int refund, int payment, int percent) implements Move {}

  @Provide
  Arbitrary<List<Move>> moves() {
    // few keys, so that redeliveries happen
    Arbitrary<Integer> keys = Arbitraries.integers().between(1, 4);
    Arbitrary<Move> topUp = Combinators.combine(keys, Arbitraries.longs().between(-5, 60_000)).as(TopUp::new);
    Arbitrary<Move> debit = Combinators.combine(keys, Arbitraries.longs().between(-5, 30_000)).as(Debit::new);
    Arbitrary<Move> credit = Combinators.combine(keys, keys, Arbitraries.integers().between(0, 120)).as(Credit::new);
    return Arbitraries.frequencyOf(Tuple.of(2, topUp), Tuple.of(3, debit), Tuple.of(3, credit)).list().ofMaxSize(30);
  }

  @Property(tries = 500)
  void the_balance_is_what_came_in_less_what_went_out_and_no_payment_gets_back_more_than_it_drew(
      @ForAll("moves") List<Move> moves) {
    Active s = registered();
    Map<String, Long> drawn = new HashMap<>();
    Map<String, Long> givenBack = new HashMap<>();
    Map<String, Long> givenBackPerPayment = new HashMap<>();
    long in = 0;
    long earned = 0;
    for (Move m : moves) {
      List<Event> events;
      try {
        if (m instanceof TopUp t) events = s.decideTopUp("top-" + t.request(), t.amount(), "cash", T1).orThrow();
        else if (m instanceof Debit d) events = s.decideDebit("P" + d.payment(), d.amount(), T1).orThrow();
        else {
          Credit c = (Credit) m;
          long amount = drawn.getOrDefault("P" + c.payment(), 100L) * c.percent() / 100;
          // refund numbers as the bill makes them: <paymentId>-R<n>
          events = s.decideCredit("P" + c.payment() + "-R" + c.refund(), "P" + c.payment(), amount, T1).orThrow();
        }
      } catch (Rejected refused) {
        continue;
      }
      for (Event e : events) {
        if (e instanceof ToppedUp t) in += t.amountMinor();
        if (e instanceof Debited d) {
          assertThat(drawn).doesNotContainKey(d.paymentId());
          drawn.put(d.paymentId(), d.amountMinor());
          earned += d.points();
        }
        if (e instanceof Credited c) {
          assertThat(givenBack).doesNotContainKey(c.refundNo());
          givenBack.put(c.refundNo(), c.amountMinor());
          givenBackPerPayment.merge(c.paymentId(), c.amountMinor(), Long::sum);
          earned -= c.points();
        }
      }
      s = after(s, Decision.accept(events));
      long out = drawn.values().stream().mapToLong(Long::longValue).sum();
      long back = givenBack.values().stream().mapToLong(Long::longValue).sum();
      assertThat(s.balanceMinor()).isEqualTo(in - out + back).isGreaterThanOrEqualTo(0);
      assertThat(s.lifetimeSpendMinor()).isEqualTo(out - back).isGreaterThanOrEqualTo(0);
      assertThat(s.points()).isEqualTo(earned).isGreaterThanOrEqualTo(0);
      for (Map.Entry<String, Long> credit : givenBackPerPayment.entrySet()) {
        assertThat(credit.getValue()).as("given back for %s", credit.getKey())
            .isLessThanOrEqualTo(drawn.getOrDefault(credit.getKey(), 0L));
      }
    }
  }
}
