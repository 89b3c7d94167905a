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

  /** "Cashier scans the customer's code" (or taps a card): approved, declined, or pending the customer's confirmation. */
  CompletionStage<TradeResult> payWithCode(TradeRef trade, long amountMinor, String authCode, String description);

  CompletionStage<TradeResult> query(TradeRef trade);

  /** Closes an unpaid trade; a trade already paid stays paid and the answer says so. */
  CompletionStage<TradeResult> close(TradeRef trade);

  CompletionStage<RefundResult> refund(TradeRef trade, String refundNo, long amountMinor);

  CompletionStage<RefundResult> queryRefund(TradeRef trade, String refundNo);

  /** The provider's statement of the trades it settled on a day (in the given zone), for reconciliation. */
  CompletionStage<java.util.List<StatementLine>> statement(java.time.LocalDate date, java.time.ZoneId zone);

  /** Verifies a callback's signature over its timestamp, nonce and body, and reads it. */
  Notification verifyCallback(Map<String, String> headers, String body) throws BadSignature;
}
