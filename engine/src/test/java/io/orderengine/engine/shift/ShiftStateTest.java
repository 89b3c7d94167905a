package io.orderengine.engine.shift;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderengine.engine.Decision;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.shift.Shift.CashMoved;
import io.orderengine.engine.shift.Shift.Closed;
import io.orderengine.engine.shift.Shift.Event;
import io.orderengine.engine.shift.Shift.Opened;
import io.orderengine.engine.shift.Shift.Status;
import io.orderengine.engine.shift.ShiftState.Ended;
import io.orderengine.engine.shift.ShiftState.Running;
import io.orderengine.engine.shift.ShiftState.Unopened;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A shift's pure core, given / when / then. */
class ShiftStateTest {

  static final String SHIFT = "2025-05-01-till-1";
  static final Instant T0 = Instant.parse("2025-05-01T08:00:00Z");
  static final Instant T1 = T0.plusSeconds(3600);
  static final Instant T2 = T0.plusSeconds(8 * 3600);

  static ShiftState after(ShiftState s, Decision<Event> decision) {
    for (Event e : decision.orThrow()) s = s.apply(e);
    return s;
  }

  static Running running(long openingFloat) {
    Unopened none = new Unopened(SHIFT);
    return (Running) after(none, none.decideOpen("mei", "lead", openingFloat, T0));
  }

  static Rejection refusal(Decision<?> decision) {
    assertThat(decision).isInstanceOf(Decision.Refused.class);
    return ((Decision.Refused<?>) decision).code();
  }

  @Test
  void a_shift_opens_with_its_float() {
    Unopened none = (Unopened) ShiftState.empty(SHIFT);

    Decision<Event> opened = none.decideOpen("mei", "lead", 50_000, T0);

    assertThat(opened.orThrow()).containsExactly(new Opened(SHIFT, "mei", "lead", 50_000, T0));
    assertThat(none.view().status()).isEqualTo(Status.NONE);
    var view = after(none, opened).view();
    assertThat(view.status()).isEqualTo(Status.OPEN);
    assertThat(view.cashier()).isEqualTo("mei");
    assertThat(view.openingFloatMinor()).isEqualTo(50_000);
    assertThat(view.openedAt()).isEqualTo(T0);
  }

  @Test
  void a_negative_float_is_refused_and_a_shift_nobody_opened_is_not_found() {
    Unopened none = new Unopened(SHIFT);

    assertThat(refusal(none.decideOpen("mei", "lead", -1, T0))).isEqualTo(Rejection.VALIDATION_FAILED);
    assertThat(refusal(none.notFound())).isEqualTo(Rejection.NOT_FOUND);
  }

  @Test
  void cash_moves_once_per_request_and_never_by_zero() {
    Running s = running(50_000);

    Decision<Event> payIn = s.decideMove("m1", 10_000, "change from the bank", T1);

    assertThat(payIn.orThrow()).containsExactly(new CashMoved(SHIFT, "m1", 10_000, "change from the bank", T1));
    Running moved = (Running) after(s, payIn);
    assertThat(moved.decideMove("m1", 10_000, "change from the bank", T1)).isEqualTo(Decision.none());
    assertThat(refusal(moved.decideMove("m2", 0, "nothing", T1))).isEqualTo(Rejection.VALIDATION_FAILED);
    Running paidOut = (Running) after(moved, moved.decideMove("m2", -2_500, "ice", T1));
    assertThat(paidOut.view().movedMinor()).isEqualTo(7_500);
    assertThat(paidOut.view().moves()).extracting(Shift.CashMove::requestId).containsExactly("m1", "m2");
  }

  @Test
  void closing_counts_what_the_drawer_should_hold_and_the_variance() {
    Running s = (Running) after(running(50_000), running(50_000).decideMove("m1", -2_000, "ice", T1));

    Decision<Event> closed = s.decideClose(127_500, 90_000, 10_000, T2);

    // 50000 float - 2000 paid out + 90000 taken - 10000 refunded = 128000 expected; 127500 counted
    assertThat(closed.orThrow()).containsExactly(new Closed(SHIFT, 90_000, 10_000, 128_000, 127_500, -500, T2));
    ShiftState ended = after(s, closed);
    assertThat(ended).isInstanceOf(Ended.class);
    var view = ended.view();
    assertThat(view.status()).isEqualTo(Status.CLOSED);
    assertThat(view.closedAt()).isEqualTo(T2);
    assertThat(view.expectedCashMinor()).isEqualTo(128_000);
    assertThat(view.varianceMinor()).isEqualTo(-500);
    assertThat(view.moves()).hasSize(1);
    assertThat(view.openingFloatMinor()).isEqualTo(50_000);
    assertThat(refusal(((Ended) ended).closed())).isEqualTo(Rejection.SHIFT_CLOSED);
  }
}
