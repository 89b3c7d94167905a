package io.orderengine.engine.shift;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderengine.engine.EntityTestKitConfig;
import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.shift.Shift.Status;
import io.orderengine.engine.shift.Shift.View;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shift in its shell, on the in-memory journal: each stage's commands, replies and recovery. */
class ShiftEntityTest {

  static final Instant T0 = Instant.parse("2025-05-01T08:00:00Z");
  static final Instant T1 = T0.plusSeconds(3600);

  private static final AtomicInteger SHIFTS = new AtomicInteger();
  private static ActorTestKit testKit;

  private String shiftId;
  private EventSourcedBehaviorTestKit<Shift.Command, Shift.Event, ShiftState> shift;

  @BeforeAll
  static void startSystem() {
    testKit = ActorTestKit.create(EntityTestKitConfig.config());
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void newShift() {
    shiftId = "shift-" + SHIFTS.incrementAndGet();
    shift = EventSourcedBehaviorTestKit.create(testKit.system(), Shift.create(shiftId));
  }

  private CommandResultWithReply<Shift.Command, Shift.Event, ShiftState, StatusReply<View>> open(long openingFloat) {
    return shift.runCommand(r -> new Shift.Open("mei", "lead", openingFloat, T0, r));
  }

  private CommandResultWithReply<Shift.Command, Shift.Event, ShiftState, StatusReply<View>> move(String id, long amount) {
    return shift.runCommand(r -> new Shift.Move(id, amount, "by hand", T1, r));
  }

  private CommandResultWithReply<Shift.Command, Shift.Event, ShiftState, StatusReply<View>> close(long counted) {
    return shift.runCommand(r -> new Shift.Close(counted, 30_000, 0, T1, r));
  }

  private static View ok(StatusReply<View> reply) {
    assertThat(reply.isSuccess()).as("reply %s", reply).isTrue();
    return reply.getValue();
  }

  private static Rejection rejection(StatusReply<?> reply) {
    assertThat(reply.isError()).as("reply %s", reply).isTrue();
    return ((Rejected) reply.getError()).code();
  }

  @Test
  void a_shift_nobody_opened_is_not_found() {
    assertThat(shift.<View>runCommand(Shift.Get::new).reply().status()).isEqualTo(Status.NONE);
    assertThat(rejection(move("m1", 100).reply())).isEqualTo(Rejection.NOT_FOUND);
    assertThat(rejection(close(0).reply())).isEqualTo(Rejection.NOT_FOUND);
    assertThat(shift.persistenceTestKit().persistedInStorage("Shift|" + shiftId)).isEmpty();
  }

  @Test
  void a_shift_opens_once_moves_cash_and_closes_with_its_variance() {
    var opened = open(50_000);
    var again = open(99_999);
    var moved = move("m1", 5_000);
    var movedAgain = move("m1", 5_000);
    var closed = close(84_000);

    assertThat(opened.event()).isEqualTo(new Shift.Opened(shiftId, "mei", "lead", 50_000, T0));
    assertThat(again.hasNoEvents()).isTrue();
    assertThat(ok(again.reply()).openingFloatMinor()).isEqualTo(50_000);
    assertThat(moved.event()).isEqualTo(new Shift.CashMoved(shiftId, "m1", 5_000, "by hand", T1));
    assertThat(movedAgain.hasNoEvents()).isTrue();
    assertThat(closed.event()).isEqualTo(new Shift.Closed(shiftId, 30_000, 0, 85_000, 84_000, -1_000, T1));
    assertThat(ok(closed.reply()).status()).isEqualTo(Status.CLOSED);
    assertThat(ok(closed.reply()).varianceMinor()).isEqualTo(-1_000);
  }

  @Test
  void a_closed_shift_refuses_cash_and_answers_a_second_close_and_open_with_its_view() {
    open(50_000);
    close(80_000);

    assertThat(rejection(move("m2", 100).reply())).isEqualTo(Rejection.SHIFT_CLOSED);
    var closedAgain = close(1);
    assertThat(closedAgain.hasNoEvents()).isTrue();
    assertThat(ok(closedAgain.reply()).countedCashMinor()).isEqualTo(80_000);
    assertThat(ok(open(1).reply()).status()).isEqualTo(Status.CLOSED);
  }

  @Test
  void each_stage_survives_a_restart() {
    open(50_000);
    move("m1", -2_000);

    ShiftState running = shift.restart().state();
    assertThat(running).isInstanceOf(ShiftState.Running.class);
    assertThat(running.view().movedMinor()).isEqualTo(-2_000);
    assertThat(move("m1", -2_000).hasNoEvents()).as("the request is remembered across the restart").isTrue();

    close(78_000);
    ShiftState ended = shift.restart().state();
    assertThat(ended).isInstanceOf(ShiftState.Ended.class);
    assertThat(ended.view().expectedCashMinor()).isEqualTo(78_000);
    assertThat(ended.view().varianceMinor()).isZero();
    assertThat(rejection(move("m3", 1).reply())).isEqualTo(Rejection.SHIFT_CLOSED);
  }
}
