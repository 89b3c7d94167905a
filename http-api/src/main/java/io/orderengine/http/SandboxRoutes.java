package io.orderengine.http;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import io.orderengine.engine.Engine;
import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.payment.Provider;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * The sandbox wallets and card terminal as the outside world: the customer pays or declines on the
 * phone, and a redelivery repeats the last callback. No token: these stand for other companies'
 * systems. Served only when the sandbox is on ({@code DEMO=true} and in tests).
 */
public final class SandboxRoutes extends AllDirectives {
  private final Engine engine;

  public SandboxRoutes(Engine engine) {
    this.engine = engine;
  }

  public Route route() {
    return pathPrefix("sandbox", () -> concat(
        path(segment().slash("trades").slash(segment()), (provider, tradeNo) -> get(() ->
            answer(provider, tradeNo, "", (p, body) -> engine.sandboxTrade(p, tradeNo)))),
        path(segment().slash("trades").slash(segment()).slash("pay"), (provider, tradeNo) -> post(() ->
            answer(provider, tradeNo, null, (p, body) -> engine.sandboxCustomerPays(p, tradeNo)))),
        path(segment().slash("trades").slash(segment()).slash("decline"), (provider, tradeNo) -> post(() ->
            answer(provider, tradeNo, null, (p, body) -> engine.sandboxCustomerDeclines(p, tradeNo,
                body.optionalText("reason").filter(r -> !r.isEmpty()).orElse("the customer declined"))))),
        path(segment().slash("trades").slash(segment()).slash("redeliver"), (provider, tradeNo) -> post(() ->
            answer(provider, tradeNo, null, (p, body) -> engine.sandboxRedeliver(p, tradeNo))))));
  }

  private Route answer(String providerName, String tradeNo, String fixedBody,
      BiFunction<Provider, Body, CompletionStage<io.orderengine.engine.payment.sandbox.SandboxTrade.View>> work) {
    return entity(Unmarshaller.entityToString(), raw -> completeWithFuture(RequestHandling.safely(() -> {
          Provider provider = Provider.parse(providerName).filter(p -> p != Provider.MEMBER)
              .orElseThrow(() -> new Rejected(Rejection.NOT_FOUND, "no sandbox provider '" + providerName + "'"));
          if (!tradeNo.matches("[A-Za-z0-9_-]{1,64}")) throw new Rejected(Rejection.NOT_FOUND, "no trade " + tradeNo);
          Body body = Body.parse(fixedBody != null ? fixedBody : raw);
          return work.apply(provider, body).thenApply(t -> ApiResult.ok(Representations.sandboxTrade(t)));
        })
        .thenApply(ApiResult::toResponse)));
  }
}
