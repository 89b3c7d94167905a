package io.orderengine.deploy;

import io.orderengine.engine.VenueIds;
import io.orderengine.engine.Engine;
import io.orderengine.http.routes.HealthRoutes;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import javax.sql.DataSource;
import org.apache.pekko.Done;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;
import org.apache.pekko.actor.ExtensionIdProvider;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * Whether this node serves traffic: the one readiness check, answered both by {@code GET
 * /health/ready} and by Pekko Management's {@code /ready} (the Kubernetes probe, through {@link
 * ReadinessProbe}). Ready only while the HTTP API is bound, the node is an Up member of the
 * cluster, the demo venue (when there is one) is seeded, the database answers and the venue entity
 * answers.
 *
 * <p>An extension of the actor system, because Pekko Management makes its checks itself, by class
 * name, as soon as it starts (before the API is bound): the probe it makes finds this same object,
 * which says "not ready" until {@link Node} has wired the node and bound the API.
 */
public final class NodeReadiness implements Extension, HealthRoutes.Readiness {
  /** What the check asks, once the node is wired. */
  private record Parts(ActorSystem<?> system, Engine engine, DataSource dataSource, Executor blocking,
      CompletableFuture<Done> venueReady) {}

  private volatile Parts parts;
  private volatile boolean bound;

  private NodeReadiness() {}

  public static NodeReadiness of(ActorSystem<?> system) {
    return of(Adapter.toClassic(system));
  }

  public static NodeReadiness of(org.apache.pekko.actor.ActorSystem system) {
    return Id.ID.get(system);
  }

  /** What "served" asks about; the node is still not ready until {@link #apiBound()}. */
  void watch(ActorSystem<?> system, Engine engine, DataSource dataSource, Executor blocking,
      CompletableFuture<Done> venueReady) {
    this.parts = new Parts(system, engine, dataSource, blocking, venueReady);
  }

  /** The API accepts connections: from now on the node is ready whenever the rest is. */
  void apiBound() {
    bound = true;
  }

  /** The API is about to unbind (the node is stopping): no more traffic, whatever the rest says. */
  void apiUnbinding() {
    bound = false;
  }

  /** A short reason why the node is not ready, or null when it is. */
  @Override
  public CompletionStage<String> get() {
    Parts p = parts;
    if (p == null || !bound) return CompletableFuture.completedFuture("the HTTP API is not bound");
    if (Cluster.get(p.system()).selfMember().status() != MemberStatus.up()) {
      return CompletableFuture.completedFuture("this node is not an Up member of the cluster yet");
    }
    if (!p.venueReady().isDone()) {
      return CompletableFuture.completedFuture("the demo venue is being seeded");
    }
    return CompletableFuture.supplyAsync(() -> {
          try (Connection c = p.dataSource().getConnection()) {
            return c.isValid(2) ? null : "the database does not answer";
          } catch (SQLException e) {
            return "the database does not answer: " + e.getMessage();
          }
        }, p.blocking())
        .thenCompose(dbProblem -> dbProblem != null
            ? CompletableFuture.completedFuture(dbProblem)
            : p.engine().menuBoard().venue(VenueIds.DEFAULT).thenApply(v -> (String) null));
  }

  static final class Id extends AbstractExtensionId<NodeReadiness> implements ExtensionIdProvider {
    static final Id ID = new Id();

    @Override
    public NodeReadiness createExtension(ExtendedActorSystem system) {
      return new NodeReadiness();
    }

    @Override
    public Id lookup() {
      return ID;
    }
  }
}
