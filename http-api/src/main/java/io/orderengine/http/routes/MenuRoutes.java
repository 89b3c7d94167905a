package io.orderengine.http.routes;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import io.orderengine.engine.usecase.MenuBoard;
import io.orderengine.engine.venue.MenuItem;
import io.orderengine.http.auth.Roles;
import io.orderengine.http.auth.Tokens;
import io.orderengine.http.json.ApiResult;
import io.orderengine.http.json.Body;
import io.orderengine.http.json.Representations;
import io.orderengine.http.ledger.RequestLedger;
import io.orderengine.http.problems.BadRequest;
import java.util.List;
import org.apache.pekko.http.javadsl.server.Route;

/** The venue's menu: everybody reads it, a manager changes it. */
public final class MenuRoutes extends RequestHandling {
  private static final long MAX_PRICE_MINOR = 100_000_000L;
  private final MenuBoard menu;

  public MenuRoutes(MenuBoard menu, Tokens tokens, RequestLedger ledger) {
    super(tokens, ledger);
    this.menu = menu;
  }

  static MenuItem.OptionGroup optionGroup(Body g) {
    List<MenuItem.Choice> choices = g.requiredObjects("choices", 1, 20).stream()
        .map(c -> new MenuItem.Choice(c.requiredId("code"), c.requiredNonBlank("name"),
            c.optionalLong("priceDeltaMinor", -MAX_PRICE_MINOR, MAX_PRICE_MINOR).orElse(0L)))
        .toList();
    return new MenuItem.OptionGroup(g.requiredId("groupId"), g.requiredNonBlank("name"),
        g.has("required") && g.requiredBoolean("required"), g.has("multiple") && g.requiredBoolean("multiple"), choices);
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
        path(segment("menu").slash("items").slash(segment()), sku -> put(() ->
            write("menu-item", Roles.MANAGER, (body, caller) -> {
              requireId("sku", sku);
              MenuItem item = new MenuItem(
                  sku,
                  body.requiredNonBlank("name"),
                  body.optionalText("nameEn").orElse(null),
                  body.requiredId("stallId"),
                  body.requiredId("stationId"),
                  body.optionalText("category").filter(c -> !c.isEmpty()).orElse("other"),
                  body.requiredLong("priceMinor", 0, MAX_PRICE_MINOR),
                  !body.has("available") || body.requiredBoolean("available"),
                  body.optionalObjects("options", 10).orElse(List.of()).stream().map(MenuRoutes::optionGroup).toList());
              return menu.upsertItem(caller.venue(), item).thenCompose(v -> menu.stockLevels(caller.venue())
                  .thenApply(levels -> ApiResult.ok(Representations.item(v.item(sku).orElseThrow(), levels.of(sku)))));
            }))));
  }
}
