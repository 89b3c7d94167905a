package io.orderengine.engine.payment;

import io.orderengine.engine.CborSerializable;

/** What a gateway says about a trade. */
public record TradeResult(Status status, String gatewayTxnId, long amountMinor, String qrCodeUrl, String reason)
    implements CborSerializable {

  public enum Status {
    /** Created, the customer has not paid yet (or is confirming on the phone). */
    PENDING,
    SUCCEEDED,
    DECLINED,
    CLOSED,
    NOT_FOUND,
    /** The member's stored value does not cover the amount. */
    INSUFFICIENT_BALANCE
  }

  public static TradeResult of(Status status, String reason) {
    return new TradeResult(status, null, 0, null, reason);
  }
}
