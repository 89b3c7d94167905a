package io.orderengine.engine.usecase;

import static io.orderengine.engine.usecase.Asks.answer;

import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.VenueIds;
import io.orderengine.engine.member.Member;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * Members of a venue: registration, their stored value and top-ups. A venue names its members
 * itself; the entity is the member's id qualified by the venue ({@link VenueIds}).
 */
public final class Members {
  private final ClusterSharding sharding;
  private final Duration askTimeout;

  public Members(ActorSystem<?> system, Duration askTimeout) {
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = askTimeout;
  }

  public CompletionStage<Member.View> register(String venueId, String memberId, String name, String phone) {
    return answer(ref(venueId, memberId).askWithStatus(r -> new Member.Register(name, phone, Instant.now(), r), askTimeout));
  }

  public CompletionStage<Member.View> member(String venueId, String memberId) {
    return ref(venueId, memberId).ask(Member.Get::new, askTimeout).thenApply(view -> {
      if (!view.exists()) throw new Rejected(Rejection.NOT_FOUND, "no member " + memberId);
      return view;
    });
  }

  /** {@code takenBy}: who took the money at the till; cash taken counts in their shift. */
  public CompletionStage<Member.View> topUp(String venueId, String memberId, String requestId, long amountMinor,
      String method, String takenBy) {
    return answer(ref(venueId, memberId).askWithStatus(
        r -> new Member.TopUp(requestId, amountMinor, method, takenBy, Instant.now(), r), askTimeout));
  }

  private EntityRef<Member.Command> ref(String venueId, String memberId) {
    return sharding.entityRefFor(Member.ENTITY_KEY, VenueIds.qualify(venueId, memberId));
  }
}
