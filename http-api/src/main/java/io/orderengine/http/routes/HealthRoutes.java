package io.orderengine.http.routes;

import io.orderengine.http.json.ApiResult;
import io.orderengine.http.problems.Problems;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/** For the orchestrator: alive while the JVM runs, ready while the node can serve traffic. No token. */
public final class HealthRoutes extends AllDirectives {
  /** A readiness probe: a short reason why the node is not ready, or null when it is. */
  public interface Readiness extends Supplier<CompletionStage<String>> {}

  private final Readiness readiness;

  public HealthRoutes(Readiness readiness) {
    this.readiness = readiness;
  }

  public Route route() {
    return pathPrefix("health", () -> concat(
        path("alive", () -> get(() -> complete(ApiResult.ok(Map.of("status", "UP")).toResponse()))),
        path("ready", () -> get(() -> completeWithFuture(readiness.get()
            .thenApply(notReady -> notReady == null
                ? ApiResult.ok(Map.of("status", "READY"))
                : Problems.problem(503, "SERVICE_UNAVAILABLE", "not ready: " + notReady))
            .exceptionally(failure -> Problems.problem(503, "SERVICE_UNAVAILABLE", "not ready: " + failure))
            .thenApply(ApiResult::toResponse))))));
  }
}
