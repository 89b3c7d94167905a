package io.orderengine.engine.member;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderengine.engine.Decision;
import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.VenueIds;
import io.orderengine.engine.bill.Bill;
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

      Decision<Event> events = s.decideTopUp("top-1", 50_000, "cash", "li", T1);

      assertThat(events.orThrow()).containsExactly(
          new ToppedUp(MEMBER, "top-1", 50_000, "cash", T1, "li", MEMBER + "-TU1", null, null, null));
      Active once = after(s, events);
      assertThat(once.balanceMinor()).isEqualTo(50_000);
      assertThat(once.decideTopUp("top-1", 50_000, "cash", T1).orThrow()).isEmpty();
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
  class TopUpsThroughASaga {
    static final String TU1 = MEMBER + "-TU1";

    /** 1,000 of stored value from a top-up written before top-ups had payment ids, so the next is TU1. */
    Active funded() {
      return after(registered(), Decision.accept(new ToppedUp(MEMBER, "top-0", 1_000, "cash", T0)));
    }

    Active pending(String requestId, String method, String authCode) {
      Active s = funded();
      return after(s, s.decideTopUp(requestId, 50_000, method, "li", authCode, null, null, null, T1));
    }

    Active outcome(Active s, String paymentId, TopUpPayment.Status status) {
      return after(s, s.decideTopUpOutcome(paymentId, status, "TX-1", status == TopUpPayment.Status.SUCCEEDED ? null : "X",
          "why", T1));
    }

    @Test
    void a_wallet_top_up_is_recorded_pending_and_owes_its_saga_but_credits_nothing() {
      Active s = funded();

      Decision<Event> events = s.decideTopUp("top-2", 50_000, "WECHAT", "li", null, null, null, null, T1);

      assertThat(events.orThrow()).singleElement().isInstanceOfSatisfying(Member.TopUpRequested.class, e -> {
        assertThat(e.topUp().paymentId()).as("the first top-up with a payment id").isEqualTo(TU1);
        assertThat(e.topUp().status()).isEqualTo(TopUpPayment.Status.PENDING);
      });
      Active pending = after(s, events);
      assertThat(pending.balanceMinor()).isEqualTo(1_000);
      assertThat(pending.owed()).containsExactly(new TopUpDesk.Order(TU1, MEMBER, "WECHAT", 50_000, null, T1));
      assertThat(pending.awaitedBy("top-2")).contains("start:" + TU1);
      assertThat(pending.view().pendingTopUps()).extracting(TopUpPayment::paymentId).containsExactly(TU1);
      assertThat(VenueIds.venueOf("V2.M001-TU1")).as("the payment id still names the venue").isEqualTo("V2");
    }

    @Test
    void a_scanned_code_and_a_card_on_the_integrated_terminal_go_through_the_saga_too() {
      Active wallet = pending("top-2", "ALIPAY", "28763443825664");
      assertThat(wallet.owed()).singleElement().satisfies(o -> assertThat(o.authCode()).isEqualTo("28763443825664"));
      Active card = pending("top-3", "CARD", "6222-0000");
      assertThat(card.owed()).singleElement().satisfies(o -> assertThat(o.method()).isEqualTo("CARD"));
      assertThat(card.balanceMinor()).isEqualTo(1_000);
    }

    @Test
    void a_card_on_a_standalone_terminal_is_credited_at_once_with_its_slip() {
      Active s = funded();

      Decision<Event> events = s.decideTopUp("top-2", 20_000, "CARD", "li", null, "T9", "REF123", "4321", T1);

      assertThat(events.orThrow()).containsExactly(
          new ToppedUp(MEMBER, "top-2", 20_000, "CARD", T1, "li", TU1, "T9", "REF123", "4321"));
      Active credited = after(s, events);
      assertThat(credited.balanceMinor()).isEqualTo(21_000);
      assertThat(credited.owed()).isEmpty();
      assertThat(credited.topUpOfRequest("top-2")).hasValueSatisfying(t -> {
        assertThat(t.status()).isEqualTo(TopUpPayment.Status.SUCCEEDED);
        assertThat(t.terminalRef()).isEqualTo("REF123");
      });
      assertRejected(s.decideTopUp("top-3", 1, "WECHAT", "li", null, null, "REF124", "4321", T1), Rejection.VALIDATION_FAILED);
      assertRejected(s.decideTopUp("top-3", 1, "CARD", "li", null, null, "REF124", null, T1), Rejection.VALIDATION_FAILED);
      assertRejected(s.decideTopUp("top-3", 1, "MEMBER", "li", null, null, null, null, T1), Rejection.VALIDATION_FAILED);
    }

    @Test
    void payment_ids_are_numbered_across_cash_and_saga_top_ups() {
      Active s = pending("top-2", "WECHAT", null);
      s = after(s, s.decideTopUp("top-3", 100, "CASH", "li", T1));
      s = after(s, s.decideTopUp("top-4", 100, "ALIPAY", "li", null, null, null, null, T1));

      assertThat(s.view().topUps()).extracting(TopUpPayment::paymentId)
          .containsExactly(TU1, MEMBER + "-TU2", MEMBER + "-TU3");
    }

    @Test
    void the_saga_taking_it_on_stops_it_being_owed_and_keeps_the_qr_link() {
      Active s = pending("top-2", "WECHAT", null);

      Active underway = after(s, s.decideUnderway("start:" + TU1, "weixin://wxpay/bizpayurl?pr=x", T1));

      assertThat(underway.owed()).isEmpty();
      assertThat(underway.awaitedBy("top-2")).isEmpty();
      assertThat(underway.topUp(TU1)).hasValueSatisfying(t -> assertThat(t.qrCodeUrl()).startsWith("weixin://"));
      assertThat(underway.decideUnderway("start:" + TU1, null, T1).orThrow()).as("delivered twice").isEmpty();
    }

    @Test
    void succeeded_credits_the_balance_once_and_a_second_report_is_ignored() {
      Active s = pending("top-2", "WECHAT", null);

      Decision<Event> events = s.decideTopUpOutcome(TU1, TopUpPayment.Status.SUCCEEDED, "TX-1", null, null, T1);

      assertThat(events.orThrow()).containsExactly(
          new Member.TopUpSettled(MEMBER, TU1, TopUpPayment.Status.SUCCEEDED, "TX-1", null, null, T1),
          new ToppedUp(MEMBER, "top-2", 50_000, "WECHAT", T1, "li", TU1, null, null, null));
      Active credited = after(s, events);
      assertThat(credited.balanceMinor()).isEqualTo(51_000);
      assertThat(credited.view().pendingTopUps()).isEmpty();
      assertThat(credited.decideTopUpOutcome(TU1, TopUpPayment.Status.SUCCEEDED, "TX-1", null, null, T1).orThrow()).isEmpty();
      assertThat(credited.decideTopUpOutcome(TU1, TopUpPayment.Status.EXPIRED, null, "EXPIRED", "late", T1).orThrow()).isEmpty();
      assertThat(credited.topUps()).as("the request is remembered once").containsOnlyOnce("top-2");
    }

    @Test
    void failed_cancelled_or_expired_end_the_top_up_without_credit() {
      for (TopUpPayment.Status end : List.of(TopUpPayment.Status.FAILED, TopUpPayment.Status.CANCELLED,
          TopUpPayment.Status.EXPIRED)) {
        Active ended = outcome(pending("top-2", "WECHAT", null), TU1, end);

        assertThat(ended.balanceMinor()).as("%s", end).isEqualTo(1_000);
        assertThat(ended.topUp(TU1)).hasValueSatisfying(t -> assertThat(t.status()).isEqualTo(end));
        assertThat(ended.view().pendingTopUps()).isEmpty();
        assertThat(ended.owed()).isEmpty();
        assertThat(outcome(ended, TU1, TopUpPayment.Status.SUCCEEDED).balanceMinor())
            .as("a success reported after the end credits nothing").isEqualTo(1_000);
      }
    }

    @Test
    void a_saga_that_refuses_the_start_for_good_fails_the_top_up() {
      Active s = pending("top-2", "WECHAT", null);

      Active failed = after(s, s.decideStartRefused("start:" + TU1, Rejection.VALIDATION_FAILED, "bad spec", T1));

      assertThat(failed.topUp(TU1)).hasValueSatisfying(t -> {
        assertThat(t.status()).isEqualTo(TopUpPayment.Status.FAILED);
        assertThat(t.failureCode()).isEqualTo("VALIDATION_FAILED");
      });
      assertThat(failed.balanceMinor()).isEqualTo(1_000);
    }

    @Test
    void the_request_id_is_answered_again_pending_credited_or_failed_never_taken_twice() {
      Active s = pending("top-2", "WECHAT", null);
      assertThat(s.decideTopUp("top-2", 50_000, "WECHAT", "li", null, null, null, null, T1).orThrow()).isEmpty();

      Active failed = outcome(s, TU1, TopUpPayment.Status.FAILED);
      assertThat(failed.decideTopUp("top-2", 50_000, "WECHAT", "li", null, null, null, null, T1).orThrow())
          .as("a retry of a declined top-up hears the decline again").isEmpty();
      assertThat(failed.view().topUpOfRequest("top-2")).hasValueSatisfying(
          t -> assertThat(t.status()).isEqualTo(TopUpPayment.Status.FAILED));

      Active credited = outcome(pending("top-2", "WECHAT", null), TU1, TopUpPayment.Status.SUCCEEDED);
      assertThat(credited.decideTopUp("top-2", 50_000, "WECHAT", "li", null, null, null, null, T1).orThrow()).isEmpty();
      assertThat(credited.balanceMinor()).isEqualTo(51_000);
    }

    @Test
    void an_outcome_for_a_top_up_never_made_is_not_found_and_one_long_forgotten_is_ignored() {
      Active s = registered();
      assertRejected(s.decideTopUpOutcome(TU1, TopUpPayment.Status.SUCCEEDED, null, null, null, T1), Rejection.NOT_FOUND);

      for (int i = 1; i <= MemberState.REMEMBERED_FINISHED_TOP_UPS + 5; i++) {
        s = after(s, s.decideTopUp("top-" + i, 1, "WECHAT", "li", null, null, null, null, T1));
        s = outcome(s, MEMBER + "-TU" + i, TopUpPayment.Status.EXPIRED);
      }
      assertThat(s.view().topUps()).hasSize(MemberState.REMEMBERED_FINISHED_TOP_UPS);
      assertThat(s.topUp(TU1)).isEmpty();
      assertThat(s.decideTopUpOutcome(TU1, TopUpPayment.Status.SUCCEEDED, null, null, null, T1).orThrow()).isEmpty();
      assertThat(s.balanceMinor()).isZero();
    }

    @Test
    void old_journals_replay_a_top_up_without_a_payment_id_as_before() {
      Active s = after(MemberState.empty(MEMBER), Decision.accept(new Registered(MEMBER, "x", "y", T0),
          new ToppedUp(MEMBER, "t", 1_000, "WECHAT", T0, "li")));

      assertThat(s.balanceMinor()).isEqualTo(1_000);
      assertThat(s.view().topUps()).isEmpty();
      assertThat(s.decideTopUp("t2", 1, "CASH", T1).orThrow()).singleElement()
          .isInstanceOfSatisfying(ToppedUp.class, e -> assertThat(e.paymentId()).isEqualTo(TU1));
    }
  }

  @Test
  void a_top_up_payment_id_names_its_member_and_no_bill_payment_id_does() {
    assertThat(Member.memberIdOfTopUp("V2.M001-TU12")).contains("V2.M001");
    assertThat(Member.memberIdOfTopUp("M-TU1-TU3")).contains("M-TU1");
    assertThat(Member.memberIdOfTopUp("A1-0001-B1-P1")).isEmpty();
    assertThat(Member.memberIdOfTopUp("T-TU1-O1-B1-P1")).isEmpty();
    assertThat(Member.memberIdOfTopUp("M001-TU")).isEmpty();
    assertThat(Bill.billIdOfPayment("X-P3-TU1")).isEmpty();
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
