package io.orderengine.engine.payment.wechat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * A trade as the WeChat Pay emulator holds it: immutable, replaced whole on every change.
 *
 * @param tradeType {@code NATIVE}, {@code JSAPI} (paid inside WeChat) or {@code MICROPAY} (付款码)
 * @param state WeChat's {@code trade_state}: NOTPAY, USERPAYING, SUCCESS, REFUND, CLOSED, REVOKED, PAYERROR
 * @param token the QR trade's token, what its {@code code_url} names; a JSAPI trade's {@code prepay_id}; null for codepay
 * @param refundedMinor fen refunded so far, counted once a refund succeeds
 * @param payerOpenid the payer a JSAPI trade was made for (null for others, and in records of earlier versions)
 */
public record EmulatedTrade(
    String mchId, String appId, String outTradeNo, String tradeType, String state, String stateDesc, long totalMinor,
    String description, String attach, String notifyUrl, String token, String transactionId, Instant createdAt,
    Instant successTime, long refundedMinor, String payerOpenid) {

  public EmulatedTrade(String mchId, String appId, String outTradeNo, String tradeType, String state, String stateDesc,
      long totalMinor, String description, String attach, String notifyUrl, String token, String transactionId,
      Instant createdAt, Instant successTime, long refundedMinor) {
    this(mchId, appId, outTradeNo, tradeType, state, stateDesc, totalMinor, description, attach, notifyUrl, token,
        transactionId, createdAt, successTime, refundedMinor, null);
  }

  /** A trade the customer pays on the phone: a Native QR trade or a JSAPI trade (the callback says how it ends). */
  public boolean onPhone() {
    return tradeType.equals("NATIVE") || tradeType.equals("JSAPI");
  }

  static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
  static final DateTimeFormatter RFC3339 = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

  public boolean paid() {
    return state.equals("SUCCESS") || state.equals("REFUND");
  }

  /** Still waiting for the customer: the only trades that can be paid, declined, closed or reversed. */
  public boolean open() {
    return state.equals("NOTPAY") || state.equals("USERPAYING");
  }

  EmulatedTrade paidAt(String txnId, Instant at) {
    return new EmulatedTrade(mchId, appId, outTradeNo, tradeType, "SUCCESS", "支付成功", totalMinor, description, attach,
        notifyUrl, token, txnId, createdAt, at, refundedMinor, payerOpenid);
  }

  EmulatedTrade in(String newState, String desc) {
    return new EmulatedTrade(mchId, appId, outTradeNo, tradeType, newState, desc, totalMinor, description, attach, notifyUrl,
        token, transactionId, createdAt, successTime, refundedMinor, payerOpenid);
  }

  EmulatedTrade refunded(long fen) {
    return new EmulatedTrade(mchId, appId, outTradeNo, tradeType, "REFUND", "转入退款", totalMinor, description, attach,
        notifyUrl, token, transactionId, createdAt, successTime, refundedMinor + fen, payerOpenid);
  }

  /** The trade as the query API and the TRANSACTION.SUCCESS resource write it. */
  ObjectNode json() {
    ObjectNode t = JsonNodeFactory.instance.objectNode();
    t.put("appid", appId).put("mchid", mchId).put("out_trade_no", outTradeNo);
    if (transactionId != null) t.put("transaction_id", transactionId);
    t.put("trade_type", tradeType).put("trade_state", state).put("trade_state_desc", stateDesc);
    if (paid()) {
      t.put("bank_type", "OTHERS").put("success_time", RFC3339.format(successTime.atZone(CHINA)));
      if (attach != null) t.put("attach", attach);
      t.putObject("payer").put("openid", payerOpenid != null ? payerOpenid : "oEmulated" + outTradeNo.hashCode());
    }
    ObjectNode amount = t.putObject("amount").put("total", totalMinor).put("currency", "CNY");
    if (paid()) amount.put("payer_total", totalMinor).put("payer_currency", "CNY");
    return t;
  }
}
