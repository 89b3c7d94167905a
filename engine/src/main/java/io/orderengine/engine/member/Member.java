package io.orderengine.engine.member;

import io.orderengine.engine.CborSerializable;
import io.orderengine.engine.Decision;
import io.orderengine.engine.DomainEntity;
import io.orderengine.engine.member.MemberState.Active;
import io.orderengine.engine.member.MemberState.Unregistered;
import io.orderengine.engine.Courier;
import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReplyBuilder;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * A member of the venue: stored value (储值), points and tier. Every movement of the balance is
 * keyed (a top-up by its request, a debit by its payment, a credit by its refund), so a retry or a
 * redelivered saga step is answered and never applied twice. The decisions are {@link MemberState}'s,
 * one record per stage.
 *
 * <p>A top-up by wallet or card is paid through a payment saga, as a bill's tender is: the member
 * records it pending under a payment id of its own ({@code <memberId>-TU<n>}), starts the saga itself
 * through {@link TopUpDesk} until the saga holds it, answers the cashier with the gateway's first word,
 * and credits the balance only when the saga reports SUCCEEDED ({@link RecordTopUpOutcome}).
 */
public final class Member extends DomainEntity<Member.Command, Member.Event, MemberState> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Member");
  public static final String TAG = "member";

  public enum Tier {
    REGULAR,
    SILVER,
    GOLD
  }

  // ---- protocol ----

  public sealed interface Command extends CborSerializable {}

  public record Register(String name, String phone, Instant at, ActorRef<StatusReply<View>> replyTo) implements Command {}

  /** A movement of the stored value: only a registered member has one. */
  public sealed interface Movement extends Command {
    ActorRef<StatusReply<View>> replyTo();
  }

  /**
   * {@code takenBy}: who took the money at the till (a cash top-up counts in their shift), null for older callers.
   * {@code authCode}: the member's wallet or card code the cashier scanned (null: a WECHAT or ALIPAY top-up is a
   * QR the member scans). {@code terminalId}, {@code terminalRef}, {@code cardLast4}: the slip of a card taken on a
   * bank's standalone terminal (credited at once). The member answers a wallet or card top-up once its saga has
   * given the gateway's first answer.
   */
  public record TopUp(String requestId, long amountMinor, String method, String takenBy, Instant at,
      ActorRef<StatusReply<View>> replyTo, String authCode, String terminalId, String terminalRef, String cardLast4)
      implements Movement {
    public TopUp(String requestId, long amountMinor, String method, String takenBy, Instant at,
        ActorRef<StatusReply<View>> replyTo) {
      this(requestId, amountMinor, method, takenBy, at, replyTo, null, null, null, null);
    }

    public TopUp(String requestId, long amountMinor, String method, Instant at, ActorRef<StatusReply<View>> replyTo) {
      this(requestId, amountMinor, method, null, at, replyTo);
    }
  }

  /** From a top-up's saga: how its payment ended. Reported until acknowledged; applied once. */
  public record RecordTopUpOutcome(String paymentId, TopUpPayment.Status status, String gatewayTxnId, String failureCode,
      String failureReason, Instant at, ActorRef<StatusReply<Done>> replyTo) implements Command {}

  private record Delivery(Courier.Report report) implements Command {}

  /** Draws a payment on the stored value; the payment id makes it happen once. */
  public record Debit(String paymentId, long amountMinor, Instant at, ActorRef<StatusReply<View>> replyTo) implements Movement {}

  /** Gives money back to the stored value for a refund of an earlier debit. */
  public record Credit(String refundNo, String paymentId, long amountMinor, Instant at, ActorRef<StatusReply<View>> replyTo)
      implements Movement {}

  public record Get(ActorRef<View> replyTo) implements Command {}

  public sealed interface Event extends CborSerializable {
    String memberId();
  }

  public record Registered(String memberId, String name, String phone, Instant at) implements Event {}

  /**
   * The balance grows: at once for cash (or a standalone terminal's card), or when a top-up's saga
   * reported SUCCEEDED. {@code takenBy} is null in events written before top-ups named who took the money;
   * {@code paymentId} in those written before top-ups had payment ids; {@code terminalId},
   * {@code terminalRef}, {@code cardLast4}: the slip of a card taken on a standalone terminal, else null.
   */
  public record ToppedUp(String memberId, String requestId, long amountMinor, String method, Instant at, String takenBy,
      String paymentId, String terminalId, String terminalRef, String cardLast4)
      implements Event {
    public ToppedUp(String memberId, String requestId, long amountMinor, String method, Instant at, String takenBy) {
      this(memberId, requestId, amountMinor, method, at, takenBy, null, null, null, null);
    }

    public ToppedUp(String memberId, String requestId, long amountMinor, String method, Instant at) {
      this(memberId, requestId, amountMinor, method, at, null);
    }
  }

  /** A wallet or card top-up is recorded PENDING, before its saga is started; nothing is credited yet. */
  public record TopUpRequested(String memberId, TopUpPayment topUp) implements Event {}

  /** The top-up's saga took it on; {@code qrCodeUrl}: what the member scans, for a wallet's QR. */
  public record TopUpUnderway(String memberId, String paymentId, String qrCodeUrl, Instant at) implements Event {}

  /** How a top-up's payment ended; a SUCCEEDED one is followed by its {@link ToppedUp}. */
  public record TopUpSettled(String memberId, String paymentId, TopUpPayment.Status status, String gatewayTxnId,
      String failureCode, String failureReason, Instant at) implements Event {}

  public record Debited(String memberId, String paymentId, long amountMinor, long points, Instant at) implements Event {}

  public record Credited(String memberId, String refundNo, String paymentId, long amountMinor, long points, Instant at)
      implements Event {}

  /** {@code topUps}: the top-ups with payment ids the member remembers, every pending one among them. */
  public record View(boolean exists, String memberId, String name, String phone, long balanceMinor, long points,
      Tier tier, long lifetimeSpendMinor, Map<String, Long> debits, Map<String, Long> credits, Instant since,
      List<TopUpPayment> topUps)
      implements CborSerializable {

    public View {
      topUps = topUps == null ? List.of() : topUps;
    }

    public View(boolean exists, String memberId, String name, String phone, long balanceMinor, long points, Tier tier,
        long lifetimeSpendMinor, Map<String, Long> debits, Map<String, Long> credits, Instant since) {
      this(exists, memberId, name, phone, balanceMinor, points, tier, lifetimeSpendMinor, debits, credits, since, List.of());
    }

    public Optional<TopUpPayment> topUpOfRequest(String requestId) {
      return topUps.stream().filter(t -> t.requestId().equals(requestId)).findFirst();
    }

    public List<TopUpPayment> pendingTopUps() {
      return topUps.stream().filter(TopUpPayment::pending).toList();
    }
  }

  /** The member a top-up's payment id belongs to: top-up payment ids are made as {@code <memberId>-TU<n>}. */
  public static Optional<String> memberIdOfTopUp(String paymentId) {
    int at = paymentId.lastIndexOf(TOP_UP_MARK);
    int digits = at + TOP_UP_MARK.length();
    if (at <= 0 || digits >= paymentId.length()) return Optional.empty();
    for (int i = digits; i < paymentId.length(); i++) {
      if (!Character.isDigit(paymentId.charAt(i))) return Optional.empty();
    }
    return Optional.of(paymentId.substring(0, at));
  }

  static final String TOP_UP_MARK = "-TU";

  // ---- shell ----

  private static final Duration RESEND_AFTER = Duration.ofSeconds(2);

  public static void init(ActorSystem<?> system, TopUpDesk topUps) {
    ClusterSharding.get(system).init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), topUps)));
  }

  public static Behavior<Command> create(String memberId, TopUpDesk topUps) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new Member(memberId,
        new Courier<>(ctx, timers, Delivery::new, MemberState::startKey, topUps::start, RESEND_AFTER))));
  }

  private final String memberId;
  private final Courier<Command, TopUpDesk.Order> courier;
  /** Top-up callers held until their saga's first answer is back, by its key; not persisted: callers retry. */
  private final Map<String, List<Consumer<MemberState>>> waiting = new HashMap<>();

  private Member(String memberId, Courier<Command, TopUpDesk.Order> courier) {
    super(ENTITY_KEY, memberId, TAG);
    this.memberId = memberId;
    this.courier = courier;
  }

  @Override
  public MemberState emptyState() {
    return MemberState.empty(memberId);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, MemberState> commandHandler() {
    CommandHandlerWithReplyBuilder<Command, Event, MemberState> b = newCommandHandlerWithReplyBuilder();
    b.forStateType(Unregistered.class)
        .onCommand(Register.class, (s, c) -> answer(s.decideRegister(c.name(), c.phone(), c.at()), c.replyTo()))
        .onCommand(Movement.class, (s, c) -> answer(s.notFound(), c.replyTo()))
        .onCommand(RecordTopUpOutcome.class, (s, c) ->
            Effect().reply(c.replyTo(), new Rejected(Rejection.NOT_FOUND, "no member " + memberId).toReply()));
    b.forStateType(Active.class)
        .onCommand(Register.class, (s, c) -> answer(s.decideRegister(c.name(), c.phone(), c.at()), c.replyTo()))
        .onCommand(TopUp.class, this::onTopUp)
        .onCommand(Debit.class, (s, c) -> answer(s.decideDebit(c.paymentId(), c.amountMinor(), c.at()), c.replyTo()))
        .onCommand(Credit.class, (s, c) -> answer(
            s.decideCredit(c.refundNo(), c.paymentId(), c.amountMinor(), c.at()), c.replyTo()))
        .onCommand(RecordTopUpOutcome.class, (s, c) -> decide(
            s.decideTopUpOutcome(c.paymentId(), c.status(), c.gatewayTxnId(), c.failureCode(), c.failureReason(), c.at()),
            c.replyTo(), after -> Done.getInstance()))
        .onCommand(Delivery.class, this::onDelivery);
    b.forAnyState().onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), s.view()));
    b.forAnyState().onCommand(Delivery.class, (s, c) -> Effect().noReply());
    return b.build();
  }

  private ReplyEffect<Event, MemberState> answer(Decision<Event> decision, ActorRef<StatusReply<View>> replyTo) {
    return decide(decision, replyTo, MemberState::view);
  }

  /**
   * Persists the top-up (credited, or recorded pending), starts what is owed, and answers a wallet or
   * card top-up once its saga has given the gateway's first answer (a retry of it the same way).
   */
  private ReplyEffect<Event, MemberState> onTopUp(Active s, TopUp c) {
    Decision<Event> decision = s.decideTopUp(c.requestId(), c.amountMinor(), c.method(), c.takenBy(), c.authCode(),
        c.terminalId(), c.terminalRef(), c.cardLast4(), c.at());
    if (decision instanceof Decision.Refused<Event> refused) return Effect().reply(c.replyTo(), refused.rejected().toReply());
    return Effect().persist(decision.orThrow()).thenRun(after -> {
      courier.deliver(after.owed());
      Consumer<MemberState> reply = m -> c.replyTo().tell(StatusReply.success(m.view()));
      after.awaitedBy(c.requestId()).ifPresentOrElse(key -> waiting.computeIfAbsent(key, k -> new ArrayList<>()).add(reply),
          () -> reply.accept(after));
    }).thenNoReply();
  }

  private ReplyEffect<Event, MemberState> onDelivery(Active s, Delivery c) {
    return courier.handle(c.report(), s::owed,
            key -> release(key, s), // the caller hears the top-up pending; the courier goes on trying
            (key, answer) -> persistDelivery(key,
                s.decideUnderway(key, answer instanceof TopUpDesk.Progress p ? p.qrCodeUrl() : null, Instant.now())),
            (key, refusal) -> persistDelivery(key, s.decideStartRefused(key, refusal.code(), refusal.detail(), Instant.now())))
        .orElseGet(Effect()::noReply);
  }

  /** What the member makes of the saga's word on {@code key}; the top-up's callers hear of it. */
  private ReplyEffect<Event, MemberState> persistDelivery(String key, Decision<Event> decision) {
    return Effect().persist(decision.orThrow()).thenRun(after -> {
      courier.deliver(after.owed());
      release(key, after);
    }).thenNoReply();
  }

  private void release(String key, MemberState s) {
    List<Consumer<MemberState>> answers = waiting.remove(key);
    if (answers != null) answers.forEach(a -> a.accept(s));
  }

  @Override
  public SignalHandler<MemberState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), s -> courier.deliver(s.owed()))
        .build();
  }
}
