package io.orderengine.engine;

/**
 * What a diner's page inside WeChat passes to {@code WeixinJSBridge.invoke('getBrandWCPayRequest', …)}
 * to pay a WeChat Pay JSAPI trade (公众号/JSAPI 调起支付): the venue's app id, a time stamp (seconds, as
 * text), a nonce, {@code package} ({@code prepay_id=…}; {@code packageValue} here, {@code package} being a
 * Java word), the sign type ({@code RSA}) and the merchant's RSA-SHA256 signature over
 * {@code appId\ntimeStamp\nnonceStr\npackage\n}, base64. Shared by the payment saga that makes it and the
 * bill (or the member) that shows it, so it lives with the engine's other shared values.
 */
public record JsapiPay(String appId, String timeStamp, String nonceStr, String packageValue, String signType,
    String paySign) implements CborSerializable {

  /** The message WeChat Pay has the merchant sign for {@code getBrandWCPayRequest}. */
  public static String message(String appId, String timeStamp, String nonceStr, String packageValue) {
    return appId + "\n" + timeStamp + "\n" + nonceStr + "\n" + packageValue + "\n";
  }

  public String message() {
    return message(appId, timeStamp, nonceStr, packageValue);
  }
}
