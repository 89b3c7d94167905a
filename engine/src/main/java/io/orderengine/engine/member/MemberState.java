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
import io.orderengine.engine.member.Member.TopUpRequested;
import io.orderengine.engine.member.Member.TopUpSettled;
import io.orderengine.engine.member.Member.TopUpUnderway;
import io.orderengine.engine.member.Member.View;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A member's pure core, one record per stage: nobody registered under the id yet, or a registered
 * member with stored value. Every movement of the balance is keyed and happens once.
 */
public sealed interface MemberState extends CborSerializable, DomainEntity.Evolving<Event, MemberState> {

  long SILVER_FROM_MINOR = 100_000;
  long GOLD_FROM_MINOR = 500_000;
  /** Top-up request ids remembered, so a retried top-up is answered and not applied again. */
  int REMEMBERED_TOP_UPS = 256;
  /** Finished top-ups with payment ids kept for the view and for answering a retry; pending ones are all kept. */
  int REMEMBERED_FINISHED_TOP_UPS = 32;
  /** Names a top-up's saga to start among what a member owes: {@code start:<paymentId>}. */
  String START = "start:";

  /** The key under which the start of a top-up's saga is owed and delivered. */
  static String startKey(TopUpDesk.Order order) {
    return START + order.paymentId();
  }

  View view();

  /** The sagas of top-ups still to be started; only a registered member has any. */
  default List<TopUpDesk.Order> owed() {
    return List.of();
  }

  /** The key a top-up caller of {@code requestId} waits for, if its saga has yet to give its first answer. */
  default Optional<String> awaitedBy(String requestId) {
    return Optional.empty();
  }

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
        return new Active(memberId, e.name(), e.phone(), 0, 0, 0, List.of(), Map.of(), Map.of(), e.at(), List.of(), 0);
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
   * @param topUps the request ids of the latest top-ups, credited or paid through a saga
   * @param topUpPayments the top-ups with payment ids: every pending one, and the latest finished ones
   * @param topUpsNumbered how many top-ups were given a payment id, so the next is {@code <memberId>-TU<n+1>}
   */
  record Active(String memberId, String name, String phone, long balanceMinor, long points, long lifetimeSpendMinor,
      List<String> topUps, Map<String, Long> debits, Map<String, Long> credits, Instant since,
      List<TopUpPayment> topUpPayments, int topUpsNumbered) implements MemberState {

    public Active {
      topUpPayments = topUpPayments == null ? List.of() : topUpPayments; // snapshots taken before top-ups had payments
    }

    public Active(String memberId, String name, String phone, long balanceMinor, long points, long lifetimeSpendMinor,
        List<String> topUps, Map<String, Long> debits, Map<String, Long> credits, Instant since) {
      this(memberId, name, phone, balanceMinor, points, lifetimeSpendMinor, topUps, debits, credits, since, List.of(), 0);
    }

    public <E> Decision<E> decideRegister(String name, String phone, Instant at) {
      return Decision.refuse(Rejection.MEMBER_EXISTS, "member " + memberId + " already exists");
    }

    public Decision<Event> decideTopUp(String requestId, long amount, String method, Instant at) {
      return decideTopUp(requestId, amount, method, null, at);
    }

    public Decision<Event> decideTopUp(String requestId, long amount, String method, String takenBy, Instant at) {
      return decideTopUp(requestId, amount, method, takenBy, null, null, null, null, at);
    }

    /**
     * Cash, and a card with the slip of a bank's standalone terminal, are credited at once. A wallet
     * ({@code WECHAT}, {@code ALIPAY}: {@code authCode} scanned from the member, or none for a QR the
     * member scans) or a card on the integrated terminal is recorded pending; its saga is then owed
     * ({@link #owed()}) and the balance grows only when the saga reports SUCCEEDED. Either way the
     * top-up gets the next payment id, and a request already taken is answered, not taken again.
     */
    public Decision<Event> decideTopUp(String requestId, long amount, String method, String takenBy, String authCode,
        String terminalId, String terminalRef, String cardLast4, Instant at) {
      if (requestId == null) return Decision.refuse(Rejection.VALIDATION_FAILED, "a top-up carries its request id");
      if (topUps.contains(requestId) || topUpOfRequest(requestId).isPresent()) return Decision.none();
      if (amount <= 0) return Decision.refuse(Rejection.VALIDATION_FAILED, "a top-up is positive");
      if (method == null || !method.toUpperCase(java.util.Locale.ROOT).matches("CASH|CARD|WECHAT|ALIPAY")) {
        return Decision.refuse(Rejection.VALIDATION_FAILED, "a top-up is paid by CASH, CARD, WECHAT or ALIPAY");
      }
      if (terminalRef == null && (terminalId != null || cardLast4 != null)) {
        return Decision.refuse(Rejection.VALIDATION_FAILED, "a standalone terminal's slip names its terminalRef");
      }
      if (terminalRef != null && (!"CARD".equalsIgnoreCase(method) || authCode != null || cardLast4 == null)) {
        return Decision.refuse(Rejection.VALIDATION_FAILED,
            "a standalone terminal's slip (terminalRef, cardLast4) is of a CARD top-up without authCode");
      }
      String paymentId = memberId + Member.TOP_UP_MARK + (topUpsNumbered + 1);
      if (TopUpPayment.creditedAtOnce(method, terminalRef)) {
        if (authCode != null) return Decision.refuse(Rejection.VALIDATION_FAILED, "cash has no authCode");
        return Decision.accept(new ToppedUp(memberId, requestId, amount, method, at, takenBy, paymentId, terminalId,
            terminalRef, cardLast4));
      }
      return Decision.accept(new TopUpRequested(memberId,
          TopUpPayment.pending(paymentId, requestId, amount, method, authCode, takenBy, at)));
    }

    /**
     * The saga's report of how a top-up's payment ended: SUCCEEDED credits the balance, once; any
     * other end closes the top-up without credit. A report about a top-up already ended changes nothing.
     */
    public Decision<Event> decideTopUpOutcome(String paymentId, TopUpPayment.Status outcome, String txnId, String code,
        String reason, Instant at) {
      Optional<TopUpPayment> found = topUp(paymentId);
      if (found.isEmpty()) {
        return numbered(paymentId) ? Decision.none() // ended long ago, and forgotten
            : Decision.refuse(Rejection.NOT_FOUND, "no top-up " + paymentId + " of member " + memberId);
      }
      TopUpPayment t = found.get();
      if (!t.pending() || outcome == TopUpPayment.Status.PENDING) return Decision.none();
      TopUpSettled settled = new TopUpSettled(memberId, paymentId, outcome, txnId, code, reason, at);
      if (outcome != TopUpPayment.Status.SUCCEEDED) return Decision.accept(settled);
      return Decision.accept(settled, new ToppedUp(memberId, t.requestId(), t.amountMinor(), t.method(), at, t.takenBy(),
          paymentId, null, null, null));
    }

    /** The saga named by {@code key} holds its top-up: it is no longer owed. */
    public Decision<Event> decideUnderway(String key, String qrCodeUrl, Instant at) {
      for (TopUpDesk.Order o : owed()) {
        if (startKey(o).equals(key)) return Decision.accept(new TopUpUnderway(memberId, o.paymentId(), qrCodeUrl, at));
      }
      return Decision.none();
    }

    /** The saga refused the top-up for good (it will never take it on): the top-up fails, nothing was charged. */
    public Decision<Event> decideStartRefused(String key, Rejection code, String detail, Instant at) {
      for (TopUpDesk.Order o : owed()) {
        if (startKey(o).equals(key)) {
          return decideTopUpOutcome(o.paymentId(), TopUpPayment.Status.FAILED, null, code.name(), detail, at);
        }
      }
      return Decision.none();
    }

    /** The sagas still to be started: pending top-ups their saga has not taken on yet. */
    @Override
    public List<TopUpDesk.Order> owed() {
      return topUpPayments.stream().filter(t -> t.pending() && !t.underway())
          .map(t -> new TopUpDesk.Order(t.paymentId(), memberId, t.method().toUpperCase(java.util.Locale.ROOT),
              t.amountMinor(), t.authCode(), t.at()))
          .toList();
    }

    /** The key a caller of {@code requestId} waits for: its top-up's saga, until that has given its first answer. */
    @Override
    public Optional<String> awaitedBy(String requestId) {
      return topUpOfRequest(requestId).filter(t -> t.pending() && !t.underway()).map(t -> START + t.paymentId());
    }

    public Optional<TopUpPayment> topUp(String paymentId) {
      return topUpPayments.stream().filter(t -> t.paymentId().equals(paymentId)).findFirst();
    }

    public Optional<TopUpPayment> topUpOfRequest(String requestId) {
      return topUpPayments.stream().filter(t -> t.requestId().equals(requestId)).findFirst();
    }

    /** A payment id this member gave out: {@code <memberId>-TU<n>} with n at most the count so far. */
    private boolean numbered(String paymentId) {
      if (!Member.memberIdOfTopUp(paymentId).map(memberId::equals).orElse(false)) return false;
      String n = paymentId.substring(paymentId.lastIndexOf(Member.TOP_UP_MARK) + Member.TOP_UP_MARK.length());
      return n.length() < 10 && Integer.parseInt(n) <= topUpsNumbered;
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
      if (event instanceof ToppedUp e) {
        Active credited = withTopUp(e.requestId(), e.amountMinor());
        // a saga's top-up was numbered when it was requested; one credited at once is numbered now
        if (e.paymentId() == null || topUp(e.paymentId()).isPresent()) return credited;
        return credited.withTopUpPayments(added(topUpPayments, TopUpPayment.credited(e)), topUpsNumbered + 1);
      }
      if (event instanceof TopUpRequested e) {
        return withTopUp(e.topUp().requestId(), 0).withTopUpPayments(added(topUpPayments, e.topUp()), topUpsNumbered + 1);
      }
      if (event instanceof TopUpUnderway e) {
        return withTopUpPayments(topUpPayments.stream()
            .map(t -> t.paymentId().equals(e.paymentId()) ? t.underway(e.qrCodeUrl()) : t).toList(), topUpsNumbered);
      }
      if (event instanceof TopUpSettled e) {
        return withTopUpPayments(topUpPayments.stream().map(t -> t.paymentId().equals(e.paymentId())
            ? t.settled(e.status(), e.gatewayTxnId(), e.failureCode(), e.failureReason(), e.at()) : t).toList(), topUpsNumbered);
      }
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

    /** Remembers the request (once) and adds {@code amount} to the balance. */
    private Active withTopUp(String requestId, long amount) {
      List<String> next = new ArrayList<>(topUps);
      if (!next.contains(requestId)) next.add(requestId);
      if (next.size() > REMEMBERED_TOP_UPS) next = next.subList(next.size() - REMEMBERED_TOP_UPS, next.size());
      return new Active(memberId, name, phone, balanceMinor + amount, points, lifetimeSpendMinor, List.copyOf(next), debits,
          credits, since, topUpPayments, topUpsNumbered);
    }

    /** Keeps every pending top-up and the latest finished ones. */
    private Active withTopUpPayments(List<TopUpPayment> payments, int numbered) {
      long finished = payments.stream().filter(t -> !t.pending()).count();
      List<TopUpPayment> kept = new ArrayList<>();
      for (TopUpPayment t : payments) {
        if (!t.pending() && finished-- > REMEMBERED_FINISHED_TOP_UPS) continue;
        kept.add(t);
      }
      return new Active(memberId, name, phone, balanceMinor, points, lifetimeSpendMinor, topUps, debits, credits, since,
          List.copyOf(kept), numbered);
    }

    private static <T> List<T> added(List<T> list, T item) {
      List<T> next = new ArrayList<>(list);
      next.add(item);
      return next;
    }

    private Active withDebits(long balance, long points, long spend, Map<String, Long> debits) {
      return new Active(memberId, name, phone, balance, points, spend, topUps, debits, credits, since, topUpPayments,
          topUpsNumbered);
    }

    private Active withCredits(long balance, long points, long spend, Map<String, Long> credits) {
      return new Active(memberId, name, phone, balance, points, spend, topUps, debits, credits, since, topUpPayments,
          topUpsNumbered);
    }

    private static Map<String, Long> with(Map<String, Long> amounts, String key, long amount) {
      Map<String, Long> next = new LinkedHashMap<>(amounts);
      next.put(key, amount);
      return next;
    }

    @Override
    public View view() {
      return new View(true, memberId, name, phone, balanceMinor, points, tier(), lifetimeSpendMinor, debits, credits, since,
          topUpPayments);
    }
  }
}
