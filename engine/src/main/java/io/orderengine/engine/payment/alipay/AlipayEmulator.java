package io.orderengine.engine.payment.alipay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderengine.engine.payment.wire.ProviderEmulator;
import io.orderengine.engine.payment.wire.WireRequest;
import io.orderengine.engine.payment.wire.WireResponse;
import java.io.IOException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Pattern;

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
 * invalid code. Trades live in memory; every state change happens under the emulator's lock.
 */
public final class AlipayEmulator implements ProviderEmulator, AutoCloseable {
  /** Alipay's intervals between re-sends of an unanswered notification. */
  public static final List<Duration> ALIPAY_REDELIVERY = List.of(Duration.ofMinutes(4), Duration.ofMinutes(10),
      Duration.ofMinutes(10), Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(6), Duration.ofHours(15));
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern ALIPAY_CODE = Pattern.compile("(2[5-9]|30)[0-9]{14,22}");
  private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;
  private static final String SELLER_ID = "2088000000000001";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Where a trade stands at the emulated Alipay; UNSCANNED is a precreated QR code nobody scanned yet. */
  public enum Stage { UNSCANNED, WAIT_BUYER_PAY, TRADE_SUCCESS, TRADE_CLOSED }

  /** A trade as the emulator holds it, for the demo and the tests to look at. */
  public record TradeView(String appId, String outTradeNo, String tradeNo, Stage stage, boolean exists, long totalFen,
      long refundedFen, String qrCode, Map<String, Long> refunds, String lastNotifyId, boolean notificationAnswered) {}

  private final KeyPair keys;
  private final Function<String, String> qrCodes;
  private final Clock clock;
  private final Map<String, PublicKey> apps = new ConcurrentHashMap<>();
  private final Map<String, Trade> trades = new LinkedHashMap<>(); // guarded by this
  private final Map<String, byte[]> bills = new ConcurrentHashMap<>();
  private final AlipayNotifier notifier;
  private final AtomicLong sequence = new AtomicLong();
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
    this.keys = alipayKeys;
    this.qrCodes = qrCodes;
    this.clock = clock;
    this.notifier = new AlipayNotifier(alipayKeys.getPrivate(), redelivery);
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
  public synchronized boolean scan(String outTradeNo) {
    Trade t = find(outTradeNo).orElse(null);
    if (t == null || t.stage != Stage.UNSCANNED) return false;
    t.exists = true;
    t.stage = Stage.WAIT_BUYER_PAY;
    return true;
  }

  /** The customer pays (scanning first if need be): TRADE_SUCCESS, and the notification goes out. */
  public synchronized boolean pay(String outTradeNo) {
    Trade t = find(outTradeNo).orElse(null);
    if (t == null) return false;
    scan(outTradeNo);
    if (t.stage != Stage.WAIT_BUYER_PAY) return false;
    t.stage = Stage.TRADE_SUCCESS;
    t.paidAt = clock.instant();
    notifyTrade(t, Map.of());
    return true;
  }

  /** The customer gives up (after scanning): Alipay closes the trade and says so. */
  public synchronized boolean decline(String outTradeNo) {
    Trade t = find(outTradeNo).orElse(null);
    if (t == null) return false;
    scan(outTradeNo);
    if (t.stage != Stage.WAIT_BUYER_PAY) return false;
    t.stage = Stage.TRADE_CLOSED;
    t.closedAt = clock.instant();
    notifyTrade(t, Map.of());
    return true;
  }

  /** Sends the trade's last notification again, at once, whether or not it was answered. */
  public synchronized boolean redeliver(String outTradeNo) {
    Trade t = find(outTradeNo).orElse(null);
    if (t == null || t.lastNotice == null) return false;
    notifier.again(t.lastNotice);
    return true;
  }

  public synchronized Optional<TradeView> trade(String outTradeNo) {
    return find(outTradeNo).map(Trade::view);
  }

  public synchronized List<TradeView> trades() {
    return trades.values().stream().map(Trade::view).toList();
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
      case "alipay.trade.precreate" -> precreate(appId, biz, params.get("notify_url"));
      case "alipay.trade.pay" -> pay(appId, biz, params.get("notify_url"));
      case "alipay.trade.query" -> query(appId, biz);
      case "alipay.trade.close" -> closeTrade(appId, biz);
      case "alipay.trade.cancel" -> cancel(appId, biz);
      case "alipay.trade.refund" -> refund(appId, biz);
      case "alipay.trade.fastpay.refund.query" -> refundQuery(appId, biz);
      case "alipay.data.dataservice.bill.downloadurl.query" -> billUrl(appId, biz, request);
      default -> error("40002", "Invalid Arguments", "isv.invalid-method", "不存在的方法名");
    };
    return answer(key, result);
  }

  private synchronized ObjectNode precreate(String appId, JsonNode biz, String notifyUrl) {
    String out = biz.path("out_trade_no").asText("");
    Long fen = fen(biz.path("total_amount").asText(""));
    if (out.isEmpty() || fen == null || fen <= 0 || biz.path("subject").asText("").isEmpty()) return invalidParameter();
    Trade t = trades.get(appId + "\n" + out);
    if (t == null) {
      t = new Trade(appId, out, newTradeNo(), fen, biz.path("subject").asText(), biz.path("body").asText(null), notifyUrl,
          qrCodes.apply(token()), clock.instant());
      t.stage = Stage.UNSCANNED;
      trades.put(appId + "\n" + out, t);
    } else {
      ObjectNode refused = repeatRefusal(t, fen);
      if (refused != null) return refused;
    }
    ObjectNode ok = success();
    ok.put("out_trade_no", out);
    ok.put("qr_code", t.qrCode);
    return ok;
  }

  private synchronized ObjectNode pay(String appId, JsonNode biz, String notifyUrl) {
    String out = biz.path("out_trade_no").asText("");
    String code = biz.path("auth_code").asText("");
    Long fen = fen(biz.path("total_amount").asText(""));
    if (out.isEmpty() || fen == null || fen <= 0 || !"bar_code".equals(biz.path("scene").asText())
        || biz.path("subject").asText("").isEmpty()) {
      return invalidParameter();
    }
    Trade t = trades.get(appId + "\n" + out);
    if (t != null) {
      ObjectNode refused = repeatRefusal(t, fen);
      if (refused != null) return refused;
      return waiting(t);
    }
    boolean userPaying = code.startsWith("USERPAYING");
    if (code.startsWith("DECLINE")) {
      t = new Trade(appId, out, newTradeNo(), fen, biz.path("subject").asText(), biz.path("body").asText(null), notifyUrl,
          null, clock.instant());
      t.exists = true;
      t.stage = Stage.TRADE_CLOSED;
      t.closedAt = clock.instant();
      trades.put(appId + "\n" + out, t);
      ObjectNode refused = error("40004", "Business Failed", "ACQ.BUYER_BALANCE_NOT_ENOUGH", "买家余额不足");
      refused.put("out_trade_no", out);
      return refused;
    }
    if (!userPaying && !ALIPAY_CODE.matcher(code).matches()) {
      return error("40004", "Business Failed", "ACQ.PAYMENT_AUTH_CODE_INVALID", "支付失败，获取顾客账户信息失败，请顾客刷新付款码后重新收款");
    }
    t = new Trade(appId, out, newTradeNo(), fen, biz.path("subject").asText(), biz.path("body").asText(null), notifyUrl,
        null, clock.instant());
    t.exists = true;
    trades.put(appId + "\n" + out, t);
    if (userPaying) {
      t.stage = Stage.WAIT_BUYER_PAY;
      return waiting(t);
    }
    t.stage = Stage.TRADE_SUCCESS;
    t.paidAt = clock.instant();
    notifyTrade(t, Map.of());
    ObjectNode ok = success();
    tradeFields(ok, t);
    ok.put("gmt_payment", time(t.paidAt));
    return ok;
  }

  /** A pay or precreate under a number already used: what Alipay says of the trade it holds, or null to go on. */
  private static ObjectNode repeatRefusal(Trade t, long fen) {
    if (t.stage == Stage.TRADE_SUCCESS) return error("40004", "Business Failed", "ACQ.TRADE_HAS_SUCCESS", "交易已被支付");
    if (t.stage == Stage.TRADE_CLOSED) return error("40004", "Business Failed", "ACQ.TRADE_HAS_CLOSE", "交易已经关闭");
    if (t.totalFen != fen) return error("40004", "Business Failed", "ACQ.CONTEXT_INCONSISTENT", "交易信息被篡改");
    return null;
  }

  private static ObjectNode waiting(Trade t) {
    ObjectNode n = JSON.createObjectNode();
    n.put("code", "10003");
    n.put("msg", " order success pay inprocess");
    tradeFields(n, t);
    return n;
  }

  private synchronized ObjectNode query(String appId, JsonNode biz) {
    Trade t = trades.get(appId + "\n" + biz.path("out_trade_no").asText(""));
    if (t == null || !t.exists) return tradeNotExist();
    ObjectNode ok = success();
    tradeFields(ok, t);
    ok.put("trade_status", t.stage.name());
    if (t.paidAt != null) ok.put("send_pay_date", time(t.paidAt));
    if (t.body != null) ok.put("body", t.body);
    return ok;
  }

  private synchronized ObjectNode closeTrade(String appId, JsonNode biz) {
    Trade t = trades.get(appId + "\n" + biz.path("out_trade_no").asText(""));
    if (t == null) return tradeNotExist();
    if (t.stage == Stage.UNSCANNED) {
      // Alipay: the code can no longer be paid, yet the answer says there is no trade
      t.stage = Stage.TRADE_CLOSED;
      t.closedAt = clock.instant();
      return tradeNotExist();
    }
    if (!t.exists) return tradeNotExist();
    if (t.stage != Stage.WAIT_BUYER_PAY) return error("40004", "Business Failed", "ACQ.TRADE_STATUS_ERROR", "交易状态不合法");
    t.stage = Stage.TRADE_CLOSED;
    t.closedAt = clock.instant();
    ObjectNode ok = success();
    ok.put("trade_no", t.tradeNo);
    ok.put("out_trade_no", t.outTradeNo);
    return ok;
  }

  private synchronized ObjectNode cancel(String appId, JsonNode biz) {
    String out = biz.path("out_trade_no").asText("");
    if (out.isEmpty()) return invalidParameter();
    Trade t = trades.get(appId + "\n" + out);
    ObjectNode ok = success();
    ok.put("out_trade_no", out);
    ok.put("retry_flag", "N");
    if (t == null) {
      // a number Alipay never saw: the cancel succeeds and bars it, so a late payment cannot land
      t = new Trade(appId, out, newTradeNo(), 0, "", null, null, null, clock.instant());
      t.stage = Stage.TRADE_CLOSED;
      t.closedAt = clock.instant();
      trades.put(appId + "\n" + out, t);
      ok.put("action", "close");
      return ok;
    }
    ok.put("trade_no", t.tradeNo);
    if (t.stage == Stage.TRADE_SUCCESS) {
      long rest = t.totalFen - t.refundedFen;
      t.refunds.put("cancel", rest);
      t.refundedFen += rest;
      t.stage = Stage.TRADE_CLOSED;
      t.closedAt = clock.instant();
      ok.put("action", "refund");
      ok.put("gmt_refund_pay", time(t.closedAt));
      return ok;
    }
    if (t.stage != Stage.TRADE_CLOSED) {
      t.stage = Stage.TRADE_CLOSED;
      t.closedAt = clock.instant();
    }
    ok.put("action", "close");
    return ok;
  }

  private synchronized ObjectNode refund(String appId, JsonNode biz) {
    Trade t = trades.get(appId + "\n" + biz.path("out_trade_no").asText(""));
    Long fen = fen(biz.path("refund_amount").asText(""));
    String requestNo = biz.path("out_request_no").asText("");
    if (fen == null || fen <= 0) return invalidParameter();
    if (t == null || !t.exists) return tradeNotExist();
    if (requestNo.isEmpty()) requestNo = t.outTradeNo; // Alipay's default: the trade's own number
    Long earlier = t.refunds.get(requestNo);
    if (earlier != null) {
      if (earlier.longValue() != fen) return error("40004", "Business Failed", "ACQ.DISCORDANT_REPEAT_REQUEST", "不一致的请求");
      return refundAnswer(t, "N");
    }
    if (t.stage != Stage.TRADE_SUCCESS) return error("40004", "Business Failed", "ACQ.TRADE_STATUS_ERROR", "交易状态不合法");
    if (fen > t.totalFen - t.refundedFen) {
      return error("40004", "Business Failed", "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL", "退款金额超限");
    }
    Instant now = clock.instant();
    t.refunds.put(requestNo, fen);
    t.refundedAt.put(requestNo, now);
    t.refundedFen += fen;
    if (t.refundedFen == t.totalFen) {
      t.stage = Stage.TRADE_CLOSED;
      t.closedAt = now;
    }
    Map<String, String> refundFields = new LinkedHashMap<>();
    refundFields.put("out_biz_no", requestNo);
    refundFields.put("refund_fee", Yuan.of(t.refundedFen));
    refundFields.put("gmt_refund", time(now));
    notifyTrade(t, refundFields);
    return refundAnswer(t, "Y");
  }

  private static ObjectNode refundAnswer(Trade t, String fundChange) {
    ObjectNode ok = success();
    ok.put("trade_no", t.tradeNo);
    ok.put("out_trade_no", t.outTradeNo);
    ok.put("buyer_logon_id", t.buyerLogonId);
    ok.put("fund_change", fundChange);
    ok.put("refund_fee", Yuan.of(t.refundedFen));
    ok.put("buyer_user_id", t.buyerId);
    return ok;
  }

  private synchronized ObjectNode refundQuery(String appId, JsonNode biz) {
    Trade t = trades.get(appId + "\n" + biz.path("out_trade_no").asText(""));
    if (t == null || !t.exists) return tradeNotExist();
    String requestNo = biz.path("out_request_no").asText("");
    ObjectNode ok = success();
    ok.put("trade_no", t.tradeNo);
    ok.put("out_trade_no", t.outTradeNo);
    Long fen = t.refunds.get(requestNo);
    if (fen == null) return ok; // Alipay's "no such refund": a success with nothing in it
    ok.put("out_request_no", requestNo);
    ok.put("total_amount", Yuan.of(t.totalFen));
    ok.put("refund_amount", Yuan.of(fen));
    ok.put("refund_status", "REFUND_SUCCESS");
    boolean withTime = false;
    for (JsonNode o : biz.path("query_options")) withTime |= o.asText().equals("gmt_refund_pay");
    if (withTime && t.refundedAt.containsKey(requestNo)) ok.put("gmt_refund_pay", time(t.refundedAt.get(requestNo)));
    return ok;
  }

  private synchronized ObjectNode billUrl(String appId, JsonNode biz, WireRequest request) {
    if (!"trade".equals(biz.path("bill_type").asText())) return invalidParameter();
    LocalDate day;
    try {
      day = LocalDate.parse(biz.path("bill_date").asText(""));
    } catch (DateTimeParseException e) {
      return invalidParameter();
    }
    if (!day.isBefore(clock.instant().atZone(AlipayGateway.ALIPAY_ZONE).toLocalDate().plusDays(1))) {
      return error("40004", "Business Failed", "isp.bill_not_exist", "账单不存在");
    }
    String token = token();
    bills.put(token, billZip(appId, day));
    String base = billBaseUrl != null ? billBaseUrl : "http://" + request.header("host");
    ObjectNode ok = success();
    ok.put("bill_download_url", base + "/downloadBillFile.resource?bizType=trade&fileType=csv.zip&bizDates="
        + DAY.format(day) + "&token=" + token);
    return ok;
  }

  private WireResponse download(WireRequest request) {
    Map<String, String> query = FormBody.parse(request.query());
    byte[] zip = bills.get(query.getOrDefault("token", ""));
    if (zip == null) return WireResponse.of(404, "text/plain", "no such bill", Map.of());
    return new WireResponse(200, Map.of("Content-Type", "application/octet-stream"), zip);
  }

  /** The day's trade bill: a payment row per trade paid that Beijing day, a refund row per refund made that day. */
  private byte[] billZip(String appId, LocalDate day) {
    List<AlipayBill.Row> rows = new ArrayList<>();
    for (Trade t : trades.values()) {
      if (!t.appId.equals(appId) || t.paidAt == null) continue;
      if (beijingDay(t.paidAt).equals(day)) {
        rows.add(new AlipayBill.Row(t.tradeNo, t.outTradeNo, AlipayBill.PAYMENT, t.subject, t.createdAt, t.paidAt,
            t.buyerLogonId, t.totalFen, ""));
      }
      for (Map.Entry<String, Instant> r : t.refundedAt.entrySet()) {
        if (!beijingDay(r.getValue()).equals(day)) continue;
        rows.add(new AlipayBill.Row(t.tradeNo, t.outTradeNo, AlipayBill.REFUND, t.subject, t.createdAt, r.getValue(),
            t.buyerLogonId, -t.refunds.get(r.getKey()), r.getKey()));
      }
    }
    return AlipayBill.write(SELLER_ID + "0156", day, rows, clock.instant());
  }

  // ---- notifications ----

  /** A trade's state (and, for a refund, the refund's fields) as a signed notification, sent now. */
  private void notifyTrade(Trade t, Map<String, String> extra) {
    if (t.notifyUrl == null || t.notifyUrl.isEmpty()) return;
    Map<String, String> p = new TreeMap<>();
    p.put("notify_time", time(clock.instant()));
    p.put("notify_type", "trade_status_sync");
    p.put("notify_id", DAY.format(beijingDay(clock.instant())) + String.format("%026d", sequence.incrementAndGet()));
    p.put("app_id", t.appId);
    p.put("auth_app_id", t.appId);
    p.put("charset", "utf-8");
    p.put("version", "1.0");
    p.put("sign_type", "RSA2");
    p.put("trade_no", t.tradeNo);
    p.put("out_trade_no", t.outTradeNo);
    p.put("buyer_id", t.buyerId);
    p.put("buyer_logon_id", t.buyerLogonId);
    p.put("seller_id", SELLER_ID);
    p.put("trade_status", t.stage.name());
    p.put("total_amount", Yuan.of(t.totalFen));
    String paid = t.paidAt == null ? "0.00" : Yuan.of(t.totalFen);
    p.put("receipt_amount", paid);
    p.put("invoice_amount", paid);
    p.put("buyer_pay_amount", paid);
    p.put("point_amount", "0.00");
    p.put("subject", t.subject);
    if (t.body != null) p.put("body", t.body);
    p.put("gmt_create", time(t.createdAt));
    if (t.paidAt != null) {
      p.put("gmt_payment", time(t.paidAt));
      p.put("fund_bill_list", "[{\"amount\":\"" + Yuan.of(t.totalFen) + "\",\"fundChannel\":\"ALIPAYACCOUNT\"}]");
    }
    if (t.closedAt != null) p.put("gmt_close", time(t.closedAt));
    p.putAll(extra);
    t.lastNotice = notifier.send(t.notifyUrl, p);
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

  private static ObjectNode success() {
    ObjectNode n = JSON.createObjectNode();
    n.put("code", "10000");
    n.put("msg", "Success");
    return n;
  }

  private static ObjectNode error(String code, String msg, String subCode, String subMsg) {
    ObjectNode n = JSON.createObjectNode();
    n.put("code", code);
    n.put("msg", msg);
    n.put("sub_code", subCode);
    n.put("sub_msg", subMsg);
    return n;
  }

  private static ObjectNode tradeNotExist() {
    return error("40004", "Business Failed", "ACQ.TRADE_NOT_EXIST", "交易不存在");
  }

  private static ObjectNode invalidParameter() {
    return error("40004", "Business Failed", "ACQ.INVALID_PARAMETER", "参数无效");
  }

  private static void tradeFields(ObjectNode n, Trade t) {
    n.put("trade_no", t.tradeNo);
    n.put("out_trade_no", t.outTradeNo);
    n.put("buyer_logon_id", t.buyerLogonId);
    n.put("total_amount", Yuan.of(t.totalFen));
    String paid = t.paidAt == null ? "0.00" : Yuan.of(t.totalFen);
    n.put("receipt_amount", paid);
    n.put("buyer_pay_amount", paid);
    n.put("point_amount", "0.00");
    n.put("invoice_amount", paid);
    n.put("buyer_user_id", t.buyerId);
  }

  // ---- small things ----

  private Optional<Trade> find(String outTradeNo) {
    return trades.values().stream().filter(t -> t.outTradeNo.equals(outTradeNo)).findFirst();
  }

  private boolean validTimestamp(String text) {
    try {
      AlipayGateway.TIMESTAMP.parse(text == null ? "" : text);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  private static Long fen(String yuan) {
    try {
      return Yuan.fen(yuan);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private String newTradeNo() {
    return DAY.format(beijingDay(clock.instant())) + "22001" + String.format("%015d", sequence.incrementAndGet());
  }

  private static String token() {
    byte[] b = new byte[12];
    RANDOM.nextBytes(b);
    StringBuilder s = new StringBuilder();
    for (byte x : b) s.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
    return "bax" + s;
  }

  private static LocalDate beijingDay(Instant at) {
    return at.atZone(AlipayGateway.ALIPAY_ZONE).toLocalDate();
  }

  private static String time(Instant at) {
    return AlipayGateway.TIMESTAMP.format(at.atZone(AlipayGateway.ALIPAY_ZONE));
  }

  /** A trade at the emulated Alipay; mutated only under the emulator's lock. */
  private static final class Trade {
    final String appId;
    final String outTradeNo;
    final String tradeNo;
    final long totalFen;
    final String subject;
    final String body;
    final String notifyUrl;
    final String qrCode;
    final Instant createdAt;
    final String buyerId = "2088102" + String.format("%09d", RANDOM.nextInt(1_000_000_000));
    final String buyerLogonId = "138****" + String.format("%04d", RANDOM.nextInt(10_000));
    final Map<String, Long> refunds = new LinkedHashMap<>();
    final Map<String, Instant> refundedAt = new HashMap<>();
    Stage stage;
    boolean exists;
    Instant paidAt;
    Instant closedAt;
    long refundedFen;
    AlipayNotifier.Notice lastNotice;

    Trade(String appId, String outTradeNo, String tradeNo, long totalFen, String subject, String body, String notifyUrl,
        String qrCode, Instant createdAt) {
      this.appId = appId;
      this.outTradeNo = outTradeNo;
      this.tradeNo = tradeNo;
      this.totalFen = totalFen;
      this.subject = subject;
      this.body = body;
      this.notifyUrl = notifyUrl;
      this.qrCode = qrCode;
      this.createdAt = createdAt;
    }

    TradeView view() {
      return new TradeView(appId, outTradeNo, tradeNo, stage, exists, totalFen, refundedFen, qrCode, Map.copyOf(refunds),
          lastNotice == null ? null : lastNotice.notifyId, lastNotice != null && lastNotice.answered);
    }
  }

}
