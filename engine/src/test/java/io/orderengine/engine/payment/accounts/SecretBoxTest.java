package io.orderengine.engine.payment.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretBoxTest {
  private final SecretBox box = SecretBox.fromBase64(SecretBox.newKey());

  @Test
  void aSealedSecretOpensWithTheSameKeyAndShowsNothingOfItself() {
    String secret = "-----BEGIN PRIVATE KEY-----\nMIIEvQ...\n-----END PRIVATE KEY-----";
    String sealed = box.seal(secret);

    assertThat(sealed).startsWith("v1." + box.keyId() + ".").doesNotContain("PRIVATE").doesNotContain("MIIEvQ");
    assertThat(box.open(sealed)).isEqualTo(secret);
    assertThat(box.seal(secret)).as("a fresh nonce each time").isNotEqualTo(sealed);
  }

  @Test
  void anotherKeySaysSoInsteadOfFailingToDecrypt() {
    String sealed = box.seal("apiv3-key");
    SecretBox other = SecretBox.fromBase64(SecretBox.newKey());

    assertThatThrownBy(() -> other.open(sealed)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("another PAYMENT_SECRETS_KEY").hasMessageNotContaining("apiv3-key");
  }

  @Test
  void anAlteredSealedTextDoesNotOpen() {
    String sealed = box.seal("apiv3-key");
    int at = sealed.length() - 5;
    String altered = sealed.substring(0, at) + (sealed.charAt(at) == 'A' ? 'B' : 'A') + sealed.substring(at + 1);

    assertThatThrownBy(() -> box.open(altered)).isInstanceOf(IllegalStateException.class).hasMessageContaining("altered");
    assertThatThrownBy(() -> box.open("plain text")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void theKeyMustBeThirtyTwoBytesOfBase64() {
    assertThatThrownBy(() -> SecretBox.fromBase64(Base64.getEncoder().encodeToString(new byte[16])))
        .hasMessageContaining("32 random bytes");
    assertThatThrownBy(() -> SecretBox.fromBase64("not base64 !")).hasMessageContaining("not Base64");
  }

  @Test
  void aFingerprintIsStableUnderOneKeyAndDiffersUnderAnother() {
    SecretBox other = SecretBox.fromBase64(SecretBox.newKey());

    assertThat(box.fingerprint("account")).isEqualTo(box.fingerprint("account")).isNotEqualTo(box.fingerprint("account2"));
    assertThat(other.fingerprint("account")).isNotEqualTo(box.fingerprint("account"));
  }
}
