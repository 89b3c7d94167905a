package io.orderengine.engine.bill;

import io.orderengine.engine.bill.Bill.Method;
import java.time.Instant;

/**
 * What a bill asks of the saga of a non-cash payment: the payment id is the trade number at the gateway.
 * {@code openid}: the diner's, for a WECHAT payment made inside WeChat (JSAPI); else null.
 */
public record PaymentOrder(String paymentId, String billId, String tableId, Method method, long amountMinor,
    String authCode, String memberId, Instant at, String openid) {

  public PaymentOrder(String paymentId, String billId, String tableId, Method method, long amountMinor, String authCode,
      String memberId, Instant at) {
    this(paymentId, billId, tableId, method, amountMinor, authCode, memberId, at, null);
  }
}
