package io.orderengine.http.routes;

import io.orderengine.http.auth.Roles;
import io.orderengine.http.auth.Tokens;
import io.orderengine.http.json.ApiResult;
import io.orderengine.http.ledger.AuditTrail;
import io.orderengine.http.ledger.RequestLedger;
import io.orderengine.http.problems.BadRequest;
import io.orderengine.http.problems.ServiceUnavailable;
import io.orderengine.projections.BusinessDay;
import io.orderengine.projections.BusinessDays;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /audit?date=&who=&action=&limit=}: who did what through the API at the caller's venue on
 * one of its business days; managers only.
 */
public final class AuditRoutes extends RequestHandling {
  private final AuditTrail trail;
  private final BusinessDays businessDays;
  private final Executor blocking;

  public AuditRoutes(AuditTrail trail, BusinessDays businessDays, Executor blocking, Tokens tokens, RequestLedger ledger) {
    super(tokens, ledger);
    this.trail = trail;
    this.businessDays = businessDays;
    this.blocking = blocking;
  }

  public Route route() {
    return path("audit", () -> get(() -> parameterOptional("date", date -> parameterOptional("who", who ->
        parameterOptional("action", action -> parameterOptional("limit", limit -> read(Roles.MANAGER, caller -> {
          BusinessDay businessDay = businessDays.of(caller.venue());
          LocalDate d = ReportRoutes.date("date", date).orElseGet(businessDay::today);
          String person = who.filter(w -> !w.isBlank()).map(w -> requireText("who", w)).orElse(null);
          String act = action.filter(a -> !a.isBlank()).map(a -> requireId("action", a)).orElse(null);
          int n = limit.map(l -> {
            try {
              return Integer.parseInt(l);
            } catch (NumberFormatException e) {
              return -1;
            }
          }).orElse(500);
          if (n < 1 || n > 5000) throw new BadRequest("'limit' must be 1..5000");
          return CompletableFuture.supplyAsync(() -> {
            try {
              return ApiResult.ok(new ReportRoutes.Rows<>(trail.entries(caller.venue(), businessDay.startOf(d),
                  businessDay.startOf(d.plusDays(1)), person, act, n)));
            } catch (SQLException e) {
              throw new ServiceUnavailable("the report tables cannot be read", e);
            }
          }, blocking);
        })))))));
  }

  private static String requireText(String what, String value) {
    if (value.length() > 64 || value.chars().anyMatch(Character::isISOControl)) {
      throw new BadRequest("'" + what + "' must be at most 64 characters, none of them control characters");
    }
    return value;
  }
}
