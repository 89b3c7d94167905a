package io.orderengine.engine.shift;

import io.orderengine.engine.CborSerializable;
import io.orderengine.engine.Decision;
import io.orderengine.engine.DomainEntity;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.shift.Shift.CashMove;
import io.orderengine.engine.shift.Shift.CashMoved;
import io.orderengine.engine.shift.Shift.Closed;
import io.orderengine.engine.shift.Shift.Event;
import io.orderengine.engine.shift.Shift.Opened;
import io.orderengine.engine.shift.Shift.Status;
import io.orderengine.engine.shift.Shift.View;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A shift's pure core, one record per stage: not yet opened, running at the till, ended with the
 * drawer counted. Each stage decides only what can happen in it.
 */
public sealed interface ShiftState extends CborSerializable, DomainEntity.Evolving<Event, ShiftState> {

  View view();

  static ShiftState empty(String shiftId) {
    return new Unopened(shiftId);
  }

  record Unopened(String shiftId) implements ShiftState {

    public Decision<Event> decideOpen(String cashier, String openedBy, long openingFloat, Instant at) {
      if (openingFloat < 0) return Decision.refuse(Rejection.VALIDATION_FAILED, "the opening float is 0 or more");
      return Decision.accept(new Opened(shiftId, cashier, openedBy, openingFloat, at));
    }

    /** Cash cannot move through, nor be counted in, a shift nobody opened. */
    public <E> Decision<E> notFound() {
      return Decision.refuse(Rejection.NOT_FOUND, "no shift " + shiftId);
    }

    @Override
    public ShiftState apply(Event event) {
      if (event instanceof Opened e) {
        return new Running(shiftId, e.cashier(), e.openedBy(), e.openingFloatMinor(), List.of(), e.at());
      }
      throw new IllegalStateException("shift " + shiftId + " is not open for " + event);
    }

    @Override
    public View view() {
      return new View(shiftId, Status.NONE, null, null, 0, List.of(), null, null, null, null, null, null, null);
    }
  }

  record Running(String shiftId, String cashier, String openedBy, long openingFloatMinor, List<CashMove> moves,
      Instant openedAt) implements ShiftState {

    public Decision<Event> decideMove(String requestId, long amount, String reason, Instant at) {
      if (moves.stream().anyMatch(m -> m.requestId().equals(requestId))) return Decision.none();
      if (amount == 0) return Decision.refuse(Rejection.VALIDATION_FAILED, "a pay-in or pay-out moves some cash");
      return Decision.accept(new CashMoved(shiftId, requestId, amount, reason, at));
    }

    /** What the drawer should hold: the float, hand moves, cash taken, less cash given back. */
    public Decision<Event> decideClose(long counted, long taken, long refunded, Instant at) {
      long expected = openingFloatMinor + movedMinor() + taken - refunded;
      return Decision.accept(new Closed(shiftId, taken, refunded, expected, counted, counted - expected, at));
    }

    long movedMinor() {
      return moves.stream().mapToLong(CashMove::amountMinor).sum();
    }

    private Running withMove(CashMove move) {
      List<CashMove> next = new ArrayList<>(moves);
      next.add(move);
      return new Running(shiftId, cashier, openedBy, openingFloatMinor, List.copyOf(next), openedAt);
    }

    @Override
    public ShiftState apply(Event event) {
      if (event instanceof CashMoved e) return withMove(new CashMove(e.requestId(), e.amountMinor(), e.reason(), e.at()));
      if (event instanceof Closed e) return new Ended(this, e);
      throw new IllegalStateException("shift " + shiftId + " is running, " + event + " does not apply");
    }

    @Override
    public View view() {
      return new View(shiftId, Status.OPEN, cashier, openedBy, openingFloatMinor, moves, openedAt, null, null, null, null,
          null, null);
    }
  }

  /** The running shift as it was when it closed, and the count that closed it. */
  record Ended(Running shift, Closed closing) implements ShiftState {

    public <E> Decision<E> closed() {
      return Decision.refuse(Rejection.SHIFT_CLOSED, "shift " + shift.shiftId() + " is closed");
    }

    @Override
    public ShiftState apply(Event event) {
      throw new IllegalStateException("shift " + shift.shiftId() + " is closed, " + event + " does not apply");
    }

    @Override
    public View view() {
      Running s = shift;
      Closed c = closing;
      return new View(s.shiftId(), Status.CLOSED, s.cashier(), s.openedBy(), s.openingFloatMinor(), s.moves(),
          s.openedAt(), c.at(), c.cashTakenMinor(), c.cashRefundedMinor(), c.expectedCashMinor(), c.countedCashMinor(),
          c.varianceMinor());
    }
  }
}
