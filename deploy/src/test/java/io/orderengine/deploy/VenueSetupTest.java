package io.orderengine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Venues from nothing, on a node without the demo: the admin creates two, their own people set each
 * up over HTTP, each keeps to its own (both have a table A1 and a dish SC01), and the rules of
 * set-up hold: 403 on another venue, 404 on none, 409 on what is still in use, and an import with
 * one bad entry changes nothing.
 */
class VenueSetupTest {
  static final String ADMIN = "admin-secret";
  static final String V1_MANAGER = "v1-manager-secret";
  static final String V1_WAITER = "v1-waiter-secret";
  static final String V2_OWNER = "v2-owner-secret";
  static final String TOKENS = ADMIN + ":admin:ops," + V1_MANAGER + ":manager:mgr1:V1," + V1_WAITER + ":waiter:w1:V1,"
      + V2_OWNER + ":owner:own2:V2";

  @Test
  void twoVenuesAreCreatedAndSetUpEachOnItsOwn(@TempDir Path dataDir) throws Exception {
    try (TestNode node = TestNode.startWithoutDemo(dataDir, TOKENS)) {
      // ---- the admin creates and lists venues ----
      String v1 = "{\"venueId\":\"V1\",\"name\":\"Night market\",\"timeZone\":\"Asia/Shanghai\",\"currency\":\"CNY\"}";
      TestNode.Answer created = node.post("/api/v1/venues", ADMIN, v1);
      assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
      assertThat(created.body().path("settings").path("timeZone").asText()).isEqualTo("Asia/Shanghai");
      TestNode.Answer again = node.post("/api/v1/venues", ADMIN, v1);
      assertThat(again.status()).isEqualTo(201);
      assertThat(again.body()).isEqualTo(created.body());
      assertThat(node.post("/api/v1/venues", ADMIN, v1.replace("Night market", "Day market")).code()).isEqualTo("VENUE_EXISTS");
      assertThat(node.post("/api/v1/venues", ADMIN, v1.replace("Asia/Shanghai", "Mars/Olympus")).status()).isEqualTo(400);
      assertThat(node.post("/api/v1/venues", ADMIN, v1.replace("CNY", "XXQ")).code()).isEqualTo("VALIDATION_FAILED");
      assertThat(node.post("/api/v1/venues", ADMIN, v1.replace("\"V1\"", "\"V.1\"")).code()).isEqualTo("VALIDATION_FAILED");
      assertThat(node.post("/api/v1/venues", V1_MANAGER, v1.replace("V1", "V9")).status()).isEqualTo(403);
      assertThat(node.post("/api/v1/venues", ADMIN,
          "{\"venueId\":\"V2\",\"name\":\"Harbour hall\",\"timeZone\":\"Asia/Hong_Kong\",\"currency\":\"HKD\"}").status())
          .isEqualTo(201);
      JsonNode list = node.get("/api/v1/venues", ADMIN).body().path("venues");
      assertThat(list.findValuesAsText("venueId")).containsExactly("V1", "V2");
      assertThat(list.findValuesAsText("currency")).containsExactly("CNY", "HKD");
      assertThat(node.get("/api/v1/venues", V2_OWNER).status()).isEqualTo(403);

      // ---- an unknown venue is 404, another venue's paths 403 ----
      assertThat(node.get("/api/v1/venues/NOPE/menu", ADMIN).status()).isEqualTo(404);
      assertThat(node.put("/api/v1/venues/NOPE/stalls/S1", ADMIN, "{\"name\":\"x\"}").status()).isEqualTo(404);
      assertThat(node.get("/api/v1/venues/V2/menu", V1_MANAGER).status()).isEqualTo(403);
      assertThat(node.put("/api/v1/venues/V2/stalls/S1", V1_MANAGER, "{\"name\":\"x\"}").status()).isEqualTo(403);

      // ---- V1's manager sets V1 up at the paths of its token ----
      ok(node.put("/api/v1/settings", V1_MANAGER, "{\"serviceChargePercent\":10,\"cashRounding\":\"jiao\"}"));
      ok(node.put("/api/v1/stalls/S1", V1_MANAGER, "{\"name\":\"川味小馆\",\"nameEn\":\"Sichuan Kitchen\",\"commissionPercent\":15}"));
      ok(node.put("/api/v1/stations/WOK", V1_MANAGER, "{\"name\":\"炒锅档\",\"nameEn\":\"Wok\"}"));
      TestNode.Answer table = ok(node.put("/api/v1/tables/A1", V1_MANAGER, "{\"area\":\"hall\",\"seats\":4}"));
      assertThat(table.body().path("seats").asInt()).isEqualTo(4);
      ok(node.put("/api/v1/menu/categories/hot", V1_MANAGER, "{\"name\":\"热菜\",\"nameEn\":\"Hot dishes\",\"sort\":10}"));
      ok(node.put("/api/v1/menu/items/SC01", V1_MANAGER, dish("S1", "WOK", 3800)));
      // ---- V2's owner sets V2 up at the venue's own paths: the same ids, another price ----
      ok(node.put("/api/v1/venues/V2/stalls/S1", V2_OWNER, "{\"name\":\"粤式烧腊\",\"commissionPercent\":12}"));
      ok(node.put("/api/v1/venues/V2/stations/WOK", V2_OWNER, "{\"name\":\"Wok\"}"));
      ok(node.put("/api/v1/venues/V2/tables/A1", V2_OWNER, "{\"seats\":2}"));
      ok(node.put("/api/v1/venues/V2/menu/items/SC01", V2_OWNER, dish("S1", "WOK", 4500)));
      ok(node.put("/api/v1/venues/V2/menu/items/SC02", V2_OWNER, dish("S1", "WOK", 1500)));

      JsonNode profile = ok(node.get("/api/v1/venues/V1", V1_WAITER)).body();
      assertThat(profile.path("settings").path("serviceChargePercent").asInt()).isEqualTo(10);
      assertThat(profile.path("settings").path("cashRounding").asText()).isEqualTo("jiao");
      assertThat(profile.path("counts").path("items").asInt()).isEqualTo(1);
      assertThat(node.get("/api/v1/venues/V1", V2_OWNER).status()).isEqualTo(403);
      assertThat(node.put("/api/v1/settings", V1_WAITER, "{\"serviceChargePercent\":0}").status()).isEqualTo(403);
      JsonNode menu1 = ok(node.get("/api/v1/menu", V1_WAITER)).body();
      JsonNode menu2 = ok(node.get("/api/v1/venues/V2/menu", ADMIN)).body();
      assertThat(menu1.path("items").findValuesAsText("priceMinor")).containsExactly("3800");
      assertThat(menu2.path("items").findValuesAsText("priceMinor")).containsExactly("4500", "1500");
      assertThat(menu1.path("categories").findValuesAsText("categoryId")).containsExactly("hot");

      // ---- both have a table A1: an order at V1's leaves V2's free ----
      TestNode.Answer opened = node.post("/api/v1/tables/A1/open", V1_WAITER, "{\"partySize\":2}");
      assertThat(opened.status()).as(opened.body().toString()).isEqualTo(201);
      TestNode.Answer added = node.post("/api/v1/tables/A1/items", V1_WAITER, "{\"items\":[{\"sku\":\"SC01\",\"qty\":1}]}");
      assertThat(added.body().path("subtotalMinor").asLong()).as(added.body().toString()).isEqualTo(3800);
      assertThat(node.get("/api/v1/venues/V2/tables/A1", V2_OWNER).body().path("status").asText()).isEqualTo("FREE");

      // ---- what is still in use stays ----
      assertThat(node.delete("/api/v1/tables/A1", V1_MANAGER).code()).isEqualTo("TABLE_IN_USE");
      assertThat(node.delete("/api/v1/stalls/S1", V1_MANAGER).code()).isEqualTo("STALL_IN_USE");
      assertThat(node.delete("/api/v1/stations/WOK", V1_MANAGER).code()).isEqualTo("STATION_IN_USE");
      assertThat(node.delete("/api/v1/stalls/S9", V1_MANAGER).status()).isEqualTo(404);
      ok(node.delete("/api/v1/venues/V2/tables/A1", V2_OWNER));
      assertThat(node.get("/api/v1/venues/V2/tables/A1", V2_OWNER).status()).isEqualTo(404);
      ok(node.delete("/api/v1/venues/V2/menu/items/SC02", V2_OWNER));
      assertThat(ok(node.get("/api/v1/venues/V2/menu", V2_OWNER)).body().path("items").findValuesAsText("sku"))
          .containsExactly("SC01");

      // ---- the whole of a venue out and in: one bad entry, and nothing changes ----
      JsonNode before = ok(node.get("/api/v1/export", V1_MANAGER)).body();
      assertThat(before.path("tables").findValuesAsText("tableId")).containsExactly("A1");
      String bad = "{\"tables\":[{\"tableId\":\"B1\",\"seats\":2}],\"items\":["
          + dish("S1", "WOK", 100).replace("{", "{\"sku\":\"N1\",") + ","
          + dish("S9", "WOK", 100).replace("{", "{\"sku\":\"N2\",") + "]}";
      TestNode.Answer refused = node.put("/api/v1/import", V1_MANAGER, bad);
      assertThat(refused.status()).isEqualTo(400);
      assertThat(refused.body().path("detail").asText()).isEqualTo("items[1].stallId: unknown stall 'S9'");
      assertThat(ok(node.get("/api/v1/export", V1_MANAGER)).body()).isEqualTo(before);
      // V2's document into V1: it puts what it holds (V2's dearer SC01), removes nothing
      String v2Document = ok(node.get("/api/v1/venues/V2/export", ADMIN)).body().toString();
      TestNode.Answer imported = ok(node.put("/api/v1/import", V1_MANAGER, v2Document));
      assertThat(imported.body().path("name").asText()).isEqualTo("Harbour hall");
      assertThat(imported.body().path("items").findValuesAsText("priceMinor")).containsExactly("4500");
      assertThat(imported.body().path("tables").findValuesAsText("tableId")).containsExactly("A1");

      // ---- the menu as CSV ----
      HttpResponse<String> csv = node.send("GET", "/api/v1/menu.csv", V1_MANAGER, null, null);
      assertThat(csv.statusCode()).isEqualTo(200);
      assertThat(csv.body()).startsWith("sku,name,nameEn,category,stallId,stationId,priceMinor,available\r\n");
      String cheaper = csv.body().replace(",4500,", ",3900,") + "SC03,\"Dan dan, noodles\",,hot,S1,WOK,1200,true\r\n";
      HttpResponse<String> put = node.send("PUT", "/api/v1/menu.csv", V1_MANAGER, "text/csv", cheaper);
      assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
      assertThat(put.body()).contains("SC03,\"Dan dan, noodles\",,hot,S1,WOK,1200,true");
      HttpResponse<String> badCsv = node.send("PUT", "/api/v1/menu.csv", V1_MANAGER, "text/csv",
          cheaper.replace("1200,true", "12.5,true"));
      assertThat(badCsv.statusCode()).isEqualTo(400);
      assertThat(badCsv.body()).contains("row 3 (sku SC03): priceMinor");
      assertThat(node.send("PUT", "/api/v1/menu.csv", V1_MANAGER, "text/plain", cheaper).statusCode()).isEqualTo(415);
      assertThat(node.send("PUT", "/api/v1/menu.csv", V1_WAITER, "text/csv", cheaper).statusCode()).isEqualTo(403);
      assertThat(ok(node.get("/api/v1/menu", V1_WAITER)).body().path("items").findValuesAsText("priceMinor"))
          .containsExactly("3900", "1200");
    }
  }

  @Test
  void theDemoVenueIsMadeThroughTheSameCallsAndARestartChangesNothing(@TempDir Path dataDir) throws Exception {
    int dbPort = TestNode.freePort();
    String jdbcUrl = "jdbc:postgresql://127.0.0.1:" + dbPort + "/postgres";
    long events;
    try (TestNode node = TestNode.start(new NodeSettings(0, dataDir, null, null, null, "127.0.0.1", TestNode.freePort(),
        java.util.List.of(), 0, true, null, dbPort))) {
      JsonNode profile = ok(node.get("/api/v1/venues/main", "demo-manager")).body();
      assertThat(profile.path("name").asText()).isEqualTo("美食广场 Demo Food Court");
      assertThat(profile.path("counts").path("items").asInt()).isEqualTo(40);
      assertThat(profile.path("counts").path("tables").asInt()).isEqualTo(30);
      assertThat(profile.path("counts").path("categories").asInt()).isEqualTo(13);
      events = venueEvents(jdbcUrl);
    }
    try (TestNode node = TestNode.start(new NodeSettings(0, dataDir, null, null, null, "127.0.0.1", TestNode.freePort(),
        java.util.List.of(), 0, true, null, dbPort))) {
      assertThat(ok(node.get("/api/v1/menu", "demo-waiter")).body().path("items").size()).isEqualTo(40);
      assertThat(venueEvents(jdbcUrl)).as("the venue's events after a restart").isEqualTo(events);
    }
  }

  static long venueEvents(String jdbcUrl) throws Exception {
    try (var c = java.sql.DriverManager.getConnection(jdbcUrl, "postgres", "");
        var rs = c.createStatement().executeQuery("SELECT count(*) FROM event_journal WHERE persistence_id = 'Venue|main'")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static String dish(String stallId, String stationId, long priceMinor) {
    return "{\"name\":\"宫保鸡丁\",\"nameEn\":\"Kung Pao Chicken\",\"stallId\":\"" + stallId + "\",\"stationId\":\""
        + stationId + "\",\"category\":\"hot\",\"priceMinor\":" + priceMinor + "}";
  }

  static TestNode.Answer ok(TestNode.Answer answer) {
    assertThat(answer.status()).as(answer.body().toString()).isBetween(200, 201);
    return answer;
  }
}
