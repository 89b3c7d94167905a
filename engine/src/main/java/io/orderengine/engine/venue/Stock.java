package io.orderengine.engine.venue;

import io.orderengine.engine.CborSerializable;
import io.orderengine.engine.DomainEntity;
import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.table.Table;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * How many portions of each dish are left (库存). One writer for the whole venue, so the last
 * portions go to exactly as many orders as there are portions, whichever node the orders arrive on.
 *
 * <p>An order first <em>holds</em> its portions, all or nothing; the table's lines then confirm the
 * hold. A hold nobody confirms (its node died between the two steps) is checked against its table
 * when it expires: kept if the table has the lines, given back if not. A voided line gives its
 * portions back under a key made from the line, so a redelivery gives nothing twice.
 */
public final class Stock extends DomainEntity<Stock.Command, Stock.Event, Stock.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Stock");
  public static final String TAG = "stock";
  static final Duration HOLD_EXPIRES_AFTER = Duration.ofSeconds(30);
  static final Duration SWEEP_EVERY = Duration.ofSeconds(10);
  static final int REMEMBERED_KEYS = 4096;

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

  private record Sweep() implements Command {}

  private record HoldChecked(String holdId, boolean linesExist) implements Command {}

  private record TableSilent() implements Command {}

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

  // ---- pure core ----

  public record State(Map<String, Integer> levels, Map<String, HoldEntry> holds, List<String> appliedKeys)
      implements CborSerializable {

    static State empty() {
      return new State(Map.of(), Map.of(), List.of());
    }

    Levels levelsView() {
      return new Levels(levels);
    }

    List<Event> decideSetLevel(String sku, Integer level, Instant at) {
      if (level != null && level < 0) throw new Rejected(Rejection.VALIDATION_FAILED, "stock is 0 or more, or null");
      return List.of(new LevelSet(sku, level, at));
    }

    /** All or nothing: the first dish short names itself and what is left. */
    List<Event> decideHold(String holdId, String tableId, String requestId, Map<String, Integer> items, Instant at) {
      if (holds.containsKey(holdId) || appliedKeys.contains(holdId)) return List.of();
      for (Map.Entry<String, Integer> e : items.entrySet()) {
        Integer left = levels.get(e.getKey());
        if (left != null && left < e.getValue()) {
          throw outOfStock(e.getKey(), left);
        }
      }
      Map<String, Integer> limited = new LinkedHashMap<>();
      items.forEach((sku, qty) -> {
        if (levels.containsKey(sku)) limited.put(sku, qty);
      });
      // dishes without a limit hold nothing: most requests pass through without a write
      if (limited.isEmpty()) return List.of();
      return List.of(new Held(new HoldEntry(holdId, tableId, requestId, limited, at.plus(HOLD_EXPIRES_AFTER))));
    }

    List<Event> decideConfirm(String holdId) {
      return holds.containsKey(holdId) ? List.of(new HoldConfirmed(holdId)) : List.of();
    }

    List<Event> decideRelease(String holdId, String why) {
      return holds.containsKey(holdId) ? List.of(new HoldReleased(holdId, why)) : List.of();
    }

    List<Event> decideReturn(String returnId, Map<String, Integer> items, Instant at) {
      if (appliedKeys.contains(returnId)) return List.of();
      return List.of(new Returned(returnId, items, at));
    }

    List<HoldEntry> expired(Instant now) {
      return holds.values().stream().filter(h -> !h.expiresAt().isAfter(now)).toList();
    }

    State apply(Event event) {
      if (event instanceof LevelSet e) {
        Map<String, Integer> next = new LinkedHashMap<>(levels);
        if (e.level() == null) next.remove(e.sku());
        else next.put(e.sku(), e.level());
        return new State(next, holds, appliedKeys);
      }
      if (event instanceof Held e) {
        Map<String, Integer> next = new LinkedHashMap<>(levels);
        e.hold().items().forEach((sku, qty) -> next.computeIfPresent(sku, (k, left) -> left - qty));
        Map<String, HoldEntry> nextHolds = new LinkedHashMap<>(holds);
        nextHolds.put(e.hold().holdId(), e.hold());
        return new State(next, nextHolds, appliedKeys);
      }
      if (event instanceof HoldConfirmed e) {
        Map<String, HoldEntry> nextHolds = new LinkedHashMap<>(holds);
        nextHolds.remove(e.holdId());
        return new State(levels, nextHolds, remember(e.holdId()));
      }
      if (event instanceof HoldReleased e) {
        HoldEntry hold = holds.get(e.holdId());
        Map<String, Integer> next = new LinkedHashMap<>(levels);
        hold.items().forEach((sku, qty) -> next.computeIfPresent(sku, (k, left) -> left + qty));
        Map<String, HoldEntry> nextHolds = new LinkedHashMap<>(holds);
        nextHolds.remove(e.holdId());
        return new State(next, nextHolds, appliedKeys);
      }
      if (event instanceof Returned e) {
        Map<String, Integer> next = new LinkedHashMap<>(levels);
        e.items().forEach((sku, qty) -> next.computeIfPresent(sku, (k, left) -> left + qty));
        return new State(next, holds, remember(e.returnId()));
      }
      throw new IllegalStateException("unknown event " + event);
    }

    private List<String> remember(String key) {
      List<String> next = new ArrayList<>(appliedKeys);
      next.add(key);
      if (next.size() > REMEMBERED_KEYS) next = next.subList(next.size() - REMEMBERED_KEYS, next.size());
      return List.copyOf(next);
    }
  }

  /** OUT_OF_STOCK, naming the dish that is short and how many portions are left, so the POS can say so. */
  public static Rejected outOfStock(String sku, int available) {
    return new Rejected(Rejection.OUT_OF_STOCK, "not enough " + sku + " left", Map.of("sku", sku, "available", available));
  }

  // ---- shell ----

  public static final String VENUE_STOCK_ID = Venue.VENUE_ID;

  public static void init(ActorSystem<?> system) {
    ClusterSharding sharding = ClusterSharding.get(system);
    sharding.init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(),
        tableId -> sharding.entityRefFor(Table.ENTITY_KEY, tableId))));
  }

  public static Behavior<Command> create(String stockId, Function<String, RecipientRef<Table.Command>> tables) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay("sweep", new Sweep(), SWEEP_EVERY);
      return new Stock(stockId, ctx, tables);
    }));
  }

  private final ActorContext<Command> ctx;
  private final Function<String, RecipientRef<Table.Command>> tables;

  private Stock(String stockId, ActorContext<Command> ctx, Function<String, RecipientRef<Table.Command>> tables) {
    super(PersistenceId.of(ENTITY_KEY.name(), stockId));
    this.ctx = ctx;
    this.tables = tables;
  }

  @Override
  public State emptyState() {
    return State.empty();
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(SetLevel.class, (s, c) -> decide(c.replyTo(), () -> s.decideSetLevel(c.sku(), c.level(), c.at()), State::levelsView))
        .onCommand(Hold.class, (s, c) -> decide(c.replyTo(),
            () -> s.decideHold(c.holdId(), c.tableId(), c.requestId(), c.items(), c.at()), State::levelsView))
        .onCommand(Confirm.class, (s, c) -> decide(c.replyTo(), () -> s.decideConfirm(c.holdId()), x -> Done.getInstance()))
        .onCommand(CancelHold.class, (s, c) -> decide(c.replyTo(), () -> s.decideRelease(c.holdId(), "cancelled"), x -> Done.getInstance()))
        .onCommand(Return.class, (s, c) -> decide(c.replyTo(), () -> s.decideReturn(c.returnId(), c.items(), c.at()), x -> Done.getInstance()))
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), s.levelsView()))
        .onCommand(Sweep.class, (s, c) -> {
          s.expired(Instant.now()).forEach(this::checkWithTable);
          return Effect().noReply();
        })
        .onCommand(TableSilent.class, (s, c) -> Effect().noReply())
        .onCommand(HoldChecked.class, (s, c) -> {
          List<Event> events = c.linesExist() ? s.decideConfirm(c.holdId()) : s.decideRelease(c.holdId(), "expired");
          return Effect().persist(events).thenNoReply();
        })
        .build();
  }

  /** Asks the hold's table whether the request that made it left lines; no answer leaves the hold for the next sweep. */
  private void checkWithTable(HoldEntry hold) {
    ctx.ask(Boolean.class, tables.apply(hold.tableId()), Duration.ofSeconds(5),
        replyTo -> new Table.HasRequest(hold.requestId(), replyTo),
        (exists, failure) -> failure == null ? new HoldChecked(hold.holdId(), exists) : new TableSilent());
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(State::apply);
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return Set.of(TAG);
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(100, 2);
  }
}
