package io.orderengine.engine.payment.alipay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The adapter against the emulator, both on the wire: the emulator served on 127.0.0.1 checks
 * every request's signature and signs every answer; its notifications reach a receiver that hands
 * them to {@link AlipayGateway#verifyCallback} and answers in Alipay's terms.
 */
class AlipayGatewayTest {
  private static final String APP_ID = "2021000000000001";
  private static final KeyPair APP = AlipayEmulator.generateKeys();
  private static final KeyPair ALIPAY = AlipayEmulator.generateKeys();
  private static final KeyPair STRANGER = AlipayEmulator.generateKeys();
  private static final Duration REDELIVERY = Duration.ofMillis(150);
  private static final String APPROVED = "281234567890123456";

  private AlipayEmulator emulator;
  private LocalServer alipay;
  private LocalServer receiver;
  private AlipayGateway gateway;
  private final BlockingQueue<Callback> received = new LinkedBlockingQueue<>();
  private final BlockingQueue<String> bodies = new LinkedBlockingQueue<>();

  @BeforeEach
  void start() {
    emulator = new AlipayEmulator(ALIPAY, token -> "https://qr.alipay.com/" + token,
        List.of(REDELIVERY, REDELIVERY, REDELIVERY, REDELIVERY), Clock.systemUTC());
    emulator.registerApp(APP_ID, AlipaySignature.pem(APP.getPublic()));
    alipay = LocalServer.start(emulator);
    receiver = LocalServer.start(this::receive);
    gateway = gateway(AlipaySignature.pem(APP.getPrivate()), emulator.alipayPublicKeyPem());
  }

  @AfterEach
  void stop() {
    emulator.close();
    alipay.close();
    receiver.close();
  }

  /** The merchant's notify endpoint: verified callbacks are counted and acknowledged, others refused. */
  private WireResponse receive(WireRequest request) {
    bodies.add(request.body());
    Gateway.CallbackAnswer answer;
    try {
      received.add(gateway.verifyCallback(request.headers(), request.body()));
      answer = gateway.acknowledgement();
    } catch (BadSignature e) {
      answer = gateway.refusal(e.getMessage());
    }
    return WireResponse.of(answer.status(), answer.contentType(), answer.body(), Map.of());
  }

  private AlipayGateway gateway(String appPrivateKey, String alipayPublicKey) {
    AlipayConfig config = new AlipayConfig(APP_ID, appPrivateKey, alipayPublicKey, receiver.baseUrl() + "/notify",
        alipay.baseUrl() + "/gateway.do");
    return new AlipayGateway(config, HttpClient.newHttpClient(), Clock.systemUTC());
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  private static void assertUnclear(CompletionStage<?> stage, String why) {
    assertThatThrownBy(() -> await(stage)).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(AlipayCallFailed.class).hasMessageContaining(why);
  }

  private Callback nextCallback() throws InterruptedException {
    Callback c = received.poll(3, TimeUnit.SECONDS);
    assertThat(c).as("a notification reached the receiver").isNotNull();
    return c;
  }

  private static String out(String tradeNo) {
    return AlipayNumbers.outTradeNo(tradeNo);
  }

  // ---- paying ----

  @Test
  void alipayTakesNoInAppPaymentAndSaysSoWithAStableCode() {
    assertThat(gateway.takesInAppPayments()).isFalse();
    assertThatThrownBy(() -> await(gateway.createJsapiTrade("v1.p90", 100, "tea", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o")))
        .isInstanceOf(ExecutionException.class).cause().isInstanceOf(io.orderengine.engine.Rejected.class)
        .satisfies(e -> assertThat(((io.orderengine.engine.Rejected) e).code())
            .isEqualTo(io.orderengine.engine.Rejection.METHOD_NOT_SUPPORTED));
  }

  @Test
  void aQrTradePaidByTheCustomerIsNotifiedAsSucceededAndAcknowledged() throws Exception {
    TradeResult created = await(gateway.createQrTrade("T1-B1-P1", 1234, "Table 1"));
    assertThat(created.status()).isEqualTo(TradeResult.Status.PENDING);
    assertThat(created.qrCodeUrl()).startsWith("https://qr.alipay.com/bax");
    assertThat(await(gateway.query(TradeRef.of("T1-B1-P1"))).status())
        .as("Alipay knows no trade until the code is scanned").isEqualTo(TradeResult.Status.NOT_FOUND);

    assertThat(emulator.pay(out("T1-B1-P1"))).isTrue();

    Notification n = (Notification) nextCallback();
    assertThat(n.tradeNo()).isEqualTo("T1-B1-P1");
    assertThat(n.status()).isEqualTo(TradeResult.Status.SUCCEEDED);
    assertThat(n.amountMinor()).isEqualTo(1234);
    assertThat(n.gatewayTxnId()).isEqualTo(emulator.trade(out("T1-B1-P1")).orElseThrow().tradeNo());
    assertThat(n.notificationId()).isNotBlank();
    assertThat(await(gateway.query(TradeRef.of("T1-B1-P1"))).status()).isEqualTo(TradeResult.Status.SUCCEEDED);
    waitUntil(() -> emulator.trade(out("T1-B1-P1")).orElseThrow().notificationAnswered());
  }

  @Test
  void aRepeatedPrecreateIsTheSameTrade() throws Exception {
    TradeResult first = await(gateway.createQrTrade("T1-B1-P2", 500, "Table 1"));
    TradeResult again = await(gateway.createQrTrade("T1-B1-P2", 500, "Table 1"));
    assertThat(again.qrCodeUrl()).isEqualTo(first.qrCodeUrl());
    assertThat(emulator.trades()).hasSize(1);
  }

  @Test
  void aBarCodeIsApprovedDeclinedOrInvalid() throws Exception {
    TradeResult approved = await(gateway.payWithCode(TradeRef.of("T2-B1-P1"), 880, APPROVED, "Table 2"));
    assertThat(approved.status()).isEqualTo(TradeResult.Status.SUCCEEDED);
    assertThat(approved.amountMinor()).isEqualTo(880);
    assertThat(approved.gatewayTxnId()).hasSize(28);

    TradeResult declined = await(gateway.payWithCode(TradeRef.of("T2-B1-P2"), 880, "DECLINE0001", "Table 2"));
    assertThat(declined.status()).isEqualTo(TradeResult.Status.DECLINED);
    assertThat(declined.reason()).startsWith("ACQ.BUYER_BALANCE_NOT_ENOUGH");

    TradeResult invalid = await(gateway.payWithCode(TradeRef.of("T2-B1-P3"), 880, "1234", "Table 2"));
    assertThat(invalid.status()).isEqualTo(TradeResult.Status.DECLINED);
    assertThat(invalid.reason()).startsWith("ACQ.PAYMENT_AUTH_CODE_INVALID");
  }

  @Test
  void aCustomerConfirmingOnThePhoneIsPendingUntilTheQueryReadsPaid() throws Exception {
    TradeResult waiting = await(gateway.payWithCode(TradeRef.of("T3-B1-P1"), 2000, "USERPAYING01", "Table 3"));
    assertThat(waiting.status()).isEqualTo(TradeResult.Status.PENDING);
    assertThat(await(gateway.query(TradeRef.of("T3-B1-P1"))).status()).isEqualTo(TradeResult.Status.PENDING);

    emulator.pay(out("T3-B1-P1"));

    TradeResult paid = await(gateway.query(TradeRef.of("T3-B1-P1")));
    assertThat(paid.status()).isEqualTo(TradeResult.Status.SUCCEEDED);
    assertThat(paid.amountMinor()).isEqualTo(2000);
  }

  // ---- closing ----

  @Test
  void anUnpaidScannedTradeIsClosedAndCanNoLongerBePaid() throws Exception {
    await(gateway.createQrTrade("T4-B1-P1", 300, "Table 4"));
    emulator.scan(out("T4-B1-P1"));

    assertThat(await(gateway.close(TradeRef.of("T4-B1-P1"))).status()).isEqualTo(TradeResult.Status.CLOSED);
    assertThat(emulator.pay(out("T4-B1-P1"))).isFalse();
    assertThat(await(gateway.query(TradeRef.of("T4-B1-P1"))).status()).isEqualTo(TradeResult.Status.CLOSED);
  }

  @Test
  void aTradeAlipayDoesNotShowIsCancelledSoALatePaymentCannotLand() throws Exception {
    // the bar-code payment's request was lost: Alipay never saw it, and the cashier gives up
    TradeResult cancelled = await(gateway.close(TradeRef.of("T5-B1-P1")));
    assertThat(cancelled.status()).isEqualTo(TradeResult.Status.CLOSED);
    assertThat(cancelled.reason()).contains("cancelled");

    TradeResult late = await(gateway.payWithCode(TradeRef.of("T5-B1-P1"), 300, APPROVED, "Table 5"));
    assertThat(late.status()).isEqualTo(TradeResult.Status.CLOSED);

    // a QR code nobody scanned yet is cancelled the same way, and cannot be paid afterwards
    await(gateway.createQrTrade("T5-B1-P2", 300, "Table 5"));
    assertThat(await(gateway.close(TradeRef.of("T5-B1-P2"))).status()).isEqualTo(TradeResult.Status.CLOSED);
    assertThat(emulator.pay(out("T5-B1-P2"))).isFalse();
  }

  @Test
  void aTradePaidBeforeTheCloseStaysPaid() throws Exception {
    await(gateway.payWithCode(TradeRef.of("T6-B1-P1"), 450, APPROVED, "Table 6"));
    TradeResult closed = await(gateway.close(TradeRef.of("T6-B1-P1")));
    assertThat(closed.status()).isEqualTo(TradeResult.Status.SUCCEEDED);
    assertThat(emulator.trade(out("T6-B1-P1")).orElseThrow().stage()).isEqualTo(AlipayEmulator.Stage.TRADE_SUCCESS);
  }

  // ---- refunds ----

  @Test
  void aRefundIsMadeOnceUnderItsNumberQueriedAndNotified() throws Exception {
    TradeRef trade = TradeRef.of("T7-B1-P1");
    await(gateway.payWithCode(trade, 1000, APPROVED, "Table 7"));
    assertThat(nextCallback()).as("the payment's own notification").isInstanceOf(Notification.class);

    assertThat(await(gateway.refund(trade, "T7-B1-P1-R1", 300)).status()).isEqualTo(RefundResult.Status.SUCCEEDED);
    assertThat(await(gateway.refund(trade, "T7-B1-P1-R1", 300)).status())
        .as("a retry under the same number moves no money and says how the refund stands")
        .isEqualTo(RefundResult.Status.SUCCEEDED);
    assertThat(emulator.trade(out("T7-B1-P1")).orElseThrow().refundedFen()).isEqualTo(300);

    assertThat(await(gateway.queryRefund(trade, "T7-B1-P1-R1")).status()).isEqualTo(RefundResult.Status.SUCCEEDED);
    assertThat(await(gateway.queryRefund(trade, "T7-B1-P1-R9")).status()).isEqualTo(RefundResult.Status.NOT_FOUND);

    RefundResult tooMuch = await(gateway.refund(trade, "T7-B1-P1-R2", 800));
    assertThat(tooMuch.status()).isEqualTo(RefundResult.Status.REJECTED);
    assertThat(tooMuch.reason()).startsWith("ACQ.REFUND_AMT_NOT_EQUAL_TOTAL");

    RefundNotification n = (RefundNotification) nextCallback();
    assertThat(n.tradeNo()).isEqualTo("T7-B1-P1");
    assertThat(n.refundNo()).isEqualTo("T7-B1-P1-R1");
  }

  @Test
  void aTradeRefundedInFullStillReadsAsPaid() throws Exception {
    TradeRef trade = TradeRef.of("T8-B1-P1");
    await(gateway.payWithCode(trade, 800, APPROVED, "Table 8"));
    await(gateway.refund(trade, "T8-B1-P1-RBACK", 800));

    assertThat(emulator.trade(out("T8-B1-P1")).orElseThrow().stage()).isEqualTo(AlipayEmulator.Stage.TRADE_CLOSED);
    TradeResult read = await(gateway.query(trade));
    assertThat(read.status()).isEqualTo(TradeResult.Status.SUCCEEDED);
    assertThat(read.amountMinor()).isEqualTo(800);
  }

  // ---- notifications ----

  @Test
  void aLostNotificationIsFoundByQuery() throws Exception {
    emulator.loseNextNotifications(100);
    await(gateway.createQrTrade("T9-B1-P1", 600, "Table 9"));
    emulator.pay(out("T9-B1-P1"));

    assertThat(received.poll(800, TimeUnit.MILLISECONDS)).isNull();
    assertThat(await(gateway.query(TradeRef.of("T9-B1-P1"))).status()).isEqualTo(TradeResult.Status.SUCCEEDED);
  }

  @Test
  void anUnansweredNotificationIsSentAgainUnderTheSameId() throws Exception {
    emulator.loseNextNotifications(2);
    await(gateway.createQrTrade("T10-B1-P1", 600, "Table 10"));
    emulator.pay(out("T10-B1-P1"));
    Callback first = nextCallback();
    assertThat(first.tradeNo()).isEqualTo("T10-B1-P1");

    emulator.redeliver(out("T10-B1-P1"));
    assertThat(nextCallback().notificationId()).isEqualTo(first.notificationId());
  }

  @Test
  void aDuplicateCarriesTheSameNotifyId() throws Exception {
    emulator.duplicateNotifications(true);
    await(gateway.payWithCode(TradeRef.of("T11-B1-P1"), 700, APPROVED, "Table 11"));
    Callback one = nextCallback();
    Callback two = nextCallback();
    assertThat(two.notificationId()).isEqualTo(one.notificationId());
    assertThat(two).isEqualTo(one);
  }

  @Test
  void aForgedTamperedStaleOrOtherAppsNotificationIsRefused() throws Exception {
    await(gateway.payWithCode(TradeRef.of("T12-B1-P1"), 700, APPROVED, "Table 12"));
    nextCallback();
    Map<String, String> genuine = FormBody.parse(bodies.poll(1, TimeUnit.SECONDS));
    assertThat(gateway.verifyCallback(Map.of(), FormBody.encode(genuine))).isInstanceOf(Notification.class);

    Map<String, String> tampered = new TreeMap<>(genuine);
    tampered.put("total_amount", "0.01");
    assertRefused(tampered, "does not verify");

    assertRefused(signedBy(STRANGER, genuine, Map.of()), "does not verify");
    assertRefused(signedBy(ALIPAY, genuine, Map.of("app_id", "2021000000009999", "auth_app_id", "2021000000009999")),
        "another app");
    String yesterday = AlipayGateway.TIMESTAMP.format(Instant.now().minus(Duration.ofHours(26)).atZone(AlipayGateway.ALIPAY_ZONE));
    assertRefused(signedBy(ALIPAY, genuine, Map.of("notify_time", yesterday)), "stale");
    assertThatThrownBy(() -> gateway.verifyCallback(Map.of(), "not=a&form")).isInstanceOf(BadSignature.class);
    assertThat(gateway.acknowledgement().body()).isEqualTo("success");
    assertThat(gateway.refusal("bad").body()).isEqualTo("failure");
  }

  private static Map<String, String> signedBy(KeyPair keys, Map<String, String> params, Map<String, String> changes) {
    Map<String, String> p = new TreeMap<>(params);
    p.putAll(changes);
    p.put("sign", AlipaySignature.sign(AlipaySignature.notificationContent(p), keys.getPrivate()));
    return p;
  }

  private void assertRefused(Map<String, String> params, String why) {
    assertThatThrownBy(() -> gateway.verifyCallback(Map.of(), FormBody.encode(params)))
        .isInstanceOf(BadSignature.class).hasMessageContaining(why);
  }

  @Test
  void aTradeNumberTooLongForAlipayTravelsInTheBody() throws Exception {
    String longId = "venue-with-a-rather-long-name.table-0042.bill-20261203-0001-P1-and-then-some";
    await(gateway.createQrTrade(longId, 990, "Table 42"));
    emulator.pay(out(longId));

    assertThat(out(longId)).hasSize(64);
    assertThat(nextCallback().tradeNo()).isEqualTo(longId);
    assertThat(await(gateway.query(TradeRef.of(longId))).status()).isEqualTo(TradeResult.Status.SUCCEEDED);
  }

  // ---- answers not to be believed ----

  @Test
  void theEmulatorRefusesARequestSignedWithTheWrongKey() throws Exception {
    AlipayGateway impostor = gateway(AlipaySignature.pem(STRANGER.getPrivate()), emulator.alipayPublicKeyPem());
    assertUnclear(impostor.query(TradeRef.of("T13-B1-P1")), "40002 isv.invalid-signature");

    Map<String, String> params = new TreeMap<>(Map.of("app_id", APP_ID, "method", "alipay.trade.query", "charset", "utf-8",
        "sign_type", "RSA2", "timestamp", "2026-12-03 12:00:00", "version", "1.0", "biz_content", "{\"out_trade_no\":\"x\"}"));
    params.put("sign", AlipaySignature.sign(AlipaySignature.requestContent(params), STRANGER.getPrivate()));
    WireResponse answer = emulator.handle(new WireRequest("POST", "/gateway.do", "", Map.of(), FormBody.encode(params)));
    assertThat(answer.bodyText()).contains("\"alipay_trade_query_response\":{\"code\":\"40002\"")
        .contains("isv.invalid-signature").contains("网关生成的验签字符串为");
  }

  @Test
  void anAnswerWithABadSignatureA5xxGarbageOrDoubtFailsTheStage() throws Exception {
    emulator.tamperNextAnswers(1);
    assertUnclear(gateway.query(TradeRef.of("T14-B1-P1")), "does not verify");

    emulator.failNextCalls(1);
    assertUnclear(gateway.payWithCode(TradeRef.of("T14-B1-P2"), 100, APPROVED, "Table 14"), "HTTP 503");

    emulator.garbleNextCalls(1);
    assertUnclear(gateway.createQrTrade("T14-B1-P3", 100, "Table 14"), "not an Alipay answer");

    emulator.answerNextCallWith("20000", "isp.unknow-error", "系统繁忙");
    assertUnclear(gateway.payWithCode(TradeRef.of("T14-B1-P2"), 100, APPROVED, "Table 14"), "20000 isp.unknow-error");

    emulator.answerNextCallWith("40004", "ACQ.SYSTEM_ERROR", "系统错误");
    assertUnclear(gateway.payWithCode(TradeRef.of("T14-B1-P2"), 100, APPROVED, "Table 14"), "40004 ACQ.SYSTEM_ERROR");

    emulator.answerNextCallWith("40004", "ACQ.SOMETHING_NEW", "a sub_code nobody documented yet");
    assertUnclear(gateway.refund(TradeRef.of("T14-B1-P2"), "T14-B1-P2-R1", 100), "ACQ.SOMETHING_NEW");

    AlipayGateway trustingAnotherKey = gateway(AlipaySignature.pem(APP.getPrivate()), AlipaySignature.pem(STRANGER.getPublic()));
    assertUnclear(trustingAnotherKey.query(TradeRef.of("T14-B1-P1")), "does not verify");

    // and the next call, answered properly, is believed
    assertThat(await(gateway.payWithCode(TradeRef.of("T14-B1-P2"), 100, APPROVED, "Table 14")).status())
        .isEqualTo(TradeResult.Status.SUCCEEDED);
  }

  // ---- the statement ----

  @Test
  void theStatementListsTheDaysPaymentsWithTheirRefunds() throws Exception {
    TradeRef trade = TradeRef.of("T15-B1-P1");
    await(gateway.payWithCode(trade, 1500, APPROVED, "Table 15, window"));
    await(gateway.refund(trade, "T15-B1-P1-R1", 500));
    await(gateway.createQrTrade("T15-B1-P2", 200, "Table 15")); // unpaid: not in the bill

    LocalDate today = LocalDate.now(AlipayGateway.ALIPAY_ZONE);
    List<StatementLine> lines = await(gateway.statement(today, AlipayGateway.ALIPAY_ZONE));

    assertThat(lines).singleElement().satisfies(l -> {
      assertThat(l.tradeNo()).isEqualTo("T15-B1-P1");
      assertThat(l.amountMinor()).isEqualTo(1500);
      assertThat(l.refundedMinor()).isEqualTo(500);
      assertThat(l.gatewayTxnId()).isEqualTo(emulator.trade(out("T15-B1-P1")).orElseThrow().tradeNo());
    });
    assertThat(await(gateway.statement(today.minusDays(3), AlipayGateway.ALIPAY_ZONE))).isEmpty();
  }

  private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 3 s").isLessThan(until);
      Thread.sleep(20);
    }
  }
}
