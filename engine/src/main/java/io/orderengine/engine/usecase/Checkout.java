package io.orderengine.engine.usecase;

import static io.orderengine.engine.usecase.Asks.answer;
import static io.orderengine.engine.usecase.Asks.requireOwn;

import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.VenueIds;
import io.orderengine.engine.bill.Bill;
import io.orderengine.engine.bill.TerminalSlip;
import io.orderengine.engine.payment.BadSignature;
import io.orderengine.engine.payment.Gateway;
import io.orderengine.engine.payment.Callback;
import io.orderengine.engine.payment.Gateways;
import io.orderengine.engine.payment.Notification;
import io.orderengine.engine.payment.PaymentSaga;
import io.orderengine.engine.payment.Provider;
import io.orderengine.engine.payment.RefundNotification;
import io.orderengine.engine.payment.StatementLine;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * The checkout: bills, discounts, every tender, refunds, the gateways' callbacks and statements.
 * Each use case asks one entity: a payment is taken by its bill, which starts the saga of a
 * non-cash tender itself.
 */
public final class Checkout {

  /** A payment as its bill records it: the bill is the one place that says what a payment's status is. */
  public record PaymentView(Bill.Payment payment, Bill.View bill) {}

  public record RefundView(Bill.RefundEntry refund, Bill.View bill) {}

  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final Duration firstGatewayAnswer;
  private final Gateways gateways;

  /** {@code firstGatewayAnswer}: how long a bill waits for a saga's first word before it answers its payer. */
  public Checkout(ActorSystem<?> system, Duration askTimeout, Duration firstGatewayAnswer, Gateways gateways) {
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = askTimeout;
    this.firstGatewayAnswer = firstGatewayAnswer;
    this.gateways = gateways;
  }

  public CompletionStage<Bill.View> bill(String venueId, String billId) {
    requireOwn(venueId, billId, "bill");
    return billRef(billId).ask(Bill.Get::new, askTimeout).thenApply(view -> {
      if (!view.exists()) throw new Rejected(Rejection.NOT_FOUND, "no bill " + billId);
      return view;
    });
  }

  public CompletionStage<Bill.View> discount(String venueId, String billId, String requestId, Bill.DiscountType type,
      long value, String reason) {
    requireOwn(venueId, billId, "bill");
    return answer(billRef(billId).askWithStatus(
        r -> new Bill.ApplyDiscount(requestId, type, value, reason, Instant.now(), r), askTimeout));
  }

  /**
   * Takes a tender. Cash (and a card on a standalone terminal) is settled by the bill at once; any other tender is recorded pending and
   * its saga started by the bill, which answers (briefly) after the gateway's first word.
   */
  public CompletionStage<PaymentView> pay(String venueId, String billId, String requestId, Bill.Method method,
      long amountMinor, Long tenderedMinor, String authCode, String localMemberId, String takenBy, TerminalSlip terminal) {
    return pay(venueId, billId, requestId, method, amountMinor, tenderedMinor, authCode, localMemberId, takenBy, terminal,
        null);
  }

  /**
   * {@code openid}: the diner's WeChat openid, for a WECHAT payment made inside WeChat (JSAPI): the trade is
   * made for that payer and the answer carries what the diner's page pays it with. A venue whose gateway
   * takes no in-app payment is answered {@code METHOD_NOT_SUPPORTED} before the bill records anything.
   */
  public CompletionStage<PaymentView> pay(String venueId, String billId, String requestId, Bill.Method method,
      long amountMinor, Long tenderedMinor, String authCode, String localMemberId, String takenBy, TerminalSlip terminal,
      String openid) {
    if (openid != null && (method != Bill.Method.WECHAT || authCode != null || terminal != null)) {
      throw new Rejected(Rejection.VALIDATION_FAILED, "an openid is the payer of a WECHAT payment made inside WeChat, without authCode");
    }
    if (terminal != null) return payOnStandaloneTerminal(venueId, billId, requestId, amountMinor, takenBy, terminal);
    requireOwn(venueId, billId, "bill");
    String memberId = localMemberId == null ? null : VenueIds.qualify(venueId, localMemberId);
    // a tender the venue has no provider for is refused before the bill records anything
    CompletionStage<?> taken = method == Bill.Method.CASH ? CompletableFuture.completedFuture(null)
        : gateways.of(venueId, Provider.valueOf(method.name())).thenApply(gateway -> {
          if (openid != null && !gateway.takesInAppPayments()) {
            throw new Rejected(Rejection.METHOD_NOT_SUPPORTED, "the venue's " + gateway.provider().wire()
                + " merchant takes no in-app (JSAPI) payment: pay by the QR code instead");
          }
          return gateway;
        });
    return taken.thenCompose(provider -> answer(billRef(billId).<Bill.PaymentReply>askWithStatus(
            r -> new Bill.Pay(requestId, method, amountMinor, tenderedMinor, authCode, memberId, takenBy, Instant.now(), r,
                null, openid),
            askTimeout.plus(firstGatewayAnswer))))
        .thenApply(reply -> new PaymentView(reply.payment(), reply.bill()));
  }

  /**
   * A card the cashier took on a bank's standalone terminal (no API, no gateway): the bill records it
   * SUCCEEDED at once from the terminal's slip; no saga, so no gateway need be configured.
   */
  private CompletionStage<PaymentView> payOnStandaloneTerminal(String venueId, String billId, String requestId,
      long amountMinor, String takenBy, TerminalSlip terminal) {
    requireOwn(venueId, billId, "bill");
    return answer(billRef(billId).<Bill.PaymentReply>askWithStatus(
            r -> new Bill.Pay(requestId, Bill.Method.CARD, amountMinor, null, null, null, takenBy, Instant.now(), r, terminal),
            askTimeout))
        .thenApply(reply -> new PaymentView(reply.payment(), reply.bill()));
  }

  public CompletionStage<PaymentView> payment(String venueId, String paymentId) {
    requireOwn(venueId, paymentId, "payment");
    String billId = Bill.billIdOfPayment(paymentId)
        .orElseThrow(() -> new Rejected(Rejection.NOT_FOUND, "no payment " + paymentId));
    return bill(venueId, billId).thenCompose(bill -> {
      Bill.Payment p = bill.payment(paymentId).orElseThrow(() -> new Rejected(Rejection.NOT_FOUND, "no payment " + paymentId));
      if (!p.qrTrade() || p.qrCodeUrl() != null || p.jsapi() != null) {
        return CompletableFuture.completedFuture(new PaymentView(p, bill));
      }
      // a wallet trade taken before bills kept the QR link (or whose gateway never gave one): its saga has it
      return sagaRef(paymentId).ask(PaymentSaga.Get::new, askTimeout)
          .thenApply(saga -> new PaymentView(p.withQrCode(saga.qrCodeUrl()).withJsapi(saga.jsapi()), bill));
    });
  }

  /** Closes a pending payment at its gateway; if the customer paid first, the payment stands and says so. */
  public CompletionStage<PaymentView> cancelPayment(String venueId, String paymentId) {
    return payment(venueId, paymentId).thenCompose(current -> {
      if (current.payment().method() == Bill.Method.CASH || current.payment().onStandaloneTerminal()) {
        throw new Rejected(Rejection.PAYMENT_NOT_PENDING, "payment " + paymentId + " was settled when it was taken; refund it instead");
      }
      // the saga answers once the bill holds the outcome, so the bill read next agrees with it
      return answer(sagaRef(paymentId).<PaymentSaga.View>askWithStatus(r -> new PaymentSaga.Cancel(Instant.now(), r),
              firstGatewayAnswer))
          .thenCompose(saga -> payment(venueId, paymentId));
    });
  }

  /**
   * Gives money back on a succeeded tender. {@code terminalId}, {@code terminalRef}: for a card taken on a
   * standalone terminal, where the cashier refunded it and the terminal's reference (each null if not given).
   */
  public CompletionStage<RefundView> refund(String venueId, String billId, String requestId, String paymentId,
      long amountMinor, String reason, String takenBy, String terminalId, String terminalRef) {
    requireOwn(venueId, billId, "bill");
    return answer(billRef(billId).<Bill.RefundReply>askWithStatus(
            r -> new Bill.Refund(requestId, paymentId, amountMinor, reason, takenBy, Instant.now(), r, terminalId, terminalRef),
            askTimeout))
        .thenApply(reply -> new RefundView(reply.refund(), reply.bill()));
  }

  /** A gateway's callback: verified with the provider's key, then handed to the payment's saga. */
  public CompletionStage<PaymentSaga.View> gatewayNotification(String venueId, Provider provider, Map<String, String> headers,
      String body) {
    return gateway(venueId, provider).thenCompose(gateway -> {
      Callback callback;
      try {
        callback = gateway.verifyCallback(headers, body);
      } catch (BadSignature e) {
        throw new Rejected(Rejection.BAD_SIGNATURE, e.getMessage());
      }
      // a callback verified with one venue's keys speaks for that venue's payments only
      requireOwn(venueId, callback.tradeNo(), "payment");
      return notify(callback);
    });
  }

  /** The gateway a callback to {@code venueId}'s address came from: how the provider wants its answer. */
  public CompletionStage<Gateway> callbackGateway(String venueId, Provider provider) {
    return gateway(venueId, provider);
  }

  private CompletionStage<PaymentSaga.View> notify(Callback callback) {
    var saga = sagaRef(callback.tradeNo());
    if (callback instanceof RefundNotification n) {
      return answer(saga.<PaymentSaga.View>askWithStatus(r -> new PaymentSaga.RefundNotify(n, r), askTimeout));
    }
    Notification n = (Notification) callback;
    return answer(saga.<PaymentSaga.View>askWithStatus(r -> new PaymentSaga.Notify(n, Instant.now(), r), askTimeout));
  }

  /** The provider's statement of a day, for reconciliation. */
  public CompletionStage<List<StatementLine>> statement(String venueId, Provider provider, LocalDate date, ZoneId zone) {
    return gateway(venueId, provider).thenCompose(gateway -> gateway.statement(date, zone));
  }

  private CompletionStage<Gateway> gateway(String venueId, Provider provider) {
    return gateways.find(venueId, provider).thenApply(found -> found
        .orElseThrow(() -> new Rejected(Rejection.NOT_FOUND, "no " + provider.wire() + " gateway for this venue")));
  }

  private EntityRef<Bill.Command> billRef(String billId) {
    return sharding.entityRefFor(Bill.ENTITY_KEY, billId);
  }

  private EntityRef<PaymentSaga.Command> sagaRef(String paymentId) {
    return sharding.entityRefFor(PaymentSaga.ENTITY_KEY, paymentId);
  }
}
