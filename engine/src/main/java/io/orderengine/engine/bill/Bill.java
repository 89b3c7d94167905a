package io.orderengine.engine.bill;

import io.orderengine.engine.CborSerializable;
import io.orderengine.engine.Money;
import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.payment.PaymentSaga;
import io.orderengine.engine.payment.Provider;
import io.orderengine.engine.table.Table;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import io.orderengine.engine.DomainEntity;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.RecipientRef;
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
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * One bill of an order: the settlement data it was made from, its discounts, and every tender
 * taken against it. When it is paid in full it tells its table, and keeps telling until the table
 * acknowledges, so the table never waits for a settlement that already happened.
 */
public final class Bill extends DomainEntity<Bill.Command, Bill.Event, Bill.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Bill");
  public static final int TAG_COUNT = 4;
  public static final String TAG_PREFIX = "bill-";
  static final int MAX_DISCOUNTS = 20;
  private static final Duration NOTIFY_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration RENOTIFY_DELAY = Duration.ofSeconds(2);
  private static final Duration SAGA_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration SAGA_NUDGE_EVERY = Duration.ofSeconds(20);

  public static String tagFor(String billId) {
    return TAG_PREFIX + Math.floorMod(billId.hashCode(), TAG_COUNT);
  }

  public enum Status {
    OPEN,
    PARTIALLY_PAID,
    PAID,
    VOIDED
  }

  public enum Method {
    CASH,
    CARD,
    WECHAT,
    ALIPAY,
    MEMBER
  }

  public enum PaymentStatus {
    PENDING,
    SUCCEEDED,
    FAILED,
    CANCELLED,
    EXPIRED
  }

  public enum DiscountType {
    PERCENT,
    AMOUNT,
    /** 抹零: the odd fen of a cash payment, written off by the venue's rounding rule. */
    ROUNDING
  }

  // ---- protocol ----

  public sealed interface Command extends CborSerializable {}

  /** Makes the bill from its table's settlement data; opening it again changes nothing. */
  public record Open(BillSpec spec, Instant at, ActorRef<StatusReply<View>> replyTo) implements Command {}

  public record Pay(
      String requestId,
      Method method,
      long amountMinor,
      Long tenderedMinor,
      String authCode,
      String memberId,
      String takenBy,
      Instant at,
      ActorRef<StatusReply<PaymentReply>> replyTo)
      implements Command {

    public Pay(String requestId, Method method, long amountMinor, Long tenderedMinor, Instant at,
        ActorRef<StatusReply<PaymentReply>> replyTo) {
      this(requestId, method, amountMinor, tenderedMinor, null, null, null, at, replyTo);
    }
  }

  /** From a payment saga: how a non-cash payment ended. Redelivered until acknowledged; applied once. */
  public record RecordPaymentOutcome(String paymentId, String status, String gatewayTxnId, String failureCode,
      String failureReason, Instant at, ActorRef<StatusReply<Done>> replyTo) implements Command {}

  public record Refund(String requestId, String paymentId, long amountMinor, String reason, String takenBy, Instant at,
      ActorRef<StatusReply<RefundReply>> replyTo) implements Command {}

  /** From a payment saga: how a refund ended. Redelivered until acknowledged; applied once. */
  public record RecordRefundOutcome(String refundId, String paymentId, boolean succeeded, String reason, Instant at,
      ActorRef<StatusReply<Done>> replyTo) implements Command {}

  public record ApplyDiscount(
      String requestId, DiscountType type, long value, String reason, Instant at, ActorRef<StatusReply<View>> replyTo)
      implements Command {}

  public record Get(ActorRef<View> replyTo) implements Command {}

  /** From the table: a line of this bill was voided. What was paid for it goes back by itself. */
  public record RemoveLine(String lineId, String reason, Instant at, ActorRef<StatusReply<Done>> replyTo) implements Command {}

  private record SagaAcknowledged(String what) implements Command {}

  private record SagaUnreachable(String what) implements Command {}

  private record ResumeSagas() implements Command {}

  private record RefundRefused(String refundId, String reason) implements Command {}

  private record TableAcknowledged() implements Command {}

  private record TableUnreachable() implements Command {}

  private record NotifyTable() implements Command {}

  public sealed interface Event extends CborSerializable {
    String billId();
  }

  public record Opened(BillSpec spec, int serviceChargePercent, Instant at, int cashRoundingMinor) implements Event {
    public Opened(BillSpec spec, int serviceChargePercent, Instant at) {
      this(spec, serviceChargePercent, at, 0);
    }

    @Override
    public String billId() {
      return spec.billId();
    }
  }

  public record DiscountApplied(String billId, String requestId, Discount discount, BillTotals totals) implements Event {
    public DiscountApplied(String billId, String requestId, Discount discount) {
      this(billId, requestId, discount, null);
    }
  }

  public record PaymentRecorded(String billId, String tableId, String requestId, Payment payment) implements Event {}

  public record PaymentSettled(String billId, String paymentId, PaymentStatus status, String gatewayTxnId,
      String failureCode, String failureReason, Instant at) implements Event {}

  public record RefundRecorded(String billId, String tableId, String requestId, RefundEntry refund) implements Event {}

  public record RefundSettled(String billId, String refundId, boolean succeeded, String reason, Instant at) implements Event {}

  /** Paid in full; the table is to be told. */
  /** {@code totals}: the bill's money when it settled, for the read side (null in events of early versions). */
  public record Settled(String billId, String tableId, String orderId, Instant at, BillTotals totals) implements Event {
    public Settled(String billId, String tableId, String orderId, Instant at) {
      this(billId, tableId, orderId, at, null);
    }
  }

  /** The money of a bill at one moment, carried by the events that change it. */
  public record BillTotals(long subtotalMinor, long discountMinor, long serviceChargeMinor, long totalMinor)
      implements CborSerializable {}

  public record TableInformed(String billId) implements Event {}

  public record LineRemoved(String billId, String lineId, long amountMinor, String reason, Instant at, BillTotals totals)
      implements Event {
    public LineRemoved(String billId, String lineId, long amountMinor, String reason, Instant at) {
      this(billId, lineId, amountMinor, reason, at, null);
    }
  }

  // ---- values and views ----

  public record Discount(String discountId, DiscountType type, long value, long amountMinor, String reason, Instant at)
      implements CborSerializable {}

  public record Payment(
      String paymentId,
      Method method,
      long amountMinor,
      long tenderedMinor,
      long changeMinor,
      PaymentStatus status,
      String gatewayTradeNo,
      String failureReason,
      String requestId,
      Instant at,
      String authCode,
      String memberId,
      String failureCode,
      String gatewayTxnId,
      Instant finishedAt,
      String takenBy)
      implements CborSerializable {

    public Payment(String paymentId, Method method, long amountMinor, long tenderedMinor, long changeMinor,
        PaymentStatus status, String gatewayTradeNo, String failureReason, String requestId, Instant at, String authCode,
        String memberId, String failureCode, String gatewayTxnId, Instant finishedAt) {
      this(paymentId, method, amountMinor, tenderedMinor, changeMinor, status, gatewayTradeNo, failureReason, requestId,
          at, authCode, memberId, failureCode, gatewayTxnId, finishedAt, null);
    }

    Payment settled(PaymentStatus next, String txnId, String code, String reason, Instant when) {
      return new Payment(paymentId, method, amountMinor, tenderedMinor, changeMinor, next, gatewayTradeNo, reason,
          requestId, at, authCode, memberId, code, txnId, when, takenBy);
    }

    Payment by(String who) {
      return new Payment(paymentId, method, amountMinor, tenderedMinor, changeMinor, status, gatewayTradeNo,
          failureReason, requestId, at, authCode, memberId, failureCode, gatewayTxnId, finishedAt, who);
    }
  }

  public enum RefundStatus {
    PENDING,
    SUCCEEDED,
    FAILED
  }

  /** {@code takenBy}: who gave the money back (null when a void refunded it by itself). */
  public record RefundEntry(String refundId, String paymentId, Method method, long amountMinor, RefundStatus status,
      String reason, String failureReason, String requestId, Instant at, Instant finishedAt, String takenBy)
      implements CborSerializable {

    public RefundEntry(String refundId, String paymentId, Method method, long amountMinor, RefundStatus status,
        String reason, String failureReason, String requestId, Instant at, Instant finishedAt) {
      this(refundId, paymentId, method, amountMinor, status, reason, failureReason, requestId, at, finishedAt, null);
    }
  }

  public record RefundReply(RefundEntry refund, View bill) implements CborSerializable {}

  public record View(
      boolean exists,
      String billId,
      String tableId,
      String orderId,
      String waiter,
      Status status,
      List<BillLine> lines,
      int part,
      int parts,
      long subtotalMinor,
      long discountMinor,
      long serviceChargeMinor,
      long totalMinor,
      long paidMinor,
      long refundedMinor,
      long dueMinor,
      List<Discount> discounts,
      List<Payment> payments,
      Instant openedAt,
      Instant settledAt,
      long pendingMinor,
      List<RefundEntry> refunds,
      List<String> removedLines)
      implements CborSerializable {

    public Optional<Payment> payment(String paymentId) {
      return payments.stream().filter(p -> p.paymentId().equals(paymentId)).findFirst();
    }

    public Optional<RefundEntry> refund(String refundId) {
      return refunds.stream().filter(r -> r.refundId().equals(refundId)).findFirst();
    }
  }

  public record PaymentReply(Payment payment, View bill) implements CborSerializable {}

  // ---- pure core ----

  public record State(
      String billId,
      BillSpec spec,
      int serviceChargePercent,
      List<Discount> discounts,
      List<Payment> payments,
      Instant openedAt,
      Instant settledAt,
      boolean tableInformed,
      List<RefundEntry> refunds,
      int cashRoundingMinor,
      List<String> removedLines)
      implements CborSerializable {

    public State(String billId, BillSpec spec, int serviceChargePercent, List<Discount> discounts, List<Payment> payments,
        Instant openedAt, Instant settledAt, boolean tableInformed) {
      this(billId, spec, serviceChargePercent, discounts, payments, openedAt, settledAt, tableInformed, List.of(), 0, List.of());
    }

    public static State empty(String billId) {
      return new State(billId, null, 0, List.of(), List.of(), null, null, false, List.of(), 0, List.of());
    }

    public boolean exists() {
      return spec != null;
    }

    /** The settlement data's amount, less the lines voided after the bill was made. */
    public long subtotalMinor() {
      long removed = 0;
      for (BillLine l : spec.lines()) if (removedLines.contains(l.lineId())) removed += l.amountMinor();
      return Math.max(0, spec.subtotalMinor() - removed);
    }

    public long discountMinor() {
      long sum = 0;
      for (Discount d : discounts) sum += d.amountMinor();
      return Math.min(sum, subtotalMinor());
    }

    public long serviceChargeMinor() {
      return Money.percentOf(subtotalMinor() - discountMinor(), serviceChargePercent);
    }

    public long totalMinor() {
      return subtotalMinor() - discountMinor() + serviceChargeMinor();
    }

    public long paidMinor() {
      return sumPayments(PaymentStatus.SUCCEEDED);
    }

    /** Money reserved by payments whose outcome is not known yet. */
    public long pendingMinor() {
      return sumPayments(PaymentStatus.PENDING);
    }

    public long refundedMinor() {
      long sum = 0;
      for (RefundEntry r : refunds) if (r.status() == RefundStatus.SUCCEEDED) sum += r.amountMinor();
      return sum;
    }

    /** What the diners still owe; a settled bill owes nothing, even after a goodwill refund. */
    public long dueMinor() {
      if (settledAt != null) return 0;
      return Math.max(0, totalMinor() - (paidMinor() - refundedMinor()));
    }

    public Status status() {
      if (settledAt != null) return subtotalMinor() == 0 && paidMinor() == 0 ? Status.VOIDED : Status.PAID;
      return paidMinor() - refundedMinor() > 0 ? Status.PARTIALLY_PAID : Status.OPEN;
    }

    public boolean awaitsTable() {
      return settledAt != null && !tableInformed;
    }

    public List<Payment> pendingPayments() {
      return payments.stream().filter(p -> p.status() == PaymentStatus.PENDING).toList();
    }

    public List<RefundEntry> pendingRefunds() {
      return refunds.stream().filter(r -> r.status() == RefundStatus.PENDING).toList();
    }

    public List<Event> decideOpen(BillSpec newSpec, int serviceCharge, Instant at) {
      return decideOpen(newSpec, serviceCharge, 0, at);
    }

    public List<Event> decideOpen(BillSpec newSpec, int serviceCharge, int cashRounding, Instant at) {
      if (exists()) return List.of();
      Opened opened = new Opened(newSpec, serviceCharge, at, cashRounding);
      // a bill of free dishes owes nothing from the start
      return newSpec.subtotalMinor() == 0
          ? List.of(opened, new Settled(newSpec.billId(), newSpec.tableId(), newSpec.orderId(), at))
          : List.of(opened);
    }

    public Optional<Payment> paymentOfRequest(String requestId) {
      return payments.stream().filter(p -> java.util.Objects.equals(p.requestId(), requestId)).findFirst();
    }

    public Optional<RefundEntry> refundOfRequest(String requestId) {
      return refunds.stream().filter(r -> java.util.Objects.equals(r.requestId(), requestId)).findFirst();
    }

    public List<Event> decidePay(String requestId, Method method, long amountMinor, Long tenderedMinor, Instant at) {
      return decidePay(requestId, method, amountMinor, tenderedMinor, null, null, at);
    }

    public List<Event> decidePay(String requestId, Method method, long amountMinor, Long tenderedMinor, String authCode,
        String memberId, Instant at) {
      requireExists();
      if (requestId == null) throw new Rejected(Rejection.VALIDATION_FAILED, "a payment carries its request id");
      if (paymentOfRequest(requestId).isPresent()) return List.of();
      if (settledAt != null) throw new Rejected(Rejection.BILL_SETTLED, "bill " + billId + " is already paid");
      if (amountMinor <= 0) throw new Rejected(Rejection.VALIDATION_FAILED, "amountMinor must be positive");
      long open = dueMinor() - pendingMinor();
      if (open <= 0) {
        throw new Rejected(Rejection.AMOUNT_EXCEEDS_DUE, "nothing is left to pay on bill " + billId
            + (pendingMinor() > 0 ? " while " + pendingMinor() + " awaits a pending payment" : ""));
      }
      Payment payment;
      if (method == Method.CASH) {
        long tendered = tenderedMinor == null ? amountMinor : tenderedMinor;
        if (tendered < amountMinor) {
          throw new Rejected(Rejection.VALIDATION_FAILED, "tenderedMinor must be at least amountMinor");
        }
        long roundedOpen = cashRoundingMinor > 0 && pendingMinor() == 0 ? open - open % cashRoundingMinor : open;
        long writeOff = amountMinor < open && amountMinor >= roundedOpen ? open - roundedOpen : 0;
        long applied = Math.min(amountMinor, open - writeOff);
        payment = new Payment(nextPaymentId(), method, applied, tendered, tendered - applied, PaymentStatus.SUCCEEDED,
            null, null, requestId, at, null, null, null, null, at);
        if (writeOff > 0) {
          List<Event> events = new ArrayList<>();
          events.add(new DiscountApplied(billId, requestId,
              new Discount("R-" + requestId, DiscountType.ROUNDING, writeOff, writeOff, "抹零 cash rounding", at)));
          events.add(new PaymentRecorded(billId, spec.tableId(), requestId, payment));
          events.add(new Settled(billId, spec.tableId(), spec.orderId(), at));
          return events;
        }
      } else {
        if (amountMinor > open) {
          throw new Rejected(Rejection.AMOUNT_EXCEEDS_DUE, amountMinor + " is more than the " + open + " still open on bill " + billId);
        }
        if (method == Method.MEMBER && (memberId == null || memberId.isBlank())) {
          throw new Rejected(Rejection.VALIDATION_FAILED, "a MEMBER payment names its memberId");
        }
        String id = nextPaymentId();
        payment = new Payment(id, method, amountMinor, amountMinor, 0, PaymentStatus.PENDING, id, null, requestId, at,
            authCode, method == Method.MEMBER ? memberId : null, null, null, null);
      }
      List<Event> events = new ArrayList<>();
      events.add(new PaymentRecorded(billId, spec.tableId(), requestId, payment));
      if (payment.status() == PaymentStatus.SUCCEEDED && payment.amountMinor() == dueMinor()) {
        events.add(new Settled(billId, spec.tableId(), spec.orderId(), at));
      }
      return events;
    }

    public List<Event> decidePaymentOutcome(String paymentId, PaymentStatus outcome, String txnId, String code,
        String reason, Instant at) {
      requireExists();
      Payment p = payments.stream().filter(x -> x.paymentId().equals(paymentId)).findFirst()
          .orElseThrow(() -> new Rejected(Rejection.NOT_FOUND, "no payment " + paymentId + " on bill " + billId));
      if (p.status() != PaymentStatus.PENDING || outcome == PaymentStatus.PENDING) return List.of();
      List<Event> events = new ArrayList<>();
      events.add(new PaymentSettled(billId, paymentId, outcome, txnId, code, reason, at));
      // a line voided while this tender was pending may leave the bill overpaid: that goes back now
      refundExcess(apply(events.get(0)), events, "excess:" + paymentId, "the bill shrank while " + paymentId + " was pending", at);
      return events;
    }

    public List<Event> decideRefund(String requestId, String paymentId, long amountMinor, String reason, Instant at) {
      requireExists();
      if (requestId == null) throw new Rejected(Rejection.VALIDATION_FAILED, "a refund carries its request id");
      if (refundOfRequest(requestId).isPresent()) return List.of();
      Payment p = payments.stream().filter(x -> x.paymentId().equals(paymentId)).findFirst()
          .orElseThrow(() -> new Rejected(Rejection.NOT_FOUND, "no payment " + paymentId + " on bill " + billId));
      if (p.status() != PaymentStatus.SUCCEEDED) {
        throw new Rejected(Rejection.PAYMENT_NOT_PENDING, "payment " + paymentId + " is " + p.status() + "; only a succeeded payment is refunded");
      }
      long refundable = p.amountMinor() - refunds.stream()
          .filter(r -> r.paymentId().equals(paymentId) && r.status() != RefundStatus.FAILED)
          .mapToLong(RefundEntry::amountMinor).sum();
      if (amountMinor <= 0 || amountMinor > refundable) {
        throw new Rejected(Rejection.AMOUNT_EXCEEDS_REFUNDABLE,
            "payment " + paymentId + " has " + refundable + " left to refund, not " + amountMinor);
      }
      long sameTender = refunds.stream().filter(r -> r.paymentId().equals(paymentId)).count();
      String refundId = paymentId + "-R" + (sameTender + 1);
      RefundStatus status = p.method() == Method.CASH ? RefundStatus.SUCCEEDED : RefundStatus.PENDING;
      RefundEntry refund = new RefundEntry(refundId, paymentId, p.method(), amountMinor, status, reason, null, requestId,
          at, status == RefundStatus.SUCCEEDED ? at : null);
      return List.of(new RefundRecorded(billId, spec.tableId(), requestId, refund));
    }

    public List<Event> decideRefundOutcome(String refundId, boolean succeeded, String reason, Instant at) {
      requireExists();
      return refunds.stream().anyMatch(r -> r.refundId().equals(refundId) && r.status() == RefundStatus.PENDING)
          ? List.of(new RefundSettled(billId, refundId, succeeded, reason, at))
          : List.of();
    }

    /**
     * A line voided after billing leaves the bill; if more was paid than the bill now asks, the
     * difference goes back to the tenders, newest first; if the bill is thereby covered, it is settled.
     */
    public List<Event> decideRemoveLine(String lineId, String reason, Instant at) {
      requireExists();
      if (removedLines.contains(lineId)) return List.of();
      BillLine line = spec.lines().stream().filter(l -> l.lineId().equals(lineId)).findFirst()
          .orElseThrow(() -> new Rejected(Rejection.NOT_FOUND, "line " + lineId + " is not on bill " + billId));
      boolean shareOfEvenSplit = spec.subtotalMinor() != spec.lines().stream().mapToLong(BillLine::amountMinor).sum();
      if (shareOfEvenSplit) {
        throw new Rejected(Rejection.LINE_ALREADY_BILLED, "bill " + billId + " is a share of an even split; its lines cannot change");
      }
      List<Event> events = new ArrayList<>();
      events.add(new LineRemoved(billId, lineId, line.amountMinor(), reason, at));
      refundExcess(apply(events.get(0)), events, "void:" + lineId, "line " + lineId + " voided: " + reason, at);
      return events;
    }

    /**
     * If the bill keeps more than it now asks (a line voided, perhaps while a tender was pending),
     * gives the difference back to the tenders, newest first, and settles the bill if it is covered.
     */
    void refundExcess(State after, List<Event> events, String keyPrefix, String why, Instant at) {
      long kept = after.paidMinor() - after.refundedMinor() - after.pendingRefundMinor();
      long excess = kept - after.totalMinor();
      int n = 0;
      List<Payment> newestFirst = new ArrayList<>(after.payments);
      java.util.Collections.reverse(newestFirst);
      for (Payment p : newestFirst) {
        if (excess <= 0) break;
        if (p.status() != PaymentStatus.SUCCEEDED) continue;
        long refundable = p.amountMinor() - after.refunds.stream()
            .filter(r -> r.paymentId().equals(p.paymentId()) && r.status() != RefundStatus.FAILED)
            .mapToLong(RefundEntry::amountMinor).sum();
        long back = Math.min(refundable, excess);
        if (back <= 0) continue;
        n++;
        long sameTender = after.refunds.stream().filter(r -> r.paymentId().equals(p.paymentId())).count()
            + events.stream().filter(e -> e instanceof RefundRecorded r && r.refund().paymentId().equals(p.paymentId())).count();
        String refundId = p.paymentId() + "-R" + (sameTender + 1);
        RefundStatus status = p.method() == Method.CASH ? RefundStatus.SUCCEEDED : RefundStatus.PENDING;
        String key = keyPrefix + ":" + n;
        events.add(new RefundRecorded(billId, spec.tableId(), key,
            new RefundEntry(refundId, p.paymentId(), p.method(), back, status, why, null, key, at,
                status == RefundStatus.SUCCEEDED ? at : null)));
        excess -= back;
      }
      if (settledAt == null && after.pendingMinor() == 0 && after.paidMinor() - after.refundedMinor() >= after.totalMinor()) {
        events.add(new Settled(billId, spec.tableId(), spec.orderId(), at));
      }
    }

    long pendingRefundMinor() {
      long sum = 0;
      for (RefundEntry r : refunds) if (r.status() == RefundStatus.PENDING) sum += r.amountMinor();
      return sum;
    }

    public List<Event> decideDiscount(String requestId, DiscountType type, long value, String reason, Instant at) {
      requireExists();
      if (discounts.stream().anyMatch(d -> d.discountId().equals(discountIdOf(requestId)))) return List.of();
      if (settledAt != null) throw new Rejected(Rejection.BILL_SETTLED, "bill " + billId + " is already paid");
      if (discounts.size() >= MAX_DISCOUNTS) throw new Rejected(Rejection.VALIDATION_FAILED, "too many discounts on one bill");
      long base = subtotalMinor() - discountMinor();
      long amount = switch (type) {
        case ROUNDING -> throw new Rejected(Rejection.VALIDATION_FAILED, "rounding is applied by cash payments, not by hand");
        case PERCENT -> {
          if (value < 1 || value > 100) throw new Rejected(Rejection.VALIDATION_FAILED, "a percent discount is 1..100");
          yield Money.percentOf(base, value);
        }
        case AMOUNT -> {
          if (value < 1) throw new Rejected(Rejection.VALIDATION_FAILED, "an amount discount is positive");
          yield Math.min(value, base);
        }
      };
      Discount discount = new Discount(discountIdOf(requestId), type, value, amount, reason, at);
      State after = apply(new DiscountApplied(billId, requestId, discount));
      if (after.totalMinor() < paidMinor() - refundedMinor() + pendingMinor()) {
        throw new Rejected(Rejection.AMOUNT_EXCEEDS_DUE, "the discount would make the bill smaller than what is paid or being paid");
      }
      List<Event> events = new ArrayList<>();
      events.add(new DiscountApplied(billId, requestId, discount));
      if (after.dueMinor() == 0 && after.pendingMinor() == 0) events.add(new Settled(billId, spec.tableId(), spec.orderId(), at));
      return events;
    }

    public State apply(Event event) {
      if (event instanceof Opened e) {
        return new State(billId, e.spec(), e.serviceChargePercent(), List.of(), List.of(), e.at(), null, false, List.of(),
            e.cashRoundingMinor(), List.of());
      }
      if (event instanceof DiscountApplied e) {
        List<Discount> next = new ArrayList<>(discounts);
        next.add(e.discount());
        return new State(billId, spec, serviceChargePercent, List.copyOf(next), payments, openedAt, settledAt, tableInformed, refunds, cashRoundingMinor, removedLines);
      }
      if (event instanceof PaymentRecorded e) {
        List<Payment> next = new ArrayList<>(payments);
        next.add(e.payment());
        return new State(billId, spec, serviceChargePercent, discounts, List.copyOf(next), openedAt, settledAt, tableInformed, refunds, cashRoundingMinor, removedLines);
      }
      if (event instanceof PaymentSettled e) {
        List<Payment> next = payments.stream().map(p -> p.paymentId().equals(e.paymentId())
            ? p.settled(e.status(), e.gatewayTxnId(), e.failureCode(), e.failureReason(), e.at()) : p).toList();
        return new State(billId, spec, serviceChargePercent, discounts, next, openedAt, settledAt, tableInformed, refunds, cashRoundingMinor, removedLines);
      }
      if (event instanceof RefundRecorded e) {
        List<RefundEntry> next = new ArrayList<>(refunds);
        next.add(e.refund());
        return new State(billId, spec, serviceChargePercent, discounts, payments, openedAt, settledAt, tableInformed, List.copyOf(next), cashRoundingMinor, removedLines);
      }
      if (event instanceof RefundSettled e) {
        List<RefundEntry> next = refunds.stream().map(r -> r.refundId().equals(e.refundId())
            ? new RefundEntry(r.refundId(), r.paymentId(), r.method(), r.amountMinor(),
                e.succeeded() ? RefundStatus.SUCCEEDED : RefundStatus.FAILED, r.reason(), e.reason(), r.requestId(), r.at(), e.at(),
                r.takenBy())
            : r).toList();
        return new State(billId, spec, serviceChargePercent, discounts, payments, openedAt, settledAt, tableInformed, next, cashRoundingMinor, removedLines);
      }
      if (event instanceof Settled e) {
        return new State(billId, spec, serviceChargePercent, discounts, payments, openedAt, e.at(), false, refunds, cashRoundingMinor, removedLines);
      }
      if (event instanceof LineRemoved e) {
        List<String> next = new ArrayList<>(removedLines);
        next.add(e.lineId());
        return new State(billId, spec, serviceChargePercent, discounts, payments, openedAt, settledAt, tableInformed,
            refunds, cashRoundingMinor, List.copyOf(next));
      }
      if (event instanceof TableInformed) {
        return new State(billId, spec, serviceChargePercent, discounts, payments, openedAt, settledAt, true, refunds, cashRoundingMinor, removedLines);
      }
      throw new IllegalStateException("unknown event " + event);
    }

    public BillTotals totals() {
      return new BillTotals(subtotalMinor(), discountMinor(), serviceChargeMinor(), totalMinor());
    }

    /** The events as decided, with the bill's money after each one stamped on those that change it. */
    public List<Event> stamped(List<Event> events) {
      List<Event> out = new ArrayList<>(events.size());
      State s = this;
      for (Event e : events) {
        State after = s.apply(e);
        if (e instanceof Settled x && x.totals() == null) e = new Settled(x.billId(), x.tableId(), x.orderId(), x.at(), after.totals());
        else if (e instanceof LineRemoved x && x.totals() == null) {
          e = new LineRemoved(x.billId(), x.lineId(), x.amountMinor(), x.reason(), x.at(), after.totals());
        } else if (e instanceof DiscountApplied x && x.totals() == null) {
          e = new DiscountApplied(x.billId(), x.requestId(), x.discount(), after.totals());
        }
        out.add(e);
        s = after;
      }
      return out;
    }

    public View view() {
      if (!exists()) {
        return new View(false, billId, null, null, null, null, List.of(), 0, 0, 0, 0, 0, 0, 0, 0, 0, List.of(), List.of(),
            null, null, 0, List.of(), List.of());
      }
      return new View(true, billId, spec.tableId(), spec.orderId(), spec.waiter(), status(), spec.lines(), spec.part(),
          spec.parts(), subtotalMinor(), discountMinor(), serviceChargeMinor(), totalMinor(), paidMinor(),
          refundedMinor(), dueMinor(), discounts, payments, openedAt, settledAt, pendingMinor(), refunds, removedLines);
    }

    private long sumPayments(PaymentStatus status) {
      long sum = 0;
      for (Payment p : payments) if (p.status() == status) sum += p.amountMinor();
      return sum;
    }

    private String nextPaymentId() {
      return billId + "-P" + (payments.size() + 1);
    }

    private String discountIdOf(String requestId) {
      return "D-" + requestId;
    }

    private void requireExists() {
      if (!exists()) throw new Rejected(Rejection.NOT_FOUND, "no bill " + billId);
    }
  }

  /** The bill a payment id belongs to: payment ids are made as {@code <billId>-P<n>}. */
  public static Optional<String> billIdOfPayment(String paymentId) {
    int at = paymentId.lastIndexOf("-P");
    if (at <= 0 || at + 2 >= paymentId.length()) return Optional.empty();
    for (int i = at + 2; i < paymentId.length(); i++) {
      if (!Character.isDigit(paymentId.charAt(i))) return Optional.empty();
    }
    return Optional.of(paymentId.substring(0, at));
  }

  // ---- shell ----

  public static void init(ActorSystem<?> system, int serviceChargePercent, int cashRoundingMinor) {
    ClusterSharding sharding = ClusterSharding.get(system);
    sharding.init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), serviceChargePercent, cashRoundingMinor,
        tableId -> sharding.entityRefFor(Table.ENTITY_KEY, tableId),
        paymentId -> sharding.entityRefFor(PaymentSaga.ENTITY_KEY, paymentId))));
  }

  public static Behavior<Command> create(String billId, int serviceChargePercent,
      Function<String, RecipientRef<Table.Command>> tables) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new Bill(billId, serviceChargePercent, 0, ctx, timers, tables, paymentId -> ctx.getSystem().ignoreRef())));
  }

  public static Behavior<Command> create(String billId, int serviceChargePercent, int cashRoundingMinor,
      Function<String, RecipientRef<Table.Command>> tables,
      Function<String, RecipientRef<PaymentSaga.Command>> sagas) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new Bill(billId, serviceChargePercent, cashRoundingMinor, ctx, timers, tables, sagas)));
  }

  private final String billId;
  private final int serviceChargePercent;
  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final Function<String, RecipientRef<Table.Command>> tables;
  private final Function<String, RecipientRef<PaymentSaga.Command>> sagas;
  /** Answers held back until the table has learnt that the bill is settled; not persisted: callers retry. */
  private final List<Runnable> awaitingTable = new ArrayList<>();

  private final int cashRoundingMinor;

  private Bill(String billId, int serviceChargePercent, int cashRoundingMinor, ActorContext<Command> ctx,
      TimerScheduler<Command> timers,
      Function<String, RecipientRef<Table.Command>> tables, Function<String, RecipientRef<PaymentSaga.Command>> sagas) {
    super(PersistenceId.of(ENTITY_KEY.name(), billId));
    this.billId = billId;
    this.serviceChargePercent = serviceChargePercent;
    this.cashRoundingMinor = cashRoundingMinor;
    this.ctx = ctx;
    this.timers = timers;
    this.tables = tables;
    this.sagas = sagas;
  }

  @Override
  public State emptyState() {
    return State.empty(billId);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Open.class, (s, c) -> decide(s, () -> s.decideOpen(c.spec(), serviceChargePercent, cashRoundingMinor, c.at()),
            c.replyTo(), State::view))
        .onCommand(Pay.class, (s, c) -> decide(s,
            () -> takenBy(s.decidePay(c.requestId(), c.method(), c.amountMinor(), c.tenderedMinor(), c.authCode(), c.memberId(), c.at()),
                c.takenBy()),
            c.replyTo(), after -> new PaymentReply(after.paymentOfRequest(c.requestId()).orElseThrow(), after.view())))
        .onCommand(ApplyDiscount.class, (s, c) -> decide(s, () -> s.decideDiscount(c.requestId(), c.type(), c.value(), c.reason(), c.at()),
            c.replyTo(), State::view))
        .onCommand(RecordPaymentOutcome.class, (s, c) -> decide(s,
            () -> s.decidePaymentOutcome(c.paymentId(), PaymentStatus.valueOf(c.status()), c.gatewayTxnId(), c.failureCode(),
                c.failureReason(), c.at()),
            c.replyTo(), after -> Done.getInstance()))
        .onCommand(Refund.class, (s, c) -> decide(s,
            () -> takenBy(s.decideRefund(c.requestId(), c.paymentId(), c.amountMinor(), c.reason(), c.at()), c.takenBy()),
            c.replyTo(), after -> new RefundReply(after.refundOfRequest(c.requestId()).orElseThrow(), after.view())))
        .onCommand(RecordRefundOutcome.class, (s, c) -> decide(s,
            () -> s.decideRefundOutcome(c.refundId(), c.succeeded(), c.reason(), c.at()),
            c.replyTo(), after -> Done.getInstance()))
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), s.view()))
        .onCommand(RemoveLine.class, (s, c) -> decide(s, () -> s.decideRemoveLine(c.lineId(), c.reason(), c.at()),
            c.replyTo(), after -> Done.getInstance()))
        .onCommand(NotifyTable.class, (s, c) -> {
          if (s.awaitsTable()) notifyTable(s);
          return Effect().noReply();
        })
        .onCommand(TableAcknowledged.class, (s, c) -> {
          releaseAwaitingTable();
          return s.awaitsTable() ? Effect().persist(new TableInformed(billId)).thenNoReply() : Effect().noReply();
        })
        .onCommand(TableUnreachable.class, (s, c) -> {
          releaseAwaitingTable();
          timers.startSingleTimer("notify-table", new NotifyTable(), RENOTIFY_DELAY);
          return Effect().noReply();
        })
        .onCommand(SagaAcknowledged.class, (s, c) -> Effect().noReply())
        .onCommand(SagaUnreachable.class, (s, c) -> {
          timers.startSingleTimer("resume-sagas", new ResumeSagas(), RENOTIFY_DELAY);
          return Effect().noReply();
        })
        .onCommand(RefundRefused.class, (s, c) -> Effect()
            .persist(s.decideRefundOutcome(c.refundId(), false, c.reason(), Instant.now())).thenNoReply())
        .onCommand(ResumeSagas.class, (s, c) -> {
          resumeSagas(s);
          keepSagasGoing(s);
          return Effect().noReply();
        })
        .build();
  }

  private <R> ReplyEffect<Event, State> decide(State state, Supplier<List<Event>> decision, ActorRef<StatusReply<R>> replyTo,
      Function<State, R> reply) {
    try {
      List<Event> events = state.stamped(decision.get());
      if (events.stream().anyMatch(e -> e instanceof Settled)) {
        // the caller hears of the settlement once the table holds it too, so a close right after succeeds
        return Effect().persist(events).thenRun(s -> {
          R answer = reply.apply(s);
          awaitingTable.add(() -> replyTo.tell(StatusReply.success(answer)));
          afterPersist(s, events);
        }).thenNoReply();
      }
      return Effect()
          .persist(events)
          .thenRun(s -> afterPersist(s, events))
          .thenReply(replyTo, s -> StatusReply.success(reply.apply(s)));
    } catch (Rejected r) {
      return Effect().reply(replyTo, r.toReply());
    }
  }

  /** Who took or gave back the money, for the cashier's books; the decision itself does not depend on it. */
  static List<Event> takenBy(List<Event> events, String who) {
    if (who == null) return events;
    return events.stream().map(e -> {
      if (e instanceof PaymentRecorded p) return (Event) new PaymentRecorded(p.billId(), p.tableId(), p.requestId(), p.payment().by(who));
      if (e instanceof RefundRecorded r) {
        RefundEntry x = r.refund();
        return (Event) new RefundRecorded(r.billId(), r.tableId(), r.requestId(), new RefundEntry(x.refundId(), x.paymentId(),
            x.method(), x.amountMinor(), x.status(), x.reason(), x.failureReason(), x.requestId(), x.at(), x.finishedAt(), who));
      }
      return e;
    }).toList();
  }

  private void afterPersist(State s, List<Event> events) {
    if (s.awaitsTable()) notifyTable(s);
    keepSagasGoing(s);
    for (Event e : events) {
      if (e instanceof PaymentRecorded r && r.payment().status() == PaymentStatus.PENDING) startSaga(s, r.payment());
      if (e instanceof RefundRecorded r && r.refund().status() == RefundStatus.PENDING) askRefund(r.refund());
    }
  }

  private void releaseAwaitingTable() {
    awaitingTable.forEach(Runnable::run);
    awaitingTable.clear();
  }

  /** The saga of a pending payment is started (or, if it already runs, joined): it reports back by itself. */
  private void startSaga(State s, Payment p) {
    PaymentSaga.Spec spec = sagaSpec(s.billId(), s.spec().tableId(), p);
    ctx.askWithStatus(PaymentSaga.View.class, sagas.apply(p.paymentId()), SAGA_TIMEOUT,
        replyTo -> new PaymentSaga.Start(spec, p.at(), replyTo),
        (view, failure) -> failure == null ? new SagaAcknowledged(p.paymentId()) : new SagaUnreachable(p.paymentId()));
  }

  private void askRefund(RefundEntry r) {
    ctx.askWithStatus(PaymentSaga.View.class, sagas.apply(r.paymentId()), SAGA_TIMEOUT,
        replyTo -> new PaymentSaga.Refund(r.refundId(), r.amountMinor(), r.at(), replyTo),
        (view, failure) -> {
          if (failure == null) return new SagaAcknowledged(r.refundId());
          // the saga refused the refund outright (its payment cannot give that much back): it fails here too
          return Rejected.unwrap(failure) instanceof Rejected refused
              ? new RefundRefused(r.refundId(), refused.detail()) : new SagaUnreachable(r.refundId());
        });
  }

  /**
   * While a tender or refund is pending, its saga is nudged now and then: a saga that stopped with
   * an answer in flight starts again and picks its work up. Every nudge is idempotent.
   */
  private void keepSagasGoing(State s) {
    boolean pending = !s.pendingPayments().isEmpty() || !s.pendingRefunds().isEmpty();
    if (pending && !timers.isTimerActive("keep-sagas-going")) {
      timers.startSingleTimer("keep-sagas-going", new ResumeSagas(), SAGA_NUDGE_EVERY);
    }
  }

  /** After a restart or a lost message: every pending payment and refund is handed to its saga again. */
  private void resumeSagas(State s) {
    s.pendingPayments().forEach(p -> startSaga(s, p));
    s.pendingRefunds().forEach(this::askRefund);
  }

  /** What the saga of a non-cash payment of this bill is to do; the bill and the engine start it alike. */
  public static PaymentSaga.Spec sagaSpec(String billId, String tableId, Payment p) {
    return new PaymentSaga.Spec(p.paymentId(), billId, tableId, Provider.valueOf(p.method().name()),
        p.amountMinor(), p.authCode(), p.memberId(), "bill " + billId + " table " + tableId);
  }

  private void notifyTable(State s) {
    ctx.askWithStatus(
        Table.View.class,
        tables.apply(s.spec().tableId()),
        NOTIFY_TIMEOUT,
        replyTo -> new Table.RecordBillSettled(billId, s.settledAt(), replyTo),
        (ok, failure) -> failure == null ? new TableAcknowledged() : new TableUnreachable());
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), s -> {
          if (s.awaitsTable()) notifyTable(s);
          if (s.exists()) {
            resumeSagas(s);
            keepSagasGoing(s);
          }
        })
        .build();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(State::apply);
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return Set.of(tagFor(billId));
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(50, 2);
  }
}
