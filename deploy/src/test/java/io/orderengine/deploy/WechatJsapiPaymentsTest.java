package io.orderengine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WeChat Pay JSAPI on a whole demo node: a diner inside WeChat pays with their openid, the answer
 * carries what their page passes to {@code getBrandWCPayRequest} instead of a QR link, and the
 * payment ends by the emulator's signed callback exactly as a Native trade does.
 */
class WechatJsapiPaymentsTest {
  static final String WAITER = "demo-waiter";
  static final String CASHIER = "demo-cashier";
  static final String OPENID = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o";

  @TempDir static Path dataDir;
  static TestNode node;
  static int tables = 20;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(dataDir);
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) node.close();
  }

  static String billFor(String items) throws Exception {
    String table = String.format("T%02d", tables++);
    assertThat(node.post("/api/v1/tables/" + table + "/open", WAITER, "{\"partySize\":2}").status()).isEqualTo(201);
    assertThat(node.post("/api/v1/tables/" + table + "/items", WAITER, "{\"items\":" + items + "}").status()).isEqualTo(200);
    TestNode.Answer bill = node.post("/api/v1/tables/" + table + "/bill", WAITER, "{\"split\":{\"mode\":\"WHOLE\"}}");
    assertThat(bill.status()).isEqualTo(201);
    return bill.body().path("bills").get(0).path("billId").asText();
  }

  static JsonNode awaitBill(String billId, String expected) throws Exception {
    JsonNode b = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      b = node.get("/api/v1/bills/" + billId, CASHIER).body();
      if (b.path("status").asText().equals(expected)) return b;
      Thread.sleep(100);
    }
    throw new AssertionError("bill " + billId + " never became " + expected + ": " + b);
  }

  @Test
  void wechatWithAnOpenidIsAJsapiTradePaidInsideWechatAndTheBillIsPaid() throws Exception {
    String billId = billFor("[{\"sku\":\"LZ01\",\"qty\":2}]");
    TestNode.Answer pending = node.post("/api/v1/bills/" + billId + "/payments", CASHIER,
        "{\"method\":\"WECHAT\",\"amountMinor\":4400,\"openid\":\"" + OPENID + "\"}");
    assertThat(pending.status()).as(pending.body().toString()).isEqualTo(202);
    assertThat(pending.body().path("status").asText()).isEqualTo("PENDING");
    assertThat(pending.body().path("qrCodeUrl").isNull()).isTrue();
    JsonNode jsapi = pending.body().path("jsapi");
    assertThat(jsapi.path("appId").asText()).isNotEmpty();
    assertThat(jsapi.path("timeStamp").asText()).matches("[0-9]{10}");
    assertThat(jsapi.path("nonceStr").asText()).isNotEmpty();
    assertThat(jsapi.path("package").asText()).startsWith("prepay_id=");
    assertThat(jsapi.path("signType").asText()).isEqualTo("RSA");
    assertThat(jsapi.path("paySign").asText()).matches("[A-Za-z0-9+/=]{100,}");
    String paymentId = pending.body().path("paymentId").asText();

    // while it is pending, the payment says the same
    JsonNode read = node.get("/api/v1/payments/" + paymentId, CASHIER).body();
    assertThat(read.path("status").asText()).isEqualTo("PENDING");
    assertThat(read.path("jsapi")).isEqualTo(jsapi);

    // the wallet's page knows the trade by its number, and the customer pays it there
    JsonNode trade = node.get("/sandbox/wechat/trades/" + paymentId, null).body();
    assertThat(trade.toString()).contains("4400");
    assertThat(node.post("/sandbox/wechat/trades/" + paymentId + "/pay", null, null).status()).isEqualTo(200);
    JsonNode paid = awaitBill(billId, "PAID");
    assertThat(paid.path("paidMinor").asLong()).isEqualTo(4400);
    JsonNode after = node.get("/api/v1/payments/" + paymentId, CASHIER).body();
    assertThat(after.path("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(after.path("jsapi").isNull()).isTrue();
  }

  @Test
  void anOpenidGoesWithWechatAloneWithoutAPaymentCodeAndOfWechatsShape() throws Exception {
    String billId = billFor("[{\"sku\":\"LZ01\",\"qty\":1}]");
    String[] refused = {
        "{\"method\":\"ALIPAY\",\"amountMinor\":100,\"openid\":\"" + OPENID + "\"}",
        "{\"method\":\"CASH\",\"amountMinor\":100,\"openid\":\"" + OPENID + "\"}",
        "{\"method\":\"WECHAT\",\"amountMinor\":100,\"openid\":\"" + OPENID + "\",\"authCode\":\"134567890123456789\"}",
        "{\"method\":\"WECHAT\",\"amountMinor\":100,\"openid\":\"not an openid\"}",
        "{\"method\":\"WECHAT\",\"amountMinor\":100,\"openid\":\"" + "o".repeat(129) + "\"}",
    };
    for (String body : refused) {
      TestNode.Answer a = node.post("/api/v1/bills/" + billId + "/payments", CASHIER, body);
      assertThat(a.status()).as(body).isEqualTo(400);
      assertThat(a.code()).as(body).isEqualTo("VALIDATION_FAILED");
    }
    JsonNode bill = node.get("/api/v1/bills/" + billId, CASHIER).body();
    assertThat(bill.path("payments")).isEmpty();
  }
}
