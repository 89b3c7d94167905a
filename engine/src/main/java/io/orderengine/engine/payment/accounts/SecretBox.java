package io.orderengine.engine.payment.accounts;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals a venue's provider secrets (private keys, the APIv3 key) before they reach the journal, and
 * opens them again on a node that holds the same key: AES-256-GCM with a fresh 96-bit nonce each
 * time. A sealed text is {@code v1.<keyId>.<base64(nonce ‖ ciphertext ‖ tag)>}; the key id (the
 * first bytes of the key's SHA-256) says which key sealed it, so a node started with another key
 * says so plainly instead of failing to decrypt. The key comes from {@code PAYMENT_SECRETS_KEY}
 * (Base64 of 32 random bytes), the same on every node; nothing here ever logs or returns a secret.
 */
public final class SecretBox {
  private static final String VERSION = "v1";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecretKeySpec key;
  private final String keyId;
  private final SecureRandom random = new SecureRandom();

  private SecretBox(byte[] key) {
    this.key = new SecretKeySpec(key, "AES");
    this.keyId = keyIdOf(key);
  }

  /** A box from the Base64 text of a 32-byte key; refuses any other length, naming the variable. */
  public static SecretBox fromBase64(String base64) {
    byte[] key;
    try {
      key = Base64.getDecoder().decode(base64.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("PAYMENT_SECRETS_KEY is not Base64");
    }
    if (key.length != 32) {
      throw new IllegalArgumentException("PAYMENT_SECRETS_KEY must be the Base64 of 32 random bytes, not " + key.length);
    }
    return new SecretBox(key);
  }

  /** A new random key, as Base64: what a node with an embedded database keeps in its data directory. */
  public static String newKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  public String keyId() {
    return keyId;
  }

  public String seal(String plaintext) {
    try {
      byte[] nonce = new byte[NONCE_BYTES];
      random.nextBytes(nonce);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(keyId.getBytes(StandardCharsets.US_ASCII));
      byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      byte[] out = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
      return VERSION + "." + keyId + "." + Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  /**
   * A keyed digest (HMAC-SHA256) of a plaintext: tells whether an account configured again is the
   * one already kept without keeping anything that reveals the secrets.
   */
  public String fingerprint(String plaintext) {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(plaintext.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }

  /** The plaintext, or an {@link IllegalStateException} that says why not (never what). */
  public String open(String sealedText) {
    String[] parts = sealedText.split("\\.", 3);
    if (parts.length != 3 || !parts[0].equals(VERSION)) throw new IllegalStateException("not a sealed secret");
    if (!parts[1].equals(keyId)) {
      throw new IllegalStateException("sealed under another PAYMENT_SECRETS_KEY (key id " + parts[1] + ", this node's "
          + keyId + "): start every node with the key the secrets were configured under");
    }
    try {
      byte[] in = Base64.getDecoder().decode(parts[2]);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
      cipher.updateAAD(keyId.getBytes(StandardCharsets.US_ASCII));
      return new String(cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException("a sealed secret does not open: it was altered");
    }
  }

  private static String keyIdOf(byte[] key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
      return HexFormat.of().formatHex(digest, 0, 4);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
