package io.orderengine.engine.payment.wechat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * A refund as the WeChat Pay emulator holds it: PROCESSING when asked, SUCCESS a moment later, as
 * wallets pay back after accepting.
 */
public record EmulatedRefund(
    String mchId, String outRefundNo, String refundId, String outTradeNo, String transactionId, long refundMinor,
    long totalMinor, String status, String notifyUrl, Instant createdAt, Instant successTime) {

  EmulatedRefund succeededAt(Instant at) {
    return new EmulatedRefund(mchId, outRefundNo, refundId, outTradeNo, transactionId, refundMinor, totalMinor, "SUCCESS",
        notifyUrl, createdAt, at);
  }

  /** The refund as the refund API answers it. */
  ObjectNode json() {
    ObjectNode r = JsonNodeFactory.instance.objectNode();
    r.put("refund_id", refundId).put("out_refund_no", outRefundNo).put("transaction_id", transactionId)
        .put("out_trade_no", outTradeNo).put("channel", "ORIGINAL").put("user_received_account", "支付用户零钱")
        .put("create_time", EmulatedTrade.RFC3339.format(createdAt.atZone(EmulatedTrade.CHINA)))
        .put("status", status).put("funds_account", "AVAILABLE");
    if (successTime != null) r.put("success_time", EmulatedTrade.RFC3339.format(successTime.atZone(EmulatedTrade.CHINA)));
    r.putObject("amount").put("total", totalMinor).put("refund", refundMinor).put("payer_total", totalMinor)
        .put("payer_refund", refundMinor).put("settlement_refund", refundMinor).put("settlement_total", totalMinor)
        .put("discount_refund", 0).put("currency", "CNY");
    return r;
  }

  /** The refund as the REFUND.* callback's resource writes it. */
  ObjectNode callbackJson() {
    ObjectNode r = JsonNodeFactory.instance.objectNode();
    r.put("mchid", mchId).put("out_trade_no", outTradeNo).put("transaction_id", transactionId)
        .put("out_refund_no", outRefundNo).put("refund_id", refundId).put("refund_status", status)
        .put("user_received_account", "支付用户零钱");
    if (successTime != null) r.put("success_time", EmulatedTrade.RFC3339.format(successTime.atZone(EmulatedTrade.CHINA)));
    r.putObject("amount").put("total", totalMinor).put("refund", refundMinor).put("payer_total", totalMinor)
        .put("payer_refund", refundMinor);
    return r;
  }
}
