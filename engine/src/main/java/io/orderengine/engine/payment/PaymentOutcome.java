package io.orderengine.engine.payment;

import java.time.Instant;

/**
 * How a payment ended, as its saga reports it to whoever took the payment: a bill, or (billId null) the
 * member whose top-up its payment id names.
 */
public record PaymentOutcome(String paymentId, String billId, Result result, String gatewayTxnId, String failureCode,
    String failureReason, Instant at) {

  public enum Result {
    SUCCEEDED,
    FAILED,
    CANCELLED,
    EXPIRED
  }
}
