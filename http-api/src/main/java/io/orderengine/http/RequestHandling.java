package io.orderengine.http;

import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.ContentType;
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

  /** What a write endpoint gets besides its body: the caller and the key its entity dedupes on. */
  public record Caller(Principal principal, String requestId) {}

  private final Tokens tokens;
  private final IdempotencyStore idempotency;

  protected RequestHandling(Tokens tokens, IdempotencyStore idempotency) {
    this.tokens = tokens;
    this.idempotency = idempotency;
  }

  /** A read: the caller must hold one of {@code roles}. */
  protected Route read(Set<Role> roles, Function<Principal, CompletionStage<ApiResult>> work) {
    return authorized(roles, principal -> completeWithFuture(safely(() -> work.apply(principal)).thenApply(ApiResult::toResponse)));
  }

  /**
   * A write that adds order lines or moves money, or otherwise changes state. With an
   * {@code Idempotency-Key} a retry gets the first answer; without one the request is applied once
   * as sent.
   */
  protected Route write(String operation, Set<Role> roles, BiFunction<Body, Caller, CompletionStage<ApiResult>> work) {
    return authorized(roles, principal -> extractRequest(request -> optionalHeaderValueByName("Idempotency-Key",
        key -> entity(Unmarshaller.entityToString(), raw -> completeWithFuture(
            (raw.isEmpty() || isJson(request.entity().getContentType())
                ? answer(operation, request.method().value() + " " + request.getUri().path(), key, raw, principal, work)
                : CompletableFuture.completedFuture(Problems.problem(415, "UNSUPPORTED_MEDIA_TYPE",
                    "send the body as application/json, not " + request.entity().getContentType().mediaType())))
                .thenApply(r -> r.toResponse()))))));
  }

  /** application/json, with or without a charset, or any application/...+json. */
  static boolean isJson(ContentType type) {
    MediaType media = type.mediaType();
    return media.mainType().equals("application")
        && (media.subType().equals("json") || media.subType().endsWith("+json"));
  }

  private CompletionStage<ApiResult> answer(String operation, String scope, Optional<String> key, String raw,
      Principal principal, BiFunction<Body, Caller, CompletionStage<ApiResult>> work) {
    return safely(() -> {
      Body body = Body.parse(raw);
      if (key.isEmpty()) {
        Caller caller = new Caller(principal, operation + ":" + UUID.randomUUID());
        return work.apply(body, caller);
      }
      String k = key.get().strip();
      if (k.isEmpty() || k.length() > MAX_KEY_LENGTH) {
        throw new BadRequest("Idempotency-Key must be 1.." + MAX_KEY_LENGTH + " characters");
      }
      Caller caller = new Caller(principal, operation + ":" + k);
      String fingerprint = IdempotencyStore.fingerprint(scope, body.canonical());
      return idempotency.run(scope, k, fingerprint, () -> safely(() -> work.apply(body, caller)));
    });
  }

  /** For streams: a browser's EventSource cannot send headers, so {@code ?access_token=} stands in for them. */
  protected Route authorizedRoute(Set<Role> roles, Function<Principal, Route> inner) {
    return parameterOptional("access_token", token -> token.isPresent()
        ? authorizedAs(roles, Optional.of("Bearer " + token.get()), inner)
        : authorized(roles, inner));
  }

  private Route authorized(Set<Role> roles, Function<Principal, Route> inner) {
    return optionalHeaderValueByName("Authorization", header -> authorizedAs(roles, header, inner));
  }

  private Route authorizedAs(Set<Role> roles, Optional<String> header, Function<Principal, Route> inner) {
    {
      Optional<Principal> principal = tokens.principalOf(header.orElse(null));
      if (principal.isEmpty()) {
        return complete(Problems.problem(401, "UNAUTHORIZED",
            header.isEmpty() ? "send Authorization: Bearer <token>" : "the bearer token is not known here").toResponse(
                org.apache.pekko.http.javadsl.model.headers.RawHeader.create("WWW-Authenticate", "Bearer")));
      }
      if (!principal.get().mayActAs(roles)) {
        return complete(Problems.problem(403, "FORBIDDEN",
            "role " + principal.get().role().wire() + " may not do this").toResponse());
      }
      return inner.apply(principal.get());
    }
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
