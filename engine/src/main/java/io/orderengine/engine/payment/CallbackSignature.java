package io.orderengine.engine.payment;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * The signature of a gateway callback, as WeChat Pay v3 makes it: RSA-SHA256 over
 * {@code timestamp \n nonce \n body \n}, Base64 in a header. A callback whose timestamp is further
 * than {@link #MAX_SKEW} from now is refused, so a captured callback cannot be replayed later.
 */
public final class CallbackSignature {
  public static final Duration MAX_SKEW = Duration.ofMinutes(5);

  private CallbackSignature() {}

  public static String message(String timestamp, String nonce, String body) {
    return timestamp + "\n" + nonce + "\n" + body + "\n";
  }

  public static String sign(PrivateKey key, String timestamp, String nonce, String body) {
    try {
      Signature s = Signature.getInstance("SHA256withRSA");
      s.initSign(key);
      s.update(message(timestamp, nonce, body).getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a callback", e);
    }
  }

  public static void verify(PublicKey key, String timestamp, String nonce, String body, String signature, Instant now)
      throws BadSignature {
    if (timestamp == null || nonce == null || signature == null || body == null) {
      throw new BadSignature("the callback lacks its timestamp, nonce or signature");
    }
    long seconds;
    try {
      seconds = Long.parseLong(timestamp.strip());
    } catch (NumberFormatException e) {
      throw new BadSignature("the callback's timestamp is not a number of seconds");
    }
    if (Math.abs(now.getEpochSecond() - seconds) > MAX_SKEW.toSeconds()) {
      throw new BadSignature("the callback's timestamp is too far from now");
    }
    try {
      Signature s = Signature.getInstance("SHA256withRSA");
      s.initVerify(key);
      s.update(message(timestamp, nonce, body).getBytes(StandardCharsets.UTF_8));
      if (!s.verify(Base64.getDecoder().decode(signature.strip()))) {
        throw new BadSignature("the callback's signature does not verify");
      }
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      throw new BadSignature("the callback's signature does not verify");
    }
  }

  public static PrivateKey privateKey(String pem) {
    try {
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der(pem)));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not a PKCS#8 RSA private key", e);
    }
  }

  public static PublicKey publicKey(String pem) {
    try {
      return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der(pem)));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an X.509 RSA public key", e);
    }
  }

  /** The public half of an RSA private key (a PKCS#8 key carries its modulus and public exponent). */
  public static PublicKey publicHalf(PrivateKey key) {
    if (!(key instanceof java.security.interfaces.RSAPrivateCrtKey crt)) {
      throw new IllegalArgumentException("the key holds no public half");
    }
    try {
      return KeyFactory.getInstance("RSA").generatePublic(new java.security.spec.RSAPublicKeySpec(crt.getModulus(),
          crt.getPublicExponent()));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("the key holds no public half", e);
    }
  }

  /** A key's DER bytes as a PEM file of {@code type} ({@code PUBLIC KEY}, {@code PRIVATE KEY}). */
  public static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(der) + "\n-----END " + type + "-----\n";
  }

  /** A PEM file shipped in the jar. */
  public static String resource(String path) {
    try (InputStream in = CallbackSignature.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) throw new IllegalStateException(path + " is missing from the classpath");
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + path, e);
    }
  }

  private static byte[] der(String pem) {
    String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return Base64.getDecoder().decode(base64);
  }
}
