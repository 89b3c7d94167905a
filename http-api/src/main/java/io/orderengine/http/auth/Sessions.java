package io.orderengine.http.auth;

import io.orderengine.engine.staff.Staff.SessionView;
import io.orderengine.engine.staff.StaleSessions;
import io.orderengine.engine.usecase.Staffing;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Session tokens of staff who signed in with their staff id and PIN: {@code st1.<venueId>.<secret>},
 * the secret 32 random bytes in base64url. The venue in the token says which venue's staff entity
 * holds the session; the token itself is kept nowhere, only its SHA-256 (in that entity).
 *
 * <p>A request does not cost a round trip: this node caches a session it validated, for at most
 * {@code cacheTtl} and never past the session's end. <b>The guarantee:</b> a session that ends
 * (sign-out, the member disabled, their PIN reset; a role or name change likewise drops the cached
 * principal) is refused by the node that ended it from the moment it answers, and by every other node
 * as soon as the staff entity's notice on the cluster topic ({@link StaleSessions}) arrives, which in a
 * healthy cluster is milliseconds, since the notice is sent right after the journal has the change.
 * If a notice is lost (a node unreachable, or one that joined before the topic's registry reached it),
 * that node trusts its cached entry for at most {@code cacheTtl} more, then asks the entity again. A
 * validation racing an eviction is not cached.
 */
public final class Sessions implements Tokens.SessionCheck {
  public static final String PREFIX = "st1.";
  private static final Pattern SHAPE = Pattern.compile("st1\\.([A-Za-z0-9_-]{1,32})\\.([A-Za-z0-9_-]{43})");
  private static final int SECRET_BYTES = 32;
  /** Entries this node keeps at most; past that it drops what is stale, then, if need be, everything. */
  private static final int MAX_CACHED = 20_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A sign-in's outcome, and the token it made (given to the caller only when signed in). */
  public record Attempt(Staffing.SignIn outcome, String token) {}

  private record Cached(Principal principal, Instant expiresAt, long trustedUntilNanos) {}

  private final Staffing staffing;
  private final Duration cacheTtl;
  private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();
  /** Counts evictions, so a validation that raced one is not cached. */
  private final AtomicLong evictions = new AtomicLong();

  public Sessions(ActorSystem<?> system, Staffing staffing, Duration cacheTtl) {
    this.staffing = staffing;
    this.cacheTtl = cacheTtl;
    staffing.subscribe(system.systemActorOf(Behaviors.receive(StaleSessions.class)
        .onMessage(StaleSessions.class, notice -> {
          forget(notice);
          return Behaviors.same();
        }).build(), "session-cache-evictions", Props.empty()));
  }

  public static boolean isSessionToken(String token) {
    return token != null && token.startsWith(PREFIX);
  }

  /** The venue a session token names, if it has a session token's shape. */
  public static Optional<String> venueOf(String token) {
    Matcher m = SHAPE.matcher(token);
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /** Signs a member of {@code venueId}'s staff in with a new token. */
  public CompletionStage<Attempt> signIn(String venueId, String staffId, String pin) {
    byte[] secret = new byte[SECRET_BYTES];
    RANDOM.nextBytes(secret);
    String token = PREFIX + venueId + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    return staffing.signIn(venueId, staffId, pin, Tokens.sha256(token)).thenApply(outcome -> new Attempt(outcome,
        outcome instanceof Staffing.SignedIn ? token : null));
  }

  /** Ends the session of {@code token}, here at once and on the other nodes by the entity's notice. */
  public CompletionStage<Done> signOut(String token) {
    Optional<String> venue = venueOf(token);
    if (venue.isEmpty()) return CompletableFuture.completedFuture(Done.getInstance());
    String hash = Tokens.sha256(token);
    evictions.incrementAndGet();
    cache.remove(hash);
    return staffing.signOut(venue.get(), hash).thenApply(done -> {
      cache.remove(hash);
      return done;
    });
  }

  /** Drops what this node cached of one member's sessions: after a change made through this node. */
  public void forgetMember(String venueId, String staffId) {
    evictions.incrementAndGet();
    cache.values().removeIf(c -> venueId.equals(c.principal().venue()) && staffId.equals(c.principal().staffId()));
  }

  void forget(StaleSessions notice) {
    evictions.incrementAndGet();
    notice.tokenHashes().forEach(cache::remove);
  }

  @Override
  public CompletionStage<Optional<Principal>> principalOf(String token, Tokens.VenueCheck venues) {
    Optional<String> venue = venueOf(token);
    if (venue.isEmpty()) return CompletableFuture.completedFuture(Optional.empty());
    String hash = Tokens.sha256(token);
    Cached cached = cache.get(hash);
    if (cached != null) {
      if (System.nanoTime() - cached.trustedUntilNanos() < 0 && Instant.now().isBefore(cached.expiresAt())) {
        return CompletableFuture.completedFuture(Optional.of(cached.principal()));
      }
      cache.remove(hash, cached);
    }
    long evictionsBefore = evictions.get();
    // a made-up venue in a token must not wake an entity for it
    return venues.exists(venue.get()).thenCompose(exists -> !exists
        ? CompletableFuture.completedFuture(Optional.<Principal>empty())
        : staffing.session(venue.get(), hash).thenApply(found -> found.map(s -> {
          Principal p = principal(s);
          if (evictions.get() == evictionsBefore) keep(hash, new Cached(p, s.expiresAt(), System.nanoTime() + cacheTtl.toNanos()));
          return p;
        })));
  }

  /** The caller a session stands for. */
  public static Principal principal(SessionView s) {
    return new Principal(s.name(), Role.valueOf(s.role().name()), null, s.venueId(), s.staffId());
  }

  private void keep(String hash, Cached entry) {
    if (cache.size() >= MAX_CACHED) {
      long now = System.nanoTime();
      Instant wall = Instant.now();
      cache.values().removeIf(c -> now - c.trustedUntilNanos() >= 0 || !wall.isBefore(c.expiresAt()));
      if (cache.size() >= MAX_CACHED) cache.clear(); // a flood of sign-ins: asking the entities again is only slower
    }
    cache.put(hash, entry);
  }

  int cachedCount() {
    return cache.size();
  }
}
