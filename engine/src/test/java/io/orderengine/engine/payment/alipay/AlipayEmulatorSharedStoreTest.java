package io.orderengine.engine.payment.alipay;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderengine.engine.payment.BadSignature;
import io.orderengine.engine.payment.Callback;
import io.orderengine.engine.payment.Gateway;
import io.orderengine.engine.payment.Notification;
import io.orderengine.engine.payment.RefundNotification;
import io.orderengine.engine.payment.RefundResult;
import io.orderengine.engine.payment.StatementLine;
import io.orderengine.engine.payment.TradeRef;
import io.orderengine.engine.payment.TradeResult;
import io.orderengine.engine.payment.wire.EmulatorStore;
import io.orderengine.engine.payment.wire.LocalServer;
import io.orderengine.engine.payment.wire.WireRequest;
import io.orderengine.engine.payment.wire.WireResponse;
import java.net.http.HttpClient;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two emulators sharing one store, as the nodes of a demo cluster serve Alipay: each on its own
 * server, the merchant talking to one or the other, and yet one Alipay: a trade made through one
 * is scanned, paid, queried, refunded and billed through the other, once.
 */
class AlipayEmulatorSharedStoreTest {
  private static final String APP_ID = "2021000000000001";
  private static final String OTHER_APP_ID = "2021000000000002";
  private static final KeyPair APP = AlipayEmulator.generateKeys();
  private static final KeyPair ALIPAY = AlipayEmulator.generateKeys();
  private static final String APPROVED = "281234567890123456";

  private final EmulatorStore store = EmulatorStore.inMemory();
  private final List<AutoCloseable> open = new ArrayList<>();
  private final BlockingQueue<Callback> received = new LinkedBlockingQueue<>();
  private AlipayEmulator one;
  private AlipayEmulator two;
  private AlipayGateway throughOne;
  private AlipayGateway throughTwo;

  @BeforeEach
  void start() {
    one = emulator();
    two = emulator();
    LocalServer receiver = serve(this::receive);
    throughOne = gateway(APP_ID, serve(one), receiver);
    throughTwo = gateway(APP_ID, serve(two), receiver);
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : open) c.close();
  }

  private AlipayEmulator emulator() {
    AlipayEmulator e = new AlipayEmulator(ALIPAY, token -> "https://qr.alipay.com/" + token,
        List.of(Duration.ofMillis(150), Duration.ofMillis(150)), Clock.systemUTC(), store);
    e.registerApp(APP_ID, AlipaySignature.pem(APP.getPublic()));
    e.registerApp(OTHER_APP_ID, AlipaySignature.pem(APP.getPublic()));
    open.add(e);
    return e;
  }

  private LocalServer serve(io.orderengine.engine.payment.wire.ProviderEmulator handler) {
    LocalServer s = LocalServer.start(handler);
    open.add(s);
    return s;
  }

  private AlipayGateway gateway(String appId, LocalServer alipay, LocalServer receiver) {
    AlipayConfig config = new AlipayConfig(appId, AlipaySignature.pem(APP.getPrivate()), AlipaySignature.pem(ALIPAY.getPublic()),
        receiver.baseUrl() + "/notify", alipay.baseUrl() + "/gateway.do");
    return new AlipayGateway(config, HttpClient.newHttpClient(), Clock.systemUTC());
  }

  private WireResponse receive(WireRequest request) {
    Gateway.CallbackAnswer answer;
    try {
      received.add(throughOne.verifyCallback(request.headers(), request.body()));
      answer = throughOne.acknowledgement();
    } catch (BadSignature e) {
      answer = throughOne.refusal(e.getMessage());
    }
    return WireResponse.of(answer.status(), answer.contentType(), answer.body(), Map.of());
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  private Callback nextCallback() throws InterruptedException {
    Callback c = received.poll(3, TimeUnit.SECONDS);
    assertThat(c).as("a notification reached the receiver").isNotNull();
    return c;
  }

  private static String out(String tradeNo) {
    return AlipayNumbers.outTradeNo(tradeNo);
  }

  @Test
  void aTradeMadeThroughOneIsPaidQueriedRefundedAndBilledThroughTheOther() throws Exception {
    TradeResult created = await(throughOne.createQrTrade("S1-B1-P1", 1500, "Table 1"));
    assertThat(await(throughTwo.createQrTrade("S1-B1-P1", 1500, "Table 1")).qrCodeUrl())
        .as("the same trade, whichever server is asked").isEqualTo(created.qrCodeUrl());
    assertThat(await(throughTwo.query(TradeRef.of("S1-B1-P1"))).status()).isEqualTo(TradeResult.Status.NOT_FOUND);

    assertThat(two.scan(out("S1-B1-P1"))).isTrue();
    assertThat(one.scan(out("S1-B1-P1"))).as("scanned already, through the other").isFalse();
    assertThat(await(throughOne.query(TradeRef.of("S1-B1-P1"))).status()).isEqualTo(TradeResult.Status.PENDING);
    assertThat(two.pay(out("S1-B1-P1"))).isTrue();
    assertThat(one.pay(out("S1-B1-P1"))).as("paid already").isFalse();

    Notification paid = (Notification) nextCallback();
    assertThat(paid.status()).isEqualTo(TradeResult.Status.SUCCEEDED);
    assertThat(paid.gatewayTxnId()).isEqualTo(one.trade(out("S1-B1-P1")).orElseThrow().tradeNo());
    assertThat(await(throughOne.query(TradeRef.of("S1-B1-P1"))).status()).isEqualTo(TradeResult.Status.SUCCEEDED);
    waitUntil(() -> one.trade(out("S1-B1-P1")).orElseThrow().notificationAnswered());

    assertThat(one.redeliver(out("S1-B1-P1"))).as("the other server's notification, sent again").isTrue();
    assertThat(nextCallback().notificationId()).isEqualTo(paid.notificationId());

    assertThat(await(throughTwo.refund(TradeRef.of("S1-B1-P1"), "S1-B1-P1-R1", 500)).status())
        .isEqualTo(RefundResult.Status.SUCCEEDED);
    assertThat(await(throughOne.refund(TradeRef.of("S1-B1-P1"), "S1-B1-P1-R1", 500)).status())
        .as("the same refund, retried through the other server").isEqualTo(RefundResult.Status.SUCCEEDED);
    assertThat(await(throughOne.queryRefund(TradeRef.of("S1-B1-P1"), "S1-B1-P1-R1")).status())
        .isEqualTo(RefundResult.Status.SUCCEEDED);
    assertThat(((RefundNotification) nextCallback()).refundNo()).isEqualTo("S1-B1-P1-R1");
    assertThat(one.trade(out("S1-B1-P1")).orElseThrow().refundedFen()).isEqualTo(500);
    assertThat(two.trade(out("S1-B1-P1")).orElseThrow().refunds()).containsEntry(
        AlipayNumbers.outRequestNo("S1-B1-P1", "S1-B1-P1-R1"), 500L);

    LocalDate today = LocalDate.now(AlipayGateway.ALIPAY_ZONE);
    for (AlipayGateway g : List.of(throughOne, throughTwo)) {
      List<StatementLine> lines = await(g.statement(today, AlipayGateway.ALIPAY_ZONE));
      assertThat(lines).as("the day's bill lists the trade once").singleElement().satisfies(l -> {
        assertThat(l.tradeNo()).isEqualTo("S1-B1-P1");
        assertThat(l.amountMinor()).isEqualTo(1500);
        assertThat(l.refundedMinor()).isEqualTo(500);
      });
    }
    assertThat(one.trades()).as("each instance lists the trades it made").hasSize(1);
    assertThat(two.trades()).isEmpty();
  }

  @Test
  void tradeNumbersMadeByEitherNeverRepeatAndAnotherAppSeesNoTrade() throws Exception {
    Set<String> tradeNos = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      AlipayGateway g = i % 2 == 0 ? throughOne : throughTwo;
      TradeResult paid = await(g.payWithCode(TradeRef.of("S2-B1-P" + i), 100, APPROVED, "Table 2"));
      assertThat(paid.status()).isEqualTo(TradeResult.Status.SUCCEEDED);
      tradeNos.add(paid.gatewayTxnId());
    }
    assertThat(tradeNos).hasSize(20);

    AlipayGateway otherApp = gateway(OTHER_APP_ID, serve(two), serve(r -> WireResponse.of(200, "text/plain", "success", Map.of())));
    assertThat(await(otherApp.query(TradeRef.of("S2-B1-P0"))).status()).isEqualTo(TradeResult.Status.NOT_FOUND);
    assertThat(await(otherApp.queryRefund(TradeRef.of("S2-B1-P0"), "S2-B1-P0-R1")).status())
        .isEqualTo(RefundResult.Status.NOT_FOUND);
    assertThat(await(otherApp.refund(TradeRef.of("S2-B1-P0"), "S2-B1-P0-R1", 100)).status())
        .isEqualTo(RefundResult.Status.REJECTED);
    assertThat(await(otherApp.statement(LocalDate.now(AlipayGateway.ALIPAY_ZONE), AlipayGateway.ALIPAY_ZONE))).isEmpty();
    assertThat(one.trade(out("S2-B1-P0")).orElseThrow().refundedFen()).isZero();
  }

  @Test
  void twoServersPayingOneTradeAtOnceTakeTheMoneyOnce() throws Exception {
    await(throughOne.createQrTrade("S3-B1-P1", 900, "Table 3"));
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Callable<Boolean> viaOne = () -> one.pay(out("S3-B1-P1"));
      Callable<Boolean> viaTwo = () -> two.pay(out("S3-B1-P1"));
      List<Future<Boolean>> both = pool.invokeAll(List.of(viaOne, viaTwo));
      assertThat(List.of(both.get(0).get(), both.get(1).get())).containsExactlyInAnyOrder(true, false);
    } finally {
      pool.shutdownNow();
    }
    assertThat(nextCallback().tradeNo()).isEqualTo("S3-B1-P1");
    assertThat(received.poll(500, TimeUnit.MILLISECONDS)).as("one payment, one notification").isNull();
    assertThat(await(throughTwo.statement(LocalDate.now(AlipayGateway.ALIPAY_ZONE), AlipayGateway.ALIPAY_ZONE)))
        .singleElement().satisfies(l -> assertThat(l.amountMinor()).isEqualTo(900));
  }

  private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 3 s").isLessThan(until);
      Thread.sleep(20);
    }
  }
}
