package io.orderengine.engine.member;

import io.orderengine.engine.CborSerializable;
import io.orderengine.engine.DomainEntity;
import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * A member of the venue: stored value (储值), points and tier. Every movement of the balance is
 * keyed (a top-up by its request, a debit by its payment, a credit by its refund), so a retry or a
 * redelivered saga step is answered and never applied twice.
 */
public final class Member extends DomainEntity<Member.Command, Member.Event, Member.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Member");
  public static final String TAG = "member";
  static final long SILVER_FROM_MINOR = 100_000;
  static final long GOLD_FROM_MINOR = 500_000;

  public enum Tier {
    REGULAR,
    SILVER,
    GOLD
  }

  // ---- protocol ----

  public sealed interface Command extends CborSerializable {}

  public record Register(String name, String phone, Instant at, ActorRef<StatusReply<View>> replyTo) implements Command {}

  public record TopUp(String requestId, long amountMinor, String method, Instant at, ActorRef<StatusReply<View>> replyTo)
      implements Command {}

  /** Draws a payment on the stored value; the payment id makes it happen once. */
  public record Debit(String paymentId, long amountMinor, Instant at, ActorRef<StatusReply<View>> replyTo) implements Command {}

  /** Gives money back to the stored value for a refund of an earlier debit. */
  public record Credit(String refundNo, String paymentId, long amountMinor, Instant at, ActorRef<StatusReply<View>> replyTo)
      implements Command {}

  public record Get(ActorRef<View> replyTo) implements Command {}

  public sealed interface Event extends CborSerializable {
    String memberId();
  }

  public record Registered(String memberId, String name, String phone, Instant at) implements Event {}

  public record ToppedUp(String memberId, String requestId, long amountMinor, String method, Instant at) implements Event {}

  public record Debited(String memberId, String paymentId, long amountMinor, long points, Instant at) implements Event {}

  public record Credited(String memberId, String refundNo, String paymentId, long amountMinor, long points, Instant at)
      implements Event {}

  public record View(boolean exists, String memberId, String name, String phone, long balanceMinor, long points,
      Tier tier, long lifetimeSpendMinor, Map<String, Long> debits, Map<String, Long> credits, Instant since)
      implements CborSerializable {}

  // ---- pure core ----

  public record State(String memberId, boolean exists, String name, String phone, long balanceMinor, long points,
      long lifetimeSpendMinor, List<String> topUps, Map<String, Long> debits, Map<String, Long> credits, Instant since)
      implements CborSerializable {

    static State empty(String memberId) {
      return new State(memberId, false, null, null, 0, 0, 0, List.of(), Map.of(), Map.of(), null);
    }

    List<Event> decideRegister(String name, String phone, Instant at) {
      if (exists) throw new Rejected(Rejection.MEMBER_EXISTS, "member " + memberId + " already exists");
      return List.of(new Registered(memberId, name, phone, at));
    }

    List<Event> decideTopUp(String requestId, long amount, String method, Instant at) {
      requireExists();
      if (topUps.contains(requestId)) return List.of();
      if (amount <= 0) throw new Rejected(Rejection.VALIDATION_FAILED, "a top-up is positive");
      return List.of(new ToppedUp(memberId, requestId, amount, method, at));
    }

    List<Event> decideDebit(String paymentId, long amount, Instant at) {
      requireExists();
      if (debits.containsKey(paymentId)) return List.of();
      if (amount <= 0) throw new Rejected(Rejection.VALIDATION_FAILED, "a debit is positive");
      if (amount > balanceMinor) {
        throw new Rejected(Rejection.INSUFFICIENT_BALANCE,
            "member " + memberId + " has " + balanceMinor + " of stored value, " + amount + " is needed");
      }
      return List.of(new Debited(memberId, paymentId, amount, amount / 100, at));
    }

    List<Event> decideCredit(String refundNo, String paymentId, long amount, Instant at) {
      requireExists();
      if (credits.containsKey(refundNo)) return List.of();
      long debited = debits.getOrDefault(paymentId, 0L);
      long creditedBefore = 0;
      // a refund number is <paymentId>-R<n>, so the credits of one payment share its prefix
      for (Map.Entry<String, Long> c : credits.entrySet()) {
        if (c.getKey().startsWith(paymentId + "-R")) creditedBefore += c.getValue();
      }
      if (amount <= 0 || creditedBefore + amount > debited) {
        throw new Rejected(Rejection.AMOUNT_EXCEEDS_REFUNDABLE, "payment " + paymentId + " drew only " + debited);
      }
      return List.of(new Credited(memberId, refundNo, paymentId, amount, Math.min(points, amount / 100), at));
    }

    State apply(Event event) {
      if (event instanceof Registered e) {
        return new State(memberId, true, e.name(), e.phone(), 0, 0, 0, List.of(), Map.of(), Map.of(), e.at());
      }
      if (event instanceof ToppedUp e) {
        List<String> next = new java.util.ArrayList<>(topUps);
        next.add(e.requestId());
        if (next.size() > 256) next = next.subList(next.size() - 256, next.size());
        return new State(memberId, true, name, phone, balanceMinor + e.amountMinor(), points, lifetimeSpendMinor,
            List.copyOf(next), debits, credits, since);
      }
      if (event instanceof Debited e) {
        Map<String, Long> next = new LinkedHashMap<>(debits);
        next.put(e.paymentId(), e.amountMinor());
        return new State(memberId, true, name, phone, balanceMinor - e.amountMinor(), points + e.points(),
            lifetimeSpendMinor + e.amountMinor(), topUps, next, credits, since);
      }
      if (event instanceof Credited e) {
        Map<String, Long> next = new LinkedHashMap<>(credits);
        next.put(e.refundNo(), e.amountMinor());
        return new State(memberId, true, name, phone, balanceMinor + e.amountMinor(), points - e.points(),
            lifetimeSpendMinor - e.amountMinor(), topUps, debits, next, since);
      }
      throw new IllegalStateException("unknown event " + event);
    }

    Tier tier() {
      if (lifetimeSpendMinor >= GOLD_FROM_MINOR) return Tier.GOLD;
      if (lifetimeSpendMinor >= SILVER_FROM_MINOR) return Tier.SILVER;
      return Tier.REGULAR;
    }

    View view() {
      return new View(exists, memberId, name, phone, balanceMinor, points, tier(), lifetimeSpendMinor, debits, credits, since);
    }

    private void requireExists() {
      if (!exists) throw new Rejected(Rejection.NOT_FOUND, "no member " + memberId);
    }
  }

  // ---- shell ----

  public static void init(ActorSystem<?> system) {
    ClusterSharding.get(system).init(Entity.of(ENTITY_KEY, ctx -> new Member(ctx.getEntityId())));
  }

  public static Member create(String memberId) {
    return new Member(memberId);
  }

  private final String memberId;

  private Member(String memberId) {
    super(PersistenceId.of(ENTITY_KEY.name(), memberId));
    this.memberId = memberId;
  }

  @Override
  public State emptyState() {
    return State.empty(memberId);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Register.class, (s, c) -> decide(c.replyTo(), () -> s.decideRegister(c.name(), c.phone(), c.at())))
        .onCommand(TopUp.class, (s, c) -> decide(c.replyTo(), () -> s.decideTopUp(c.requestId(), c.amountMinor(), c.method(), c.at())))
        .onCommand(Debit.class, (s, c) -> decide(c.replyTo(), () -> s.decideDebit(c.paymentId(), c.amountMinor(), c.at())))
        .onCommand(Credit.class, (s, c) -> decide(c.replyTo(), () -> s.decideCredit(c.refundNo(), c.paymentId(), c.amountMinor(), c.at())))
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

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(50, 2);
  }
}
