package io.orderengine.engine.payment.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderengine.engine.payment.CallbackSignature;
import io.orderengine.engine.payment.Provider;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

/**
 * How the sandbox providers call the merchant back: a signed POST over real HTTP to the node's
 * webhook, {@code <base>/api/v1/gateways/<provider>/notify}, in the shape of a WeChat Pay v3
 * notification. A 2xx answer is the merchant's acknowledgement.
 */
public final class SandboxCallbacks implements SandboxTrade.Webhook {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  private final Map<Provider, PrivateKey> keys = new EnumMap<>(Provider.class);
  private final AtomicReference<String> baseUrl = new AtomicReference<>();

  public SandboxCallbacks() {
    // the card terminal's, and the wallets' of releases before the emulators: their trades, still in the journal, call back too
    for (Provider p : SandboxGateway.RETIRED_AND_LIVE) {
      keys.put(p, CallbackSignature.privateKey(CallbackSignature.resource("sandbox-keys/" + p.wire() + "-private.pem")));
    }
  }

  /** Where the merchant's webhook listens, e.g. {@code http://127.0.0.1:8080}; known once the HTTP port is bound. */
  public void pointAt(String merchantBaseUrl) {
    baseUrl.set(merchantBaseUrl.endsWith("/") ? merchantBaseUrl.substring(0, merchantBaseUrl.length() - 1) : merchantBaseUrl);
  }

  /** Header names of each provider's callbacks. */
  public static String headerPrefix(Provider provider) {
    return switch (provider) {
      case WECHAT -> "Wechatpay-";
      case ALIPAY -> "Alipay-";
      case CARD -> "Card-";
      case MEMBER -> "Member-";
    };
  }

  @Override
  public CompletionStage<Boolean> call(SandboxTrade.View trade, String notificationId) {
    String base = baseUrl.get();
    if (base == null) return CompletableFuture.completedFuture(false);
    String body = body(trade, notificationId);
    String timestamp = Long.toString(Instant.now().getEpochSecond());
    byte[] nonceBytes = new byte[16];
    RANDOM.nextBytes(nonceBytes);
    String nonce = HexFormat.of().formatHex(nonceBytes);
    String prefix = headerPrefix(trade.provider());
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v1/gateways/" + trade.provider().wire() + "/notify"))
        .timeout(Duration.ofSeconds(5))
        .header("Content-Type", "application/json")
        .header(prefix + "Timestamp", timestamp)
        .header(prefix + "Nonce", nonce)
        .header(prefix + "Serial", "SANDBOX-" + trade.provider().wire().toUpperCase())
        .header(prefix + "Signature", CallbackSignature.sign(keys.get(trade.provider()), timestamp, nonce, body))
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .thenApply(r -> r.statusCode() / 100 == 2)
        .exceptionally(e -> false);
  }

  static String body(SandboxTrade.View trade, String notificationId) {
    ObjectNode n = JSON.createObjectNode();
    n.put("id", notificationId);
    n.put("create_time", Instant.now().toString());
    boolean paid = trade.state() == SandboxTrade.TradeState.SUCCESS;
    n.put("event_type", paid ? "TRANSACTION.SUCCESS" : "TRANSACTION.FAIL");
    ObjectNode r = n.putObject("resource");
    r.put("out_trade_no", trade.tradeNo());
    r.put("transaction_id", trade.transactionId());
    r.put("trade_state", trade.state().name());
    r.put("trade_state_desc", trade.reason());
    r.putObject("amount").put("total", trade.amountMinor()).put("currency", "CNY");
    return n.toString();
  }
}
