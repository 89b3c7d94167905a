package io.orderengine.engine.payment.wechat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.wechat.pay.java.core.cipher.RSASigner;
import com.wechat.pay.java.core.cipher.RSAVerifier;
import com.wechat.pay.java.core.cipher.Signer;
import com.wechat.pay.java.core.util.NonceUtil;
import io.orderengine.engine.payment.wire.ProviderEmulator;
import io.orderengine.engine.payment.wire.WireRequest;
import io.orderengine.engine.payment.wire.WireResponse;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * WeChat Pay's server, emulated over its APIv3 wire protocol for the demo node and the tests: it
 * checks every request's merchant signature (401 SIGN_ERROR otherwise), answers the Native, codepay,
 * query, close, reverse, refund and trade-bill APIs with WeChat's JSON and error codes, signs every
 * answer with its platform key, and posts signed, encrypted callbacks on WeChat's retry schedule.
 * Trades live in memory. The customer's side and the faults are plain methods.
 *
 * <p>Codepay: an authorization code starting {@code DECLINE} is refused (403 NOTENOUGH), one starting
 * {@code USERPAYING} waits for the customer ({@link #pay}), any other code that looks like WeChat's
 * (18 digits starting 10–15) is approved at once, anything else is 400 AUTH_CODE_INVALID.
 */
public final class WechatPayEmulator implements ProviderEmulator, AutoCloseable {
  /** WeChat Pay's callback schedule: the first post at once, then again after each pause, 24h4m in all. */
  public static final List<Duration> WECHAT_RETRY_SCHEDULE = List.of(Duration.ofSeconds(15), Duration.ofSeconds(15),
      Duration.ofSeconds(30), Duration.ofMinutes(3), Duration.ofMinutes(10), Duration.ofMinutes(20), Duration.ofMinutes(30),
      Duration.ofMinutes(30), Duration.ofMinutes(30), Duration.ofMinutes(60), Duration.ofHours(3), Duration.ofHours(3),
      Duration.ofHours(3), Duration.ofHours(6), Duration.ofHours(6));

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration MAX_SKEW = Duration.ofMinutes(5);
  private static final String TRADES = "/v3/pay/transactions/out-trade-no/";
  private static final String REFUNDS = "/v3/refund/domestic/refunds";
  private static final String DOWNLOAD = "/v3/billdownload/file";

  /**
   * How the emulator behaves where WeChat Pay leaves room.
   *
   * @param retrySchedule the pauses between a callback's posts
   * @param refundSettlesAfter how long a refund stays PROCESSING
   * @param codeUrl the QR's content from the trade's token ({@code weixin://wxpay/bizpayurl?pr=<token>} by default)
   */
  public record Settings(Clock clock, List<Duration> retrySchedule, Duration refundSettlesAfter,
      Function<String, String> codeUrl) {
    public static Settings defaults() {
      return new Settings(Clock.systemUTC(), WECHAT_RETRY_SCHEDULE, Duration.ofSeconds(1),
          token -> "weixin://wxpay/bizpayurl?pr=" + token);
    }

    public Settings withClock(Clock c) {
      return new Settings(c, retrySchedule, refundSettlesAfter, codeUrl);
    }

    public Settings withRetrySchedule(List<Duration> s) {
      return new Settings(clock, List.copyOf(s), refundSettlesAfter, codeUrl);
    }

    public Settings withRefundSettlesAfter(Duration d) {
      return new Settings(clock, retrySchedule, d, codeUrl);
    }

    public Settings withCodeUrl(Function<String, String> f) {
      return new Settings(clock, retrySchedule, refundSettlesAfter, f);
    }
  }

  private record Merchant(String mchId, String appId, String serialNo, RSAVerifier verifier, String apiV3Key) {}

  private final KeyPair platformKeys;
  private final String publicKeyId;
  private final Settings settings;
  private final Signer platform;
  private final Map<String, Merchant> merchants = new ConcurrentHashMap<>();
  private final Map<String, EmulatedTrade> trades = new ConcurrentHashMap<>();
  private final Map<String, EmulatedRefund> refunds = new ConcurrentHashMap<>();
  private final Map<String, byte[]> bills = new ConcurrentHashMap<>();
  private final AtomicLong serial = new AtomicLong();
  private final ScheduledExecutorService scheduler;
  private final WechatCallbackSender callbacks;
  private final AtomicInteger failing = new AtomicInteger();
  private final AtomicInteger garbling = new AtomicInteger();
  private final AtomicInteger forging = new AtomicInteger();
  private final AtomicReference<Duration> delay = new AtomicReference<>(Duration.ZERO);
  private volatile Signer forger;

  /** An emulator with a platform key pair of its own. */
  public WechatPayEmulator() {
    this(Settings.defaults());
  }

  public WechatPayEmulator(Settings settings) {
    this(generateKeyPair(), "PUB_KEY_ID_01" + String.format("%030d", new BigInteger(96, new SecureRandom())), settings);
  }

  /** An emulator signing with a given platform key pair, known to merchants as {@code publicKeyId}. */
  public WechatPayEmulator(KeyPair platformKeys, String publicKeyId, Settings settings) {
    this.platformKeys = platformKeys;
    this.publicKeyId = publicKeyId;
    this.settings = settings;
    this.platform = new RSASigner(publicKeyId, platformKeys.getPrivate());
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "wechatpay-emulator");
      t.setDaemon(true);
      return t;
    });
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).executor(scheduler).build();
    this.callbacks = new WechatCallbackSender(http, scheduler, settings.retrySchedule(), settings.clock(), platform);
  }

  public String publicKeyId() {
    return publicKeyId;
  }

  /** The platform public key as merchants configure it ({@code pub_key.pem}). */
  public String publicKeyPem() {
    return pem("PUBLIC KEY", platformKeys.getPublic().getEncoded());
  }

  /** Opens a merchant account: its ids, the public half of its API key, and its APIv3 key. */
  public void registerMerchant(String mchId, String appId, String merchantSerialNo, PublicKey merchantKey, String apiV3Key) {
    merchants.put(mchId, new Merchant(mchId, appId, merchantSerialNo, new RSAVerifier(merchantKey, merchantSerialNo), apiV3Key));
  }

  /** Opens the account a venue's configuration describes, its public key taken from its private key. */
  public void registerMerchant(WechatPayConfig config) {
    PublicKey publicKey;
    try {
      var key = (RSAPrivateCrtKey) config.validate().privateKey();
      publicKey = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()));
    } catch (ClassCastException | GeneralSecurityException e) {
      throw new IllegalArgumentException("WeChat Pay config: privateKeyPem holds no public half", e);
    }
    registerMerchant(config.mchId(), config.appId(), config.merchantSerialNo(), publicKey, config.apiV3Key());
  }

  @Override
  public WireResponse handle(WireRequest request) {
    pause(delay.get());
    if (failing.getAndUpdate(n -> Math.max(0, n - 1)) > 0) return error(500, "SYSTEM_ERROR", "系统错误");
    WireResponse answer = serve(request);
    if (garbling.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      return signed(200, "text/html", "<html><body>502 Bad Gateway</body></html>", platform);
    }
    if (forging.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      return signed(answer.status(), "application/json", answer.bodyText(), forger());
    }
    return answer;
  }

  // ---- the customer's side, for the demo and the tests

  public Optional<EmulatedTrade> trade(String outTradeNo) {
    return trades.values().stream().filter(t -> t.outTradeNo().equals(outTradeNo)).findFirst();
  }

  /** The QR trade a code_url's token names: what the demo's "customer's phone" page shows. */
  public Optional<EmulatedTrade> tradeByToken(String token) {
    return trades.values().stream().filter(t -> token.equals(t.token())).findFirst();
  }

  public Optional<EmulatedRefund> refund(String outRefundNo) {
    return refunds.values().stream().filter(r -> r.outRefundNo().equals(outRefundNo)).findFirst();
  }

  /** The customer pays a QR trade, or confirms a codepay trade that was waiting: a callback follows for QR trades. */
  public EmulatedTrade pay(String outTradeNo) {
    EmulatedTrade before = trade(outTradeNo).orElseThrow(() -> new IllegalArgumentException("no trade " + outTradeNo));
    EmulatedTrade after = trades.compute(key(before.mchId(), outTradeNo), (k, t) -> {
      if (!t.open()) throw new IllegalStateException("trade " + outTradeNo + " is " + t.state() + ", it cannot be paid");
      return t.paidAt(transactionId("4200"), settings.clock().instant());
    });
    if (after.notifyUrl() != null) {
      callbacks.send(after.notifyUrl(), merchants.get(after.mchId()).apiV3Key(), "TRANSACTION.SUCCESS", "支付成功",
          "transaction", after.json());
    }
    return after;
  }

  /** The customer's payment fails (the bank refuses, or the customer cancels the password prompt). */
  public EmulatedTrade decline(String outTradeNo) {
    EmulatedTrade before = trade(outTradeNo).orElseThrow(() -> new IllegalArgumentException("no trade " + outTradeNo));
    return trades.compute(key(before.mchId(), outTradeNo), (k, t) -> {
      if (!t.open()) throw new IllegalStateException("trade " + outTradeNo + " is " + t.state() + ", it cannot be declined");
      return t.in("PAYERROR", "支付失败，请重新下单支付");
    });
  }

  /** Sends the last callback once more, with the same id. */
  public void redeliver() {
    callbacks.redeliver();
  }

  /** Callbacks a receiver has taken (answered 200 or 204), duplicates and redeliveries counted. */
  public int callbacksTaken() {
    return callbacks.acknowledged();
  }

  // ---- faults

  /** The next {@code count} callbacks are lost: never posted, until {@link #redeliver} (or a query) finds them out. */
  public void loseCallbacks(int count) {
    callbacks.loseNext(count);
  }

  /** Every callback from now on is posted twice, with the same id. */
  public void duplicateCallbacks(boolean on) {
    callbacks.duplicateEach(on);
  }

  /** The next {@code count} calls are answered 500 SYSTEM_ERROR without being served. */
  public void failNextCalls(int count) {
    failing.set(count);
  }

  /** The next {@code count} calls are served, but their answer is an HTML page instead of JSON. */
  public void garbleNextAnswers(int count) {
    garbling.set(count);
  }

  /** The next {@code count} calls are served, but their answer is signed with a key that is not the platform's. */
  public void forgeNextAnswers(int count) {
    forging.set(count);
  }

  /** Every answer from now on waits this long. */
  public void delayAnswers(Duration d) {
    delay.set(d);
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }

  // ---- the APIs

  private WireResponse serve(WireRequest r) {
    String pathAndQuery = r.path() + (r.query().isEmpty() ? "" : "?" + r.query());
    Optional<WechatPayAuthorization> auth = WechatPayAuthorization.parse(r.header("Authorization"));
    if (auth.isEmpty()) return error(401, "SIGN_ERROR", "Authorization 头缺失或格式错误");
    Merchant m = merchants.get(auth.get().mchId());
    if (m == null || !m.serialNo().equals(auth.get().serialNo()) || !fresh(auth.get().timestamp())
        || !verifies(m, auth.get(), WechatPayAuthorization.requestMessage(r.method(), pathAndQuery, auth.get().timestamp(),
            auth.get().nonce(), r.body()))) {
      return error(401, "SIGN_ERROR", "签名错误");
    }
    JsonNode body;
    try {
      body = r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
    } catch (JsonProcessingException e) {
      return error(400, "PARAM_ERROR", "请求体不是合法的JSON");
    }
    if (body.has("mchid") && !m.mchId().equals(body.path("mchid").asText())) {
      return error(400, "INVALID_REQUEST", "请求的商户号与签名的商户号不一致");
    }
    Map<String, String> query = query(r.query());
    String path = r.path();
    if (r.method().equals("POST") && path.equals("/v3/pay/transactions/native")) return nativeTrade(m, body);
    if (r.method().equals("POST") && path.equals("/v3/pay/transactions/codepay")) return codepay(m, body);
    if (path.startsWith(TRADES)) {
      String[] parts = path.substring(TRADES.length()).split("/");
      String no = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
      if (r.method().equals("GET") && parts.length == 1) {
        if (!m.mchId().equals(query.get("mchid"))) return error(400, "PARAM_ERROR", "缺少或错误的 mchid");
        return queryTrade(m, no);
      }
      if (r.method().equals("POST") && parts.length == 2 && parts[1].equals("close")) return closeTrade(m, no);
      if (r.method().equals("POST") && parts.length == 2 && parts[1].equals("reverse")) return reverseTrade(m, no);
    }
    if (r.method().equals("POST") && path.equals(REFUNDS)) return refund(m, body);
    if (r.method().equals("GET") && path.startsWith(REFUNDS + "/")) {
      return queryRefund(m, URLDecoder.decode(path.substring(REFUNDS.length() + 1), StandardCharsets.UTF_8));
    }
    if (r.method().equals("GET") && path.equals("/v3/bill/tradebill")) return tradeBill(m, query);
    if (r.method().equals("GET") && path.equals(DOWNLOAD)) return download(query.getOrDefault("token", ""));
    return error(404, "NOT_FOUND", "没有这个接口: " + r.method() + " " + path);
  }

  private WireResponse nativeTrade(Merchant m, JsonNode b) {
    Optional<WireResponse> invalid = invalidOrder(m, b);
    if (invalid.isPresent()) return invalid.get();
    String no = b.get("out_trade_no").asText();
    String token = UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    EmulatedTrade fresh = new EmulatedTrade(m.mchId(), m.appId(), no, "NATIVE", "NOTPAY", "订单未支付",
        b.path("amount").path("total").asLong(), b.path("description").asText(), text(b, "attach"), text(b, "notify_url"),
        token, null, settings.clock().instant(), null, 0);
    EmulatedTrade t = trades.computeIfAbsent(key(m.mchId(), no), k -> fresh);
    if (!t.tradeType().equals("NATIVE") || t.totalMinor() != fresh.totalMinor()) {
      return error(400, "OUT_TRADE_NO_USED", "商户订单号重复");
    }
    if (t.paid()) return error(400, "ORDERPAID", "该订单已支付");
    if (!t.open()) return error(400, "ORDER_CLOSED", "该订单已关闭");
    return ok(JSON.createObjectNode().put("code_url", settings.codeUrl().apply(t.token())));
  }

  private WireResponse codepay(Merchant m, JsonNode b) {
    Optional<WireResponse> invalid = invalidOrder(m, b);
    if (invalid.isPresent()) return invalid.get();
    String no = b.get("out_trade_no").asText();
    String code = b.path("payer").path("auth_code").asText("");
    long total = b.path("amount").path("total").asLong();
    EmulatedTrade existing = trades.get(key(m.mchId(), no));
    if (existing != null) {
      if (!existing.tradeType().equals("MICROPAY") || existing.totalMinor() != total) return error(400, "OUT_TRADE_NO_USED", "商户订单号重复");
      return codepayAnswer(existing);
    }
    if (code.startsWith("DECLINE")) {
      trades.put(key(m.mchId(), no), trade(m, b, "MICROPAY", "PAYERROR", "余额不足"));
      return error(403, "NOTENOUGH", "用户账户余额不足");
    }
    if (!code.startsWith("USERPAYING") && !code.matches("1[0-5][0-9]{16}")) {
      return error(400, "AUTH_CODE_INVALID", "付款码无效，请重新扫码");
    }
    EmulatedTrade waiting = trade(m, b, "MICROPAY", "USERPAYING", "需要用户输入支付密码");
    EmulatedTrade t = trades.computeIfAbsent(key(m.mchId(), no),
        k -> code.startsWith("USERPAYING") ? waiting : waiting.paidAt(transactionId("4200"), settings.clock().instant()));
    return codepayAnswer(t);
  }

  private WireResponse codepayAnswer(EmulatedTrade t) {
    if (t.state().equals("USERPAYING")) return error(202, "USERPAYING", "需要用户输入支付密码");
    if (t.state().equals("PAYERROR")) return error(403, "NOTENOUGH", "用户账户余额不足");
    if (!t.paid()) return error(400, "ORDER_CLOSED", "该订单已关闭");
    return ok(t.json());
  }

  private Optional<WireResponse> invalidOrder(Merchant m, JsonNode b) {
    if (!m.appId().equals(b.path("appid").asText())) return Optional.of(error(400, "APPID_MCHID_NOT_MATCH", "appid和mchid不匹配"));
    if (!b.path("out_trade_no").asText("").matches("[A-Za-z0-9_\\-|*]{6,32}")) {
      return Optional.of(error(400, "PARAM_ERROR", "out_trade_no 格式错误"));
    }
    String description = b.path("description").asText("");
    if (description.isEmpty() || description.codePointCount(0, description.length()) > 127) {
      return Optional.of(error(400, "PARAM_ERROR", "description 长度应为1到127"));
    }
    if (b.path("attach").asText("").length() > 128) return Optional.of(error(400, "PARAM_ERROR", "attach 超过128个字符"));
    if (b.path("amount").path("total").asLong(0) <= 0 || !"CNY".equals(b.path("amount").path("currency").asText("CNY"))) {
      return Optional.of(error(400, "PARAM_ERROR", "amount 错误"));
    }
    return Optional.empty();
  }

  private EmulatedTrade trade(Merchant m, JsonNode b, String type, String state, String desc) {
    return new EmulatedTrade(m.mchId(), m.appId(), b.get("out_trade_no").asText(), type, state, desc,
        b.path("amount").path("total").asLong(), b.path("description").asText(), text(b, "attach"), null, null, null,
        settings.clock().instant(), null, 0);
  }

  private WireResponse queryTrade(Merchant m, String no) {
    EmulatedTrade t = trades.get(key(m.mchId(), no));
    return t == null ? error(404, "ORDER_NOT_EXIST", "订单不存在") : ok(t.json());
  }

  private WireResponse closeTrade(Merchant m, String no) {
    EmulatedTrade t = trades.get(key(m.mchId(), no));
    if (t == null) return error(404, "ORDER_NOT_EXIST", "订单不存在");
    EmulatedTrade after = trades.compute(key(m.mchId(), no), (k, was) -> was.open() ? was.in("CLOSED", "订单已关闭") : was);
    if (after.paid()) return error(400, "ORDERPAID", "订单已支付");
    return signed(204, "application/json", "", platform);
  }

  /** Reversal (撤销) of a codepay trade: an unpaid one is revoked, a paid one revoked and its money returned. */
  private WireResponse reverseTrade(Merchant m, String no) {
    EmulatedTrade t = trades.get(key(m.mchId(), no));
    if (t == null) return error(404, "ORDER_NOT_EXIST", "订单不存在");
    if (!t.tradeType().equals("MICROPAY")) return error(400, "INVALID_REQUEST", "只有付款码支付的订单可以撤销");
    trades.compute(key(m.mchId(), no), (k, was) -> was.state().equals("REFUND") ? was : was.in("REVOKED", "已撤销"));
    return ok(JSON.createObjectNode().put("appid", m.appId()).put("mchid", m.mchId()).put("out_trade_no", no));
  }

  /** Synchronized: the check that refunds stay within the trade's total and the refund's creation are one step. */
  private synchronized WireResponse refund(Merchant m, JsonNode b) {
    String outTradeNo = b.path("out_trade_no").asText("");
    String outRefundNo = b.path("out_refund_no").asText("");
    if (!outRefundNo.matches("[A-Za-z0-9_\\-|*@]{1,64}")) return error(400, "PARAM_ERROR", "out_refund_no 格式错误");
    EmulatedRefund seen = refunds.get(key(m.mchId(), outRefundNo));
    if (seen != null) return ok(seen.json());
    EmulatedTrade t = trades.get(key(m.mchId(), outTradeNo));
    if (t == null) return error(404, "RESOURCE_NOT_EXISTS", "订单不存在");
    if (!t.paid()) return error(400, "INVALID_REQUEST", "订单未支付，不能退款");
    long amount = b.path("amount").path("refund").asLong(0);
    if (b.path("amount").path("total").asLong(0) != t.totalMinor()) return error(400, "PARAM_ERROR", "订单金额与原订单不一致");
    long asked = refunds.values().stream().filter(r -> r.mchId().equals(m.mchId()) && r.outTradeNo().equals(outTradeNo))
        .mapToLong(EmulatedRefund::refundMinor).sum();
    if (amount <= 0 || asked + amount > t.totalMinor()) return error(400, "INVALID_REQUEST", "申请退款金额超过订单可退金额");
    EmulatedRefund fresh = new EmulatedRefund(m.mchId(), outRefundNo, transactionId("5030"), outTradeNo, t.transactionId(),
        amount, t.totalMinor(), "PROCESSING", text(b, "notify_url"), settings.clock().instant(), null);
    EmulatedRefund r = refunds.computeIfAbsent(key(m.mchId(), outRefundNo), k -> fresh);
    if (r == fresh) scheduleSettlement(m, r);
    return ok(r.json());
  }

  private void scheduleSettlement(Merchant m, EmulatedRefund r) {
    scheduler.schedule(() -> {
      EmulatedRefund done = refunds.computeIfPresent(key(m.mchId(), r.outRefundNo()),
          (k, was) -> was.status().equals("PROCESSING") ? was.succeededAt(settings.clock().instant()) : was);
      trades.computeIfPresent(key(m.mchId(), r.outTradeNo()), (k, t) -> t.refunded(r.refundMinor()));
      if (done != null && done.notifyUrl() != null) {
        callbacks.send(done.notifyUrl(), m.apiV3Key(), "REFUND.SUCCESS", "退款成功", "refund", done.callbackJson());
      }
    }, settings.refundSettlesAfter().toMillis(), TimeUnit.MILLISECONDS);
  }

  private WireResponse queryRefund(Merchant m, String outRefundNo) {
    EmulatedRefund r = refunds.get(key(m.mchId(), outRefundNo));
    return r == null ? error(404, "RESOURCE_NOT_EXISTS", "退款单不存在") : ok(r.json());
  }

  /** The trade bill of a Beijing day: trades paid and refunds paid back that day. */
  private WireResponse tradeBill(Merchant m, Map<String, String> query) {
    LocalDate day;
    try {
      day = LocalDate.parse(query.getOrDefault("bill_date", ""));
    } catch (RuntimeException e) {
      return error(400, "PARAM_ERROR", "bill_date 格式错误");
    }
    if (day.isAfter(LocalDate.now(settings.clock().withZone(EmulatedTrade.CHINA)))) {
      return error(400, "NO_STATEMENT_EXIST", "账单日期不能是将来");
    }
    List<WechatTradeBill.Row> rows = new ArrayList<>();
    trades.values().stream()
        .filter(t -> t.mchId().equals(m.mchId()) && t.successTime() != null && onDay(t.successTime(), day))
        .sorted(Comparator.comparing(EmulatedTrade::successTime))
        .forEach(t -> rows.add(new WechatTradeBill.Row(t.successTime(), t.appId(), t.mchId(), t.transactionId(),
            t.outTradeNo(), t.tradeType(), "SUCCESS", t.totalMinor(), t.description(), t.attach(), null, null, 0, null)));
    refunds.values().stream()
        .filter(r -> r.mchId().equals(m.mchId()) && r.successTime() != null && onDay(r.successTime(), day))
        .sorted(Comparator.comparing(EmulatedRefund::successTime))
        .forEach(r -> {
          EmulatedTrade t = trades.get(key(m.mchId(), r.outTradeNo()));
          rows.add(new WechatTradeBill.Row(r.successTime(), t.appId(), t.mchId(), t.transactionId(), t.outTradeNo(),
              t.tradeType(), "REFUND", t.totalMinor(), t.description(), t.attach(), r.refundId(), r.outRefundNo(),
              r.refundMinor(), r.status()));
        });
    if (rows.isEmpty()) return error(400, "NO_STATEMENT_EXIST", "账单文件不存在");
    byte[] bytes = WechatTradeBill.write(rows).getBytes(StandardCharsets.UTF_8);
    String token = UUID.randomUUID().toString().replace("-", "");
    bills.put(token, bytes);
    return ok(JSON.createObjectNode().put("hash_type", "SHA1").put("hash_value", sha1(bytes))
        .put("download_url", WechatPayConfig.DEFAULT_BASE_URL + DOWNLOAD + "?token=" + token));
  }

  /** A bill file: WeChat Pay does not sign it, the hash in the signed answer that named it does. */
  private WireResponse download(String token) {
    byte[] file = bills.get(token);
    if (file == null) return error(404, "RESOURCE_NOT_EXISTS", "账单不存在或已过期");
    return new WireResponse(200, Map.of("Content-Type", "text/plain; charset=utf-8"), file);
  }

  // ---- signing, checking and writing

  private boolean verifies(Merchant m, WechatPayAuthorization auth, String message) {
    try {
      return m.verifier().verify(auth.serialNo(), message, auth.signature());
    } catch (RuntimeException e) {
      return false;
    }
  }

  private boolean fresh(String timestamp) {
    try {
      return Math.abs(settings.clock().instant().getEpochSecond() - Long.parseLong(timestamp)) <= MAX_SKEW.toSeconds();
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private WireResponse ok(ObjectNode body) {
    return signed(200, "application/json", write(body), platform);
  }

  private WireResponse error(int status, String code, String message) {
    return signed(status, "application/json", write(JSON.createObjectNode().put("code", code).put("message", message)), platform);
  }

  private WireResponse signed(int status, String contentType, String body, Signer signer) {
    String timestamp = Long.toString(settings.clock().instant().getEpochSecond());
    String nonce = NonceUtil.createNonce(32);
    var signature = signer.sign(WechatPayAuthorization.answerMessage(timestamp, nonce, body));
    Map<String, String> headers = new HashMap<>();
    headers.put("Wechatpay-Timestamp", timestamp);
    headers.put("Wechatpay-Nonce", nonce);
    headers.put("Wechatpay-Signature", signature.getSign());
    headers.put("Wechatpay-Serial", publicKeyId);
    headers.put("Request-ID", UUID.randomUUID().toString());
    return WireResponse.of(status, contentType, body, headers);
  }

  /** A key that is not the platform's, for forged answers: made once, when first needed. */
  private Signer forger() {
    if (forger == null) forger = new RSASigner(publicKeyId, generateKeyPair().getPrivate());
    return forger;
  }

  private String transactionId(String prefix) {
    String day = DateTimeFormatter.BASIC_ISO_DATE.format(settings.clock().instant().atZone(EmulatedTrade.CHINA));
    return prefix + "0" + day + String.format("%015d", serial.incrementAndGet());
  }

  private static boolean onDay(Instant at, LocalDate day) {
    return at.atZone(EmulatedTrade.CHINA).toLocalDate().equals(day);
  }

  private static String key(String mchId, String no) {
    return mchId + " " + no;
  }

  private static String text(JsonNode b, String field) {
    return b.hasNonNull(field) ? b.get(field).asText() : null;
  }

  private static Map<String, String> query(String query) {
    Map<String, String> params = new HashMap<>();
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) continue;
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      params.put(name, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return params;
  }

  private static String write(ObjectNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void pause(Duration d) {
    if (d.isZero()) return;
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String sha1(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static KeyPair generateKeyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(der) + "\n-----END " + type + "-----\n";
  }
}
