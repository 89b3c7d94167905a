package io.orderengine.http;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import io.orderengine.engine.Engine;
import io.orderengine.engine.table.Line;
import io.orderengine.projections.KitchenBoard;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.http.javadsl.server.Route;

/** The kitchen display: a station's open tickets, and dishes marked ready (at the pass) and served (传菜). */
public final class KitchenRoutes extends RequestHandling {
  private final Engine engine;
  private final KitchenBoard board;
  private final Executor blocking;

  public KitchenRoutes(Engine engine, KitchenBoard board, Executor blocking, Tokens tokens, IdempotencyStore idempotency) {
    super(tokens, idempotency);
    this.engine = engine;
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
              return ApiResult.ok(new TicketsJson(stationId, board.openTickets(stationId)));
            } catch (java.sql.SQLException e) {
              throw new ServiceUnavailable("the kitchen board cannot be read", e);
            }
          }, blocking);
        }))),
        path(segment("tickets").slash(segment()).slash("lines").slash(segment()).slash("ready"), (ticketId, lineId) ->
            post(() -> write("ready", Roles.FLOOR_AND_KITCHEN, (body, caller) -> mark(ticketId, lineId, Line.Status.READY)))),
        path(segment("tickets").slash(segment()).slash("lines").slash(segment()).slash("served"), (ticketId, lineId) ->
            post(() -> write("served", Roles.FLOOR_AND_KITCHEN, (body, caller) -> mark(ticketId, lineId, Line.Status.SERVED))))));
  }

  private java.util.concurrent.CompletionStage<ApiResult> mark(String ticketId, String lineId, Line.Status status) {
    BillRoutes.requireOpaqueId("ticketId", ticketId);
    requireId("lineId", lineId);
    return engine.markLine(ticketId, lineId, status).thenApply(table -> {
      Line line = table.lines().stream().filter(l -> l.lineId().equals(lineId)).findFirst().orElseThrow();
      return ApiResult.ok(Map.of("ticketId", ticketId, "lineId", lineId, "tableId", table.tableId(),
          "status", line.status().name()));
    });
  }
}
