package io.orderengine.engine.payment;

import io.orderengine.engine.CborSerializable;

/** What a gateway says about a refund: wallets accept first and pay back later. */
public record RefundResult(Status status, String reason) implements CborSerializable {
  public enum Status {
    PROCESSING,
    SUCCEEDED,
    REJECTED,
    NOT_FOUND
  }
}
