package io.orderengine.http;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The bearer tokens this node accepts. Operators give them as {@code API_TOKENS}
 * ("token:role[:name]" separated by commas); with {@code DEMO=true} the documented demo tokens
 * ({@code demo-waiter}, {@code demo-cashier}, ...) exist as well. Diners' tokens are not listed:
 * they are signed per table ({@link DinerTokens}).
 */
public final class Tokens {
  private final Map<String, Principal> byToken;
  private final DinerTokens diners;

  private Tokens(Map<String, Principal> byToken, DinerTokens diners) {
    this.byToken = Map.copyOf(byToken);
    this.diners = diners;
  }

  public static Tokens of(String configured, boolean demo, DinerTokens diners) {
    Map<String, Principal> tokens = new HashMap<>();
    if (demo) {
      for (Role role : Role.values()) {
        if (role != Role.DINER) tokens.put("demo-" + role.wire(), new Principal("demo-" + role.wire(), role));
      }
    }
    if (configured != null && !configured.isBlank()) {
      for (String entry : configured.split(",")) {
        String[] parts = entry.trim().split(":");
        if (parts.length < 2 || parts[0].isBlank()) {
          throw new IllegalArgumentException("API_TOKENS entry '" + entry.trim() + "' is not token:role[:name]");
        }
        Role role = Role.parse(parts[1])
            .filter(r -> r != Role.DINER)
            .orElseThrow(() -> new IllegalArgumentException("API_TOKENS entry has unknown role '" + parts[1]
                + "' (diners get their tokens from the table cards)"));
        String name = parts.length > 2 && !parts[2].isBlank() ? parts[2] : role.wire();
        tokens.put(parts[0], new Principal(name, role));
      }
    }
    return new Tokens(tokens, diners);
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
    if (token.startsWith(DinerTokens.PREFIX)) return diners.tableOf(token).map(Principal::diner);
    return Optional.ofNullable(byToken.get(token));
  }
}
