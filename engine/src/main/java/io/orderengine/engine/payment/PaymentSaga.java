package io.orderengine.engine.payment;

import io.orderengine.engine.CborSerializable;
import io.orderengine.engine.JsapiPay;
import io.orderengine.engine.Courier;
import io.orderengine.engine.Decision;
import io.orderengine.engine.DomainEntity;
import io.orderengine.engine.Rejected;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * One non-cash payment, from the first call to its gateway to a terminal state: SUCCEEDED, FAILED,
 * CANCELLED or EXPIRED. Each step's outcome is persisted before the saga acts on it; a pending
 * trade is queried on a schedule and closed at its deadline, both of which survive a restart; the
 * outcome is reported through {@link OutcomeReports} until the receiver holds it. A customer who
 * pays a trade after it was closed gets the money back by a compensating refund that is never
 * reported as the payment's. The saga also carries the refunds of its payment, each keyed by a
 * refund number.
 *
 * <p>The decisions and the policy (which call is due, the backoff, when the saga is finished) are
 * in {@link PaymentSagaState}; this shell makes the calls, arms the timers and answers callers.
 */
public final class PaymentSaga extends DomainEntity<PaymentSaga.Command, PaymentSaga.Event, PaymentSagaState> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Payment");
  public static final int TAG_COUNT = 4;
  public static final String TAG_PREFIX = "payment-";
  private static final Duration REPORT_AGAIN_AFTER = Duration.ofSeconds(2);
  private static final String CALL_TIMER = "call";

  public static String tagFor(String paymentId) {
    return DomainEntity.tagFor(TAG_PREFIX, TAG_COUNT, paymentId);
  }

  /** {@code callTimeout}: a gateway call unanswered for this long counts as failed. */
  public record Settings(Duration queryInterval, Duration pendingExpiry, Duration retryBackoff, Duration callTimeout) {
    public Settings(Duration queryInterval, Duration pendingExpiry, Duration retryBackoff) {
      this(queryInterval, pendingExpiry, retryBackoff, Duration.ofSeconds(15));
    }
  }

  public enum Status {
    NEW,
    STARTING,
    PENDING,
    SUCCEEDED,
    FAILED,
    CANCELLED,
    EXPIRED;

    public boolean terminal() {
      return this == SUCCEEDED || this == FAILED || this == CANCELLED || this == EXPIRED;
    }
  }

  public enum RefundStatus {
    PROCESSING,
    SUCCEEDED,
    REJECTED
  }

  /**
   * What to pay: our trade number is the payment id. {@code billId}, {@code tableId}: null for a payment
   * that is no bill's (a member's top-up); the payment id names who took it, and the outcome goes there.
   */
  public record Spec(String paymentId, String billId, String tableId, Provider provider, long amountMinor,
      String authCode, String memberId, String description, String openid) implements CborSerializable {

    public Spec(String paymentId, String billId, String tableId, Provider provider, long amountMinor, String authCode,
        String memberId, String description) {
      this(paymentId, billId, tableId, provider, amountMinor, authCode, memberId, description, null);
    }

    /** A WeChat Pay JSAPI trade: the diner pays inside WeChat, as the payer {@code openid} (null in old events). */
    public boolean jsapi() {
      return provider == Provider.WECHAT && openid != null && !openid.isBlank() && (authCode == null || authCode.isBlank());
    }

    /** A trade the customer pays on the phone (a QR code, or inside WeChat): no code of theirs was scanned. */
    public boolean qr() {
      return (provider == Provider.WECHAT || provider == Provider.ALIPAY) && (authCode == null || authCode.isBlank());
    }

    TradeRef trade() {
      return new TradeRef(paymentId, memberId);
    }
  }

  // ---- protocol ----

  public sealed interface Command extends CborSerializable {}

  /** Starts the payment, or joins it: answers once the gateway has given its first answer. */
  public record Start(Spec spec, Instant at, ActorRef<StatusReply<View>> replyTo) implements Command {}

  public record Get(ActorRef<View> replyTo) implements Command {}

  /** A verified gateway callback about this trade. */
  public record Notify(Notification notification, Instant at, ActorRef<StatusReply<View>> replyTo) implements Command {}

  /**
   * A provider's word that a refund ended. The saga asks the provider how the refund stands rather
   * than take the callback's word for it, so a repeated callback changes nothing.
   */
  public record RefundNotify(RefundNotification notification, ActorRef<StatusReply<View>> replyTo) implements Command {}

  public record Cancel(Instant at, ActorRef<StatusReply<View>> replyTo) implements Command {}

  public record Refund(String refundNo, long amountMinor, Instant at, ActorRef<StatusReply<View>> replyTo) implements Command {}

  public enum Step {
    INITIATE,
    QUERY,
    CLOSE
  }

  public sealed interface Event extends CborSerializable {
    String paymentId();
  }

  public record Started(String paymentId, Spec spec, Instant deadline, Instant at) implements Event {}

  /** {@code jsapi}: what the customer's page pays a JSAPI trade with (null for others, and in old events). */
  public record AwaitingCustomer(String paymentId, String qrCodeUrl, String gatewayTxnId, Instant at, JsapiPay jsapi)
      implements Event {
    public AwaitingCustomer(String paymentId, String qrCodeUrl, String gatewayTxnId, Instant at) {
      this(paymentId, qrCodeUrl, gatewayTxnId, at, null);
    }
  }

  public record Succeeded(String paymentId, String gatewayTxnId, long amountMinor, String source, Instant at) implements Event {}

  public record Failed(String paymentId, String failureCode, String reason, Instant at) implements Event {}

  public record CancelRequested(String paymentId, Instant at) implements Event {}

  public record Cancelled(String paymentId, Instant at) implements Event {}

  public record Expired(String paymentId, Instant at) implements Event {}

  /** The customer paid a trade that had already ended; the money goes back, the bill never counts it. */
  public record PaidAfterEnd(String paymentId, String gatewayTxnId, long amountMinor, Instant at) implements Event {}

  public record RefundRequested(String paymentId, String refundNo, long amountMinor, boolean compensation, Instant at)
      implements Event {}

  public record RefundSettled(String paymentId, String refundNo, boolean succeeded, String reason, Instant at)
      implements Event {}

  public record NotificationReceived(String paymentId, String notificationId) implements Event {}

  /** The bill acknowledged the outcome named by {@code what}: "payment" or a refund number. */
  public record BillInformed(String paymentId, String what) implements Event {}

  // ---- views ----

  public record RefundEntry(String refundNo, long amountMinor, RefundStatus status, boolean compensation,
      boolean billInformed, String reason) implements CborSerializable {}

  public record View(String paymentId, Spec spec, Status status, String qrCodeUrl, String gatewayTxnId,
      String failureCode, String failureReason, Instant startedAt, Instant finishedAt, List<RefundEntry> refunds,
      JsapiPay jsapi) implements CborSerializable {}

  private record Answered(TradeResult result, Step step) implements Command {}

  private record CallFailed(Step step, String reason) implements Command {}

  /** The timer: make the gateway call the state says is due. */
  private record CallDue() implements Command {}

  /** {@code query}: the answer to a query (NOT_FOUND then means the gateway never saw the refund). */
  private record RefundAnswered(String refundNo, RefundResult result, boolean query) implements Command {}

  private record RefundCallFailed(String refundNo, String reason) implements Command {}

  private record RefundDue(String refundNo) implements Command {}

  private record Delivery(Courier.Report report) implements Command {}

  // ---- shell ----

  /**
   * Sagas are remembered entities: after a crash or restart, sharding starts every saga that had
   * not finished, so a pending payment goes on being queried and closed without anybody asking.
   * A finished saga passivates itself and is forgotten until someone needs it again.
   */
  public static void init(ActorSystem<?> system, Gateways gateways, Settings settings, OutcomeReports reports) {
    ClusterSharding sharding = ClusterSharding.get(system);
    sharding.init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), gateways, settings, reports, ctx.getShard()))
        .withSettings(ClusterShardingSettings.create(system)
            .withRememberEntities(true)
            .withRememberEntitiesStoreMode(ClusterShardingSettings.rememberEntitiesStoreModeEventSourced())));
    SagaShardOpener.bringUpEveryShardOnceUp(system, sharding);
  }

  public static Behavior<Command> create(String paymentId, Gateways gateways, Settings settings, OutcomeReports reports) {
    return create(paymentId, gateways, settings, reports, null);
  }

  static Behavior<Command> create(String paymentId, Gateways gateways, Settings settings, OutcomeReports reports,
      ActorRef<ClusterSharding.ShardCommand> shard) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new PaymentSaga(paymentId, gateways, settings, reports, ctx, timers, shard)));
  }

  private final String paymentId;
  private final GatewayCalls calls;
  private final Settings settings;
  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final ActorRef<ClusterSharding.ShardCommand> shard;
  private final Courier<Command, Object> courier;
  /** Callers waiting for the gateway's first answer, or for a cancel to land; not persisted: they ask again. */
  private final List<ActorRef<StatusReply<View>>> waiting = new ArrayList<>();
  private final List<ActorRef<StatusReply<View>>> cancelling = new ArrayList<>();
  private int attempts;

  private PaymentSaga(String paymentId, Gateways gateways, Settings settings, OutcomeReports reports,
      ActorContext<Command> ctx, TimerScheduler<Command> timers, ActorRef<ClusterSharding.ShardCommand> shard) {
    super(ENTITY_KEY, paymentId, TAG_PREFIX, TAG_COUNT);
    this.paymentId = paymentId;
    this.calls = new GatewayCalls(gateways, settings.callTimeout());
    this.settings = settings;
    this.ctx = ctx;
    this.timers = timers;
    this.shard = shard;
    this.courier = new Courier<>(ctx, timers, Delivery::new,
        o -> o instanceof RefundOutcome r ? r.refundId() : PaymentSagaState.PAYMENT,
        o -> o instanceof RefundOutcome r ? reports.refund(r) : reports.payment((PaymentOutcome) o),
        REPORT_AGAIN_AFTER);
  }

  @Override
  public PaymentSagaState emptyState() {
    return PaymentSagaState.empty(paymentId);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, PaymentSagaState> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Start.class, this::onStart)
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), s.view()))
        .onCommand(Notify.class, (s, c) ->
            decide(s.decideNotification(c.notification(), c.at()), c.replyTo(), PaymentSagaState::view, this::react))
        .onCommand(RefundNotify.class, (s, c) -> {
          s.refund(c.notification().refundNo()).filter(r -> r.status() == RefundStatus.PROCESSING)
              .ifPresent(r -> refundCall(s, r, true));
          return Effect().reply(c.replyTo(), StatusReply.success(s.view()));
        })
        .onCommand(Cancel.class, this::onCancel)
        .onCommand(Refund.class, (s, c) -> {
          // asked again about a refund under way: find out where it stands (a lost answer is recovered so)
          s.refund(c.refundNo()).filter(r -> r.status() == RefundStatus.PROCESSING).ifPresent(r -> refundCall(s, r, true));
          return decide(s.decideRefund(c.refundNo(), c.amountMinor(), c.at()), c.replyTo(), PaymentSagaState::view, this::react);
        })
        .onCommand(Answered.class, this::onAnswer)
        .onCommand(CallFailed.class, this::onCallFailed)
        .onCommand(CallDue.class, (s, c) -> {
          s.nextCall(Instant.now()).ifPresent(step -> call(s, step));
          return Effect().noReply();
        })
        .onCommand(RefundAnswered.class, this::onRefundAnswer)
        .onCommand(RefundCallFailed.class, (s, c) -> {
          ctx.getLog().warn("payment {}: refund {} call failed: {}", paymentId, c.refundNo(), c.reason());
          timers.startSingleTimer("refund-" + c.refundNo(), new RefundDue(c.refundNo()), settings.retryBackoff());
          return Effect().noReply();
        })
        .onCommand(RefundDue.class, (s, c) -> {
          s.refund(c.refundNo()).filter(r -> r.status() == RefundStatus.PROCESSING).ifPresent(r -> refundCall(s, r, true));
          return Effect().noReply();
        })
        .onCommand(Delivery.class, this::onDelivery)
        .build();
  }

  private ReplyEffect<Event, PaymentSagaState> persist(Decision<Event> decision) {
    List<Event> events = decision.orThrow();
    return Effect().persist(events).thenRun(after -> react(after, events)).thenNoReply();
  }

  private ReplyEffect<Event, PaymentSagaState> onStart(PaymentSagaState s, Start c) {
    if (s.status() == Status.NEW) {
      Decision<Event> decision = s.decideStart(c.spec(), settings.pendingExpiry(), c.at());
      if (decision instanceof Decision.Refused<Event> refused) return Effect().reply(c.replyTo(), refused.rejected().toReply());
      waiting.add(c.replyTo());
      return Effect().persist(decision.orThrow()).thenRun(after -> call(after, Step.INITIATE)).thenNoReply();
    }
    if (s.status() == Status.STARTING || s.owesBillPayment()) {
      // the first answer is still to come, or the outcome is not yet with the bill: the caller hears it with the bill
      waiting.add(c.replyTo());
      return Effect().noReply();
    }
    return Effect().reply(c.replyTo(), StatusReply.success(s.view()));
  }

  private ReplyEffect<Event, PaymentSagaState> onCancel(PaymentSagaState s, Cancel c) {
    Decision<Event> decision = s.decideCancel(c.at());
    if (decision instanceof Decision.Refused<Event> refused) return Effect().reply(c.replyTo(), refused.rejected().toReply());
    if (s.status() == Status.CANCELLED) return Effect().reply(c.replyTo(), StatusReply.success(s.view()));
    cancelling.add(c.replyTo());
    return Effect().persist(decision.orThrow()).thenRun(after -> {
      if (after.status() == Status.PENDING) call(after, Step.CLOSE);
      // while STARTING, the close follows the gateway's first answer
    }).thenNoReply();
  }

  private ReplyEffect<Event, PaymentSagaState> onAnswer(PaymentSagaState s, Answered c) {
    attempts = 0;
    if (s.tradeLost(c.result(), c.step())) call(s, Step.INITIATE); // made now, under the same number
    List<Event> events = s.decideAnswer(c.result(), c.step(), Instant.now()).orThrow();
    return Effect().persist(events).thenRun(after -> {
      react(after, events);
      if (after.status() == Status.PENDING && events.stream().noneMatch(e -> e instanceof AwaitingCustomer)) {
        callAfter(c.step() == Step.CLOSE ? settings.retryBackoff() : settings.queryInterval());
      }
    }).thenNoReply();
  }

  private ReplyEffect<Event, PaymentSagaState> onCallFailed(PaymentSagaState s, CallFailed c) {
    attempts++;
    ctx.getLog().warn("payment {}: {} call to {} failed (attempt {}): {}", paymentId, c.step(),
        s.spec() == null ? "?" : s.spec().provider().wire(), attempts, c.reason());
    if (s.status() == Status.STARTING && attempts >= PaymentSagaState.MAX_GATEWAY_ATTEMPTS) {
      return persist(s.decideUnreachable(Instant.now()));
    }
    if (!s.status().terminal()) callAfter(PaymentSagaState.backoff(settings.retryBackoff(), attempts));
    return Effect().noReply();
  }

  private ReplyEffect<Event, PaymentSagaState> onRefundAnswer(PaymentSagaState s, RefundAnswered c) {
    boolean underway = s.refund(c.refundNo()).map(r -> r.status() == RefundStatus.PROCESSING).orElse(false);
    if (c.query() && c.result().status() == RefundResult.Status.NOT_FOUND) {
      // the gateway never saw the refund (lost on its way): asked for again under the same number
      s.refund(c.refundNo()).filter(r -> underway).ifPresent(r -> refundCall(s, r, false));
      return Effect().noReply();
    }
    List<Event> events = s.decideRefundAnswer(c.refundNo(), c.result(), Instant.now()).orThrow();
    if (events.isEmpty() && underway) {
      timers.startSingleTimer("refund-" + c.refundNo(), new RefundDue(c.refundNo()),
          PaymentSagaState.refundQueryDelay(settings.queryInterval()));
    }
    return persist(Decision.accept(events));
  }

  private ReplyEffect<Event, PaymentSagaState> onDelivery(PaymentSagaState s, Delivery c) {
    return courier.handle(c.report(), s::owedToBill,
            what -> {
              if (PaymentSagaState.PAYMENT.equals(what)) answerWaiting(s); // they read the outcome from the bill when it has it
            },
            (what, answer) -> billHolds(s, what),
            (what, refusal) -> {
              ctx.getLog().error("payment {}: the bill refused the outcome of {} for good: {}", paymentId, what, refusal.toString());
              return billHolds(s, what);
            })
        .orElseGet(Effect()::noReply);
  }

  /** The bill holds the outcome named by {@code what} (or refused it for good): it is no longer owed. */
  private ReplyEffect<Event, PaymentSagaState> billHolds(PaymentSagaState s, String what) {
    return Effect().persist(s.decideBillHolds(what).orThrow()).thenRun(after -> {
      if (PaymentSagaState.PAYMENT.equals(what)) answerWaiting(after);
      passivateIfDone(after);
    }).thenNoReply();
  }

  /** What the saga does after persisting: answer whoever waits, arm timers, report to the bill, refund. */
  private void react(PaymentSagaState s, List<Event> events) {
    for (Event e : events) {
      if (e instanceof AwaitingCustomer) {
        answerWaiting(s);
        if (s instanceof PaymentSagaState.Running r && r.cancelRequested()) call(s, Step.CLOSE);
        else callAfter(settings.queryInterval());
      } else if (e instanceof Succeeded || e instanceof Failed || e instanceof Cancelled || e instanceof Expired) {
        timers.cancel(CALL_TIMER);
      } else if (e instanceof RefundRequested r) {
        s.refund(r.refundNo()).ifPresent(entry -> refundCall(s, entry, false));
      }
    }
    courier.deliver(s.owedToBill());
    passivateIfDone(s);
  }

  /** Callers hear of a terminal outcome once the bill holds it, so what they read next agrees with it. */
  private void answerWaiting(PaymentSagaState s) {
    waiting.forEach(w -> w.tell(StatusReply.success(s.view())));
    waiting.clear();
    if (s.status().terminal()) {
      cancelling.forEach(w -> w.tell(StatusReply.success(s.view())));
      cancelling.clear();
    }
  }

  private void passivateIfDone(PaymentSagaState s) {
    if (s.finished() && shard != null) shard.tell(new ClusterSharding.Passivate<>(ctx.getSelf()));
  }

  private void call(PaymentSagaState s, Step step) {
    ctx.pipeToSelf(calls.trade(paymentId, s.spec(), step), (result, failure) -> failure == null
        ? new Answered(result, step)
        : new CallFailed(step, Rejected.unwrap(failure).toString()));
  }

  /** Requests a refund, or ({@code query}) asks how it stands: one the gateway never saw is requested again, same number. */
  private void refundCall(PaymentSagaState s, RefundEntry r, boolean query) {
    ctx.pipeToSelf(calls.refund(s.spec(), r, query), (result, failure) -> failure == null
        ? new RefundAnswered(r.refundNo(), result, query)
        : new RefundCallFailed(r.refundNo(), Rejected.unwrap(failure).toString()));
  }

  private void callAfter(Duration delay) {
    timers.startSingleTimer(CALL_TIMER, new CallDue(), delay);
  }

  @Override
  public SignalHandler<PaymentSagaState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), s -> {
          if (SagaShardOpener.isOpener(paymentId)) { // its shard is up; it has nothing to do
            if (shard != null) shard.tell(new ClusterSharding.Passivate<>(ctx.getSelf()));
            return;
          }
          if (s.status() == Status.STARTING) call(s, Step.INITIATE);
          if (s.status() == Status.PENDING) callAfter(Duration.ofMillis(100));
          courier.deliver(s.owedToBill());
          s.refundsUnderway().forEach(r -> refundCall(s, r, true));
          if (s.status() != Status.NEW) passivateIfDone(s);
        })
        .build();
  }
}
