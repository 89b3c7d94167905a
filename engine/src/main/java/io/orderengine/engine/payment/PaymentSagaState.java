package io.orderengine.engine.payment;

import io.orderengine.engine.CborSerializable;
import io.orderengine.engine.JsapiPay;
import io.orderengine.engine.Decision;
import io.orderengine.engine.DomainEntity;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.payment.PaymentSaga.AwaitingCustomer;
import io.orderengine.engine.payment.PaymentSaga.BillInformed;
import io.orderengine.engine.payment.PaymentSaga.CancelRequested;
import io.orderengine.engine.payment.PaymentSaga.Cancelled;
import io.orderengine.engine.payment.PaymentSaga.Event;
import io.orderengine.engine.payment.PaymentSaga.Expired;
import io.orderengine.engine.payment.PaymentSaga.Failed;
import io.orderengine.engine.payment.PaymentSaga.NotificationReceived;
import io.orderengine.engine.payment.PaymentSaga.PaidAfterEnd;
import io.orderengine.engine.payment.PaymentSaga.RefundEntry;
import io.orderengine.engine.payment.PaymentSaga.RefundRequested;
import io.orderengine.engine.payment.PaymentSaga.RefundSettled;
import io.orderengine.engine.payment.PaymentSaga.RefundStatus;
import io.orderengine.engine.payment.PaymentSaga.Spec;
import io.orderengine.engine.payment.PaymentSaga.Started;
import io.orderengine.engine.payment.PaymentSaga.Status;
import io.orderengine.engine.payment.PaymentSaga.Step;
import io.orderengine.engine.payment.PaymentSaga.Succeeded;
import io.orderengine.engine.payment.PaymentSaga.View;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The pure core of a payment saga, one state per stage: {@link New} (nothing asked yet),
 * {@link Running} (the gateway has the trade, or is being given it), {@link Ended} (a terminal
 * outcome, and the refunds of the payment). Decisions are values; what the saga owes its bill and
 * when it calls the gateway next are data the shell acts on.
 */
public sealed interface PaymentSagaState extends DomainEntity.Evolving<Event, PaymentSagaState>, CborSerializable {

  /** A gateway call that failed this many times in a row, while starting, counts as an unknown outcome. */
  int MAX_GATEWAY_ATTEMPTS = 5;
  int REMEMBERED_NOTIFICATIONS = 32;
  /** Names the payment's own outcome among what the saga owes its bill; refunds are named by their number. */
  String PAYMENT = "payment";

  String paymentId();

  Status status();

  List<String> notifications();

  static PaymentSagaState empty(String paymentId) {
    return new New(paymentId, List.of());
  }

  // ---- the stages ----

  record New(String paymentId, List<String> notifications) implements PaymentSagaState {
    @Override
    public Status status() {
      return Status.NEW;
    }
  }

  /** {@code awaitingCustomer}: the gateway answered and the customer has yet to pay (PENDING); else STARTING. */
  record Running(String paymentId, Spec spec, boolean awaitingCustomer, String qrCodeUrl, String gatewayTxnId,
      Instant deadline, Instant startedAt, boolean cancelRequested, List<String> notifications, JsapiPay jsapi)
      implements PaymentSagaState {

    @Override
    public Status status() {
      return awaitingCustomer ? Status.PENDING : Status.STARTING;
    }

    Ended end(Status status, String txnId, String code, String reason, Instant at) {
      return new Ended(paymentId, spec, status, qrCodeUrl, txnId, code, reason, deadline, startedAt, at, cancelRequested,
          false, List.of(), notifications, jsapi);
    }
  }

  record Ended(String paymentId, Spec spec, Status status, String qrCodeUrl, String gatewayTxnId, String failureCode,
      String failureReason, Instant deadline, Instant startedAt, Instant finishedAt, boolean cancelRequested,
      boolean billInformed, List<RefundEntry> refunds, List<String> notifications, JsapiPay jsapi)
      implements PaymentSagaState {

    Ended withRefunds(List<RefundEntry> next) {
      return new Ended(paymentId, spec, status, qrCodeUrl, gatewayTxnId, failureCode, failureReason, deadline, startedAt,
          finishedAt, cancelRequested, billInformed, List.copyOf(next), notifications, jsapi);
    }

    Ended informed() {
      return new Ended(paymentId, spec, status, qrCodeUrl, gatewayTxnId, failureCode, failureReason, deadline, startedAt,
          finishedAt, cancelRequested, true, refunds, notifications, jsapi);
    }
  }

  // ---- what every stage answers ----

  default Spec spec() {
    if (this instanceof Running r) return r.spec();
    if (this instanceof Ended e) return e.spec();
    return null;
  }

  default List<RefundEntry> refunds() {
    return this instanceof Ended e ? e.refunds() : List.of();
  }

  default Instant deadline() {
    if (this instanceof Running r) return r.deadline();
    if (this instanceof Ended e) return e.deadline();
    return null;
  }

  default boolean cancelRequested() {
    return false;
  }

  default String qrCodeUrl() {
    return view().qrCodeUrl();
  }

  default String gatewayTxnId() {
    return view().gatewayTxnId();
  }

  default String failureCode() {
    return view().failureCode();
  }

  default String failureReason() {
    return view().failureReason();
  }

  default Instant finishedAt() {
    return view().finishedAt();
  }

  default View view() {
    if (this instanceof Running r) {
      return new View(paymentId(), r.spec(), status(), r.qrCodeUrl(), r.gatewayTxnId(), null, null, r.startedAt(), null,
          List.of(), r.jsapi());
    }
    if (this instanceof Ended e) {
      return new View(paymentId(), e.spec(), e.status(), e.qrCodeUrl(), e.gatewayTxnId(), e.failureCode(),
          e.failureReason(), e.startedAt(), e.finishedAt(), e.refunds(), e.jsapi());
    }
    return new View(paymentId(), null, Status.NEW, null, null, null, null, null, null, List.of(), null);
  }

  // ---- decisions ----

  default Decision<Event> decideStart(Spec s, Duration expiry, Instant at) {
    if (!(this instanceof New)) return Decision.none();
    if (!s.paymentId().equals(paymentId())) return Decision.refuse(Rejection.VALIDATION_FAILED, "spec names another payment");
    return Decision.accept(new Started(paymentId(), s, at.plus(expiry), at));
  }

  /** The gateway's answer to a call, turned into what happened to the payment. */
  default Decision<Event> decideAnswer(TradeResult r, Step step, Instant at) {
    if (this instanceof Ended e) {
      return r.status() == TradeResult.Status.SUCCEEDED ? paidAfterEnd(e, r.gatewayTxnId(), at) : Decision.none();
    }
    if (!(this instanceof Running run)) return Decision.none();
    return switch (r.status()) {
      case SUCCEEDED -> Decision.accept(
          new Succeeded(paymentId(), r.gatewayTxnId(), run.spec().amountMinor(), step.name().toLowerCase(), at));
      case PENDING -> run.awaitingCustomer()
          ? Decision.none()
          : Decision.accept(new AwaitingCustomer(paymentId(), r.qrCodeUrl(), r.gatewayTxnId(), at, r.jsapi()));
      case DECLINED -> Decision.accept(
          new Failed(paymentId(), "PAYMENT_DECLINED", r.reason() == null ? "declined" : r.reason(), at));
      case INSUFFICIENT_BALANCE -> Decision.accept(new Failed(paymentId(), "INSUFFICIENT_BALANCE", r.reason(), at));
      case CLOSED -> Decision.accept(ended(run, at));
      case NOT_FOUND -> step == Step.CLOSE ? Decision.accept(ended(run, at)) : Decision.none();
    };
  }

  /**
   * A query that finds no trade while the payment runs: the trade never reached the gateway, and is
   * to be made now, under the same number. Not once the gateway answered the creation of a QR trade
   * with its code: that trade exists, the provider only shows none until the customer scans the code
   * (Alipay's precreate does so), and making it again would ask again at every query until the scan.
   */
  default boolean tradeLost(TradeResult r, Step step) {
    return r.status() == TradeResult.Status.NOT_FOUND && step == Step.QUERY && !status().terminal()
        && !(spec() != null && spec().qr() && (qrCodeUrl() != null || view().jsapi() != null));
  }

  /** After the gateway stayed unreachable: the outcome is unknown, so the trade is treated as pending until its deadline. */
  default Decision<Event> decideUnreachable(Instant at) {
    return status() == Status.STARTING ? Decision.accept(new AwaitingCustomer(paymentId(), null, null, at)) : Decision.none();
  }

  default Decision<Event> decideNotification(Notification n, Instant at) {
    if (notifications().contains(n.notificationId())) return Decision.none();
    List<Event> events = new ArrayList<>();
    events.add(new NotificationReceived(paymentId(), n.notificationId()));
    if (this instanceof Running run) {
      if (n.status() == TradeResult.Status.SUCCEEDED) {
        events.add(new Succeeded(paymentId(), n.gatewayTxnId(), run.spec().amountMinor(), "callback " + n.notificationId(), at));
      } else if (n.status() == TradeResult.Status.DECLINED) {
        events.add(new Failed(paymentId(), "PAYMENT_DECLINED", n.reason() == null ? "declined" : n.reason(), at));
      }
    } else if (this instanceof Ended e && n.status() == TradeResult.Status.SUCCEEDED) {
      events.addAll(paidAfterEnd(e, n.gatewayTxnId(), at).orThrow());
    }
    return Decision.accept(events);
  }

  default Decision<Event> decideCancel(Instant at) {
    if (this instanceof New) return Decision.refuse(Rejection.NOT_FOUND, "no payment " + paymentId());
    if (this instanceof Running r) return r.cancelRequested() ? Decision.none() : Decision.accept(new CancelRequested(paymentId(), at));
    if (status() == Status.CANCELLED) return Decision.none();
    return Decision.refuse(Rejection.PAYMENT_NOT_PENDING, "payment " + paymentId() + " is " + status());
  }

  default Decision<Event> decideRefund(String refundNo, long amount, Instant at) {
    if (refund(refundNo).isPresent()) return Decision.none();
    if (!(this instanceof Ended e) || e.status() != Status.SUCCEEDED) {
      return Decision.refuse(Rejection.PAYMENT_NOT_PENDING, "payment " + paymentId() + " is " + status() + ", not SUCCEEDED");
    }
    if (amount <= 0 || refundedOrRefunding() + amount > e.spec().amountMinor()) {
      return Decision.refuse(Rejection.AMOUNT_EXCEEDS_REFUNDABLE,
          "payment " + paymentId() + " took " + e.spec().amountMinor() + ", of which " + refundedOrRefunding() + " is refunded");
    }
    return Decision.accept(new RefundRequested(paymentId(), refundNo, amount, false, at));
  }

  default Decision<Event> decideRefundAnswer(String refundNo, RefundResult r, Instant at) {
    Optional<RefundEntry> refund = refund(refundNo);
    if (refund.isEmpty() || refund.get().status() != RefundStatus.PROCESSING) return Decision.none();
    return switch (r.status()) {
      case SUCCEEDED -> Decision.accept(new RefundSettled(paymentId(), refundNo, true, null, at));
      case REJECTED -> Decision.accept(new RefundSettled(paymentId(), refundNo, false, r.reason(), at));
      case PROCESSING, NOT_FOUND -> Decision.none();
    };
  }

  /** The bill holds what {@code what} names: the payment's outcome ({@link #PAYMENT}) or a refund's. */
  default Decision<Event> decideBillHolds(String what) {
    boolean owed = PAYMENT.equals(what) ? owesBillPayment() : refundsOwedToBill().stream().anyMatch(r -> r.refundNo().equals(what));
    return owed ? Decision.accept(new BillInformed(paymentId(), what)) : Decision.none();
  }

  // ---- policy, as data ----

  /** The gateway call due now, if any: the first call while starting, then queries until the deadline or a cancel, then the close. */
  default Optional<Step> nextCall(Instant now) {
    if (!(this instanceof Running r)) return Optional.empty();
    if (!r.awaitingCustomer()) return Optional.of(Step.INITIATE);
    return Optional.of(r.cancelRequested() || !now.isBefore(r.deadline()) ? Step.CLOSE : Step.QUERY);
  }

  /** The wait before calling again after {@code attempts} failed calls: doubling from {@code base}, up to 32 times it. */
  static Duration backoff(Duration base, int attempts) {
    return base.multipliedBy(1L << Math.min(attempts, 5));
  }

  /** Wallets pay a refund back within seconds: asked sooner than the trade query schedule. */
  static Duration refundQueryDelay(Duration queryInterval) {
    Duration quick = Duration.ofSeconds(2);
    return queryInterval.compareTo(quick) < 0 ? queryInterval : quick;
  }

  /** What the bill is still to be told: the payment's outcome, then the outcome of each refund. */
  default List<Object> owedToBill() {
    if (!(this instanceof Ended e)) return List.of();
    List<Object> owed = new ArrayList<>();
    if (owesBillPayment()) {
      owed.add(new PaymentOutcome(paymentId(), e.spec().billId(), PaymentOutcome.Result.valueOf(e.status().name()),
          e.gatewayTxnId(), e.failureCode(), e.failureReason(), e.finishedAt()));
    }
    for (RefundEntry r : refundsOwedToBill()) {
      owed.add(new RefundOutcome(paymentId(), e.spec().billId(), r.refundNo(), r.status() == RefundStatus.SUCCEEDED,
          r.reason(), e.finishedAt()));
    }
    return owed;
  }

  /** Nothing left to do: the outcome and every refund are final and the bill holds them; the saga may passivate. */
  default boolean finished() {
    return this instanceof Ended && !owesBillPayment()
        && refunds().stream().noneMatch(r -> r.status() == RefundStatus.PROCESSING) && refundsOwedToBill().isEmpty();
  }

  default boolean owesBillPayment() {
    return this instanceof Ended e && !e.billInformed();
  }

  default List<RefundEntry> refundsOwedToBill() {
    return refunds().stream().filter(r -> !r.compensation() && r.status() != RefundStatus.PROCESSING && !r.billInformed()).toList();
  }

  default List<RefundEntry> refundsUnderway() {
    return refunds().stream().filter(r -> r.status() == RefundStatus.PROCESSING).toList();
  }

  default Optional<RefundEntry> refund(String refundNo) {
    return refunds().stream().filter(r -> r.refundNo().equals(refundNo)).findFirst();
  }

  default long refundedOrRefunding() {
    return refunds().stream().filter(r -> !r.compensation() && r.status() != RefundStatus.REJECTED)
        .mapToLong(RefundEntry::amountMinor).sum();
  }

  private Event ended(Running r, Instant at) {
    return r.cancelRequested() ? new Cancelled(paymentId(), at) : new Expired(paymentId(), at);
  }

  /** The customer paid a trade that had already ended: the money goes back (once), the bill never counts it. */
  private Decision<Event> paidAfterEnd(Ended e, String txnId, Instant at) {
    if (e.status() == Status.SUCCEEDED || e.refunds().stream().anyMatch(RefundEntry::compensation)) return Decision.none();
    return Decision.accept(new PaidAfterEnd(paymentId(), txnId, e.spec().amountMinor(), at),
        new RefundRequested(paymentId(), paymentId() + "-RBACK", e.spec().amountMinor(), true, at));
  }

  // ---- events ----

  @Override
  default PaymentSagaState apply(Event event) {
    if (event instanceof NotificationReceived e) return remember(e.notificationId());
    if (event instanceof Started e) {
      return new Running(paymentId(), e.spec(), false, null, null, e.deadline(), e.at(), false, notifications(), null);
    }
    if (this instanceof Running r) {
      if (event instanceof AwaitingCustomer e) {
        return new Running(paymentId(), r.spec(), true, e.qrCodeUrl(), e.gatewayTxnId(), r.deadline(), r.startedAt(),
            r.cancelRequested(), r.notifications(), e.jsapi());
      }
      if (event instanceof CancelRequested) {
        return new Running(paymentId(), r.spec(), r.awaitingCustomer(), r.qrCodeUrl(), r.gatewayTxnId(), r.deadline(),
            r.startedAt(), true, r.notifications(), r.jsapi());
      }
      if (event instanceof Succeeded e) return r.end(Status.SUCCEEDED, e.gatewayTxnId(), null, null, e.at());
      if (event instanceof Failed e) return r.end(Status.FAILED, r.gatewayTxnId(), e.failureCode(), e.reason(), e.at());
      if (event instanceof Cancelled e) {
        return r.end(Status.CANCELLED, r.gatewayTxnId(), "CANCELLED", "cancelled before the customer paid", e.at());
      }
      if (event instanceof Expired e) {
        return r.end(Status.EXPIRED, r.gatewayTxnId(), "EXPIRED", "the customer did not pay in time", e.at());
      }
    }
    if (this instanceof Ended e) {
      if (event instanceof PaidAfterEnd) return this;
      if (event instanceof RefundRequested x) {
        List<RefundEntry> next = new ArrayList<>(e.refunds());
        next.add(new RefundEntry(x.refundNo(), x.amountMinor(), RefundStatus.PROCESSING, x.compensation(), false, null));
        return e.withRefunds(next);
      }
      if (event instanceof RefundSettled x) {
        return e.withRefunds(e.refunds().stream().map(r -> r.refundNo().equals(x.refundNo())
            ? new RefundEntry(r.refundNo(), r.amountMinor(), x.succeeded() ? RefundStatus.SUCCEEDED : RefundStatus.REJECTED,
                r.compensation(), false, x.reason())
            : r).toList());
      }
      if (event instanceof BillInformed x) {
        if (PAYMENT.equals(x.what())) return e.informed();
        return e.withRefunds(e.refunds().stream().map(r -> r.refundNo().equals(x.what())
            ? new RefundEntry(r.refundNo(), r.amountMinor(), r.status(), r.compensation(), true, r.reason())
            : r).toList());
      }
      if (event instanceof CancelRequested) return this; // a cancel that crossed the outcome changes nothing
    }
    throw new IllegalStateException("event " + event.getClass().getSimpleName() + " in stage " + getClass().getSimpleName());
  }

  private PaymentSagaState remember(String notificationId) {
    List<String> next = new ArrayList<>(notifications());
    next.add(notificationId);
    if (next.size() > REMEMBERED_NOTIFICATIONS) next = next.subList(next.size() - REMEMBERED_NOTIFICATIONS, next.size());
    List<String> kept = List.copyOf(next);
    if (this instanceof Running r) {
      return new Running(paymentId(), r.spec(), r.awaitingCustomer(), r.qrCodeUrl(), r.gatewayTxnId(), r.deadline(),
          r.startedAt(), r.cancelRequested(), kept, r.jsapi());
    }
    if (this instanceof Ended e) {
      return new Ended(paymentId(), e.spec(), e.status(), e.qrCodeUrl(), e.gatewayTxnId(), e.failureCode(),
          e.failureReason(), e.deadline(), e.startedAt(), e.finishedAt(), e.cancelRequested(), e.billInformed(),
          e.refunds(), kept, e.jsapi());
    }
    return new New(paymentId(), kept);
  }
}
