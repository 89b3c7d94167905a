package io.orderengine.engine.payment.alipay;

import io.orderengine.engine.payment.alipay.AlipayRecords.Notice;
import io.orderengine.engine.payment.alipay.AlipayRecords.Trade;
import io.orderengine.engine.payment.wire.EmulatorRecords;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 *
 * <p>Each notification is kept as a {@link Notice} record in the emulator's store, where it is
 * marked answered, so any emulator sharing the store can send it again and sees it answered. The
 * re-send schedule is this instance's alone: when its node stops, its pending re-sends stop with
 * it, and the merchant's query finds the trade's state instead.
 */
final class AlipayNotifier implements AutoCloseable {
  private final PrivateKey alipayKey;
  private final List<Duration> redelivery;
  private final EmulatorRecords<Notice> notices;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService httpThreads;
  private final HttpClient http;
  private final AtomicInteger toLose = new AtomicInteger();
  private volatile boolean twice;

  AlipayNotifier(PrivateKey alipayKey, List<Duration> redelivery, EmulatorRecords<Notice> notices) {
    this.alipayKey = alipayKey;
    this.redelivery = List.copyOf(redelivery);
    this.notices = notices;
    this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("alipay-emulator-notify"));
    // the client's own threads, apart from the notify thread that blocks on it, so close() stops both
    this.httpThreads = Executors.newCachedThreadPool(daemon("alipay-emulator-http"));
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).executor(httpThreads).build();
  }

  /** A delivery this instance has scheduled; only the notify thread touches it. */
  private static final class Pending {
    final Notice notice;
    int attempts;

    Pending(Notice notice) {
      this.notice = notice;
    }
  }

  /**
   * A trade's state (and, for a refund, the refund's fields) as a notification under the trade's
   * last {@code notify_id}, sent now; nothing when the trade has no {@code notify_url}.
   */
  void sendTrade(Trade t, Map<String, String> extra, Instant now) {
    if (!t.notifies()) return;
    Map<String, String> p = new HashMap<>();
    p.put("notify_time", AlipayOpenApi.time(now));
    p.put("notify_type", "trade_status_sync");
    p.put("notify_id", t.lastNotifyId());
    p.put("app_id", t.appId());
    p.put("auth_app_id", t.appId());
    p.put("charset", "utf-8");
    p.put("version", "1.0");
    p.put("sign_type", "RSA2");
    p.put("trade_no", t.tradeNo());
    p.put("out_trade_no", t.outTradeNo());
    p.put("buyer_id", t.buyerId());
    p.put("buyer_logon_id", t.buyerLogonId());
    p.put("seller_id", AlipayOpenApi.SELLER_ID);
    p.put("trade_status", t.stage().name());
    p.put("total_amount", Yuan.of(t.totalFen()));
    String paid = t.paidAt() == null ? "0.00" : Yuan.of(t.totalFen());
    p.put("receipt_amount", paid);
    p.put("invoice_amount", paid);
    p.put("buyer_pay_amount", paid);
    p.put("point_amount", "0.00");
    p.put("subject", t.subject());
    if (t.body() != null) p.put("body", t.body());
    p.put("gmt_create", AlipayOpenApi.time(t.createdAt()));
    if (t.paidAt() != null) {
      p.put("gmt_payment", AlipayOpenApi.time(t.paidAt()));
      p.put("fund_bill_list", "[{\"amount\":\"" + Yuan.of(t.totalFen()) + "\",\"fundChannel\":\"ALIPAYACCOUNT\"}]");
    }
    if (t.closedAt() != null) p.put("gmt_close", AlipayOpenApi.time(t.closedAt()));
    p.putAll(extra);
    send(t.notifyUrl(), p);
  }

  /** Signs the parameters (their {@code notify_id} included), keeps the notice and starts delivering it. */
  void send(String url, Map<String, String> params) {
    Map<String, String> p = new TreeMap<>(params);
    p.put("sign", AlipaySignature.sign(AlipaySignature.notificationContent(p), alipayKey));
    Notice n = new Notice(p.get("notify_id"), p.get("out_trade_no"), url, FormBody.encode(p), false);
    notices.put(n.notifyId(), n);
    scheduler.execute(() -> deliver(new Pending(n)));
  }

  /** One more POST of a kept notification, now, answered or not; false when there is none under the id. */
  boolean again(String notifyId) {
    Optional<Notice> n = notices.get(notifyId);
    n.ifPresent(notice -> scheduler.execute(() -> post(notice)));
    return n.isPresent();
  }

  Optional<Notice> notice(String notifyId) {
    return notices.get(notifyId);
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

  private void deliver(Pending p) {
    try {
      if (notices.get(p.notice.notifyId()).map(Notice::answered).orElse(false)) return;
      if (toLose.getAndUpdate(x -> Math.max(0, x - 1)) > 0) {
        retryLater(p);
        return;
      }
      boolean duplicate = twice;
      boolean answered = post(p.notice);
      if (duplicate) answered |= post(p.notice);
      if (!answered) retryLater(p);
    } catch (RuntimeException e) {
      retryLater(p); // the store did not answer: as a delivery unanswered
    }
  }

  private void retryLater(Pending p) {
    int attempt = p.attempts++;
    if (attempt >= redelivery.size() || scheduler.isShutdown()) return;
    scheduler.schedule(() -> deliver(p), redelivery.get(attempt).toMillis(), TimeUnit.MILLISECONDS);
  }

  /** One POST; an answer of {@code success} marks the notice answered in the store. */
  private boolean post(Notice n) {
    try {
      HttpRequest post = HttpRequest.newBuilder(URI.create(n.url()))
          .timeout(Duration.ofSeconds(5))
          .header("Content-Type", "application/x-www-form-urlencoded;charset=utf-8")
          .POST(HttpRequest.BodyPublishers.ofString(n.form(), StandardCharsets.UTF_8))
          .build();
      HttpResponse<String> r = http.send(post, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      if (r.statusCode() != 200 || !r.body().strip().equals("success")) return false;
    } catch (IOException | RuntimeException e) {
      return false; // unanswered: the schedule sends it again
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    try {
      notices.update(n.notifyId(), before -> before.map(Notice::asAnswered).orElse(null));
    } catch (RuntimeException e) {
      // answered all the same: only the record of it is missing
    }
    return true;
  }

  private static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
