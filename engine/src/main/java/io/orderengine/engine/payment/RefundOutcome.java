package io.orderengine.engine.payment;

import java.time.Instant;

/** How a refund of a payment ended, as the saga reports it. */
public record RefundOutcome(String paymentId, String billId, String refundId, boolean succeeded, String reason, Instant at) {}
