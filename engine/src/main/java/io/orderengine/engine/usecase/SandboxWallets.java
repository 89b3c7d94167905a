package io.orderengine.engine.usecase;

import static io.orderengine.engine.usecase.Asks.answer;

import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.payment.Provider;
import io.orderengine.engine.payment.sandbox.DemoWallets;
import io.orderengine.engine.payment.sandbox.SandboxCallbacks;
import io.orderengine.engine.payment.sandbox.SandboxGateway;
import io.orderengine.engine.payment.sandbox.SandboxTrade;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * The sandbox's outside world, for demos and tests: customers paying, declining and being called
 * back at the emulated WeChat Pay and Alipay ({@link DemoWallets}) and at the card terminal's sandbox.
 */
public final class SandboxWallets {
  private final ClusterSharding sharding;
  private final Duration askTimeout;
  /** Null when this node runs no sandbox. */
  private final SandboxCallbacks callbacks;
  /** Null when this node runs no sandbox. */
  private final DemoWallets wallets;

  public SandboxWallets(ActorSystem<?> system, Duration askTimeout, SandboxCallbacks callbacks, DemoWallets wallets) {
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = askTimeout;
    this.callbacks = callbacks;
    this.wallets = wallets;
  }

  /** The emulated WeChat Pay and Alipay this node serves, if it runs the sandbox. */
  public Optional<DemoWallets> wallets() {
    return Optional.ofNullable(wallets);
  }

  public boolean enabled() {
    return callbacks != null;
  }

  /** The sandbox providers call back to this base URL (the node's own HTTP address); no-op without the sandbox. */
  public void pointAt(String baseUrl) {
    if (callbacks != null) callbacks.pointAt(baseUrl);
    if (wallets != null) wallets.pointAt(baseUrl);
  }

  public CompletionStage<SandboxTrade.View> trade(Provider provider, String tradeNo) {
    if (wallets != null && wallets.serves(provider)) return wallets.trade(provider, tradeNo);
    return ref(provider, tradeNo).ask(SandboxTrade.Query::new, askTimeout).thenApply(v -> {
      if (!v.exists()) throw new Rejected(Rejection.NOT_FOUND, "no trade " + tradeNo + " at the " + provider.wire() + " sandbox");
      return v;
    });
  }

  public CompletionStage<SandboxTrade.View> customerPays(Provider provider, String tradeNo) {
    if (wallets != null && wallets.serves(provider)) return wallets.customerPays(provider, tradeNo);
    return answer(ref(provider, tradeNo).askWithStatus(r -> new SandboxTrade.CustomerPays(Instant.now(), r), askTimeout));
  }

  public CompletionStage<SandboxTrade.View> customerDeclines(Provider provider, String tradeNo, String reason) {
    if (wallets != null && wallets.serves(provider)) return wallets.customerDeclines(provider, tradeNo, reason);
    return answer(ref(provider, tradeNo).askWithStatus(r -> new SandboxTrade.CustomerDeclines(reason, Instant.now(), r),
        askTimeout));
  }

  public CompletionStage<SandboxTrade.View> redeliver(Provider provider, String tradeNo) {
    if (wallets != null && wallets.serves(provider)) return wallets.redeliver(provider, tradeNo);
    return answer(ref(provider, tradeNo).askWithStatus(SandboxTrade.Redeliver::new, askTimeout));
  }

  private EntityRef<SandboxTrade.Command> ref(Provider provider, String tradeNo) {
    if (callbacks == null || !SandboxGateway.SANDBOX_PROVIDERS.contains(provider)) {
      throw new Rejected(Rejection.NOT_FOUND, "no " + provider.wire() + " sandbox on this node");
    }
    return sharding.entityRefFor(SandboxTrade.ENTITY_KEY, SandboxTrade.entityId(provider, tradeNo));
  }
}
