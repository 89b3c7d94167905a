package io.orderengine.http.routes;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import io.orderengine.engine.usecase.Floor;
import io.orderengine.engine.table.DinerOrdering;
import io.orderengine.engine.table.Split;
import io.orderengine.http.auth.Roles;
import io.orderengine.http.auth.Tokens;
import io.orderengine.http.json.ApiResult;
import io.orderengine.http.json.Body;
import io.orderengine.http.json.Representations;
import io.orderengine.http.ledger.RequestLedger;
import io.orderengine.http.problems.BadRequest;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.server.Route;

/** Tables and their orders: open, add dishes, void, fire, ask for the bill, close. */
public final class TableRoutes extends RequestHandling {
  static final int MAX_ITEMS_PER_REQUEST = 50;
  private final Floor floor;

  public TableRoutes(Floor floor, Tokens tokens, RequestLedger ledger) {
    super(tokens, ledger);
    this.floor = floor;
  }

  public Route route() {
    return concat(
        path("tables", () -> get(() -> read(Roles.READERS, who ->
            floor.tables(who.venue()).thenApply(views -> ApiResult.ok(Representations.tables(views)))))),
        path(segment("tables").slash(segment()), tableId -> get(() -> read(Roles.READERS_AND_DINER, who -> {
          requireId("tableId", tableId);
          who.requireTable(tableId);
          return floor.table(who.venue(), tableId).thenApply(v -> ApiResult.ok(Representations.table(v)));
        }))),
        path(segment("tables").slash(segment()).slash("open"), tableId -> post(() ->
            write("open", Roles.FLOOR_AND_DINER, (body, caller) -> {
              requireId("tableId", tableId);
              caller.principal().requireTable(tableId);
              int partySize = body.requiredInt("partySize", 1, 99);
              String waiter = caller.principal().isDiner() ? caller.principal().name()
                  : body.optionalText("waiter").filter(w -> !w.isEmpty()).orElse(caller.principal().name());
              if (!caller.principal().isDiner() && waiter.startsWith(DinerOrdering.DINER_PREFIX)) {
                throw new BadRequest("'waiter' names a member of staff, not a diner");
              }
              return dinerMay(caller, tableId, DinerOrdering.Act.SEAT)
                  .thenCompose(ok -> floor.openTable(caller.venue(), tableId, partySize, waiter))
                  .thenApply(v -> ApiResult.created(Representations.table(v)));
            }))),
        path(segment("tables").slash(segment()).slash("items"), tableId -> post(() ->
            write("items", Roles.FLOOR_AND_DINER, (body, caller) -> {
              requireId("tableId", tableId);
              caller.principal().requireTable(tableId);
              List<Floor.ItemRequest> items = body.requiredObjects("items", 1, MAX_ITEMS_PER_REQUEST).stream()
                  .map(i -> new Floor.ItemRequest(i.requiredId("sku"), i.requiredInt("qty", 1, 999),
                      i.optionalText("note").filter(n -> !n.isEmpty()).orElse(null), i.optionalIds("options", 10),
                      i.optionalInt("seat", 1, 99).orElse(null)))
                  .toList();
              return dinerMay(caller, tableId, DinerOrdering.Act.ORDER)
                  .thenCompose(ok -> floor.addItems(caller.venue(), tableId, caller.requestId(), items))
                  .thenApply(v -> ApiResult.ok(Representations.table(v)));
            }))),
        path(segment("tables").slash(segment()).slash("items").slash(segment()).slash("void"), (tableId, lineId) ->
            post(() -> write("void", Roles.FLOOR, (body, caller) -> {
              requireId("tableId", tableId);
              requireId("lineId", lineId);
              String reason = body.optionalText("reason").filter(r -> !r.isEmpty()).orElse("voided");
              // a dish the kitchen has been told to cook costs food: voiding it takes a manager
              CompletionStage<Void> allowed = caller.managerAgrees()
                  ? java.util.concurrent.CompletableFuture.completedFuture(null)
                  : floor.table(caller.venue(), tableId).thenAccept(t -> t.lines().stream()
                      .filter(l -> l.lineId().equals(lineId) && l.ticketId() != null && !l.voided())
                      .findAny()
                      .ifPresent(fired -> caller.requireManager("voiding a dish already sent to the kitchen")));
              return allowed.thenCompose(ok -> floor.voidLine(caller.venue(), tableId, caller.requestId(), lineId, reason))
                  .thenApply(v -> ApiResult.ok(Representations.table(v)));
            }))),
        path(segment("tables").slash(segment()).slash("fire"), tableId -> post(() ->
            write("fire", Roles.FLOOR_AND_DINER, (body, caller) -> {
              requireId("tableId", tableId);
              caller.principal().requireTable(tableId);
              return dinerMay(caller, tableId, DinerOrdering.Act.FIRE)
                  .thenCompose(ok -> floor.fire(caller.venue(), tableId, caller.requestId())).thenApply(v -> ApiResult.ok(Representations.table(v)));
            }))),
        path(segment("tables").slash(segment()).slash("bill"), tableId -> post(() ->
            write("bill", Roles.FLOOR_AND_DINER, (body, caller) -> {
              requireId("tableId", tableId);
              caller.principal().requireTable(tableId);
              Split split = split(body.has("split") ? body.requiredObject("split") : body);
              return dinerMay(caller, tableId, DinerOrdering.Act.ASK_FOR_BILL)
                  .thenCompose(ok -> floor.requestBill(caller.venue(), tableId, caller.requestId(), split))
                  .thenApply(views -> ApiResult.created(Representations.bills(tableId, views)));
            }))),
        path(segment("tables").slash(segment()).slash("transfer"), tableId -> post(() ->
            write("transfer", Roles.FLOOR, (body, caller) -> {
              requireId("tableId", tableId);
              String to = body.requiredId("toTableId");
              return floor.transfer(caller.venue(), tableId, caller.requestId(), to).thenApply(v -> ApiResult.ok(Representations.table(v)));
            }))),
        path(segment("tables").slash(segment()).slash("merge"), tableId -> post(() ->
            write("merge", Roles.FLOOR, (body, caller) -> {
              requireId("tableId", tableId);
              String from = body.requiredId("fromTableId");
              return floor.merge(caller.venue(), tableId, caller.requestId(), from).thenApply(v -> ApiResult.ok(Representations.table(v)));
            }))),
        path(segment("tables").slash(segment()).slash("party"), tableId -> post(() ->
            write("party", Roles.FLOOR, (body, caller) -> {
              requireId("tableId", tableId);
              int size = body.requiredInt("partySize", 1, 99);
              return floor.changePartySize(caller.venue(), tableId, caller.requestId(), size)
                  .thenApply(v -> ApiResult.ok(Representations.table(v)));
            }))),
        path(segment("tables").slash(segment()).slash("close"), tableId -> post(() ->
            write("close", Roles.FLOOR, (body, caller) -> {
              requireId("tableId", tableId);
              return floor.closeTable(caller.venue(), tableId).thenApply(v -> ApiResult.ok(Representations.table(v)));
            }))));
  }

  /** A diner's table code does what the venue allows ({@link DinerOrdering}); staff are not limited by it. */
  private CompletionStage<Void> dinerMay(Caller caller, String tableId, DinerOrdering.Act act) {
    return caller.principal().isDiner()
        ? floor.dinerMay(caller.venue(), tableId, act)
        : java.util.concurrent.CompletableFuture.completedFuture(null);
  }

  /** {@code {"mode":"WHOLE"}}, {@code {"mode":"EVEN","parts":3}} or {@code {"mode":"BY_LINES","parts":[["l1"],["l2"]]}}. */
  static Split split(Body body) {
    String mode = body.optionalText("mode").orElse("WHOLE").toUpperCase(java.util.Locale.ROOT);
    return switch (mode) {
      case "WHOLE" -> new Split.Whole();
      case "EVEN" -> new Split.Even(body.requiredInt("parts", 2, Split.MAX_PARTS));
      case "BY_LINES" -> new Split.ByLines(body.requiredIdGroups("parts", Split.MAX_PARTS, MAX_ITEMS_PER_REQUEST * 4));
      case "BY_SEAT" -> new Split.BySeat();
      default -> throw new BadRequest("'mode' must be one of WHOLE, EVEN, BY_LINES, BY_SEAT");
    };
  }
}
