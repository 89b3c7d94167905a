package io.orderengine.engine.payment;

import io.orderengine.engine.CborSerializable;
import java.time.Instant;

/** One trade in a gateway's daily statement (对账单), as the provider reports it. */
public record StatementLine(String tradeNo, String gatewayTxnId, String state, long amountMinor, long refundedMinor,
    Instant finishedAt) implements CborSerializable {}
