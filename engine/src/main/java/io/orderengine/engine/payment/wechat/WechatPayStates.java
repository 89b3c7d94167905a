package io.orderengine.engine.payment.wechat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderengine.engine.payment.RefundResult;
import io.orderengine.engine.payment.TradeResult;
import java.util.Optional;

/**
 * WeChat Pay's trade and refund states in the engine's terms, in one place. A refunded trade
 * (REFUND) was paid; a reversed one (REVOKED) is closed; a state WeChat does not document is doubt,
 * and fails the call rather than guess.
 */
final class WechatPayStates {
  private WechatPayStates() {}

  /** A trade as the query API, the codepay API and the TRANSACTION callbacks write it. */
  static TradeResult trade(JsonNode t) {
    String state = t.path("trade_state").asText("");
    TradeResult.Status status = tradeStatus(state)
        .orElseThrow(() -> new WechatPayCallFailed("a trade_state WeChat Pay does not document: " + state));
    String txn = t.path("transaction_id").asText("");
    String reason = status == TradeResult.Status.SUCCEEDED || status == TradeResult.Status.PENDING ? null
        : state + (t.hasNonNull("trade_state_desc") ? ": " + t.get("trade_state_desc").asText() : "");
    return new TradeResult(status, txn.isEmpty() ? null : txn, t.path("amount").path("total").asLong(0), null, reason);
  }

  /** A refund as the refund APIs write it. */
  static RefundResult refund(JsonNode r) {
    String state = r.path("status").asText("");
    RefundResult.Status status = refundStatus(state)
        .orElseThrow(() -> new WechatPayCallFailed("a refund status WeChat Pay does not document: " + state));
    return new RefundResult(status, status == RefundResult.Status.REJECTED ? "refund " + state : null);
  }

  static Optional<TradeResult.Status> tradeStatus(String state) {
    switch (state) {
      case "SUCCESS":
      case "REFUND":
        return Optional.of(TradeResult.Status.SUCCEEDED);
      case "NOTPAY":
      case "USERPAYING":
      case "ACCEPT":
        return Optional.of(TradeResult.Status.PENDING);
      case "CLOSED":
      case "REVOKED":
        return Optional.of(TradeResult.Status.CLOSED);
      case "PAYERROR":
        return Optional.of(TradeResult.Status.DECLINED);
      default:
        return Optional.empty();
    }
  }

  static Optional<RefundResult.Status> refundStatus(String state) {
    switch (state) {
      case "SUCCESS":
        return Optional.of(RefundResult.Status.SUCCEEDED);
      case "PROCESSING":
        return Optional.of(RefundResult.Status.PROCESSING);
      case "ABNORMAL":
      case "CLOSED":
        return Optional.of(RefundResult.Status.REJECTED);
      default:
        return Optional.empty();
    }
  }
}
