package io.orderengine.http.routes;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.usecase.Venues;
import io.orderengine.engine.venue.Printer;
import io.orderengine.http.auth.Roles;
import io.orderengine.http.auth.Tokens;
import io.orderengine.http.json.ApiResult;
import io.orderengine.http.json.Body;
import io.orderengine.http.ledger.RequestLedger;
import io.orderengine.http.problems.BadRequest;
import io.orderengine.projections.printing.PrintJobs;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * A venue's printers: put and taken away by its owner or a manager (kept by the {@link
 * io.orderengine.engine.venue.Venue} entity with the rest of its set-up), listed with how each
 * answered last and the jobs waiting for it (from {@code print_jobs}), and a stuck job moved to
 * another printer.
 */
public final class PrinterRoutes extends RequestHandling {
  /** Job ids are made from the event that made them: {@code Table.A1.12.P1}. */
  private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9._|-]{1,200}");

  private final Venues venues;
  private final PrintJobs jobs;
  private final Executor blocking;

  public PrinterRoutes(Venues venues, PrintJobs jobs, Executor blocking, Tokens tokens, RequestLedger ledger) {
    super(tokens, ledger);
    this.venues = venues;
    this.jobs = jobs;
    this.blocking = blocking;
  }

  public record JobJson(String jobId, String kind, String subject, Instant createdAt, int attempts, String lastError,
      boolean stuck, String movedFrom) {}

  public record PrinterJson(String printerId, String host, int port, List<String> stations, boolean receipts,
      int paperWidthMm, int columns, String state, String lastError, Instant since, int waiting, boolean stuck,
      List<JobJson> queue) {}

  public record PrintersJson(List<PrinterJson> printers) {}

  public record MovedJson(String fromPrinterId, String toPrinterId, List<String> movedJobIds) {}

  public Route route() {
    return pathPrefix("printers", () -> concat(
        pathEnd(() -> get(() -> read(Roles.READERS, who -> listing(who.venue())))),
        path(segment(), printerId -> concat(
            put(() -> write("printer", Roles.OWNER, (body, caller) -> {
              Printer printer = printer(requireId("printerId", printerId), body);
              return venues.putPrinter(caller.venue(), printer)
                  .thenApply(v -> ApiResult.ok(json(v.printer(printerId).orElseThrow(), null, List.of())));
            })),
            delete(() -> write("printer-remove", Roles.OWNER, (body, caller) -> {
              requireId("printerId", printerId);
              // a printer with jobs waiting stays: they would print nowhere
              return CompletableFuture.supplyAsync(() -> waiting(caller.venue(), printerId), blocking).thenCompose(n -> {
                if (n > 0) {
                  throw new Rejected(Rejection.PRINTER_IN_USE, "printer " + printerId + " has " + n
                      + " jobs waiting; move them to another printer first", Map.of("waiting", n));
                }
                return VenueRoutes.removed("printer", printerId, venues.removePrinter(caller.venue(), printerId));
              });
            })))),
        path(segment().slash("jobs").slash(segment()).slash("move"), (printerId, jobId) -> post(() ->
            write("print-job-move", Roles.MANAGER, (body, caller) -> {
              requireId("printerId", printerId);
              if (!JOB_ID.matcher(jobId).matches()) throw new BadRequest("jobId: not a print job id");
              String to = body.requiredId("toPrinterId");
              if (to.equals(printerId)) throw new BadRequest("toPrinterId: the job is at " + printerId + " already");
              return venues.venue(caller.venue()).thenCompose(v -> {
                if (v.printer(to).isEmpty()) throw new Rejected(Rejection.NOT_FOUND, "no printer " + to);
                return CompletableFuture.supplyAsync(() -> {
                  try {
                    return jobs.move(caller.venue(), printerId, jobId, to);
                  } catch (java.sql.SQLException e) {
                    throw new CompletionException(e);
                  }
                }, blocking);
              }).thenApply(moved -> ApiResult.ok(new MovedJson(printerId, to, moved)));
            })))));
  }

  private int waiting(String venueId, String printerId) {
    try {
      return jobs.waiting(venueId, printerId);
    } catch (java.sql.SQLException e) {
      throw new CompletionException(e);
    }
  }

  private java.util.concurrent.CompletionStage<ApiResult> listing(String venueId) {
    return venues.venue(venueId).thenCombine(CompletableFuture.supplyAsync(() -> {
      try {
        return Map.entry(jobs.states(venueId), jobs.queues(venueId));
      } catch (java.sql.SQLException e) {
        throw new CompletionException(e);
      }
    }, blocking), (venue, read) -> ApiResult.ok(new PrintersJson(venue.printers().stream()
        .map(p -> json(p, read.getKey().get(p.printerId()), read.getValue().getOrDefault(p.printerId(), List.of())))
        .toList())));
  }

  private static PrinterJson json(Printer p, PrintJobs.PrinterState state, List<PrintJobs.Waiting> queue) {
    PrintJobs.PrinterState s = state == null ? PrintJobs.PrinterState.UNKNOWN : state;
    boolean unreachable = "UNREACHABLE".equals(s.state());
    return new PrinterJson(p.printerId(), p.host(), p.port(), p.stations(), p.receipts(), p.paperWidthMm(), p.columns(),
        s.state(), unreachable ? s.lastError() : null, s.since(), queue.size(), queue.stream().anyMatch(PrintJobs.Waiting::stuck),
        queue.stream().map(w -> new JobJson(w.jobId(), w.kind(), w.subject(), w.createdAt(), w.attempts(), w.lastError(),
            w.stuck(), w.movedFrom())).toList());
  }

  private static Printer printer(String printerId, Body body) {
    return io.orderengine.http.json.VenueDocuments.printer(printerId, body);
  }
}
