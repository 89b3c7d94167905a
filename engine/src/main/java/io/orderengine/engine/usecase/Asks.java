package io.orderengine.engine.usecase;

import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.VenueIds;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** What the use cases' asks share: refusals unwrapped, and ids of another venue turned away. */
final class Asks {
  private Asks() {}

  /** A bill, payment or shift of another venue is as unknown here as one that does not exist. */
  static void requireOwn(String venueId, String id, String what) {
    if (!VenueIds.belongsTo(id, venueId)) throw new Rejected(Rejection.NOT_FOUND, "no " + what + " " + id);
  }

  /** The answer of an ask with a refusal taken out of its wrappers, so callers see {@link Rejected} itself. */
  static <T> CompletionStage<T> answer(CompletionStage<T> reply) {
    return reply.handle((value, failure) -> failure == null
        ? CompletableFuture.completedFuture(value)
        : CompletableFuture.<T>failedFuture(Rejected.unwrap(failure))).thenCompose(f -> f);
  }
}
