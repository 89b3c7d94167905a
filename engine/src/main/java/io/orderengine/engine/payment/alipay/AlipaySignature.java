package io.orderengine.engine.payment.alipay;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * Alipay's RSA2 rule, done with the JDK alone (no SDK: see the package documentation for why).
 *
 * <p>What is signed is a string of parameters: every one but {@code sign} (and, in an async
 * notification, {@code sign_type}), those with an empty value left out, sorted by key in ASCII
 * order, joined as {@code k=v} with {@code &}, the values raw (not URL-encoded). The signature is
 * SHA256withRSA over its UTF-8 bytes, in Base64. An answer of the gateway is signed over the exact
 * text of its {@code …_response} object as it stands in the body, so that text is cut out of the
 * body, never re-serialised: a re-serialisation may order or escape differently and fail a genuine
 * answer.
 */
public final class AlipaySignature {
  public static final String ALGORITHM = "SHA256withRSA";
  public static final int MIN_KEY_BITS = 2048;
  private static final JsonFactory JSON = new JsonFactory();

  private AlipaySignature() {}

  /** The string a request is signed over: everything but {@code sign}, {@code sign_type} included. */
  public static String requestContent(Map<String, String> params) {
    return content(params, Set.of("sign"));
  }

  /** The string an async notification is signed over: {@code sign} and {@code sign_type} left out. */
  public static String notificationContent(Map<String, String> params) {
    return content(params, Set.of("sign", "sign_type"));
  }

  private static String content(Map<String, String> params, Set<String> excluded) {
    StringJoiner joined = new StringJoiner("&");
    new TreeMap<>(params).forEach((k, v) -> {
      if (!excluded.contains(k) && v != null && !v.isEmpty()) joined.add(k + "=" + v);
    });
    return joined.toString();
  }

  public static String sign(String content, PrivateKey key) {
    try {
      Signature s = Signature.getInstance(ALGORITHM);
      s.initSign(key);
      s.update(content.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign with the given key", e);
    }
  }

  /** False for a signature that is missing, not Base64, or does not verify: never an exception. */
  public static boolean verify(String content, String signature, PublicKey key) {
    if (content == null || signature == null || signature.isBlank()) return false;
    try {
      Signature s = Signature.getInstance(ALGORITHM);
      s.initVerify(key);
      s.update(content.getBytes(StandardCharsets.UTF_8));
      return s.verify(Base64.getDecoder().decode(signature.strip()));
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      return false;
    }
  }

  /**
   * The exact text of the top-level member {@code key} of a JSON object (an answer's
   * {@code alipay_trade_pay_response}), as it appears in {@code body}; empty if the body is not a
   * JSON object or has no such object member.
   */
  public static Optional<String> memberText(String body, String key) {
    try (JsonParser p = JSON.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) return Optional.empty();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if (name.equals(key) && value == JsonToken.START_OBJECT) {
          int start = (int) p.currentTokenLocation().getCharOffset();
          p.skipChildren();
          int end = (int) p.currentTokenLocation().getCharOffset() + 1;
          return Optional.of(body.substring(start, end));
        }
        p.skipChildren();
      }
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** A PKCS#8 RSA private key, PEM with or without its armour lines (Alipay's tools give bare Base64). */
  public static PrivateKey privateKey(String pem) {
    if (pem != null && pem.contains("BEGIN RSA PRIVATE KEY")) {
      throw new IllegalArgumentException("is PKCS#1 (BEGIN RSA PRIVATE KEY); convert it to PKCS#8");
    }
    try {
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der(pem)));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new IllegalArgumentException("is not a PKCS#8 RSA private key");
    }
  }

  /** An X.509 (SubjectPublicKeyInfo) RSA public key, PEM with or without its armour lines. */
  public static PublicKey publicKey(String pem) {
    try {
      return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der(pem)));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new IllegalArgumentException("is not an X.509 RSA public key");
    }
  }

  /** The PEM text of a public key, as the emulator hands Alipay's to the merchant. */
  public static String pem(PublicKey key) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  /** The PEM text of a PKCS#8 private key. */
  public static String pem(PrivateKey key) {
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
  }

  static int bits(Object key) {
    BigInteger modulus = ((RSAKey) key).getModulus();
    return modulus.bitLength();
  }

  private static byte[] der(String pem) {
    if (pem == null) throw new IllegalArgumentException("no key");
    String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return Base64.getDecoder().decode(base64);
  }
}
