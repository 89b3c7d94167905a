package io.orderengine.http.routes;

import io.orderengine.engine.VenueIds;
import io.orderengine.http.auth.Principal;
import io.orderengine.http.auth.Role;
import io.orderengine.http.auth.Tokens;
import io.orderengine.http.json.ApiResult;
import io.orderengine.http.json.Body;
import io.orderengine.http.json.Json;
import io.orderengine.http.ledger.AuditTrail;
import io.orderengine.http.ledger.IdempotencyStore;
import io.orderengine.http.ledger.RequestLedger;
import io.orderengine.http.problems.BadRequest;
import io.orderengine.http.problems.Forbidden;
import io.orderengine.http.problems.Problems;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.AttributeKey;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.MediaType;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * What every endpoint does the same way: who is calling, reading the body strictly, the
 * Idempotency-Key, and turning any failure into a problem+json answer. Route classes extend it and
 * only say what their endpoints mean.
 */
public abstract class RequestHandling extends AllDirectives {
  static final int MAX_KEY_LENGTH = 255;

  /** The venue a request's path names ({@code /api/v1/venues/{venueId}/…}); the route tree sets it. */
  public static final AttributeKey<String> PATH_VENUE = AttributeKey.create("venue", String.class);

  /** The header a manager's token comes in when a manager approves what the caller may not do alone. */
  public static final String APPROVAL_HEADER = "X-Manager-Approval";

  /**
   * What a write endpoint gets besides its body: the caller, the key its entity dedupes on, and the
   * manager who approved the request on the caller's terminal ({@value #APPROVAL_HEADER}), if any.
   */
  public record Caller(Principal principal, String requestId, Optional<Principal> approvedBy) {
    public Caller(Principal principal, String requestId) {
      this(principal, requestId, Optional.empty());
    }

    /** The venue the request acts at. */
    public String venue() {
      return principal.venue();
    }

    /** A manager is calling, or a manager approved this request. */
    public boolean managerAgrees() {
      return principal.isManagerOrAbove() || approvedBy.isPresent();
    }

    /** Refuses with 403 APPROVAL_REQUIRED unless {@link #managerAgrees()}. */
    public void requireManager(String what) {
      if (!managerAgrees()) {
        throw new Forbidden("APPROVAL_REQUIRED", what + " needs a manager: send a manager's token in " + APPROVAL_HEADER);
      }
    }
  }

  private final Tokens tokens;
  private final RequestLedger ledger;

  protected RequestHandling(Tokens tokens, RequestLedger ledger) {
    this.tokens = tokens;
    this.ledger = ledger;
  }

  /** A read: the caller must hold one of {@code roles}. */
  protected Route read(Set<Role> roles, Function<Principal, CompletionStage<ApiResult>> work) {
    return authorized(roles, principal -> completeWithFuture(safely(() -> work.apply(principal)).thenApply(ApiResult::toResponse)));
  }

  /** A read that concerns no one venue (the platform's list of venues). */
  protected Route readAcrossVenues(Set<Role> roles, Function<Principal, CompletionStage<ApiResult>> work) {
    return optionalHeaderValueByName("Authorization", header -> authorizedAs(roles, false, header,
        principal -> completeWithFuture(safely(() -> work.apply(principal)).thenApply(ApiResult::toResponse))));
  }

  /**
   * A write that adds order lines or moves money, or otherwise changes state. With an
   * {@code Idempotency-Key} a retry gets the first answer; without one the request is applied once
   * as sent.
   */
  protected Route write(String operation, Set<Role> roles, BiFunction<Body, Caller, CompletionStage<ApiResult>> work) {
    return write(operation, roles, true, work);
  }

  /** A write that concerns no one venue (the admin creating a venue). */
  protected Route writeAcrossVenues(String operation, Set<Role> roles, BiFunction<Body, Caller, CompletionStage<ApiResult>> work) {
    return write(operation, roles, false, work);
  }

  private Route write(String operation, Set<Role> roles, boolean scoped, BiFunction<Body, Caller, CompletionStage<ApiResult>> work) {
    return extractRequest(request -> optionalHeaderValueByName("Authorization", header -> authorizedAs(roles, scoped, header,
        // a known caller refused for their role is on record: someone tried what they may not do
        forbidden -> completeWithFuture(refused(operation, request, forbidden, forbidden(forbidden))
            .thenApply(ApiResult::toResponse)),
        principal -> optionalHeaderValueByName("Idempotency-Key",
            key -> optionalHeaderValueByName(APPROVAL_HEADER, approval -> entity(Unmarshaller.entityToString(), raw ->
                completeWithFuture(accept(operation, request, principal, key, approval, raw, work)
                    .thenApply(ApiResult::toResponse))))))));
  }

  /** Keeps the audit entry of a write refused before any work, then answers the refusal. */
  private CompletionStage<ApiResult> refused(String operation, HttpRequest request, Principal who, ApiResult refusal) {
    return ledger.keep(auditEntry(operation, request.method().value(), request.getUri().path(), new Caller(who, null),
        refusal), null, refusal);
  }

  private static ApiResult forbidden(Principal principal) {
    return Problems.problem(403, "FORBIDDEN", "role " + principal.role().wire() + " may not do this");
  }

  /** The checks every write passes before its work: a JSON body, and an approval that is a manager's. */
  private CompletionStage<ApiResult> accept(String operation, HttpRequest request, Principal principal,
      Optional<String> key, Optional<String> approval, String raw, BiFunction<Body, Caller, CompletionStage<ApiResult>> work) {
    if (!raw.isEmpty() && !isJson(request.entity().getContentType())) {
      return CompletableFuture.completedFuture(Problems.problem(415, "UNSUPPORTED_MEDIA_TYPE",
          "send the body as application/json, not " + request.entity().getContentType().mediaType()));
    }
    if (approval.isEmpty()) {
      return answer(operation, request.method().value(), request.getUri().path(), key, raw,
          new Caller(principal, null, Optional.empty()), work);
    }
    // the approving manager is one of this venue's (or the admin)
    return tokens.resolve("Bearer " + approval.get().strip()).thenCompose(approver -> {
      Optional<Principal> manager = approver
          .filter(a -> a.isManagerOrAbove() && (principal.venue() == null ? a.isAdmin() : a.mayEnter(principal.venue())));
      if (manager.isEmpty()) {
        return refused(operation, request, principal,
            Problems.problem(403, "APPROVAL_REJECTED", APPROVAL_HEADER + " must carry the token of a manager of this venue"));
      }
      return answer(operation, request.method().value(), request.getUri().path(), key, raw,
          new Caller(principal, null, manager), work);
    });
  }

  /** application/json, with or without a charset, or any application/...+json. */
  static boolean isJson(ContentType type) {
    MediaType media = type.mediaType();
    return media.mainType().equals("application")
        && (media.subType().equals("json") || media.subType().endsWith("+json"));
  }

  private CompletionStage<ApiResult> answer(String operation, String method, String path, Optional<String> key,
      String raw, Caller who, BiFunction<Body, Caller, CompletionStage<ApiResult>> work) {
    return safely(() -> {
      Body body = Body.parse(raw);
      if (key.isEmpty()) {
        Caller caller = new Caller(who.principal(), operation + ":" + UUID.randomUUID(), who.approvedBy());
        return safely(() -> work.apply(body, caller)).thenCompose(result ->
            ledger.keep(auditEntry(operation, method, path, caller, result), null, result));
      }
      String k = key.get().strip();
      if (k.isEmpty() || k.length() > MAX_KEY_LENGTH) {
        throw new BadRequest("Idempotency-Key must be 1.." + MAX_KEY_LENGTH + " characters");
      }
      Caller caller = new Caller(who.principal(), operation + ":" + k, who.approvedBy());
      String scope = scope(who.venue(), method, path);
      IdempotencyStore.Key ledgerKey = new IdempotencyStore.Key(scope, k, IdempotencyStore.fingerprint(scope, body.canonical()));
      return ledger.lookup(ledgerKey).thenCompose(found -> {
        // a replayed answer did nothing new, so only the first time is audited
        if (found instanceof IdempotencyStore.Replay replay) return CompletableFuture.completedFuture(replay.result().asReplay());
        if (found instanceof IdempotencyStore.Reused) return CompletableFuture.completedFuture(IdempotencyStore.reused(k));
        return safely(() -> work.apply(body, caller)).thenCompose(result -> ledger.keep(
            auditEntry(operation, method, path, caller, result), keptUnderKey(result) ? ledgerKey : null, result));
      });
    });
  }

  /**
   * What an Idempotency-Key is unique within: the venue, and the request as the venue knows it, so a
   * retry through {@code /api/v1/venues/V1/…} finds the first try through V1's {@code /api/v1/…},
   * and two venues never share a key. The venue {@value VenueIds#DEFAULT} keeps the scope it had
   * before venues existed, so keys kept then still answer.
   */
  static String scope(String venue, String method, String path) {
    if (venue == null) return method + " " + path;
    String prefix = "/api/v1/venues/" + venue + "/";
    String local = path.startsWith(prefix) ? "/api/v1/" + path.substring(prefix.length()) : path;
    return (venue.equals(VenueIds.DEFAULT) ? "" : venue + " ") + method + " " + local;
  }

  /**
   * A 5xx is not an answer worth keeping: the client is told to retry with the same key. Nor is a 403:
   * a refusal for want of authority changed nothing, and the same request may come back with a
   * manager's approval under the same key.
   */
  private static boolean keptUnderKey(ApiResult result) {
    return result.status() < 500 && result.status() != 403;
  }

  /**
   * The audit entry of a write the work answered; kept before the caller hears the answer, so an
   * acknowledged write always has its entry. A 5xx changed nothing that the caller will not retry,
   * and has none.
   */
  private static AuditTrail.Entry auditEntry(String operation, String method, String path, Caller caller,
      ApiResult result) {
    if (result.status() >= 500) return null;
    Principal p = caller.principal();
    return new AuditTrail.Entry(java.time.Instant.now(), p.name(), p.role().wire(),
        caller.approvedBy().map(Principal::name).orElse(null), operation, method, path, result.status(),
        problemCode(result), caller.requestId(), p.staffId(), caller.venue());
  }

  private static String problemCode(ApiResult result) {
    if (result.status() < 400 || result.body() == null) return null;
    try {
      return Json.MAPPER.readTree(result.body()).path("code").asText(null);
    } catch (Exception notJson) {
      return null;
    }
  }

  /** For streams: a browser's EventSource cannot send headers, so {@code ?access_token=} stands in for them. */
  protected Route authorizedRoute(Set<Role> roles, Function<Principal, Route> inner) {
    return parameterOptional("access_token", token -> token.isPresent()
        ? authorizedAs(roles, true, Optional.of("Bearer " + token.get()), inner)
        : authorized(roles, inner));
  }

  private Route authorized(Set<Role> roles, Function<Principal, Route> inner) {
    return optionalHeaderValueByName("Authorization", header -> authorizedAs(roles, true, header, inner));
  }

  private Route authorizedAs(Set<Role> roles, boolean scoped, Optional<String> header, Function<Principal, Route> inner) {
    return authorizedAs(roles, scoped, header, p -> complete(forbidden(p).toResponse()), inner);
  }

  /**
   * 401 without a known token (not audited: there is no one to name, and a flood of them would
   * bury the trail), {@code forbidden} for a caller whose role may not, else {@code inner}, given
   * the caller as acting at the request's venue. A request {@code scoped} to a venue acts at the
   * venue its path names ({@link #PATH_VENUE}), or else at the caller's own; a caller of one venue
   * is refused on every path of another before anything about that venue is looked at, and an
   * unknown venue is a 404. The admin, who belongs to no venue, names one in the path.
   */
  private Route authorizedAs(Set<Role> roles, boolean scoped, Optional<String> header,
      Function<Principal, Route> forbidden, Function<Principal, Route> inner) {
    return extractRequest(request -> onSuccess(tokens.resolve(header.orElse(null)), principal -> {
      if (principal.isEmpty()) {
        return complete(Problems.problem(401, "UNAUTHORIZED",
            header.isEmpty() ? "send Authorization: Bearer <token>" : "the bearer token is not known here").toResponse(
                org.apache.pekko.http.javadsl.model.headers.RawHeader.create("WWW-Authenticate", "Bearer")));
      }
      Principal p = principal.get();
      if (!scoped) return p.mayActAs(roles) ? inner.apply(p) : forbidden.apply(p);
      Optional<String> pathVenue = request.getAttribute(PATH_VENUE);
      if (pathVenue.isPresent() && !p.mayEnter(pathVenue.get())) {
        return complete(Problems.problem(403, "FORBIDDEN", "this token is not for this venue").toResponse());
      }
      if (pathVenue.isEmpty() && p.venue() == null) {
        return complete(Problems.problem(400, "VENUE_REQUIRED",
            "a token of no venue names one: /api/v1/venues/{venueId}" + request.getUri().path().substring("/api/v1".length()))
            .toResponse());
      }
      Principal here = p.at(pathVenue.orElse(p.venue()));
      if (!here.mayActAs(roles)) return forbidden.apply(here);
      return onSuccess(tokens.venueExists(here.venue()), exists -> exists ? inner.apply(here)
          : complete(Problems.problem(404, "NOT_FOUND", "no venue " + here.venue()).toResponse()));
    }));
  }

  /**
   * A write whose body holds a secret (a PIN, a private key) and that is idempotent as it is: its
   * {@code Idempotency-Key} is ignored, so the ledger keeps no digest of the body.
   */
  protected Route withoutKey(Supplier<Route> inner) {
    return mapRequest(request -> request.removeHeader("Idempotency-Key"), inner);
  }

  /** Runs {@code work}, turning a thrown or failed outcome into its problem answer. */
  protected static CompletionStage<ApiResult> safely(Supplier<CompletionStage<ApiResult>> work) {
    CompletionStage<ApiResult> stage;
    try {
      stage = work.get();
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(Problems.from(e));
    }
    return stage.exceptionally(Problems::from);
  }

  protected static String requireId(String what, String value) {
    if (!Body.ID.matcher(value).matches()) throw new BadRequest(what + " must match [A-Za-z0-9_-]{1,32}");
    return value;
  }
}
