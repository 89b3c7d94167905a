package io.orderengine.engine.payment.wechat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.wechat.pay.java.core.cipher.RSASigner;
import com.wechat.pay.java.core.cipher.RSAVerifier;
import com.wechat.pay.java.core.cipher.Signer;
import com.wechat.pay.java.core.util.NonceUtil;
import io.orderengine.engine.payment.CallbackSignature;
import io.orderengine.engine.payment.wire.EmulatorStore;
import io.orderengine.engine.payment.wire.ProviderEmulator;
import io.orderengine.engine.payment.wire.WireRequest;
import io.orderengine.engine.payment.wire.WireResponse;
import java.net.http.HttpClient;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
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
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Duration MAX_SKEW = Duration.ofMinutes(5);

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

  record Merchant(String mchId, String appId, String serialNo, RSAVerifier verifier, String apiV3Key) {}

  private final KeyPair platformKeys;
  private final String publicKeyId;
  private final Settings settings;
  private final Signer platform;
  private final Map<String, Merchant> merchants = new ConcurrentHashMap<>();
  private final WechatEmulatorBook book;
  private final WechatEmulatorApis apis;
  private final ScheduledExecutorService scheduler;
  private final WechatCallbackSender callbacks;
  private final AtomicInteger failing = new AtomicInteger();
  private final AtomicInteger garbling = new AtomicInteger();
  private final AtomicInteger forging = new AtomicInteger();
  private final AtomicReference<Duration> delay = new AtomicReference<>(Duration.ZERO);
  private volatile Signer forger;
  private volatile boolean anyCode;

  /** An emulator with a platform key pair of its own. */
  public WechatPayEmulator() {
    this(Settings.defaults());
  }

  public WechatPayEmulator(Settings settings) {
    this(generateKeyPair(), "PUB_KEY_ID_01" + String.format("%030d", new BigInteger(96, new SecureRandom())), settings);
  }

  /** An emulator signing with a given platform key pair, known to merchants as {@code publicKeyId}. */
  public WechatPayEmulator(KeyPair platformKeys, String publicKeyId, Settings settings) {
    this(platformKeys, publicKeyId, settings, EmulatorStore.inMemory());
  }

  /**
   * An emulator keeping its trades in {@code store}: emulators of one platform key sharing a store
   * serve as one WeChat Pay (the servers of a demo cluster, each node one of them).
   */
  public WechatPayEmulator(KeyPair platformKeys, String publicKeyId, Settings settings, EmulatorStore store) {
    this.book = new WechatEmulatorBook(store);
    this.apis = new WechatEmulatorApis(this, book);
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
      publicKey = CallbackSignature.publicHalf(config.validate().privateKey());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("WeChat Pay config: privateKeyPem holds no public half", e);
    }
    registerMerchant(config.mchId(), config.appId(), config.merchantSerialNo(), publicKey, config.apiV3Key());
  }

  @Override
  public WireResponse handle(WireRequest request) {
    pause(delay.get());
    if (failing.getAndUpdate(n -> Math.max(0, n - 1)) > 0) return error(500, "SYSTEM_ERROR", "系统错误");
    WireResponse answer = apis.serve(request);
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
    return book.trade(outTradeNo);
  }

  /** The QR trade a code_url's token names: what the demo's "customer's phone" page shows. */
  public Optional<EmulatedTrade> tradeByToken(String token) {
    return book.tradeByToken(token);
  }

  public Optional<EmulatedRefund> refund(String outRefundNo) {
    return book.refund(outRefundNo).map(this::settleIfDue);
  }

  /** The customer pays a QR trade, or confirms a codepay trade that was waiting: a callback follows for QR trades. */
  public EmulatedTrade pay(String outTradeNo) {
    String txnId = transactionId("4200");
    EmulatedTrade after = book.change(outTradeNo, t -> {
      if (!t.open()) throw new IllegalStateException("trade " + outTradeNo + " is " + t.state() + ", it cannot be paid");
      return t.paidAt(txnId, now());
    }).orElseThrow(() -> new IllegalArgumentException("no trade " + outTradeNo));
    if (after.notifyUrl() != null) {
      Merchant m = merchants.get(after.mchId());
      if (m != null) {
        book.keepCallback(outTradeNo, callbacks.send(after.notifyUrl(), m.apiV3Key(), "TRANSACTION.SUCCESS", "支付成功",
            "transaction", after.json()));
      }
    }
    return after;
  }

  /** The customer's payment fails (the bank refuses, or the customer cancels the password prompt). */
  public EmulatedTrade decline(String outTradeNo) {
    return book.change(outTradeNo, t -> {
      if (!t.open()) throw new IllegalStateException("trade " + outTradeNo + " is " + t.state() + ", it cannot be declined");
      return t.in("PAYERROR", "支付失败，请重新下单支付");
    }).orElseThrow(() -> new IllegalArgumentException("no trade " + outTradeNo));
  }

  /** Sends the last callback once more, with the same id. */
  public void redeliver() {
    callbacks.redeliver();
  }

  /** Sends a trade's last callback once more, with its id, from whichever server of the emulator sent it. */
  public void redeliver(String outTradeNo) {
    callbacks.redeliver(book.callback(outTradeNo)
        .orElseThrow(() -> new IllegalStateException("no callback was sent about trade " + outTradeNo)));
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

  // ---- what the APIs share

  /**
   * From now on any payment code but those starting {@code DECLINE} or {@code USERPAYING} pays at
   * once, as the demo's sandbox promises its users; by default only codes shaped as WeChat's do.
   */
  public void acceptAnyPaymentCode() {
    anyCode = true;
  }

  boolean acceptsAnyCode() {
    return anyCode;
  }

  Merchant merchant(String mchId) {
    return merchants.get(mchId);
  }

  Instant now() {
    return settings.clock().instant();
  }

  String codeUrl(EmulatedTrade t) {
    return settings.codeUrl().apply(t.token());
  }

  /** Pays a refund back once its time has come, whichever server of the emulator gets there first. */
  void settleLater(EmulatedRefund r) {
    try {
      scheduler.schedule(() -> settleIfDue(r), settings.refundSettlesAfter().toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      // the emulator was closed; the refund is paid back when it is next looked at
    }
  }

  /** The refund as it is now: a PROCESSING one whose time has come is paid back first, and its callback sent. */
  EmulatedRefund settleIfDue(EmulatedRefund r) {
    if (!r.status().equals("PROCESSING") || now().isBefore(r.createdAt().plus(settings.refundSettlesAfter()))) return r;
    var settledHere = new AtomicReference<Boolean>(false);
    EmulatedRefund done = book.settle(r.outRefundNo(), now(), settledHere).orElse(r);
    Merchant m = merchants.get(done.mchId());
    if (settledHere.get() && done.notifyUrl() != null && m != null) {
      callbacks.send(done.notifyUrl(), m.apiV3Key(), "REFUND.SUCCESS", "退款成功", "refund", done.callbackJson());
    }
    return done;
  }

  // ---- signing, checking and writing

  boolean verifies(Merchant m, WechatPayAuthorization auth, String message) {
    try {
      return m.verifier().verify(auth.serialNo(), message, auth.signature());
    } catch (RuntimeException e) {
      return false;
    }
  }

  boolean fresh(String timestamp) {
    try {
      return Math.abs(settings.clock().instant().getEpochSecond() - Long.parseLong(timestamp)) <= MAX_SKEW.toSeconds();
    } catch (NumberFormatException e) {
      return false;
    }
  }

  WireResponse ok(ObjectNode body) {
    return signed(200, "application/json", write(body), platform);
  }

  WireResponse error(int status, String code, String message) {
    return signed(status, "application/json", write(JSON.createObjectNode().put("code", code).put("message", message)), platform);
  }

  WireResponse signedEmpty(int status) {
    return signed(status, "application/json", "", platform);
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

  /** WeChat's numbers: a prefix, the Beijing day and random digits, so servers sharing a store never make one twice. */
  String transactionId(String prefix) {
    String day = DateTimeFormatter.BASIC_ISO_DATE.format(now().atZone(EmulatedTrade.CHINA).toLocalDate());
    return prefix + "0" + day + String.format("%015d", RANDOM.nextLong(1_000_000_000_000_000L));
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

  static String sha1(byte[] bytes) {
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
    return CallbackSignature.pem(type, der);
  }
}
