package io.orderengine.engine;

import io.orderengine.engine.bill.Bill;
import io.orderengine.engine.bill.BillSettled;
import io.orderengine.engine.bill.BillSpec;
import io.orderengine.engine.bill.PaymentDesk;
import io.orderengine.engine.bill.PaymentOrder;
import io.orderengine.engine.bill.PaymentProgress;
import io.orderengine.engine.bill.TableDesk;
import io.orderengine.engine.member.Member;
import io.orderengine.engine.member.TopUpDesk;
import io.orderengine.engine.member.TopUpPayment;
import io.orderengine.engine.payment.Gateways;
import io.orderengine.engine.payment.OutcomeReports;
import io.orderengine.engine.payment.PaymentOutcome;
import io.orderengine.engine.payment.PaymentSaga;
import io.orderengine.engine.payment.Provider;
import io.orderengine.engine.payment.RefundOutcome;
import io.orderengine.engine.shift.Shift;
import io.orderengine.engine.staff.SessionNotices;
import io.orderengine.engine.staff.Staff;
import io.orderengine.engine.staff.StaffPolicy;
import io.orderengine.engine.table.BillDesk;
import io.orderengine.engine.table.PortionReturns;
import io.orderengine.engine.table.DinerOrdering;
import io.orderengine.engine.table.Table;
import io.orderengine.engine.usecase.MenuBoard;

import io.orderengine.engine.venue.Stock;
import io.orderengine.engine.venue.Venue;
import io.orderengine.engine.venue.VenueDirectory;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * Starts every entity type's sharding on this node and connects the ports each entity owns to the
 * entity that adapts them. The only place that knows the commands of more than one entity: the
 * entity packages import none of each other's.
 */
final class Entities {

  /** How long a saga may take to give the gateway's first answer before the bill answers its payer without it. */
  static final Duration FIRST_GATEWAY_ANSWER = Duration.ofSeconds(10);

  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final MenuBoard venues;

  private Entities(ActorSystem<?> system, Duration askTimeout, MenuBoard venues) {
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = askTimeout;
    this.venues = venues;
  }

  /** {@code venues}: each venue's settings, which bills open on and pay-first tables fire by. */
  static void start(ActorSystem<?> system, EngineSettings settings, MenuBoard venues, Gateways gateways,
      StaffPolicy staffPolicy, SessionNotices sessionNotices) {
    Entities e = new Entities(system, settings.askTimeout(), venues);
    Venue.init(system, settings.venueDefaults());
    VenueDirectory.init(system);
    io.orderengine.engine.payment.accounts.ProviderAccounts.init(system);
    Stock.init(system, e.holdCheck());
    Table.init(system, e.billDesk(), e.portionReturns());
    Bill.init(system, settings.serviceChargePercent(), settings.cashRoundingMinor(), e.tableDesk(), e.paymentDesk());
    Member.init(system, e.topUpDesk());
    Shift.init(system);
    Staff.init(system, staffPolicy, sessionNotices);
    PaymentSaga.init(system, gateways, settings.payments(), e.outcomeReports());
  }

  /** The stock asks a table whether the request behind a hold left its mark there. */
  private Stock.HoldCheck holdCheck() {
    return (tableId, requestId) -> sharding.entityRefFor(Table.ENTITY_KEY, tableId)
        .ask(r -> new Table.HasRequest(requestId, r), askTimeout);
  }

  /** A table hands its bills over, and tells a bill of a line voided on it. */
  private BillDesk billDesk() {
    return new BillDesk() {
      @Override
      public CompletionStage<?> open(BillSpec spec) {
        // the bill opens on its venue's terms of the moment; it keeps them from then on
        return venues.venue(VenueIds.venueOf(spec.billId())).thenCompose(venue -> {
          Bill.Terms terms = new Bill.Terms(venue.settings().serviceChargePercent(), venue.settings().cashRoundingMinor());
          return bill(spec.billId()).<Bill.View>askWithStatus(r -> new Bill.Open(spec, terms, Instant.now(), r), askTimeout);
        });
      }

      @Override
      public CompletionStage<?> removeLine(String billId, String lineId, String reason) {
        return bill(billId).<org.apache.pekko.Done>askWithStatus(
            r -> new Bill.RemoveLine(lineId, reason, Instant.now(), r), askTimeout);
      }
    };
  }

  /**
   * A table gives the portions of a voided line back to its venue's stock, keyed so a second call is
   * harmless; the key is made from the order's id, which names the venue.
   */
  private PortionReturns portionReturns() {
    return (returnId, portions) -> sharding.entityRefFor(Stock.ENTITY_KEY, VenueIds.venueOf(returnId))
        .<org.apache.pekko.Done>askWithStatus(r -> new Stock.Return(returnId, portions, Instant.now(), r), askTimeout);
  }

  /** A bill tells its table it is settled. */
  private TableDesk tableDesk() {
    return (BillSettled notice) -> {
      var table = sharding.entityRefFor(Table.ENTITY_KEY, notice.tableId());
      return table.<Table.View>askWithStatus(r -> new Table.RecordBillSettled(notice.billId(), notice.at(), r), askTimeout)
          .thenCompose(view -> firePaid(table, notice).thenApply(fired -> view));
    };
  }

  /**
   * At a pay-first venue the dishes of a bill go to the kitchen once it is paid: the table fires that
   * bill's lines, under a key made from the bill, so a redelivered notice fires nothing twice. A table
   * that cannot fire (its order closed or moved on) has nothing left to cook.
   */
  private CompletionStage<?> firePaid(org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef<Table.Command> table,
      BillSettled notice) {
    return venues.venue(VenueIds.venueOf(notice.tableId())).thenCompose(venue ->
        venue.settings().dinerOrdering() != DinerOrdering.PAY_FIRST
            ? java.util.concurrent.CompletableFuture.completedFuture(null)
            : table.<Table.View>askWithStatus(r -> new Table.Fire("paid:" + notice.billId(), notice.billId(), notice.at(), r),
                    askTimeout)
                .exceptionally(failure -> {
                  if (Rejected.unwrap(failure) instanceof Rejected) return null;
                  throw failure instanceof RuntimeException re ? re : new java.util.concurrent.CompletionException(failure);
                }));
  }

  /** A bill starts the saga of a non-cash payment, and asks it for refunds. */
  private PaymentDesk paymentDesk() {
    return new PaymentDesk() {
      @Override
      public CompletionStage<PaymentProgress> start(PaymentOrder order) {
        PaymentSaga.Spec spec = new PaymentSaga.Spec(order.paymentId(), order.billId(), order.tableId(),
            Provider.valueOf(order.method().name()), order.amountMinor(), order.authCode(), order.memberId(),
            "bill " + order.billId() + " table " + order.tableId(), order.openid());
        return saga(order.paymentId())
            .<PaymentSaga.View>askWithStatus(r -> new PaymentSaga.Start(spec, order.at(), r), FIRST_GATEWAY_ANSWER)
            .thenApply(view -> new PaymentProgress(view.qrCodeUrl(), view.jsapi()));
      }

      @Override
      public CompletionStage<?> refund(String paymentId, String refundId, long amountMinor) {
        return saga(paymentId).<PaymentSaga.View>askWithStatus(r -> new PaymentSaga.Refund(refundId, amountMinor, Instant.now(), r),
            FIRST_GATEWAY_ANSWER);
      }
    };
  }

  /**
   * A member starts the saga of a top-up paid by wallet or card. The saga is told no more than a bill's
   * tender tells it: the spec has no bill (null billId, null tableId) and draws on no member account;
   * its payment id ({@code <memberId>-TU<n>}) names the member, as it names the venue.
   */
  private TopUpDesk topUpDesk() {
    return order -> {
      PaymentSaga.Spec spec = new PaymentSaga.Spec(order.paymentId(), null, null, Provider.valueOf(order.method()),
          order.amountMinor(), order.authCode(), null, "member " + VenueIds.localOf(order.memberId()) + " top-up");
      return saga(order.paymentId())
          .<PaymentSaga.View>askWithStatus(r -> new PaymentSaga.Start(spec, order.at(), r), FIRST_GATEWAY_ANSWER)
          .thenApply(view -> new TopUpDesk.Progress(view.qrCodeUrl()));
    };
  }

  /**
   * A saga reports how its payment and its refunds ended to whoever took the payment: the member whose
   * top-up it is (a payment id {@code <memberId>-TU<n>}), else the bill that took the tender.
   */
  private OutcomeReports outcomeReports() {
    return new OutcomeReports() {
      @Override
      public CompletionStage<?> payment(PaymentOutcome o) {
        Optional<String> member = Member.memberIdOfTopUp(o.paymentId());
        if (member.isPresent()) {
          return sharding.entityRefFor(Member.ENTITY_KEY, member.get()).<org.apache.pekko.Done>askWithStatus(
              r -> new Member.RecordTopUpOutcome(o.paymentId(), TopUpPayment.Status.valueOf(o.result().name()),
                  o.gatewayTxnId(), o.failureCode(), o.failureReason(), o.at(), r), askTimeout);
        }
        return bill(o.billId()).<org.apache.pekko.Done>askWithStatus(r -> new Bill.RecordPaymentOutcome(o.paymentId(),
            Bill.PaymentStatus.valueOf(o.result().name()), o.gatewayTxnId(), o.failureCode(), o.failureReason(), o.at(), r),
            askTimeout);
      }

      @Override
      public CompletionStage<?> refund(RefundOutcome o) {
        if (Member.memberIdOfTopUp(o.paymentId()).isPresent()) {
          // nobody asks a top-up's saga for a refund; its compensation refunds are never reported
          return CompletableFuture.failedFuture(new Rejected(Rejection.NOT_FOUND, "a top-up has no refunds to hear of"));
        }
        return bill(o.billId()).<org.apache.pekko.Done>askWithStatus(
            r -> new Bill.RecordRefundOutcome(o.refundId(), o.paymentId(), o.succeeded(), o.reason(), o.at(), r), askTimeout);
      }
    };
  }

  private org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef<PaymentSaga.Command> saga(String paymentId) {
    return sharding.entityRefFor(PaymentSaga.ENTITY_KEY, paymentId);
  }

  private org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef<Bill.Command> bill(String billId) {
    return sharding.entityRefFor(Bill.ENTITY_KEY, billId);
  }
}
