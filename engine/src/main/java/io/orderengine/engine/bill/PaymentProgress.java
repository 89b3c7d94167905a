package io.orderengine.engine.bill;

import io.orderengine.engine.JsapiPay;

/**
 * The gateway's first answer about a payment, as its saga gives it to the bill: the QR link to show, or
 * what the diner's page inside WeChat pays a JSAPI trade with, if any.
 */
public record PaymentProgress(String qrCodeUrl, JsapiPay jsapi) {
  public PaymentProgress(String qrCodeUrl) {
    this(qrCodeUrl, null);
  }
}
