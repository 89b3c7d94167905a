package io.orderengine.engine.shift;

import io.orderengine.engine.CborSerializable;
import io.orderengine.engine.Decision;
import io.orderengine.engine.DomainEntity;
import io.orderengine.engine.shift.ShiftState.Ended;
import io.orderengine.engine.shift.ShiftState.Running;
import io.orderengine.engine.shift.ShiftState.Unopened;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReplyBuilder;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * A cashier's shift at the till (出纳): opened with a float, cash paid in or out by hand, closed with
 * the cash counted. The cash the shift's tenders took and its refunds gave back come from the books
 * (the report tables) when it closes; the shift keeps what the drawer should hold and the variance.
 * The decisions are {@link ShiftState}'s, one record per stage.
 */
public final class Shift extends DomainEntity<Shift.Command, Shift.Event, ShiftState> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Shift");
  public static final String TAG = "shift";

  public enum Status {
    NONE,
    OPEN,
    CLOSED
  }

  // ---- protocol ----

  public sealed interface Command extends CborSerializable {}

  /** Opening a shift that was opened before, or has closed, changes nothing and answers its view. */
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

  // ---- shell ----

  public static void init(ActorSystem<?> system) {
    ClusterSharding.get(system).init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId())));
  }

  public static Shift create(String shiftId) {
    return new Shift(shiftId);
  }

  private final String shiftId;

  private Shift(String shiftId) {
    super(ENTITY_KEY, shiftId, TAG);
    this.shiftId = shiftId;
  }

  @Override
  public ShiftState emptyState() {
    return ShiftState.empty(shiftId);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, ShiftState> commandHandler() {
    CommandHandlerWithReplyBuilder<Command, Event, ShiftState> b = newCommandHandlerWithReplyBuilder();
    b.forStateType(Unopened.class)
        .onCommand(Open.class, (s, c) -> answer(s.decideOpen(c.cashier(), c.openedBy(), c.openingFloatMinor(), c.at()), c.replyTo()))
        .onCommand(Move.class, (s, c) -> answer(s.notFound(), c.replyTo()))
        .onCommand(Close.class, (s, c) -> answer(s.notFound(), c.replyTo()));
    b.forStateType(Running.class)
        .onCommand(Open.class, (s, c) -> answer(Decision.none(), c.replyTo()))
        .onCommand(Move.class, (s, c) -> answer(s.decideMove(c.requestId(), c.amountMinor(), c.reason(), c.at()), c.replyTo()))
        .onCommand(Close.class, (s, c) -> answer(
            s.decideClose(c.countedCashMinor(), c.cashTakenMinor(), c.cashRefundedMinor(), c.at()), c.replyTo()));
    b.forStateType(Ended.class)
        .onCommand(Open.class, (s, c) -> answer(Decision.none(), c.replyTo()))
        .onCommand(Move.class, (s, c) -> answer(s.closed(), c.replyTo()))
        .onCommand(Close.class, (s, c) -> answer(Decision.none(), c.replyTo()));
    b.forAnyState().onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), s.view()));
    return b.build();
  }

  private ReplyEffect<Event, ShiftState> answer(Decision<Event> decision, ActorRef<StatusReply<View>> replyTo) {
    return decide(decision, replyTo, ShiftState::view);
  }
}
