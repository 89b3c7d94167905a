package io.orderengine.engine.payment;

import io.orderengine.engine.CborSerializable;

/** A gateway's asynchronous callback after its signature was verified: which trade, and what became of it. */
public record Notification(
    String notificationId, Provider provider, String tradeNo, TradeResult.Status status, String gatewayTxnId,
    long amountMinor, String reason)
    implements Callback, CborSerializable {}
