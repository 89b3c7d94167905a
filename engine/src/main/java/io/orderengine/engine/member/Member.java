package io.orderengine.engine.member;

import io.orderengine.engine.CborSerializable;
import io.orderengine.engine.Decision;
import io.orderengine.engine.DomainEntity;
import io.orderengine.engine.member.MemberState.Active;
import io.orderengine.engine.member.MemberState.Unregistered;
import java.time.Instant;
import java.util.Map;
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
 * A member of the venue: stored value (储值), points and tier. Every movement of the balance is
 * keyed (a top-up by its request, a debit by its payment, a credit by its refund), so a retry or a
 * redelivered saga step is answered and never applied twice. The decisions are {@link MemberState}'s,
 * one record per stage.
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

  /** {@code takenBy}: who took the money at the till (a cash top-up counts in their shift), null for older callers. */
  public record TopUp(String requestId, long amountMinor, String method, String takenBy, Instant at,
      ActorRef<StatusReply<View>> replyTo) implements Movement {
    public TopUp(String requestId, long amountMinor, String method, Instant at, ActorRef<StatusReply<View>> replyTo) {
      this(requestId, amountMinor, method, null, at, replyTo);
    }
  }

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

  /** {@code takenBy} is null in events written before top-ups named who took the money. */
  public record ToppedUp(String memberId, String requestId, long amountMinor, String method, Instant at, String takenBy)
      implements Event {
    public ToppedUp(String memberId, String requestId, long amountMinor, String method, Instant at) {
      this(memberId, requestId, amountMinor, method, at, null);
    }
  }

  public record Debited(String memberId, String paymentId, long amountMinor, long points, Instant at) implements Event {}

  public record Credited(String memberId, String refundNo, String paymentId, long amountMinor, long points, Instant at)
      implements Event {}

  public record View(boolean exists, String memberId, String name, String phone, long balanceMinor, long points,
      Tier tier, long lifetimeSpendMinor, Map<String, Long> debits, Map<String, Long> credits, Instant since)
      implements CborSerializable {}

  // ---- shell ----

  public static void init(ActorSystem<?> system) {
    ClusterSharding.get(system).init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId())));
  }

  public static Member create(String memberId) {
    return new Member(memberId);
  }

  private final String memberId;

  private Member(String memberId) {
    super(ENTITY_KEY, memberId, TAG);
    this.memberId = memberId;
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
        .onCommand(Movement.class, (s, c) -> answer(s.notFound(), c.replyTo()));
    b.forStateType(Active.class)
        .onCommand(Register.class, (s, c) -> answer(s.decideRegister(c.name(), c.phone(), c.at()), c.replyTo()))
        .onCommand(TopUp.class, (s, c) -> answer(s.decideTopUp(c.requestId(), c.amountMinor(), c.method(), c.takenBy(), c.at()), c.replyTo()))
        .onCommand(Debit.class, (s, c) -> answer(s.decideDebit(c.paymentId(), c.amountMinor(), c.at()), c.replyTo()))
        .onCommand(Credit.class, (s, c) -> answer(
            s.decideCredit(c.refundNo(), c.paymentId(), c.amountMinor(), c.at()), c.replyTo()));
    b.forAnyState().onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), s.view()));
    return b.build();
  }

  private ReplyEffect<Event, MemberState> answer(Decision<Event> decision, ActorRef<StatusReply<View>> replyTo) {
    return decide(decision, replyTo, MemberState::view);
  }
}
