package io.orderengine.engine.payment.alipay;

/**
 * A call to Alipay that told us nothing certain about the trade: no answer, a 5xx, a body that is
 * not Alipay's, a signature that does not verify, {@code 20000}, a code or sub_code we do not
 * know. The stage fails with it so the saga retries and queries; doubt never becomes an outcome.
 */
public final class AlipayCallFailed extends RuntimeException {
  public AlipayCallFailed(String detail) {
    super(detail, null, false, false);
  }
}
