package io.orderengine.engine.shift;

import io.orderengine.engine.CborSerializable;
import io.orderengine.engine.DomainEntity;
import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * A cashier's shift at the till (出纳): opened with a float, cash paid in or out by hand, closed with
 * the cash counted. The cash the shift's tenders took and its refunds gave back come from the books
 * (the report tables) when it closes; the shift keeps what the drawer should hold and the variance.
 */
public final class Shift extends DomainEntity<Shift.Command, Shift.Event, Shift.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Shift");
  public static final String TAG = "shift";

  public enum Status {
    NONE,
    OPEN,
    CLOSED
  }

  public sealed interface Command extends CborSerializable {}

  public record Open(String cashier, String openedBy, long openingFloatMinor, Instant at, ActorRef<StatusReply<View>> replyTo)
      implements Command {}

  /** Cash put into (positive) or taken out of (negative) the drawer by hand, keyed by its request. */
  public record Move(String requestId, long amountMinor, String reason, Instant at, ActorRef<StatusReply<View>> replyTo)
      implements Command {}

  public record Close(long countedCashMinor, long cashTakenMinor, long cashRefundedMinor, Instant at,
      ActorRef<StatusReply<View>> replyTo) implements Command {}

  public record Get(ActorRef<View> replyTo) implements Command {}

  public sealed interface Event extends CborSerializable {
    String shiftId();
  }

  public record Opened(String shiftId, String cashier, String openedBy, long openingFloatMinor, Instant at) implements Event {}

  public record CashMoved(String shiftId, String requestId, long amountMinor, String reason, Instant at) implements Event {}

  public record Closed(String shiftId, long cashTakenMinor, long cashRefundedMinor, long expectedCashMinor,
      long countedCashMinor, long varianceMinor, Instant at) implements Event {}

  public record CashMove(String requestId, long amountMinor, String reason, Instant at) implements CborSerializable {}

  public record View(String shiftId, Status status, String cashier, String openedBy, long openingFloatMinor,
      List<CashMove> moves, Instant openedAt, Instant closedAt, Long cashTakenMinor, Long cashRefundedMinor,
      Long expectedCashMinor, Long countedCashMinor, Long varianceMinor) implements CborSerializable {

    public long movedMinor() {
      return moves.stream().mapToLong(CashMove::amountMinor).sum();
    }
  }

  public record State(View view) implements CborSerializable {
    static State empty(String shiftId) {
      return new State(new View(shiftId, Status.NONE, null, null, 0, List.of(), null, null, null, null, null, null, null));
    }

    List<Event> decideOpen(String cashier, String openedBy, long openingFloat, Instant at) {
      if (view.status() != Status.NONE) return List.of();
      if (openingFloat < 0) throw new Rejected(Rejection.VALIDATION_FAILED, "the opening float is 0 or more");
      return List.of(new Opened(view.shiftId(), cashier, openedBy, openingFloat, at));
    }

    List<Event> decideMove(String requestId, long amount, String reason, Instant at) {
      requireOpen();
      if (view.moves().stream().anyMatch(m -> m.requestId().equals(requestId))) return List.of();
      if (amount == 0) throw new Rejected(Rejection.VALIDATION_FAILED, "a pay-in or pay-out moves some cash");
      return List.of(new CashMoved(view.shiftId(), requestId, amount, reason, at));
    }

    /** What the drawer should hold: the float, hand moves, cash taken, less cash given back. */
    List<Event> decideClose(long counted, long taken, long refunded, Instant at) {
      if (view.status() == Status.CLOSED) return List.of();
      requireOpen();
      long expected = view.openingFloatMinor() + view.movedMinor() + taken - refunded;
      return List.of(new Closed(view.shiftId(), taken, refunded, expected, counted, counted - expected, at));
    }

    private void requireOpen() {
      if (view.status() == Status.NONE) throw new Rejected(Rejection.NOT_FOUND, "no shift " + view.shiftId());
      if (view.status() == Status.CLOSED) throw new Rejected(Rejection.SHIFT_CLOSED, "shift " + view.shiftId() + " is closed");
    }

    State apply(Event event) {
      View v = view;
      if (event instanceof Opened e) {
        return new State(new View(v.shiftId(), Status.OPEN, e.cashier(), e.openedBy(), e.openingFloatMinor(), List.of(),
            e.at(), null, null, null, null, null, null));
      }
      if (event instanceof CashMoved e) {
        List<CashMove> next = new ArrayList<>(v.moves());
        next.add(new CashMove(e.requestId(), e.amountMinor(), e.reason(), e.at()));
        return new State(new View(v.shiftId(), v.status(), v.cashier(), v.openedBy(), v.openingFloatMinor(), List.copyOf(next),
            v.openedAt(), null, null, null, null, null, null));
      }
      if (event instanceof Closed e) {
        return new State(new View(v.shiftId(), Status.CLOSED, v.cashier(), v.openedBy(), v.openingFloatMinor(), v.moves(),
            v.openedAt(), e.at(), e.cashTakenMinor(), e.cashRefundedMinor(), e.expectedCashMinor(), e.countedCashMinor(),
            e.varianceMinor()));
      }
      throw new IllegalStateException("unknown event " + event);
    }
  }

  public static void init(ActorSystem<?> system) {
    ClusterSharding.get(system).init(Entity.of(ENTITY_KEY, ctx -> new Shift(ctx.getEntityId())));
  }

  public static Shift create(String shiftId) {
    return new Shift(shiftId);
  }

  private final String shiftId;

  private Shift(String shiftId) {
    super(PersistenceId.of(ENTITY_KEY.name(), shiftId));
    this.shiftId = shiftId;
  }

  @Override
  public State emptyState() {
    return State.empty(shiftId);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Open.class, (s, c) -> decide(c.replyTo(), () -> s.decideOpen(c.cashier(), c.openedBy(), c.openingFloatMinor(), c.at())))
        .onCommand(Move.class, (s, c) -> decide(c.replyTo(), () -> s.decideMove(c.requestId(), c.amountMinor(), c.reason(), c.at())))
        .onCommand(Close.class, (s, c) -> decide(c.replyTo(),
            () -> s.decideClose(c.countedCashMinor(), c.cashTakenMinor(), c.cashRefundedMinor(), c.at())))
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), s.view()))
        .build();
  }

  private ReplyEffect<Event, State> decide(ActorRef<StatusReply<View>> replyTo, Supplier<List<Event>> decision) {
    return decide(replyTo, decision, State::view);
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(State::apply);
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return Set.of(TAG);
  }
}
