package io.orderengine.engine.bill;

import io.orderengine.engine.Courier;
import io.orderengine.engine.Decision;
import io.orderengine.engine.DomainEntity;
import io.orderengine.engine.bill.Bill.ApplyDiscount;
import io.orderengine.engine.bill.Bill.Command;
import io.orderengine.engine.bill.Bill.Delivery;
import io.orderengine.engine.bill.Bill.Event;
import io.orderengine.engine.bill.Bill.Get;
import io.orderengine.engine.bill.Bill.Open;
import io.orderengine.engine.bill.Bill.Pay;
import io.orderengine.engine.bill.Bill.PaymentReply;
import io.orderengine.engine.bill.Bill.RecordPaymentOutcome;
import io.orderengine.engine.bill.Bill.RecordRefundOutcome;
import io.orderengine.engine.bill.Bill.Refund;
import io.orderengine.engine.bill.Bill.RefundReply;
import io.orderengine.engine.bill.Bill.RemoveLine;
import io.orderengine.engine.bill.Bill.Terms;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * The bill's event-sourced shell: each command decided by {@link BillState}, persisted, and
 * answered; what the bill then owes (a saga to start, a refund to ask for, the table to tell) goes
 * out through a {@link Courier}, and the callers that wait for it are answered by {@link Callers}.
 */
final class BillEntity extends DomainEntity<Command, Event, BillState> {

  private static final Duration RESEND_AFTER = Duration.ofSeconds(2);

  /** {@code defaults}: the terms of a bill opened without the venue's. */
  static Behavior<Command> create(String billId, Terms defaults, TableDesk tables, PaymentDesk payments) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      Courier<Command, Owed> courier = new Courier<>(ctx, timers, Delivery::new, Owed::key, o -> send(o, tables, payments),
          RESEND_AFTER);
      return new BillEntity(billId, defaults, courier);
    }));
  }

  private static CompletionStage<?> send(Owed owed, TableDesk tables, PaymentDesk payments) {
    if (owed instanceof Owed.PaymentToStart p) return payments.start(p.order());
    if (owed instanceof Owed.RefundToAsk r) return payments.refund(r.paymentId(), r.refundId(), r.amountMinor());
    return tables.settled(((Owed.SettlementToAnnounce) owed).notice());
  }

  private final String billId;
  private final Terms defaults;
  private final Courier<Command, Owed> courier;
  private final Callers callers = new Callers();

  private BillEntity(String billId, Terms defaults, Courier<Command, Owed> courier) {
    super(Bill.ENTITY_KEY, billId, Bill.TAG_PREFIX, Bill.TAG_COUNT);
    this.billId = billId;
    this.defaults = defaults;
    this.courier = courier;
  }

  @Override
  public BillState emptyState() {
    return BillState.empty(billId);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, BillState> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Open.class, (s, c) -> {
          Terms terms = c.terms() == null ? defaults : c.terms();
          return answer(s.decideOpen(c.spec(), terms.serviceChargePercent(), terms.cashRoundingMinor(), c.at()),
              c.replyTo(), BillState::view);
        })
        .onCommand(Pay.class, (s, c) -> answer(
            s.decidePay(c.requestId(), c.method(), c.amountMinor(), c.tenderedMinor(), c.authCode(), c.memberId(),
                c.takenBy(), c.terminal(), c.openid(), c.at()),
            c.replyTo(), after -> new PaymentReply(after.paymentAnswering(c.requestId(), c.terminal()).orElseThrow(), after.view()),
            after -> Callers.awaitedByPayer(after, c.requestId())))
        .onCommand(ApplyDiscount.class, (s, c) ->
            answer(s.decideDiscount(c.requestId(), c.type(), c.value(), c.reason(), c.at()), c.replyTo(), BillState::view))
        .onCommand(RecordPaymentOutcome.class, (s, c) -> answer(
            s.decidePaymentOutcome(c.paymentId(), c.status(), c.gatewayTxnId(), c.failureCode(), c.failureReason(), c.at()),
            c.replyTo(), after -> Done.getInstance()))
        .onCommand(Refund.class, (s, c) -> answer(
            s.decideRefund(c.requestId(), c.paymentId(), c.amountMinor(), c.reason(), c.takenBy(), c.terminalId(),
                c.terminalRef(), c.at()),
            c.replyTo(), after -> new RefundReply(
                after.refundAnswering(c.requestId(), c.paymentId(), c.terminalId(), c.terminalRef()).orElseThrow(),
                after.view())))
        .onCommand(RecordRefundOutcome.class, (s, c) -> answer(
            s.decideRefundOutcome(c.refundId(), c.succeeded(), c.reason(), c.at()), c.replyTo(), after -> Done.getInstance()))
        .onCommand(RemoveLine.class, (s, c) ->
            answer(s.decideRemoveLine(c.lineId(), c.reason(), c.at()), c.replyTo(), after -> Done.getInstance()))
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), s.view()))
        .onCommand(Delivery.class, this::onDelivery)
        .build();
  }

  private <R> ReplyEffect<Event, BillState> answer(Decision<Event> decision, ActorRef<StatusReply<R>> replyTo,
      Function<BillState, R> reply) {
    return answer(decision, replyTo, reply, Callers::awaitedByAnyone);
  }

  /**
   * Persists what the core decided, sends what the bill now owes, and answers the caller once what
   * {@code awaited} names has been delivered (nothing: at once).
   */
  private <R> ReplyEffect<Event, BillState> answer(Decision<Event> decision, ActorRef<StatusReply<R>> replyTo,
      Function<BillState, R> reply, Function<BillState, Optional<String>> awaited) {
    if (decision instanceof Decision.Refused<Event> refused) return Effect().reply(replyTo, refused.rejected().toReply());
    return Effect().persist(decision.orThrow()).thenRun(after -> {
      courier.deliver(after.owed());
      callers.answer(after, awaited.apply(after), s -> replyTo.tell(StatusReply.success(reply.apply(s))));
    }).thenNoReply();
  }

  private ReplyEffect<Event, BillState> onDelivery(BillState s, Delivery c) {
    return courier.handle(c.report(), s::owed,
            key -> callers.release(key, s), // the caller hears what the bill knows; the courier goes on trying
            (key, answer) -> persistDelivery(key, s.decideDelivered(key, answer, Instant.now())),
            (key, refusal) -> persistDelivery(key, s.decideRefused(key, refusal.code(), refusal.detail(), Instant.now())))
        .orElseGet(Effect()::noReply);
  }

  /** What the bill makes of the receiver's word on {@code key}; its callers hear of it. */
  private ReplyEffect<Event, BillState> persistDelivery(String key, Decision<Event> decision) {
    return Effect().persist(decision.orThrow()).thenRun(after -> {
      courier.deliver(after.owed());
      callers.release(key, after);
    }).thenNoReply();
  }

  @Override
  public SignalHandler<BillState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), s -> courier.deliver(s.owed()))
        .build();
  }
}
