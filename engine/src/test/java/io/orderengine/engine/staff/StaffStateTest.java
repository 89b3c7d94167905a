package io.orderengine.engine.staff;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderengine.engine.Decision;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.staff.Staff.ChallengeOutcome;
import io.orderengine.engine.staff.Staff.EndReason;
import io.orderengine.engine.staff.Staff.Event;
import io.orderengine.engine.staff.Staff.PinReset;
import io.orderengine.engine.staff.Staff.RoleChanged;
import io.orderengine.engine.staff.Staff.SessionStarted;
import io.orderengine.engine.staff.Staff.SessionsEnded;
import io.orderengine.engine.staff.Staff.SignInAttempted;
import io.orderengine.engine.staff.Staff.StaffDisabled;
import io.orderengine.engine.staff.Staff.StaffEnabled;
import io.orderengine.engine.staff.Staff.StaffHired;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A venue's staff, the pure core, given / when / then. PIN hashes are made-up values: no hashing here. */
class StaffStateTest {
  static final String V = "V1";
  static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");
  static final StaffPolicy POLICY = new StaffPolicy(Duration.ofHours(12), 5, Duration.ofSeconds(30), Duration.ofMinutes(15), 3, 10_000);
  static final PinHash PIN = new PinHash(PinHash.ALGORITHM, 10_000, "c2FsdA", "aGFzaA");
  static final PinHash OTHER_PIN = new PinHash(PinHash.ALGORITHM, 10_000, "c2FsdDI", "aGFzaDI");

  static StaffState after(StaffState s, Decision<Event> decision) {
    for (Event e : decision.orThrow()) s = s.apply(e);
    return s;
  }

  static Rejection refusal(Decision<?> decision) {
    assertThat(decision).isInstanceOf(Decision.Refused.class);
    return ((Decision.Refused<?>) decision).code();
  }

  static StaffState withLiNa() {
    StaffState none = StaffState.empty(V);
    return after(none, none.decideHire("w07", "Li Na", StaffRole.WAITER, PIN, -1, T0));
  }

  /** Li Na signed in once at {@code at}, under the token hash {@code hash}. */
  static StaffState signedIn(StaffState s, String hash, Instant at) {
    s = s.apply(s.attempted("w07", at));
    return after(s, s.decideStartSession("w07", 1, hash, at, POLICY));
  }

  @Test
  void a_member_is_hired_and_seen_without_their_pin() {
    StaffState none = StaffState.empty(V);

    Decision<Event> hired = none.decideHire("w07", "Li Na", StaffRole.WAITER, PIN, -1, T0);

    assertThat(hired.orThrow()).containsExactly(new StaffHired(V, "w07", "Li Na", StaffRole.WAITER, PIN, T0));
    var view = after(none, hired).view("w07", T0, POLICY);
    assertThat(view).isEqualTo(new Staff.MemberView("w07", "Li Na", StaffRole.WAITER, false, T0, 0, null));
    assertThat(view.toString()).doesNotContain(PIN.hash()).doesNotContain(PIN.salt());
  }

  @Test
  void a_taken_id_is_staff_exists_unless_the_hire_is_identical() {
    StaffState s = withLiNa();

    assertThat(s.decideHire("w07", "Li Na", StaffRole.WAITER, OTHER_PIN, 1, T0)).as("same name, role, PIN").isEqualTo(Decision.none());
    assertThat(refusal(s.decideHire("w07", "Li Na", StaffRole.WAITER, OTHER_PIN, -1, T0))).as("another PIN")
        .isEqualTo(Rejection.STAFF_EXISTS);
    assertThat(refusal(s.decideHire("w07", "Li Na", StaffRole.CASHIER, OTHER_PIN, 1, T0))).as("another role")
        .isEqualTo(Rejection.STAFF_EXISTS);
    assertThat(refusal(s.decideHire("w07", "Wang Wei", StaffRole.WAITER, OTHER_PIN, 1, T0))).as("another name")
        .isEqualTo(Rejection.STAFF_EXISTS);
    assertThat(refusal(s.decideHire("w08", " ", StaffRole.WAITER, PIN, -1, T0))).isEqualTo(Rejection.VALIDATION_FAILED);
  }

  @Test
  void a_change_records_only_what_differs_and_an_unknown_member_is_not_found() {
    StaffState s = withLiNa();

    assertThat(s.decideChange("w07", "Li Na", StaffRole.WAITER, null, false, T0)).isEqualTo(Decision.none());
    assertThat(s.decideChange("w07", null, StaffRole.CASHIER, null, null, T0).orThrow())
        .containsExactly(new RoleChanged(V, "w07", StaffRole.CASHIER, T0));
    assertThat(refusal(s.decideChange("w99", null, StaffRole.CASHIER, null, null, T0))).isEqualTo(Rejection.NOT_FOUND);
  }

  @Test
  void disabling_ends_every_session_of_the_member_and_refuses_their_sign_in_as_unknown() {
    StaffState s = signedIn(signedIn(withLiNa(), "h1", T0), "h2", T0.plusSeconds(60));
    Instant t = T0.plusSeconds(120);

    Decision<Event> disabled = s.decideChange("w07", null, null, null, true, t);

    assertThat(disabled.orThrow()).hasSize(2);
    assertThat(disabled.orThrow().get(0)).isEqualTo(new StaffDisabled(V, "w07", t));
    SessionsEnded ended = (SessionsEnded) disabled.orThrow().get(1);
    assertThat(ended.tokenHashes()).containsExactlyInAnyOrder("h1", "h2");
    assertThat(ended.reason()).isEqualTo(EndReason.DISABLED);
    StaffState off = after(s, disabled);
    assertThat(off.check("h1", t).session()).isNull();
    assertThat(off.challenge("w07", t, POLICY).outcome()).isEqualTo(ChallengeOutcome.UNKNOWN);
    assertThat(off.staleAfter(disabled.orThrow())).containsExactly(new StaleSessions(V, "w07", ended.tokenHashes()));
    StaffState on = after(off, off.decideChange("w07", null, null, null, false, t));
    assertThat(on.decideChange("w07", null, null, null, false, t)).isEqualTo(Decision.none());
    assertThat(on.challenge("w07", t, POLICY).outcome()).isEqualTo(ChallengeOutcome.READY);
    assertThat(after(off, off.decideChange("w07", null, null, null, false, t)).members().get("w07").disabled()).isFalse();
    assertThat(off.decideChange("w07", null, null, null, false, t).orThrow()).containsExactly(new StaffEnabled(V, "w07", t));
  }

  @Test
  void a_new_pin_ends_the_sessions_and_a_sign_in_checked_against_the_old_one_opens_none() {
    StaffState s = signedIn(withLiNa(), "h1", T0);
    long oldVersion = s.challenge("w07", T0, POLICY).pinVersion();

    Decision<Event> reset = s.decideChange("w07", null, null, OTHER_PIN, null, T0.plusSeconds(5));

    assertThat(reset.orThrow()).containsExactly(new PinReset(V, "w07", OTHER_PIN, T0.plusSeconds(5)),
        new SessionsEnded(V, "w07", List.of("h1"), EndReason.PIN_RESET, T0.plusSeconds(5)));
    StaffState after = after(s, reset);
    assertThat(after.check("h1", T0.plusSeconds(6)).session()).isNull();
    assertThat(refusal(after.decideStartSession("w07", oldVersion, "h2", T0.plusSeconds(6), POLICY)))
        .isEqualTo(Rejection.NOT_FOUND);
    assertThat(after.challenge("w07", T0.plusSeconds(6), POLICY).pin()).isEqualTo(OTHER_PIN);
  }

  @Test
  void a_role_change_tells_the_cluster_to_forget_the_cached_sessions_but_keeps_them() {
    StaffState s = signedIn(withLiNa(), "h1", T0);

    Decision<Event> promoted = s.decideChange("w07", null, StaffRole.MANAGER, null, null, T0);
    StaffState after = after(s, promoted);

    assertThat(after.staleAfter(promoted.orThrow())).containsExactly(new StaleSessions(V, "w07", List.of("h1")));
    assertThat(after.check("h1", T0).session().role()).isEqualTo(StaffRole.MANAGER);
  }

  @Test
  void after_five_sign_ins_gone_wrong_the_next_waits_a_back_off_that_doubles_and_is_capped() {
    StaffState s = withLiNa();
    Instant t = T0;
    for (int i = 0; i < 5; i++) {
      assertThat(s.challenge("w07", t, POLICY).outcome()).as("attempt %s", i + 1).isEqualTo(ChallengeOutcome.READY);
      s = s.apply(s.attempted("w07", t));
    }

    var blocked = s.challenge("w07", t.plusSeconds(1), POLICY);
    assertThat(blocked.outcome()).isEqualTo(ChallengeOutcome.BLOCKED);
    assertThat(blocked.retryAfterSeconds()).isEqualTo(29);
    assertThat(blocked.pin()).as("no hash while blocked").isNull();
    assertThat(s.view("w07", t.plusSeconds(1), POLICY).signInBlockedUntil()).isEqualTo(t.plusSeconds(30));

    Instant later = t.plusSeconds(30);
    assertThat(s.challenge("w07", later, POLICY).outcome()).isEqualTo(ChallengeOutcome.READY);
    s = s.apply(s.attempted("w07", later));
    assertThat(s.challenge("w07", later.plusSeconds(59), POLICY).retryAfterSeconds()).as("doubled").isEqualTo(1);
    assertThat(POLICY.backoffAfter(40)).as("never locked out for good").isEqualTo(Duration.ofMinutes(15));

    StaffState signedIn = after(s, s.decideStartSession("w07", 1, "h1", later.plusSeconds(60), POLICY));
    assertThat(signedIn.members().get("w07").failedAttempts()).as("a session resets the count").isZero();
    assertThat(signedIn.challenge("w07", later.plusSeconds(60), POLICY).outcome()).isEqualTo(ChallengeOutcome.READY);
  }

  @Test
  void an_unknown_member_gets_the_same_challenge_as_a_disabled_one_and_nothing_is_recorded() {
    StaffState s = withLiNa();

    assertThat(s.challenge("w99", T0, POLICY)).isEqualTo(Staff.Challenge.unknown());
    assertThat(refusal(s.decideStartSession("w99", 1, "h1", T0, POLICY))).isEqualTo(Rejection.NOT_FOUND);
  }

  @Test
  void a_session_lasts_a_shift_ends_at_sign_out_and_is_forgotten_once_expired() {
    StaffState s = signedIn(withLiNa(), "h1", T0);
    Instant end = T0.plus(Duration.ofHours(12));

    assertThat(s.check("h1", T0.plusSeconds(1)).session())
        .isEqualTo(new Staff.SessionView(V, "w07", "Li Na", StaffRole.WAITER, end));
    assertThat(s.check("h1", end).session()).as("expired at its end").isNull();
    assertThat(s.check("nope", T0).session()).isNull();

    Decision<Event> out = s.decideEndSession("h1", T0.plusSeconds(5));
    assertThat(out.orThrow()).containsExactly(new SessionsEnded(V, "w07", List.of("h1"), EndReason.SIGNED_OUT, T0.plusSeconds(5)));
    assertThat(after(s, out).check("h1", T0.plusSeconds(6)).session()).isNull();
    assertThat(after(s, out).decideEndSession("h1", T0.plusSeconds(7))).as("a second sign-out").isEqualTo(Decision.none());

    StaffState next = signedIn(s, "h2", end.plusSeconds(1));
    assertThat(next.sessions()).as("the expired session is dropped when another starts").containsOnlyKeys("h2");
  }

  @Test
  void beyond_the_sessions_a_member_may_hold_the_oldest_ends() {
    StaffState s = withLiNa();
    for (int i = 1; i <= 3; i++) s = signedIn(s, "h" + i, T0.plusSeconds(i));

    s = s.apply(s.attempted("w07", T0.plusSeconds(10)));
    Decision<Event> fourth = s.decideStartSession("w07", 1, "h4", T0.plusSeconds(10), POLICY);

    assertThat(fourth.orThrow()).containsExactly(
        new SessionsEnded(V, "w07", List.of("h1"), EndReason.SUPERSEDED, T0.plusSeconds(10)),
        new SessionStarted(V, "w07", "h4", T0.plusSeconds(10), T0.plusSeconds(10).plus(Duration.ofHours(12))));
    assertThat(after(s, fourth).sessions()).containsOnlyKeys("h2", "h3", "h4");
    assertThat(refusal(after(s, fourth).decideStartSession("w07", 1, "h4", T0.plusSeconds(11), POLICY)))
        .isEqualTo(Rejection.VALIDATION_FAILED);
  }

  @Test
  void an_attempt_is_counted_before_its_pin_is_checked() {
    StaffState s = withLiNa();

    StaffState tried = s.apply(s.attempted("w07", T0));

    assertThat(s.attempted("w07", T0)).isEqualTo(new SignInAttempted(V, "w07", T0));
    assertThat(tried.members().get("w07").failedAttempts()).isEqualTo(1);
  }
}
