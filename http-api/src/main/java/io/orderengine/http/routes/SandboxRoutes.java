package io.orderengine.http.routes;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import io.orderengine.engine.usecase.Checkout;
import io.orderengine.engine.usecase.SandboxWallets;
import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.payment.Provider;
import io.orderengine.http.json.ApiResult;
import io.orderengine.http.json.Body;
import io.orderengine.http.json.Representations;
import io.orderengine.engine.payment.sandbox.DemoWallets;
import io.orderengine.engine.payment.wire.WireRequest;
import io.orderengine.engine.payment.wire.WireResponse;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
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
  private final SandboxWallets sandbox;
  private final Checkout checkout;
  private final java.time.ZoneId zone;

  /** {@code checkout}: the providers' statements, which the sandbox serves as the real ones do. */
  public SandboxRoutes(SandboxWallets sandbox, Checkout checkout, java.time.ZoneId zone) {
    this.sandbox = sandbox;
    this.checkout = checkout;
    this.zone = zone;
  }

  public Route route() {
    return pathPrefix("sandbox", () -> concat(
        emulated(),
        path(segment().slash("trades").slash(segment()), (provider, tradeNo) -> get(() ->
            answer(provider, tradeNo, "", (p, body) -> sandbox.trade(p, tradeNo)))),
        path(segment().slash("trades").slash(segment()).slash("pay"), (provider, tradeNo) -> post(() ->
            answer(provider, tradeNo, null, (p, body) -> sandbox.customerPays(p, tradeNo)))),
        path(segment().slash("trades").slash(segment()).slash("decline"), (provider, tradeNo) -> post(() ->
            answer(provider, tradeNo, null, (p, body) -> sandbox.customerDeclines(p, tradeNo,
                body.optionalText("reason").filter(r -> !r.isEmpty()).orElse("the customer declined"))))),
        path(segment().slash("trades").slash(segment()).slash("redeliver"), (provider, tradeNo) -> post(() ->
            answer(provider, tradeNo, null, (p, body) -> sandbox.redeliver(p, tradeNo)))),
        path(segment().slash("faults"), provider -> post(() -> entity(Unmarshaller.entityToString(), raw ->
            completeWithFuture(RequestHandling.safely(() -> faults(provider, Body.parse(raw))).thenApply(ApiResult::toResponse))))),
        path(segment().slash("statements").slash(segment()), (provider, date) -> get(() ->
            completeWithFuture(RequestHandling.safely(() -> statement(provider, date)).thenApply(ApiResult::toResponse))))));
  }

  /**
   * The day's statement (对账单) as the provider publishes it: a CSV file, amounts in yuan, the way
   * WeChat Pay's and Alipay's downloadable bills are, with a summary line at the end.
   */
  private java.util.concurrent.CompletionStage<ApiResult> statement(String providerName, String dateText) {
    Provider provider = Provider.parse(providerName).filter(p -> p != Provider.MEMBER)
        .orElseThrow(() -> new Rejected(Rejection.NOT_FOUND, "no sandbox provider '" + providerName + "'"));
    java.time.LocalDate date = ReportRoutes.date("date", java.util.Optional.of(dateText)).orElseThrow();
    return checkout.statement(io.orderengine.engine.VenueIds.DEFAULT, provider, date, zone).thenApply(lines -> {
      StringBuilder b = new StringBuilder("trade_time,transaction_id,out_trade_no,trade_state,total_fee,refund_fee\n");
      long total = 0;
      long refunded = 0;
      for (var l : lines) {
        b.append(l.finishedAt().atZone(zone).toLocalDateTime()).append(',').append(l.gatewayTxnId()).append(',')
            .append(l.tradeNo()).append(',').append(l.state()).append(',').append(io.orderengine.engine.Money.format(l.amountMinor()))
            .append(',').append(io.orderengine.engine.Money.format(l.refundedMinor())).append('\n');
        total += l.amountMinor();
        refunded += l.refundedMinor();
      }
      b.append("total_trades,total_fee,total_refund_fee\n").append(lines.size()).append(',')
          .append(io.orderengine.engine.Money.format(total)).append(',').append(io.orderengine.engine.Money.format(refunded)).append('\n');
      return new ApiResult(200, "text/csv; charset=UTF-8", b.toString());
    });
  }

  /**
   * The emulated providers' own APIs, as their servers answer them: {@code /sandbox/wechat/v3/…}
   * (WeChat Pay APIv3) and {@code /sandbox/alipay/gateway.do} with Alipay's bill files; what the demo
   * merchant's adapters call. The path after {@code /sandbox/<provider>} is the provider's path.
   */
  private Route emulated() {
    return extractRequest(request -> {
      java.net.URI uri = java.net.URI.create(request.getUri().toString());
      String raw = uri.getRawPath();
      Provider provider = raw.startsWith("/sandbox/wechat/v3/") ? Provider.WECHAT
          : raw.equals("/sandbox/alipay/gateway.do") || raw.equals("/sandbox/alipay/downloadBillFile.resource")
              ? Provider.ALIPAY : null;
      var wallets = sandbox.wallets();
      if (provider == null || wallets.isEmpty()) return reject();
      String local = raw.substring(("/sandbox/" + provider.wire()).length());
      java.util.Map<String, String> headers = new java.util.HashMap<>();
      request.getHeaders().forEach(h -> headers.merge(h.name(), h.value(), (a, b) -> a + "," + b));
      return entity(Unmarshaller.entityToString(), body -> completeWithFuture(wallets.get()
          .serve(provider, new WireRequest(request.method().value(), local, uri.getRawQuery(), headers, body))
          .thenApply(SandboxRoutes::response)));
    });
  }

  /** Faults the emulated provider shows from now on, on this node; each call replaces the ones before. */
  private CompletionStage<ApiResult> faults(String providerName, Body body) {
    Provider provider = Provider.parse(providerName).filter(p -> sandbox.wallets().map(w -> w.serves(p)).orElse(false))
        .orElseThrow(() -> new Rejected(Rejection.NOT_FOUND, "no emulated provider '" + providerName + "' on this node"));
    int max = DemoWallets.Faults.MAX_COUNT;
    DemoWallets.Faults faults = new DemoWallets.Faults(body.optionalInt("loseCallbacks", 0, max).orElse(0),
        body.has("duplicateCallbacks") && body.requiredBoolean("duplicateCallbacks"),
        body.optionalInt("failCalls", 0, max).orElse(0), body.optionalInt("garbleAnswers", 0, max).orElse(0),
        body.optionalInt("forgeAnswers", 0, max).orElse(0),
        body.optionalLong("delayMillis", 0, DemoWallets.Faults.MAX_DELAY_MILLIS).orElse(0L));
    sandbox.wallets().orElseThrow().inject(provider, faults);
    return java.util.concurrent.CompletableFuture.completedFuture(ApiResult.ok(faults));
  }

  private static HttpResponse response(WireResponse wire) {
    String contentType = "application/octet-stream";
    java.util.List<HttpHeader> headers = new java.util.ArrayList<>();
    for (var h : wire.headers().entrySet()) {
      if (h.getKey().equalsIgnoreCase("Content-Type")) contentType = h.getValue();
      else headers.add(RawHeader.create(h.getKey(), h.getValue()));
    }
    ContentType type;
    try {
      type = ContentTypes.parse(contentType);
    } catch (RuntimeException unparsable) {
      type = ContentTypes.APPLICATION_OCTET_STREAM;
    }
    return HttpResponse.create().withStatus(wire.status()).addHeaders(headers)
        .withEntity(HttpEntities.create(type, wire.body()));
  }

  private Route answer(String providerName, String tradeNo, String fixedBody,
      BiFunction<Provider, Body, CompletionStage<io.orderengine.engine.payment.sandbox.SandboxTrade.View>> work) {
    return entity(Unmarshaller.entityToString(), raw -> completeWithFuture(RequestHandling.safely(() -> {
          Provider provider = Provider.parse(providerName).filter(p -> p != Provider.MEMBER)
              .orElseThrow(() -> new Rejected(Rejection.NOT_FOUND, "no sandbox provider '" + providerName + "'"));
          if (!tradeNo.matches("[A-Za-z0-9_.*-]{1,64}")) throw new Rejected(Rejection.NOT_FOUND, "no trade " + tradeNo);
          Body body = Body.parse(fixedBody != null ? fixedBody : raw);
          return work.apply(provider, body).thenApply(t -> ApiResult.ok(Representations.sandboxTrade(t)));
        })
        .thenApply(ApiResult::toResponse)));
  }
}
