package io.orderengine.http.auth;

import io.orderengine.engine.VenueIds;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The bearer tokens this node accepts. Operators give them as {@code API_TOKENS}, entries separated
 * by commas: {@code sha256:<64 hex digits>:role[:name[:venueId]]} names a token by its SHA-256 only, so
 * the configuration holds no usable secret ({@code printf %s "$TOKEN" | sha256sum});
 * {@code token:role[:name[:venueId]]} gives it in clear, for trying things out. A token belongs to
 * the venue it names ({@value VenueIds#DEFAULT} when it names none), except an {@code admin}'s, which
 * belongs to no venue. With {@code DEMO=true} the documented demo tokens ({@code demo-waiter},
 * {@code demo-cashier}, ...) exist as well, for the demo venue. Diners' tokens are not listed: they
 * are signed per table ({@link DinerTokens}). Nor are the session tokens of staff who signed in with
 * their PIN: their venue's staff entity holds them ({@link Sessions}).
 *
 * <p>Either way the node keeps only hashes in memory and looks a presented token up by its hash.
 * Staff tokens are meant to be long random strings (32 bytes from a CSPRNG, as the README shows),
 * for which one SHA-256 is as good as a slow password hash.
 */
public final class Tokens {
  private static final java.util.regex.Pattern SHA256 = java.util.regex.Pattern.compile("[0-9a-fA-F]{64}");
  /** Whether a venue exists; a venue never ceases to, so a node may remember a yes. */
  public interface VenueCheck {
    CompletionStage<Boolean> exists(String venueId);
  }

  /** Whom a session token ({@value Sessions#PREFIX}…) stands for, if anyone. */
  public interface SessionCheck {
    CompletionStage<Optional<Principal>> principalOf(String token, VenueCheck venues);
  }

  private static final SessionCheck NO_SESSIONS = (token, venues) -> CompletableFuture.completedFuture(Optional.empty());

  private final Map<String, Principal> byHash;
  private final DinerTokens diners;
  private final VenueCheck venues;
  private final SessionCheck sessions;

  private Tokens(Map<String, Principal> byHash, DinerTokens diners, VenueCheck venues, SessionCheck sessions) {
    this.byHash = Map.copyOf(byHash);
    this.diners = diners;
    this.venues = venues;
    this.sessions = sessions;
  }

  /** These tokens, at a node that knows which venues exist by {@code venues}. */
  public Tokens withVenues(VenueCheck venues) {
    return new Tokens(byHash, diners, venues, sessions);
  }

  /** These tokens and the session tokens of staff signed in with their PIN. */
  public Tokens withSessions(SessionCheck sessions) {
    return new Tokens(byHash, diners, venues, sessions);
  }

  public CompletionStage<Boolean> venueExists(String venueId) {
    return venues.exists(venueId);
  }

  public static Tokens of(String configured, boolean demo, DinerTokens diners) {
    Map<String, Principal> tokens = new HashMap<>();
    if (demo) {
      for (Role role : Role.values()) {
        if (role != Role.DINER && role != Role.ADMIN) {
          tokens.put(sha256("demo-" + role.wire()), new Principal("demo-" + role.wire(), role, VenueIds.DEFAULT));
        }
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
                + "' (roles: waiter, cashier, kitchen, manager, analyst, owner, admin; diners get their tokens from the table cards)"));
        String name = parts.length > 2 && !parts[2].isBlank() ? parts[2] : role.wire();
        String venue = parts.length > 3 && !parts[3].isBlank() ? parts[3].trim() : null;
        if (role == Role.ADMIN && venue != null) {
          throw new IllegalArgumentException("API_TOKENS entry '" + redacted(e) + "': the admin belongs to no venue");
        }
        if (venue != null && !VenueIds.VENUE_ID.matcher(venue).matches()) {
          throw new IllegalArgumentException("API_TOKENS entry '" + redacted(e) + "': the venue id must match [A-Za-z0-9_-]{1,32}");
        }
        if (role != Role.ADMIN && venue == null) venue = VenueIds.DEFAULT;
        tokens.put(hashed ? parts[0].toLowerCase(java.util.Locale.ROOT) : sha256(parts[0]), new Principal(name, role, venue));
      }
    }
    return new Tokens(tokens, diners, venueId -> CompletableFuture.completedFuture(true), NO_SESSIONS);
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

  /** The token the QR code of a venue's table carries. */
  public String dinerToken(String venueId, String tableId) {
    return diners.issue(venueId, tableId);
  }

  /** The caller an {@code Authorization} header names, if any: a session token is asked of its venue's staff. */
  public CompletionStage<Optional<Principal>> resolve(String authorizationHeader) {
    Optional<String> token = bearer(authorizationHeader);
    if (token.isPresent() && Sessions.isSessionToken(token.get())) return sessions.principalOf(token.get(), venues);
    return CompletableFuture.completedFuture(principalOf(authorizationHeader));
  }

  /** The token of an {@code Authorization: Bearer} header, if it carries one of a sane length. */
  public static Optional<String> bearer(String authorizationHeader) {
    if (authorizationHeader == null) return Optional.empty();
    String h = authorizationHeader.trim();
    if (h.length() < 7 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) return Optional.empty();
    String token = h.substring(7).trim();
    if (token.isEmpty() || token.length() > 512) return Optional.empty();
    return Optional.of(token);
  }

  /** The caller of a configured, demo or diner token; a session token needs {@link #resolve}. */
  public Optional<Principal> principalOf(String authorizationHeader) {
    Optional<String> bearer = bearer(authorizationHeader);
    if (bearer.isEmpty() || Sessions.isSessionToken(bearer.get())) return Optional.empty();
    String token = bearer.get();
    if (token.startsWith(DinerTokens.PREFIX)) {
      return diners.tableOf(token).map(qualified -> Principal.diner(VenueIds.venueOf(qualified), VenueIds.localOf(qualified)));
    }
    return Optional.ofNullable(byHash.get(sha256(token)));
  }
}
