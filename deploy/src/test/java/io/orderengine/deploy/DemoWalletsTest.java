package io.orderengine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's wallets are WeChat Pay and Alipay emulated over their own wire protocols, served by the
 * demo nodes, their trades in the cluster's journal: a request without the merchant's signature is
 * refused as WeChat Pay refuses it, a trade made through one node is paid on the other, a lost
 * callback is found by the saga's query, and a restarted cluster still knows its trades.
 */
class DemoWalletsTest {
  private static final String CASHIER = "demo-cashier";
  private static final String WAITER = "demo-waiter";

  @Test
  void the_emulated_providers_answer_in_their_own_protocols(@TempDir Path dir) throws Exception {
    try (TestNode node = TestNode.start(dir)) {
      TestNode.Answer unsigned = node.call("GET", "/sandbox/wechat/v3/pay/transactions/out-trade-no/T01-0001-B1-P1?mchid=1900000109",
          null, null, null);
      assertThat(unsigned.status()).isEqualTo(401);
      assertThat(unsigned.body().path("code").asText()).isEqualTo("SIGN_ERROR");
      TestNode.Answer alipay = node.call("POST", "/sandbox/alipay/gateway.do?charset=utf-8&app_id=2021000000000001"
          + "&method=alipay.trade.query&sign_type=RSA2&timestamp=2026-12-03+12:00:00&sign=AAAA", null, null, null);
      assertThat(alipay.body().toString()).contains("isv.invalid-signature");
    }
  }

  @Test
  void a_trade_made_through_one_node_is_paid_on_the_other_and_survives_a_restart(@TempDir Path dir) throws Exception {
    try (EmbeddedDatabase db = EmbeddedDatabase.start(dir.resolve("db"), 0)) {
      int seedPort = TestNode.freePort();
      List<String> seeds = List.of("127.0.0.1:" + seedPort);
      String alipayBill;
      String alipayTrade;
      try (TestNode first = TestNode.start(TwoNodeStockRaceTest.settings(db, dir.resolve("a"), seedPort, seeds));
          TestNode second = TestNode.start(TwoNodeStockRaceTest.settings(db, dir.resolve("b"), TestNode.freePort(), seeds))) {
        // WeChat: the QR code is made through the first node, the customer's phone opens it on the second
        String bill = billOf(first, "T01", "[{\"sku\":\"LZ01\",\"qty\":1}]");
        JsonNode pending = first.post("/api/v1/bills/" + bill + "/payments", CASHIER,
            "{\"method\":\"WECHAT\",\"amountMinor\":" + total(first, bill) + "}").body();
        assertThat(pending.path("status").asText()).isEqualTo("PENDING");
        String qr = pending.path("qrCodeUrl").asText();
        assertThat(second.get(qr, null).body().path("state").asText()).isEqualTo("NOTPAY");
        assertThat(second.post(qr + "/pay", null, null).status()).isEqualTo(200);
        awaitStatus(first, pending.path("paymentId").asText(), "SUCCEEDED");
        assertThat(second.get("/api/v1/bills/" + bill, CASHIER).body().path("status").asText()).isEqualTo("PAID");
        // the day's statement, downloaded from the emulated WeChat Pay as its trade bill, lists the payment
        var statement = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create(first.base() + "/sandbox/wechat/statements/"
                + java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")))).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(statement.statusCode()).isEqualTo(200);
        assertThat(statement.body()).contains(pending.path("paymentId").asText());

        // Alipay, its notification lost on the second node: the saga's query finds the payment
        alipayBill = billOf(second, "T02", "[{\"sku\":\"SC02\",\"qty\":1}]");
        JsonNode qrTrade = second.post("/api/v1/bills/" + alipayBill + "/payments", CASHIER,
            "{\"method\":\"ALIPAY\",\"amountMinor\":" + total(second, alipayBill) + "}").body();
        alipayTrade = qrTrade.path("gatewayTradeNo").asText();
        assertThat(second.post("/sandbox/alipay/faults", null, "{\"loseCallbacks\":5}").status()).isEqualTo(200);
        assertThat(first.post("/sandbox/alipay/faults", null, "{\"loseCallbacks\":5}").status()).isEqualTo(200);
        assertThat(first.post("/sandbox/alipay/trades/" + alipayTrade + "/pay", null, null).status()).isEqualTo(200);
        awaitStatus(second, qrTrade.path("paymentId").asText(), "SUCCEEDED");
        assertThat(first.get("/sandbox/alipay/trades/" + alipayTrade, null).body().path("callbackAcknowledged").asBoolean())
            .as("no notification reached the node: its query found the payment").isFalse();
        assertThat(first.post("/sandbox/alipay/faults", null, "{\"failCalls\":1000}").status()).isEqualTo(400);
      }
      // the whole cluster stops; the emulated Alipay remembers its trade, and the bill its payment
      try (TestNode again = TestNode.start(TwoNodeStockRaceTest.settings(db, dir.resolve("a"), seedPort, seeds))) {
        JsonNode trade = again.get("/sandbox/alipay/trades/" + alipayTrade, null).body();
        assertThat(trade.path("state").asText()).isEqualTo("SUCCESS");
        assertThat(again.get("/api/v1/bills/" + alipayBill, CASHIER).body().path("status").asText()).isEqualTo("PAID");
      }
    }
  }

  private static String billOf(TestNode node, String table, String items) throws Exception {
    assertThat(node.post("/api/v1/tables/" + table + "/open", WAITER, "{\"partySize\":2}").status()).isEqualTo(201);
    assertThat(node.post("/api/v1/tables/" + table + "/items", WAITER, "{\"items\":" + items + "}").status()).isEqualTo(200);
    return node.post("/api/v1/tables/" + table + "/bill", WAITER, "{}").body().path("bills").get(0).path("billId").asText();
  }

  private static long total(TestNode node, String bill) throws Exception {
    return node.get("/api/v1/bills/" + bill, CASHIER).body().path("totalMinor").asLong();
  }

  private static void awaitStatus(TestNode node, String paymentId, String status) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(40));
    String seen = null;
    while (Instant.now().isBefore(deadline)) {
      seen = node.get("/api/v1/payments/" + paymentId, CASHIER).body().path("status").asText();
      if (seen.equals(status)) return;
      Thread.sleep(300);
    }
    assertThat(seen).as("payment " + paymentId).isEqualTo(status);
  }
}
