package io.orderengine.engine.payment.sandbox;

import io.orderengine.engine.CborSerializable;
import io.orderengine.engine.Decision;
import io.orderengine.engine.DomainEntity;
import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.payment.Provider;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
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
import org.apache.pekko.persistence.typed.javadsl.EffectBuilder;
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
 * restarts, and it calls the merchant back through the {@link Webhook} it was given. The decisions,
 * the callback schedule and the refunds' maturing are {@link SandboxTradeState}'s.
 */
public final class SandboxTrade extends DomainEntity<SandboxTrade.Command, SandboxTrade.Event, SandboxTradeState> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "SandboxTrade");

  /** The sandbox's port to the merchant: posts a trade's signed callback; true when the merchant acknowledged it. */
  public interface Webhook {
    CompletionStage<Boolean> call(View trade, String notificationId);
  }

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

  /** The schedule's next callback is due. */
  private record CallBack() implements Command {}

  /** The merchant's answer to a callback; {@code once}: sent by {@link Redeliver}, off the schedule. */
  private record CallbackAnswered(String notificationId, boolean acknowledged, boolean once) implements Command {}

  /** The oldest refund still processing has matured. */
  private record RefundsMature() implements Command {}

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

  // ---- shell ----

  public static void init(ActorSystem<?> system, Webhook merchant) {
    ClusterSharding.get(system).init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), merchant)));
  }

  public static Behavior<Command> create(String entityId, Webhook merchant) {
    int colon = entityId.indexOf(':');
    Provider provider = Provider.parse(entityId.substring(0, colon)).orElseThrow();
    String tradeNo = entityId.substring(colon + 1);
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new SandboxTrade(provider, tradeNo, ctx, timers, merchant)));
  }

  private static final String CALLBACK_TIMER = "callback";
  private static final String REFUND_TIMER = "refunds";

  private final Provider provider;
  private final String tradeNo;
  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final Webhook merchant;
  /** A scheduled callback is on its way: the next one waits for its answer. */
  private boolean calling;

  private SandboxTrade(Provider provider, String tradeNo, ActorContext<Command> ctx, TimerScheduler<Command> timers,
      Webhook merchant) {
    super(ENTITY_KEY, entityId(provider, tradeNo), tagOf(provider));
    this.provider = provider;
    this.tradeNo = tradeNo;
    this.ctx = ctx;
    this.timers = timers;
    this.merchant = merchant;
  }

  /** Each provider's trades are tagged, so the sandbox can write that provider's daily statement. */
  public static String tagOf(Provider provider) {
    return "sandbox-" + provider.wire();
  }

  @Override
  public SandboxTradeState emptyState() {
    return SandboxTradeState.empty(provider, tradeNo);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, SandboxTradeState> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Create.class, (s, c) -> answer(s.decideCreate(c.amountMinor(), c.description(), c.authCode(), c.at()), c.replyTo()))
        .onCommand(CustomerPays.class, (s, c) -> answer(s.decidePay(c.at()), c.replyTo()))
        .onCommand(CustomerDeclines.class, (s, c) -> answer(s.decideDecline(c.reason(), c.at()), c.replyTo()))
        .onCommand(Refund.class, (s, c) -> answer(s.decideRefund(c.refundNo(), c.amountMinor(), c.at()), c.replyTo()))
        .onCommand(Close.class, (s, c) -> persist(s.decideClose(c.at())).thenReply(c.replyTo(), SandboxTradeState::view))
        .onCommand(Query.class, (s, c) -> Effect().reply(c.replyTo(), s.view()))
        .onCommand(Redeliver.class, (s, c) -> {
          Optional<SandboxTradeState.Callback> last = s.lastCallback();
          if (last.isEmpty()) {
            return Effect().reply(c.replyTo(), Rejected.reply(Rejection.NOT_FOUND, "trade " + tradeNo + " has sent no callback yet"));
          }
          send(s, last.get(), true);
          return Effect().reply(c.replyTo(), StatusReply.success(s.view()));
        })
        .onCommand(CallBack.class, (s, c) -> {
          if (!calling) s.owedCallback().ifPresent(callback -> send(s, callback, false));
          return Effect().noReply();
        })
        .onCommand(CallbackAnswered.class, this::answered)
        .onCommand(RefundsMature.class, (s, c) -> persist(s.decideMatured(Instant.now())).thenNoReply())
        .build();
  }

  private ReplyEffect<Event, SandboxTradeState> answered(SandboxTradeState s, CallbackAnswered c) {
    if (!c.once()) calling = false;
    if (c.acknowledged()) return persist(s.decideAcknowledged(c.notificationId())).thenNoReply();
    if (c.once()) return Effect().noReply(); // sent off the schedule: the schedule goes on as it was
    if (s.owedCallback().isPresent() && s.nextCallbackAt(Instant.now()).isEmpty()) {
      ctx.getLog().warn("sandbox {} gave up calling back about trade {}", provider.wire(), tradeNo);
    }
    follow(s);
    return Effect().noReply();
  }

  private ReplyEffect<Event, SandboxTradeState> answer(Decision<Event> decision, ActorRef<StatusReply<View>> replyTo) {
    return decide(decision, replyTo, SandboxTradeState::view, (after, events) -> follow(after));
  }

  /** Persists an accepted decision and {@link #follow}s the new state. */
  private EffectBuilder<Event, SandboxTradeState> persist(Decision<Event> decision) {
    return Effect().persist(decision.orThrow()).thenRun(this::follow);
  }

  /** Arms the timers the state describes: the next scheduled callback, and the next refund to mature. */
  private void follow(SandboxTradeState s) {
    Instant now = Instant.now();
    s.nextRefundMaturity().ifPresent(at -> timers.startSingleTimer(REFUND_TIMER, new RefundsMature(), until(now, at)));
    if (calling) return;
    s.nextCallbackAt(now).ifPresentOrElse(
        at -> timers.startSingleTimer(CALLBACK_TIMER, new CallBack(), until(now, at)),
        () -> timers.cancel(CALLBACK_TIMER));
  }

  private static Duration until(Instant now, Instant at) {
    return at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
  }

  private void send(SandboxTradeState s, SandboxTradeState.Callback callback, boolean once) {
    if (!once) calling = true;
    String notificationId = callback.notificationId();
    ctx.pipeToSelf(merchant.call(s.view(), notificationId), (acknowledged, failure) ->
        new CallbackAnswered(notificationId, failure == null && Boolean.TRUE.equals(acknowledged), once));
  }

  @Override
  public SignalHandler<SandboxTradeState> signalHandler() {
    return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), this::follow).build();
  }
}
