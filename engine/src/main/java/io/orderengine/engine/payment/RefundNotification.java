package io.orderengine.engine.payment;

import io.orderengine.engine.CborSerializable;

/**
 * A gateway's callback about a refund (WeChat Pay sends one when the money is back with the
 * customer), after its signature was verified: our trade and refund numbers and how it ended.
 */
public record RefundNotification(
    String notificationId, Provider provider, String tradeNo, String refundNo, RefundResult.Status status, String reason)
    implements Callback, CborSerializable {}
