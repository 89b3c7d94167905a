package io.orderengine.deploy;

import static io.orderengine.deploy.ProductionModeTest.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Members' top-ups over HTTP on a whole node: a wallet's or a card's goes through a payment saga like a
 * bill's tender and is credited only once the money is taken (the sandbox wallets stand for WeChat Pay
 * and Alipay), cash and a standalone terminal's card are credited at once, and without the demo a
 * wallet the venue never connected is refused before anything is recorded.
 */
class MemberTopUpsTest {
  static final String CASHIER = "demo-cashier";

  @TempDir
  Path dataDir;

  @Test
  void top_ups_by_wallet_and_card_go_through_the_sagas_with_the_demo() throws Exception {
    try (TestNode node = TestNode.start(dataDir)) {
      ok(node.post("/api/v1/members", CASHIER, "{\"memberId\":\"M77\",\"name\":\"Li Mei\",\"phone\":\"13800138000\"}"), 201);
      String topUps = "/api/v1/members/M77/topups";

      // a QR the member scans: pending, nothing credited, listed on the member
      JsonNode pending = ok(node.post(topUps, CASHIER, "{\"amountMinor\":50000,\"method\":\"WECHAT\"}", "tu-qr"), 202);
      String qrPayment = pending.path("paymentId").asText();
      assertThat(qrPayment).isEqualTo("M77-TU1");
      assertThat(pending.path("status").asText()).isEqualTo("PENDING");
      assertThat(pending.path("qrCodeUrl").asText()).matches("/sandbox/wechat/trades/[0-9a-f]{20}"); // the code_url
      assertThat(pending.path("member").path("balanceMinor").asLong()).isZero();
      JsonNode member = ok(node.get("/api/v1/members/M77", CASHIER), 200);
      assertThat(member.path("balanceMinor").asLong()).isZero();
      assertThat(member.path("pendingTopUps").get(0).path("paymentId").asText()).isEqualTo(qrPayment);
      assertThat(ok(node.get("/api/v1/payments/" + qrPayment, CASHIER), 200).path("status").asText()).isEqualTo("PENDING");

      // the member pays in the sandbox wallet: its callback credits the balance, once, however often it comes
      assertThat(node.post("/sandbox/wechat/trades/" + qrPayment + "/pay", null, null).status()).isEqualTo(200);
      member = await(node, "/api/v1/members/M77", m -> m.path("balanceMinor").asLong() == 50_000);
      assertThat(member.path("pendingTopUps").size()).isZero();
      for (int i = 0; i < 3; i++) {
        assertThat(node.post("/sandbox/wechat/trades/" + qrPayment + "/redeliver", null, null).status()).isEqualTo(200);
      }
      Thread.sleep(500);
      assertThat(balance(node)).as("redelivered callbacks credit nothing more").isEqualTo(50_000);
      assertThat(ok(node.get("/api/v1/payments/" + qrPayment, CASHIER), 200).path("status").asText()).isEqualTo("SUCCEEDED");

      // the member's code scanned at the till: approved at once
      JsonNode scanned = ok(node.post(topUps, CASHIER,
          "{\"amountMinor\":30000,\"method\":\"ALIPAY\",\"authCode\":\"287634438256641234\"}", "tu-code"), 201);
      assertThat(scanned.path("topUp").path("paymentId").asText()).isEqualTo("M77-TU2");
      assertThat(scanned.path("topUp").path("status").asText()).isEqualTo("SUCCEEDED");
      assertThat(scanned.path("balanceMinor").asLong()).isEqualTo(80_000);

      // declined: 402, nothing credited, and a retry hears the same
      String declinedBody = "{\"amountMinor\":20000,\"method\":\"WECHAT\",\"authCode\":\"DECLINE\"}";
      TestNode.Answer declined = node.post(topUps, CASHIER, declinedBody, "tu-declined");
      assertThat(declined.status()).as("%s", declined.body()).isEqualTo(402);
      assertThat(declined.code()).isEqualTo("PAYMENT_DECLINED");
      assertThat(declined.body().path("paymentId").asText()).isEqualTo("M77-TU3");
      assertThat(node.post(topUps, CASHIER, declinedBody, "tu-declined").status()).isEqualTo(402);
      assertThat(balance(node)).isEqualTo(80_000);

      // a card on the integrated terminal goes through its saga too; one on a standalone terminal is credited at once
      JsonNode card = ok(node.post(topUps, CASHIER, "{\"amountMinor\":10000,\"method\":\"CARD\",\"authCode\":\"6222\"}", "tu-card"), 201);
      assertThat(card.path("topUp").path("status").asText()).isEqualTo("SUCCEEDED");
      JsonNode slip = ok(node.post(topUps, CASHIER,
          "{\"amountMinor\":5000,\"method\":\"CARD\",\"terminalRef\":\"000123456789\",\"cardLast4\":\"4321\"}", "tu-slip"), 201);
      assertThat(slip.path("topUp").path("terminalRef").asText()).isEqualTo("000123456789");
      assertThat(slip.path("topUp").path("cardLast4").asText()).isEqualTo("4321");
      assertThat(slip.path("balanceMinor").asLong()).isEqualTo(95_000);

      // cash stays as it was: 201, credited at once, now with a payment id
      JsonNode cash = ok(node.post(topUps, CASHIER, "{\"amountMinor\":1000,\"method\":\"CASH\"}", "tu-cash"), 201);
      assertThat(cash.path("topUp").path("paymentId").asText()).isEqualTo("M77-TU6");
      assertThat(cash.path("balanceMinor").asLong()).isEqualTo(96_000);

      // the member walks away from a QR: the cashier cancels it, nothing is credited
      String walked = ok(node.post(topUps, CASHIER, "{\"amountMinor\":7000,\"method\":\"ALIPAY\"}", "tu-walked"), 202)
          .path("paymentId").asText();
      JsonNode cancelled = ok(node.post("/api/v1/payments/" + walked + "/cancel", CASHIER, "{}", "tu-cancel"), 200);
      assertThat(cancelled.path("status").asText()).isEqualTo("CANCELLED");
      assertThat(node.post("/sandbox/alipay/trades/" + walked + "/pay", null, null).status())
          .as("the trade is closed at the wallet").isNotEqualTo(200);
      member = ok(node.get("/api/v1/members/M77", CASHIER), 200);
      assertThat(member.path("balanceMinor").asLong()).isEqualTo(96_000);
      assertThat(member.path("pendingTopUps").size()).isZero();
      assertThat(node.post("/api/v1/payments/" + cash.path("topUp").path("paymentId").asText() + "/cancel", CASHIER, "{}")
          .code()).isEqualTo("PAYMENT_NOT_PENDING");

      // the books: each wallet's and the card gateway's statement has the top-ups paid through it, the
      // standalone terminal's settlement has the card taken on it
      for (String provider : List.of("wechat", "alipay", "card")) {
        assertThat(ReportsTest.awaitReconciled(node, provider).path("matched").asInt()).as(provider).isEqualTo(1);
      }
      JsonNode terminals = ok(node.get("/api/v1/reports/card-terminals", "demo-analyst"), 200).path("rows");
      assertThat(terminals.size()).isEqualTo(1);
      assertThat(terminals.get(0).path("payments").asLong()).isEqualTo(1);
      assertThat(terminals.get(0).path("paymentsMinor").asLong()).isEqualTo(5000);
    }
  }

  @Test
  void with_demo_false_a_wallet_the_venue_never_connected_is_refused_before_anything_is_recorded() throws Exception {
    try (TestNode node = TestNode.start(new NodeSettings(0, dataDir, null, null, null, "127.0.0.1", TestNode.freePort(),
        List.of(), 0, false, ProductionModeTest.ADMIN + ":admin:Platform", 0))) {
      ProductionModeTest.Venue v = ProductionModeTest.openVenue(node, "V1", 1000);
      ok(node.post("/api/v1/members", v.cashierToken(), "{\"memberId\":\"M1\",\"name\":\"Wang\"}"), 201);

      TestNode.Answer wechat = node.post("/api/v1/members/M1/topups", v.cashierToken(), "{\"amountMinor\":5000,\"method\":\"WECHAT\"}");
      assertThat(wechat.status()).as("%s", wechat.body()).isEqualTo(409);
      assertThat(wechat.code()).isEqualTo("PROVIDER_NOT_CONFIGURED");
      TestNode.Answer card = node.post("/api/v1/members/M1/topups", v.cashierToken(), "{\"amountMinor\":5000,\"method\":\"CARD\"}");
      assertThat(card.code()).isEqualTo("PROVIDER_NOT_CONFIGURED");

      JsonNode member = ok(node.get("/api/v1/members/M1", v.cashierToken()), 200);
      assertThat(member.path("pendingTopUps").size()).isZero();
      JsonNode cash = ok(node.post("/api/v1/members/M1/topups", v.cashierToken(), "{\"amountMinor\":5000,\"method\":\"CASH\"}"), 201);
      assertThat(cash.path("topUp").path("paymentId").asText()).as("nothing was numbered before").isEqualTo("V1.M1-TU1");
      assertThat(cash.path("balanceMinor").asLong()).isEqualTo(5000);
    }
  }

  private static long balance(TestNode node) throws Exception {
    return ok(node.get("/api/v1/members/M77", CASHIER), 200).path("balanceMinor").asLong();
  }

  private static JsonNode await(TestNode node, String path, Predicate<JsonNode> done) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = node.get(path, CASHIER).body();
      if (done.test(last)) return last;
      Thread.sleep(200);
    }
    throw new AssertionError("not reached within 30 s: " + last);
  }
}
