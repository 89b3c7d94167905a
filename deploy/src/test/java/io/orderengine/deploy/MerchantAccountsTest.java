package io.orderengine.deploy;

import static io.orderengine.deploy.ProductionModeTest.ADMIN;
import static io.orderengine.deploy.ProductionModeTest.ok;
import static io.orderengine.deploy.ProductionModeTest.openVenue;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderengine.deploy.ProductionModeTest.Venue;
import io.orderengine.engine.payment.alipay.AlipayEmulator;
import io.orderengine.engine.payment.alipay.AlipayNumbers;
import io.orderengine.engine.payment.wechat.WechatPayEmulator;
import io.orderengine.engine.payment.wechat.WechatTradeNumbers;
import io.orderengine.engine.payment.wire.LocalServer;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A venue's own merchant accounts on a production node ({@code DEMO=false}): the owner connects
 * them with keys the test made, pointed at a provider's server on 127.0.0.1 that checks the
 * signature of every request and signs every answer and notification (the emulators of the real
 * wire protocols); then the venue takes money through them as it would through the providers.
 */
class MerchantAccountsTest {
  @TempDir
  Path dataDir;

  private NodeSettings production() throws Exception {
    return new NodeSettings(0, dataDir, null, null, null, "127.0.0.1", TestNode.freePort(), List.of(), 0, false,
        ADMIN + ":admin:Platform", 0);
  }

  @Test
  void alipay_through_the_venues_own_app_qr_bar_code_lost_and_duplicate_notifications_refund_and_cancel() throws Exception {
    KeyPair app = rsa();
    try (AlipayEmulator alipay = new AlipayEmulator(AlipayEmulator.generateKeys(), out -> "https://qr.alipay.com/" + out,
            List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4)), Clock.systemUTC());
         LocalServer server = LocalServer.start(alipay);
         TestNode node = TestNode.start(production())) {
      alipay.registerApp("2021000000000001", pem("PUBLIC KEY", app.getPublic().getEncoded()));
      Venue v = openVenue(node, "V1", 1000);
      String owner = v.ownerToken();
      String cashier = v.cashierToken();
      String bill = billOf(node, cashier, 6);

      // no account yet: the tender is refused before the bill records anything
      assertThat(pay(node, cashier, bill, "ALIPAY", 1000, null).code()).isEqualTo("PROVIDER_NOT_CONFIGURED");
      assertThat(node.get("/api/v1/payment-providers", owner).body().path("providers").get(1).path("configured").asBoolean())
          .isFalse();

      // the owner connects the app; a bad key is refused with its field named, and nothing is kept
      ObjectNode account = TestNode.JSON.createObjectNode()
          .put("appId", "2021000000000001")
          .put("appPrivateKeyPem", pem("PRIVATE KEY", app.getPrivate().getEncoded()))
          .put("alipayPublicKeyPem", alipay.alipayPublicKeyPem())
          .put("notifyUrl", node.base() + "/api/v1/venues/V1/gateways/alipay/notify")
          .put("gatewayUrl", server.baseUrl() + "/gateway.do");
      ObjectNode broken = account.deepCopy().put("alipayPublicKeyPem", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----");
      TestNode.Answer refused = node.call("PUT", "/api/v1/payment-providers/alipay", owner, broken.toString(), null);
      assertThat(refused.status()).isEqualTo(400);
      assertThat(refused.body().path("detail").asText()).contains("alipayPublicKeyPem");
      assertThat(node.call("PUT", "/api/v1/payment-providers/alipay", cashier, account.toString(), null).status())
          .as("only the owner connects accounts").isEqualTo(403);
      JsonNode kept = ok(node.call("PUT", "/api/v1/payment-providers/alipay", owner, account.toString(), null), 200);
      assertThat(kept.path("configured").asBoolean()).isTrue();
      assertThat(kept.toString()).doesNotContain("PRIVATE KEY").doesNotContain("appPrivateKeyPem\":\"");
      JsonNode listed = node.get("/api/v1/payment-providers", owner).body().path("providers").get(1);
      assertThat(listed.path("appId").asText()).isEqualTo("2021000000000001");
      assertThat(listed.toString()).doesNotContain("PRIVATE KEY");
      assertThat(node.get("/api/v1/venues/V1/audit", ADMIN).raw().body()).doesNotContain("PRIVATE KEY");

      // the diner scans the QR code and pays: Alipay's signed notification settles the payment
      JsonNode qr = ok(pay(node, cashier, bill, "ALIPAY", 1000, null), 202);
      assertThat(qr.path("qrCodeUrl").asText()).startsWith("https://qr.alipay.com/");
      String qrPayment = qr.path("paymentId").asText();
      customerPays(alipay, qrPayment);
      await(node, cashier, "/api/v1/payments/" + qrPayment, p -> p.path("status").asText().equals("SUCCEEDED"));
      assertThat(alipay.trade(AlipayNumbers.outTradeNo(qrPayment)).orElseThrow().notificationAnswered())
          .as("the node answered Alipay's notification with its plain 'success'").isTrue();

      // the cashier scans the diner's code: approved at once
      JsonNode scanned = ok(pay(node, cashier, bill, "ALIPAY", 1000, "28763443825664394"), 201);
      assertThat(scanned.path("status").asText()).isEqualTo("SUCCEEDED");
      assertThat(pay(node, cashier, bill, "ALIPAY", 1000, "DECLINE1234567890").status()).isEqualTo(402);

      // a notification lost on the way: the saga's query finds the payment
      alipay.loseNextNotifications(10);
      String lost = ok(pay(node, cashier, bill, "ALIPAY", 1000, null), 202).path("paymentId").asText();
      customerPays(alipay, lost);
      await(node, cashier, "/api/v1/payments/" + lost, p -> p.path("status").asText().equals("SUCCEEDED"));
      alipay.loseNextNotifications(0);

      // every notification twice: counted once
      alipay.duplicateNotifications(true);
      String twice = ok(pay(node, cashier, bill, "ALIPAY", 1000, null), 202).path("paymentId").asText();
      customerPays(alipay, twice);
      await(node, cashier, "/api/v1/payments/" + twice, p -> p.path("status").asText().equals("SUCCEEDED"));
      alipay.redeliver(AlipayNumbers.outTradeNo(twice));
      Thread.sleep(500);
      JsonNode afterDuplicates = node.get("/api/v1/bills/" + bill, cashier).body();
      assertThat(afterDuplicates.path("paidMinor").asLong()).isEqualTo(4000);

      // a diner who walks away: the cashier cancels, Alipay closes the trade, and a late scan cannot pay it
      String walked = ok(pay(node, cashier, bill, "ALIPAY", 1000, null), 202).path("paymentId").asText();
      ok(node.post("/api/v1/payments/" + walked + "/cancel", cashier, "{}"), 200);
      await(node, cashier, "/api/v1/payments/" + walked, p -> p.path("status").asText().equals("CANCELLED"));
      assertThat(alipay.pay(AlipayNumbers.outTradeNo(walked))).as("a closed trade takes no money").isFalse();

      // a refund goes back through Alipay under our refund number
      JsonNode refund = ok(node.post("/api/v1/bills/" + bill + "/refunds", owner,
          "{\"paymentId\":\"" + qrPayment + "\",\"amountMinor\":400,\"reason\":\"cold dish\"}"), 201);
      String refundId = refund.path("refundId").asText();
      await(node, cashier, "/api/v1/bills/" + bill, b -> b.path("refundedMinor").asLong() == 400);
      assertThat(refundId).isNotBlank();
      assertThat(alipay.trade(AlipayNumbers.outTradeNo(qrPayment)).orElseThrow().refundedFen()).isEqualTo(400);

      // the owner disconnects: the next tender is refused
      ok(node.call("DELETE", "/api/v1/payment-providers/alipay", owner, null, null), 200);
      assertThat(pay(node, cashier, bill, "ALIPAY", 1000, null).code()).isEqualTo("PROVIDER_NOT_CONFIGURED");
    }
  }

  @Test
  void wechat_pay_through_the_venues_own_merchant_native_codepay_lost_and_duplicate_callbacks_refund_and_cancel()
      throws Exception {
    KeyPair merchant = rsa();
    String apiV3Key = "Vq3k9Lm2Xw7Rt5Yp1Zs8Nb4Hc6Jd0Fg2";
    try (WechatPayEmulator wechat = new WechatPayEmulator(WechatPayEmulator.Settings.defaults()
            .withRetrySchedule(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4))));
         LocalServer server = LocalServer.start(wechat);
         TestNode node = TestNode.start(production())) {
      wechat.registerMerchant("1900000109", "wxd678efh567hg6787", "5157F09EFDC096DE15EBE81A47057A7232F1B8E1",
          merchant.getPublic(), apiV3Key);
      Venue v = openVenue(node, "V1", 1000);
      String owner = v.ownerToken();
      String cashier = v.cashierToken();
      String bill = billOf(node, cashier, 6);
      assertThat(pay(node, cashier, bill, "WECHAT", 1000, null).code()).isEqualTo("PROVIDER_NOT_CONFIGURED");

      ObjectNode account = TestNode.JSON.createObjectNode()
          .put("mchId", "1900000109")
          .put("appId", "wxd678efh567hg6787")
          .put("merchantSerialNo", "5157F09EFDC096DE15EBE81A47057A7232F1B8E1")
          .put("privateKeyPem", pem("PRIVATE KEY", merchant.getPrivate().getEncoded()))
          .put("apiV3Key", apiV3Key)
          .put("publicKeyId", wechat.publicKeyId())
          .put("publicKeyPem", wechat.publicKeyPem())
          .put("notifyUrl", node.base() + "/api/v1/venues/V1/gateways/wechat/notify")
          .put("baseUrl", server.baseUrl());
      TestNode.Answer refused = node.call("PUT", "/api/v1/payment-providers/wechat", owner,
          account.deepCopy().put("apiV3Key", "too-short").toString(), null);
      assertThat(refused.status()).isEqualTo(400);
      assertThat(refused.body().path("detail").asText()).contains("apiV3Key").doesNotContain("too-short");
      JsonNode kept = ok(node.call("PUT", "/api/v1/payment-providers/wechat", owner, account.toString(), null), 200);
      assertThat(kept.toString()).doesNotContain(apiV3Key).doesNotContain("PRIVATE KEY");
      assertThat(ok(node.call("PUT", "/api/v1/payment-providers/wechat", owner, account.toString(), null), 200)
          .path("configuredAt").asText()).as("the same account again changes nothing").isEqualTo(kept.path("configuredAt").asText());

      // Native: the diner scans the code_url, pays; the encrypted, signed callback settles the payment
      JsonNode qr = ok(pay(node, cashier, bill, "WECHAT", 1000, null), 202);
      assertThat(qr.path("qrCodeUrl").asText()).startsWith("weixin://wxpay/bizpayurl?pr=");
      String qrPayment = qr.path("paymentId").asText();
      wechat.pay(WechatTradeNumbers.outTradeNo(qrPayment));
      await(node, cashier, "/api/v1/payments/" + qrPayment, p -> p.path("status").asText().equals("SUCCEEDED"));
      assertThat(wechat.callbacksTaken()).as("the node took WeChat's callback (204)").isEqualTo(1);

      // 付款码: the cashier scans the diner's code
      assertThat(ok(pay(node, cashier, bill, "WECHAT", 1000, "134567890123456789"), 201).path("status").asText())
          .isEqualTo("SUCCEEDED");

      // a lost callback: the saga's query finds the payment
      wechat.loseCallbacks(1);
      String lost = ok(pay(node, cashier, bill, "WECHAT", 1000, null), 202).path("paymentId").asText();
      wechat.pay(WechatTradeNumbers.outTradeNo(lost));
      await(node, cashier, "/api/v1/payments/" + lost, p -> p.path("status").asText().equals("SUCCEEDED"));

      // every callback twice, and once more: counted once
      wechat.duplicateCallbacks(true);
      String twice = ok(pay(node, cashier, bill, "WECHAT", 1000, null), 202).path("paymentId").asText();
      wechat.pay(WechatTradeNumbers.outTradeNo(twice));
      await(node, cashier, "/api/v1/payments/" + twice, p -> p.path("status").asText().equals("SUCCEEDED"));
      wechat.redeliver();
      Thread.sleep(500);
      assertThat(node.get("/api/v1/bills/" + bill, cashier).body().path("paidMinor").asLong()).isEqualTo(4000);
      wechat.duplicateCallbacks(false);

      // a forged callback changes nothing and is refused
      TestNode.Answer forged = node.call("POST", "/api/v1/venues/V1/gateways/wechat/notify", null,
          "{\"id\":\"x\",\"resource\":{}}", null);
      assertThat(forged.status()).isEqualTo(401);

      // the diner walks away: the cashier cancels, WeChat closes the trade
      String walked = ok(pay(node, cashier, bill, "WECHAT", 1000, null), 202).path("paymentId").asText();
      ok(node.post("/api/v1/payments/" + walked + "/cancel", cashier, "{}"), 200);
      await(node, cashier, "/api/v1/payments/" + walked, p -> p.path("status").asText().equals("CANCELLED"));
      assertThat(wechat.trade(WechatTradeNumbers.outTradeNo(walked)).orElseThrow().state()).isEqualTo("CLOSED");

      // JSAPI: a diner inside WeChat with their openid; the page's parameters are signed with the venue's key
      JsonNode inApp = ok(node.post("/api/v1/bills/" + bill + "/payments", cashier,
          "{\"method\":\"WECHAT\",\"amountMinor\":1000,\"openid\":\"oUpF8uMuAJO_M2pxb1Q9zNjWeS6o\"}"), 202);
      assertThat(inApp.path("qrCodeUrl").isNull()).isTrue();
      JsonNode jsapi = inApp.path("jsapi");
      assertThat(jsapi.path("appId").asText()).isEqualTo("wxd678efh567hg6787");
      java.security.Signature rsa = java.security.Signature.getInstance("SHA256withRSA");
      rsa.initVerify(merchant.getPublic());
      rsa.update(("wxd678efh567hg6787\n" + jsapi.path("timeStamp").asText() + "\n" + jsapi.path("nonceStr").asText()
          + "\n" + jsapi.path("package").asText() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
      assertThat(rsa.verify(java.util.Base64.getDecoder().decode(jsapi.path("paySign").asText()))).isTrue();
      String inAppPayment = inApp.path("paymentId").asText();
      assertThat(wechat.trade(WechatTradeNumbers.outTradeNo(inAppPayment)).orElseThrow().tradeType()).isEqualTo("JSAPI");
      wechat.pay(WechatTradeNumbers.outTradeNo(inAppPayment));
      await(node, cashier, "/api/v1/payments/" + inAppPayment, p -> p.path("status").asText().equals("SUCCEEDED"));

      // a refund: WeChat accepts it, then its callback says the money is back
      ok(node.post("/api/v1/bills/" + bill + "/refunds", owner,
          "{\"paymentId\":\"" + qrPayment + "\",\"amountMinor\":300,\"reason\":\"cold dish\"}"), 201);
      await(node, cashier, "/api/v1/bills/" + bill, b -> b.path("refundedMinor").asLong() == 300);
      assertThat(wechat.trade(WechatTradeNumbers.outTradeNo(qrPayment)).orElseThrow().refundedMinor()).isEqualTo(300);
    }
  }

  @Test
  void a_node_on_its_own_database_without_a_secrets_key_keeps_no_merchant_secrets(@TempDir Path dir) throws Exception {
    try (EmbeddedDatabase db = EmbeddedDatabase.start(dir.resolve("db"), 0);
         TestNode node = TestNode.start(new NodeSettings(0, dir.resolve("node"), db.jdbcUrl(), db.user(), "", "127.0.0.1",
             TestNode.freePort(), List.of(), 0, false, ADMIN + ":admin:Platform", 0))) {
      Venue v = openVenue(node, "V1", 1000);
      TestNode.Answer refused = node.call("PUT", "/api/v1/payment-providers/alipay", v.ownerToken(),
          "{\"appId\":\"2021000000000001\"}", null);
      assertThat(refused.status()).isEqualTo(409);
      assertThat(refused.code()).isEqualTo("SECRETS_KEY_MISSING");
      assertThat(refused.body().path("detail").asText()).contains("PAYMENT_SECRETS_KEY");
      String bill = billOf(node, v.cashierToken(), 1);
      assertThat(pay(node, v.cashierToken(), bill, "WECHAT", 1000, null).code()).isEqualTo("PROVIDER_NOT_CONFIGURED");
      assertThat(pay(node, v.cashierToken(), bill, "CARD", 1000, null).code())
          .as("no integrated terminal without the demo: a card is taken on the venue's own terminal").isEqualTo("PROVIDER_NOT_CONFIGURED");
    }
  }

  /** Opens A1 with {@code portions} of SC01 and bills it whole. */
  static String billOf(TestNode node, String token, int portions) throws Exception {
    ok(node.post("/api/v1/tables/A1/open", token, "{\"partySize\":2}"), 201);
    ok(node.post("/api/v1/tables/A1/items", token, "{\"items\":[{\"sku\":\"SC01\",\"qty\":" + portions + "}]}"), 200);
    ok(node.post("/api/v1/tables/A1/fire", token, "{}"), 200);
    return ok(node.post("/api/v1/tables/A1/bill", token, "{\"split\":{\"mode\":\"WHOLE\"}}"), 201)
        .path("bills").get(0).path("billId").asText();
  }

  static TestNode.Answer pay(TestNode node, String token, String bill, String method, long amount, String authCode)
      throws Exception {
    String body = "{\"method\":\"" + method + "\",\"amountMinor\":" + amount
        + (authCode == null ? "" : ",\"authCode\":\"" + authCode + "\"") + "}";
    return node.post("/api/v1/bills/" + bill + "/payments", token, body);
  }

  private static void customerPays(AlipayEmulator alipay, String paymentId) {
    String out = AlipayNumbers.outTradeNo(paymentId);
    assertThat(alipay.scan(out)).as("the diner scans " + out).isTrue();
    assertThat(alipay.pay(out)).as("the diner pays " + out).isTrue();
  }

  static JsonNode await(TestNode node, String token, String path, Predicate<JsonNode> done) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = node.get(path, token).body();
      if (done.test(last)) return last;
      Thread.sleep(200);
    }
    throw new AssertionError(path + " never got there: " + last);
  }

  static KeyPair rsa() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    return g.generateKeyPair();
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
