package io.orderengine.engine.payment;

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
    Optional<Gateway> gateway = gateways.find(spec.provider());
    if (gateway.isEmpty()) {
      return CompletableFuture.completedFuture(TradeResult.of(TradeResult.Status.DECLINED,
          "no " + spec.provider().wire() + " gateway is configured"));
    }
    try {
      return bounded(switch (step) {
        case INITIATE -> spec.qr()
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
    Optional<Gateway> gateway = gateways.find(spec.provider());
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
