package io.orderengine.http.routes;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import io.orderengine.engine.usecase.MenuBoard;
import io.orderengine.http.auth.Roles;
import io.orderengine.http.auth.Tokens;
import io.orderengine.http.json.ApiResult;
import io.orderengine.http.ledger.RequestLedger;
import io.orderengine.http.problems.Problems;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The table cards a manager prints: for each table the link diners open by scanning its QR code,
 * {@code <public url>/t/<tableId>?k=<diner token>}, and the code itself as SVG. Without
 * {@code PUBLIC_URL} the link uses the address the manager reached this node by.
 */
public final class TableCardRoutes extends RequestHandling {
  private final MenuBoard menu;
  private final Tokens tokens;
  private final Optional<String> publicUrl;

  public TableCardRoutes(MenuBoard menu, Tokens tokens, RequestLedger ledger, Optional<String> publicUrl) {
    super(tokens, ledger);
    this.menu = menu;
    this.tokens = tokens;
    this.publicUrl = publicUrl;
  }

  public record CardJson(String tableId, String url, String qrSvg) {}

  public record CardsJson(String venue, String baseUrl, List<CardJson> cards) {}

  public Route route() {
    return extractRequest(request -> concat(
        path("table-cards", () -> get(() -> read(Roles.MANAGER, who ->
            menu.venue(who.venue()).thenApply(venue -> ApiResult.ok(new CardsJson(venue.name(), base(request),
                venue.tableIds().stream().map(id -> card(request, who.venue(), id)).toList())))))),
        path(segment("tables").slash(segment()).slash("card"), tableId -> get(() -> read(Roles.MANAGER, who -> {
          requireId("tableId", tableId);
          return menu.venue(who.venue()).thenApply(venue -> {
            if (!venue.tableIds().contains(tableId)) return Problems.notFound("no table " + tableId + " in the floor plan");
            return ApiResult.ok(card(request, who.venue(), tableId));
          });
        })))));
  }

  private CardJson card(HttpRequest request, String venueId, String tableId) {
    String url = base(request) + "/t/" + tableId + "?k="
        + URLEncoder.encode(tokens.dinerToken(venueId, tableId), StandardCharsets.UTF_8);
    return new CardJson(tableId, url, QrCodes.svg(url));
  }

  private String base(HttpRequest request) {
    return publicUrl.orElseGet(() -> {
      var uri = request.getUri();
      String scheme = request.getHeader("X-Forwarded-Proto").map(h -> h.value()).orElse(uri.getScheme());
      String host = request.getHeader("X-Forwarded-Host").map(h -> h.value())
          .orElseGet(() -> request.getHeader("Host").map(h -> h.value()).orElse(uri.host().address() + ":" + uri.port()));
      return scheme + "://" + host;
    });
  }
}
