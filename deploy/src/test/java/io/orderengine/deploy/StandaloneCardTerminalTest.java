package io.orderengine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A card taken on a bank's standalone terminal (POS机), over HTTP on a whole node, both with the demo
 * and as a venue runs it with {@code DEMO=false}, where no card gateway exists: the cashier records the
 * terminal's slip, the bill is paid at once, a refund made on the terminal is recorded, and the
 * card-terminals report shows what the terminal's settlement slip should.
 */
class StandaloneCardTerminalTest {
  static final String ADMIN = "platform-ops-7f3c9a1e5b2d4c6e";

  @TempDir
  Path dataDir;

  /** Where the test acts: the venue's path prefix, its cashier, its waiter and its reader of reports. */
  record Venue(String prefix, String cashier, String waiter, String analyst, String sku, String table) {}

  @Test
  void with_the_demo() throws Exception {
    try (TestNode node = TestNode.start(dataDir)) {
      payOnTheTerminalAndReadItBack(node, new Venue("/api/v1", "demo-cashier", "demo-waiter", "demo-analyst", "SC01", "T05"));
    }
  }

  @Test
  void with_demo_false_where_no_card_gateway_exists() throws Exception {
    try (TestNode node = TestNode.start(new NodeSettings(0, dataDir, null, null, null, "127.0.0.1", TestNode.freePort(),
        List.of(), 0, false, ADMIN + ":admin:Platform", 0))) {
      Venue v = openVenue(node);
      String bill = billFor(node, v, "A2");
      TestNode.Answer integrated = node.post(v.prefix() + "/bills/" + bill + "/payments", v.cashier(),
          "{\"method\":\"CARD\",\"amountMinor\":100,\"authCode\":\"6222\"}");
      assertThat(integrated.status()).as("no card gateway here: %s", integrated.body()).isBetween(400, 499);
      payOnTheTerminalAndReadItBack(node, v);
    }
  }

  private static void payOnTheTerminalAndReadItBack(TestNode node, Venue v) throws Exception {
    String billId = billFor(node, v, v.table());
    String payments = v.prefix() + "/bills/" + billId + "/payments";
    long total = node.get(v.prefix() + "/bills/" + billId, v.cashier()).body().path("totalMinor").asLong();
    long first = total - 500;

    // bad slips are 400 with the API's code, and take nothing
    for (String bad : List.of(
        "{\"method\":\"CARD\",\"amountMinor\":100,\"terminalRef\":\"12 34\",\"cardLast4\":\"4321\"}",
        "{\"method\":\"CARD\",\"amountMinor\":100,\"terminalRef\":\"" + "9".repeat(65) + "\",\"cardLast4\":\"4321\"}",
        "{\"method\":\"CARD\",\"amountMinor\":100,\"terminalRef\":\"\",\"cardLast4\":\"4321\"}",
        "{\"method\":\"CARD\",\"amountMinor\":100,\"terminalRef\":\"12\\u00074\",\"cardLast4\":\"4321\"}",
        "{\"method\":\"CARD\",\"amountMinor\":100,\"terminalRef\":\"1234\"}",
        "{\"method\":\"CARD\",\"amountMinor\":100,\"terminalRef\":\"1234\",\"cardLast4\":\"43a1\"}",
        "{\"method\":\"CARD\",\"amountMinor\":100,\"terminalRef\":\"1234\",\"cardLast4\":4321}",
        "{\"method\":\"CARD\",\"amountMinor\":100,\"terminalRef\":\"1234\",\"cardLast4\":\"4321\",\"terminalId\":\"T 1\"}",
        "{\"method\":\"CARD\",\"amountMinor\":100,\"terminalRef\":\"1234\",\"cardLast4\":\"4321\",\"authCode\":\"6222\"}",
        "{\"method\":\"WECHAT\",\"amountMinor\":100,\"terminalRef\":\"1234\",\"cardLast4\":\"4321\"}",
        "{\"method\":\"CARD\",\"amountMinor\":100,\"cardLast4\":\"4321\"}")) {
      TestNode.Answer refused = node.post(payments, v.cashier(), bad);
      assertThat(refused.status()).as(bad + " → " + refused.body()).isEqualTo(400);
      assertThat(refused.code()).isEqualTo("VALIDATION_FAILED");
      assertThat(refused.contentType()).startsWith("application/problem+json");
    }

    // the card is taken on terminal T1: the bill records it at once, and a retry answers the same payment
    String slip = "{\"method\":\"CARD\",\"amountMinor\":" + first
        + ",\"terminalId\":\"T1\",\"terminalRef\":\"000123456789\",\"cardLast4\":\"4321\"}";
    JsonNode taken = ok(node.post(payments, v.cashier(), slip, "slip-1"), 201);
    assertThat(taken.path("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(taken.path("method").asText()).isEqualTo("CARD");
    assertThat(taken.path("terminalId").asText()).isEqualTo("T1");
    assertThat(taken.path("terminalRef").asText()).isEqualTo("000123456789");
    assertThat(taken.path("cardLast4").asText()).isEqualTo("4321");
    assertThat(taken.path("changeMinor").asLong()).isZero();
    assertThat(taken.path("billStatus").asText()).isEqualTo("PARTIALLY_PAID");
    assertThat(taken.path("dueMinor").asLong()).isEqualTo(500);
    String paymentId = taken.path("paymentId").asText();
    assertThat(ok(node.post(payments, v.cashier(), slip, "slip-1"), 201).path("paymentId").asText()).isEqualTo(paymentId);
    assertThat(ok(node.post(payments, v.cashier(), slip, "slip-1-clicked-again"), 201).path("paymentId").asText())
        .as("the same slip under a new key is the same payment").isEqualTo(paymentId);
    assertThat(node.post(payments, v.cashier(), "{\"method\":\"CARD\",\"amountMinor\":501,\"terminalId\":\"T1\","
        + "\"terminalRef\":\"000123456790\",\"cardLast4\":\"4321\"}").code()).isEqualTo("AMOUNT_EXCEEDS_DUE");
    assertThat(node.post("/api/v1/payments/" + paymentId + "/cancel", v.cashier(), "{}").code()).isEqualTo("PAYMENT_NOT_PENDING");

    // the rest on the same terminal, a second transaction
    JsonNode rest = ok(node.post(payments, v.cashier(), "{\"method\":\"CARD\",\"amountMinor\":500,\"terminalId\":\"T1\","
        + "\"terminalRef\":\"000123456790\",\"cardLast4\":\"8888\"}", "slip-2"), 201);
    assertThat(rest.path("billStatus").asText()).isEqualTo("PAID");

    JsonNode bill = node.get(v.prefix() + "/bills/" + billId, v.cashier()).body();
    assertThat(bill.path("status").asText()).isEqualTo("PAID");
    assertThat(bill.path("payments").findValuesAsText("terminalRef")).containsExactly("000123456789", "000123456790");
    assertThat(bill.path("payments").findValuesAsText("cardLast4")).containsExactly("4321", "8888");
    JsonNode payment = node.get("/api/v1/payments/" + paymentId, v.cashier()).body();
    assertThat(payment.path("terminalRef").asText()).isEqualTo("000123456789");
    assertThat(payment.path("status").asText()).isEqualTo("SUCCEEDED");

    // a refund made on the terminal, recorded with its reference
    String refunds = v.prefix() + "/bills/" + billId + "/refunds";
    assertThat(node.post(refunds, v.cashier(), "{\"paymentId\":\"" + paymentId + "\",\"amountMinor\":300,"
        + "\"terminalRef\":\"bad ref\"}").code()).isEqualTo("VALIDATION_FAILED");
    JsonNode refund = ok(node.post(refunds, v.cashier(), "{\"paymentId\":\"" + paymentId + "\",\"amountMinor\":300,"
        + "\"reason\":\"cold soup\",\"terminalRef\":\"000123456791\"}", "refund-1"), 201);
    assertThat(refund.path("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(refund.path("terminalRef").asText()).isEqualTo("000123456791");
    assertThat(refund.path("terminalId").asText()).isEqualTo("T1");
    assertThat(node.get(v.prefix() + "/bills/" + billId, v.cashier()).body().path("refunds").get(0).path("terminalRef").asText())
        .isEqualTo("000123456791");

    // the terminal's settlement, as its slip should show it: 2 sales, 1 refund
    String report = v.prefix() + "/reports/card-terminals";
    JsonNode rows = awaitRows(node, report, v.analyst());
    assertThat(rows).hasSize(1);
    JsonNode t1 = rows.get(0);
    assertThat(t1.path("terminalId").asText()).isEqualTo("T1");
    assertThat(t1.path("payments").asLong()).isEqualTo(2);
    assertThat(t1.path("paymentsMinor").asLong()).isEqualTo(total);
    assertThat(t1.path("refunds").asLong()).isEqualTo(1);
    assertThat(t1.path("refundsMinor").asLong()).isEqualTo(300);
    assertThat(t1.path("netMinor").asLong()).isEqualTo(total - 300);
    assertThat(node.get(report, v.cashier()).status()).as("the cashier settles the terminal").isEqualTo(200);
    assertThat(node.get(report, v.waiter()).status()).isEqualTo(403);
    assertThat(node.get(report + "?date=yesterday", v.analyst()).code()).isEqualTo("VALIDATION_FAILED");
    assertThat(csv(node, report, v.analyst()))
        .startsWith("terminalId,payments,paymentsMinor,refunds,refundsMinor,netMinor\nT1,2," + total + ",1,300,"
            + (total - 300) + "\n");
  }

  private static String csv(TestNode node, String path, String token) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(node.base() + path))
        .header("Authorization", "Bearer " + token).header("Accept", "text/csv").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  private static JsonNode awaitRows(TestNode node, String path, String token) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonNode rows = null;
    while (System.nanoTime() < deadline) {
      rows = node.get(path, token).body().path("rows");
      if (rows.size() == 1 && rows.get(0).path("refunds").asLong() == 1) return rows;
      Thread.sleep(200);
    }
    throw new AssertionError("the card-terminals report never showed the terminal's refund: " + rows);
  }

  /** Seats a table, orders two dishes and bills them whole: the bill's id. */
  private static String billFor(TestNode node, Venue v, String tableId) throws Exception {
    String table = v.prefix() + "/tables/" + tableId;
    ok(node.post(table + "/open", v.waiter(), "{\"partySize\":2}"), 201);
    ok(node.post(table + "/items", v.waiter(), "{\"items\":[{\"sku\":\"" + v.sku() + "\",\"qty\":2}]}"), 200);
    return ok(node.post(table + "/bill", v.waiter(), "{\"split\":{\"mode\":\"WHOLE\"}}"), 201)
        .path("bills").get(0).path("billId").asText();
  }

  /** A venue opened from nothing, as ProductionModeTest opens one; its staff acts on the venue's own paths. */
  private static Venue openVenue(TestNode node) throws Exception {
    ok(node.call("POST", "/api/v1/venues", ADMIN,
        "{\"venueId\":\"V1\",\"name\":\"Food Court V1\",\"timeZone\":\"Asia/Shanghai\",\"currency\":\"CNY\"}", null), 201);
    String v = "/api/v1/venues/V1";
    ok(node.call("POST", v + "/staff", ADMIN, "{\"staffId\":\"boss\",\"name\":\"Boss\",\"role\":\"owner\",\"pin\":\"135790\"}",
        null), 201);
    String owner = signIn(node, "boss", "135790");
    ok(node.put(v + "/stalls/S1", owner, "{\"name\":\"川味\",\"nameEn\":\"Sichuan\",\"commissionPercent\":10}"), 200);
    ok(node.put(v + "/stations/WOK", owner, "{\"name\":\"炒锅\",\"nameEn\":\"Wok\"}"), 200);
    ok(node.put(v + "/tables/A1", owner, "{\"area\":\"Hall\",\"seats\":4}"), 200);
    ok(node.put(v + "/tables/A2", owner, "{\"area\":\"Hall\",\"seats\":4}"), 200);
    ok(node.put(v + "/menu/items/SC01", owner, "{\"name\":\"宫保鸡丁\",\"stallId\":\"S1\",\"stationId\":\"WOK\","
        + "\"category\":\"hot\",\"priceMinor\":3800}"), 200);
    for (String[] staff : List.of(new String[] {"cashier1", "cashier", "246810"}, new String[] {"waiter1", "waiter", "112233"},
        new String[] {"analyst1", "analyst", "445566"})) {
      ok(node.call("POST", v + "/staff", owner, "{\"staffId\":\"" + staff[0] + "\",\"name\":\"" + staff[0] + "\",\"role\":\""
          + staff[1] + "\",\"pin\":\"" + staff[2] + "\"}", null), 201);
    }
    return new Venue(v, signIn(node, "cashier1", "246810"), signIn(node, "waiter1", "112233"),
        signIn(node, "analyst1", "445566"), "SC01", "A1");
  }

  private static String signIn(TestNode node, String staffId, String pin) throws Exception {
    return ok(node.call("POST", "/api/v1/venues/V1/sessions", null,
        "{\"staffId\":\"" + staffId + "\",\"pin\":\"" + pin + "\"}", null), 201).path("token").asText();
  }

  private static JsonNode ok(TestNode.Answer answer, int status) {
    assertThat(answer.status()).as(answer.raw().request().method() + " " + answer.raw().uri() + " → " + answer.body())
        .isEqualTo(status);
    return answer.body();
  }
}
