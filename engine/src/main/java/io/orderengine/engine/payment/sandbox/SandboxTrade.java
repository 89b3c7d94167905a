package io.orderengine.engine.payment.sandbox;

import io.orderengine.engine.CborSerializable;
import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.payment.Provider;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import io.orderengine.engine.DomainEntity;
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
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * One trade at a sandbox wallet or card terminal: the stand-in for the outside world that the
 * engine's payment sagas talk to. It behaves as the real providers do: a trade number cannot be
 * reused for another amount, a scanned code may wait for the customer ({@code USERPAYING}), a paid
 * trade is announced by a signed callback that is re-sent on the provider's schedule until the
 * merchant acknowledges it, and a refund is accepted first and succeeds a moment later.
 *
 * <p>It keeps its trades in the journal, so, like a real wallet, it remembers them when the node
 * restarts.
 */
public final class SandboxTrade
    extends DomainEntity<SandboxTrade.Command, SandboxTrade.Event, SandboxTrade.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "SandboxTrade");
  /** WeChat Pay re-sends at 15s, 15s, 30s, 3m, 10m, 20m, 30m...; the sandbox keeps the rhythm, compressed. */
  static final List<Duration> CALLBACK_SCHEDULE = List.of(
      Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
      Duration.ofSeconds(8), Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofSeconds(60),
      Duration.ofSeconds(120), Duration.ofSeconds(300));
  static final Duration REFUND_MATURES_AFTER = Duration.ofSeconds(1);

  public static String entityId(Provider provider, String tradeNo) {
    return provider.wire() + ":" + tradeNo;
  }

  public enum TradeState {
    NOTPAY,
    USERPAYING,
    SUCCESS,
    CLOSED,
    PAYERROR
  }

  public enum RefundState {
    PROCESSING,
    SUCCESS
  }

  // ---- protocol ----

  public sealed interface Command extends CborSerializable {}

  /** Creates the trade; {@code authCode} null makes a QR trade the customer pays by scanning. */
  public record Create(long amountMinor, String description, String authCode, Instant at,
      ActorRef<StatusReply<View>> replyTo) implements Command {}

  public record CustomerPays(Instant at, ActorRef<StatusReply<View>> replyTo) implements Command {}

  public record CustomerDeclines(String reason, Instant at, ActorRef<StatusReply<View>> replyTo) implements Command {}

  public record Close(Instant at, ActorRef<View> replyTo) implements Command {}

  public record Query(ActorRef<View> replyTo) implements Command {}

  public record Refund(String refundNo, long amountMinor, Instant at, ActorRef<StatusReply<View>> replyTo)
      implements Command {}

  /** Sends the last callback once more, as real gateways sometimes do. */
  public record Redeliver(ActorRef<StatusReply<View>> replyTo) implements Command {}

  private record DeliverCallback(boolean once) implements Command {}

  private record CallbackAnswered(String notificationId, boolean acknowledged, boolean once) implements Command {}

  private record RefundMatured(String refundNo) implements Command {}

  public sealed interface Event extends CborSerializable {}

  public record Created(Provider provider, String tradeNo, long amountMinor, String description, boolean qr,
      TradeState initial, String reason, Instant at) implements Event {}

  public record Paid(String transactionId, Instant at) implements Event {}

  public record Declined(String reason, Instant at) implements Event {}

  public record Closed(Instant at) implements Event {}

  public record RefundAccepted(String refundNo, long amountMinor, Instant at) implements Event {}

  public record RefundSucceeded(String refundNo, Instant at) implements Event {}

  public record CallbackAcknowledged(String notificationId) implements Event {}

  // ---- views ----

  public record RefundView(String refundNo, long amountMinor, RefundState state) implements CborSerializable {}

  public record View(boolean exists, Provider provider, String tradeNo, long amountMinor, String description,
      boolean qr, TradeState state, String transactionId, String reason, List<RefundView> refunds,
      int callbacksSent, boolean callbackAcknowledged, Instant createdAt, Instant finishedAt)
      implements CborSerializable {

    public Optional<RefundView> refund(String refundNo) {
      return refunds.stream().filter(r -> r.refundNo().equals(refundNo)).findFirst();
    }
  }

  // ---- pure core ----

  public record State(Provider provider, String tradeNo, boolean exists, long amountMinor, String description,
      boolean qr, TradeState state, String transactionId, String reason, List<RefundView> refunds,
      int notifications, String acknowledgedNotification, Instant createdAt, Instant finishedAt)
      implements CborSerializable {

    public static State empty(Provider provider, String tradeNo) {
      return new State(provider, tradeNo, false, 0, null, false, null, null, null, List.of(), 0, null, null, null);
    }

    /** The notification that announces the trade's current final state; null while nothing is final. */
    String currentNotification() {
      return notifications == 0 ? null : tradeNo + "-N" + notifications;
    }

    boolean callbackOwed() {
      return currentNotification() != null && !currentNotification().equals(acknowledgedNotification);
    }

    List<Event> decideCreate(long amount, String description, String authCode, Instant at) {
      if (exists) {
        if (amount != amountMinor) {
          throw new Rejected(Rejection.VALIDATION_FAILED,
              "trade number " + tradeNo + " was already used for " + amountMinor + " (OUT_TRADE_NO_USED)");
        }
        return List.of();
      }
      if (amount <= 0) throw new Rejected(Rejection.VALIDATION_FAILED, "amount must be positive");
      if (authCode == null) return List.of(new Created(provider, tradeNo, amount, description, true, TradeState.NOTPAY, null, at));
      return switch (authCode.strip().toUpperCase()) {
        case "DECLINE" -> List.of(new Created(provider, tradeNo, amount, description, false, TradeState.NOTPAY, null, at),
            new Declined("the customer's code was declined", at));
        case "USERPAYING" -> List.of(new Created(provider, tradeNo, amount, description, false, TradeState.USERPAYING, null, at));
        default -> List.of(new Created(provider, tradeNo, amount, description, false, TradeState.NOTPAY, null, at),
            new Paid(transactionId(at), at));
      };
    }

    List<Event> decidePay(Instant at) {
      requireExists();
      return switch (state) {
        case NOTPAY, USERPAYING -> List.of(new Paid(transactionId(at), at));
        case SUCCESS -> List.of();
        case CLOSED -> throw new Rejected(Rejection.VALIDATION_FAILED, "trade " + tradeNo + " is closed (TRADE_CLOSED)");
        case PAYERROR -> throw new Rejected(Rejection.VALIDATION_FAILED, "trade " + tradeNo + " failed (PAYERROR)");
      };
    }

    List<Event> decideDecline(String why, Instant at) {
      requireExists();
      return switch (state) {
        case NOTPAY, USERPAYING -> List.of(new Declined(why, at));
        case PAYERROR -> List.of();
        case SUCCESS, CLOSED -> throw new Rejected(Rejection.VALIDATION_FAILED, "trade " + tradeNo + " is " + state);
      };
    }

    List<Event> decideClose(Instant at) {
      if (!exists) return List.of();
      return state == TradeState.NOTPAY || state == TradeState.USERPAYING ? List.of(new Closed(at)) : List.of();
    }

    List<Event> decideRefund(String refundNo, long amount, Instant at) {
      requireExists();
      if (refunds.stream().anyMatch(r -> r.refundNo().equals(refundNo))) return List.of();
      if (state != TradeState.SUCCESS) throw new Rejected(Rejection.VALIDATION_FAILED, "trade " + tradeNo + " is not paid");
      long refunded = refunds.stream().mapToLong(RefundView::amountMinor).sum();
      if (amount <= 0 || refunded + amount > amountMinor) {
        throw new Rejected(Rejection.AMOUNT_EXCEEDS_DUE, "refund exceeds what trade " + tradeNo + " took (NOT_ENOUGH)");
      }
      return List.of(new RefundAccepted(refundNo, amount, at));
    }

    private String transactionId(Instant at) {
      return provider.wire().substring(0, 2).toUpperCase() + at.toEpochMilli() + Math.floorMod(tradeNo.hashCode(), 10_000);
    }

    private void requireExists() {
      if (!exists) throw new Rejected(Rejection.NOT_FOUND, "no trade " + tradeNo + " at the " + provider.wire() + " sandbox");
    }

    public State apply(Event event) {
      if (event instanceof Created e) {
        return new State(provider, tradeNo, true, e.amountMinor(), e.description(), e.qr(), e.initial(), null, e.reason(),
            List.of(), 0, null, e.at(), null);
      }
      if (event instanceof Paid e) {
        return new State(provider, tradeNo, true, amountMinor, description, qr, TradeState.SUCCESS, e.transactionId(),
            null, refunds, notifications + 1, acknowledgedNotification, createdAt, e.at());
      }
      if (event instanceof Declined e) {
        return new State(provider, tradeNo, true, amountMinor, description, qr, TradeState.PAYERROR, null, e.reason(),
            refunds, notifications + 1, acknowledgedNotification, createdAt, e.at());
      }
      if (event instanceof Closed e) {
        return new State(provider, tradeNo, true, amountMinor, description, qr, TradeState.CLOSED, null, "closed by the merchant",
            refunds, notifications, acknowledgedNotification, createdAt, e.at());
      }
      if (event instanceof RefundAccepted e) {
        List<RefundView> next = new ArrayList<>(refunds);
        next.add(new RefundView(e.refundNo(), e.amountMinor(), RefundState.PROCESSING));
        return withRefunds(next);
      }
      if (event instanceof RefundSucceeded e) {
        return withRefunds(refunds.stream()
            .map(r -> r.refundNo().equals(e.refundNo()) ? new RefundView(r.refundNo(), r.amountMinor(), RefundState.SUCCESS) : r)
            .toList());
      }
      if (event instanceof CallbackAcknowledged e) {
        return new State(provider, tradeNo, exists, amountMinor, description, qr, state, transactionId, reason, refunds,
            notifications, e.notificationId(), createdAt, finishedAt);
      }
      throw new IllegalStateException("unknown event " + event);
    }

    private State withRefunds(List<RefundView> next) {
      return new State(provider, tradeNo, exists, amountMinor, description, qr, state, transactionId, reason,
          List.copyOf(next), notifications, acknowledgedNotification, createdAt, finishedAt);
    }

    public View view() {
      return new View(exists, provider, tradeNo, amountMinor, description, qr, state, transactionId, reason, refunds,
          notifications, exists && !callbackOwed(), createdAt, finishedAt);
    }
  }

  // ---- shell ----

  public static void init(ActorSystem<?> system, SandboxCallbacks callbacks) {
    ClusterSharding.get(system).init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), callbacks)));
  }

  public static Behavior<Command> create(String entityId, SandboxCallbacks callbacks) {
    int colon = entityId.indexOf(':');
    Provider provider = Provider.parse(entityId.substring(0, colon)).orElseThrow();
    String tradeNo = entityId.substring(colon + 1);
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new SandboxTrade(provider, tradeNo, ctx, timers, callbacks)));
  }

  private final Provider provider;
  private final String tradeNo;
  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final SandboxCallbacks callbacks;
  /** How many times the owed callback was sent without acknowledgement; resets with each new callback. */
  private int attempts;

  private SandboxTrade(Provider provider, String tradeNo, ActorContext<Command> ctx, TimerScheduler<Command> timers,
      SandboxCallbacks callbacks) {
    super(PersistenceId.of(ENTITY_KEY.name(), entityId(provider, tradeNo)));
    this.provider = provider;
    this.tradeNo = tradeNo;
    this.ctx = ctx;
    this.timers = timers;
    this.callbacks = callbacks;
  }

  @Override
  public State emptyState() {
    return State.empty(provider, tradeNo);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Create.class, (s, c) -> decide(c.replyTo(), () -> s.decideCreate(c.amountMinor(), c.description(), c.authCode(), c.at())))
        .onCommand(CustomerPays.class, (s, c) -> decide(c.replyTo(), () -> s.decidePay(c.at())))
        .onCommand(CustomerDeclines.class, (s, c) -> decide(c.replyTo(), () -> s.decideDecline(c.reason(), c.at())))
        .onCommand(Refund.class, (s, c) -> decide(c.replyTo(), () -> s.decideRefund(c.refundNo(), c.amountMinor(), c.at())))
        .onCommand(Close.class, (s, c) -> Effect().persist(s.decideClose(c.at())).thenReply(c.replyTo(), State::view))
        .onCommand(Query.class, (s, c) -> Effect().reply(c.replyTo(), s.view()))
        .onCommand(Redeliver.class, (s, c) -> {
          if (s.currentNotification() == null) {
            return Effect().reply(c.replyTo(), Rejected.reply(Rejection.NOT_FOUND, "trade " + tradeNo + " has sent no callback yet"));
          }
          send(s, true);
          return Effect().reply(c.replyTo(), StatusReply.success(s.view()));
        })
        .onCommand(DeliverCallback.class, (s, c) -> {
          if (s.callbackOwed()) send(s, false);
          return Effect().noReply();
        })
        .onCommand(CallbackAnswered.class, (s, c) -> {
          if (c.acknowledged()) {
            return s.callbackOwed() && c.notificationId().equals(s.currentNotification())
                ? Effect().persist(new CallbackAcknowledged(c.notificationId())).thenNoReply()
                : Effect().noReply();
          }
          if (!c.once() && s.callbackOwed()) {
            if (attempts < CALLBACK_SCHEDULE.size()) {
              timers.startSingleTimer("callback", new DeliverCallback(false), CALLBACK_SCHEDULE.get(attempts));
            } else {
              ctx.getLog().warn("sandbox {} gave up calling back about trade {} after {} attempts", provider.wire(), tradeNo, attempts);
            }
          }
          return Effect().noReply();
        })
        .onCommand(RefundMatured.class, (s, c) -> s.refunds().stream()
            .anyMatch(r -> r.refundNo().equals(c.refundNo()) && r.state() == RefundState.PROCESSING)
            ? Effect().persist(new RefundSucceeded(c.refundNo(), Instant.now())).thenNoReply()
            : Effect().noReply())
        .build();
  }

  private ReplyEffect<Event, State> decide(ActorRef<StatusReply<View>> replyTo, Supplier<List<Event>> decision) {
    try {
      List<Event> events = decision.get();
      return Effect().persist(events).thenRun(s -> afterPersist(s, events)).thenReply(replyTo, s -> StatusReply.success(s.view()));
    } catch (Rejected r) {
      return Effect().reply(replyTo, r.toReply());
    }
  }

  private void afterPersist(State s, List<Event> events) {
    for (Event e : events) {
      if (e instanceof Paid || e instanceof Declined) {
        attempts = 0;
        timers.startSingleTimer("callback", new DeliverCallback(false), CALLBACK_SCHEDULE.get(0));
      }
      if (e instanceof RefundAccepted r) {
        timers.startSingleTimer("refund-" + r.refundNo(), new RefundMatured(r.refundNo()), REFUND_MATURES_AFTER);
      }
    }
  }

  private void send(State s, boolean once) {
    if (!once) attempts++;
    String notificationId = s.currentNotification();
    ctx.pipeToSelf(callbacks.send(s.view(), notificationId), (acknowledged, failure) ->
        new CallbackAnswered(notificationId, failure == null && Boolean.TRUE.equals(acknowledged), once));
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), s -> {
          if (s.callbackOwed()) timers.startSingleTimer("callback", new DeliverCallback(false), CALLBACK_SCHEDULE.get(0));
          s.refunds().stream().filter(r -> r.state() == RefundState.PROCESSING).forEach(r ->
              timers.startSingleTimer("refund-" + r.refundNo(), new RefundMatured(r.refundNo()), REFUND_MATURES_AFTER));
        })
        .build();
  }

  /** Each provider's trades are tagged, so the sandbox can write that provider's daily statement. */
  public static String tagOf(Provider provider) {
    return "sandbox-" + provider.wire();
  }

  @Override
  public java.util.Set<String> tagsFor(Event event) {
    return java.util.Set.of(tagOf(provider));
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(State::apply);
  }
}
