package io.orderengine.http.routes;

import io.orderengine.http.json.ApiResult;
import io.orderengine.http.problems.Problems;
import io.orderengine.http.problems.ServiceUnavailable;
import io.orderengine.projections.JournalSize;
import io.orderengine.projections.ProjectionLag;
import java.lang.management.ManagementFactory;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/** {@code GET /metrics} in the Prometheus text format: requests, entities, journal, projection lag, cluster, JVM. No token. */
public final class MetricsRoutes extends AllDirectives {
  private final ProjectionLag projectionLag;
  private final JournalSize journal;
  private final Executor blocking;
  private final IntSupplier clusterMembers;
  private final RequestMetrics requests;
  private final Supplier<CompletionStage<Map<String, Integer>>> entities;

  public MetricsRoutes(ProjectionLag projectionLag, JournalSize journal, Executor blocking, IntSupplier clusterMembers,
      RequestMetrics requests, Supplier<CompletionStage<Map<String, Integer>>> entities) {
    this.projectionLag = projectionLag;
    this.journal = journal;
    this.blocking = blocking;
    this.clusterMembers = clusterMembers;
    this.requests = requests;
    this.entities = entities;
  }

  public Route route() {
    return path("metrics", () -> get(() -> completeWithFuture(entities.get()
        .thenApplyAsync(this::render, blocking)
        .thenApply(text -> new ApiResult(200, "text/plain; version=0.0.4; charset=UTF-8", text))
        .exceptionally(Problems::from)
        .thenApply(ApiResult::toResponse))));
  }

  private String render(Map<String, Integer> active) {
    StringBuilder b = new StringBuilder();
    requests.render(b);
    b.append("# HELP order_engine_entities Entities alive on this node, by kind.\n# TYPE order_engine_entities gauge\n");
    active.forEach((kind, n) -> b.append("order_engine_entities{kind=\"").append(kind).append("\"} ").append(n).append('\n'));
    b.append("# HELP order_engine_projection_lag_seconds Age of the oldest journal event a projection has not processed.\n");
    b.append("# TYPE order_engine_projection_lag_seconds gauge\n");
    StringBuilder pending = new StringBuilder();
    pending.append("# HELP order_engine_projection_pending_events Journal events a projection has not processed yet.\n");
    pending.append("# TYPE order_engine_projection_pending_events gauge\n");
    try {
      for (ProjectionLag.Row row : projectionLag.all()) {
        String[] nameTag = row.name().split("/", 2);
        String labels = "{projection=\"" + nameTag[0] + "\",tag=\"" + nameTag[1] + "\"}";
        b.append("order_engine_projection_lag_seconds").append(labels).append(' ').append(row.lagSeconds()).append('\n');
        pending.append("order_engine_projection_pending_events").append(labels).append(' ').append(row.pendingEvents()).append('\n');
      }
      b.append(pending);
      b.append("# HELP order_engine_journal_events_total Events the journal holds: every write of the engine.\n");
      b.append("# TYPE order_engine_journal_events_total counter\n");
      b.append("order_engine_journal_events_total ").append(journal.events()).append('\n');
    } catch (SQLException e) {
      throw new ServiceUnavailable("the journal cannot be read", e);
    }
    b.append("# HELP order_engine_cluster_members Members of the cluster this node sees as up.\n");
    b.append("# TYPE order_engine_cluster_members gauge\n");
    b.append("order_engine_cluster_members ").append(clusterMembers.getAsInt()).append('\n');
    var memory = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    b.append("# HELP order_engine_jvm_heap_used_bytes Heap in use.\n# TYPE order_engine_jvm_heap_used_bytes gauge\n");
    b.append("order_engine_jvm_heap_used_bytes ").append(memory.getUsed()).append('\n');
    b.append("# HELP order_engine_jvm_heap_max_bytes Largest heap.\n# TYPE order_engine_jvm_heap_max_bytes gauge\n");
    b.append("order_engine_jvm_heap_max_bytes ").append(memory.getMax()).append('\n');
    b.append("# HELP order_engine_jvm_threads Live threads.\n# TYPE order_engine_jvm_threads gauge\n");
    b.append("order_engine_jvm_threads ").append(ManagementFactory.getThreadMXBean().getThreadCount()).append('\n');
    return b.toString();
  }
}
