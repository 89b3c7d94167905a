package io.orderengine.engine.payment;

import io.orderengine.engine.VenueIds;
import io.orderengine.engine.payment.PaymentSaga.RefundEntry;
import io.orderengine.engine.payment.PaymentSaga.Spec;
import io.orderengine.engine.payment.PaymentSaga.Step;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The gateway call each step of a saga makes. Every call is bounded: one that never answers counts
 * as failed, so the saga retries and its deadline still holds. A tender with no gateway on this node
 * is declined (the trade was never made, so it cannot have been paid).
 */
final class GatewayCalls {
  private final Gateways gateways;
  private final Duration timeout;

  GatewayCalls(Gateways gateways, Duration timeout) {
    this.gateways = gateways;
    this.timeout = timeout;
  }

  CompletionStage<TradeResult> trade(String paymentId, Spec spec, Step step) {
    return gateways.find(VenueIds.venueOf(paymentId), spec.provider())
        .thenCompose(gateway -> trade(paymentId, spec, step, gateway));
  }

  private CompletionStage<TradeResult> trade(String paymentId, Spec spec, Step step, Optional<Gateway> gateway) {
    if (gateway.isEmpty()) {
      // before the first call, nothing was made at the provider: declined. After it, the account was
      // disconnected under a trade: the trade is still there, so ask again later rather than guess
      return step == Step.INITIATE
          ? CompletableFuture.completedFuture(TradeResult.of(TradeResult.Status.DECLINED,
              "the venue has no " + spec.provider().wire() + " merchant account"))
          : CompletableFuture.failedFuture(new IllegalStateException(
              "the venue's " + spec.provider().wire() + " merchant account is gone; reconnect it to settle this trade"));
    }
    try {
      return bounded(switch (step) {
        case INITIATE -> spec.jsapi()
            ? gateway.get().createJsapiTrade(paymentId, spec.amountMinor(), spec.description(), spec.openid())
            : spec.qr()
            ? gateway.get().createQrTrade(paymentId, spec.amountMinor(), spec.description())
            : gateway.get().payWithCode(spec.trade(), spec.amountMinor(), spec.authCode(), spec.description());
        case QUERY -> gateway.get().query(spec.trade());
        case CLOSE -> gateway.get().close(spec.trade());
      });
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** {@code query}: asks how the refund stands, else asks for it (again, under the same number). */
  CompletionStage<RefundResult> refund(Spec spec, RefundEntry r, boolean query) {
    return gateways.find(VenueIds.venueOf(spec.paymentId()), spec.provider())
        .thenCompose(gateway -> refund(spec, r, query, gateway));
  }

  private CompletionStage<RefundResult> refund(Spec spec, RefundEntry r, boolean query, Optional<Gateway> gateway) {
    if (gateway.isEmpty()) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("no " + spec.provider().wire() + " gateway is configured"));
    }
    try {
      return bounded(query
          ? gateway.get().queryRefund(spec.trade(), r.refundNo())
          : gateway.get().refund(spec.trade(), r.refundNo(), r.amountMinor()));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private <T> CompletionStage<T> bounded(CompletionStage<T> call) {
    return call.toCompletableFuture().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
