package io.orderengine.engine.member;

import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.payment.BadSignature;
import io.orderengine.engine.payment.Gateway;
import io.orderengine.engine.payment.Notification;
import io.orderengine.engine.payment.Provider;
import io.orderengine.engine.payment.RefundResult;
import io.orderengine.engine.payment.TradeRef;
import io.orderengine.engine.payment.TradeResult;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/** Member stored value seen as a gateway, so a member payment runs through the same durable saga as a wallet's. */
public final class MemberWallet implements Gateway {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private final ClusterSharding sharding;

  public MemberWallet(ActorSystem<?> system) {
    this.sharding = ClusterSharding.get(system);
  }

  @Override
  public Provider provider() {
    return Provider.MEMBER;
  }

  private EntityRef<Member.Command> member(TradeRef trade) {
    return sharding.entityRefFor(Member.ENTITY_KEY, trade.account());
  }

  @Override
  public CompletionStage<TradeResult> createQrTrade(String tradeNo, long amountMinor, String description) {
    return CompletableFuture.completedFuture(TradeResult.of(TradeResult.Status.DECLINED, "a member pays from the account, not by QR"));
  }

  @Override
  public CompletionStage<TradeResult> payWithCode(TradeRef trade, long amountMinor, String authCode, String description) {
    return member(trade).<Member.View>askWithStatus(r -> new Member.Debit(trade.tradeNo(), amountMinor, Instant.now(), r), TIMEOUT)
        .handle((view, failure) -> {
          if (failure == null) return new TradeResult(TradeResult.Status.SUCCEEDED, trade.tradeNo(), amountMinor, null, null);
          Throwable t = Rejected.unwrap(failure);
          if (t instanceof Rejected r && r.code() == Rejection.INSUFFICIENT_BALANCE) {
            return TradeResult.of(TradeResult.Status.INSUFFICIENT_BALANCE, r.detail());
          }
          if (t instanceof Rejected r) return TradeResult.of(TradeResult.Status.DECLINED, r.detail());
          throw new CompletionException(t);
        });
  }

  @Override
  public CompletionStage<TradeResult> query(TradeRef trade) {
    return member(trade).ask(Member.Get::new, TIMEOUT).thenApply(view -> {
      Long debited = view.debits().get(trade.tradeNo());
      return debited == null
          ? TradeResult.of(TradeResult.Status.NOT_FOUND, "no debit " + trade.tradeNo())
          : new TradeResult(TradeResult.Status.SUCCEEDED, trade.tradeNo(), debited, null, null);
    });
  }

  /** A debit either happened or did not; there is nothing pending to close. */
  @Override
  public CompletionStage<TradeResult> close(TradeRef trade) {
    return query(trade).thenApply(r -> r.status() == TradeResult.Status.NOT_FOUND
        ? TradeResult.of(TradeResult.Status.CLOSED, "closed") : r);
  }

  @Override
  public CompletionStage<RefundResult> refund(TradeRef trade, String refundNo, long amountMinor) {
    return member(trade).<Member.View>askWithStatus(
            r -> new Member.Credit(refundNo, trade.tradeNo(), amountMinor, Instant.now(), r), TIMEOUT)
        .handle((view, failure) -> {
          if (failure == null) return new RefundResult(RefundResult.Status.SUCCEEDED, null);
          Throwable t = Rejected.unwrap(failure);
          if (t instanceof Rejected r) return new RefundResult(RefundResult.Status.REJECTED, r.detail());
          throw new CompletionException(t);
        });
  }

  @Override
  public CompletionStage<RefundResult> queryRefund(TradeRef trade, String refundNo) {
    return member(trade).ask(Member.Get::new, TIMEOUT).thenApply(view -> view.credits().containsKey(refundNo)
        ? new RefundResult(RefundResult.Status.SUCCEEDED, null)
        : new RefundResult(RefundResult.Status.NOT_FOUND, null));
  }

  /** Stored value is the venue's own money: there is no outside statement to reconcile against. */
  @Override
  public CompletionStage<java.util.List<io.orderengine.engine.payment.StatementLine>> statement(java.time.LocalDate date,
      java.time.ZoneId zone) {
    return CompletableFuture.completedFuture(java.util.List.of());
  }

  @Override
  public Notification verifyCallback(Map<String, String> headers, String body) throws BadSignature {
    throw new BadSignature("member stored value sends no callbacks");
  }
}
