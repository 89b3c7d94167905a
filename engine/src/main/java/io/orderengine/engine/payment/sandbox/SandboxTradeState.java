package io.orderengine.engine.payment.sandbox;

import io.orderengine.engine.CborSerializable;
import io.orderengine.engine.Decision;
import io.orderengine.engine.DomainEntity;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.payment.Provider;
import io.orderengine.engine.payment.sandbox.SandboxTrade.CallbackAcknowledged;
import io.orderengine.engine.payment.sandbox.SandboxTrade.Closed;
import io.orderengine.engine.payment.sandbox.SandboxTrade.Created;
import io.orderengine.engine.payment.sandbox.SandboxTrade.Declined;
import io.orderengine.engine.payment.sandbox.SandboxTrade.Event;
import io.orderengine.engine.payment.sandbox.SandboxTrade.Paid;
import io.orderengine.engine.payment.sandbox.SandboxTrade.RefundAccepted;
import io.orderengine.engine.payment.sandbox.SandboxTrade.RefundState;
import io.orderengine.engine.payment.sandbox.SandboxTrade.RefundSucceeded;
import io.orderengine.engine.payment.sandbox.SandboxTrade.RefundView;
import io.orderengine.engine.payment.sandbox.SandboxTrade.TradeState;
import io.orderengine.engine.payment.sandbox.SandboxTrade.View;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A sandbox trade's pure core, one record per stage: unknown, waiting for the customer, paid,
 * declined, closed unpaid. Every stage answers every command, most by the common answer below.
 *
 * <p>A trade that ends paid or declined owes the merchant one signed callback, sent on the
 * provider's schedule ({@link #CALLBACK_SCHEDULE}, counted from the moment it ended) until the
 * merchant acknowledges it; a refund is accepted first and succeeds {@link #REFUND_MATURES_AFTER} later.
 */
public sealed interface SandboxTradeState extends CborSerializable, DomainEntity.Evolving<Event, SandboxTradeState> {

  /** WeChat Pay re-sends at 15s, 15s, 30s, 3m, 10m, 20m, 30m...; the sandbox keeps the rhythm, compressed. */
  List<Duration> CALLBACK_SCHEDULE = List.of(
      Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
      Duration.ofSeconds(8), Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofSeconds(60),
      Duration.ofSeconds(120), Duration.ofSeconds(300));
  Duration REFUND_MATURES_AFTER = Duration.ofSeconds(1);

  static SandboxTradeState empty(Provider provider, String tradeNo) {
    return new Unknown(provider, tradeNo);
  }

  View view();

  Decision<Event> decideCreate(long amount, String description, String authCode, Instant at);

  Decision<Event> decidePay(Instant at);

  Decision<Event> decideDecline(String why, Instant at);

  /** Only a trade still waiting for the customer closes; any other is left as it is. */
  default Decision<Event> decideClose(Instant at) {
    return Decision.none();
  }

  default Decision<Event> decideRefund(String refundNo, long amount, Instant at) {
    return Decision.refuse(Rejection.VALIDATION_FAILED, "trade " + view().tradeNo() + " is not paid");
  }

  /** The refunds accepted by {@code now} less their maturing time succeed. */
  default Decision<Event> decideMatured(Instant now) {
    return Decision.none();
  }

  default Optional<Instant> nextRefundMaturity() {
    return Optional.empty();
  }

  /** The callback announcing how the trade ended, acknowledged or not; none while it has not ended so. */
  default Optional<Callback> lastCallback() {
    return Optional.empty();
  }

  default Optional<Callback> owedCallback() {
    return lastCallback().filter(c -> !c.acknowledged());
  }

  /** When the owed callback is sent next after {@code now}; none once acknowledged, or once the schedule is spent. */
  default Optional<Instant> nextCallbackAt(Instant now) {
    return owedCallback().flatMap(c -> c.nextAfter(now));
  }

  default Decision<Event> decideAcknowledged(String notificationId) {
    return owedCallback().filter(c -> c.notificationId().equals(notificationId))
        .<Decision<Event>>map(c -> Decision.accept(new CallbackAcknowledged(notificationId)))
        .orElse(Decision.none());
  }

  /** What a trade is about, fixed when it is created. */
  record Terms(Provider provider, String tradeNo, long amountMinor, String description, boolean qr, Instant createdAt)
      implements CborSerializable {

    /** A trade number names one trade: asked again for the same amount it is answered, for another refused. */
    Decision<Event> decideCreateAgain(long amount) {
      if (amount == amountMinor) return Decision.none();
      return Decision.refuse(Rejection.VALIDATION_FAILED,
          "trade number " + tradeNo + " was already used for " + amountMinor + " (OUT_TRADE_NO_USED)");
    }

    View view(TradeState state, String transactionId, String reason, List<RefundView> refunds, Optional<Callback> callback,
        Instant finishedAt) {
      return new View(true, provider, tradeNo, amountMinor, description, qr, state, transactionId, reason, refunds,
          callback.isPresent() ? 1 : 0, callback.map(Callback::acknowledged).orElse(true), createdAt, finishedAt);
    }
  }

  /** The one notification of how a trade ended, owed from {@code owedSince}. */
  record Callback(String notificationId, Instant owedSince, boolean acknowledged) implements CborSerializable {

    static Callback of(Terms terms, Instant at) {
      return new Callback(terms.tradeNo() + "-N1", at, false);
    }

    Optional<Instant> nextAfter(Instant now) {
      Instant at = owedSince;
      for (Duration wait : CALLBACK_SCHEDULE) {
        at = at.plus(wait);
        if (at.isAfter(now)) return Optional.of(at);
      }
      return Optional.empty();
    }
  }

  /** A refund as the trade keeps it: its view and when it was accepted. */
  record Refund(String refundNo, long amountMinor, RefundState state, Instant acceptedAt) implements CborSerializable {
    RefundView view() {
      return new RefundView(refundNo, amountMinor, state);
    }
  }

  record Unknown(Provider provider, String tradeNo) implements SandboxTradeState {

    /** A scanned code decides at once: "DECLINE" is declined, "USERPAYING" waits for the customer, any other pays. */
    @Override
    public Decision<Event> decideCreate(long amount, String description, String authCode, Instant at) {
      if (amount <= 0) return Decision.refuse(Rejection.VALIDATION_FAILED, "amount must be positive");
      if (authCode == null) return Decision.accept(created(amount, description, true, TradeState.NOTPAY, at));
      return switch (authCode.strip().toUpperCase()) {
        case "DECLINE" -> Decision.accept(created(amount, description, false, TradeState.NOTPAY, at),
            new Declined("the customer's code was declined", at));
        case "USERPAYING" -> Decision.accept(created(amount, description, false, TradeState.USERPAYING, at));
        default -> Decision.accept(created(amount, description, false, TradeState.NOTPAY, at),
            new Paid(transactionId(provider, tradeNo, at), at));
      };
    }

    private Created created(long amount, String description, boolean qr, TradeState initial, Instant at) {
      return new Created(provider, tradeNo, amount, description, qr, initial, null, at);
    }

    @Override
    public Decision<Event> decidePay(Instant at) {
      return notFound();
    }

    @Override
    public Decision<Event> decideDecline(String why, Instant at) {
      return notFound();
    }

    @Override
    public Decision<Event> decideRefund(String refundNo, long amount, Instant at) {
      return notFound();
    }

    private Decision<Event> notFound() {
      return Decision.refuse(Rejection.NOT_FOUND, "no trade " + tradeNo + " at the " + provider.wire() + " sandbox");
    }

    @Override
    public SandboxTradeState apply(Event event) {
      if (event instanceof Created e) {
        Terms terms = new Terms(provider, tradeNo, e.amountMinor(), e.description(), e.qr(), e.at());
        return new Waiting(terms, e.initial(), e.reason());
      }
      throw new IllegalStateException("trade " + tradeNo + " does not exist for " + event);
    }

    @Override
    public View view() {
      return new View(false, provider, tradeNo, 0, null, false, null, null, null, List.of(), 0, false, null, null);
    }
  }

  /** Created, not yet paid: NOTPAY, or USERPAYING while the customer confirms on the phone. */
  record Waiting(Terms terms, TradeState state, String reason) implements SandboxTradeState {

    @Override
    public Decision<Event> decideCreate(long amount, String description, String authCode, Instant at) {
      return terms.decideCreateAgain(amount);
    }

    @Override
    public Decision<Event> decidePay(Instant at) {
      return Decision.accept(new Paid(transactionId(terms.provider(), terms.tradeNo(), at), at));
    }

    @Override
    public Decision<Event> decideDecline(String why, Instant at) {
      return Decision.accept(new Declined(why, at));
    }

    @Override
    public Decision<Event> decideClose(Instant at) {
      return Decision.accept(new Closed(at));
    }

    @Override
    public SandboxTradeState apply(Event event) {
      if (event instanceof Paid e) return new Succeeded(terms, e.transactionId(), e.at(), List.of(), Callback.of(terms, e.at()));
      if (event instanceof Declined e) return new Failed(terms, e.reason(), e.at(), Callback.of(terms, e.at()));
      if (event instanceof Closed e) return new Cancelled(terms, e.at());
      throw new IllegalStateException("trade " + terms.tradeNo() + " is waiting, " + event + " does not apply");
    }

    @Override
    public View view() {
      return terms.view(state, null, reason, List.of(), Optional.empty(), null);
    }
  }

  record Succeeded(Terms terms, String transactionId, Instant paidAt, List<Refund> refunds, Callback callback)
      implements SandboxTradeState {

    @Override
    public Decision<Event> decideCreate(long amount, String description, String authCode, Instant at) {
      return terms.decideCreateAgain(amount);
    }

    @Override
    public Decision<Event> decidePay(Instant at) {
      return Decision.none();
    }

    @Override
    public Decision<Event> decideDecline(String why, Instant at) {
      return Decision.refuse(Rejection.VALIDATION_FAILED, "trade " + terms.tradeNo() + " is " + TradeState.SUCCESS);
    }

    /** Refunds never add up to more than the trade took (NOT_ENOUGH); a refund number is applied once. */
    @Override
    public Decision<Event> decideRefund(String refundNo, long amount, Instant at) {
      if (refunds.stream().anyMatch(r -> r.refundNo().equals(refundNo))) return Decision.none();
      long refunded = refunds.stream().mapToLong(Refund::amountMinor).sum();
      if (amount <= 0 || refunded + amount > terms.amountMinor()) {
        return Decision.refuse(Rejection.AMOUNT_EXCEEDS_DUE, "refund exceeds what trade " + terms.tradeNo() + " took (NOT_ENOUGH)");
      }
      return Decision.accept(new RefundAccepted(refundNo, amount, at));
    }

    @Override
    public Decision<Event> decideMatured(Instant now) {
      return Decision.accept(processing()
          .filter(r -> !r.acceptedAt().plus(REFUND_MATURES_AFTER).isAfter(now))
          .map(r -> (Event) new RefundSucceeded(r.refundNo(), now))
          .toList());
    }

    @Override
    public Optional<Instant> nextRefundMaturity() {
      return processing().map(r -> r.acceptedAt().plus(REFUND_MATURES_AFTER)).min(Comparator.naturalOrder());
    }

    private Stream<Refund> processing() {
      return refunds.stream().filter(r -> r.state() == RefundState.PROCESSING);
    }

    @Override
    public Optional<Callback> lastCallback() {
      return Optional.of(callback);
    }

    @Override
    public SandboxTradeState apply(Event event) {
      if (event instanceof RefundAccepted e) {
        List<Refund> next = new ArrayList<>(refunds);
        next.add(new Refund(e.refundNo(), e.amountMinor(), RefundState.PROCESSING, e.at()));
        return withRefunds(next);
      }
      if (event instanceof RefundSucceeded e) {
        return withRefunds(refunds.stream().map(r -> r.refundNo().equals(e.refundNo())
            ? new Refund(r.refundNo(), r.amountMinor(), RefundState.SUCCESS, r.acceptedAt()) : r).toList());
      }
      if (event instanceof CallbackAcknowledged e) {
        return new Succeeded(terms, transactionId, paidAt, refunds, acknowledged(callback, e));
      }
      throw new IllegalStateException("trade " + terms.tradeNo() + " is paid, " + event + " does not apply");
    }

    private Succeeded withRefunds(List<Refund> next) {
      return new Succeeded(terms, transactionId, paidAt, List.copyOf(next), callback);
    }

    @Override
    public View view() {
      return terms.view(TradeState.SUCCESS, transactionId, null, refunds.stream().map(Refund::view).toList(),
          Optional.of(callback), paidAt);
    }
  }

  record Failed(Terms terms, String reason, Instant failedAt, Callback callback) implements SandboxTradeState {

    @Override
    public Decision<Event> decideCreate(long amount, String description, String authCode, Instant at) {
      return terms.decideCreateAgain(amount);
    }

    @Override
    public Decision<Event> decidePay(Instant at) {
      return Decision.refuse(Rejection.VALIDATION_FAILED, "trade " + terms.tradeNo() + " failed (PAYERROR)");
    }

    @Override
    public Decision<Event> decideDecline(String why, Instant at) {
      return Decision.none();
    }

    @Override
    public Optional<Callback> lastCallback() {
      return Optional.of(callback);
    }

    @Override
    public SandboxTradeState apply(Event event) {
      if (event instanceof CallbackAcknowledged e) return new Failed(terms, reason, failedAt, acknowledged(callback, e));
      throw new IllegalStateException("trade " + terms.tradeNo() + " failed, " + event + " does not apply");
    }

    @Override
    public View view() {
      return terms.view(TradeState.PAYERROR, null, reason, List.of(), Optional.of(callback), failedAt);
    }
  }

  /** Closed by the merchant before the customer paid. */
  record Cancelled(Terms terms, Instant closedAt) implements SandboxTradeState {

    @Override
    public Decision<Event> decideCreate(long amount, String description, String authCode, Instant at) {
      return terms.decideCreateAgain(amount);
    }

    @Override
    public Decision<Event> decidePay(Instant at) {
      return Decision.refuse(Rejection.VALIDATION_FAILED, "trade " + terms.tradeNo() + " is closed (TRADE_CLOSED)");
    }

    @Override
    public Decision<Event> decideDecline(String why, Instant at) {
      return Decision.refuse(Rejection.VALIDATION_FAILED, "trade " + terms.tradeNo() + " is " + TradeState.CLOSED);
    }

    @Override
    public SandboxTradeState apply(Event event) {
      throw new IllegalStateException("trade " + terms.tradeNo() + " is closed, " + event + " does not apply");
    }

    @Override
    public View view() {
      return terms.view(TradeState.CLOSED, null, "closed by the merchant", List.of(), Optional.empty(), closedAt);
    }
  }

  /** The provider's own id of a paid trade, as its statements and callbacks name it. */
  private static String transactionId(Provider provider, String tradeNo, Instant at) {
    return provider.wire().substring(0, 2).toUpperCase() + at.toEpochMilli() + Math.floorMod(tradeNo.hashCode(), 10_000);
  }

  private static Callback acknowledged(Callback callback, CallbackAcknowledged e) {
    return e.notificationId().equals(callback.notificationId())
        ? new Callback(callback.notificationId(), callback.owedSince(), true) : callback;
  }
}
