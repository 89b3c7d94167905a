package io.orderengine.http.routes;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.VenueIds;
import io.orderengine.engine.payment.Gateway;
import io.orderengine.engine.payment.Gateway.CallbackAnswer;
import io.orderengine.engine.payment.Provider;
import io.orderengine.engine.usecase.Checkout;
import io.orderengine.http.problems.Problems;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * The providers' asynchronous callbacks, at {@code /api/v1/venues/{v}/gateways/{provider}/notify}
 * (a venue's merchant account tells its provider this address) and {@code /api/v1/gateways/…} for
 * the venue {@code main}. They carry a signature instead of a token: the venue's own keys verify
 * it, so a callback speaks for that venue's payments only. A callback is acknowledged, in the
 * provider's own terms, only once its saga has persisted it, so the provider re-sends whatever
 * was not; a forged, stale or undecryptable one changes nothing and is answered as a failure.
 */
public final class GatewayRoutes extends AllDirectives {
  private final Checkout checkout;
  private final Function<String, CompletionStage<Boolean>> venueExists;

  public GatewayRoutes(Checkout checkout, Function<String, CompletionStage<Boolean>> venueExists) {
    this.checkout = checkout;
    this.venueExists = venueExists;
  }

  public Route route() {
    return path(segment("gateways").slash(segment()).slash("notify"), providerName -> post(() ->
        extractRequest(request -> entity(Unmarshaller.entityToString(), body -> {
          Map<String, String> headers = new HashMap<>();
          for (HttpHeader h : request.getHeaders()) headers.put(h.lowercaseName(), h.value());
          headers.put("content-type", request.entity().getContentType().toString());
          String venueId = request.getAttribute(RequestHandling.PATH_VENUE).orElse(VenueIds.DEFAULT);
          return completeWithFuture(answer(venueId, providerName, headers, body));
        }))));
  }

  private CompletionStage<HttpResponse> answer(String venueId, String providerName, Map<String, String> headers, String body) {
    Provider provider = Provider.parse(providerName).filter(p -> p != Provider.MEMBER).orElse(null);
    if (provider == null) {
      return CompletableFuture.completedFuture(
          Problems.from(new Rejected(Rejection.NOT_FOUND, "no gateway '" + providerName + "'")).toResponse());
    }
    return venueExists.apply(venueId).thenCompose(exists -> {
      if (!exists) {
        return CompletableFuture.completedFuture(
            Problems.from(new Rejected(Rejection.NOT_FOUND, "no venue " + venueId)).toResponse());
      }
      return checkout.callbackGateway(venueId, provider)
          .thenCompose(gateway -> checkout.gatewayNotification(venueId, provider, headers, body)
              .handle((saga, failure) -> failure == null
                  ? response(gateway.acknowledgement())
                  : refused(gateway, failure)))
          .exceptionally(noGateway -> Problems.from(noGateway).toResponse());
    });
  }

  /**
   * Refused: a provider that reads any 4xx/5xx as "send it again" (WeChat Pay) gets the problem
   * itself, the status saying why to anyone reading the provider's console; one that wants its own
   * text with a 200 (Alipay's {@code failure}) gets that.
   */
  private static HttpResponse refused(Gateway gateway, Throwable failure) {
    CallbackAnswer refusal = gateway.refusal(Problems.from(failure).status() == 401 ? "signature verification failed"
        : "not counted, send again");
    return refusal.status() == 200 ? response(refusal) : Problems.from(failure).toResponse();
  }

  private static HttpResponse response(CallbackAnswer answer) {
    ContentType type = ContentTypes.parse(answer.contentType());
    return HttpResponse.create().withStatus(answer.status()).withEntity(HttpEntities.create(type, answer.body().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }
}
