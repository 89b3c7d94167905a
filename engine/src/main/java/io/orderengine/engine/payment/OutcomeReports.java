package io.orderengine.engine.payment;

import java.util.concurrent.CompletionStage;

/**
 * Where a saga reports how its payment and its refunds ended; the bill adapts it. Each call
 * completes once the receiver holds the outcome; a saga reports again until then, so the
 * receiver applies an outcome once.
 */
public interface OutcomeReports {

  CompletionStage<?> payment(PaymentOutcome outcome);

  CompletionStage<?> refund(RefundOutcome outcome);
}
