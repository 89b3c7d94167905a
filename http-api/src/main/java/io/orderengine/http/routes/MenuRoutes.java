package io.orderengine.http.routes;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import io.orderengine.engine.usecase.MenuBoard;
import io.orderengine.engine.usecase.Venues;
import io.orderengine.engine.venue.MenuItem;
import io.orderengine.engine.venue.VenueSetup;
import io.orderengine.http.auth.Roles;
import io.orderengine.http.auth.Tokens;
import io.orderengine.http.json.ApiResult;
import io.orderengine.http.json.MenuCsv;
import io.orderengine.http.json.Representations;
import io.orderengine.http.json.VenueDocuments;
import io.orderengine.http.ledger.RequestLedger;
import io.orderengine.http.problems.BadRequest;
import io.orderengine.http.problems.Problems;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/** The venue's menu: everybody reads it, a manager changes it: dishes, their stock, categories, the CSV. */
public final class MenuRoutes extends RequestHandling {
  private final MenuBoard menu;
  private final Venues venues;

  public MenuRoutes(MenuBoard menu, Venues venues, Tokens tokens, RequestLedger ledger) {
    super(tokens, ledger);
    this.menu = menu;
    this.venues = venues;
  }

  public Route route() {
    return concat(
        path("menu", () -> get(() -> read(Roles.ANYONE, who ->
            menu.menu(who.venue()).thenApply(m -> ApiResult.ok(Representations.menu(m.venue(), m.stock())))))),
        path(segment("menu").slash("items").slash(segment()).slash("stock"), sku -> put(() ->
            write("stock", Roles.MANAGER, (body, caller) -> {
              requireId("sku", sku);
              if (!body.hasField("stock")) throw new BadRequest("'stock' is required: a number of portions, or null for unlimited");
              Integer level = body.optionalInt("stock", 0, 1_000_000).orElse(null);
              return menu.setStock(caller.venue(), sku, level)
                  .thenApply(levels -> ApiResult.ok(new Representations.StockJson(sku, levels.of(sku))));
            }))),
        path(segment("menu").slash("items").slash(segment()), sku -> concat(
            put(() -> write("menu-item", Roles.MANAGER, (body, caller) -> {
              requireId("sku", sku);
              MenuItem item = VenueDocuments.item(sku, body);
              return menu.upsertItem(caller.venue(), item).thenCompose(v -> menu.stockLevels(caller.venue())
                  .thenApply(levels -> ApiResult.ok(Representations.item(v.item(sku).orElseThrow(), levels.of(sku)))));
            })),
            delete(() -> write("menu-item-remove", Roles.MANAGER, (body, caller) ->
                VenueRoutes.removed("item", sku, venues.removeItem(caller.venue(), requireId("sku", sku))))))),
        path(segment("menu").slash("categories").slash(segment()), categoryId -> concat(
            put(() -> write("menu-category", Roles.MANAGER, (body, caller) -> {
              requireId("categoryId", categoryId);
              return venues.putCategory(caller.venue(), VenueDocuments.category(categoryId, body))
                  .thenApply(v -> ApiResult.ok(VenueDocuments.category(v.categories().stream()
                      .filter(c -> c.categoryId().equals(categoryId)).findFirst().orElseThrow())));
            })),
            delete(() -> write("menu-category-remove", Roles.MANAGER, (body, caller) ->
                VenueRoutes.removed("category", categoryId,
                    venues.removeCategory(caller.venue(), requireId("categoryId", categoryId))))))),
        path("menu.csv", () -> concat(
            get(() -> read(Roles.MANAGER, who -> venues.venue(who.venue())
                .thenApply(v -> new ApiResult(200, MenuCsv.CONTENT_TYPE, MenuCsv.write(v))))),
            put(this::putCsv))));
  }

  /**
   * The dishes of a CSV, all or nothing. A write that is not JSON: checked and authorized here as a
   * read is, so it is not in the audit trail and takes no Idempotency-Key (putting the same CSV twice
   * changes nothing the second time).
   */
  private Route putCsv() {
    return extractRequest(request -> entity(Unmarshaller.entityToString(), raw -> read(Roles.MANAGER, who -> {
      String type = request.entity().getContentType().mediaType().toString().toLowerCase(Locale.ROOT);
      if (!type.startsWith("text/csv")) {
        return CompletableFuture.completedFuture(Problems.problem(415, "UNSUPPORTED_MEDIA_TYPE",
            "send the menu as text/csv, not " + type));
      }
      return venues.venue(who.venue()).thenCompose(v -> {
        List<MenuItem> items = MenuCsv.read(raw, v);
        return venues.importSetup(who.venue(), new VenueSetup(null, null, List.of(), List.of(), List.of(), List.of(), items));
      }).thenApply(v -> new ApiResult(200, MenuCsv.CONTENT_TYPE, MenuCsv.write(v)));
    })));
  }
}
