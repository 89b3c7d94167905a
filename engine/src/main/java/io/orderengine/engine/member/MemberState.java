package io.orderengine.engine.member;

import io.orderengine.engine.CborSerializable;
import io.orderengine.engine.Decision;
import io.orderengine.engine.DomainEntity;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.member.Member.Credited;
import io.orderengine.engine.member.Member.Debited;
import io.orderengine.engine.member.Member.Event;
import io.orderengine.engine.member.Member.Registered;
import io.orderengine.engine.member.Member.Tier;
import io.orderengine.engine.member.Member.ToppedUp;
import io.orderengine.engine.member.Member.View;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A member's pure core, one record per stage: nobody registered under the id yet, or a registered
 * member with stored value. Every movement of the balance is keyed and happens once.
 */
public sealed interface MemberState extends CborSerializable, DomainEntity.Evolving<Event, MemberState> {

  long SILVER_FROM_MINOR = 100_000;
  long GOLD_FROM_MINOR = 500_000;
  /** Top-up request ids remembered, so a retried top-up is answered and not applied again. */
  int REMEMBERED_TOP_UPS = 256;

  View view();

  static MemberState empty(String memberId) {
    return new Unregistered(memberId);
  }

  record Unregistered(String memberId) implements MemberState {

    public Decision<Event> decideRegister(String name, String phone, Instant at) {
      return Decision.accept(new Registered(memberId, name, phone, at));
    }

    /** Nobody who never registered moves money. */
    public <E> Decision<E> notFound() {
      return Decision.refuse(Rejection.NOT_FOUND, "no member " + memberId);
    }

    @Override
    public MemberState apply(Event event) {
      if (event instanceof Registered e) {
        return new Active(memberId, e.name(), e.phone(), 0, 0, 0, List.of(), Map.of(), Map.of(), e.at());
      }
      throw new IllegalStateException("member " + memberId + " is not registered for " + event);
    }

    @Override
    public View view() {
      return new View(false, memberId, null, null, 0, 0, Tier.REGULAR, 0, Map.of(), Map.of(), null);
    }
  }

  /**
   * @param debits what each payment drew, by payment id
   * @param credits what each refund gave back, by refund number ({@code <paymentId>-R<n>})
   */
  record Active(String memberId, String name, String phone, long balanceMinor, long points, long lifetimeSpendMinor,
      List<String> topUps, Map<String, Long> debits, Map<String, Long> credits, Instant since) implements MemberState {

    public <E> Decision<E> decideRegister(String name, String phone, Instant at) {
      return Decision.refuse(Rejection.MEMBER_EXISTS, "member " + memberId + " already exists");
    }

    public Decision<Event> decideTopUp(String requestId, long amount, String method, Instant at) {
      return decideTopUp(requestId, amount, method, null, at);
    }

    public Decision<Event> decideTopUp(String requestId, long amount, String method, String takenBy, Instant at) {
      if (topUps.contains(requestId)) return Decision.none();
      if (amount <= 0) return Decision.refuse(Rejection.VALIDATION_FAILED, "a top-up is positive");
      return Decision.accept(new ToppedUp(memberId, requestId, amount, method, at, takenBy));
    }

    /** A point per whole yuan drawn. */
    public Decision<Event> decideDebit(String paymentId, long amount, Instant at) {
      if (debits.containsKey(paymentId)) return Decision.none();
      if (amount <= 0) return Decision.refuse(Rejection.VALIDATION_FAILED, "a debit is positive");
      if (amount > balanceMinor) {
        return Decision.refuse(Rejection.INSUFFICIENT_BALANCE,
            "member " + memberId + " has " + balanceMinor + " of stored value, " + amount + " is needed");
      }
      return Decision.accept(new Debited(memberId, paymentId, amount, amount / 100, at));
    }

    /** The credits of one payment never add up to more than it drew; the points of the money go back, never below 0. */
    public Decision<Event> decideCredit(String refundNo, String paymentId, long amount, Instant at) {
      if (credits.containsKey(refundNo)) return Decision.none();
      long debited = debits.getOrDefault(paymentId, 0L);
      if (amount <= 0 || creditedFor(paymentId) + amount > debited) {
        return Decision.refuse(Rejection.AMOUNT_EXCEEDS_REFUNDABLE, "payment " + paymentId + " drew only " + debited);
      }
      return Decision.accept(new Credited(memberId, refundNo, paymentId, amount, Math.min(points, amount / 100), at));
    }

    // a refund number is <paymentId>-R<n>, so the credits of one payment share its prefix
    private long creditedFor(String paymentId) {
      return credits.entrySet().stream().filter(c -> c.getKey().startsWith(paymentId + "-R"))
          .mapToLong(Map.Entry::getValue).sum();
    }

    public Tier tier() {
      if (lifetimeSpendMinor >= GOLD_FROM_MINOR) return Tier.GOLD;
      if (lifetimeSpendMinor >= SILVER_FROM_MINOR) return Tier.SILVER;
      return Tier.REGULAR;
    }

    @Override
    public MemberState apply(Event event) {
      if (event instanceof ToppedUp e) return withTopUp(e.requestId(), e.amountMinor());
      if (event instanceof Debited e) {
        return withDebits(balanceMinor - e.amountMinor(), points + e.points(), lifetimeSpendMinor + e.amountMinor(),
            with(debits, e.paymentId(), e.amountMinor()));
      }
      if (event instanceof Credited e) {
        return withCredits(balanceMinor + e.amountMinor(), points - e.points(), lifetimeSpendMinor - e.amountMinor(),
            with(credits, e.refundNo(), e.amountMinor()));
      }
      throw new IllegalStateException("member " + memberId + " is registered, " + event + " does not apply");
    }

    private Active withTopUp(String requestId, long amount) {
      List<String> next = new ArrayList<>(topUps);
      next.add(requestId);
      if (next.size() > REMEMBERED_TOP_UPS) next = next.subList(next.size() - REMEMBERED_TOP_UPS, next.size());
      return new Active(memberId, name, phone, balanceMinor + amount, points, lifetimeSpendMinor, List.copyOf(next), debits,
          credits, since);
    }

    private Active withDebits(long balance, long points, long spend, Map<String, Long> debits) {
      return new Active(memberId, name, phone, balance, points, spend, topUps, debits, credits, since);
    }

    private Active withCredits(long balance, long points, long spend, Map<String, Long> credits) {
      return new Active(memberId, name, phone, balance, points, spend, topUps, debits, credits, since);
    }

    private static Map<String, Long> with(Map<String, Long> amounts, String key, long amount) {
      Map<String, Long> next = new LinkedHashMap<>(amounts);
      next.put(key, amount);
      return next;
    }

    @Override
    public View view() {
      return new View(true, memberId, name, phone, balanceMinor, points, tier(), lifetimeSpendMinor, debits, credits, since);
    }
  }
}
