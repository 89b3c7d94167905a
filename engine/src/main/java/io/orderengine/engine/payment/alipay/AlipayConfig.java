package io.orderengine.engine.payment.alipay;

import java.net.URI;
import java.net.URISyntaxException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Locale;

/**
 * A venue's Alipay app: its id, the app's private key (PKCS#8 RSA, it signs our requests), Alipay's
 * public key (it verifies Alipay's answers and notifications), where Alipay sends notifications, and
 * the gateway (Alipay's own unless a proxy or a test server stands in for it).
 *
 * <p>Built valid or not at all: a field that cannot work is refused when the config is made, with
 * the field named and why, never on the first payment of the evening. No key text ever appears in
 * {@link #toString()} or in a message.
 */
public record AlipayConfig(String appId, String appPrivateKeyPem, String alipayPublicKeyPem, String notifyUrl,
    String gatewayUrl) {
  public static final String ALIPAY_GATEWAY = "https://openapi.alipay.com/gateway.do";
  /** Alipay's limits on {@code app_id} and {@code notify_url}. */
  private static final int MAX_APP_ID = 32;
  private static final int MAX_NOTIFY_URL = 256;

  public AlipayConfig {
    gatewayUrl = gatewayUrl == null || gatewayUrl.isBlank() ? ALIPAY_GATEWAY : gatewayUrl.strip();
    if (appId == null || appId.isBlank()) throw invalid("appId", "is blank");
    if (appId.length() > MAX_APP_ID || !appId.chars().allMatch(Character::isLetterOrDigit)) {
      throw invalid("appId", "must be at most " + MAX_APP_ID + " letters and digits");
    }
    PrivateKey privateKey = parse("appPrivateKeyPem", () -> AlipaySignature.privateKey(appPrivateKeyPem));
    requireStrong("appPrivateKeyPem", AlipaySignature.bits(privateKey));
    PublicKey publicKey = parse("alipayPublicKeyPem", () -> AlipaySignature.publicKey(alipayPublicKeyPem));
    requireStrong("alipayPublicKeyPem", AlipaySignature.bits(publicKey));
    requireHttpUrl("notifyUrl", notifyUrl);
    if (notifyUrl.length() > MAX_NOTIFY_URL) throw invalid("notifyUrl", "is longer than Alipay's " + MAX_NOTIFY_URL);
    requireHttpUrl("gatewayUrl", gatewayUrl);
  }

  /** A venue's app on Alipay's own gateway. */
  public static AlipayConfig of(String appId, String appPrivateKeyPem, String alipayPublicKeyPem, String notifyUrl) {
    return new AlipayConfig(appId, appPrivateKeyPem, alipayPublicKeyPem, notifyUrl, ALIPAY_GATEWAY);
  }

  public PrivateKey appPrivateKey() {
    return AlipaySignature.privateKey(appPrivateKeyPem);
  }

  public PublicKey alipayPublicKey() {
    return AlipaySignature.publicKey(alipayPublicKeyPem);
  }

  @Override
  public String toString() {
    return "AlipayConfig[appId=" + appId + ", notifyUrl=" + notifyUrl + ", gatewayUrl=" + gatewayUrl + ", keys hidden]";
  }

  private interface KeyParse<K> {
    K parse();
  }

  private static <K> K parse(String field, KeyParse<K> parse) {
    try {
      return parse.parse();
    } catch (IllegalArgumentException e) {
      // the parser's message names the problem, never the key's text
      throw invalid(field, e.getMessage());
    }
  }

  private static void requireStrong(String field, int bits) {
    if (bits < AlipaySignature.MIN_KEY_BITS) {
      throw invalid(field, "is a " + bits + "-bit RSA key; RSA2 needs at least " + AlipaySignature.MIN_KEY_BITS);
    }
  }

  private static void requireHttpUrl(String field, String url) {
    if (url == null || url.isBlank()) throw invalid(field, "is blank");
    try {
      URI uri = new URI(url.strip());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!uri.isAbsolute() || !(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
        throw invalid(field, "must be an absolute http(s) URL with a host");
      }
    } catch (URISyntaxException e) {
      throw invalid(field, "is not a URL");
    }
  }

  private static IllegalArgumentException invalid(String field, String why) {
    return new IllegalArgumentException("Alipay config: " + field + " " + why);
  }
}
