package io.orderengine.engine.payment.wechat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.wechat.pay.java.core.cipher.AeadCipher;
import io.orderengine.engine.payment.BadSignature;
import io.orderengine.engine.payment.Callback;
import io.orderengine.engine.payment.Notification;
import io.orderengine.engine.payment.Provider;
import io.orderengine.engine.payment.RefundNotification;
import io.orderengine.engine.payment.RefundResult;
import io.orderengine.engine.payment.TradeResult;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * WeChat Pay's callbacks read: the signature checked (key, age, RSA), the resource opened with the
 * SDK's AEAD_AES_256_GCM cipher under the APIv3 key, and the merchant checked, before a word of it is
 * believed. Anything forged, tampered, stale, undecryptable or of another merchant is a {@link BadSignature}.
 */
final class WechatPayCallbacks {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final WechatPayConfig config;
  private final WechatPaySignatureCheck check;
  private final AeadCipher cipher;

  WechatPayCallbacks(WechatPayConfig config, WechatPaySignatureCheck check, AeadCipher cipher) {
    this.config = config;
    this.check = check;
    this.cipher = cipher;
  }

  Callback read(Map<String, String> headers, String body) throws BadSignature {
    String type = headers.get("wechatpay-signature-type");
    if (type != null && !type.equals(WechatPayAuthorization.SCHEMA)) throw new BadSignature("the callback is signed with " + type);
    var problem = check.problem(headers.get("wechatpay-serial"), headers.get("wechatpay-signature"),
        headers.get("wechatpay-timestamp"), headers.get("wechatpay-nonce"), body);
    if (problem.isPresent()) throw new BadSignature("the callback is not WeChat Pay's: " + problem.get());
    JsonNode event;
    try {
      event = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new BadSignature("the callback is not JSON");
    }
    JsonNode plain = decrypt(event.path("resource"));
    if (!config.mchId().equals(plain.path("mchid").asText())) throw new BadSignature("the callback is for another merchant");
    String id = event.path("id").asText("");
    if (id.isEmpty()) throw new BadSignature("the callback has no id");
    String eventType = event.path("event_type").asText("");
    if (eventType.startsWith("TRANSACTION.")) return trade(id, plain);
    if (eventType.startsWith("REFUND.")) return refund(id, plain);
    throw new BadSignature("a callback of a kind this engine does not take: " + eventType);
  }

  private JsonNode decrypt(JsonNode resource) throws BadSignature {
    if (!"AEAD_AES_256_GCM".equals(resource.path("algorithm").asText())) {
      throw new BadSignature("the callback's resource is not AEAD_AES_256_GCM");
    }
    try {
      String text = cipher.decrypt(resource.path("associated_data").asText("").getBytes(StandardCharsets.UTF_8),
          resource.path("nonce").asText("").getBytes(StandardCharsets.UTF_8),
          Base64.getDecoder().decode(resource.path("ciphertext").asText("")));
      JsonNode plain = JSON.readTree(text);
      if (plain == null || !plain.isObject()) throw new BadSignature("the callback's resource is not a JSON object");
      return plain;
    } catch (RuntimeException | JsonProcessingException e) {
      throw new BadSignature("the callback's resource does not decrypt with this merchant's APIv3 key");
    }
  }

  /** A trade's callback names its payment by {@code attach} when that matches the trade number, else by the number. */
  private Notification trade(String id, JsonNode plain) throws BadSignature {
    if (!config.appId().equals(plain.path("appid").asText())) throw new BadSignature("the callback is for another app");
    String outTradeNo = plain.path("out_trade_no").asText("");
    String attach = plain.path("attach").asText("");
    String paymentId = attachNames(attach, outTradeNo) ? attach
        : WechatTradeNumbers.paymentId(outTradeNo).orElseThrow(() -> new BadSignature("the callback names no payment of ours"));
    TradeResult result;
    try {
      result = WechatPayStates.trade(plain);
    } catch (WechatPayCallFailed e) {
      throw new BadSignature("the callback's trade state is unknown");
    }
    return new Notification(id, Provider.WECHAT, paymentId, result.status(), result.gatewayTxnId(), result.amountMinor(),
        result.reason());
  }

  private RefundNotification refund(String id, JsonNode plain) throws BadSignature {
    String refundNo = WechatTradeNumbers.refundNo(plain.path("out_refund_no").asText(""))
        .orElseThrow(() -> new BadSignature("the refund callback names no refund of ours"));
    String paymentId = WechatTradeNumbers.paymentIdOfRefund(plain.path("out_trade_no").asText(""), refundNo)
        .orElseThrow(() -> new BadSignature("the refund callback names no payment of ours"));
    String state = plain.path("refund_status").asText("");
    RefundResult.Status status = WechatPayStates.refundStatus(state)
        .orElseThrow(() -> new BadSignature("the refund callback's state is unknown: " + state));
    return new RefundNotification(id, Provider.WECHAT, paymentId, refundNo, status,
        status == RefundResult.Status.REJECTED ? "refund " + state : null);
  }

  /** Whether {@code attach} is the payment id the trade number was written from (ours always is). */
  static boolean attachNames(String attach, String outTradeNo) {
    if (attach == null || attach.isEmpty()) return false;
    try {
      return WechatTradeNumbers.outTradeNo(attach).equals(outTradeNo);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
