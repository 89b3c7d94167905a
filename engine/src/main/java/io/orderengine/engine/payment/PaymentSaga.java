package io.orderengine.engine.payment;

import io.orderengine.engine.CborSerializable;
import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.bill.Bill;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.Done;
import io.orderengine.engine.DomainEntity;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.SelfUp;
import org.apache.pekko.cluster.typed.Subscribe;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.HashCodeMessageExtractor;
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
 * One non-cash payment, from the first call to its gateway to a terminal state: SUCCEEDED, FAILED,
 * CANCELLED or EXPIRED. Each step's outcome is persisted before the saga acts on it; a pending
 * trade is queried on a schedule and closed at its deadline, both of which survive a restart; the
 * outcome is reported to the bill until the bill acknowledges it. A customer who pays a trade after
 * it was closed gets the money back by a compensating refund; the bill never counts it.
 *
 * <p>The saga also carries the refunds of its payment, each keyed by a refund number.
 */
public final class PaymentSaga
    extends DomainEntity<PaymentSaga.Command, PaymentSaga.Event, PaymentSaga.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Payment");
  public static final int TAG_COUNT = 4;
  public static final String TAG_PREFIX = "payment-";
  static final int MAX_GATEWAY_ATTEMPTS = 5;
  static final int REMEMBERED_NOTIFICATIONS = 32;
  private static final Duration BILL_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration BILL_RETRY = Duration.ofSeconds(2);

  public static String tagFor(String paymentId) {
    return TAG_PREFIX + Math.floorMod(paymentId.hashCode(), TAG_COUNT);
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

  /** What to pay: our trade number is the payment id. */
  public record Spec(String paymentId, String billId, String tableId, Provider provider, long amountMinor,
      String authCode, String memberId, String description) implements CborSerializable {

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

  public record Cancel(Instant at, ActorRef<StatusReply<View>> replyTo) implements Command {}

  public record Refund(String refundNo, long amountMinor, Instant at, ActorRef<StatusReply<View>> replyTo) implements Command {}

  enum Step {
    INITIATE,
    QUERY,
    CLOSE
  }

  private record Answered(TradeResult result, Step step) implements Command {}

  private record CallFailed(String reason, Step step) implements Command {}

  private record Tick() implements Command {}

  private record RefundAnswered(String refundNo, RefundResult result) implements Command {}

  private record RefundCallFailed(String refundNo, String reason) implements Command {}

  private record RefundTick(String refundNo) implements Command {}

  /** The gateway never saw the refund (lost on its way): it is asked for again under the same number. */
  private record RefundUnknown(String refundNo) implements Command {}

  private record BillAcked(String what) implements Command {}

  private record BillUnreachable(String what) implements Command {}

  public sealed interface Event extends CborSerializable {
    String paymentId();
  }

  public record Started(String paymentId, Spec spec, Instant deadline, Instant at) implements Event {}

  public record AwaitingCustomer(String paymentId, String qrCodeUrl, String gatewayTxnId, Instant at) implements Event {}

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
      String failureCode, String failureReason, Instant startedAt, Instant finishedAt, List<RefundEntry> refunds)
      implements CborSerializable {}

  // ---- pure core ----

  public record State(String paymentId, Spec spec, Status status, String qrCodeUrl, String gatewayTxnId,
      String failureCode, String failureReason, Instant deadline, Instant startedAt, Instant finishedAt,
      boolean cancelRequested, boolean billInformed, List<RefundEntry> refunds, List<String> notifications)
      implements CborSerializable {

    static State empty(String paymentId) {
      return new State(paymentId, null, Status.NEW, null, null, null, null, null, null, null, false, false,
          List.of(), List.of());
    }

    public View view() {
      return new View(paymentId, spec, status, qrCodeUrl, gatewayTxnId, failureCode, failureReason, startedAt,
          finishedAt, refunds);
    }

    List<Event> decideStart(Spec s, Duration expiry, Instant at) {
      if (status != Status.NEW) return List.of();
      if (!s.paymentId().equals(paymentId)) throw new Rejected(Rejection.VALIDATION_FAILED, "spec names another payment");
      return List.of(new Started(paymentId, s, at.plus(expiry), at));
    }

    /** The gateway's answer to a call, turned into what happened to the payment. */
    List<Event> decideAnswer(TradeResult r, Step step, Instant at) {
      if (status.terminal()) {
        return r.status() == TradeResult.Status.SUCCEEDED ? paidAfterEnd(r.gatewayTxnId(), at) : List.of();
      }
      return switch (r.status()) {
        case SUCCEEDED -> List.of(new Succeeded(paymentId, r.gatewayTxnId(), spec.amountMinor(), step.name().toLowerCase(), at));
        case PENDING -> status == Status.STARTING
            ? List.of(new AwaitingCustomer(paymentId, r.qrCodeUrl(), r.gatewayTxnId(), at))
            : List.of();
        case DECLINED -> List.of(new Failed(paymentId, "PAYMENT_DECLINED", r.reason() == null ? "declined" : r.reason(), at));
        case INSUFFICIENT_BALANCE -> List.of(new Failed(paymentId, "INSUFFICIENT_BALANCE", r.reason(), at));
        case CLOSED -> List.of(ended(at));
        case NOT_FOUND -> step == Step.CLOSE ? List.of(ended(at)) : List.of();
      };
    }

    /** After the gateway stayed unreachable: the outcome is unknown, so the trade is treated as pending until its deadline. */
    List<Event> decideUnreachable(Instant at) {
      return status == Status.STARTING ? List.of(new AwaitingCustomer(paymentId, null, null, at)) : List.of();
    }

    List<Event> decideNotification(Notification n, Instant at) {
      if (notifications.contains(n.notificationId())) return List.of();
      List<Event> events = new ArrayList<>();
      events.add(new NotificationReceived(paymentId, n.notificationId()));
      if (status == Status.NEW) return events;
      if (n.status() == TradeResult.Status.SUCCEEDED) {
        if (status.terminal()) events.addAll(paidAfterEnd(n.gatewayTxnId(), at));
        else events.add(new Succeeded(paymentId, n.gatewayTxnId(), spec.amountMinor(), "callback " + n.notificationId(), at));
      } else if (n.status() == TradeResult.Status.DECLINED && !status.terminal()) {
        events.add(new Failed(paymentId, "PAYMENT_DECLINED", n.reason() == null ? "declined" : n.reason(), at));
      }
      return events;
    }

    List<Event> decideCancel(Instant at) {
      return switch (status) {
        case NEW -> throw new Rejected(Rejection.NOT_FOUND, "no payment " + paymentId);
        case STARTING, PENDING -> cancelRequested ? List.of() : List.of(new CancelRequested(paymentId, at));
        case CANCELLED -> List.of();
        default -> throw new Rejected(Rejection.PAYMENT_NOT_PENDING, "payment " + paymentId + " is " + status);
      };
    }

    List<Event> decideRefund(String refundNo, long amount, Instant at) {
      if (refunds.stream().anyMatch(r -> r.refundNo().equals(refundNo))) return List.of();
      if (status != Status.SUCCEEDED) {
        throw new Rejected(Rejection.PAYMENT_NOT_PENDING, "payment " + paymentId + " is " + status + ", not SUCCEEDED");
      }
      if (amount <= 0 || refundedOrRefunding() + amount > spec.amountMinor()) {
        throw new Rejected(Rejection.AMOUNT_EXCEEDS_REFUNDABLE,
            "payment " + paymentId + " took " + spec.amountMinor() + ", of which " + refundedOrRefunding() + " is refunded");
      }
      return List.of(new RefundRequested(paymentId, refundNo, amount, false, at));
    }

    List<Event> decideRefundAnswer(String refundNo, RefundResult r, Instant at) {
      Optional<RefundEntry> refund = refund(refundNo);
      if (refund.isEmpty() || refund.get().status() != RefundStatus.PROCESSING) return List.of();
      return switch (r.status()) {
        case SUCCEEDED -> List.of(new RefundSettled(paymentId, refundNo, true, null, at));
        case REJECTED -> List.of(new RefundSettled(paymentId, refundNo, false, r.reason(), at));
        case PROCESSING, NOT_FOUND -> List.of();
      };
    }

    long refundedOrRefunding() {
      return refunds.stream().filter(r -> !r.compensation() && r.status() != RefundStatus.REJECTED)
          .mapToLong(RefundEntry::amountMinor).sum();
    }

    Optional<RefundEntry> refund(String refundNo) {
      return refunds.stream().filter(r -> r.refundNo().equals(refundNo)).findFirst();
    }

    boolean owesBillPayment() {
      return status.terminal() && !billInformed;
    }

    List<RefundEntry> refundsOwedToBill() {
      return refunds.stream().filter(r -> !r.compensation() && r.status() != RefundStatus.PROCESSING && !r.billInformed()).toList();
    }

    private Event ended(Instant at) {
      return cancelRequested ? new Cancelled(paymentId, at) : new Expired(paymentId, at);
    }

    private List<Event> paidAfterEnd(String txnId, Instant at) {
      if (status == Status.SUCCEEDED || refunds.stream().anyMatch(RefundEntry::compensation)) return List.of();
      String refundNo = paymentId + "-RBACK";
      return List.of(new PaidAfterEnd(paymentId, txnId, spec.amountMinor(), at),
          new RefundRequested(paymentId, refundNo, spec.amountMinor(), true, at));
    }

    public State apply(Event event) {
      if (event instanceof Started e) {
        return new State(paymentId, e.spec(), Status.STARTING, null, null, null, null, e.deadline(), e.at(), null,
            false, false, refunds, notifications);
      }
      if (event instanceof AwaitingCustomer e) {
        return new State(paymentId, spec, Status.PENDING, e.qrCodeUrl(), e.gatewayTxnId(), null, null, deadline,
            startedAt, null, cancelRequested, false, refunds, notifications);
      }
      if (event instanceof Succeeded e) {
        return finish(Status.SUCCEEDED, e.gatewayTxnId(), null, null, e.at());
      }
      if (event instanceof Failed e) {
        return finish(Status.FAILED, gatewayTxnId, e.failureCode(), e.reason(), e.at());
      }
      if (event instanceof CancelRequested) {
        return new State(paymentId, spec, status, qrCodeUrl, gatewayTxnId, failureCode, failureReason, deadline,
            startedAt, finishedAt, true, billInformed, refunds, notifications);
      }
      if (event instanceof Cancelled e) {
        return finish(Status.CANCELLED, gatewayTxnId, "CANCELLED", "cancelled before the customer paid", e.at());
      }
      if (event instanceof Expired e) {
        return finish(Status.EXPIRED, gatewayTxnId, "EXPIRED", "the customer did not pay in time", e.at());
      }
      if (event instanceof PaidAfterEnd) {
        return this;
      }
      if (event instanceof RefundRequested e) {
        List<RefundEntry> next = new ArrayList<>(refunds);
        next.add(new RefundEntry(e.refundNo(), e.amountMinor(), RefundStatus.PROCESSING, e.compensation(), false, null));
        return withRefunds(next);
      }
      if (event instanceof RefundSettled e) {
        return withRefunds(refunds.stream().map(r -> r.refundNo().equals(e.refundNo())
            ? new RefundEntry(r.refundNo(), r.amountMinor(), e.succeeded() ? RefundStatus.SUCCEEDED : RefundStatus.REJECTED,
                r.compensation(), false, e.reason())
            : r).toList());
      }
      if (event instanceof NotificationReceived e) {
        List<String> next = new ArrayList<>(notifications);
        next.add(e.notificationId());
        if (next.size() > REMEMBERED_NOTIFICATIONS) next = next.subList(next.size() - REMEMBERED_NOTIFICATIONS, next.size());
        return new State(paymentId, spec, status, qrCodeUrl, gatewayTxnId, failureCode, failureReason, deadline,
            startedAt, finishedAt, cancelRequested, billInformed, refunds, List.copyOf(next));
      }
      if (event instanceof BillInformed e) {
        if (e.what().equals("payment")) {
          return new State(paymentId, spec, status, qrCodeUrl, gatewayTxnId, failureCode, failureReason, deadline,
              startedAt, finishedAt, cancelRequested, true, refunds, notifications);
        }
        return withRefunds(refunds.stream().map(r -> r.refundNo().equals(e.what())
            ? new RefundEntry(r.refundNo(), r.amountMinor(), r.status(), r.compensation(), true, r.reason())
            : r).toList());
      }
      throw new IllegalStateException("unknown event " + event);
    }

    private State finish(Status next, String txnId, String code, String reason, Instant at) {
      return new State(paymentId, spec, next, qrCodeUrl, txnId, code, reason, deadline, startedAt, at,
          cancelRequested, false, refunds, notifications);
    }

    private State withRefunds(List<RefundEntry> next) {
      return new State(paymentId, spec, status, qrCodeUrl, gatewayTxnId, failureCode, failureReason, deadline,
          startedAt, finishedAt, cancelRequested, billInformed, List.copyOf(next), notifications);
    }
  }

  // ---- shell ----

  /**
   * Sagas are remembered entities: after a crash or restart, sharding starts every saga that had
   * not finished, so a pending payment goes on being queried and closed without anybody asking.
   * A finished saga passivates itself and is forgotten until someone needs it again.
   */
  public static void init(ActorSystem<?> system, Gateways gateways, Settings settings) {
    ClusterSharding sharding = ClusterSharding.get(system);
    sharding.init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), gateways, settings,
            billId -> sharding.entityRefFor(Bill.ENTITY_KEY, billId), ctx.getShard()))
        .withSettings(ClusterShardingSettings.create(system)
            .withRememberEntities(true)
            .withRememberEntitiesStoreMode(ClusterShardingSettings.rememberEntitiesStoreModeEventSourced())));
    bringUpEveryShardOnceUp(system, sharding);
  }

  /**
   * The oldest node (it hosts the coordinator) brings the shards up, once it is up: nodes starting
   * together do not all add that work to the cluster's formation.
   */
  private static void bringUpEveryShardOnceUp(ActorSystem<?> system, ClusterSharding sharding) {
    system.systemActorOf(Behaviors.<SelfUp>setup(ctx -> {
      Cluster cluster = Cluster.get(ctx.getSystem());
      cluster.subscriptions().tell(Subscribe.create(ctx.getSelf(), SelfUp.class));
      return Behaviors.receive(SelfUp.class).onMessage(SelfUp.class, up -> {
        Member self = cluster.selfMember();
        boolean oldest = java.util.stream.StreamSupport.stream(up.currentClusterState().getMembers().spliterator(), false)
            .filter(m -> m.status() == MemberStatus.up()).noneMatch(m -> m.isOlderThan(self));
        if (oldest) bringUpEveryShard(ctx.getSystem(), sharding);
        return Behaviors.stopped();
      }).build();
    }), "payment-shard-opener", Props.empty());
  }

  /** Entity ids that only bring a shard of sagas up; no payment's id has this shape (ids are [A-Za-z0-9_-]). */
  static final String SHARD_OPENER = "~open-shard-";

  /**
   * Starts every shard of sagas as the cluster comes up, before it is busy. Sharding's coordinator
   * writes each new shard of a remembering entity type to the journal before the shard may start, one shard at
   * a time; on a fresh database those hundred writes used to fall in the first minute of a rush,
   * where each took a few hundred milliseconds and the last payments waited twenty seconds for
   * their saga to start. On a restart the shards are remembered and already up; each opener then
   * costs its shard a start and a stop (two small journal writes).
   */
  private static void bringUpEveryShard(ActorSystem<?> system, ClusterSharding sharding) {
    int shards = system.settings().config().getInt("pekko.cluster.sharding.number-of-shards");
    HashCodeMessageExtractor<Command> extractor = new HashCodeMessageExtractor<>(shards);
    Set<String> reached = new HashSet<>();
    for (int i = 0; reached.size() < shards; i++) {
      String opener = SHARD_OPENER + i;
      if (reached.add(extractor.shardId(opener))) { // one every 10 ms, not all at once
        var ref = sharding.entityRefFor(ENTITY_KEY, opener);
        system.scheduler().scheduleOnce(Duration.ofMillis(10L * reached.size()),
            () -> ref.tell(new Get(system.ignoreRef())), system.executionContext());
      }
    }
  }

  public static Behavior<Command> create(String paymentId, Gateways gateways, Settings settings,
      Function<String, RecipientRef<Bill.Command>> bills) {
    return create(paymentId, gateways, settings, bills, null);
  }

  static Behavior<Command> create(String paymentId, Gateways gateways, Settings settings,
      Function<String, RecipientRef<Bill.Command>> bills, ActorRef<ClusterSharding.ShardCommand> shard) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new PaymentSaga(paymentId, gateways, settings, bills, ctx, timers, shard)));
  }

  private final String paymentId;
  private final Gateways gateways;
  private final Settings settings;
  private final Function<String, RecipientRef<Bill.Command>> bills;
  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  /** Callers waiting for the first answer of the gateway, or for a cancel to land; not persisted: they retry. */
  private final List<ActorRef<StatusReply<View>>> waiting = new ArrayList<>();
  private final List<ActorRef<StatusReply<View>>> cancelling = new ArrayList<>();
  private int attempts;
  private final ActorRef<ClusterSharding.ShardCommand> shard;

  private PaymentSaga(String paymentId, Gateways gateways, Settings settings,
      Function<String, RecipientRef<Bill.Command>> bills, ActorContext<Command> ctx, TimerScheduler<Command> timers,
      ActorRef<ClusterSharding.ShardCommand> shard) {
    super(PersistenceId.of(ENTITY_KEY.name(), paymentId));
    this.paymentId = paymentId;
    this.gateways = gateways;
    this.settings = settings;
    this.bills = bills;
    this.ctx = ctx;
    this.timers = timers;
    this.shard = shard;
  }

  @Override
  public State emptyState() {
    return State.empty(paymentId);
  }

  /** Nothing left to do: the outcome and every refund are final and the bill holds them. */
  private void passivateIfDone(State s) {
    boolean done = s.status().terminal() && !s.owesBillPayment()
        && s.refunds().stream().noneMatch(r -> r.status() == RefundStatus.PROCESSING)
        && s.refundsOwedToBill().isEmpty();
    if (done && shard != null) shard.tell(new ClusterSharding.Passivate<>(ctx.getSelf()));
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Start.class, this::onStart)
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), s.view()))
        .onCommand(Notify.class, (s, c) -> {
          List<Event> events = s.decideNotification(c.notification(), c.at());
          return Effect().persist(events).thenRun(after -> react(after, events))
              .thenReply(c.replyTo(), after -> StatusReply.success(after.view()));
        })
        .onCommand(Cancel.class, this::onCancel)
        .onCommand(Refund.class, (s, c) -> {
          try {
            List<Event> events = s.decideRefund(c.refundNo(), c.amountMinor(), c.at());
            // asked again about a refund under way: find out where it stands (a lost answer is recovered so)
            s.refund(c.refundNo()).filter(r -> r.status() == RefundStatus.PROCESSING).ifPresent(r -> queryRefund(s, r));
            return Effect().persist(events).thenRun(after -> react(after, events))
                .thenReply(c.replyTo(), after -> StatusReply.success(after.view()));
          } catch (Rejected r) {
            return Effect().reply(c.replyTo(), r.toReply());
          }
        })
        .onCommand(Answered.class, (s, c) -> {
          attempts = 0;
          List<Event> events = s.decideAnswer(c.result(), c.step(), Instant.now());
          if (c.result().status() == TradeResult.Status.NOT_FOUND && c.step() == Step.QUERY && !s.status().terminal()) {
            call(s, Step.INITIATE); // the trade never reached the gateway: make it now, under the same number
          }
          return Effect().persist(events).thenRun(after -> {
            react(after, events);
            if (after.status() == Status.PENDING && events.stream().noneMatch(e -> e instanceof AwaitingCustomer)) {
              scheduleTick(c.step() == Step.CLOSE ? settings.retryBackoff() : settings.queryInterval());
            }
          }).thenNoReply();
        })
        .onCommand(CallFailed.class, (s, c) -> {
          attempts++;
          ctx.getLog().warn("payment {}: {} call to {} failed (attempt {}): {}", paymentId, c.step(),
              s.spec() == null ? "?" : s.spec().provider().wire(), attempts, c.reason());
          if (s.status() == Status.STARTING && attempts >= MAX_GATEWAY_ATTEMPTS) {
            List<Event> events = s.decideUnreachable(Instant.now());
            return Effect().persist(events).thenRun(after -> react(after, events)).thenNoReply();
          }
          if (!s.status().terminal()) {
            Step retry = c.step();
            timers.startSingleTimer("retry", retry == Step.INITIATE ? new Retry() : new Tick(), backoff());
          }
          return Effect().noReply();
        })
        .onCommand(Retry.class, (s, c) -> {
          if (s.status() == Status.STARTING) call(s, Step.INITIATE);
          return Effect().noReply();
        })
        .onCommand(Tick.class, (s, c) -> {
          if (s.status() == Status.PENDING) {
            boolean due = s.cancelRequested() || !Instant.now().isBefore(s.deadline());
            call(s, due ? Step.CLOSE : Step.QUERY);
          }
          return Effect().noReply();
        })
        .onCommand(RefundAnswered.class, (s, c) -> {
          List<Event> events = s.decideRefundAnswer(c.refundNo(), c.result(), Instant.now());
          if (events.isEmpty() && s.refund(c.refundNo()).map(r -> r.status() == RefundStatus.PROCESSING).orElse(false)) {
            timers.startSingleTimer("refund-" + c.refundNo(), new RefundTick(c.refundNo()), refundQueryDelay());
          }
          return Effect().persist(events).thenRun(after -> react(after, events)).thenNoReply();
        })
        .onCommand(RefundCallFailed.class, (s, c) -> {
          ctx.getLog().warn("payment {}: refund {} call failed: {}", paymentId, c.refundNo(), c.reason());
          timers.startSingleTimer("refund-" + c.refundNo(), new RefundTick(c.refundNo()), settings.retryBackoff());
          return Effect().noReply();
        })
        .onCommand(RefundUnknown.class, (s, c) -> {
          s.refund(c.refundNo()).filter(r -> r.status() == RefundStatus.PROCESSING).ifPresent(r -> requestRefund(s, r));
          return Effect().noReply();
        })
        .onCommand(RefundTick.class, (s, c) -> {
          s.refund(c.refundNo()).filter(r -> r.status() == RefundStatus.PROCESSING).ifPresent(r -> queryRefund(s, r));
          return Effect().noReply();
        })
        .onCommand(BillAcked.class, (s, c) -> {
          boolean owed = c.what().equals("payment") ? s.owesBillPayment()
              : s.refundsOwedToBill().stream().anyMatch(r -> r.refundNo().equals(c.what()));
          if (c.what().equals("payment")) {
            answerWaiting(s);
            answerCancelling(s);
          }
          return owed
              ? Effect().persist(new BillInformed(paymentId, c.what())).thenRun(this::passivateIfDone).thenNoReply()
              : Effect().noReply();
        })
        .onCommand(BillUnreachable.class, (s, c) -> {
          if (c.what().equals("payment")) {
            answerWaiting(s);
            answerCancelling(s);
          }
          timers.startSingleTimer("bill-" + c.what(), new InformBill(c.what()), BILL_RETRY);
          return Effect().noReply();
        })
        .onCommand(InformBill.class, (s, c) -> {
          informBill(s, c.what());
          return Effect().noReply();
        })
        .build();
  }

  private record Retry() implements Command {}

  private record InformBill(String what) implements Command {}

  private ReplyEffect<Event, State> onStart(State s, Start c) {
    if (s.status() == Status.NEW) {
      List<Event> events;
      try {
        events = s.decideStart(c.spec(), settings.pendingExpiry(), c.at());
      } catch (Rejected r) {
        return Effect().reply(c.replyTo(), r.toReply());
      }
      waiting.add(c.replyTo());
      return Effect().persist(events).thenRun(after -> call(after, Step.INITIATE)).thenNoReply();
    }
    if (s.status() == Status.STARTING) {
      waiting.add(c.replyTo());
      return Effect().noReply();
    }
    return Effect().reply(c.replyTo(), StatusReply.success(s.view()));
  }

  private ReplyEffect<Event, State> onCancel(State s, Cancel c) {
    List<Event> events;
    try {
      events = s.decideCancel(c.at());
    } catch (Rejected r) {
      return Effect().reply(c.replyTo(), r.toReply());
    }
    if (s.status() == Status.CANCELLED) return Effect().reply(c.replyTo(), StatusReply.success(s.view()));
    cancelling.add(c.replyTo());
    return Effect().persist(events).thenRun(after -> {
      if (after.status() == Status.PENDING) call(after, Step.CLOSE);
      // while STARTING, the close follows the gateway's first answer
    }).thenNoReply();
  }

  /** What the saga does after persisting: answer whoever waits, arm timers, tell the bill, refund. */
  private void react(State s, List<Event> events) {
    for (Event e : events) {
      if (e instanceof AwaitingCustomer) {
        answerWaiting(s);
        if (s.cancelRequested()) call(s, Step.CLOSE);
        else scheduleTick(settings.queryInterval());
      } else if (e instanceof Succeeded || e instanceof Failed || e instanceof Cancelled || e instanceof Expired) {
        timers.cancel("tick");
        // callers hear the outcome once the bill holds it, so what they read next agrees with it
        informBill(s, "payment");
      } else if (e instanceof RefundRequested r) {
        s.refund(r.refundNo()).ifPresent(entry -> requestRefund(s, entry));
      } else if (e instanceof RefundSettled r) {
        s.refund(r.refundNo()).filter(entry -> !entry.compensation()).ifPresent(entry -> informBill(s, entry.refundNo()));
      }
    }
    passivateIfDone(s);
  }

  private void answerWaiting(State s) {
    waiting.forEach(w -> w.tell(StatusReply.success(s.view())));
    waiting.clear();
  }

  private void answerCancelling(State s) {
    cancelling.forEach(w -> w.tell(StatusReply.success(s.view())));
    cancelling.clear();
  }

  private void call(State s, Step step) {
    Optional<Gateway> found = gateways.find(s.spec().provider());
    if (found.isEmpty()) {
      // no gateway for this tender on this node: the trade was never made, so it cannot have been paid
      ctx.getSelf().tell(new Answered(TradeResult.of(TradeResult.Status.DECLINED,
          "no " + s.spec().provider().wire() + " gateway is configured"), step));
      return;
    }
    Gateway gateway = found.get();
    CompletionStage<TradeResult> answer;
    try {
      answer = switch (step) {
        case INITIATE -> s.spec().qr()
            ? gateway.createQrTrade(paymentId, s.spec().amountMinor(), s.spec().description())
            : gateway.payWithCode(s.spec().trade(), s.spec().amountMinor(), s.spec().authCode(), s.spec().description());
        case QUERY -> gateway.query(s.spec().trade());
        case CLOSE -> gateway.close(s.spec().trade());
      };
    } catch (RuntimeException e) {
      ctx.getSelf().tell(new CallFailed(e.toString(), step));
      return;
    }
    ctx.pipeToSelf(bounded(answer), (result, failure) -> failure == null
        ? new Answered(result, step)
        : new CallFailed(Rejected.unwrap(failure).toString(), step));
  }

  private void requestRefund(State s, RefundEntry r) {
    if (gateways.find(s.spec().provider()).isEmpty()) {
      ctx.getSelf().tell(new RefundCallFailed(r.refundNo(), "no " + s.spec().provider().wire() + " gateway is configured"));
      return;
    }
    ctx.pipeToSelf(bounded(gateways.of(s.spec().provider()).refund(s.spec().trade(), r.refundNo(), r.amountMinor())),
        (result, failure) -> failure == null
            ? new RefundAnswered(r.refundNo(), result)
            : new RefundCallFailed(r.refundNo(), Rejected.unwrap(failure).toString()));
  }

  /** Asks how a refund stands; one the gateway never saw is requested again under the same number. */
  private void queryRefund(State s, RefundEntry r) {
    if (gateways.find(s.spec().provider()).isEmpty()) {
      ctx.getSelf().tell(new RefundCallFailed(r.refundNo(), "no " + s.spec().provider().wire() + " gateway is configured"));
      return;
    }
    ctx.pipeToSelf(bounded(gateways.of(s.spec().provider()).queryRefund(s.spec().trade(), r.refundNo())),
        (result, failure) -> {
          if (failure != null) return new RefundCallFailed(r.refundNo(), Rejected.unwrap(failure).toString());
          if (result.status() == RefundResult.Status.NOT_FOUND) return new RefundUnknown(r.refundNo());
          return new RefundAnswered(r.refundNo(), result);
        });
  }

  private void informBill(State s, String what) {
    if (s.spec() == null) return;
    if (what.equals("payment")) {
      if (!s.owesBillPayment()) return;
      ctx.askWithStatus(Done.class, bills.apply(s.spec().billId()), BILL_TIMEOUT,
          replyTo -> new Bill.RecordPaymentOutcome(paymentId, s.status().name(), s.gatewayTxnId(), s.failureCode(),
              s.failureReason(), s.finishedAt(), replyTo),
          (ok, failure) -> failure == null ? new BillAcked("payment") : new BillUnreachable("payment"));
      return;
    }
    s.refundsOwedToBill().stream().filter(r -> r.refundNo().equals(what)).findFirst().ifPresent(r ->
        ctx.askWithStatus(Done.class, bills.apply(s.spec().billId()), BILL_TIMEOUT,
            replyTo -> new Bill.RecordRefundOutcome(r.refundNo(), paymentId, r.status() == RefundStatus.SUCCEEDED,
                r.reason(), Instant.now(), replyTo),
            (ok, failure) -> failure == null ? new BillAcked(r.refundNo()) : new BillUnreachable(r.refundNo())));
  }

  /** A gateway call that never answers counts as failed, so the saga retries and its deadline still holds. */
  private <T> CompletionStage<T> bounded(CompletionStage<T> call) {
    return call.toCompletableFuture().orTimeout(settings.callTimeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /** Wallets pay a refund back within seconds; ask sooner than the trade query schedule. */
  private Duration refundQueryDelay() {
    Duration quick = Duration.ofSeconds(2);
    return settings.queryInterval().compareTo(quick) < 0 ? settings.queryInterval() : quick;
  }

  private void scheduleTick(Duration after) {
    timers.startSingleTimer("tick", new Tick(), after);
  }

  private Duration backoff() {
    return settings.retryBackoff().multipliedBy(1L << Math.min(attempts, 5));
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), s -> {
          if (paymentId.startsWith(SHARD_OPENER)) { // its shard is up; it has nothing to do
            if (shard != null) shard.tell(new ClusterSharding.Passivate<>(ctx.getSelf()));
            return;
          }
          if (s.status() == Status.STARTING) call(s, Step.INITIATE);
          if (s.status() == Status.PENDING) scheduleTick(Duration.ofMillis(100));
          if (s.owesBillPayment()) informBill(s, "payment");
          s.refunds().stream().filter(r -> r.status() == RefundStatus.PROCESSING).forEach(r -> queryRefund(s, r));
          s.refundsOwedToBill().forEach(r -> informBill(s, r.refundNo()));
          if (s.status() != Status.NEW) passivateIfDone(s);
        })
        .build();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(State::apply);
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return Set.of(tagFor(paymentId));
  }
}
