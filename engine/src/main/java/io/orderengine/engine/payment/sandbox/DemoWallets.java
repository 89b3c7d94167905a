package io.orderengine.engine.payment.sandbox;

import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.payment.CallbackSignature;
import io.orderengine.engine.payment.Gateway;
import io.orderengine.engine.payment.BadSignature;
import io.orderengine.engine.payment.Callback;
import io.orderengine.engine.payment.Provider;
import io.orderengine.engine.payment.RefundResult;
import io.orderengine.engine.payment.StatementLine;
import io.orderengine.engine.payment.TradeRef;
import io.orderengine.engine.payment.TradeResult;
import io.orderengine.engine.payment.alipay.AlipayConnector;
import io.orderengine.engine.payment.alipay.AlipayEmulator;
import io.orderengine.engine.payment.alipay.AlipayNumbers;
import io.orderengine.engine.payment.wechat.EmulatedTrade;
import io.orderengine.engine.payment.wechat.WechatPayConnector;
import io.orderengine.engine.payment.wechat.WechatPayEmulator;
import io.orderengine.engine.payment.wechat.WechatTradeNumbers;
import io.orderengine.engine.payment.wire.EmulatorStore;
import io.orderengine.engine.payment.wire.WireRequest;
import io.orderengine.engine.payment.wire.WireResponse;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The demo's wallets: WeChat Pay and Alipay emulated over their real wire protocols, served by the
 * demo node under {@code /sandbox/wechat} and {@code /sandbox/alipay}, their trades kept in the
 * cluster's journal ({@link io.orderengine.engine.payment.wire.StoredRecords}) so every node serves
 * the same ones. The node pays through the real adapters ({@code WechatPayGateway},
 * {@code AlipayGateway}) pointed at them with a demo merchant account, so the demo runs the one code
 * path a venue's own account runs; nothing in the engine knows it talks to an emulator.
 *
 * <p>The demo merchant's keys ship in the jar ({@code demo-keys/}, {@code sandbox-keys/}): they
 * sign nothing but the demo's own emulated trades.
 */
public final class DemoWallets implements AutoCloseable {
  public static final String WECHAT_MCH_ID = "1900000109";
  public static final String WECHAT_APP_ID = "wxd678efh567hg6787";
  static final String WECHAT_SERIAL_NO = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1";
  static final String WECHAT_PUBLIC_KEY_ID = "PUB_KEY_ID_0119000001092025010100000000000001";
  static final String WECHAT_API_V3_KEY = "DemoApiV3Key0000OrderEngine00001";
  public static final String ALIPAY_APP_ID = "2021000000000001";
  /**
   * The pauses between a callback's posts: the providers' own schedules compressed (WeChat Pay's
   * first pause is 15 s, Alipay's 4 minutes), so a demo shows a lost callback found again at once.
   */
  static final List<java.time.Duration> RETRIES = java.util.stream.Stream.of(500, 1_000, 2_000, 4_000, 8_000, 16_000,
      32_000, 64_000, 128_000, 300_000).map(java.time.Duration::ofMillis).toList();

  private final WechatPayEmulator wechat;
  private final AlipayEmulator alipay;
  private final String wechatMerchantKeyPem;
  private final String alipayAppKeyPem;
  private final ExecutorService threads;
  private final LateGateway wechatGateway;
  private final LateGateway alipayGateway;

  /**
   * The emulators over {@code store}, with the demo merchant registered at each. {@code retired}:
   * the sandbox wallets of releases before the emulators, whose trades a demo node upgraded from
   * one still keeps in its journal; the demo's gateways find those trades there (none: a fresh node).
   */
  public DemoWallets(EmulatorStore store, Map<Provider, Gateway> retired) {
    this.wechatGateway = new LateGateway(Provider.WECHAT, retired.get(Provider.WECHAT));
    this.alipayGateway = new LateGateway(Provider.ALIPAY, retired.get(Provider.ALIPAY));
    this.wechatMerchantKeyPem = CallbackSignature.resource("demo-keys/wechat-merchant-private.pem");
    this.alipayAppKeyPem = CallbackSignature.resource("demo-keys/alipay-app-private.pem");
    KeyPair wechatPlatform = keyPair(CallbackSignature.resource("sandbox-keys/wechat-private.pem"));
    this.wechat = new WechatPayEmulator(wechatPlatform, WECHAT_PUBLIC_KEY_ID, WechatPayEmulator.Settings.defaults()
        .withCodeUrl(token -> "/sandbox/wechat/trades/" + token).withRetrySchedule(RETRIES), store);
    wechat.registerMerchant(WECHAT_MCH_ID, WECHAT_APP_ID, WECHAT_SERIAL_NO, keyPair(wechatMerchantKeyPem).getPublic(),
        WECHAT_API_V3_KEY);
    this.alipay = new AlipayEmulator(keyPair(CallbackSignature.resource("sandbox-keys/alipay-private.pem")),
        token -> "/sandbox/alipay/trades/" + token, RETRIES, Clock.systemUTC(), store);
    alipay.registerApp(ALIPAY_APP_ID, CallbackSignature.pem("PUBLIC KEY", keyPair(alipayAppKeyPem).getPublic().getEncoded()));
    // the sandbox's promise (shared/API.md): any code but DECLINE… or USERPAYING… pays at once
    wechat.acceptAnyPaymentCode();
    alipay.acceptAnyPaymentCode();
    // each call waits on its records (asks to their entities): threads that mostly wait, as many as a rush needs
    this.threads = Executors.newFixedThreadPool(16, r -> {
      Thread t = new Thread(r, "demo-wallets");
      t.setDaemon(true);
      return t;
    });
  }

  /** The node's own gateway at a demo wallet: the real adapter, once {@link #pointAt} told it where the node is. */
  public Gateway gateway(Provider provider) {
    return provider == Provider.WECHAT ? wechatGateway : alipayGateway;
  }

  /**
   * Points the demo merchant's adapters at this node's emulators ({@code base}: the node's own HTTP
   * address): requests to {@code base/sandbox/…}, callbacks to {@code base/api/v1/gateways/…/notify}.
   */
  public void pointAt(String base) {
    alipay.serveBillsAt(base + "/sandbox/alipay");
    wechatGateway.connect(WechatPayConnector.standard().connect(Map.of(
        "mchId", WECHAT_MCH_ID, "appId", WECHAT_APP_ID, "merchantSerialNo", WECHAT_SERIAL_NO,
        "privateKeyPem", wechatMerchantKeyPem, "apiV3Key", WECHAT_API_V3_KEY, "publicKeyId", WECHAT_PUBLIC_KEY_ID,
        "publicKeyPem", wechat.publicKeyPem(), "notifyUrl", base + "/api/v1/gateways/wechat/notify",
        "baseUrl", base + "/sandbox/wechat")));
    alipayGateway.connect(AlipayConnector.standard().connect(Map.of(
        "appId", ALIPAY_APP_ID, "appPrivateKeyPem", alipayAppKeyPem, "alipayPublicKeyPem", alipay.alipayPublicKeyPem(),
        "notifyUrl", base + "/api/v1/gateways/alipay/notify", "gatewayUrl", base + "/sandbox/alipay/gateway.do")));
  }

  public boolean serves(Provider provider) {
    return provider == Provider.WECHAT || provider == Provider.ALIPAY;
  }

  /** One request to an emulated provider, served on the wallets' own threads (their records are asked for, blocking). */
  public CompletionStage<WireResponse> serve(Provider provider, WireRequest request) {
    return CompletableFuture.supplyAsync(() -> (provider == Provider.WECHAT ? wechat : alipay).handle(request), threads);
  }

  // ---- the customer's side: by the trade number the payment shows, or the token its QR code names

  public CompletionStage<SandboxTrade.View> trade(Provider provider, String id) {
    return async(() -> view(provider, id));
  }

  public CompletionStage<SandboxTrade.View> customerPays(Provider provider, String id) {
    return async(() -> {
      SandboxTrade.View before = view(provider, id);
      if (before.state() == SandboxTrade.TradeState.SUCCESS) return before; // paying a paid trade changes nothing
      String out = outTradeNo(provider, id);
      if (provider == Provider.WECHAT) {
        act(() -> wechat.pay(out));
      } else if (!alipay.pay(out)) {
        throw new Rejected(Rejection.VALIDATION_FAILED, "the trade is " + before.state() + ": it cannot be paid");
      }
      return view(provider, id);
    });
  }

  public CompletionStage<SandboxTrade.View> customerDeclines(Provider provider, String id, String reason) {
    return async(() -> {
      SandboxTrade.View before = view(provider, id);
      if (before.state() == SandboxTrade.TradeState.PAYERROR) return before; // declining a failed trade changes nothing
      String out = outTradeNo(provider, id);
      if (provider == Provider.WECHAT) {
        act(() -> wechat.decline(out));
      } else if (!alipay.decline(out)) {
        throw new Rejected(Rejection.VALIDATION_FAILED, "the trade cannot be declined now");
      }
      return view(provider, id);
    });
  }

  public CompletionStage<SandboxTrade.View> redeliver(Provider provider, String id) {
    return async(() -> {
      String out = outTradeNo(provider, id);
      if (provider == Provider.WECHAT) {
        act(() -> wechat.redeliver(out));
      } else if (!alipay.redeliver(out)) {
        throw new Rejected(Rejection.VALIDATION_FAILED, "no notification was sent about this trade yet");
      }
      return view(provider, id);
    });
  }

  /**
   * Faults the emulated provider shows from now on, on this node (each node serves its own share of
   * the provider's traffic): callbacks lost or sent twice, calls refused unserved, answers garbled or
   * forged, answers late. Each call replaces the faults set before.
   *
   * @param loseCallbacks the next this many callbacks are never sent (a query finds the result)
   * @param duplicateCallbacks every callback from now on is sent twice
   * @param failCalls the next this many calls are answered 500 (WeChat Pay) or 503 (Alipay) unserved
   * @param garbleAnswers the next this many answers are not the provider's (an HTML error page)
   * @param forgeAnswers the next this many answers fail their signature (a stranger's key, or altered after signing)
   * @param delayMillis every answer from now on waits this long (0: none)
   */
  public record Faults(int loseCallbacks, boolean duplicateCallbacks, int failCalls, int garbleAnswers, int forgeAnswers,
      long delayMillis) {
    public static final int MAX_COUNT = 100;
    public static final long MAX_DELAY_MILLIS = 10_000;

    public Faults {
      for (int n : new int[] {loseCallbacks, failCalls, garbleAnswers, forgeAnswers}) {
        if (n < 0 || n > MAX_COUNT) throw new IllegalArgumentException("a fault's count is 0 to " + MAX_COUNT);
      }
      if (delayMillis < 0 || delayMillis > MAX_DELAY_MILLIS) {
        throw new IllegalArgumentException("delayMillis is 0 to " + MAX_DELAY_MILLIS);
      }
    }
  }

  public void inject(Provider provider, Faults f) {
    java.time.Duration delay = java.time.Duration.ofMillis(f.delayMillis());
    if (provider == Provider.WECHAT) {
      wechat.loseCallbacks(f.loseCallbacks());
      wechat.duplicateCallbacks(f.duplicateCallbacks());
      wechat.failNextCalls(f.failCalls());
      wechat.garbleNextAnswers(f.garbleAnswers());
      wechat.forgeNextAnswers(f.forgeAnswers());
      wechat.delayAnswers(delay);
    } else {
      alipay.loseNextNotifications(f.loseCallbacks());
      alipay.duplicateNotifications(f.duplicateCallbacks());
      alipay.failNextCalls(f.failCalls());
      alipay.garbleNextCalls(f.garbleAnswers());
      alipay.tamperNextAnswers(f.forgeAnswers());
      alipay.delayAnswers(delay);
    }
  }

  private SandboxTrade.View view(Provider provider, String id) {
    String out = outTradeNo(provider, id);
    if (provider == Provider.WECHAT) {
      EmulatedTrade t = wechat.trade(out).orElseThrow();
      String ours = WechatTradeNumbers.paymentId(out).or(() -> Optional.ofNullable(t.attach())).orElse(out);
      return new SandboxTrade.View(true, provider, ours, t.totalMinor(), t.description(), t.onPhone(),
          wechatState(t.state()), t.transactionId(), t.state().equals("PAYERROR") ? t.stateDesc() : null, List.of(),
          t.paid() && t.notifyUrl() != null ? 1 : 0, false, t.createdAt(), t.successTime());
    }
    alipay.scan(out); // the customer opened the code: Alipay now shows the trade
    AlipayEmulator.TradeView t = alipay.trade(out).orElseThrow();
    SandboxTrade.TradeState state = switch (t.stage()) {
      case UNSCANNED, WAIT_BUYER_PAY -> SandboxTrade.TradeState.NOTPAY;
      case TRADE_SUCCESS -> SandboxTrade.TradeState.SUCCESS;
      case TRADE_CLOSED -> SandboxTrade.TradeState.CLOSED;
    };
    return new SandboxTrade.View(true, provider, AlipayNumbers.tradeNo(out, null).orElse(out), t.totalFen(), null,
        t.qrCode() != null, state, t.tradeNo(), null,
        List.of(), t.lastNotifyId() != null ? 1 : 0, t.notificationAnswered(), null, null);
  }

  /** The emulator's number for what the customer names: a QR token, the provider's own number, or the payment's. */
  private String outTradeNo(Provider provider, String id) {
    if (provider == Provider.WECHAT) {
      Optional<EmulatedTrade> byToken = wechat.tradeByToken(id);
      if (byToken.isPresent()) return byToken.get().outTradeNo();
      if (wechat.trade(id).isPresent()) return id;
      String mapped = mapped(() -> WechatTradeNumbers.outTradeNo(id));
      if (mapped != null && wechat.trade(mapped).isPresent()) return mapped;
    } else {
      Optional<String> byToken = alipay.tradeByToken(id);
      if (byToken.isPresent()) return byToken.get();
      if (alipay.trade(id).isPresent()) return id;
      String mapped = mapped(() -> AlipayNumbers.outTradeNo(id));
      if (mapped != null && alipay.trade(mapped).isPresent()) return mapped;
    }
    throw new Rejected(Rejection.NOT_FOUND, "no trade " + id + " at the " + provider.wire() + " sandbox");
  }

  private static String mapped(Supplier<String> map) {
    try {
      return map.get();
    } catch (IllegalArgumentException notOurs) {
      return null;
    }
  }

  private static void act(Runnable change) {
    try {
      change.run();
    } catch (IllegalStateException | IllegalArgumentException e) {
      throw new Rejected(Rejection.VALIDATION_FAILED, e.getMessage());
    }
  }

  private static SandboxTrade.TradeState wechatState(String state) {
    switch (state) {
      case "USERPAYING":
        return SandboxTrade.TradeState.USERPAYING;
      case "SUCCESS":
      case "REFUND":
        return SandboxTrade.TradeState.SUCCESS;
      case "PAYERROR":
        return SandboxTrade.TradeState.PAYERROR;
      case "CLOSED":
      case "REVOKED":
        return SandboxTrade.TradeState.CLOSED;
      default:
        return SandboxTrade.TradeState.NOTPAY;
    }
  }

  private <T> CompletionStage<T> async(Supplier<T> work) {
    return CompletableFuture.supplyAsync(work, threads);
  }

  @Override
  public void close() {
    wechat.close();
    alipay.close();
    threads.shutdownNow();
  }

  private static KeyPair keyPair(String privatePem) {
    PrivateKey key = CallbackSignature.privateKey(privatePem);
    return new KeyPair(CallbackSignature.publicHalf(key), key);
  }

  /**
   * The node's gateway at a demo wallet: the real adapter, once the node knows its own address. A
   * trade the emulator does not know may be one of the retired sandbox's, made before an upgrade:
   * its queries, refunds and statement lines come from there.
   */
  private static final class LateGateway implements Gateway {
    private final Provider provider;
    private final Gateway retired;
    private volatile Gateway adapter;

    LateGateway(Provider provider, Gateway retired) {
      this.provider = provider;
      this.retired = retired;
    }

    /** The retired sandbox, if it holds this trade. */
    private CompletionStage<Optional<Gateway>> retiredHolding(TradeRef ref) {
      if (retired == null) return CompletableFuture.completedFuture(Optional.empty());
      return retired.query(ref).handle((r, failure) ->
          failure == null && r.status() != TradeResult.Status.NOT_FOUND ? Optional.of(retired) : Optional.empty());
    }

    private <T> CompletionStage<T> holding(TradeRef ref, java.util.function.Function<Gateway, CompletionStage<T>> call) {
      Gateway now = adapter();
      return retiredHolding(ref).thenCompose(old -> call.apply(old.orElse(now)));
    }

    void connect(Gateway real) {
      this.adapter = real;
    }

    private Gateway adapter() {
      Gateway a = adapter;
      if (a == null) throw new IllegalStateException("the demo's " + provider.wire() + " wallet is not served yet");
      return a;
    }

    @Override
    public Provider provider() {
      return provider;
    }

    @Override
    public CompletionStage<TradeResult> createQrTrade(String tradeNo, long amountMinor, String description) {
      return adapter().createQrTrade(tradeNo, amountMinor, description);
    }

    /** The demo's WeChat Pay merchant makes JSAPI trades, as the real adapter does; Alipay's takes none. */
    @Override
    public boolean takesInAppPayments() {
      Gateway a = adapter;
      return a != null ? a.takesInAppPayments() : provider == Provider.WECHAT;
    }

    @Override
    public CompletionStage<TradeResult> createJsapiTrade(String tradeNo, long amountMinor, String description,
        String openid) {
      return adapter().createJsapiTrade(tradeNo, amountMinor, description, openid);
    }

    @Override
    public CompletionStage<TradeResult> payWithCode(TradeRef ref, long amountMinor, String authCode, String description) {
      return adapter().payWithCode(ref, amountMinor, authCode, description);
    }

    @Override
    public CompletionStage<TradeResult> query(TradeRef ref) {
      return adapter().query(ref).thenCompose(r -> r.status() != TradeResult.Status.NOT_FOUND || retired == null
          ? CompletableFuture.completedFuture(r)
          : retired.query(ref).handle((old, failure) ->
              failure == null && old.status() != TradeResult.Status.NOT_FOUND ? old : r));
    }

    @Override
    public CompletionStage<TradeResult> close(TradeRef ref) {
      return holding(ref, g -> g.close(ref));
    }

    @Override
    public CompletionStage<RefundResult> refund(TradeRef ref, String refundNo, long amountMinor) {
      return holding(ref, g -> g.refund(ref, refundNo, amountMinor));
    }

    @Override
    public CompletionStage<RefundResult> queryRefund(TradeRef ref, String refundNo) {
      return holding(ref, g -> g.queryRefund(ref, refundNo));
    }

    @Override
    public CompletionStage<List<StatementLine>> statement(LocalDate date, ZoneId zone) {
      CompletionStage<List<StatementLine>> now = adapter().statement(date, zone);
      if (retired == null) return now;
      return now.thenCombine(retired.statement(date, zone), (emulated, old) -> {
        List<StatementLine> all = new java.util.ArrayList<>(old);
        all.addAll(emulated);
        return List.copyOf(all);
      });
    }

    @Override
    public Callback verifyCallback(Map<String, String> headers, String body) throws BadSignature {
      return adapter().verifyCallback(headers, body);
    }

    @Override
    public CallbackAnswer acknowledgement() {
      return adapter().acknowledgement();
    }

    @Override
    public CallbackAnswer refusal(String why) {
      return adapter().refusal(why);
    }
  }
}
