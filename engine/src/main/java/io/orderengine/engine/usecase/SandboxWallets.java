package io.orderengine.engine.usecase;

import static io.orderengine.engine.usecase.Asks.answer;

import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.payment.Provider;
import io.orderengine.engine.payment.sandbox.SandboxCallbacks;
import io.orderengine.engine.payment.sandbox.SandboxGateway;
import io.orderengine.engine.payment.sandbox.SandboxTrade;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/** The sandbox wallets: the outside world's customers paying, declining and being called back, for demos and tests. */
public final class SandboxWallets {
  private final ClusterSharding sharding;
  private final Duration askTimeout;
  /** Null when this node runs no sandbox. */
  private final SandboxCallbacks callbacks;

  public SandboxWallets(ActorSystem<?> system, Duration askTimeout, SandboxCallbacks callbacks) {
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = askTimeout;
    this.callbacks = callbacks;
  }

  public boolean enabled() {
    return callbacks != null;
  }

  /** The sandbox providers call back to this base URL (the node's own HTTP address); no-op without the sandbox. */
  public void pointAt(String baseUrl) {
    if (callbacks != null) callbacks.pointAt(baseUrl);
  }

  public CompletionStage<SandboxTrade.View> trade(Provider provider, String tradeNo) {
    return ref(provider, tradeNo).ask(SandboxTrade.Query::new, askTimeout).thenApply(v -> {
      if (!v.exists()) throw new Rejected(Rejection.NOT_FOUND, "no trade " + tradeNo + " at the " + provider.wire() + " sandbox");
      return v;
    });
  }

  public CompletionStage<SandboxTrade.View> customerPays(Provider provider, String tradeNo) {
    return answer(ref(provider, tradeNo).askWithStatus(r -> new SandboxTrade.CustomerPays(Instant.now(), r), askTimeout));
  }

  public CompletionStage<SandboxTrade.View> customerDeclines(Provider provider, String tradeNo, String reason) {
    return answer(ref(provider, tradeNo).askWithStatus(r -> new SandboxTrade.CustomerDeclines(reason, Instant.now(), r),
        askTimeout));
  }

  public CompletionStage<SandboxTrade.View> redeliver(Provider provider, String tradeNo) {
    return answer(ref(provider, tradeNo).askWithStatus(SandboxTrade.Redeliver::new, askTimeout));
  }

  private EntityRef<SandboxTrade.Command> ref(Provider provider, String tradeNo) {
    if (callbacks == null || !SandboxGateway.SANDBOX_PROVIDERS.contains(provider)) {
      throw new Rejected(Rejection.NOT_FOUND, "no " + provider.wire() + " sandbox on this node");
    }
    return sharding.entityRefFor(SandboxTrade.ENTITY_KEY, SandboxTrade.entityId(provider, tradeNo));
  }
}
