package io.orderengine.http.routes;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import io.orderengine.engine.usecase.Floor;
import io.orderengine.engine.VenueIds;
import io.orderengine.engine.table.Line;
import io.orderengine.engine.table.Table;
import io.orderengine.http.auth.Roles;
import io.orderengine.http.auth.Tokens;
import io.orderengine.http.json.ApiResult;
import io.orderengine.http.ledger.RequestLedger;
import io.orderengine.http.problems.ServiceUnavailable;
import io.orderengine.projections.KitchenBoard;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The kitchen display: a station's open tickets at the caller's venue, and dishes marked ready (at
 * the pass) and served (传菜).
 */
public final class KitchenRoutes extends RequestHandling {
  private final Floor floor;
  private final KitchenBoard board;
  private final Executor blocking;

  public KitchenRoutes(Floor floor, KitchenBoard board, Executor blocking, Tokens tokens, RequestLedger ledger) {
    super(tokens, ledger);
    this.floor = floor;
    this.board = board;
    this.blocking = blocking;
  }

  public record TicketsJson(String stationId, List<KitchenBoard.OpenTicket> tickets) {}

  public Route route() {
    return pathPrefix("kitchen", () -> concat(
        path(segment("stations").slash(segment()).slash("tickets"), stationId -> get(() -> read(Roles.READERS, who -> {
          requireId("stationId", stationId);
          return CompletableFuture.supplyAsync(() -> {
            try {
              return ApiResult.ok(new TicketsJson(stationId, board.openTickets(who.venue(), stationId)));
            } catch (java.sql.SQLException e) {
              throw new ServiceUnavailable("the kitchen board cannot be read", e);
            }
          }, blocking);
        }))),
        path(segment("tickets").slash(segment()).slash("lines").slash(segment()).slash("ready"), (ticketId, lineId) ->
            post(() -> write("ready", Roles.FLOOR_AND_KITCHEN, (body, caller) -> mark(caller, ticketId, lineId, Line.Status.READY)))),
        path(segment("tickets").slash(segment()).slash("lines").slash(segment()).slash("served"), (ticketId, lineId) ->
            post(() -> write("served", Roles.FLOOR_AND_KITCHEN, (body, caller) -> mark(caller, ticketId, lineId, Line.Status.SERVED)))),
        path(segment("tickets").slash(segment()).slash("recall"), ticketId ->
            post(() -> write("recall", Roles.FLOOR_AND_KITCHEN, (body, caller) -> act(ticketId, caller, Table.TicketAction.RECALL)))),
        path(segment("tickets").slash(segment()).slash("reprint"), ticketId ->
            post(() -> write("reprint", Roles.FLOOR_AND_KITCHEN, (body, caller) -> act(ticketId, caller, Table.TicketAction.REPRINT))))));
  }

  private java.util.concurrent.CompletionStage<ApiResult> act(String ticketId, Caller caller, Table.TicketAction action) {
    BillRoutes.requireOpaqueId("ticketId", ticketId);
    return floor.actOnTicket(caller.venue(), ticketId, caller.requestId(), action).thenApply(table -> ApiResult.ok(Map.of(
        "ticketId", ticketId, "tableId", VenueIds.localOf(table.tableId()), "action", action.name(),
        "lines", table.lines().stream().filter(l -> ticketId.equals(l.ticketId()))
            .map(l -> Map.of("lineId", l.lineId(), "status", l.status().name())).toList())));
  }

  private java.util.concurrent.CompletionStage<ApiResult> mark(Caller caller, String ticketId, String lineId, Line.Status status) {
    BillRoutes.requireOpaqueId("ticketId", ticketId);
    requireId("lineId", lineId);
    return floor.markLine(caller.venue(), ticketId, lineId, status).thenApply(table -> {
      // a merged order's lines carry a new name at their new table: <fromTable>_<lineId>
      Line line = table.lines().stream()
          .filter(l -> ticketId.equals(l.ticketId()) && (l.lineId().equals(lineId) || l.lineId().endsWith("_" + lineId)))
          .findFirst().orElseThrow();
      return ApiResult.ok(Map.of("ticketId", ticketId, "lineId", lineId, "tableId", VenueIds.localOf(table.tableId()),
          "status", line.status().name()));
    });
  }
}
