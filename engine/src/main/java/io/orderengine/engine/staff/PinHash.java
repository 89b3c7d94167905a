package io.orderengine.engine.staff;

import io.orderengine.engine.CborSerializable;
import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Pattern;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A PIN as it is kept: PBKDF2-HMAC-SHA256 of the PIN under a random salt of its own, with the
 * iteration count it was made with (so the count can be raised later without losing older PINs).
 * The PIN itself is never stored, logged or sent on.
 *
 * <p>Honestly: a PIN of 4 to 12 digits has at most 10^12 values, and a short one falls to offline
 * guessing whatever the iteration count. The slow hash makes a leaked journal expensive to read,
 * not safe; what protects a PIN is that hashes never leave the cluster and that guessing online is
 * slowed down ({@link StaffState#challenge}, and the HTTP face's per-address limit).
 */
public record PinHash(String algorithm, int iterations, String salt, String hash) implements CborSerializable {
  public static final String ALGORITHM = "PBKDF2WithHmacSHA256";
  public static final Pattern PIN = Pattern.compile("[0-9]{4,12}");
  private static final int SALT_BYTES = 16;
  private static final int HASH_BITS = 256;
  private static final SecureRandom RANDOM = new SecureRandom();

  @Override
  public String toString() {
    return "PinHash[" + algorithm + ", " + iterations + " iterations]";
  }

  public static boolean isWellFormed(String pin) {
    return pin != null && PIN.matcher(pin).matches();
  }

  /** A PIN of 4 to 12 digits, or VALIDATION_FAILED. */
  public static String requireWellFormed(String pin) {
    if (!isWellFormed(pin)) throw new Rejected(Rejection.VALIDATION_FAILED, "a PIN is 4 to 12 digits");
    return pin;
  }

  /** Slow by design (hundreds of milliseconds at the default count): call it off the actors' threads. */
  public static PinHash of(String pin, int iterations) {
    requireWellFormed(pin);
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return new PinHash(ALGORITHM, iterations, b64.encodeToString(salt), b64.encodeToString(derive(pin, salt, iterations)));
  }

  /** Whether {@code pin} is the PIN this was made of; compared in constant time. Slow as {@link #of}. */
  public boolean matches(String pin) {
    if (!ALGORITHM.equals(algorithm) || !isWellFormed(pin)) return false;
    byte[] expected = Base64.getDecoder().decode(hash);
    byte[] given = derive(pin, Base64.getDecoder().decode(salt), iterations);
    return MessageDigest.isEqual(expected, given);
  }

  private static byte[] derive(String pin, byte[] salt, int iterations) {
    char[] chars = pin.toCharArray();
    PBEKeySpec spec = new PBEKeySpec(chars, salt, iterations, HASH_BITS);
    try {
      return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(ALGORITHM + " is part of every JDK", e);
    } finally {
      spec.clearPassword();
      Arrays.fill(chars, '\0');
    }
  }
}
