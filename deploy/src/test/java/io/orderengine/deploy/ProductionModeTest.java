package io.orderengine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The product as a venue runs it: {@code DEMO=false} on an empty database, nothing seeded, the one
 * way in an admin token from {@code API_TOKENS}. The admin opens two venues, each is set up and
 * staffed over the API, their staff sign in with PINs, both serve a table {@code A1} with a dish
 * {@code SC01} at once, neither sees the other, and a restart keeps all of it.
 */
class ProductionModeTest {
  static final String ADMIN = "platform-ops-7f3c9a1e5b2d4c6e";

  @TempDir
  Path dataDir;

  private NodeSettings production() throws Exception {
    return new NodeSettings(0, dataDir, null, null, null, "127.0.0.1", TestNode.freePort(), List.of(), 0, false,
        ADMIN + ":admin:Platform", 0);
  }

  record Venue(String id, long price, String ownerToken, String cashierToken) {}

  @Test
  void two_venues_opened_from_nothing_serve_at_once_see_only_their_own_and_survive_a_restart() throws Exception {
    List<Venue> venues = new ArrayList<>();
    String v1Bill;
    try (TestNode node = TestNode.start(production())) {
      // nothing is there, and the demo's doors are shut
      assertThat(node.get("/api/v1/tables", "demo-manager").status()).isEqualTo(401);
      assertThat(node.get("/api/v1/venues", ADMIN).body().path("venues")).isEmpty();
      assertThat(node.get("/api/v1/tables", ADMIN).code()).as("the admin names a venue").isEqualTo("VENUE_REQUIRED");

      venues.add(openVenue(node, "V1", 3800));
      venues.add(openVenue(node, "V2", 4200));
      assertThat(ids(node.get("/api/v1/venues", ADMIN).body().path("venues"), "venueId")).containsExactly("V1", "V2");
      assertThat(node.get("/api/v1/menu", venues.get(0).cashierToken()).body().path("dinerOrdering").asText())
          .as("a venue one opens starts with the safe choice for its table codes").isEqualTo("STAFF_SEATED");

      // both venues serve their table A1 at once, each at its own price
      List<CompletableFuture<String>> loops = venues.stream()
          .map(v -> CompletableFuture.supplyAsync(() -> dineIn(node, v)))
          .toList();
      List<String> bills = loops.stream().map(CompletableFuture::join).toList();
      v1Bill = bills.get(0);

      // each venue sees its own floor, bills and reports only
      Venue v1 = venues.get(0);
      Venue v2 = venues.get(1);
      assertThat(ids(node.get("/api/v1/tables", v1.cashierToken()).body().path("tables"), "tableId"))
          .containsExactly("A1", "A2");
      assertThat(node.get("/api/v1/venues/V2/tables", v1.cashierToken()).status()).isEqualTo(403);
      assertThat(node.get("/api/v1/venues/V2/tables", v1.ownerToken()).status()).isEqualTo(403);
      assertThat(node.get("/api/v1/bills/" + bills.get(1), v1.cashierToken()).status())
          .as("another venue's bill is as unknown as none").isEqualTo(404);
      assertThat(node.get("/api/v1/venues/NOPE/tables", ADMIN).status()).isEqualTo(404);
      assertThat(node.get("/api/v1/venues/V2/bills/" + bills.get(1), ADMIN).body().path("totalMinor").asLong())
          .isEqualTo(2 * v2.price());
      for (Venue v : venues) awaitSales(node, v, 1, 2 * v.price());
    }

    try (TestNode node = TestNode.start(production())) {
      assertThat(ids(node.get("/api/v1/venues", ADMIN).body().path("venues"), "venueId")).containsExactly("V1", "V2");
      for (Venue v : venues) {
        String token = signIn(node, v.id(), "cashier1", "246810");
        assertThat(node.get("/api/v1/menu", token).body().path("items").get(0).path("priceMinor").asLong())
            .isEqualTo(v.price());
        JsonNode a1 = node.get("/api/v1/tables/A1", token).body();
        assertThat(a1.path("status").asText()).isEqualTo("CLOSED");
        awaitSales(node, v, 1, 2 * v.price());
      }
      assertThat(node.get("/api/v1/bills/" + v1Bill, signIn(node, "V1", "cashier1", "246810")).body()
          .path("status").asText()).isEqualTo("PAID");
    }
  }

  /** The admin opens the venue and hires its owner; the owner sets it up and hires a cashier. */
  static Venue openVenue(TestNode node, String id, long price) throws Exception {
    ok(node.call("POST", "/api/v1/venues", ADMIN,
        "{\"venueId\":\"" + id + "\",\"name\":\"Food Court " + id + "\",\"timeZone\":\"Asia/Shanghai\",\"currency\":\"CNY\"}",
        null), 201);
    String v = "/api/v1/venues/" + id;
    ok(node.call("POST", v + "/staff", ADMIN, "{\"staffId\":\"boss\",\"name\":\"Boss " + id + "\",\"role\":\"owner\",\"pin\":\"135790\"}",
        null), 201);
    String owner = signIn(node, id, "boss", "135790");
    ok(node.call("PUT", "/api/v1/settings", owner, "{\"serviceChargePercent\":0}", null), 200);
    ok(node.call("PUT", "/api/v1/stalls/S1", owner, "{\"name\":\"川味\",\"nameEn\":\"Sichuan\",\"commissionPercent\":10}", null), 200);
    ok(node.call("PUT", "/api/v1/stations/WOK", owner, "{\"name\":\"炒锅\",\"nameEn\":\"Wok\"}", null), 200);
    ok(node.call("PUT", "/api/v1/tables/A1", owner, "{\"area\":\"Hall\",\"seats\":4}", null), 200);
    ok(node.call("PUT", "/api/v1/tables/A2", owner, "{\"area\":\"Hall\",\"seats\":2}", null), 200);
    ok(node.call("PUT", "/api/v1/menu/items/SC01", owner, "{\"name\":\"宫保鸡丁\",\"stallId\":\"S1\",\"stationId\":\"WOK\","
        + "\"category\":\"hot\",\"priceMinor\":" + price + "}", null), 200);
    ok(node.call("POST", "/api/v1/staff", owner, "{\"staffId\":\"cashier1\",\"name\":\"Li\",\"role\":\"cashier\",\"pin\":\"246810\"}",
        null), 201);
    return new Venue(id, price, owner, signIn(node, id, "cashier1", "246810"));
  }

  /** Seat, order, fire, bill, pay cash, close: the venue's bill id. */
  private static String dineIn(TestNode node, Venue v) {
    try {
      String t = v.cashierToken();
      ok(node.post("/api/v1/tables/A1/open", t, "{\"partySize\":2}"), 201);
      ok(node.post("/api/v1/tables/A1/items", t, "{\"items\":[{\"sku\":\"SC01\",\"qty\":2}]}", v.id() + "-items"), 200);
      ok(node.post("/api/v1/tables/A1/fire", t, "{}"), 200);
      JsonNode bill = ok(node.post("/api/v1/tables/A1/bill", t, "{\"split\":{\"mode\":\"WHOLE\"}}", v.id() + "-bill"), 201)
          .path("bills").get(0);
      assertThat(bill.path("totalMinor").asLong()).isEqualTo(2 * v.price());
      String billId = bill.path("billId").asText();
      ok(node.post("/api/v1/bills/" + billId + "/payments", t,
          "{\"method\":\"CASH\",\"amountMinor\":" + 2 * v.price() + ",\"tenderedMinor\":" + 10_000 + "}", v.id() + "-pay"), 201);
      ok(node.post("/api/v1/tables/A1/close", t, "{}"), 200);
      return billId;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String signIn(TestNode node, String venue, String staffId, String pin) throws Exception {
    return ok(node.call("POST", "/api/v1/venues/" + venue + "/sessions", null,
        "{\"staffId\":\"" + staffId + "\",\"pin\":\"" + pin + "\"}", null), 201).path("token").asText();
  }

  /** The venue's sales of today, once the projection has them: its own bills only. */
  private static void awaitSales(TestNode node, Venue v, int bills, long net) throws Exception {
    String today = LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).toString();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonNode rows = null;
    while (System.nanoTime() < deadline) {
      rows = node.get("/api/v1/reports/sales?from=" + today + "&to=" + today + "&groupBy=day", v.ownerToken()).body()
          .path("rows");
      if (rows.size() == 1 && rows.get(0).path("bills").asInt() == bills) break;
      Thread.sleep(200);
    }
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).path("bills").asInt()).isEqualTo(bills);
    assertThat(rows.get(0).path("netMinor").asLong()).isEqualTo(net);
  }

  static JsonNode ok(TestNode.Answer answer, int status) {
    assertThat(answer.status()).as(answer.raw().request().method() + " " + answer.raw().uri() + " → " + answer.body())
        .isEqualTo(status);
    return answer.body();
  }

  private static List<String> ids(JsonNode array, String field) {
    return StreamSupport.stream(array.spliterator(), false).map(n -> n.path(field).asText()).toList();
  }
}
