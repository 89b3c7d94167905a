package io.orderengine.http.auth;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The bearer tokens this node accepts. Operators give them as {@code API_TOKENS}, entries separated
 * by commas: {@code sha256:<64 hex digits>:role[:name]} names a token by its SHA-256 only, so the
 * configuration holds no usable secret ({@code printf %s "$TOKEN" | sha256sum}); {@code token:role[:name]}
 * gives it in clear, for trying things out. With {@code DEMO=true} the documented demo tokens
 * ({@code demo-waiter}, {@code demo-cashier}, ...) exist as well. Diners' tokens are not listed:
 * they are signed per table ({@link DinerTokens}).
 *
 * <p>Either way the node keeps only hashes in memory and looks a presented token up by its hash.
 * Staff tokens are meant to be long random strings (32 bytes from a CSPRNG, as the README shows),
 * for which one SHA-256 is as good as a slow password hash.
 */
public final class Tokens {
  private static final java.util.regex.Pattern SHA256 = java.util.regex.Pattern.compile("[0-9a-fA-F]{64}");
  private final Map<String, Principal> byHash;
  private final DinerTokens diners;

  private Tokens(Map<String, Principal> byHash, DinerTokens diners) {
    this.byHash = Map.copyOf(byHash);
    this.diners = diners;
  }

  public static Tokens of(String configured, boolean demo, DinerTokens diners) {
    Map<String, Principal> tokens = new HashMap<>();
    if (demo) {
      for (Role role : Role.values()) {
        if (role != Role.DINER) tokens.put(sha256("demo-" + role.wire()), new Principal("demo-" + role.wire(), role));
      }
    }
    if (configured != null && !configured.isBlank()) {
      for (String entry : configured.split(",")) {
        String e = entry.trim();
        if (e.isEmpty()) continue;
        boolean hashed = e.startsWith("sha256:");
        String[] parts = (hashed ? e.substring("sha256:".length()) : e).split(":");
        if (parts.length < 2 || parts[0].isBlank()) {
          throw new IllegalArgumentException("API_TOKENS entry '" + redacted(e) + "' is not token:role[:name] or sha256:<hex>:role[:name]");
        }
        if (hashed && !SHA256.matcher(parts[0]).matches()) {
          throw new IllegalArgumentException("API_TOKENS entry '" + redacted(e) + "': sha256: needs 64 hex digits");
        }
        Role role = Role.parse(parts[1])
            .filter(r -> r != Role.DINER)
            .orElseThrow(() -> new IllegalArgumentException("API_TOKENS entry has unknown role '" + parts[1]
                + "' (roles: waiter, cashier, kitchen, manager, analyst; diners get their tokens from the table cards)"));
        String name = parts.length > 2 && !parts[2].isBlank() ? parts[2] : role.wire();
        tokens.put(hashed ? parts[0].toLowerCase(java.util.Locale.ROOT) : sha256(parts[0]), new Principal(name, role));
      }
    }
    return new Tokens(tokens, diners);
  }

  /** The hex SHA-256 of a token's UTF-8 bytes: what {@code sha256:} entries give. */
  public static String sha256(String token) {
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
          .digest(token.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(digest);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static String redacted(String entry) {
    int colon = entry.indexOf(':', entry.startsWith("sha256:") ? 7 : 0);
    return colon < 0 ? "…" : "…" + entry.substring(colon);
  }

  /** The token a table's QR code carries. */
  public String dinerToken(String tableId) {
    return diners.issue(tableId);
  }

  public Optional<Principal> principalOf(String authorizationHeader) {
    if (authorizationHeader == null) return Optional.empty();
    String h = authorizationHeader.trim();
    if (h.length() < 7 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) return Optional.empty();
    String token = h.substring(7).trim();
    if (token.isEmpty() || token.length() > 512) return Optional.empty();
    if (token.startsWith(DinerTokens.PREFIX)) return diners.tableOf(token).map(Principal::diner);
    return Optional.ofNullable(byHash.get(sha256(token)));
  }
}
