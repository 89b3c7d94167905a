package io.orderengine.engine.payment.wechat;

import com.wechat.pay.java.core.cipher.RSAVerifier;
import com.wechat.pay.java.core.cipher.Verifier;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Whether a message comes from WeChat Pay: signed with the public key the merchant configured (named
 * by its id in {@code Wechatpay-Serial}), no more than five minutes from our clock, and verified by
 * the SDK's {@link RSAVerifier} in public-key mode. Answers and callbacks are checked alike.
 */
final class WechatPaySignatureCheck {
  static final Duration MAX_SKEW = Duration.ofMinutes(5);

  private final String publicKeyId;
  private final Verifier verifier;
  private final Clock clock;

  WechatPaySignatureCheck(PublicKey publicKey, String publicKeyId, Clock clock) {
    this.publicKeyId = publicKeyId;
    this.verifier = new RSAVerifier(publicKey, publicKeyId);
    this.clock = clock;
  }

  /** Why the message is not WeChat Pay's, or empty when it is. */
  Optional<String> problem(String serial, String signature, String timestamp, String nonce, String body) {
    if (serial == null || signature == null || timestamp == null || nonce == null || body == null) {
      return Optional.of("it lacks WeChat Pay's signature headers");
    }
    if (!serial.equals(publicKeyId)) return Optional.of("it is signed with " + serial + ", not with " + publicKeyId);
    if (!fresh(timestamp)) return Optional.of("its timestamp is more than " + MAX_SKEW.toMinutes() + " minutes from now");
    boolean verified;
    try {
      verified = verifier.verify(serial, WechatPayAuthorization.answerMessage(timestamp, nonce, body), signature);
    } catch (RuntimeException e) {
      verified = false;
    }
    return verified ? Optional.empty() : Optional.of("its signature does not verify with WeChat Pay's public key");
  }

  private boolean fresh(String timestamp) {
    try {
      return Math.abs(clock.instant().getEpochSecond() - Long.parseLong(timestamp.strip())) <= MAX_SKEW.toSeconds();
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
