package io.orderengine.engine.payment.wechat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.wechat.pay.java.core.cipher.AeadAesCipher;
import com.wechat.pay.java.core.cipher.RSASigner;
import io.orderengine.engine.payment.BadSignature;
import io.orderengine.engine.payment.Callback;
import io.orderengine.engine.payment.Gateway;
import io.orderengine.engine.payment.Notification;
import io.orderengine.engine.payment.RefundNotification;
import io.orderengine.engine.payment.RefundResult;
import io.orderengine.engine.payment.StatementLine;
import io.orderengine.engine.payment.TradeRef;
import io.orderengine.engine.payment.TradeResult;
import io.orderengine.engine.payment.wire.LocalServer;
import io.orderengine.engine.payment.wire.WireRequest;
import io.orderengine.engine.payment.wire.WireResponse;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import io.orderengine.engine.payment.wire.EmulatorStore;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The WeChat Pay adapter against the emulator, both over real HTTP on 127.0.0.1: the signed requests,
 * the signed answers and the encrypted callbacks are the ones WeChat Pay's wire protocol carries.
 */
class WechatPayGatewayTest {
  private static final String MCH_ID = "1900000109";
  private static final String APP_ID = "wxd678efh567hg6787";
  private static final String SERIAL = "5157F09EFDC096DE15EBE81A47057A72";
  private static final String API_V3_KEY = "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6";
  private static final String PUBLIC_KEY_ID = "PUB_KEY_ID_0119000001092024120300000000";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static KeyPair merchantKeys;
  private static KeyPair platformKeys;
  private static KeyPair strangerKeys;

  private WechatPayEmulator emulator;
  private LocalServer wechat;
  private LocalServer receiver;
  private volatile WechatPayGateway gateway;
  private HttpClient http;
  private final BlockingQueue<Callback> callbacks = new LinkedBlockingQueue<>();
  private final BlockingQueue<WireRequest> posted = new LinkedBlockingQueue<>();
  private final AtomicInteger refuseNext = new AtomicInteger();

  @BeforeAll
  static void keys() {
    merchantKeys = WechatPayEmulator.generateKeyPair();
    platformKeys = WechatPayEmulator.generateKeyPair();
    strangerKeys = WechatPayEmulator.generateKeyPair();
  }

  @BeforeEach
  void start() {
    emulator = new WechatPayEmulator(platformKeys, PUBLIC_KEY_ID, WechatPayEmulator.Settings.defaults()
        .withRetrySchedule(List.of(Duration.ofMillis(200), Duration.ofMillis(200)))
        .withRefundSettlesAfter(Duration.ofMillis(300)));
    wechat = LocalServer.start(emulator);
    receiver = LocalServer.start(request -> {
      posted.add(request);
      Gateway.CallbackAnswer answer;
      try {
        if (refuseNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) throw new BadSignature("the receiver is busy");
        callbacks.add(gateway.verifyCallback(request.headers(), request.body()));
        answer = gateway.acknowledgement();
      } catch (BadSignature e) {
        answer = gateway.refusal(e.getMessage());
      }
      return WireResponse.of(answer.status(), answer.contentType(), answer.body(), Map.of());
    });
    emulator.registerMerchant(config());
    http = HttpClient.newHttpClient();
    gateway = new WechatPayGateway(config(), http, Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    emulator.close();
    wechat.close();
    receiver.close();
  }

  private WechatPayConfig config() {
    return new WechatPayConfig(MCH_ID, APP_ID, SERIAL, WechatPayEmulator.pem("PRIVATE KEY", merchantKeys.getPrivate().getEncoded()),
        API_V3_KEY, PUBLIC_KEY_ID, emulator.publicKeyPem(), receiver.baseUrl() + "/wechat/notify", wechat.baseUrl());
  }

  // ---- Native (QR) trades

  @Test
  void aQrTradeIsPaidOnThePhoneAndItsCallbackReadsSucceeded() throws Exception {
    TradeResult created = await(gateway.createQrTrade("v1.bill-7.p1", 2500, "Table 4, 3 dishes"));
    assertThat(created.status()).isEqualTo(TradeResult.Status.PENDING);
    assertThat(created.qrCodeUrl()).startsWith("weixin://wxpay/bizpayurl?pr=");

    emulator.pay(WechatTradeNumbers.outTradeNo("v1.bill-7.p1"));

    Notification n = (Notification) callbacks.poll(5, TimeUnit.SECONDS);
    assertThat(n).isNotNull();
    assertThat(n.tradeNo()).isEqualTo("v1.bill-7.p1");
    assertThat(n.status()).isEqualTo(TradeResult.Status.SUCCEEDED);
    assertThat(n.amountMinor()).isEqualTo(2500);
    assertThat(n.gatewayTxnId()).startsWith("4200");
    assertThat(await(gateway.query(TradeRef.of("v1.bill-7.p1"))).status()).isEqualTo(TradeResult.Status.SUCCEEDED);
  }

  // ---- JSAPI trades (the diner pays inside WeChat)

  private static final String OPENID = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o";

  @Test
  void aJsapiTradeIsSignedForTheDinersPagePaidAndItsCallbackReadsSucceeded() throws Exception {
    assertThat(gateway.takesInAppPayments()).isTrue();
    long before = Clock.systemUTC().instant().getEpochSecond();
    TradeResult created = await(gateway.createJsapiTrade("v1.bill-9.p1", 3300, "Table 9, 2 dishes", OPENID));
    assertThat(created.status()).isEqualTo(TradeResult.Status.PENDING);
    assertThat(created.qrCodeUrl()).isNull();
    io.orderengine.engine.JsapiPay p = created.jsapi();
    assertThat(p).isNotNull();
    assertThat(p.appId()).isEqualTo(APP_ID);
    assertThat(p.signType()).isEqualTo("RSA");
    assertThat(p.packageValue()).startsWith("prepay_id=wx");
    assertThat(Long.parseLong(p.timeStamp())).isBetween(before, before + 60);
    assertThat(p.nonceStr()).matches("[A-Za-z0-9]{1,32}");

    // the documented message, signed SHA256withRSA with the merchant's key, verified with its public key
    java.security.Signature rsa = java.security.Signature.getInstance("SHA256withRSA");
    rsa.initVerify(merchantKeys.getPublic());
    rsa.update((APP_ID + "\n" + p.timeStamp() + "\n" + p.nonceStr() + "\n" + p.packageValue() + "\n")
        .getBytes(StandardCharsets.UTF_8));
    assertThat(rsa.verify(java.util.Base64.getDecoder().decode(p.paySign()))).isTrue();
    java.security.Signature other = java.security.Signature.getInstance("SHA256withRSA");
    other.initVerify(strangerKeys.getPublic());
    other.update(p.message().getBytes(StandardCharsets.UTF_8));
    assertThat(other.verify(java.util.Base64.getDecoder().decode(p.paySign()))).isFalse();

    String out = WechatTradeNumbers.outTradeNo("v1.bill-9.p1");
    EmulatedTrade held = emulator.trade(out).orElseThrow();
    assertThat(held.tradeType()).isEqualTo("JSAPI");
    assertThat(held.payerOpenid()).isEqualTo(OPENID);
    assertThat(p.packageValue()).isEqualTo("prepay_id=" + held.token());
    assertThat(await(gateway.query(TradeRef.of("v1.bill-9.p1"))).status()).isEqualTo(TradeResult.Status.PENDING);

    emulator.pay(out);

    Notification n = (Notification) callbacks.poll(5, TimeUnit.SECONDS);
    assertThat(n).isNotNull();
    assertThat(n.tradeNo()).isEqualTo("v1.bill-9.p1");
    assertThat(n.status()).isEqualTo(TradeResult.Status.SUCCEEDED);
    assertThat(n.amountMinor()).isEqualTo(3300);
    assertThat(await(gateway.query(TradeRef.of("v1.bill-9.p1"))).status()).isEqualTo(TradeResult.Status.SUCCEEDED);
    // made again once paid: WeChat answers ORDERPAID, and the adapter asks how the trade stands
    assertThat(await(gateway.createJsapiTrade("v1.bill-9.p1", 3300, "Table 9, 2 dishes", OPENID)).status())
        .isEqualTo(TradeResult.Status.SUCCEEDED);
  }

  @Test
  void aJsapiTradeMadeAgainAnswersTheSamePrepayIdAndAnotherAmountOrTypeIsRefused() {
    TradeResult first = await(gateway.createJsapiTrade("v1.p40", 700, "tea", OPENID));
    TradeResult again = await(gateway.createJsapiTrade("v1.p40", 700, "tea", OPENID));
    assertThat(again.jsapi().packageValue()).isEqualTo(first.jsapi().packageValue());
    assertThatThrownBy(() -> await(gateway.createJsapiTrade("v1.p40", 800, "tea", OPENID)))
        .hasMessageContaining("OUT_TRADE_NO_USED");
    await(gateway.createQrTrade("v1.p41", 700, "tea"));
    assertThatThrownBy(() -> await(gateway.createJsapiTrade("v1.p41", 700, "tea", OPENID)))
        .hasMessageContaining("OUT_TRADE_NO_USED");
  }

  @Test
  void openidsNotOfWechatsShapeAreRefused() {
    for (String bad : new String[] {null, "", "has space", "o/slash", "x".repeat(129), "中文"}) {
      TradeResult r = await(gateway.createJsapiTrade("v1.p42", 700, "tea", bad));
      assertThat(r.status()).as(String.valueOf(bad)).isEqualTo(TradeResult.Status.DECLINED);
    }
    assertThat(emulator.trade(WechatTradeNumbers.outTradeNo("v1.p42"))).isEmpty();
    assertThat(await(gateway.createJsapiTrade("v1.p42", 700, "tea", "x".repeat(128))).status())
        .isEqualTo(TradeResult.Status.PENDING);

    // and WeChat Pay itself (the emulator) refuses a JSAPI order without a payer, with a bad one, or of another app
    var check = new WechatPaySignatureCheck(config().publicKey(), config().publicKeyId(), Clock.systemUTC());
    var api = new WechatPayApi(config(), http, Clock.systemUTC(),
        new RSASigner(SERIAL, config().privateKey()), check);
    ObjectNode order = JSON.createObjectNode().put("appid", APP_ID).put("mchid", MCH_ID).put("description", "tea")
        .put("out_trade_no", "v1p43").put("notify_url", receiver.baseUrl() + "/wechat/notify");
    order.putObject("amount").put("total", 700).put("currency", "CNY");
    WechatPayApi.Answer noPayer = await(api.call("POST", "/v3/pay/transactions/jsapi", order));
    assertThat(noPayer.status()).isEqualTo(400);
    assertThat(noPayer.code()).isEqualTo("PARAM_ERROR");
    order.putObject("payer").put("openid", "bad openid");
    assertThat(await(api.call("POST", "/v3/pay/transactions/jsapi", order)).code()).isEqualTo("PARAM_ERROR");
    order.putObject("payer").put("openid", OPENID);
    order.put("appid", "wx0000000000000000");
    assertThat(await(api.call("POST", "/v3/pay/transactions/jsapi", order)).code()).isEqualTo("APPID_MCHID_NOT_MATCH");
    assertThat(emulator.trade("v1p43")).isEmpty();
  }

  @Test
  void creatingTheSameQrTradeAgainAnswersAboutTheSameTrade() {
    TradeResult first = await(gateway.createQrTrade("v1.p2", 900, "tea"));
    TradeResult again = await(gateway.createQrTrade("v1.p2", 900, "tea"));
    assertThat(again.qrCodeUrl()).isEqualTo(first.qrCodeUrl());
    emulator.pay(WechatTradeNumbers.outTradeNo("v1.p2"));
    assertThat(await(gateway.createQrTrade("v1.p2", 900, "tea")).status()).isEqualTo(TradeResult.Status.SUCCEEDED);
  }

  @Test
  void aPaymentIdLongerThanWechatsTradeNumberTravelsInAttachAndComesBack() throws Exception {
    String id = "venue-0042.bill-2026-12-03-table-17.payment-3";
    await(gateway.createQrTrade(id, 4200, "dinner"));
    assertThat(emulator.trade(WechatTradeNumbers.outTradeNo(id))).get().extracting(EmulatedTrade::attach).isEqualTo(id);
    emulator.pay(WechatTradeNumbers.outTradeNo(id));
    assertThat(callbacks.poll(5, TimeUnit.SECONDS).tradeNo()).isEqualTo(id);

    await(gateway.refund(TradeRef.of(id), id + "-R1", 200));
    RefundNotification refunded = (RefundNotification) callbacks.poll(5, TimeUnit.SECONDS);
    assertThat(refunded.tradeNo()).isEqualTo(id);
    assertThat(refunded.refundNo()).isEqualTo(id + "-R1");
  }

  @Test
  void theDemoMakesItsOwnQrPageFromTheTradesToken() {
    var settings = WechatPayEmulator.Settings.defaults().withCodeUrl(token -> "http://127.0.0.1:8080/demo/wechat/" + token);
    try (var demo = new WechatPayEmulator(platformKeys, PUBLIC_KEY_ID, settings); var server = LocalServer.start(demo)) {
      demo.registerMerchant(config());
      var demoGateway = new WechatPayGateway(config().withBaseUrl(server.baseUrl()), http, Clock.systemUTC());
      String url = await(demoGateway.createQrTrade("v1.p24", 600, "cake")).qrCodeUrl();
      assertThat(url).startsWith("http://127.0.0.1:8080/demo/wechat/");
      String token = url.substring(url.lastIndexOf('/') + 1);
      assertThat(demo.tradeByToken(token)).get().extracting(EmulatedTrade::outTradeNo).isEqualTo("v1*p24");
      assertThat(demo.pay("v1*p24").paid()).isTrue();
      assertThat(await(demoGateway.query(TradeRef.of("v1.p24"))).status()).isEqualTo(TradeResult.Status.SUCCEEDED);
    }
  }

  // ---- codepay (付款码)

  @Test
  void aValidPaymentCodeIsApprovedAtOnce() {
    TradeResult r = await(gateway.payWithCode(TradeRef.of("v1.p3"), 1800, "134567890123456789", "lunch"));
    assertThat(r.status()).isEqualTo(TradeResult.Status.SUCCEEDED);
    assertThat(r.amountMinor()).isEqualTo(1800);
    assertThat(r.gatewayTxnId()).isNotBlank();
  }

  @Test
  void aRefusedOrInvalidPaymentCodeIsDeclinedWithWechatsReason() {
    TradeResult refused = await(gateway.payWithCode(TradeRef.of("v1.p4"), 1800, "DECLINE-134567890", "lunch"));
    assertThat(refused.status()).isEqualTo(TradeResult.Status.DECLINED);
    assertThat(refused.reason()).startsWith("NOTENOUGH");
    assertThat(await(gateway.query(TradeRef.of("v1.p4"))).status()).isEqualTo(TradeResult.Status.DECLINED);

    TradeResult invalid = await(gateway.payWithCode(TradeRef.of("v1.p5"), 1800, "99", "lunch"));
    assertThat(invalid.status()).isEqualTo(TradeResult.Status.DECLINED);
    assertThat(invalid.reason()).startsWith("AUTH_CODE_INVALID");
  }

  @Test
  void aCustomerWhoMustConfirmIsPendingUntilTheyPayAndTheQueryTellsIt() {
    TradeResult waiting = await(gateway.payWithCode(TradeRef.of("v1.p6"), 120000, "USERPAYING-1345678", "banquet"));
    assertThat(waiting.status()).isEqualTo(TradeResult.Status.PENDING);
    assertThat(await(gateway.query(TradeRef.of("v1.p6"))).status()).isEqualTo(TradeResult.Status.PENDING);

    emulator.pay(WechatTradeNumbers.outTradeNo("v1.p6"));

    TradeResult paid = await(gateway.query(TradeRef.of("v1.p6")));
    assertThat(paid.status()).isEqualTo(TradeResult.Status.SUCCEEDED);
    assertThat(paid.amountMinor()).isEqualTo(120000);
  }

  @Test
  void closingACodepayTradeStillWaitingReversesIt() {
    await(gateway.payWithCode(TradeRef.of("v1.p7"), 5000, "USERPAYING-1345678", "banquet"));
    assertThat(await(gateway.close(TradeRef.of("v1.p7"))).status()).isEqualTo(TradeResult.Status.CLOSED);
    assertThat(emulator.trade(WechatTradeNumbers.outTradeNo("v1.p7")).orElseThrow().state()).isEqualTo("REVOKED");
  }

  // ---- close

  @Test
  void closingAnUnpaidQrTradeClosesIt() {
    await(gateway.createQrTrade("v1.p8", 700, "juice"));
    assertThat(await(gateway.close(TradeRef.of("v1.p8"))).status()).isEqualTo(TradeResult.Status.CLOSED);
    assertThat(await(gateway.query(TradeRef.of("v1.p8"))).status()).isEqualTo(TradeResult.Status.CLOSED);
    assertThatThrownBy(() -> emulator.pay(WechatTradeNumbers.outTradeNo("v1.p8"))).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void closingATradePaidFirstLeavesItPaid() {
    await(gateway.createQrTrade("v1.p9", 700, "juice"));
    emulator.pay(WechatTradeNumbers.outTradeNo("v1.p9"));
    TradeResult closed = await(gateway.close(TradeRef.of("v1.p9")));
    assertThat(closed.status()).isEqualTo(TradeResult.Status.SUCCEEDED);
    assertThat(closed.gatewayTxnId()).isNotBlank();
  }

  @Test
  void aTradeWechatNeverSawIsNotFound() {
    assertThat(await(gateway.query(TradeRef.of("v1.nobody"))).status()).isEqualTo(TradeResult.Status.NOT_FOUND);
  }

  // ---- refunds

  @Test
  void aRefundIsProcessingThenSucceedsAndItsCallbackSaysSo() throws Exception {
    await(gateway.payWithCode(TradeRef.of("v1.p10"), 3000, "104567890123456789", "dinner"));

    RefundResult asked = await(gateway.refund(TradeRef.of("v1.p10"), "v1.p10-R1", 1000));
    assertThat(asked.status()).isEqualTo(RefundResult.Status.PROCESSING);
    assertThat(await(gateway.refund(TradeRef.of("v1.p10"), "v1.p10-R1", 1000)).status())
        .as("the same refund number asks about the same refund").isEqualTo(RefundResult.Status.PROCESSING);

    RefundNotification n = (RefundNotification) callbacks.poll(5, TimeUnit.SECONDS);
    assertThat(n).isNotNull();
    assertThat(n.tradeNo()).isEqualTo("v1.p10");
    assertThat(n.refundNo()).isEqualTo("v1.p10-R1");
    assertThat(n.status()).isEqualTo(RefundResult.Status.SUCCEEDED);
    assertThat(await(gateway.queryRefund(TradeRef.of("v1.p10"), "v1.p10-R1")).status()).isEqualTo(RefundResult.Status.SUCCEEDED);
    assertThat(await(gateway.query(TradeRef.of("v1.p10"))).status()).as("a refunded trade was paid").isEqualTo(TradeResult.Status.SUCCEEDED);
    assertThat(emulator.trade("v1*p10").orElseThrow().refundedMinor()).isEqualTo(1000);

    RefundResult tooMuch = await(gateway.refund(TradeRef.of("v1.p10"), "v1.p10-R2", 2500));
    assertThat(tooMuch.status()).isEqualTo(RefundResult.Status.REJECTED);
    assertThat(await(gateway.queryRefund(TradeRef.of("v1.p10"), "v1.p10-R9")).status()).isEqualTo(RefundResult.Status.NOT_FOUND);
  }

  @Test
  void anUnpaidTradeIsNotRefunded() {
    await(gateway.createQrTrade("v1.p11", 700, "juice"));
    assertThat(await(gateway.refund(TradeRef.of("v1.p11"), "v1.p11-R1", 700)).status()).isEqualTo(RefundResult.Status.REJECTED);
    assertThat(await(gateway.refund(TradeRef.of("v1.none"), "v1.none-R1", 700)).status()).isEqualTo(RefundResult.Status.NOT_FOUND);
  }

  // ---- callbacks that do not come, or come twice

  @Test
  void aLostCallbackIsFoundByTheQueryAndComesWhenRedelivered() throws Exception {
    emulator.loseCallbacks(1);
    await(gateway.createQrTrade("v1.p12", 1500, "noodles"));
    emulator.pay("v1*p12");

    assertThat(callbacks.poll(700, TimeUnit.MILLISECONDS)).isNull();
    assertThat(await(gateway.query(TradeRef.of("v1.p12"))).status()).isEqualTo(TradeResult.Status.SUCCEEDED);

    emulator.redeliver();
    assertThat(callbacks.poll(5, TimeUnit.SECONDS).tradeNo()).isEqualTo("v1.p12");
  }

  @Test
  void aDuplicateCallbackCarriesTheSameId() throws Exception {
    emulator.duplicateCallbacks(true);
    await(gateway.createQrTrade("v1.p13", 1500, "noodles"));
    emulator.pay("v1*p13");

    Callback first = callbacks.poll(5, TimeUnit.SECONDS);
    Callback second = callbacks.poll(5, TimeUnit.SECONDS);
    assertThat(second).isNotNull();
    assertThat(second.notificationId()).isEqualTo(first.notificationId());
  }

  @Test
  void aCallbackRefusedIsSentAgainOnTheSchedule() throws Exception {
    refuseNext.set(1);
    await(gateway.createQrTrade("v1.p14", 1500, "noodles"));
    emulator.pay("v1*p14");
    assertThat(callbacks.poll(5, TimeUnit.SECONDS).tradeNo()).as("the retry after the refusal").isEqualTo("v1.p14");
    assertThat(posted).hasSize(2);
    assertThat(posted.take().body()).isEqualTo(posted.take().body());
  }

  // ---- callbacks that must not be believed

  @Test
  void callbacksForgedTamperedStaleOfAnotherKeyOrUndecryptableAreRefused() throws Exception {
    await(gateway.createQrTrade("v1.p15", 1500, "noodles"));
    emulator.pay("v1*p15");
    assertThat(callbacks.poll(5, TimeUnit.SECONDS)).isNotNull();
    WireRequest genuine = posted.take();
    Map<String, String> headers = genuine.headers();
    String body = genuine.body();
    assertThat(gateway.verifyCallback(headers, body)).isInstanceOf(Notification.class);

    assertThatThrownBy(() -> gateway.verifyCallback(headers, body.replace("TRANSACTION.SUCCESS", "TRANSACTION.SUCCESZ")))
        .as("tampered").isInstanceOf(BadSignature.class);
    assertThatThrownBy(() -> gateway.verifyCallback(signed(strangerKeys, PUBLIC_KEY_ID, 0, body), body))
        .as("forged with another key under WeChat's key id").isInstanceOf(BadSignature.class);
    assertThatThrownBy(() -> gateway.verifyCallback(signed(platformKeys, "PUB_KEY_ID_0999", 0, body), body))
        .as("naming another key").isInstanceOf(BadSignature.class);
    assertThatThrownBy(() -> gateway.verifyCallback(signed(platformKeys, PUBLIC_KEY_ID, -600, body), body))
        .as("stale").isInstanceOf(BadSignature.class);
    assertThatThrownBy(() -> new WechatPayGateway(config(), http, Clock.offset(Clock.systemUTC(), Duration.ofMinutes(6)))
        .verifyCallback(headers, body)).as("replayed 6 minutes later").isInstanceOf(BadSignature.class);

    String otherKey = callback("transaction", transaction("v1*p15", MCH_ID), "Z".repeat(32));
    assertThatThrownBy(() -> gateway.verifyCallback(signed(platformKeys, PUBLIC_KEY_ID, 0, otherKey), otherKey))
        .as("encrypted with another APIv3 key").isInstanceOf(BadSignature.class);
    String otherMerchant = callback("transaction", transaction("v1*p15", "1900000999"), API_V3_KEY);
    assertThatThrownBy(() -> gateway.verifyCallback(signed(platformKeys, PUBLIC_KEY_ID, 0, otherMerchant), otherMerchant))
        .as("of another merchant").isInstanceOf(BadSignature.class);
    String ours = callback("transaction", transaction("v1*p15", MCH_ID), API_V3_KEY);
    assertThat(gateway.verifyCallback(signed(platformKeys, PUBLIC_KEY_ID, 0, ours), ours).tradeNo())
        .as("the same made right is believed").isEqualTo("v1.p15");
    assertThatThrownBy(() -> gateway.verifyCallback(Map.of(), body)).as("unsigned").isInstanceOf(BadSignature.class);
  }

  // ---- answers that must not be believed

  @Test
  void theEmulatorRefusesARequestSignedWithAnotherKey() {
    WechatPayConfig stolenSerial = new WechatPayConfig(MCH_ID, APP_ID, SERIAL,
        WechatPayEmulator.pem("PRIVATE KEY", strangerKeys.getPrivate().getEncoded()), API_V3_KEY, PUBLIC_KEY_ID,
        emulator.publicKeyPem(), receiver.baseUrl() + "/wechat/notify", wechat.baseUrl());
    WechatPayGateway impostor = new WechatPayGateway(stolenSerial, http, Clock.systemUTC());
    assertThatThrownBy(() -> await(impostor.createQrTrade("v1.p16", 100, "x")))
        .hasRootCauseInstanceOf(WechatPayCallFailed.class).hasMessageContaining("401 SIGN_ERROR");
    assertThat(emulator.trade("v1*p16")).isEmpty();
  }

  @Test
  void anAnswerWithABadSignatureFailsTheCallAndTheRetryFindsTheTrade() {
    emulator.forgeNextAnswers(1);
    assertThatThrownBy(() -> await(gateway.payWithCode(TradeRef.of("v1.p17"), 800, "114567890123456789", "x")))
        .hasRootCauseInstanceOf(WechatPayCallFailed.class).hasMessageContaining("does not verify");
    assertThat(await(gateway.payWithCode(TradeRef.of("v1.p17"), 800, "114567890123456789", "x")).status())
        .isEqualTo(TradeResult.Status.SUCCEEDED);
  }

  @Test
  void aServerErrorFailsTheCall() {
    emulator.failNextCalls(1);
    assertThatThrownBy(() -> await(gateway.query(TradeRef.of("v1.p18")))).hasRootCauseInstanceOf(WechatPayCallFailed.class)
        .hasMessageContaining("500");
    assertThat(await(gateway.query(TradeRef.of("v1.p18"))).status()).isEqualTo(TradeResult.Status.NOT_FOUND);
  }

  @Test
  void garbageFailsTheCallInsteadOfDecliningAPaymentThatWentThrough() {
    emulator.garbleNextAnswers(1);
    assertThatThrownBy(() -> await(gateway.payWithCode(TradeRef.of("v1.p19"), 800, "124567890123456789", "x")))
        .hasRootCauseInstanceOf(WechatPayCallFailed.class).hasMessageContaining("not JSON");
    assertThat(await(gateway.query(TradeRef.of("v1.p19"))).status()).isEqualTo(TradeResult.Status.SUCCEEDED);
  }

  @Test
  void aSlowAnswerStillArrives() {
    emulator.delayAnswers(Duration.ofMillis(300));
    assertThat(await(gateway.createQrTrade("v1.p20", 100, "x")).status()).isEqualTo(TradeResult.Status.PENDING);
  }

  // ---- the daily statement

  @Test
  void theStatementListsTheDaysPaidTradesWithWhatWasRefunded() throws Exception {
    await(gateway.payWithCode(TradeRef.of("v1.p21"), 3000, "104567890123456789", "dinner, two"));
    await(gateway.createQrTrade("v1.p22", 1250, "tea"));
    emulator.pay("v1*p22");
    await(gateway.createQrTrade("v1.p23", 999, "never paid"));
    await(gateway.refund(TradeRef.of("v1.p21"), "v1.p21-R1", 500));
    callbacks.poll(5, TimeUnit.SECONDS);
    callbacks.poll(5, TimeUnit.SECONDS);

    LocalDate today = LocalDate.now(ZoneId.of("Asia/Shanghai"));
    List<StatementLine> lines = await(gateway.statement(today, ZoneId.of("Asia/Shanghai")));
    assertThat(lines).extracting(StatementLine::tradeNo).containsExactlyInAnyOrder("v1.p21", "v1.p22");
    StatementLine p21 = lines.stream().filter(l -> l.tradeNo().equals("v1.p21")).findFirst().orElseThrow();
    assertThat(p21.amountMinor()).isEqualTo(3000);
    assertThat(p21.refundedMinor()).isEqualTo(500);
    assertThat(p21.gatewayTxnId()).startsWith("4200");

    assertThat(await(gateway.statement(today.minusDays(3), ZoneId.of("Asia/Shanghai")))).isEmpty();
    List<StatementLine> utc = await(gateway.statement(LocalDate.now(ZoneId.of("UTC")), ZoneId.of("UTC")));
    assertThat(utc).extracting(StatementLine::tradeNo).contains("v1.p21", "v1.p22");
  }

  // ---- configuration

  @Test
  void anInvalidConfigurationNamesTheFieldAndShowsNoSecret() {
    WechatPayConfig good = config();
    assertThat(good.validate()).isSameAs(good);
    assertThat(good.toString()).doesNotContain(API_V3_KEY).doesNotContain("PRIVATE");
    Map<String, UnaryOperator<WechatPayConfig>> broken = new HashMap<>();
    broken.put("mchId", c -> with(c, 0, ""));
    broken.put("appId", c -> with(c, 1, "wx app"));
    broken.put("merchantSerialNo", c -> with(c, 2, "not-hex"));
    broken.put("privateKeyPem", c -> with(c, 3, "-----BEGIN PRIVATE KEY-----\nnot base64!\n-----END PRIVATE KEY-----"));
    broken.put("apiV3Key", c -> with(c, 4, "short"));
    broken.put("publicKeyId", c -> with(c, 5, "1234"));
    broken.put("publicKeyPem", c -> with(c, 6, WechatPayEmulator.pem("PUBLIC KEY", new byte[] {1, 2, 3})));
    broken.put("notifyUrl", c -> with(c, 7, "ftp://venue.example/notify"));
    broken.put("baseUrl", c -> with(c, 8, "api.mch.weixin.qq.com"));
    broken.forEach((field, breaking) -> assertThatThrownBy(() -> breaking.apply(good).validate())
        .as(field).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("WeChat Pay config: " + field + " ")
        .hasMessageNotContaining(API_V3_KEY));

    KeyPair small = smallKeyPair();
    assertThatThrownBy(() -> with(good, 3, WechatPayEmulator.pem("PRIVATE KEY", small.getPrivate().getEncoded())).validate())
        .hasMessageContaining("privateKeyPem").hasMessageContaining("1024 bits");
    assertThatThrownBy(() -> with(good, 3, "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----").validate())
        .hasMessageContaining("PKCS#1");
    assertThatThrownBy(() -> with(good, 7, "https://venue.example/notify?venue=1").validate())
        .hasMessage("WeChat Pay config: notifyUrl must not carry a query: WeChat Pay refuses one");
    assertThatThrownBy(() -> new WechatPayGateway(with(good, 4, "x".repeat(31)), http, Clock.systemUTC()))
        .hasMessageContaining("apiV3Key must be 32 bytes");
    assertThat(WechatPayConfig.of(MCH_ID, APP_ID, SERIAL, good.privateKeyPem(), API_V3_KEY, PUBLIC_KEY_ID, good.publicKeyPem(),
        good.notifyUrl()).baseUrl()).isEqualTo("https://api.mch.weixin.qq.com");
  }

  // ---- helpers

  private static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the call failed: " + e.getCause().getMessage(), e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Signature headers over a body, made with any key under any key id, {@code shift} seconds from now. */
  private static Map<String, String> signed(KeyPair keys, String keyId, long shift, String body) {
    String timestamp = Long.toString(Clock.systemUTC().instant().getEpochSecond() + shift);
    String nonce = "n" + System.nanoTime();
    var signature = new RSASigner(keyId, keys.getPrivate()).sign(WechatPayAuthorization.answerMessage(timestamp, nonce, body));
    return Map.of("wechatpay-serial", keyId, "wechatpay-signature", signature.getSign(), "wechatpay-timestamp", timestamp,
        "wechatpay-nonce", nonce);
  }

  private static ObjectNode transaction(String outTradeNo, String mchId) {
    ObjectNode t = JSON.createObjectNode().put("appid", APP_ID).put("mchid", mchId).put("out_trade_no", outTradeNo)
        .put("transaction_id", "4200000000000000000000000001").put("trade_type", "NATIVE").put("trade_state", "SUCCESS")
        .put("trade_state_desc", "支付成功");
    t.putObject("amount").put("total", 1500).put("currency", "CNY");
    return t;
  }

  // ---- several servers, one WeChat Pay

  @Test
  void twoServersSharingTheirRecordsAreOneWechatPay() throws Exception {
    EmulatorStore shared = EmulatorStore.inMemory();
    var settings = WechatPayEmulator.Settings.defaults().withRefundSettlesAfter(Duration.ofMillis(300));
    try (var one = new WechatPayEmulator(platformKeys, PUBLIC_KEY_ID, settings, shared);
         var two = new WechatPayEmulator(platformKeys, PUBLIC_KEY_ID, settings, shared);
         var serverOne = LocalServer.start(one);
         var serverTwo = LocalServer.start(two)) {
      one.registerMerchant(config());
      two.registerMerchant(config());
      var viaOne = new WechatPayGateway(with(config(), 8, serverOne.baseUrl()), http, Clock.systemUTC());
      var viaTwo = new WechatPayGateway(with(config(), 8, serverTwo.baseUrl()), http, Clock.systemUTC());

      // made at one server, scanned and paid at the other, whose callback the merchant takes
      String code = await(viaOne.createQrTrade("v1.p31", 1800, "noodles")).qrCodeUrl();
      String token = code.substring(code.indexOf("pr=") + 3);
      assertThat(two.tradeByToken(token)).get().extracting(EmulatedTrade::outTradeNo).isEqualTo("v1*p31");
      two.pay("v1*p31");
      assertThat(((Notification) callbacks.poll(5, TimeUnit.SECONDS)).status()).isEqualTo(TradeResult.Status.SUCCEEDED);
      assertThat(await(viaOne.query(TradeRef.of("v1.p31"))).status()).isEqualTo(TradeResult.Status.SUCCEEDED);
      assertThat(await(viaOne.createQrTrade("v1.p31", 1800, "noodles")).status()).isEqualTo(TradeResult.Status.SUCCEEDED);

      // refunds weighed across both: the second asks for more than is left and is refused
      assertThat(await(viaTwo.refund(TradeRef.of("v1.p31"), "v1.p31-R1", 1000)).status())
          .isNotEqualTo(RefundResult.Status.REJECTED);
      assertThat(await(viaOne.refund(TradeRef.of("v1.p31"), "v1.p31-R2", 1000)).status()).isEqualTo(RefundResult.Status.REJECTED);
      Thread.sleep(400);
      assertThat(await(viaOne.queryRefund(TradeRef.of("v1.p31"), "v1.p31-R1")).status()).isEqualTo(RefundResult.Status.SUCCEEDED);
      assertThat(one.trade("v1*p31").orElseThrow().refundedMinor()).isEqualTo(1000);
      assertThat(one.trade("v1*p31").orElseThrow().transactionId()).as("WeChat's 28 digits").matches("4200[0-9]{24}");

      // the day's bill, from either server, lists the trade once
      LocalDate today = LocalDate.now(ZoneId.of("Asia/Shanghai"));
      List<StatementLine> lines = await(viaTwo.statement(today, ZoneId.of("Asia/Shanghai")));
      assertThat(lines).extracting(StatementLine::tradeNo).containsExactly("v1.p31");
      assertThat(lines.get(0).refundedMinor()).isEqualTo(1000);
    }
  }

  private static String callback(String type, ObjectNode resource, String apiV3Key) throws Exception {
    String nonce = "abcdefghijkl";
    String ciphertext = new AeadAesCipher(apiV3Key.getBytes(StandardCharsets.US_ASCII)).encrypt(
        type.getBytes(StandardCharsets.UTF_8), nonce.getBytes(StandardCharsets.UTF_8),
        JSON.writeValueAsString(resource).getBytes(StandardCharsets.UTF_8));
    ObjectNode body = JSON.createObjectNode().put("id", "EV-1").put("create_time", "2026-12-03T12:00:00+08:00")
        .put("resource_type", "encrypt-resource").put("event_type", "TRANSACTION.SUCCESS").put("summary", "支付成功");
    body.putObject("resource").put("original_type", type).put("algorithm", "AEAD_AES_256_GCM").put("ciphertext", ciphertext)
        .put("associated_data", type).put("nonce", nonce);
    return JSON.writeValueAsString(body);
  }

  private static WechatPayConfig with(WechatPayConfig c, int field, String value) {
    String[] f = {c.mchId(), c.appId(), c.merchantSerialNo(), c.privateKeyPem(), c.apiV3Key(), c.publicKeyId(), c.publicKeyPem(),
        c.notifyUrl(), c.baseUrl()};
    f[field] = value;
    return new WechatPayConfig(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8]);
  }

  private static KeyPair smallKeyPair() {
    try {
      var g = java.security.KeyPairGenerator.getInstance("RSA");
      g.initialize(1024);
      return g.generateKeyPair();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
