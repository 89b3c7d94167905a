package io.orderengine.engine.payment;

/** A callback that does not verify with the provider's public key, or is not a callback at all. */
public final class BadSignature extends Exception {
  public BadSignature(String detail) {
    super(detail, null, false, false);
  }
}
