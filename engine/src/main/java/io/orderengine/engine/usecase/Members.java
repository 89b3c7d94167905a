package io.orderengine.engine.usecase;

import static io.orderengine.engine.usecase.Asks.answer;
import static io.orderengine.engine.usecase.Asks.requireOwn;

import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.VenueIds;
import io.orderengine.engine.bill.TerminalSlip;
import io.orderengine.engine.member.Member;
import io.orderengine.engine.member.TopUpPayment;
import io.orderengine.engine.payment.Gateways;
import io.orderengine.engine.payment.PaymentSaga;
import io.orderengine.engine.payment.Provider;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * Members of a venue: registration, their stored value and top-ups (a wallet's or card's through its
 * payment saga, started by the member). A venue names its members
 * itself; the entity is the member's id qualified by the venue ({@link VenueIds}).
 */
public final class Members {
  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final Duration firstGatewayAnswer;
  private final Gateways gateways;

  /** {@code firstGatewayAnswer}: how long a member waits for a top-up saga's first word before it answers. */
  public Members(ActorSystem<?> system, Duration askTimeout, Duration firstGatewayAnswer, Gateways gateways) {
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = askTimeout;
    this.firstGatewayAnswer = firstGatewayAnswer;
    this.gateways = gateways;
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

  /**
   * A top-up as taken: the top-up of the request (null only for a request answered again after the
   * member forgot its payment: it was credited long ago) and the member as it stands.
   */
  public record TopUpTaken(TopUpPayment topUp, Member.View member) {}

  /** {@code takenBy}: who took the money at the till; cash taken counts in their shift. */
  public CompletionStage<Member.View> topUp(String venueId, String memberId, String requestId, long amountMinor,
      String method, String takenBy) {
    return topUp(venueId, memberId, requestId, amountMinor, method, takenBy, null, null).thenApply(TopUpTaken::member);
  }

  /**
   * Takes a top-up. Cash, and a card on a bank's standalone terminal ({@code terminal}), are credited
   * at once. A wallet ({@code authCode} scanned from the member, or none: a QR the member scans) or a
   * card on the integrated terminal is paid through its saga, which the member starts; the answer
   * comes after the gateway's first word, PENDING until the saga reports. A tender the venue has no
   * provider for is refused before the member records anything.
   */
  public CompletionStage<TopUpTaken> topUp(String venueId, String memberId, String requestId, long amountMinor,
      String method, String takenBy, String authCode, TerminalSlip terminal) {
    boolean atOnce = TopUpPayment.creditedAtOnce(method, terminal == null ? null : terminal.terminalRef());
    CompletionStage<?> provider = atOnce ? CompletableFuture.completedFuture(null)
        : gateways.of(venueId, Provider.valueOf(method.toUpperCase(Locale.ROOT)));
    return provider.thenCompose(p -> answer(ref(venueId, memberId).<Member.View>askWithStatus(
            r -> new Member.TopUp(requestId, amountMinor, method, takenBy, Instant.now(), r, authCode,
                terminal == null ? null : terminal.terminalId(), terminal == null ? null : terminal.terminalRef(),
                terminal == null ? null : terminal.cardLast4()),
            atOnce ? askTimeout : askTimeout.plus(firstGatewayAnswer))))
        .thenApply(view -> new TopUpTaken(view.topUpOfRequest(requestId).orElse(null), view));
  }

  /** A top-up by its payment id ({@code <memberId>-TU<n>}), as its member remembers it. */
  public CompletionStage<TopUpTaken> topUpPayment(String venueId, String paymentId) {
    requireOwn(venueId, paymentId, "payment");
    String memberId = Member.memberIdOfTopUp(paymentId)
        .orElseThrow(() -> new Rejected(Rejection.NOT_FOUND, "no payment " + paymentId));
    return sharding.entityRefFor(Member.ENTITY_KEY, memberId).ask(Member.Get::new, askTimeout).thenApply(view -> {
      TopUpPayment topUp = view.topUps().stream().filter(t -> t.paymentId().equals(paymentId)).findFirst()
          .orElseThrow(() -> new Rejected(Rejection.NOT_FOUND, "no payment " + paymentId));
      return new TopUpTaken(topUp, view);
    });
  }

  /**
   * Closes a pending top-up's trade at its gateway (the member walked away from the QR); if the member
   * paid first, the top-up stands, credited, and says so. The saga answers once the member holds the
   * outcome, so the member read next agrees with it.
   */
  public CompletionStage<TopUpTaken> cancelTopUp(String venueId, String paymentId) {
    return topUpPayment(venueId, paymentId).thenCompose(current -> {
      TopUpPayment t = current.topUp();
      if (TopUpPayment.creditedAtOnce(t.method(), t.terminalRef())) {
        throw new Rejected(Rejection.PAYMENT_NOT_PENDING, "top-up " + paymentId + " was credited when it was taken");
      }
      return answer(sharding.entityRefFor(PaymentSaga.ENTITY_KEY, paymentId)
              .<PaymentSaga.View>askWithStatus(r -> new PaymentSaga.Cancel(Instant.now(), r), firstGatewayAnswer))
          .thenCompose(saga -> topUpPayment(venueId, paymentId));
    });
  }

  private EntityRef<Member.Command> ref(String venueId, String memberId) {
    return sharding.entityRefFor(Member.ENTITY_KEY, VenueIds.qualify(venueId, memberId));
  }
}
