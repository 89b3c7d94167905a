package io.orderengine.http.routes;

import io.orderengine.engine.Engine;
import io.orderengine.engine.payment.Provider;
import io.orderengine.engine.venue.Stall;
import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import io.orderengine.http.auth.Roles;
import io.orderengine.http.auth.Tokens;
import io.orderengine.http.json.ApiResult;
import io.orderengine.http.ledger.RequestLedger;
import io.orderengine.http.problems.BadRequest;
import io.orderengine.http.problems.ServiceUnavailable;
import io.orderengine.projections.Projections;
import io.orderengine.projections.Rebuild;
import io.orderengine.projections.Reports;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.server.Route;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

/** Reports for analysts and managers, as JSON or, with {@code Accept: text/csv}, as CSV with a header row. */
public final class ReportRoutes extends RequestHandling {
  static final int MAX_DAYS = 366;
  private final Reports reports;
  private final Engine engine;
  private final Executor blocking;
  private final java.time.ZoneId zone;
  private final Rebuild rebuild;

  public ReportRoutes(Reports reports, Rebuild rebuild, Engine engine, Executor blocking, java.time.ZoneId zone, Tokens tokens,
      RequestLedger ledger) {
    super(tokens, ledger);
    this.zone = zone;
    this.rebuild = rebuild;
    this.reports = reports;
    this.engine = engine;
    this.blocking = blocking;
  }

  public record Rows<T>(List<T> rows) {}

  public record LagJson(List<Reports.LagRow> projections) {}

  public Route route() {
    return concat(audit(), reports());
  }

  /** GET /audit?date=&who=&action=&limit=: who did what through the API that business day; managers only. */
  private Route audit() {
    return path("audit", () -> get(() -> parameterOptional("date", date -> parameterOptional("who", who ->
        parameterOptional("action", action -> parameterOptional("limit", limit -> read(Roles.MANAGER, caller -> {
          LocalDate d = date("date", date).orElseGet(reports::today);
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
          return query(() -> reports.audit(d, person, act, n), rows -> ApiResult.ok(new Rows<>(rows)));
        })))))));
  }

  private static String requireText(String what, String value) {
    if (value.length() > 64 || value.chars().anyMatch(Character::isISOControl)) {
      throw new BadRequest("'" + what + "' must be at most 64 characters, none of them control characters");
    }
    return value;
  }

  private Route reports() {
    return pathPrefix("reports", () -> optionalHeaderValueByName("Accept", accept -> {
      boolean csv = accept.map(a -> a.toLowerCase(Locale.ROOT).contains("text/csv")).orElse(false);
      return concat(
          path("sales", () -> get(() -> parameterOptional("from", from -> parameterOptional("to", to ->
              parameterOptional("groupBy", groupBy -> read(Roles.ANALYST, who -> {
                LocalDate f = date("from", from).orElseGet(reports::today);
                LocalDate t = date("to", to).orElse(f);
                if (t.isBefore(f) || f.plusDays(MAX_DAYS).isBefore(t)) {
                  throw new BadRequest("'from'..'to' must be an ascending range of at most " + MAX_DAYS + " days");
                }
                Reports.GroupBy by = groupBy(groupBy.orElse("day"));
                return query(() -> reports.sales(f, t, by), rows -> csv ? salesCsv(rows) : ApiResult.ok(new Rows<>(rows)));
              })))))),
          path("kitchen-times", () -> get(() -> parameterOptional("date", date -> read(Roles.ANALYST, who -> {
            LocalDate d = date("date", date).orElseGet(reports::today);
            return query(() -> reports.kitchenTimes(d), rows -> csv ? kitchenCsv(rows) : ApiResult.ok(new Rows<>(rows)));
          })))),
          path("stall-settlement", () -> get(() -> parameterOptional("date", date -> read(Roles.ANALYST, who -> {
            LocalDate d = date("date", date).orElseGet(reports::today);
            return engine.venue().thenCompose(venue -> {
              Map<String, Integer> commission = new LinkedHashMap<>();
              for (Stall s : venue.stalls()) commission.put(s.stallId(), s.commissionPercent());
              return query(() -> reports.stallSettlement(d, commission),
                  rows -> csv ? stallCsv(rows) : ApiResult.ok(new Rows<>(rows)));
            });
          })))),
          path("reconciliation", () -> get(() -> parameterOptional("date", date -> parameterOptional("provider", provider ->
              read(Roles.ANALYST, who -> {
                LocalDate d = date("date", date).orElseGet(reports::today);
                Provider p = provider.flatMap(Provider::parse).filter(x -> x != Provider.MEMBER).orElseThrow(() ->
                    new BadRequest("'provider' must be one of wechat, alipay, card"));
                return engine.statement(p, d, zone).thenCompose(statement ->
                    query(() -> reports.reconcile(d, p.name(), statement), ApiResult::ok));
              }))))),
          path(segment("projections").slash(segment()).slash("rebuild"), name -> post(() ->
              write("rebuild", Roles.MANAGER, (body, caller) -> {
                if (!Rebuild.known(name)) throw new Rejected(Rejection.NOT_FOUND, "no projection '" + name + "'");
                return rebuild.rebuild(name).thenApply(done -> ApiResult.json(202,
                    Map.of("projection", name, "status", "REBUILDING")));
              }))),
          path("projection-lag", () -> get(() -> read(Roles.ANALYST, who ->
              query(() -> reports.projectionLag(Projections.names(), Projections.tags()),
                  rows -> ApiResult.ok(new LagJson(rows)))))));
    }));
  }

  private interface Query<T> {
    T run() throws SQLException;
  }

  private <T> CompletionStage<ApiResult> query(Query<T> q, Function<T, ApiResult> answer) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return answer.apply(q.run());
      } catch (SQLException e) {
        throw new ServiceUnavailable("the report tables cannot be read", e);
      }
    }, blocking);
  }

  static Optional<LocalDate> date(String name, Optional<String> text) {
    if (text.isEmpty() || text.get().isBlank()) return Optional.empty();
    try {
      return Optional.of(LocalDate.parse(text.get().strip()));
    } catch (DateTimeParseException e) {
      throw new BadRequest("'" + name + "' must be a date like 2026-01-31");
    }
  }

  static Reports.GroupBy groupBy(String text) {
    try {
      return Reports.GroupBy.valueOf(text.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new BadRequest("'groupBy' must be one of day, hour, item, stall, method, waiter");
    }
  }

  static ApiResult salesCsv(List<Reports.SalesRow> rows) {
    StringBuilder b = new StringBuilder("key,bills,grossMinor,discountMinor,netMinor,refundsMinor\n");
    for (Reports.SalesRow r : rows) {
      b.append(cell(r.key())).append(',').append(r.bills()).append(',').append(r.grossMinor()).append(',')
          .append(r.discountMinor()).append(',').append(r.netMinor()).append(',').append(r.refundsMinor()).append('\n');
    }
    return new ApiResult(200, "text/csv; charset=UTF-8", b.toString());
  }

  static ApiResult stallCsv(List<Reports.StallRow> rows) {
    StringBuilder b = new StringBuilder("stallId,netMinor,commissionPercent,commissionMinor,payableMinor\n");
    for (Reports.StallRow r : rows) {
      b.append(cell(r.stallId())).append(',').append(r.netMinor()).append(',').append(r.commissionPercent()).append(',')
          .append(r.commissionMinor()).append(',').append(r.payableMinor()).append('\n');
    }
    return new ApiResult(200, "text/csv; charset=UTF-8", b.toString());
  }

  static ApiResult kitchenCsv(List<Reports.KitchenTimeRow> rows) {
    StringBuilder b = new StringBuilder("stationId,linesFired,linesReady,meanSecondsToReady,medianSecondsToReady,"
        + "p90SecondsToReady,maxSecondsToReady,waitingNow,oldestWaitingSeconds\n");
    for (Reports.KitchenTimeRow r : rows) {
      b.append(cell(r.stationId())).append(',').append(r.linesFired()).append(',').append(r.linesReady()).append(',')
          .append(number(r.meanSecondsToReady())).append(',').append(number(r.medianSecondsToReady())).append(',')
          .append(number(r.p90SecondsToReady())).append(',').append(number(r.maxSecondsToReady())).append(',')
          .append(r.waitingNow()).append(',').append(number(r.oldestWaitingSeconds())).append('\n');
    }
    return new ApiResult(200, "text/csv; charset=UTF-8", b.toString());
  }

  private static String number(Double v) {
    return v == null ? "" : v.toString();
  }

  /** RFC 4180 quoting, and no formula injection when a spreadsheet opens the file. */
  static String cell(String value) {
    String v = value == null ? "" : value;
    if (!v.isEmpty() && "=+-@".indexOf(v.charAt(0)) >= 0) v = "'" + v;
    return v.matches(".*[,\"\\n\\r].*") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
  }
}
