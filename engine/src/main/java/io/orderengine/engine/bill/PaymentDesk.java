package io.orderengine.engine.bill;

import java.util.concurrent.CompletionStage;

/**
 * How a bill reaches the sagas of its non-cash payments; the payment side adapts these calls.
 * Each is keyed by the payment or refund, so asking again joins what is under way.
 */
public interface PaymentDesk {

  /** Starts the payment's saga; completes with the gateway's first answer (the QR link of a wallet trade). */
  CompletionStage<PaymentProgress> start(PaymentOrder order);

  /** Asks the payment's saga for a refund; completes once the saga has taken it on. */
  CompletionStage<?> refund(String paymentId, String refundId, long amountMinor);
}
