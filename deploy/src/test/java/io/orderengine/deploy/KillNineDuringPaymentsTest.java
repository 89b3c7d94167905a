package io.orderengine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderengine.deploy.ClusterFailoverTest.Jvm;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durability: a node in its own JVM takes a burst of cash payments from eight cashiers at once and
 * is killed with SIGKILL in the middle of it. After a restart every payment it acknowledged (201)
 * is on its bill with its amount; retrying every request with its Idempotency-Key charges nothing
 * twice; each bill's paid total is exactly the sum of the payments it lists.
 */
class KillNineDuringPaymentsTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final int BILLS = 10;
  private static final long AMOUNT = 100;

  record Sent(String billId, String key) {}

  @Test
  void everyAcknowledgedPaymentSurvivesAKillNine(@TempDir Path dir) throws Exception {
    try (EmbeddedDatabase db = EmbeddedDatabase.start(dir.resolve("db"), 0)) {
      int clusterPort = TestNode.freePort();
      String seeds = "127.0.0.1:" + clusterPort;
      Jvm node = ClusterFailoverTest.start(db, dir.resolve("first"), clusterPort, seeds);
      Jvm restarted = null;
      try {
        ClusterFailoverTest.awaitReady(node, Duration.ofSeconds(90));
        List<String> bills = new ArrayList<>();
        for (int t = 1; t <= BILLS; t++) {
          String table = String.format("T%02d", t);
          assertThat(call(node, "POST", "/api/v1/tables/" + table + "/open", "demo-waiter", "{\"partySize\":2}", null)
              .statusCode()).isEqualTo(201);
          assertThat(call(node, "POST", "/api/v1/tables/" + table + "/items", "demo-waiter",
              "{\"items\":[{\"sku\":\"SC01\",\"qty\":4},{\"sku\":\"DR01\",\"qty\":4}]}", null).statusCode()).isEqualTo(200);
          HttpResponse<String> bill = call(node, "POST", "/api/v1/tables/" + table + "/bill", "demo-waiter",
              "{\"split\":{\"mode\":\"WHOLE\"}}", null);
          assertThat(bill.statusCode()).isEqualTo(201);
          bills.add(TestNode.JSON.readTree(bill.body()).path("bills").get(0).path("billId").asText());
        }

        // the burst: eight cashiers paying 1 yuan at a time across the bills, each request with its own key
        Map<Sent, String> acknowledged = new ConcurrentHashMap<>();
        Set<Sent> sent = ConcurrentHashMap.newKeySet();
        AtomicBoolean killed = new AtomicBoolean();
        AtomicInteger counter = new AtomicInteger();
        ExecutorService cashiers = Executors.newFixedThreadPool(8);
        Jvm victim = node;
        for (int c = 0; c < 8; c++) {
          cashiers.submit(() -> {
            while (!killed.get()) {
              int n = counter.incrementAndGet();
              Sent s = new Sent(bills.get(n % BILLS), "burst-" + n);
              sent.add(s);
              try {
                HttpResponse<String> r = call(victim, "POST", "/api/v1/bills/" + s.billId() + "/payments", "demo-cashier",
                    "{\"method\":\"CASH\",\"amountMinor\":" + AMOUNT + "}", s.key());
                if (r.statusCode() == 201) {
                  acknowledged.put(s, TestNode.JSON.readTree(r.body()).path("paymentId").asText());
                }
              } catch (Exception connectionLost) {
                // the node is gone: this request may or may not have been applied
              }
            }
            return null;
          });
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (acknowledged.size() < 150 && System.nanoTime() < deadline) Thread.sleep(20);
        node.process().destroyForcibly(); // SIGKILL: no shutdown hook, no hand-off, no last flush
        node.process().waitFor(30, TimeUnit.SECONDS);
        killed.set(true);
        cashiers.shutdown();
        assertThat(cashiers.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(150);
        System.out.printf("kill -9 after %d payments acknowledged of %d sent%n", acknowledged.size(), sent.size());

        restarted = ClusterFailoverTest.start(db, dir.resolve("second"), clusterPort, seeds);
        ClusterFailoverTest.awaitReady(restarted, Duration.ofSeconds(90));

        // every acknowledged payment is there, with its amount
        Set<String> onBills = new HashSet<>();
        for (String billId : bills) {
          JsonNode bill = awaitBill(restarted, billId);
          long listed = 0;
          for (JsonNode p : bill.path("payments")) {
            onBills.add(p.path("paymentId").asText());
            listed += p.path("amountMinor").asLong();
          }
          assertThat(bill.path("paidMinor").asLong()).as(billId).isEqualTo(listed);
        }
        assertThat(onBills).containsAll(acknowledged.values());

        // a cashier retries everything that went unanswered: nothing is charged twice
        for (Sent s : sent) {
          HttpResponse<String> r = call(restarted, "POST", "/api/v1/bills/" + s.billId() + "/payments", "demo-cashier",
              "{\"method\":\"CASH\",\"amountMinor\":" + AMOUNT + "}", s.key());
          assertThat(r.statusCode()).as(s + " " + r.body()).isEqualTo(201);
          String paymentId = TestNode.JSON.readTree(r.body()).path("paymentId").asText();
          if (acknowledged.containsKey(s)) assertThat(paymentId).isEqualTo(acknowledged.get(s));
        }
        long paid = 0;
        int payments = 0;
        for (String billId : bills) {
          JsonNode bill = awaitBill(restarted, billId);
          paid += bill.path("paidMinor").asLong();
          payments += bill.path("payments").size();
        }
        assertThat(payments).isEqualTo(sent.size());
        assertThat(paid).isEqualTo(sent.size() * AMOUNT);
      } finally {
        node.process().destroyForcibly().waitFor();
        if (restarted != null) restarted.process().destroyForcibly().waitFor();
      }
    }
  }

  private static JsonNode awaitBill(Jvm n, String billId) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    HttpResponse<String> last = null;
    while (System.nanoTime() < deadline) {
      try {
        last = call(n, "GET", "/api/v1/bills/" + billId, "demo-cashier", null, null);
        if (last.statusCode() == 200) return TestNode.JSON.readTree(last.body());
      } catch (java.io.IOException e) {
        // shards are starting
      }
      Thread.sleep(250);
    }
    throw new AssertionError(billId + " not served after the restart: " + (last == null ? "no answer" : last.body()));
  }

  private static HttpResponse<String> call(Jvm n, String method, String path, String token, String body, String key)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + n.httpPort() + path))
        .timeout(Duration.ofSeconds(15)).header("Authorization", "Bearer " + token);
    if (key != null) b.header("Idempotency-Key", key);
    if (body != null) b.header("Content-Type", "application/json");
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
