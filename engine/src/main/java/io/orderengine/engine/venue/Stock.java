package io.orderengine.engine.venue;

import io.orderengine.engine.CborSerializable;
import io.orderengine.engine.Courier;
import io.orderengine.engine.Decision;
import io.orderengine.engine.DomainEntity;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * How many portions of each dish are left (库存). One writer for the whole venue, so the last
 * portions go to exactly as many orders as there are portions, whichever node the orders arrive on.
 *
 * <p>An order first <em>holds</em> its portions, all or nothing; the table's lines then confirm the
 * hold. A hold nobody confirms (its node died between the two steps) is checked, once it expires,
 * through the {@link HoldCheck} the stock was given: kept if the request left lines, given back if
 * not. The {@link Courier} asks until it has an answer. A voided line gives its portions back under a
 * key made from the line, so a redelivery gives nothing twice. The decisions are {@link StockState}'s.
 */
public final class Stock extends DomainEntity<Stock.Command, Stock.Event, StockState> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Stock");
  public static final String TAG = "stock";

  /** The stock's port to whoever holds the orders: did the request that made a hold leave lines? */
  public interface HoldCheck {
    CompletionStage<Boolean> landed(String tableId, String requestId);
  }

  // ---- protocol ----

  public sealed interface Command extends CborSerializable {}

  /** {@code level} null makes the dish unlimited again. */
  public record SetLevel(String sku, Integer level, Instant at, ActorRef<StatusReply<Levels>> replyTo) implements Command {}

  public record Hold(String holdId, String tableId, String requestId, Map<String, Integer> items, Instant at,
      ActorRef<StatusReply<Levels>> replyTo) implements Command {}

  public record Confirm(String holdId, ActorRef<StatusReply<Done>> replyTo) implements Command {}

  public record CancelHold(String holdId, ActorRef<StatusReply<Done>> replyTo) implements Command {}

  /** Portions come back (a voided line); {@code returnId} makes it happen once. */
  public record Return(String returnId, Map<String, Integer> items, Instant at, ActorRef<StatusReply<Done>> replyTo)
      implements Command {}

  public record Get(ActorRef<Levels> replyTo) implements Command {}

  /** The next hold's expiry came: its check is owed. */
  private record Expiry() implements Command {}

  /** What became of a hold's check (keyed by the hold id). */
  private record Checked(Courier.Report report) implements Command {}

  public sealed interface Event extends CborSerializable {}

  public record LevelSet(String sku, Integer level, Instant at) implements Event {}

  public record Held(HoldEntry hold) implements Event {}

  public record HoldConfirmed(String holdId) implements Event {}

  public record HoldReleased(String holdId, String why) implements Event {}

  public record Returned(String returnId, Map<String, Integer> items, Instant at) implements Event {}

  // ---- values ----

  public record HoldEntry(String holdId, String tableId, String requestId, Map<String, Integer> items, Instant expiresAt)
      implements CborSerializable {}

  /** What is left of every dish with a limit; a dish not named here is unlimited. */
  public record Levels(Map<String, Integer> remaining) implements CborSerializable {
    public Integer of(String sku) {
      return remaining.get(sku);
    }
  }

  // ---- shell ----

  public static void init(ActorSystem<?> system, HoldCheck holdCheck) {
    ClusterSharding.get(system).init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), holdCheck)));
  }

  public static Behavior<Command> create(String stockId, HoldCheck holdCheck) {
    return create(stockId, holdCheck, StockState.RECHECK_AFTER);
  }

  /** {@code recheckAfter}: how long an unanswered check waits to be asked again (tests shorten it). */
  static Behavior<Command> create(String stockId, HoldCheck holdCheck, Duration recheckAfter) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new Stock(stockId, ctx, timers, holdCheck, recheckAfter)));
  }

  private static final String EXPIRY_TIMER = "expiry";

  private final TimerScheduler<Command> timers;
  private final Courier<Command, HoldEntry> courier;

  private Stock(String stockId, ActorContext<Command> ctx, TimerScheduler<Command> timers, HoldCheck holdCheck,
      Duration recheckAfter) {
    super(ENTITY_KEY, stockId, TAG);
    this.timers = timers;
    this.courier = new Courier<>(ctx, timers, Checked::new, HoldEntry::holdId,
        hold -> holdCheck.landed(hold.tableId(), hold.requestId()), recheckAfter);
  }

  @Override
  public StockState emptyState() {
    return StockState.empty();
  }

  @Override
  public CommandHandlerWithReply<Command, Event, StockState> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(SetLevel.class, (s, c) ->
            decide(s.decideSetLevel(c.sku(), c.level(), c.at()), c.replyTo(), StockState::levelsView,
                (after, events) -> follow(after)))
        .onCommand(Hold.class, (s, c) -> decide(s.decideHold(c.holdId(), c.tableId(), c.requestId(), c.items(), c.at()),
            c.replyTo(), StockState::levelsView, (after, events) -> follow(after)))
        .onCommand(Confirm.class, (s, c) ->
            decide(s.decideConfirm(c.holdId()), c.replyTo(), done(), (after, events) -> follow(after)))
        .onCommand(CancelHold.class, (s, c) ->
            decide(s.decideRelease(c.holdId(), "cancelled"), c.replyTo(), done(), (after, events) -> follow(after)))
        .onCommand(Return.class, (s, c) ->
            decide(s.decideReturn(c.returnId(), c.items(), c.at()), c.replyTo(), done(), (after, events) -> follow(after)))
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), s.levelsView()))
        .onCommand(Expiry.class, (s, c) -> {
          follow(s);
          return Effect().noReply();
        })
        .onCommand(Checked.class, (s, c) -> checked(s, c.report()))
        .build();
  }

  private ReplyEffect<Event, StockState> checked(StockState s, Courier.Report report) {
    Instant now = Instant.now();
    // Failed: the courier asks again; Refused cannot come from a yes-or-no question, the next change asks again
    Optional<List<Event>> decided = courier.handle(report, () -> s.owed(now), failedKey -> {},
        (key, answer) -> s.decideChecked(key, (Boolean) answer).orThrow(), (key, refusal) -> List.<Event>of());
    if (report instanceof Courier.Resend) follow(s); // and wake at the next expiry, as after any change
    if (decided.isEmpty() || decided.get().isEmpty()) return Effect().noReply();
    return Effect().persist(decided.get()).thenRun(this::follow).thenNoReply();
  }

  /** Checks the expired holds, and wakes when the next one expires. */
  private void follow(StockState s) {
    Instant now = Instant.now();
    courier.deliver(s.owed(now));
    s.nextExpiryAfter(now).ifPresentOrElse(
        at -> timers.startSingleTimer(EXPIRY_TIMER, new Expiry(), Duration.between(now, at)),
        () -> timers.cancel(EXPIRY_TIMER));
  }

  private static Function<StockState, Done> done() {
    return s -> Done.getInstance();
  }

  @Override
  public SignalHandler<StockState> signalHandler() {
    return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), this::follow).build();
  }
}
