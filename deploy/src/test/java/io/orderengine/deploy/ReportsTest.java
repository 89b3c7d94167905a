package io.orderengine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read side over real HTTP: after bills paid by cash, card and scanned wallet, every sales
 * grouping sums to the money taken, stalls are settled, a shift shows its variance, the day
 * reconciles with the gateway, and a restart counts nothing twice.
 */
class ReportsTest {
  static final String WAITER = "demo-waiter";
  static final String CASHIER = "demo-cashier";
  static final String ANALYST = "demo-analyst";

  @Test
  void everyGroupingSumsToTheTakingsAndARestartCountsNothingTwice(@TempDir Path dataDir) throws Exception {
    Map<String, String> before = new HashMap<>();
    try (TestNode node = TestNode.start(dataDir)) {
      TestNode.Answer shift = node.post("/api/v1/shifts", CASHIER, "{\"cashier\":\"c1\",\"openingFloatMinor\":10000}");
      assertThat(shift.status()).isEqualTo(201);
      String shiftId = shift.body().path("shiftId").asText();

      String b1 = bill(node, "T01", "[{\"sku\":\"SC01\",\"qty\":2},{\"sku\":\"DR01\",\"qty\":1}]"); // 9100
      String b2 = bill(node, "T02", "[{\"sku\":\"CR04\",\"qty\":1},{\"sku\":\"LZ01\",\"qty\":1}]"); // 7000
      String b3 = bill(node, "T03", "[{\"sku\":\"DJ05\",\"qty\":3}]"); // 8400
      assertThat(node.post("/api/v1/bills/" + b1 + "/discounts", CASHIER, "{\"type\":\"PERCENT\",\"value\":10}").status())
          .isEqualTo(201); // 9100 - 910 = 8190
      assertThat(pay(node, b1, "{\"method\":\"CASH\",\"amountMinor\":8190,\"tenderedMinor\":10000}")).isEqualTo(201);
      assertThat(pay(node, b2, "{\"method\":\"CARD\",\"amountMinor\":3000}")).isEqualTo(201);
      assertThat(pay(node, b2, "{\"method\":\"ALIPAY\",\"amountMinor\":4000,\"authCode\":\"286734438256006611\"}")).isEqualTo(201);
      TestNode.Answer qr = node.post("/api/v1/bills/" + b3 + "/payments", CASHIER, "{\"method\":\"WECHAT\",\"amountMinor\":8400}");
      node.post("/sandbox/wechat/trades/" + qr.body().path("paymentId").asText() + "/pay", null, null);
      awaitPaid(node, b3);
      long takings = 8190 + 7000 + 8400;
      // a member buys stored value at the till: in cash (in the drawer, so in the shift) and by WeChat (not)
      assertThat(node.post("/api/v1/members", CASHIER, "{\"memberId\":\"M777\",\"name\":\"Zhao\"}").status()).isEqualTo(201);
      assertThat(node.post("/api/v1/members/M777/topups", CASHIER, "{\"amountMinor\":5000,\"method\":\"CASH\"}").status())
          .isEqualTo(201);
      // the member's WeChat code scanned at the till: paid through the gateway, so on its statement too
      assertThat(node.post("/api/v1/members/M777/topups", CASHIER,
          "{\"amountMinor\":3000,\"method\":\"WECHAT\",\"authCode\":\"134567890123456789\"}").status()).isEqualTo(201);

      awaitCaughtUp(node);
      assertThat(node.get("/api/v1/reports/sales?groupBy=method", WAITER).status()).isEqualTo(403);

      JsonNode byMethod = sales(node, "method");
      assertThat(netOf(byMethod, "CASH")).isEqualTo(8190);
      assertThat(netOf(byMethod, "CARD")).isEqualTo(3000);
      assertThat(netOf(byMethod, "ALIPAY")).isEqualTo(4000);
      assertThat(netOf(byMethod, "WECHAT")).isEqualTo(8400);
      for (String by : new String[] {"method", "item", "stall", "hour", "day", "waiter"}) {
        assertThat(sum(sales(node, by))).as("sales by " + by).isEqualTo(takings);
      }

      TestNode.Answer csv = node.call("GET", "/api/v1/reports/sales?groupBy=stall", ANALYST, null, null);
      String text = csv.raw().body();
      assertThat(csv.contentType()).startsWith("application/json");
      var csvRequest = java.net.http.HttpRequest.newBuilder(java.net.URI.create(node.base() + "/api/v1/reports/sales?groupBy=stall"))
          .header("Authorization", "Bearer " + ANALYST).header("Accept", "text/csv").build();
      String body = java.net.http.HttpClient.newHttpClient().send(csvRequest, java.net.http.HttpResponse.BodyHandlers.ofString()).body();
      String[] rows = body.strip().split("\n");
      assertThat(rows[0]).isEqualTo("key,bills,grossMinor,discountMinor,netMinor,refundsMinor");
      assertThat(rows).hasSize(1 + sales(node, "stall").size());
      assertThat(text).contains("\"rows\"");

      JsonNode stalls = node.get("/api/v1/reports/stall-settlement", ANALYST).body().path("rows");
      long stallNet = 0;
      for (JsonNode s : stalls) {
        stallNet += s.path("netMinor").asLong();
        assertThat(s.path("payableMinor").asLong() + s.path("commissionMinor").asLong()).isEqualTo(s.path("netMinor").asLong());
      }
      assertThat(stallNet).isEqualTo(takings);

      JsonNode closed = node.post("/api/v1/shifts/" + shiftId + "/close", CASHIER,
          "{\"countedCashMinor\":" + (10000 + 8190 + 5000 - 50) + "}").body();
      assertThat(closed.path("expectedCashMinor").asLong()).as("the float, the cash tender and the cash top-up")
          .isEqualTo(23190);
      assertThat(closed.path("varianceMinor").asLong()).isEqualTo(-50);

      JsonNode reconciliation = awaitReconciled(node, "wechat");
      assertThat(reconciliation.path("matched").asInt()).as("the bill's QR and the member's top-up").isEqualTo(2);
      assertThat(awaitReconciled(node, "alipay").path("matched").asInt()).isEqualTo(1);
      assertThat(awaitReconciled(node, "card").path("matched").asInt()).isEqualTo(1);

      JsonNode lag = node.get("/api/v1/reports/projection-lag", ANALYST).body().path("projections");
      assertThat(lag.size()).as("one row per projection instance: " + lag).isEqualTo(9);
      for (JsonNode p : lag) {
        assertThat(p.has("lagSeconds")).as(p.toString()).isTrue();
        assertThat(p.path("lagSeconds").asDouble()).isLessThan(5.0);
      }
      for (String by : new String[] {"method", "item", "day"}) before.put(by, sales(node, by).toString());
    }

    try (TestNode node = TestNode.start(dataDir)) {
      awaitCaughtUp(node);
      for (String by : new String[] {"method", "item", "day"}) {
        assertThat(sales(node, by).toString()).as("sales by " + by + " after a restart").isEqualTo(before.get(by));
      }
    }
  }

  static String bill(TestNode node, String table, String items) throws Exception {
    assertThat(node.post("/api/v1/tables/" + table + "/open", WAITER, "{\"partySize\":2}").status()).isEqualTo(201);
    assertThat(node.post("/api/v1/tables/" + table + "/items", WAITER, "{\"items\":" + items + "}").status()).isEqualTo(200);
    return node.post("/api/v1/tables/" + table + "/bill", WAITER, "{}").body().path("bills").get(0).path("billId").asText();
  }

  static int pay(TestNode node, String bill, String body) throws Exception {
    return node.post("/api/v1/bills/" + bill + "/payments", CASHIER, body).status();
  }

  static void awaitPaid(TestNode node, String bill) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      if (node.get("/api/v1/bills/" + bill, CASHIER).body().path("status").asText().equals("PAID")) return;
      Thread.sleep(100);
    }
    throw new AssertionError(bill + " never became PAID");
  }

  static void awaitCaughtUp(TestNode node) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode lag = node.get("/api/v1/reports/projection-lag", ANALYST).body().path("projections");
      // no rows, or rows without the count, would read as "caught up": they are not
      boolean behind = lag.isEmpty();
      for (JsonNode p : lag) {
        if (!p.has("pendingEvents") || p.path("pendingEvents").asLong() > 0) behind = true;
      }
      if (!behind) return;
      Thread.sleep(200);
    }
    throw new AssertionError("the projections never caught up");
  }

  static JsonNode awaitReconciled(TestNode node, String provider) throws Exception {
    JsonNode r = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      r = node.get("/api/v1/reports/reconciliation?provider=" + provider, ANALYST).body();
      if (r.path("mismatches").isEmpty()) return r;
      Thread.sleep(250);
    }
    throw new AssertionError(provider + " never reconciled: " + r);
  }

  static JsonNode sales(TestNode node, String groupBy) throws Exception {
    return node.get("/api/v1/reports/sales?groupBy=" + groupBy, ANALYST).body().path("rows");
  }

  static long netOf(JsonNode rows, String key) {
    for (JsonNode r : rows) if (r.path("key").asText().equals(key)) return r.path("netMinor").asLong();
    return 0;
  }

  static long sum(JsonNode rows) {
    long total = 0;
    for (JsonNode r : rows) total += r.path("netMinor").asLong();
    return total;
  }
}
