package io.orderengine.engine.member;

import java.time.Instant;
import java.util.concurrent.CompletionStage;

/**
 * How a member reaches the saga of a top-up paid by wallet or card; the payment side adapts it. The
 * member owns this hop, as a bill owns the one of its tenders: the call is keyed by the payment id,
 * so asking again joins what is under way.
 */
public interface TopUpDesk {

  /** What the member asks of the saga: the payment id is the trade number at the gateway. */
  record Order(String paymentId, String memberId, String method, long amountMinor, String authCode, Instant at) {}

  /** The gateway's first answer, as the saga gives it: the QR link the member scans, if any. */
  record Progress(String qrCodeUrl) {}

  /** Starts the top-up's saga; completes with the gateway's first answer. */
  CompletionStage<Progress> start(Order order);
}
