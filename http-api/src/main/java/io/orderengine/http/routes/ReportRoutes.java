package io.orderengine.http.routes;

import io.orderengine.engine.usecase.Checkout;
import io.orderengine.engine.usecase.MenuBoard;
import io.orderengine.engine.payment.Provider;
import io.orderengine.engine.venue.Stall;
import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import io.orderengine.http.auth.Role;
import io.orderengine.http.auth.Roles;
import io.orderengine.http.auth.Tokens;
import io.orderengine.http.json.ApiResult;
import io.orderengine.http.ledger.RequestLedger;
import io.orderengine.http.problems.BadRequest;
import io.orderengine.http.problems.ServiceUnavailable;
import io.orderengine.projections.BusinessDays;
import io.orderengine.projections.CardTerminals;
import io.orderengine.projections.KitchenTimes;
import io.orderengine.projections.ProjectionLag;
import io.orderengine.projections.Rebuild;
import io.orderengine.projections.Reconciliation;
import io.orderengine.projections.SalesReport;
import io.orderengine.projections.StallSettlement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.server.Route;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

/**
 * Reports for analysts and managers, as JSON or, with {@code Accept: text/csv}, as CSV with a header
 * row. Each report is of the venue the request acts at, counted by that venue's business day.
 */
public final class ReportRoutes extends RequestHandling {
  static final int MAX_DAYS = 366;
  static final Set<Role> CARD_TERMINAL_READERS = EnumSet.of(Role.CASHIER, Role.ANALYST);
  private final SalesReport sales;
  private final StallSettlement stallSettlement;
  private final KitchenTimes kitchenTimes;
  private final Reconciliation reconciliation;
  private final CardTerminals cardTerminals;
  private final ProjectionLag projectionLag;
  private final Rebuild rebuild;
  private final MenuBoard menu;
  private final Checkout checkout;
  private final Executor blocking;
  private final BusinessDays businessDays;

  public ReportRoutes(SalesReport sales, StallSettlement stallSettlement, KitchenTimes kitchenTimes,
      Reconciliation reconciliation, CardTerminals cardTerminals, ProjectionLag projectionLag, Rebuild rebuild, MenuBoard menu, Checkout checkout, Executor blocking,
      BusinessDays businessDays, Tokens tokens, RequestLedger ledger) {
    super(tokens, ledger);
    this.sales = sales;
    this.stallSettlement = stallSettlement;
    this.kitchenTimes = kitchenTimes;
    this.reconciliation = reconciliation;
    this.cardTerminals = cardTerminals;
    this.projectionLag = projectionLag;
    this.rebuild = rebuild;
    this.menu = menu;
    this.checkout = checkout;
    this.blocking = blocking;
    this.businessDays = businessDays;
  }

  public record Rows<T>(List<T> rows) {}

  public record LagJson(List<ProjectionLag.Row> projections) {}

  public Route route() {
    return pathPrefix("reports", () -> optionalHeaderValueByName("Accept", accept -> {
      boolean csv = accept.map(a -> a.toLowerCase(Locale.ROOT).contains("text/csv")).orElse(false);
      return concat(
          path("sales", () -> get(() -> parameterOptional("from", from -> parameterOptional("to", to ->
              parameterOptional("groupBy", groupBy -> read(Roles.ANALYST, who -> {
                LocalDate f = date("from", from).orElseGet(() -> today(who.venue()));
                LocalDate t = date("to", to).orElse(f);
                if (t.isBefore(f) || f.plusDays(MAX_DAYS).isBefore(t)) {
                  throw new BadRequest("'from'..'to' must be an ascending range of at most " + MAX_DAYS + " days");
                }
                SalesReport.GroupBy by = groupBy(groupBy.orElse("day"));
                return query(() -> sales.rows(who.venue(), f, t, by), rows -> csv ? salesCsv(rows) : ApiResult.ok(new Rows<>(rows)));
              })))))),
          path("kitchen-times", () -> get(() -> parameterOptional("date", date -> read(Roles.ANALYST, who -> {
            LocalDate d = date("date", date).orElseGet(() -> today(who.venue()));
            return query(() -> kitchenTimes.forDay(who.venue(), d), rows -> csv ? kitchenCsv(rows) : ApiResult.ok(new Rows<>(rows)));
          })))),
          path("stall-settlement", () -> get(() -> parameterOptional("date", date -> read(Roles.ANALYST, who -> {
            LocalDate d = date("date", date).orElseGet(() -> today(who.venue()));
            return menu.venue(who.venue()).thenCompose(venue -> {
              Map<String, Integer> commission = new LinkedHashMap<>();
              for (Stall s : venue.stalls()) commission.put(s.stallId(), s.commissionPercent());
              return query(() -> stallSettlement.forDay(who.venue(), d, commission),
                  rows -> csv ? stallCsv(rows) : ApiResult.ok(new Rows<>(rows)));
            });
          })))),
          path("reconciliation", () -> get(() -> parameterOptional("date", date -> parameterOptional("provider", provider ->
              read(Roles.ANALYST, who -> {
                LocalDate d = date("date", date).orElseGet(() -> today(who.venue()));
                Provider p = provider.flatMap(Provider::parse).filter(x -> x != Provider.MEMBER).orElseThrow(() ->
                    new BadRequest("'provider' must be one of wechat, alipay, card"));
                return checkout.statement(who.venue(), p, d, businessDays.of(who.venue()).zone()).thenCompose(statement ->
                    query(() -> reconciliation.reconcile(who.venue(), d, p.name(), statement), ApiResult::ok));
              }))))),
          // the cashier who settles a terminal's batch at close checks its slip against this
          path("card-terminals", () -> get(() -> parameterOptional("date", date -> read(CARD_TERMINAL_READERS, who -> {
            LocalDate d = date("date", date).orElseGet(() -> today(who.venue()));
            return query(() -> cardTerminals.forDay(who.venue(), d),
                rows -> csv ? cardTerminalsCsv(rows) : ApiResult.ok(new Rows<>(rows)));
          })))),
          path(segment("projections").slash(segment()).slash("rebuild"), name -> post(() ->
              // the report tables hold every venue's rows: emptying them is the platform operator's call
              writeAcrossVenues("rebuild", Roles.ADMIN, (body, caller) -> {
                if (!Rebuild.known(name)) throw new Rejected(Rejection.NOT_FOUND, "no projection '" + name + "'");
                return rebuild.rebuild(name).thenApply(done -> ApiResult.json(202,
                    Map.of("projection", name, "status", "REBUILDING")));
              }))),
          path("projection-lag", () -> get(() -> read(Roles.ANALYST, who ->
              query(projectionLag::all,
                  rows -> ApiResult.ok(new LagJson(rows)))))));
    }));
  }

  private LocalDate today(String venueId) {
    return businessDays.of(venueId).today();
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

  static SalesReport.GroupBy groupBy(String text) {
    try {
      return SalesReport.GroupBy.valueOf(text.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new BadRequest("'groupBy' must be one of day, hour, item, stall, method, waiter");
    }
  }

  static ApiResult salesCsv(List<SalesReport.Row> rows) {
    StringBuilder b = new StringBuilder("key,bills,grossMinor,discountMinor,netMinor,refundsMinor\n");
    for (SalesReport.Row r : rows) {
      b.append(cell(r.key())).append(',').append(r.bills()).append(',').append(r.grossMinor()).append(',')
          .append(r.discountMinor()).append(',').append(r.netMinor()).append(',').append(r.refundsMinor()).append('\n');
    }
    return new ApiResult(200, "text/csv; charset=UTF-8", b.toString());
  }

  static ApiResult stallCsv(List<StallSettlement.Row> rows) {
    StringBuilder b = new StringBuilder("stallId,netMinor,commissionPercent,commissionMinor,payableMinor\n");
    for (StallSettlement.Row r : rows) {
      b.append(cell(r.stallId())).append(',').append(r.netMinor()).append(',').append(r.commissionPercent()).append(',')
          .append(r.commissionMinor()).append(',').append(r.payableMinor()).append('\n');
    }
    return new ApiResult(200, "text/csv; charset=UTF-8", b.toString());
  }

  static ApiResult cardTerminalsCsv(List<CardTerminals.Row> rows) {
    StringBuilder b = new StringBuilder("terminalId,payments,paymentsMinor,refunds,refundsMinor,netMinor\n");
    for (CardTerminals.Row r : rows) {
      b.append(cell(r.terminalId())).append(',').append(r.payments()).append(',').append(r.paymentsMinor()).append(',')
          .append(r.refunds()).append(',').append(r.refundsMinor()).append(',').append(r.netMinor()).append('\n');
    }
    return new ApiResult(200, "text/csv; charset=UTF-8", b.toString());
  }

  static ApiResult kitchenCsv(List<KitchenTimes.Row> rows) {
    StringBuilder b = new StringBuilder("stationId,linesFired,linesReady,meanSecondsToReady,medianSecondsToReady,"
        + "p90SecondsToReady,maxSecondsToReady,waitingNow,oldestWaitingSeconds\n");
    for (KitchenTimes.Row r : rows) {
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
