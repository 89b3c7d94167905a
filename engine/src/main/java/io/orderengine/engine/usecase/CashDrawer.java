package io.orderengine.engine.usecase;

import static io.orderengine.engine.usecase.Asks.answer;
import static io.orderengine.engine.usecase.Asks.requireOwn;

import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.VenueIds;
import io.orderengine.engine.shift.Shift;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * The cashier's drawer (出纳): a shift opened with a float, cash moved in and out, closed with the
 * cash counted against what the books say the tenders took and gave back.
 */
public final class CashDrawer {

  /** The cash a shift's tenders took and gave back until a moment, as the read side's books have it. */
  public interface Books {
    CompletionStage<CashTaken> cashOf(Shift.View shift, Instant until);
  }

  public record CashTaken(long takenMinor, long refundedMinor) {}

  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final Books books;

  public CashDrawer(ActorSystem<?> system, Duration askTimeout, Books books) {
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = askTimeout;
    this.books = books;
  }

  /** {@code shiftId}: the venue's own id for the shift; the shift is known by it qualified ({@link VenueIds}). */
  public CompletionStage<Shift.View> open(String venueId, String shiftId, String cashier, String openedBy,
      long openingFloatMinor) {
    return answer(ref(VenueIds.qualify(venueId, shiftId)).askWithStatus(r -> new Shift.Open(cashier, openedBy, openingFloatMinor, Instant.now(), r),
        askTimeout));
  }

  public CompletionStage<Shift.View> shift(String venueId, String shiftId) {
    requireOwn(venueId, shiftId, "shift");
    return ref(shiftId).ask(Shift.Get::new, askTimeout).thenApply(v -> {
      if (v.status() == Shift.Status.NONE) throw new Rejected(Rejection.NOT_FOUND, "no shift " + shiftId);
      return v;
    });
  }

  public CompletionStage<Shift.View> moveCash(String venueId, String shiftId, String requestId, long amountMinor,
      String reason) {
    requireOwn(venueId, shiftId, "shift");
    return answer(ref(shiftId).askWithStatus(r -> new Shift.Move(requestId, amountMinor, reason, Instant.now(), r),
        askTimeout));
  }

  /** Closes a shift with the cash counted; the cash its tenders took and gave back comes from the books. */
  public CompletionStage<Shift.View> close(String venueId, String shiftId, long countedMinor) {
    Instant closing = Instant.now();
    return shift(venueId, shiftId).thenCompose(open -> open.status() == Shift.Status.CLOSED
        ? CompletableFuture.completedFuture(open) // closed before: the retry gets the same answer
        : books.cashOf(open, closing).thenCompose(cash -> answer(ref(shiftId).<Shift.View>askWithStatus(
            r -> new Shift.Close(countedMinor, cash.takenMinor(), cash.refundedMinor(), closing, r), askTimeout))));
  }

  private EntityRef<Shift.Command> ref(String shiftId) {
    return sharding.entityRefFor(Shift.ENTITY_KEY, shiftId);
  }
}
