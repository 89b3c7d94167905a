package io.orderengine.engine.payment.alipay;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How the emulated Alipay delivers its async notifications: a form POST signed with Alipay's key
 * (over every parameter but {@code sign} and {@code sign_type}), sent at once and again after each
 * interval of the re-send schedule until the merchant answers exactly {@code success}, with the
 * same {@code notify_id} every time. Deliveries run on one thread of their own, in order.
 */
final class AlipayNotifier implements AutoCloseable {
  private final PrivateKey alipayKey;
  private final List<Duration> redelivery;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService httpThreads;
  private final HttpClient http;
  private final AtomicInteger toLose = new AtomicInteger();
  private volatile boolean twice;

  AlipayNotifier(PrivateKey alipayKey, List<Duration> redelivery) {
    this.alipayKey = alipayKey;
    this.redelivery = List.copyOf(redelivery);
    this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("alipay-emulator-notify"));
    // the client's own threads, apart from the notify thread that blocks on it, so close() stops both
    this.httpThreads = Executors.newCachedThreadPool(daemon("alipay-emulator-http"));
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).executor(httpThreads).build();
  }

  /** One notification: the same {@code notify_id} and signed form on every re-send. */
  static final class Notice {
    final String url;
    final String form;
    final String notifyId;
    volatile boolean answered;
    int attempts; // only on the notify thread

    private Notice(String url, String form, String notifyId) {
      this.url = url;
      this.form = form;
      this.notifyId = notifyId;
    }
  }

  /** Signs the parameters and starts delivering them to {@code url}. */
  Notice send(String url, Map<String, String> params) {
    Map<String, String> p = new TreeMap<>(params);
    p.put("sign", AlipaySignature.sign(AlipaySignature.notificationContent(p), alipayKey));
    Notice n = new Notice(url, FormBody.encode(p), p.get("notify_id"));
    scheduler.execute(() -> deliver(n));
    return n;
  }

  /** One more POST of a notification, now, answered or not. */
  void again(Notice n) {
    scheduler.execute(() -> post(n));
  }

  void loseNext(int n) {
    toLose.set(n);
  }

  void sendTwice(boolean twice) {
    this.twice = twice;
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    httpThreads.shutdownNow();
  }

  private void deliver(Notice n) {
    if (n.answered) return;
    if (toLose.getAndUpdate(x -> Math.max(0, x - 1)) > 0) {
      retryLater(n);
      return;
    }
    boolean duplicate = twice;
    post(n);
    if (duplicate) post(n);
    if (!n.answered) retryLater(n);
  }

  private void retryLater(Notice n) {
    int attempt = n.attempts++;
    if (attempt >= redelivery.size() || scheduler.isShutdown()) return;
    scheduler.schedule(() -> deliver(n), redelivery.get(attempt).toMillis(), TimeUnit.MILLISECONDS);
  }

  private void post(Notice n) {
    try {
      HttpRequest post = HttpRequest.newBuilder(URI.create(n.url))
          .timeout(Duration.ofSeconds(5))
          .header("Content-Type", "application/x-www-form-urlencoded;charset=utf-8")
          .POST(HttpRequest.BodyPublishers.ofString(n.form, StandardCharsets.UTF_8))
          .build();
      HttpResponse<String> r = http.send(post, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      if (r.statusCode() == 200 && r.body().strip().equals("success")) n.answered = true;
    } catch (IOException | RuntimeException e) {
      // unanswered: the schedule sends it again
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
