package io.orderengine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderengine.engine.payment.PaymentSaga;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every payment flow of shared/API.md over real HTTP: wallets with the sandbox's signed callbacks,
 * scanned codes, cards, members, mixed tenders, cancel, refunds, and concurrent taps.
 */
class PaymentFlowsTest {
  static final String WAITER = "demo-waiter";
  static final String CASHIER = "demo-cashier";
  static final AtomicInteger TABLES = new AtomicInteger(10);

  @TempDir static Path dataDir;
  static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(dataDir);
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) node.close();
  }

  /** Seats a fresh table, orders {@code items}, and returns the id of its whole bill. */
  static String billFor(String items) throws Exception {
    String table = String.format("T%02d", TABLES.getAndIncrement());
    assertThat(node.post("/api/v1/tables/" + table + "/open", WAITER, "{\"partySize\":2}").status()).isEqualTo(201);
    assertThat(node.post("/api/v1/tables/" + table + "/items", WAITER, "{\"items\":" + items + "}").status()).isEqualTo(200);
    TestNode.Answer bill = node.post("/api/v1/tables/" + table + "/bill", WAITER, "{\"split\":{\"mode\":\"WHOLE\"}}");
    assertThat(bill.status()).isEqualTo(201);
    return bill.body().path("bills").get(0).path("billId").asText();
  }

  static JsonNode bill(String billId) throws Exception {
    return node.get("/api/v1/bills/" + billId, CASHIER).body();
  }

  static TestNode.Answer pay(String billId, String body) throws Exception {
    return node.post("/api/v1/bills/" + billId + "/payments", CASHIER, body);
  }

  static JsonNode awaitBill(String billId, String field, String expected) throws Exception {
    JsonNode b = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      b = bill(billId);
      if (b.path(field).asText().equals(expected)) return b;
      Thread.sleep(100);
    }
    throw new AssertionError(field + " of " + billId + " never became " + expected + ": " + b);
  }

  /**
   * On a fresh database the first payments of a rush used to wait up to twenty seconds for sharding
   * to write their shards down one at a time; a node now brings every shard of sagas up as it starts.
   */
  @Test
  void everyShardOfPaymentSagasIsUpBeforeTheFirstPaymentAndNothingIsLeftRunningInThem() throws Exception {
    int shards = node.system().settings().config().getInt("pekko.cluster.sharding.number-of-shards");
    ShardRegion.CurrentShardRegionState state = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      state = AskPattern.<ClusterShardingQuery, ShardRegion.CurrentShardRegionState>ask(
              ClusterSharding.get(node.system()).shardState(),
              replyTo -> new GetShardRegionState(PaymentSaga.ENTITY_KEY, replyTo), Duration.ofSeconds(5),
              node.system().scheduler())
          .toCompletableFuture().get();
      boolean openersGone = state.getShards().stream()
          .flatMap(sh -> sh.getEntityIds().stream()).noneMatch(id -> id.startsWith("~"));
      if (state.getShards().size() == shards && openersGone) break;
      Thread.sleep(100);
    }
    assertThat(state.getShards()).hasSize(shards);
    assertThat(state.getShards().stream().flatMap(sh -> sh.getEntityIds().stream()))
        .as("the entities that opened the shards stopped again").noneMatch(id -> id.startsWith("~"));
  }

  @Test
  void qrTradePaidByTheCustomerSettlesTheBillOnceDespiteRedeliveries() throws Exception {
    String billId = billFor("[{\"sku\":\"LZ01\",\"qty\":2}]");
    TestNode.Answer pending = pay(billId, "{\"method\":\"WECHAT\",\"amountMinor\":4400}");
    assertThat(pending.status()).isEqualTo(202);
    assertThat(pending.body().path("status").asText()).isEqualTo("PENDING");
    String tradeNo = pending.body().path("gatewayTradeNo").asText();
    assertThat(tradeNo).isEqualTo(pending.body().path("paymentId").asText());
    // the code_url the emulated WeChat Pay gave: in the demo, the wallet's page for the trade
    String qr = pending.body().path("qrCodeUrl").asText();
    assertThat(qr).matches("/sandbox/wechat/trades/[0-9a-f]{20}");

    assertThat(node.post(qr + "/pay", null, null).status()).isEqualTo(200);
    JsonNode paid = awaitBill(billId, "status", "PAID");
    assertThat(paid.path("paidMinor").asLong()).isEqualTo(4400);
    assertThat(paid.path("dueMinor").asLong()).isZero();

    for (int i = 0; i < 3; i++) {
      assertThat(node.post("/sandbox/wechat/trades/" + tradeNo + "/redeliver", null, null).status()).isEqualTo(200);
    }
    Thread.sleep(500);
    JsonNode after = bill(billId);
    assertThat(after.path("paidMinor").asLong()).isEqualTo(4400);
    assertThat(after.path("payments").size()).isEqualTo(1);
    assertThat(node.get("/api/v1/payments/" + pending.body().path("paymentId").asText(), CASHIER).body().path("status").asText())
        .isEqualTo("SUCCEEDED");
  }

  @Test
  void aForgedCallbackIsRefused() throws Exception {
    TestNode.Answer forged = node.call("POST", "/api/v1/gateways/wechat/notify", null,
        "{\"id\":\"N1\",\"resource\":{\"out_trade_no\":\"T01-0001-B1-P1\",\"trade_state\":\"SUCCESS\"}}", null);
    assertThat(forged.status()).isEqualTo(401);
    assertThat(forged.code()).isEqualTo("BAD_SIGNATURE");
  }

  @Test
  void aDeclinedCodeChargesNothingAndKeepsTheAmountDue() throws Exception {
    String billId = billFor("[{\"sku\":\"SC02\",\"qty\":1}]");
    TestNode.Answer declined = pay(billId, "{\"method\":\"ALIPAY\",\"amountMinor\":2600,\"authCode\":\"DECLINE\"}");
    assertThat(declined.status()).isEqualTo(402);
    assertThat(declined.code()).isEqualTo("PAYMENT_DECLINED");
    JsonNode b = bill(billId);
    assertThat(b.path("dueMinor").asLong()).isEqualTo(2600);
    assertThat(b.path("paidMinor").asLong()).isZero();
    assertThat(b.path("status").asText()).isEqualTo("OPEN");

    TestNode.Answer card = pay(billId, "{\"method\":\"CARD\",\"amountMinor\":2600,\"authCode\":\"DECLINE\"}");
    assertThat(card.status()).isEqualTo(402);
    assertThat(pay(billId, "{\"method\":\"CARD\",\"amountMinor\":2600}").status()).isEqualTo(201);
    assertThat(bill(billId).path("status").asText()).isEqualTo("PAID");
  }

  @Test
  void aCancelledTradeIsNeverPaidByALateCustomer() throws Exception {
    String billId = billFor("[{\"sku\":\"CR02\",\"qty\":1}]");
    TestNode.Answer pending = pay(billId, "{\"method\":\"WECHAT\",\"amountMinor\":4600}");
    String paymentId = pending.body().path("paymentId").asText();
    TestNode.Answer cancelled = node.post("/api/v1/payments/" + paymentId + "/cancel", CASHIER, null);
    assertThat(cancelled.status()).isEqualTo(200);
    assertThat(cancelled.body().path("status").asText()).isEqualTo("CANCELLED");

    node.post("/sandbox/wechat/trades/" + paymentId + "/pay", null, null); // the sandbox refuses: the trade is closed
    Thread.sleep(500);
    JsonNode b = bill(billId);
    assertThat(b.path("paidMinor").asLong()).isZero();
    assertThat(b.path("dueMinor").asLong()).isEqualTo(4600);
    assertThat(b.path("pendingMinor").asLong()).isZero();
    assertThat(pay(billId, "{\"method\":\"CASH\",\"amountMinor\":5000}").body().path("changeMinor").asLong()).isEqualTo(400);
    assertThat(bill(billId).path("paidMinor").asLong()).isEqualTo(4600);
  }

  @Test
  void userPayingSettlesWhenTheCustomerConfirms() throws Exception {
    String billId = billFor("[{\"sku\":\"DJ05\",\"qty\":1}]");
    TestNode.Answer waiting = pay(billId, "{\"method\":\"WECHAT\",\"amountMinor\":2800,\"authCode\":\"USERPAYING\"}");
    assertThat(waiting.status()).isEqualTo(202);
    assertThat(bill(billId).path("status").asText()).isEqualTo("OPEN");
    node.post("/sandbox/wechat/trades/" + waiting.body().path("paymentId").asText() + "/pay", null, null);
    assertThat(awaitBill(billId, "status", "PAID").path("paidMinor").asLong()).isEqualTo(2800);
  }

  @Test
  void cashAndAScannedCodeOnOneBill() throws Exception {
    String billId = billFor("[{\"sku\":\"SC04\",\"qty\":1},{\"sku\":\"DR01\",\"qty\":2}]");
    assertThat(bill(billId).path("totalMinor").asLong()).isEqualTo(8800);
    TestNode.Answer cash = pay(billId, "{\"method\":\"CASH\",\"amountMinor\":3000,\"tenderedMinor\":3000}");
    assertThat(cash.status()).isEqualTo(201);
    assertThat(cash.body().path("billStatus").asText()).isEqualTo("PARTIALLY_PAID");
    TestNode.Answer tooMuch = pay(billId, "{\"method\":\"ALIPAY\",\"amountMinor\":6000,\"authCode\":\"28763443825664394\"}");
    assertThat(tooMuch.status()).isEqualTo(422);
    assertThat(tooMuch.code()).isEqualTo("AMOUNT_EXCEEDS_DUE");
    TestNode.Answer scanned = pay(billId, "{\"method\":\"ALIPAY\",\"amountMinor\":5800,\"authCode\":\"28763443825664394\"}");
    assertThat(scanned.status()).isEqualTo(201);
    assertThat(scanned.body().path("status").asText()).isEqualTo("SUCCEEDED");
    JsonNode b = bill(billId);
    assertThat(b.path("status").asText()).isEqualTo("PAID");
    assertThat(b.path("payments").findValuesAsText("method")).containsExactly("CASH", "ALIPAY");
  }

  @Test
  void membersTopUpOncePayAndAreRefusedWhenShort() throws Exception {
    assertThat(node.post("/api/v1/members", WAITER, "{\"memberId\":\"M100\",\"name\":\"李雷\",\"phone\":\"13900000000\"}").status())
        .isEqualTo(201);
    assertThat(node.post("/api/v1/members", WAITER, "{\"memberId\":\"M100\",\"name\":\"李雷\"}").code()).isEqualTo("MEMBER_EXISTS");
    for (int i = 0; i < 3; i++) {
      assertThat(node.post("/api/v1/members/M100/topups", CASHIER, "{\"amountMinor\":10000,\"method\":\"CASH\"}", "topup-M100-1").status())
          .isEqualTo(201);
    }
    assertThat(node.get("/api/v1/members/M100", CASHIER).body().path("balanceMinor").asLong()).isEqualTo(10000);

    String billId = billFor("[{\"sku\":\"CR04\",\"qty\":3}]"); // 144.00
    TestNode.Answer short_ = pay(billId, "{\"method\":\"MEMBER\",\"amountMinor\":14400,\"memberId\":\"M100\"}");
    assertThat(short_.status()).isEqualTo(409);
    assertThat(short_.code()).isEqualTo("INSUFFICIENT_BALANCE");
    TestNode.Answer paid = pay(billId, "{\"method\":\"MEMBER\",\"amountMinor\":9600,\"memberId\":\"M100\"}");
    assertThat(paid.status()).isEqualTo(201);
    JsonNode member = node.get("/api/v1/members/M100", CASHIER).body();
    assertThat(member.path("balanceMinor").asLong()).isEqualTo(400);
    assertThat(member.path("points").asLong()).isEqualTo(96);
    assertThat(bill(billId).path("dueMinor").asLong()).isEqualTo(4800);
  }

  @Test
  void refundsArePartialNeverAboveWhatWasPaidAndOnlyForCashiers() throws Exception {
    String billId = billFor("[{\"sku\":\"SC05\",\"qty\":2}]"); // 72.00
    String cashId = pay(billId, "{\"method\":\"CASH\",\"amountMinor\":2000}").body().path("paymentId").asText();
    String cardId = pay(billId, "{\"method\":\"CARD\",\"amountMinor\":5200}").body().path("paymentId").asText();
    assertThat(bill(billId).path("status").asText()).isEqualTo("PAID");

    assertThat(node.post("/api/v1/bills/" + billId + "/refunds", WAITER,
        "{\"paymentId\":\"" + cardId + "\",\"amountMinor\":1000}").status()).isEqualTo(403);
    TestNode.Answer tooMuch = node.post("/api/v1/bills/" + billId + "/refunds", CASHIER,
        "{\"paymentId\":\"" + cashId + "\",\"amountMinor\":2001}");
    assertThat(tooMuch.status()).isEqualTo(422);
    assertThat(tooMuch.code()).isEqualTo("AMOUNT_EXCEEDS_REFUNDABLE");

    TestNode.Answer cashBack = node.post("/api/v1/bills/" + billId + "/refunds", CASHIER,
        "{\"paymentId\":\"" + cashId + "\",\"amountMinor\":500,\"reason\":\"cold soup\"}", "refund-cash-1");
    assertThat(cashBack.status()).isEqualTo(201);
    assertThat(cashBack.body().path("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(node.post("/api/v1/bills/" + billId + "/refunds", CASHIER,
        "{\"paymentId\":\"" + cashId + "\",\"amountMinor\":500,\"reason\":\"cold soup\"}", "refund-cash-1").body())
        .isEqualTo(cashBack.body());

    TestNode.Answer cardBack = node.post("/api/v1/bills/" + billId + "/refunds", CASHIER,
        "{\"paymentId\":\"" + cardId + "\",\"amountMinor\":5200}");
    assertThat(cardBack.status()).isEqualTo(201);
    assertThat(awaitBill(billId, "refundedMinor", "5700").path("refunds").findValuesAsText("status")).containsOnly("SUCCEEDED");
    assertThat(node.post("/api/v1/bills/" + billId + "/refunds", CASHIER,
        "{\"paymentId\":\"" + cardId + "\",\"amountMinor\":1}").code()).isEqualTo("AMOUNT_EXCEEDS_REFUNDABLE");
  }

  @Test
  void aLineVoidedAfterPaymentIsRefundedByItself() throws Exception {
    String table = String.format("T%02d", TABLES.getAndIncrement());
    node.post("/api/v1/tables/" + table + "/open", WAITER, "{\"partySize\":2}");
    node.post("/api/v1/tables/" + table + "/items", WAITER, "{\"items\":[{\"sku\":\"SC01\",\"qty\":1},{\"sku\":\"DR03\",\"qty\":1}]}");
    String billId = node.post("/api/v1/tables/" + table + "/bill", WAITER, "{}").body().path("bills").get(0).path("billId").asText();
    assertThat(pay(billId, "{\"method\":\"CARD\",\"amountMinor\":5000}").status()).isEqualTo(201);

    assertThat(node.post("/api/v1/tables/" + table + "/items/l2/void", WAITER, "{\"reason\":\"never came\"}").status())
        .isEqualTo(200);
    JsonNode refunded = awaitBill(billId, "refundedMinor", "1200");
    assertThat(refunded.path("totalMinor").asLong()).isEqualTo(3800);
    assertThat(refunded.path("status").asText()).isEqualTo("PAID");
    assertThat(refunded.path("refunds").get(0).path("method").asText()).isEqualTo("CARD");
    assertThat(refunded.path("lines").get(1).path("voided").asBoolean()).isTrue();
    assertThat(node.post("/api/v1/tables/" + table + "/close", WAITER, null).status()).isEqualTo(200);
  }

  @Test
  void eightConcurrentTapsForTheWholeDueMakeOnePayment() throws Exception {
    String billId = billFor("[{\"sku\":\"CR03\",\"qty\":2}]"); // 76.00
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<TestNode.Answer>> taps = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        String key = "tap-" + billId + "-" + i;
        Callable<TestNode.Answer> tap = () -> node.call("POST", "/api/v1/bills/" + billId + "/payments", CASHIER,
            "{\"method\":\"CARD\",\"amountMinor\":7600}", key);
        taps.add(pool.submit(tap));
      }
      int succeeded = 0;
      for (Future<TestNode.Answer> f : taps) {
        TestNode.Answer a = f.get();
        if (a.status() == 201) succeeded++;
        else assertThat(a.code()).isIn("AMOUNT_EXCEEDS_DUE", "BILL_SETTLED");
      }
      assertThat(succeeded).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
    JsonNode b = bill(billId);
    assertThat(b.path("paidMinor").asLong()).isEqualTo(7600);
    assertThat(b.path("payments").size()).isEqualTo(1);
  }
}
