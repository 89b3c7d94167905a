package io.orderengine.engine.payment;

import io.orderengine.engine.CborSerializable;
import io.orderengine.engine.JsapiPay;

/**
 * What a gateway says about a trade. {@code qrCodeUrl}: the code the customer scans, for a QR trade;
 * {@code jsapi}: what the customer's page inside WeChat pays a JSAPI trade with (null otherwise).
 */
public record TradeResult(Status status, String gatewayTxnId, long amountMinor, String qrCodeUrl, String reason,
    JsapiPay jsapi) implements CborSerializable {

  public TradeResult(Status status, String gatewayTxnId, long amountMinor, String qrCodeUrl, String reason) {
    this(status, gatewayTxnId, amountMinor, qrCodeUrl, reason, null);
  }

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
