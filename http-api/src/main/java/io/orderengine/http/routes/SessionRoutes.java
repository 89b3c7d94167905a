package io.orderengine.http.routes;

import io.orderengine.engine.VenueIds;
import io.orderengine.engine.usecase.Staffing;
import io.orderengine.http.auth.Principal;
import io.orderengine.http.auth.Roles;
import io.orderengine.http.auth.Sessions;
import io.orderengine.http.auth.SignInThrottle;
import io.orderengine.http.auth.Tokens;
import io.orderengine.http.json.ApiResult;
import io.orderengine.http.json.Body;
import io.orderengine.http.ledger.AuditTrail;
import io.orderengine.http.ledger.RequestLedger;
import io.orderengine.http.problems.BadRequest;
import io.orderengine.http.problems.Problems;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * Signing in at a till with a staff id and PIN, and out again: {@code POST /venues/{v}/sessions}
 * (no token: this is how one is got; unprefixed, the venue is the body's {@code venueId}, else
 * {@value VenueIds#DEFAULT}) and {@code DELETE /sessions/current} (the bearer's own session).
 *
 * <p>An unknown staff id, a disabled member and a wrong PIN get one answer, 401 with one detail.
 * Guessing is slowed twice: per member, cluster-wide (their venue's staff entity counts attempts), and
 * per client address on this node ({@link SignInThrottle}); either answers 429 TOO_MANY_ATTEMPTS with
 * {@code Retry-After}. Neither PIN nor token is logged or kept in the Idempotency-Key ledger; a
 * sign-in that opened a session and every sign-out are on the audit trail.
 */
public final class SessionRoutes extends RequestHandling {
  static final String NOT_ACCEPTED = "staff id or PIN not accepted";

  private final Sessions sessions;
  private final SignInThrottle throttle;
  private final Tokens tokens;
  private final RequestLedger ledger;

  public SessionRoutes(Sessions sessions, SignInThrottle throttle, Tokens tokens, RequestLedger ledger) {
    super(tokens, ledger);
    this.sessions = sessions;
    this.throttle = throttle;
    this.tokens = tokens;
    this.ledger = ledger;
  }

  public record SessionJson(String token, String role, Instant expiresAt, String staffId, String name, String venueId) {}

  public Route route() {
    return pathPrefix("sessions", () -> concat(
        pathEnd(() -> post(() -> extractRequest(request -> entity(Unmarshaller.entityToString(), raw ->
            completeWithFuture(signIn(request, raw)))))),
        path("current", () -> delete(() -> optionalHeaderValueByName("Authorization", header ->
            write("sign-out", Roles.ANYONE, (body, caller) -> {
              Optional<String> token = Tokens.bearer(header.orElse(null)).filter(Sessions::isSessionToken);
              if (token.isEmpty()) {
                throw new BadRequest("only a session token signs out; a configured token is retired by removing it from API_TOKENS");
              }
              return sessions.signOut(token.get()).thenApply(done -> new ApiResult(204, ApiResult.JSON, ""));
            }))))));
  }

  private CompletionStage<HttpResponse> signIn(HttpRequest request, String raw) {
    String address = request.getAttribute(AttributeKeys.remoteAddress)
        .flatMap(a -> a.getAddress()).map(java.net.InetAddress::getHostAddress).orElse("unknown");
    Optional<Duration> wait = throttle.wait(address);
    if (wait.isPresent()) return CompletableFuture.completedFuture(tooMany(wait.get()));
    String venueId;
    String staffId;
    String pin;
    try {
      if (!raw.isEmpty() && !isJson(request.entity().getContentType())) {
        return CompletableFuture.completedFuture(Problems.problem(415, "UNSUPPORTED_MEDIA_TYPE",
            "send the body as application/json").toResponse());
      }
      Body body = Body.parse(raw);
      venueId = request.getAttribute(PATH_VENUE)
          .orElseGet(() -> body.optionalText("venueId").filter(v -> !v.isEmpty()).orElse(VenueIds.DEFAULT));
      if (!VenueIds.VENUE_ID.matcher(venueId).matches()) throw new BadRequest("'venueId' must match [A-Za-z0-9_-]{1,32}");
      staffId = body.requiredId("staffId");
      pin = body.requiredText("pin");
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(Problems.from(e).toResponse());
    }
    String venue = venueId;
    return tokens.venueExists(venue)
        .thenCompose(exists -> exists ? sessions.signIn(venue, staffId, pin)
            : CompletableFuture.completedFuture(new Sessions.Attempt(new Staffing.NotSignedIn(), null)))
        .thenCompose(attempt -> {
          if (attempt.outcome() instanceof Staffing.SignedIn in) {
            Principal who = Sessions.principal(in.session());
            ApiResult created = ApiResult.created(new SessionJson(attempt.token(), who.role().wire(),
                in.session().expiresAt(), who.staffId(), who.name(), venue));
            AuditTrail.Entry entry = new AuditTrail.Entry(Instant.now(), who.name(), who.role().wire(), null, "sign-in",
                "POST", request.getUri().path(), 201, null, "sign-in:" + UUID.randomUUID(), who.staffId(), venue);
            return ledger.keep(entry, null, created).thenApply(kept -> kept.toResponse(RawHeader.create("Cache-Control", "no-store")));
          }
          throttle.failed(address);
          if (attempt.outcome() instanceof Staffing.Blocked blocked) {
            return CompletableFuture.completedFuture(tooMany(blocked.retryAfter()));
          }
          return CompletableFuture.completedFuture(Problems.problem(401, "UNAUTHORIZED", NOT_ACCEPTED).toResponse());
        })
        .exceptionally(failure -> Problems.from(failure).toResponse());
  }

  private static HttpResponse tooMany(Duration wait) {
    long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
    return Problems.problem(429, "TOO_MANY_ATTEMPTS", "too many sign-ins went wrong; try again in " + seconds + " s",
        Map.of("retryAfterSeconds", seconds)).toResponse(RawHeader.create("Retry-After", Long.toString(seconds)));
  }
}
