package io.orderengine.engine.payment.wechat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.wechat.pay.java.core.cipher.AeadAesCipher;
import com.wechat.pay.java.core.cipher.Signer;
import com.wechat.pay.java.core.util.NonceUtil;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The emulator's callbacks, sent as WeChat Pay sends them: the resource encrypted with the merchant's
 * APIv3 key, the body signed with the platform key, posted to the notify URL and posted again on
 * WeChat's schedule until the receiver answers 200 or 204. Faults: lose callbacks, send each twice.
 */
final class WechatCallbackSender {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One callback, encrypted once and sent as often as it takes, always with the same id. */
  record Callback(String id, String url, String body) {}

  private final HttpClient http;
  private final ScheduledExecutorService scheduler;
  private final List<Duration> schedule;
  private final Clock clock;
  private final Signer platform;
  private final AtomicInteger toLose = new AtomicInteger();
  private final AtomicBoolean duplicate = new AtomicBoolean();
  private final AtomicReference<Callback> last = new AtomicReference<>();
  private final AtomicInteger acknowledged = new AtomicInteger();

  WechatCallbackSender(HttpClient http, ScheduledExecutorService scheduler, List<Duration> schedule, Clock clock,
      Signer platform) {
    this.http = http;
    this.scheduler = scheduler;
    this.schedule = List.copyOf(schedule);
    this.clock = clock;
    this.platform = platform;
  }

  /** Encrypts and sends a callback about a trade ({@code originalType} "transaction") or a refund ("refund"). */
  Callback send(String url, String apiV3Key, String eventType, String summary, String originalType, ObjectNode resource) {
    String nonce = NonceUtil.createNonce(12);
    String ciphertext = new AeadAesCipher(apiV3Key.getBytes(StandardCharsets.US_ASCII)).encrypt(
        originalType.getBytes(StandardCharsets.UTF_8), nonce.getBytes(StandardCharsets.UTF_8),
        write(resource).getBytes(StandardCharsets.UTF_8));
    ObjectNode body = JSON.createObjectNode();
    body.put("id", UUID.randomUUID().toString());
    body.put("create_time", EmulatedTrade.RFC3339.format(clock.instant().atZone(EmulatedTrade.CHINA)));
    body.put("resource_type", "encrypt-resource");
    body.put("event_type", eventType);
    body.put("summary", summary);
    body.putObject("resource").put("original_type", originalType).put("algorithm", "AEAD_AES_256_GCM")
        .put("ciphertext", ciphertext).put("associated_data", originalType).put("nonce", nonce);
    Callback callback = new Callback(body.get("id").asText(), url, write(body));
    last.set(callback);
    if (toLose.getAndUpdate(n -> Math.max(0, n - 1)) > 0) return callback;
    attempt(callback, 0);
    if (duplicate.get()) attempt(callback, schedule.size());
    return callback;
  }

  /** Sends the last callback once more, as WeChat does when it had no answer it took for one. */
  void redeliver() {
    Callback callback = last.get();
    if (callback == null) throw new IllegalStateException("no callback was sent yet");
    attempt(callback, schedule.size());
  }

  /** Sends a callback sent before once more, with its id. */
  void redeliver(Callback callback) {
    attempt(callback, schedule.size());
  }

  void loseNext(int count) {
    toLose.set(count);
  }

  void duplicateEach(boolean on) {
    duplicate.set(on);
  }

  /** Deliveries a receiver answered 200 or 204. */
  int acknowledged() {
    return acknowledged.get();
  }

  /** Posts once; unless taken, posts again after the schedule's next pause ({@code retry} counts the retries so far). */
  private void attempt(Callback callback, int retry) {
    String timestamp = Long.toString(clock.instant().getEpochSecond());
    String nonce = NonceUtil.createNonce(32);
    var signature = platform.sign(WechatPayAuthorization.answerMessage(timestamp, nonce, callback.body()));
    HttpRequest request;
    try {
      request = HttpRequest.newBuilder(URI.create(callback.url())).timeout(Duration.ofSeconds(5))
          .header("Content-Type", "application/json")
          .header("Wechatpay-Serial", signature.getCertificateSerialNumber())
          .header("Wechatpay-Signature", signature.getSign())
          .header("Wechatpay-Timestamp", timestamp)
          .header("Wechatpay-Nonce", nonce)
          .header("Wechatpay-Signature-Type", WechatPayAuthorization.SCHEMA)
          .POST(HttpRequest.BodyPublishers.ofString(callback.body(), StandardCharsets.UTF_8)).build();
    } catch (IllegalArgumentException e) {
      return;
    }
    http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
      boolean taken = failure == null && (response.statusCode() == 200 || response.statusCode() == 204);
      if (taken) {
        acknowledged.incrementAndGet();
      } else if (retry < schedule.size()) {
        try {
          scheduler.schedule(() -> attempt(callback, retry + 1), schedule.get(retry).toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
          // the emulator was closed: WeChat Pay is gone, and with it the retries
        }
      }
    });
  }

  private static String write(ObjectNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
