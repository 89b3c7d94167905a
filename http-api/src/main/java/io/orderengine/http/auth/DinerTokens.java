package io.orderengine.http.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import io.orderengine.engine.VenueIds;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The tokens printed in a table's QR code: {@code dt1.<tableId>.<mac>}, where the table id is the
 * cluster-wide one ({@code V1.A1}; {@link VenueIds}) and the MAC an HMAC-SHA256 of it under the
 * node's secret. The cards printed before venues existed name tables of the venue
 * {@value VenueIds#DEFAULT}, whose ids are bare, and stay good. A diner holding one acts for that table
 * only, and no token is stored: every node that knows the secret checks it. Changing the secret
 * retires every printed card at once.
 */
public final class DinerTokens {
  static final String PREFIX = "dt1.";
  private static final Pattern SHAPE = Pattern.compile("dt1\\.((?:[A-Za-z0-9_-]{1,32}\\.)?[A-Za-z0-9_-]{1,32})\\.([A-Za-z0-9_-]{22})");
  private static final int MAC_BYTES = 16;
  private final SecretKeySpec key;

  public DinerTokens(String secret) {
    if (secret == null || secret.length() < 16) throw new IllegalArgumentException("the diner token secret needs at least 16 characters");
    this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
  }

  public String issue(String venueId, String tableId) {
    String qualified = VenueIds.qualify(venueId, tableId);
    return PREFIX + qualified + "." + mac(qualified);
  }

  /** The cluster-wide id of the table a token was issued for, when it was issued here. */
  public Optional<String> tableOf(String token) {
    var m = SHAPE.matcher(token);
    if (!m.matches()) return Optional.empty();
    byte[] expected = mac(m.group(1)).getBytes(StandardCharsets.US_ASCII);
    byte[] given = m.group(2).getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, given) ? Optional.of(m.group(1)) : Optional.empty();
  }

  private String mac(String tableId) {
    try {
      Mac hmac = Mac.getInstance("HmacSHA256");
      hmac.init(key);
      byte[] full = hmac.doFinal(("diner-table:" + tableId).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(full, MAC_BYTES));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JVM", e);
    }
  }
}
