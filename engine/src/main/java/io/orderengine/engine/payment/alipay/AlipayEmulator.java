package io.orderengine.engine.payment.alipay;

import static io.orderengine.engine.payment.alipay.AlipayOpenApi.error;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderengine.engine.payment.wire.EmulatorRecords;
import io.orderengine.engine.payment.wire.EmulatorStore;
import io.orderengine.engine.payment.wire.ProviderEmulator;
import io.orderengine.engine.payment.wire.WireRequest;
import io.orderengine.engine.payment.wire.WireResponse;
import java.io.IOException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Alipay's OpenAPI gateway, emulated over its own wire protocol for the demo node and the tests:
 * it checks every request's RSA2 signature with the app's public key, answers every face-to-face
 * method the adapter uses with Alipay's JSON shapes, codes and sub_codes, signs each answer with
 * its own key pair, and sends signed form notifications to the trade's {@code notify_url} on
 * Alipay's re-send schedule until one is answered {@code success}.
 *
 * <p>Alipay's behaviour it keeps, because the adapter has to cope with it: a precreated trade does
 * not exist for query or close until the customer scans the code; a close before the scan answers
 * ACQ.TRADE_NOT_EXIST yet the code can no longer be paid; a cancel of a number never seen succeeds
 * and bars it; {@code TRADE_CLOSED} is both "closed unpaid" and "refunded in full" (only the second
 * has a {@code send_pay_date}); a refund under a number already used answers {@code fund_change=N}.
 *
 * <p>Bar codes: one starting with {@code DECLINE} is refused (the buyer's balance is short), one
 * starting with {@code USERPAYING} waits for the customer (10003; see {@link #pay}), any other of
 * 16 to 24 digits starting 25 to 30 (Alipay's 付款码) is approved at once, anything else is an
 * invalid code.
 *
 * <p>What it knows of trades, refunds, notifications and bill files lives in an {@link EmulatorStore}
 * ({@link AlipayRecords}): emulators on several nodes sharing one store are one Alipay, a trade made
 * through one paid, queried and refunded through another. Each instance keeps only what every node
 * sets up alike or may lose: the registered apps, the fault switches, its notification re-send
 * schedule (a node that stops takes its pending re-sends with it; the merchant's query finds the
 * result), and the list of trades it made itself, for {@link #trades()} in tests. A trade is kept
 * under its {@code out_trade_no} alone, with the app that made it: another app asking about it is
 * told there is no such trade.
 */
public final class AlipayEmulator implements ProviderEmulator, AutoCloseable {
  /** Alipay's intervals between re-sends of an unanswered notification. */
  public static final List<Duration> ALIPAY_REDELIVERY = List.of(Duration.ofMinutes(4), Duration.ofMinutes(10),
      Duration.ofMinutes(10), Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(6), Duration.ofHours(15));
  private static final ObjectMapper JSON = AlipayOpenApi.JSON;

  /** Where a trade stands at the emulated Alipay; UNSCANNED is a precreated QR code nobody scanned yet. */
  public enum Stage { UNSCANNED, WAIT_BUYER_PAY, TRADE_SUCCESS, TRADE_CLOSED }

  /** A trade as the emulator holds it, for the demo and the tests to look at. */
  public record TradeView(String appId, String outTradeNo, String tradeNo, Stage stage, boolean exists, long totalFen,
      long refundedFen, String qrCode, Map<String, Long> refunds, String lastNotifyId, boolean notificationAnswered) {}

  private final KeyPair keys;
  private final Map<String, PublicKey> apps = new ConcurrentHashMap<>();
  /** The trades this instance made, in order: only for {@link #trades()}; the trades themselves are in the store. */
  private final List<String> madeHere = new CopyOnWriteArrayList<>();
  private final AlipayNotifier notifier;
  private final AlipayBillDays bills;
  private final AlipayOpenApi api;
  private final EmulatorRecords<String> qrTokens;
  private final AtomicInteger callsToFail = new AtomicInteger();
  private final AtomicInteger callsToGarble = new AtomicInteger();
  private final AtomicInteger answersToTamper = new AtomicInteger();
  private final Queue<ObjectNode> signedFaults = new ConcurrentLinkedQueue<>();
  private volatile Duration answerDelay = Duration.ZERO;
  private volatile String billBaseUrl;

  /** With a key pair of its own, generated now. */
  public AlipayEmulator() {
    this(generateKeys());
  }

  public AlipayEmulator(KeyPair alipayKeys) {
    this(alipayKeys, token -> "https://qr.alipay.com/" + token, ALIPAY_REDELIVERY, Clock.systemUTC());
  }

  /**
   * @param qrCodes makes a trade's {@code qr_code} from a random token (the demo points it at its own page)
   * @param redelivery the intervals between re-sends of an unanswered notification (tests shorten Alipay's)
   */
  public AlipayEmulator(KeyPair alipayKeys, Function<String, String> qrCodes, List<Duration> redelivery, Clock clock) {
    this(alipayKeys, qrCodes, redelivery, clock, EmulatorStore.inMemory());
  }

  /**
   * As {@link #AlipayEmulator(KeyPair, Function, List, Clock)}, keeping its trades in {@code store}:
   * every emulator given the same store (and the same keys and apps) serves the same Alipay.
   */
  public AlipayEmulator(KeyPair alipayKeys, Function<String, String> qrCodes, List<Duration> redelivery, Clock clock,
      EmulatorStore store) {
    this.keys = alipayKeys;
    EmulatorRecords<AlipayRecords.Trade> trades = new EmulatorRecords<>(store, "alipay-trade", AlipayRecords.Trade.class);
    this.notifier = new AlipayNotifier(alipayKeys.getPrivate(), redelivery,
        new EmulatorRecords<>(store, "alipay-notice", AlipayRecords.Notice.class));
    this.bills = new AlipayBillDays(trades, new EmulatorRecords<>(store, "alipay-bill-day", AlipayRecords.BillDay.class),
        new EmulatorRecords<>(store, "alipay-bill-file", AlipayRecords.BillFile.class), clock);
    this.qrTokens = new EmulatorRecords<>(store, "alipay-qr-token", String.class);
    this.api = new AlipayOpenApi(trades, bills, notifier, qrCodes, clock, madeHere::add, qrTokens);
  }

  public static KeyPair generateKeys() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no RSA", e);
    }
  }

  /** What the merchant configures as {@code alipayPublicKeyPem}. */
  public String alipayPublicKeyPem() {
    return AlipaySignature.pem(keys.getPublic());
  }

  /** An app, as a merchant registers it on the open platform: its id and its public key. */
  public void registerApp(String appId, String appPublicKeyPem) {
    apps.put(appId, AlipaySignature.publicKey(appPublicKeyPem));
  }

  /** Where bill downloads are served ({@code <base>/downloadBillFile.resource?...}); by default the host the request came to. */
  public void serveBillsAt(String baseUrl) {
    this.billBaseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
  }

  // ---- controls: the customer ----

  /** The customer scans a precreated code: the trade now exists, waiting for payment. */
  public boolean scan(String outTradeNo) {
    return api.scan(outTradeNo);
  }

  /** The customer pays (scanning first if need be): TRADE_SUCCESS, and the notification goes out. */
  public boolean pay(String outTradeNo) {
    return api.pay(outTradeNo);
  }

  /** The customer gives up (after scanning): Alipay closes the trade and says so. */
  public boolean decline(String outTradeNo) {
    return api.decline(outTradeNo);
  }

  /** Sends the trade's last notification again, at once, whether or not it was answered. */
  public boolean redeliver(String outTradeNo) {
    return api.redeliver(outTradeNo);
  }

  /** The trade under this {@code out_trade_no}, whichever app made it and whichever emulator sharing the store. */
  /**
   * From now on any bar code but those starting {@code DECLINE} or {@code USERPAYING} pays at once,
   * as the demo's sandbox promises its users; by default only codes shaped as Alipay's do.
   */
  public void acceptAnyPaymentCode() {
    api.acceptAnyPaymentCode();
  }

  /** The out_trade_no of the QR trade whose code was made from {@code token}: the customer scanning it. */
  public Optional<String> tradeByToken(String token) {
    return qrTokens.get(token);
  }

  public Optional<TradeView> trade(String outTradeNo) {
    return api.view(outTradeNo);
  }

  /**
   * The trades this instance made, in the order it made them, as they now stand (a test's view:
   * trades made through another emulator sharing the store are not listed; {@link #trade} finds them).
   */
  public List<TradeView> trades() {
    return madeHere.stream().map(api::view).flatMap(Optional::stream).toList();
  }

  // ---- controls: faults ----

  /** The next {@code n} notification deliveries are lost on the way (each counts as unanswered). */
  public void loseNextNotifications(int n) {
    notifier.loseNext(n);
  }

  /** Every delivery is sent twice, as Alipay may. */
  public void duplicateNotifications(boolean twice) {
    notifier.sendTwice(twice);
  }

  /** The next {@code n} calls are answered 503. */
  public void failNextCalls(int n) {
    callsToFail.set(n);
  }

  /** The next {@code n} calls are answered 200 with a body that is not Alipay's. */
  public void garbleNextCalls(int n) {
    callsToGarble.set(n);
  }

  /** The next {@code n} answers are altered after they were signed. */
  public void tamperNextAnswers(int n) {
    answersToTamper.set(n);
  }

  /**
   * The next call is answered, properly signed, with this code and sub_code instead of its own
   * ({@code 20000 isp.unknow-error}, {@code 40004 ACQ.SYSTEM_ERROR}): Alipay's ways of saying it
   * does not know. Queued: each call takes one.
   */
  public void answerNextCallWith(String code, String subCode, String subMsg) {
    signedFaults.add(error(code, code.equals("20000") ? "Service Currently Unavailable" : "Business Failed", subCode, subMsg));
  }

  public void delayAnswers(Duration delay) {
    answerDelay = delay;
  }

  /** Stops the notification threads. */
  @Override
  public void close() {
    notifier.close();
  }

  // ---- the gateway ----

  @Override
  public WireResponse handle(WireRequest request) {
    if (request.method().equals("GET") && request.path().endsWith("/downloadBillFile.resource")) return download(request);
    Duration delay = answerDelay;
    if (!delay.isZero()) {
      try {
        Thread.sleep(delay.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (callsToFail.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      return WireResponse.of(503, "text/html", "<html><body>Service Unavailable</body></html>", Map.of());
    }
    if (callsToGarble.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      return WireResponse.of(200, "application/json;charset=utf-8", "{\"alipay_trade_pay_resp", Map.of());
    }
    Map<String, String> params = new TreeMap<>();
    try {
      params.putAll(FormBody.parse(request.query()));
      params.putAll(FormBody.parse(request.body()));
    } catch (IllegalArgumentException e) {
      return answer("error_response", error("40002", "Invalid Arguments", "isv.invalid-arguments", "请求参数格式不正确"));
    }
    String method = params.getOrDefault("method", "");
    String key = method.isEmpty() ? "error_response" : method.replace('.', '_') + "_response";
    PublicKey appKey = apps.get(params.getOrDefault("app_id", ""));
    if (appKey == null) return answer("error_response", error("40002", "Invalid Arguments", "isv.invalid-app-id", "无效的AppID参数"));
    if (!"RSA2".equals(params.get("sign_type"))) {
      return answer(key, error("40002", "Invalid Arguments", "isv.invalid-signature-type", "无效的签名类型"));
    }
    String content = AlipaySignature.requestContent(params);
    if (!AlipaySignature.verify(content, params.get("sign"), appKey)) {
      return answer(key, error("40002", "Invalid Arguments", "isv.invalid-signature",
          "验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配，网关生成的验签字符串为：" + content.replace("&", "&amp;")));
    }
    if (!validTimestamp(params.get("timestamp"))) {
      return answer(key, error("40002", "Invalid Arguments", "isv.invalid-timestamp", "非法的时间戳参数"));
    }
    JsonNode biz;
    try {
      biz = JSON.readTree(params.getOrDefault("biz_content", "{}"));
    } catch (IOException e) {
      return answer(key, error("40002", "Invalid Arguments", "isv.invalid-arguments", "biz_content 不是 JSON"));
    }
    String appId = params.get("app_id");
    ObjectNode fault = signedFaults.poll();
    if (fault != null) return answer(key, fault);
    ObjectNode result = switch (method) {
      case "alipay.trade.precreate" -> api.precreate(appId, biz, params.get("notify_url"));
      case "alipay.trade.pay" -> api.pay(appId, biz, params.get("notify_url"));
      case "alipay.trade.query" -> api.query(appId, biz);
      case "alipay.trade.close" -> api.closeTrade(appId, biz);
      case "alipay.trade.cancel" -> api.cancel(appId, biz);
      case "alipay.trade.refund" -> api.refund(appId, biz);
      case "alipay.trade.fastpay.refund.query" -> api.refundQuery(appId, biz);
      case "alipay.data.dataservice.bill.downloadurl.query" ->
          bills.billUrl(appId, biz, billBaseUrl != null ? billBaseUrl : "http://" + request.header("host"));
      default -> error("40002", "Invalid Arguments", "isv.invalid-method", "不存在的方法名");
    };
    return answer(key, result);
  }

  private WireResponse download(WireRequest request) {
    Map<String, String> query = FormBody.parse(request.query());
    return bills.file(query.getOrDefault("token", ""))
        .map(zip -> new WireResponse(200, Map.of("Content-Type", "application/octet-stream"), zip))
        .orElseGet(() -> WireResponse.of(404, "text/plain", "no such bill", Map.of()));
  }

  // ---- answers ----

  private WireResponse answer(String key, ObjectNode node) {
    String text = node.toString();
    String sign = AlipaySignature.sign(text, keys.getPrivate());
    if (answersToTamper.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      text = node.deepCopy().put("msg", node.path("msg").asText() + " (altered)").toString();
    }
    String body = "{\"" + key + "\":" + text + ",\"sign\":\"" + sign + "\"}";
    return WireResponse.of(200, "application/json;charset=utf-8", body, Map.of());
  }

  // ---- small things ----

  private boolean validTimestamp(String text) {
    try {
      AlipayGateway.TIMESTAMP.parse(text == null ? "" : text);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

}
