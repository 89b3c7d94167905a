package io.orderengine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dine-in loop of shared/API.md over real HTTP on a real node and the embedded PostgreSQL,
 * then the node restarted on the same data directory finding everything as it was.
 */
class DineInLoopTest {
  static final String WAITER = "demo-waiter";
  static final String CASHIER = "demo-cashier";

  @Test
  void theWholeLoopSurvivesARestart(@TempDir Path dataDir) throws Exception {
    String tableBefore;
    String billBefore;
    String paymentBefore;
    String billId;
    String paymentId;
    String firstPaymentAnswer;

    try (TestNode node = TestNode.start(dataDir)) {
      // no token: 401, as problem+json
      TestNode.Answer anonymous = node.get("/api/v1/tables/T07", null);
      assertThat(anonymous.status()).isEqualTo(401);
      assertThat(anonymous.contentType()).startsWith("application/problem+json");
      assertThat(anonymous.code()).isEqualTo("UNAUTHORIZED");

      // the demo venue is there
      JsonNode menu = node.get("/api/v1/menu", WAITER).body();
      assertThat(menu.path("items").size()).isGreaterThanOrEqualTo(40);
      assertThat(node.get("/api/v1/tables", WAITER).body().path("tables").size()).isEqualTo(30);

      // open, and a second open is refused
      TestNode.Answer opened = node.post("/api/v1/tables/T07/open", WAITER, "{\"partySize\":4,\"waiter\":\"w1\"}");
      assertThat(opened.status()).isEqualTo(201);
      assertThat(opened.body().path("status").asText()).isEqualTo("OPEN");
      assertThat(opened.body().path("orderId").asText()).isEqualTo("T07-0001");
      TestNode.Answer again = node.post("/api/v1/tables/T07/open", WAITER, "{\"partySize\":2}");
      assertThat(again.status()).isEqualTo(409);
      assertThat(again.code()).isEqualTo("TABLE_ALREADY_OPEN");

      // add lines once, whatever the retries
      String items = "{\"items\":[{\"sku\":\"SC01\",\"qty\":2},{\"sku\":\"DR01\",\"qty\":1,\"note\":\"少冰\"}]}";
      TestNode.Answer added = node.post("/api/v1/tables/T07/items", WAITER, items, "add-1");
      assertThat(added.status()).isEqualTo(200);
      TestNode.Answer retried = node.post("/api/v1/tables/T07/items", WAITER, items, "add-1");
      assertThat(retried.status()).isEqualTo(200);
      assertThat(retried.raw().body()).isEqualTo(added.raw().body());
      assertThat(retried.raw().headers().firstValue("Idempotent-Replayed")).contains("true");
      assertThat(node.get("/api/v1/tables/T07", WAITER).body().path("lines").size()).isEqualTo(2);
      assertThat(node.post("/api/v1/tables/T07/items", WAITER, "{\"items\":[{\"sku\":\"SC02\",\"qty\":1}]}", "add-1").code())
          .isEqualTo("IDEMPOTENCY_KEY_REUSED");

      // bad input: quantity 0, unknown sku, wrong type, malformed JSON; nothing is added
      assertThat(node.post("/api/v1/tables/T07/items", WAITER, "{\"items\":[{\"sku\":\"SC01\",\"qty\":0}]}").code())
          .isEqualTo("VALIDATION_FAILED");
      TestNode.Answer unknownSku = node.post("/api/v1/tables/T07/items", WAITER, "{\"items\":[{\"sku\":\"NOPE\",\"qty\":1}]}");
      assertThat(unknownSku.status()).isEqualTo(404);
      assertThat(unknownSku.code()).isEqualTo("NOT_FOUND");
      assertThat(node.post("/api/v1/tables/T07/items", WAITER, "{\"items\":[{\"sku\":\"SC01\",\"qty\":\"2\"}]}").status())
          .isEqualTo(400);
      assertThat(node.post("/api/v1/tables/T07/items", WAITER, "{\"items\":[").status()).isEqualTo(400);
      assertThat(node.get("/api/v1/tables/T07", WAITER).body().path("subtotalMinor").asLong()).isEqualTo(2 * 3800 + 1500);

      // fire: the lines go to the kitchen
      JsonNode fired = node.post("/api/v1/tables/T07/fire", WAITER, null).body();
      assertThat(fired.path("lines").findValuesAsText("status")).containsOnly("FIRED");

      // the bill
      TestNode.Answer billed = node.post("/api/v1/tables/T07/bill", WAITER, "{\"split\":{\"mode\":\"WHOLE\"}}", "bill-1");
      assertThat(billed.status()).isEqualTo(201);
      JsonNode bill = billed.body().path("bills").get(0);
      billId = bill.path("billId").asText();
      assertThat(bill.path("totalMinor").asLong()).isEqualTo(9100);

      // a table with an unpaid bill cannot close
      assertThat(node.post("/api/v1/tables/T07/close", WAITER, null).status()).isEqualTo(409);

      // cash, more than due: change is given, the bill is paid
      TestNode.Answer paid = node.post("/api/v1/bills/" + billId + "/payments", CASHIER,
          "{\"method\":\"CASH\",\"amountMinor\":9100,\"tenderedMinor\":10000}", "pay-1");
      assertThat(paid.status()).isEqualTo(201);
      assertThat(paid.body().path("status").asText()).isEqualTo("SUCCEEDED");
      assertThat(paid.body().path("changeMinor").asLong()).isEqualTo(900);
      paymentId = paid.body().path("paymentId").asText();
      firstPaymentAnswer = paid.raw().body();
      JsonNode billNow = node.get("/api/v1/bills/" + billId, CASHIER).body();
      assertThat(billNow.path("status").asText()).isEqualTo("PAID");
      assertThat(billNow.path("dueMinor").asLong()).isZero();
      assertThat(billNow.path("paidMinor").asLong()).isEqualTo(9100);

      TestNode.Answer twice = node.post("/api/v1/bills/" + billId + "/payments", CASHIER,
          "{\"method\":\"CASH\",\"amountMinor\":100}");
      assertThat(twice.status()).isEqualTo(409);
      assertThat(twice.code()).isEqualTo("BILL_SETTLED");

      // the table learns of the payment and closes
      TestNode.Answer closed = awaitClose(node);
      assertThat(closed.status()).isEqualTo(200);
      assertThat(closed.body().path("status").asText()).isEqualTo("CLOSED");

      tableBefore = node.get("/api/v1/tables/T07", WAITER).raw().body();
      billBefore = node.get("/api/v1/bills/" + billId, CASHIER).raw().body();
      paymentBefore = node.get("/api/v1/payments/" + paymentId, CASHIER).raw().body();
    }

    try (TestNode node = TestNode.start(dataDir)) {
      assertThat(node.get("/api/v1/tables/T07", WAITER).raw().body()).isEqualTo(tableBefore);
      assertThat(node.get("/api/v1/bills/" + billId, CASHIER).raw().body()).isEqualTo(billBefore);
      assertThat(node.get("/api/v1/payments/" + paymentId, CASHIER).raw().body()).isEqualTo(paymentBefore);
      // a retry after the restart still gets the first answer, and takes no second payment
      TestNode.Answer retry = node.post("/api/v1/bills/" + billId + "/payments", CASHIER,
          "{\"method\":\"CASH\",\"amountMinor\":9100,\"tenderedMinor\":10000}", "pay-1");
      assertThat(retry.status()).isEqualTo(201);
      assertThat(retry.raw().body()).isEqualTo(firstPaymentAnswer);
      assertThat(node.get("/api/v1/bills/" + billId, CASHIER).body().path("payments").size()).isEqualTo(1);
      // the table can seat a new party, with a new order
      TestNode.Answer reopened = node.post("/api/v1/tables/T07/open", WAITER, "{\"partySize\":2}");
      assertThat(reopened.status()).isEqualTo(201);
      assertThat(TestNode.JSON.readTree(tableBefore).path("orderId").asText()).isEqualTo("T07-0001");
      assertThat(reopened.body().path("orderId").asText()).isEqualTo("T07-0002");
    }
  }

  /** The bill tells its table asynchronously; a close right after the payment may still see it unsettled. */
  private static TestNode.Answer awaitClose(TestNode node) throws Exception {
    TestNode.Answer last = null;
    for (int i = 0; i < 50; i++) {
      last = node.post("/api/v1/tables/T07/close", WAITER, null);
      if (last.status() == 200) return last;
      Thread.sleep(100);
    }
    return last;
  }
}
