package io.orderengine.engine.member;

import io.orderengine.engine.CborSerializable;
import java.time.Instant;

/**
 * One top-up with a payment id ({@code <memberId>-TU<n>}): one paid by wallet or card through its
 * payment's saga (PENDING until the saga reports), or one credited at once (cash; a card taken on a
 * bank's standalone terminal, whose slip it keeps). {@code underway}: the saga took it on.
 */
public record TopUpPayment(
    String paymentId,
    String requestId,
    long amountMinor,
    String method,
    String authCode,
    String takenBy,
    Instant at,
    Status status,
    boolean underway,
    String qrCodeUrl,
    String gatewayTxnId,
    String failureCode,
    String failureReason,
    Instant finishedAt,
    String terminalId,
    String terminalRef,
    String cardLast4)
    implements CborSerializable {

  public enum Status {
    PENDING,
    SUCCEEDED,
    FAILED,
    CANCELLED,
    EXPIRED
  }

  /** Cash and a standalone terminal's card have moved the money already: nothing is asked of a gateway. */
  public static boolean creditedAtOnce(String method, String terminalRef) {
    return "CASH".equalsIgnoreCase(method) || ("CARD".equalsIgnoreCase(method) && terminalRef != null);
  }

  static TopUpPayment pending(String paymentId, String requestId, long amount, String method, String authCode,
      String takenBy, Instant at) {
    return new TopUpPayment(paymentId, requestId, amount, method, authCode, takenBy, at, Status.PENDING, false, null, null,
        null, null, null, null, null, null);
  }

  static TopUpPayment credited(Member.ToppedUp e) {
    return new TopUpPayment(e.paymentId(), e.requestId(), e.amountMinor(), e.method(), null, e.takenBy(), e.at(),
        Status.SUCCEEDED, false, null, null, null, null, e.at(), e.terminalId(), e.terminalRef(), e.cardLast4());
  }

  TopUpPayment underway(String qr) {
    return new TopUpPayment(paymentId, requestId, amountMinor, method, authCode, takenBy, at, status, true,
        qr == null ? qrCodeUrl : qr, gatewayTxnId, failureCode, failureReason, finishedAt, terminalId, terminalRef, cardLast4);
  }

  TopUpPayment settled(Status next, String txnId, String code, String reason, Instant when) {
    return new TopUpPayment(paymentId, requestId, amountMinor, method, authCode, takenBy, at, next, underway, qrCodeUrl,
        txnId, code, reason, when, terminalId, terminalRef, cardLast4);
  }

  public boolean pending() {
    return status == Status.PENDING;
  }
}
