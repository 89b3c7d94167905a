package io.orderengine.engine.payment;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A gateway callback's signature: it verifies with its own provider's key only, over exactly the
 * timestamp, nonce and body that were signed, and only within the replay window.
 */
class CallbackSignatureTest {
  private static final PrivateKey WECHAT = CallbackSignature.privateKey(CallbackSignature.resource("sandbox-keys/wechat-private.pem"));
  private static final PublicKey WECHAT_PUBLIC = CallbackSignature.publicKey(CallbackSignature.resource("sandbox-keys/wechat-public.pem"));
  private static final PublicKey ALIPAY_PUBLIC = CallbackSignature.publicKey(CallbackSignature.resource("sandbox-keys/alipay-public.pem"));
  private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
  private static final String BODY = "{\"id\":\"n-1\",\"trade_no\":\"T01-0001-B1-P1\",\"trade_state\":\"SUCCESS\"}";

  private static String ts(Instant at) {
    return Long.toString(at.getEpochSecond());
  }

  @Test
  void aGenuineCallbackVerifies() {
    String sig = CallbackSignature.sign(WECHAT, ts(NOW), "nonce-1", BODY);
    assertThatCode(() -> CallbackSignature.verify(WECHAT_PUBLIC, ts(NOW), "nonce-1", BODY, sig, NOW.plusSeconds(30)))
        .doesNotThrowAnyException();
  }

  @Test
  void anotherProvidersKeyATamperedBodyOrNonceOrTimestampDoNot() {
    String sig = CallbackSignature.sign(WECHAT, ts(NOW), "nonce-1", BODY);
    assertThatThrownBy(() -> CallbackSignature.verify(ALIPAY_PUBLIC, ts(NOW), "nonce-1", BODY, sig, NOW))
        .isInstanceOf(BadSignature.class);
    assertThatThrownBy(() -> CallbackSignature.verify(WECHAT_PUBLIC, ts(NOW), "nonce-1", BODY.replace("SUCCESS", "SUCCESS "), sig, NOW))
        .isInstanceOf(BadSignature.class);
    assertThatThrownBy(() -> CallbackSignature.verify(WECHAT_PUBLIC, ts(NOW), "nonce-2", BODY, sig, NOW))
        .isInstanceOf(BadSignature.class);
    assertThatThrownBy(() -> CallbackSignature.verify(WECHAT_PUBLIC, ts(NOW.plusSeconds(1)), "nonce-1", BODY, sig, NOW))
        .isInstanceOf(BadSignature.class);
    assertThatThrownBy(() -> CallbackSignature.verify(WECHAT_PUBLIC, ts(NOW), "nonce-1", BODY, "not base64!", NOW))
        .isInstanceOf(BadSignature.class);
    assertThatThrownBy(() -> CallbackSignature.verify(WECHAT_PUBLIC, null, "nonce-1", BODY, sig, NOW))
        .isInstanceOf(BadSignature.class);
  }

  @Test
  void aCapturedCallbackReplayedOutsideTheWindowIsRefused() {
    Instant signedAt = NOW.minus(CallbackSignature.MAX_SKEW).minusSeconds(1);
    String sig = CallbackSignature.sign(WECHAT, ts(signedAt), "nonce-1", BODY);
    assertThatThrownBy(() -> CallbackSignature.verify(WECHAT_PUBLIC, ts(signedAt), "nonce-1", BODY, sig, NOW))
        .isInstanceOf(BadSignature.class).hasMessageContaining("too far");
    Instant future = NOW.plus(Duration.ofMinutes(6));
    String ahead = CallbackSignature.sign(WECHAT, ts(future), "nonce-1", BODY);
    assertThatThrownBy(() -> CallbackSignature.verify(WECHAT_PUBLIC, ts(future), "nonce-1", BODY, ahead, NOW))
        .isInstanceOf(BadSignature.class);
  }
}
