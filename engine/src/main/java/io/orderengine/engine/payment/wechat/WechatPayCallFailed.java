package io.orderengine.engine.payment.wechat;

/**
 * A WeChat Pay call whose outcome is not known: the answer was a 5xx or a system error, was not signed
 * by WeChat Pay, or was not what the API answers. The stage fails with it, and the payment saga
 * retries and queries; doubt never becomes a refusal or a success.
 */
public final class WechatPayCallFailed extends RuntimeException {
  public WechatPayCallFailed(String detail) {
    super(detail, null, false, false);
  }

  public WechatPayCallFailed(String detail, Throwable cause) {
    super(detail, cause, false, false);
  }
}
