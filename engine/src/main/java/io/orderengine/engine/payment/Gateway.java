package io.orderengine.engine.payment;

import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The outside party that holds a tender's money. Every call may be repeated with the same trade
 * or refund number and must then answer about the same trade, never make a second one: the
 * payment saga relies on that to retry after a timeout or a crash.
 */
public interface Gateway {
  Provider provider();

  /** "Customer scans the table code": a trade the customer pays on the phone; the result comes by callback. */
  CompletionStage<TradeResult> createQrTrade(String tradeNo, long amountMinor, String description);

  /**
   * Whether this gateway makes in-app trades ({@link #createJsapiTrade}): a WeChat Pay merchant does,
   * every other gateway does not, and a tender asking for one is refused before the bill records it.
   */
  default boolean takesInAppPayments() {
    return false;
  }

  /**
   * "Diner pays inside WeChat" (JSAPI): a trade for the payer {@code openid} (of the merchant's app id),
   * answered PENDING with the parameters the diner's page pays it with ({@link TradeResult#jsapi()}); the
   * result comes by callback or query, as for a QR trade. A gateway that makes no in-app trade refuses it.
   */
  default CompletionStage<TradeResult> createJsapiTrade(String tradeNo, long amountMinor, String description,
      String openid) {
    return java.util.concurrent.CompletableFuture.failedFuture(new io.orderengine.engine.Rejected(
        io.orderengine.engine.Rejection.METHOD_NOT_SUPPORTED,
        provider().wire() + " here takes no in-app (JSAPI) payment: pay by its QR code or a payment code"));
  }

  /** "Cashier scans the customer's code" (or taps a card): approved, declined, or pending the customer's confirmation. */
  CompletionStage<TradeResult> payWithCode(TradeRef trade, long amountMinor, String authCode, String description);

  CompletionStage<TradeResult> query(TradeRef trade);

  /** Closes an unpaid trade; a trade already paid stays paid and the answer says so. */
  CompletionStage<TradeResult> close(TradeRef trade);

  CompletionStage<RefundResult> refund(TradeRef trade, String refundNo, long amountMinor);

  CompletionStage<RefundResult> queryRefund(TradeRef trade, String refundNo);

  /** The provider's statement of the trades it settled on a day (in the given zone), for reconciliation. */
  CompletionStage<java.util.List<StatementLine>> statement(java.time.LocalDate date, java.time.ZoneId zone);

  /**
   * Verifies a callback (its signature, its age, and where the provider encrypts it, decrypts it)
   * and reads it. {@code headers} are keyed by lower-case name; {@code body} is the request's body
   * as sent (JSON for WeChat Pay, a form for Alipay).
   */
  Callback verifyCallback(Map<String, String> headers, String body) throws BadSignature;

  /** What the provider expects in answer to a callback that was counted: it stops re-sending. */
  default CallbackAnswer acknowledgement() {
    return CallbackAnswer.JSON_SUCCESS;
  }

  /** What the provider expects in answer to a callback that was not counted: it sends it again later. */
  default CallbackAnswer refusal(String why) {
    return CallbackAnswer.jsonFailure(why);
  }

  /** The HTTP answer to a provider's callback, in the provider's own terms. */
  record CallbackAnswer(int status, String contentType, String body) {
    public static final CallbackAnswer JSON_SUCCESS =
        new CallbackAnswer(200, "application/json", "{\"code\":\"SUCCESS\",\"message\":\"OK\"}");

    /** WeChat Pay's form of a refusal: a 4xx/5xx status and a JSON {@code code} and {@code message}. */
    public static CallbackAnswer jsonFailure(String why) {
      String message = why == null ? "" : why.replace("\\", "\\\\").replace("\"", "\\\"");
      return new CallbackAnswer(400, "application/json", "{\"code\":\"FAIL\",\"message\":\"" + message + "\"}");
    }

    /** Alipay's form: the plain text {@code success} once counted, anything else to be sent again. */
    public static CallbackAnswer text(String text) {
      return new CallbackAnswer(200, "text/plain; charset=UTF-8", text);
    }
  }
}
