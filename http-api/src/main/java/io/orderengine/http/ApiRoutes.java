package io.orderengine.http;

import io.orderengine.http.json.ApiResult;
import io.orderengine.http.problems.Problems;
import io.orderengine.http.routes.AuditRoutes;
import io.orderengine.http.routes.BillRoutes;
import io.orderengine.http.routes.DocsRoutes;
import io.orderengine.http.routes.EventRoutes;
import io.orderengine.http.routes.GatewayRoutes;
import io.orderengine.http.routes.HealthRoutes;
import io.orderengine.http.routes.KitchenRoutes;
import io.orderengine.http.routes.MemberRoutes;
import io.orderengine.http.routes.MenuRoutes;
import io.orderengine.http.routes.MetricsRoutes;
import io.orderengine.http.routes.PageRoutes;
import io.orderengine.http.routes.PrinterRoutes;
import io.orderengine.http.routes.ProviderRoutes;
import io.orderengine.http.routes.ReportRoutes;
import io.orderengine.http.routes.RequestMetrics;
import io.orderengine.http.routes.SandboxRoutes;
import io.orderengine.http.routes.SessionRoutes;
import io.orderengine.http.routes.ShiftRoutes;
import io.orderengine.http.routes.StaffRoutes;
import io.orderengine.http.routes.TableCardRoutes;
import io.orderengine.http.routes.TableRoutes;
import io.orderengine.http.routes.VenueRoutes;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import io.orderengine.engine.VenueIds;
import io.orderengine.http.routes.RequestHandling;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;

/** The whole HTTP face of a node, and the last word on errors: every one leaves as problem+json. */
public final class ApiRoutes extends AllDirectives {
  private final HealthRoutes health;
  private final MenuRoutes menu;
  private final TableRoutes tables;
  private final BillRoutes bills;
  private final MemberRoutes members;
  private final GatewayRoutes gateways;
  private final KitchenRoutes kitchen;
  private final EventRoutes events;
  private final ReportRoutes reports;
  private final AuditRoutes audit;
  private final ShiftRoutes shifts;
  private final MetricsRoutes metrics;
  private final RequestMetrics requestMetrics;
  private final SandboxRoutes sandbox;
  private final TableCardRoutes cards;
  private final StaffRoutes staff;
  private final SessionRoutes sessions;
  private final VenueRoutes venues;
  private final ProviderRoutes providers;
  private PrinterRoutes printers;
  private final DocsRoutes docs = new DocsRoutes();
  private final PageRoutes pages = new PageRoutes();

  /** {@code sandbox} is null when the node runs without the sandbox gateways. */
  public ApiRoutes(HealthRoutes health, MenuRoutes menu, TableRoutes tables, BillRoutes bills, MemberRoutes members,
      GatewayRoutes gateways, KitchenRoutes kitchen, EventRoutes events, ReportRoutes reports, AuditRoutes audit,
      ShiftRoutes shifts, MetricsRoutes metrics, SandboxRoutes sandbox, TableCardRoutes cards, RequestMetrics requestMetrics,
      StaffRoutes staff, SessionRoutes sessions, VenueRoutes venues, ProviderRoutes providers) {
    this.providers = providers;
    this.cards = cards;
    this.staff = staff;
    this.sessions = sessions;
    this.venues = venues;
    this.health = health;
    this.menu = menu;
    this.tables = tables;
    this.bills = bills;
    this.members = members;
    this.gateways = gateways;
    this.kitchen = kitchen;
    this.events = events;
    this.reports = reports;
    this.audit = audit;
    this.shifts = shifts;
    this.metrics = metrics;
    this.requestMetrics = requestMetrics;
    this.sandbox = sandbox;
  }

  /**
   * The whole tree, built once: the Java DSL calls a directive's inner supplier for every request
   * it lets through, so whatever is built inside one is built again per request.
   */
  /** The venue's printers and their queues; a node without a print queue has none. */
  public ApiRoutes withPrinters(PrinterRoutes printerRoutes) {
    this.printers = printerRoutes;
    return this;
  }

  public Route route() {
    Route api = concat(menu.route(), tables.route(), members.route(), bills.route(), events.route(), gateways.route(),
        kitchen.route(), audit.route(), reports.route(), shifts.route(), cards.route(), staff.route(), sessions.route(),
        venues.route(), providers.route(), printers == null ? reject() : printers.route());
    Route all = concat(
        health.route(),
        docs.route(),
        pages.route(),
        metrics.route(),
        sandbox == null ? reject() : concat(pages.sandboxWallet(), sandbox.route()),
        pathPrefix("api", () -> pathPrefix("v1", () -> concat(
            venues.platformRoute(),
            // every path of a venue, named: the same tree, told the venue by a request attribute
            pathPrefix(segment("venues").slash(segment(VenueIds.VENUE_ID)), venueId ->
                mapRequest(request -> request.addAttribute(RequestHandling.PATH_VENUE, venueId), () -> api)),
            api))));
    ExceptionHandler exceptions = exceptions();
    RejectionHandler rejections = rejections();
    return requestMetrics.measure(withRequestTimeoutResponse(ApiRoutes::timedOut,
        () -> handleExceptions(exceptions, () -> handleRejections(rejections, () -> all))));
  }

  /** pekko.http.server.request-timeout passed without an answer: the work may still finish, so say retry. */
  private static HttpResponse timedOut(org.apache.pekko.http.javadsl.model.HttpRequest request) {
    return Problems.problem(503, "SERVICE_UNAVAILABLE",
        "no answer within the node's request timeout; retry with the same Idempotency-Key").toResponse();
  }

  private static ExceptionHandler exceptions() {
    return ExceptionHandler.newBuilder()
        .matchAny(t -> AllDirectivesHolder.INSTANCE.complete(Problems.from(t).toResponse()))
        .build();
  }

  /** Pekko's own rejection answers (404, 405, 415...), reworded as problems with a stable code. */
  private static RejectionHandler rejections() {
    return RejectionHandler.defaultHandler().mapRejectionResponse(Problems::reworded);
  }

  private static final class AllDirectivesHolder extends AllDirectives {
    static final AllDirectivesHolder INSTANCE = new AllDirectivesHolder();
  }
}
