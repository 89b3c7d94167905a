package io.orderengine.engine.usecase;

import io.orderengine.engine.Rejected;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The answer of an ask with a refusal taken out of its wrappers, so callers see {@link Rejected} itself. */
final class Asks {
  private Asks() {}

  static <T> CompletionStage<T> answer(CompletionStage<T> reply) {
    return reply.handle((value, failure) -> failure == null
        ? CompletableFuture.completedFuture(value)
        : CompletableFuture.<T>failedFuture(Rejected.unwrap(failure))).thenCompose(f -> f);
  }
}
