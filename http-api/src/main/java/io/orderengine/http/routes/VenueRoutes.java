package io.orderengine.http.routes;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import io.orderengine.engine.usecase.Venues;
import io.orderengine.engine.venue.Venue;
import io.orderengine.http.auth.Roles;
import io.orderengine.http.auth.Tokens;
import io.orderengine.http.json.ApiResult;
import io.orderengine.http.json.VenueDocuments;
import io.orderengine.http.ledger.RequestLedger;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Venues made and set up: the admin creates and lists them ({@link #platformRoute()}, outside any
 * venue); inside a venue ({@link #route()}, at {@code /api/v1/venues/{v}/…} and, for a token of the
 * venue, at {@code /api/v1/…}) its staff read its profile and its owner or a manager sets it up:
 * settings, stalls, stations, the floor plan, and the whole of it as one document. The dishes and
 * categories are the {@link MenuRoutes}'.
 */
public final class VenueRoutes extends RequestHandling {
  private final Venues venues;

  public VenueRoutes(Venues venues, Tokens tokens, RequestLedger ledger) {
    super(tokens, ledger);
    this.venues = venues;
  }

  /** {@code /api/v1/venues}: the platform's. */
  public Route platformRoute() {
    return path("venues", () -> concat(
        post(() -> writeAcrossVenues("venue-create", Roles.ADMIN, (body, caller) -> {
          String venueId = body.requiredId("venueId");
          String name = body.requiredNonBlank("name");
          String timeZone = body.requiredText("timeZone");
          String currency = body.optionalText("currency").orElse("CNY");
          // the same creation again gets the same answer: a retry without a key is harmless
          return venues.create(venueId, name, timeZone, currency)
              .thenApply(v -> ApiResult.created(VenueDocuments.venue(venueId, v)));
        })),
        get(() -> readAcrossVenues(Roles.ADMIN, who -> venues.list().thenApply(all -> ApiResult.ok(
            new VenueDocuments.VenuesJson(all.stream().map(l -> VenueDocuments.summary(l.venueId(), l.view())).toList())))))));
  }

  /** A venue's own, inside the venue-scoped tree. */
  public Route route() {
    return concat(
        // GET /api/v1/venues/{v}: the tree under the venue's prefix, at its very end
        pathEnd(() -> get(() -> extractRequest(request -> request.getAttribute(PATH_VENUE).isPresent()
            ? read(Roles.READERS, who -> venues.venue(who.venue()).thenApply(v -> ApiResult.ok(VenueDocuments.venue(who.venue(), v))))
            : reject()))),
        path("settings", () -> concat(
            get(() -> read(Roles.READERS, who ->
                venues.venue(who.venue()).thenApply(v -> ApiResult.ok(VenueDocuments.venue(who.venue(), v))))),
            put(() -> write("venue-settings", Roles.MANAGER, (body, caller) -> {
              String name = VenueDocuments.optionalName(body).orElse(null);
              return venues.changeSettings(caller.venue(), name, VenueDocuments.settingsChange(body))
                  .thenApply(v -> ApiResult.ok(VenueDocuments.venue(caller.venue(), v)));
            })))),
        path(segment("stalls").slash(segment()), stallId -> concat(
            put(() -> write("stall", Roles.MANAGER, (body, caller) -> {
              requireId("stallId", stallId);
              return venues.putStall(caller.venue(), VenueDocuments.stall(stallId, body))
                  .thenApply(v -> ApiResult.ok(VenueDocuments.stall(found(v.stalls(), s -> s.stallId(), stallId))));
            })),
            delete(() -> write("stall-remove", Roles.MANAGER, (body, caller) ->
                removed("stall", stallId, venues.removeStall(caller.venue(), requireId("stallId", stallId))))))),
        path(segment("stations").slash(segment()), stationId -> concat(
            put(() -> write("station", Roles.MANAGER, (body, caller) -> {
              requireId("stationId", stationId);
              return venues.putStation(caller.venue(), VenueDocuments.station(stationId, body))
                  .thenApply(v -> ApiResult.ok(VenueDocuments.station(found(v.stations(), s -> s.stationId(), stationId))));
            })),
            delete(() -> write("station-remove", Roles.MANAGER, (body, caller) ->
                removed("station", stationId, venues.removeStation(caller.venue(), requireId("stationId", stationId))))))),
        // POST tables/{id}/open and the rest are the TableRoutes'; the table's place on the floor plan is here
        path(segment("tables").slash(segment()), tableId -> concat(
            put(() -> write("table-put", Roles.MANAGER, (body, caller) -> {
              requireId("tableId", tableId);
              return venues.putTable(caller.venue(), VenueDocuments.table(tableId, body))
                  .thenApply(v -> ApiResult.ok(VenueDocuments.table(v.table(tableId).orElseThrow())));
            })),
            delete(() -> write("table-remove", Roles.MANAGER, (body, caller) ->
                removed("table", tableId, venues.removeTable(caller.venue(), requireId("tableId", tableId))))))),
        path("export", () -> get(() -> read(Roles.MANAGER, who ->
            venues.venue(who.venue()).thenApply(v -> ApiResult.ok(VenueDocuments.export(who.venue(), v)))))),
        path("import", () -> put(() -> write("venue-import", Roles.MANAGER, (body, caller) ->
            venues.importSetup(caller.venue(), VenueDocuments.setup(body))
                .thenApply(v -> ApiResult.ok(VenueDocuments.export(caller.venue(), v)))))));
  }

  static CompletionStage<ApiResult> removed(String what, String id, CompletionStage<Venue.View> removal) {
    return removal.thenApply(v -> ApiResult.ok(new VenueDocuments.RemovedJson(what, id)));
  }

  private static <T> T found(java.util.List<T> entries, Function<T, String> id, String wanted) {
    return entries.stream().filter(e -> id.apply(e).equals(wanted)).findFirst().orElseThrow();
  }
}
