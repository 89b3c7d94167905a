package io.orderengine.engine.payment.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderengine.engine.Rejected;
import io.orderengine.engine.payment.BadSignature;
import io.orderengine.engine.payment.CallbackSignature;
import io.orderengine.engine.payment.Gateway;
import io.orderengine.engine.payment.Notification;
import io.orderengine.engine.payment.Provider;
import io.orderengine.engine.payment.RefundResult;
import io.orderengine.engine.payment.StatementLine;
import io.orderengine.engine.payment.TradeResult;
import io.orderengine.engine.payment.TradeRef;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * The engine's client of a sandbox provider. It talks to the sandbox trades the way a real client
 * talks to WeChat Pay or Alipay, and verifies the sandbox's callbacks with the provider's public key.
 */
public final class SandboxGateway implements Gateway {
  /** The integrated card terminal; the demo's wallets are emulated over their own protocols ({@link DemoWallets}). */
  public static final List<Provider> SANDBOX_PROVIDERS = List.of(Provider.CARD);
  /**
   * The card terminal, and the wallets this sandbox stood in for before the emulators: a demo node
   * upgraded from such a release still finds those trades here ({@link DemoWallets} asks).
   */
  static final List<Provider> RETIRED_AND_LIVE = List.of(Provider.WECHAT, Provider.ALIPAY, Provider.CARD);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final Provider provider;
  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  private final PublicKey publicKey;

  public SandboxGateway(ActorSystem<?> system, Provider provider) {
    this.provider = provider;
    this.system = system;
    this.sharding = ClusterSharding.get(system);
    this.publicKey = CallbackSignature.publicKey(CallbackSignature.resource("sandbox-keys/" + provider.wire() + "-public.pem"));
  }

  @Override
  public Provider provider() {
    return provider;
  }

  private EntityRef<SandboxTrade.Command> trade(String tradeNo) {
    return sharding.entityRefFor(SandboxTrade.ENTITY_KEY, SandboxTrade.entityId(provider, tradeNo));
  }

  @Override
  public CompletionStage<TradeResult> createQrTrade(String tradeNo, long amountMinor, String description) {
    return trade(tradeNo).<SandboxTrade.View>askWithStatus(r -> new SandboxTrade.Create(amountMinor, description, null, Instant.now(), r), TIMEOUT)
        .thenApply(this::result);
  }

  @Override
  public CompletionStage<TradeResult> payWithCode(TradeRef ref, long amountMinor, String authCode, String description) {
    String tradeNo = ref.tradeNo();
    String code = authCode == null || authCode.isBlank() ? "TAP" : authCode;
    return trade(tradeNo).<SandboxTrade.View>askWithStatus(r -> new SandboxTrade.Create(amountMinor, description, code, Instant.now(), r), TIMEOUT)
        .thenApply(this::result);
  }

  @Override
  public CompletionStage<TradeResult> query(TradeRef ref) {
    return trade(ref.tradeNo()).ask(SandboxTrade.Query::new, TIMEOUT).thenApply(this::result);
  }

  @Override
  public CompletionStage<TradeResult> close(TradeRef ref) {
    return trade(ref.tradeNo()).<SandboxTrade.View>ask(r -> new SandboxTrade.Close(Instant.now(), r), TIMEOUT).thenApply(this::result);
  }

  @Override
  public CompletionStage<RefundResult> refund(TradeRef ref, String refundNo, long amountMinor) {
    return trade(ref.tradeNo()).<SandboxTrade.View>askWithStatus(r -> new SandboxTrade.Refund(refundNo, amountMinor, Instant.now(), r), TIMEOUT)
        .handle((view, failure) -> {
          if (failure == null) return refundResult(view, refundNo);
          Throwable t = Rejected.unwrap(failure);
          if (t instanceof Rejected r) return new RefundResult(RefundResult.Status.REJECTED, r.detail());
          throw new java.util.concurrent.CompletionException(t);
        });
  }

  @Override
  public CompletionStage<RefundResult> queryRefund(TradeRef ref, String refundNo) {
    return trade(ref.tradeNo()).ask(SandboxTrade.Query::new, TIMEOUT).thenApply(view -> refundResult(view, refundNo));
  }

  /**
   * The statement as the provider would send it: every trade whose payment completed on the day,
   * built from the sandbox's own journal of trades.
   */
  @Override
  public CompletionStage<List<StatementLine>> statement(java.time.LocalDate date, java.time.ZoneId zone) {
    var journal = org.apache.pekko.persistence.query.PersistenceQuery.get(system)
        .getReadJournalFor(org.apache.pekko.persistence.query.javadsl.CurrentEventsByTagQuery.class, "jdbc-read-journal");
    return journal.currentEventsByTag(SandboxTrade.tagOf(provider), org.apache.pekko.persistence.query.Offset.noOffset())
        .runFold(new java.util.LinkedHashMap<String, SandboxTradeState>(), (trades, env) -> {
          String tradeNo = env.persistenceId().substring(env.persistenceId().indexOf(':') + 1);
          SandboxTradeState s = trades.getOrDefault(tradeNo, SandboxTradeState.empty(provider, tradeNo));
          trades.put(tradeNo, s.apply((SandboxTrade.Event) env.event()));
          return trades;
        }, system)
        .thenApply(trades -> trades.values().stream()
            .map(SandboxTradeState::view)
            .filter(v -> v.state() == SandboxTrade.TradeState.SUCCESS && v.finishedAt() != null
                && v.finishedAt().atZone(zone).toLocalDate().equals(date))
            .map(v -> new StatementLine(v.tradeNo(), v.transactionId(), "SUCCESS", v.amountMinor(),
                v.refunds().stream().filter(r -> r.state() == SandboxTrade.RefundState.SUCCESS)
                    .mapToLong(SandboxTrade.RefundView::amountMinor).sum(),
                v.finishedAt()))
            .toList());
  }

  @Override
  public Notification verifyCallback(Map<String, String> headers, String body) throws BadSignature {
    Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    h.putAll(headers);
    String prefix = SandboxCallbacks.headerPrefix(provider);
    CallbackSignature.verify(publicKey, h.get(prefix + "Timestamp"), h.get(prefix + "Nonce"), body,
        h.get(prefix + "Signature"), Instant.now());
    try {
      JsonNode n = JSON.readTree(body);
      JsonNode r = n.path("resource");
      String tradeNo = r.path("out_trade_no").asText(null);
      String notificationId = n.path("id").asText(null);
      if (tradeNo == null || notificationId == null) throw new BadSignature("the callback names no trade");
      TradeResult.Status status = switch (r.path("trade_state").asText("").toUpperCase(Locale.ROOT)) {
        case "SUCCESS" -> TradeResult.Status.SUCCEEDED;
        case "PAYERROR" -> TradeResult.Status.DECLINED;
        case "CLOSED" -> TradeResult.Status.CLOSED;
        default -> TradeResult.Status.PENDING;
      };
      return new Notification(notificationId, provider, tradeNo, status, r.path("transaction_id").asText(null),
          r.path("amount").path("total").asLong(), r.path("trade_state_desc").asText(null));
    } catch (java.io.IOException e) {
      throw new BadSignature("the callback body is not JSON");
    }
  }

  private TradeResult result(SandboxTrade.View v) {
    if (!v.exists()) return TradeResult.of(TradeResult.Status.NOT_FOUND, "no such trade");
    TradeResult.Status status = switch (v.state()) {
      case NOTPAY, USERPAYING -> TradeResult.Status.PENDING;
      case SUCCESS -> TradeResult.Status.SUCCEEDED;
      case CLOSED -> TradeResult.Status.CLOSED;
      case PAYERROR -> TradeResult.Status.DECLINED;
    };
    String qr = v.qr() ? "/sandbox/" + provider.wire() + "/trades/" + v.tradeNo() : null;
    return new TradeResult(status, v.transactionId(), v.amountMinor(), qr, v.reason());
  }

  private static RefundResult refundResult(SandboxTrade.View v, String refundNo) {
    return v.refund(refundNo)
        .map(r -> new RefundResult(r.state() == SandboxTrade.RefundState.SUCCESS
            ? RefundResult.Status.SUCCEEDED : RefundResult.Status.PROCESSING, null))
        .orElse(new RefundResult(RefundResult.Status.NOT_FOUND, "no refund " + refundNo));
  }
}
