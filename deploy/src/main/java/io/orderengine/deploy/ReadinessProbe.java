package io.orderengine.deploy;

import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;

/**
 * Pekko Management's readiness check ({@code pekko.management.health-checks.readiness-checks} in
 * node.conf): the node's one {@link NodeReadiness}, so the Kubernetes probe on {@code /ready} and
 * {@code GET /health/ready} never disagree.
 */
public final class ReadinessProbe implements Supplier<CompletionStage<Boolean>> {
  private final NodeReadiness readiness;

  public ReadinessProbe(ActorSystem system) {
    this.readiness = NodeReadiness.of(system);
  }

  @Override
  public CompletionStage<Boolean> get() {
    return readiness.get().thenApply(Objects::isNull);
  }
}
