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
 * A table card is a printed code that never expires: what it lets a diner do is the venue's choice,
 * so a photo of it cannot order from home. The demo venue trusts its codes (OPEN); each test here
 * makes the venue choose otherwise and tries the code as a diner would, and as someone who is not
 * at the table would.
 */
class DinerCodesTest {
  static final String MANAGER = "demo-manager";
  static final String WAITER = "demo-waiter";

  @TempDir
  static Path dataDir;

  static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(dataDir);
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  @Test
  void the_demo_trusts_its_codes_and_the_menu_says_what_the_venue_chose() throws Exception {
    assertThat(node.get("/api/v1/menu", MANAGER).body().path("dinerOrdering").asText()).isEqualTo("OPEN");
    choose("STAFF_SEATED");
    assertThat(node.get("/api/v1/venues/main", MANAGER).body().path("settings").path("dinerOrdering").asText())
        .isEqualTo("STAFF_SEATED");
    assertThat(node.get("/api/v1/menu", diner("T11")).body().path("dinerOrdering").asText()).isEqualTo("STAFF_SEATED");
    choose("OPEN");
  }

  @Test
  void staff_seated_the_code_works_only_while_a_party_the_staff_seated_is_at_the_table() throws Exception {
    choose("STAFF_SEATED");
    try {
      String diner = diner("T12");
      TestNode.Answer seat = node.post("/api/v1/tables/T12/open", diner, "{\"partySize\":2}");
      assertThat(seat.status()).isEqualTo(403);
      assertThat(seat.code()).isEqualTo("DINER_NOT_ALLOWED");
      assertThat(node.post("/api/v1/tables/T12/items", diner, order()).code())
          .as("an empty table takes no order from a code").isEqualTo("DINER_NOT_ALLOWED");

      assertThat(node.post("/api/v1/tables/T12/open", WAITER, "{\"partySize\":2}").status()).isEqualTo(201);
      assertThat(node.post("/api/v1/tables/T12/items", diner, order()).status()).isEqualTo(200);
      assertThat(node.post("/api/v1/tables/T12/fire", diner, "{}").status()).isEqualTo(200);
      assertThat(node.get("/api/v1/tables/T12", WAITER).body().path("lines").get(0).path("status").asText())
          .isEqualTo("FIRED");
      String billId = node.post("/api/v1/tables/T12/bill", diner, "{}").body().path("bills").get(0).path("billId").asText();
      long total = node.get("/api/v1/bills/" + billId, WAITER).body().path("totalMinor").asLong();
      assertThat(node.post("/api/v1/bills/" + billId + "/payments", "demo-cashier",
          "{\"method\":\"CASH\",\"amountMinor\":" + total + "}").status()).isEqualTo(201);
      assertThat(node.post("/api/v1/tables/T12/close", WAITER, "{}").status()).isEqualTo(200);

      assertThat(node.post("/api/v1/tables/T12/items", diner, order()).code())
          .as("the party has left: the code orders nothing more").isEqualTo("DINER_NOT_ALLOWED");
    } finally {
      choose("OPEN");
    }
  }

  @Test
  void staff_confirm_a_diner_orders_but_the_kitchen_hears_of_it_when_the_staff_fire() throws Exception {
    choose("STAFF_CONFIRMS");
    try {
      String diner = diner("T13");
      assertThat(node.post("/api/v1/tables/T13/open", diner, "{\"partySize\":3}").status()).isEqualTo(201);
      assertThat(node.post("/api/v1/tables/T13/items", diner, order()).status()).isEqualTo(200);
      assertThat(node.post("/api/v1/tables/T13/fire", diner, "{}").code()).isEqualTo("DINER_NOT_ALLOWED");
      assertThat(node.get("/api/v1/tables/T13", WAITER).body().path("lines").get(0).path("status").asText())
          .isEqualTo("ORDERED");
      assertThat(node.post("/api/v1/tables/T13/fire", WAITER, "{}").status()).as("the staff confirm").isEqualTo(200);
      assertThat(node.get("/api/v1/tables/T13", WAITER).body().path("lines").get(0).path("status").asText())
          .isEqualTo("FIRED");
    } finally {
      choose("OPEN");
    }
  }

  @Test
  void pay_first_the_kitchen_gets_the_dishes_once_the_diner_has_paid_for_them() throws Exception {
    choose("PAY_FIRST");
    try {
      String diner = diner("T14");
      assertThat(node.post("/api/v1/tables/T14/open", diner, "{\"partySize\":1}").status()).isEqualTo(201);
      assertThat(node.post("/api/v1/tables/T14/items", diner, order()).status()).isEqualTo(200);
      assertThat(node.post("/api/v1/tables/T14/fire", diner, "{}").code()).isEqualTo("DINER_NOT_ALLOWED");

      JsonNode bill = node.post("/api/v1/tables/T14/bill", diner, "{}").body().path("bills").get(0);
      JsonNode pending = node.post("/api/v1/bills/" + bill.path("billId").asText() + "/payments", diner,
          "{\"method\":\"WECHAT\",\"amountMinor\":" + bill.path("totalMinor").asLong() + "}").body();
      assertThat(pending.path("status").asText()).isEqualTo("PENDING");
      assertThat(node.get("/api/v1/tables/T14", WAITER).body().path("lines").get(0).path("status").asText())
          .as("nothing cooks before it is paid").isEqualTo("ORDERED");

      assertThat(node.post("/sandbox/wechat/trades/" + pending.path("gatewayTradeNo").asText() + "/pay", null, null)
          .status()).isEqualTo(200);
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      String status = "ORDERED";
      while (System.nanoTime() < deadline && !status.equals("FIRED")) {
        Thread.sleep(100);
        status = node.get("/api/v1/tables/T14", WAITER).body().path("lines").get(0).path("status").asText();
      }
      assertThat(status).as("paid, so fired by the venue itself").isEqualTo("FIRED");
      // the kitchen's screen reads the projection, a moment behind the table
      String tickets = "";
      while (System.nanoTime() < deadline + Duration.ofSeconds(10).toNanos() && !tickets.contains("T14")) {
        tickets = node.get("/api/v1/kitchen/stations/WOK/tickets", "demo-kitchen").body().path("tickets").toString();
        if (!tickets.contains("T14")) Thread.sleep(100);
      }
      assertThat(tickets).contains("T14");
    } finally {
      choose("OPEN");
    }
  }

  @Test
  void staff_may_not_pass_for_a_diner_by_the_name_they_seat_under() throws Exception {
    assertThat(node.post("/api/v1/tables/T15/open", WAITER, "{\"partySize\":2,\"waiter\":\"diner@T15\"}").status())
        .isEqualTo(400);
  }

  private static void choose(String ordering) throws Exception {
    TestNode.Answer a = node.call("PUT", "/api/v1/settings", MANAGER, "{\"dinerOrdering\":\"" + ordering + "\"}", null);
    assertThat(a.status()).as(a.body().toString()).isEqualTo(200);
  }

  private static String diner(String table) throws Exception {
    return node.get("/api/v1/tables/" + table + "/card", MANAGER).body().path("url").asText().replaceAll(".*k=", "");
  }

  private static String order() {
    return "{\"items\":[{\"sku\":\"SC02\",\"qty\":1}]}";
  }
}
