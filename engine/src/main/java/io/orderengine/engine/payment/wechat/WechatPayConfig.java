package io.orderengine.engine.payment.wechat;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Locale;

/**
 * A venue's WeChat Pay merchant credentials (APIv3, public-key mode). {@link #validate()} names the
 * first field that is wrong and why; neither it nor {@link #toString()} ever shows a key.
 *
 * @param mchId the merchant number (商户号)
 * @param appId the AppID bound to the merchant
 * @param merchantSerialNo the serial number of the merchant's API certificate, which names its private key
 * @param privateKeyPem the merchant's PKCS#8 RSA private key ({@code apiclient_key.pem})
 * @param apiV3Key the 32-character APIv3 key that encrypts callbacks
 * @param publicKeyId the WeChat Pay public key's id, {@code PUB_KEY_ID_…}
 * @param publicKeyPem the WeChat Pay public key that signs answers and callbacks
 * @param notifyUrl where WeChat Pay posts callbacks
 * @param baseUrl WeChat Pay's API root, or a proxy or an emulator standing in for it
 */
public record WechatPayConfig(
    String mchId, String appId, String merchantSerialNo, String privateKeyPem, String apiV3Key, String publicKeyId,
    String publicKeyPem, String notifyUrl, String baseUrl) {

  public static final String DEFAULT_BASE_URL = "https://api.mch.weixin.qq.com";
  private static final int MIN_RSA_BITS = 2048;

  public WechatPayConfig {
    baseUrl = baseUrl == null || baseUrl.isBlank() ? DEFAULT_BASE_URL : stripTrailingSlash(baseUrl.strip());
  }

  /** The credentials of a merchant served by WeChat Pay itself. */
  public static WechatPayConfig of(String mchId, String appId, String merchantSerialNo, String privateKeyPem,
      String apiV3Key, String publicKeyId, String publicKeyPem, String notifyUrl) {
    return new WechatPayConfig(mchId, appId, merchantSerialNo, privateKeyPem, apiV3Key, publicKeyId, publicKeyPem,
        notifyUrl, DEFAULT_BASE_URL);
  }

  /** The same credentials against another API root (a proxy, or an emulator in the demo and the tests). */
  public WechatPayConfig withBaseUrl(String url) {
    return new WechatPayConfig(mchId, appId, merchantSerialNo, privateKeyPem, apiV3Key, publicKeyId, publicKeyPem,
        notifyUrl, url);
  }

  /** This configuration, once every field was checked; an {@link IllegalArgumentException} naming the first bad one otherwise. */
  public WechatPayConfig validate() {
    requireId("mchId", mchId, "[0-9]{1,32}", "digits, at most 32");
    requireId("appId", appId, "[A-Za-z0-9_]{1,32}", "letters, digits or '_', at most 32");
    requireId("merchantSerialNo", merchantSerialNo, "[0-9A-Fa-f]{8,64}", "the certificate serial number in hex");
    privateKey();
    if (apiV3Key == null || apiV3Key.isEmpty()) throw bad("apiV3Key", "is missing");
    if (!StandardCharsets.US_ASCII.newEncoder().canEncode(apiV3Key)) throw bad("apiV3Key", "is not ASCII");
    if (apiV3Key.length() != 32) throw bad("apiV3Key", "must be 32 bytes, it has " + apiV3Key.length());
    requireId("publicKeyId", publicKeyId, "PUB_KEY_ID_[A-Za-z0-9_]+", "'PUB_KEY_ID_' followed by the key's id");
    publicKey();
    requireUrl("notifyUrl", notifyUrl);
    if (URI.create(notifyUrl).getRawQuery() != null) throw bad("notifyUrl", "must not carry a query: WeChat Pay refuses one");
    requireUrl("baseUrl", baseUrl);
    return this;
  }

  /** The merchant's private key, which signs requests. */
  public PrivateKey privateKey() {
    if (privateKeyPem == null || privateKeyPem.isBlank()) throw bad("privateKeyPem", "is missing");
    if (privateKeyPem.contains("BEGIN RSA PRIVATE KEY")) {
      throw bad("privateKeyPem", "is PKCS#1 ('BEGIN RSA PRIVATE KEY'); WeChat's apiclient_key.pem is PKCS#8 ('BEGIN PRIVATE KEY')");
    }
    PrivateKey key;
    try {
      key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der("privateKeyPem", privateKeyPem)));
    } catch (GeneralSecurityException e) {
      throw bad("privateKeyPem", "is not a PKCS#8 RSA private key");
    }
    int bits = ((RSAPrivateKey) key).getModulus().bitLength();
    if (bits < MIN_RSA_BITS) {
      throw bad("privateKeyPem", "is an RSA key of " + bits + " bits, WeChat Pay needs at least " + MIN_RSA_BITS);
    }
    return key;
  }

  /** WeChat Pay's public key, which signs its answers and callbacks. */
  public PublicKey publicKey() {
    if (publicKeyPem == null || publicKeyPem.isBlank()) throw bad("publicKeyPem", "is missing");
    PublicKey key;
    try {
      key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der("publicKeyPem", publicKeyPem)));
    } catch (GeneralSecurityException e) {
      throw bad("publicKeyPem", "is not an X.509 (SubjectPublicKeyInfo) RSA public key");
    }
    int bits = ((RSAPublicKey) key).getModulus().bitLength();
    if (bits < MIN_RSA_BITS) throw bad("publicKeyPem", "is an RSA key of " + bits + " bits, at least " + MIN_RSA_BITS + " expected");
    return key;
  }

  @Override
  public String toString() {
    return "WechatPayConfig[mchId=" + mchId + ", appId=" + appId + ", merchantSerialNo=" + merchantSerialNo
        + ", publicKeyId=" + publicKeyId + ", notifyUrl=" + notifyUrl + ", baseUrl=" + baseUrl + "]";
  }

  static byte[] der(String field, String pem) {
    String base64 = pem.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", "");
    if (base64.isEmpty()) throw bad(field, "holds no key between its PEM lines");
    try {
      return Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw bad(field, "is not PEM: its body is not Base64");
    }
  }

  private static void requireId(String field, String value, String pattern, String expected) {
    if (value == null || value.isBlank()) throw bad(field, "is missing");
    if (!value.matches(pattern)) throw bad(field, "must be " + expected);
  }

  private static void requireUrl(String field, String value) {
    if (value == null || value.isBlank()) throw bad(field, "is missing");
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      throw bad(field, "is not a URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) throw bad(field, "must be an https or http URL");
    if (uri.getHost() == null) throw bad(field, "has no host");
  }

  private static String stripTrailingSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private static IllegalArgumentException bad(String field, String why) {
    return new IllegalArgumentException("WeChat Pay config: " + field + " " + why);
  }
}
