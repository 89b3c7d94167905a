package io.orderengine.engine.payment;

/** A provider's callback once its signature was verified: about a trade, or about a refund of one. */
public sealed interface Callback permits Notification, RefundNotification {
  String notificationId();

  /** Our trade number (the payment id), which names the saga the callback is for. */
  String tradeNo();
}
