package io.orderengine.http.routes;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import io.orderengine.engine.usecase.Checkout;
import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.payment.Provider;
import io.orderengine.http.json.ApiResult;
import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * The gateways' asynchronous callbacks. They carry a signature instead of a token; a callback is
 * acknowledged (200) only once its saga has persisted it, so a gateway re-sends whatever was not.
 */
public final class GatewayRoutes extends AllDirectives {
  private final Checkout checkout;

  public GatewayRoutes(Checkout checkout) {
    this.checkout = checkout;
  }

  public Route route() {
    return path(segment("gateways").slash(segment()).slash("notify"), providerName -> post(() ->
        extractRequest(request -> entity(Unmarshaller.entityToString(), body -> {
          Map<String, String> headers = new HashMap<>();
          for (HttpHeader h : request.getHeaders()) headers.put(h.name(), h.value());
          return completeWithFuture(RequestHandling.safely(() -> {
                Provider provider = Provider.parse(providerName).filter(p -> p != Provider.MEMBER)
                    .orElseThrow(() -> new Rejected(Rejection.NOT_FOUND, "no gateway '" + providerName + "'"));
                return checkout.gatewayNotification(provider, headers, body)
                    .thenApply(saga -> ApiResult.ok(Map.of("code", "SUCCESS", "message", "OK")));
              })
              .thenApply(ApiResult::toResponse));
        }))));
  }
}
