package io.orderengine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stock, kitchen tickets, table moves and live events over real HTTP on a real node. */
class FoodCourtOperationsTest {
  static final String WAITER = "demo-waiter";
  static final String MANAGER = "demo-manager";
  static final String KITCHEN = "demo-kitchen";

  @TempDir static Path dataDir;
  static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(dataDir);
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) node.close();
  }

  static void open(String table) throws Exception {
    assertThat(node.post("/api/v1/tables/" + table + "/open", WAITER, "{\"partySize\":2}").status()).isEqualTo(201);
  }

  static Integer stockOf(String sku) throws Exception {
    for (JsonNode item : node.get("/api/v1/menu", WAITER).body().path("items")) {
      if (item.path("sku").asText().equals(sku)) return item.path("stock").isNull() ? null : item.path("stock").asInt();
    }
    throw new AssertionError("no " + sku + " on the menu");
  }

  @Test
  void tenTablesRaceForFivePortionsAndExactlyFiveWin() throws Exception {
    String item = "{\"name\":\"红烧狮子头\",\"nameEn\":\"Lion's Head Meatballs\",\"stallId\":\"S1\",\"stationId\":\"WOK\","
        + "\"category\":\"hot\",\"priceMinor\":4800,\"available\":true}";
    assertThat(node.call("PUT", "/api/v1/menu/items/LH01", WAITER, item, null).status()).isEqualTo(403);
    assertThat(node.call("PUT", "/api/v1/menu/items/LH01", MANAGER, item, null).status()).isEqualTo(200);
    assertThat(node.call("PUT", "/api/v1/menu/items/LH01/stock", WAITER, "{\"stock\":5}", null).status()).isEqualTo(403);
    assertThat(node.call("PUT", "/api/v1/menu/items/LH01/stock", MANAGER, "{\"stock\":5}", null).status()).isEqualTo(200);
    assertThat(stockOf("LH01")).isEqualTo(5);

    List<String> tables = new ArrayList<>();
    for (int i = 1; i <= 10; i++) tables.add(String.format("T%02d", i));
    for (String t : tables) open(t);
    ExecutorService pool = Executors.newFixedThreadPool(10);
    List<TestNode.Answer> answers = new ArrayList<>();
    try {
      List<Future<TestNode.Answer>> orders = new ArrayList<>();
      for (String t : tables) {
        orders.add(pool.submit(() -> node.post("/api/v1/tables/" + t + "/items", WAITER, "{\"items\":[{\"sku\":\"LH01\",\"qty\":1}]}")));
      }
      for (Future<TestNode.Answer> f : orders) answers.add(f.get(30, TimeUnit.SECONDS));
    } finally {
      pool.shutdownNow();
    }
    assertThat(answers.stream().filter(a -> a.status() == 200).count()).isEqualTo(5);
    List<TestNode.Answer> refused = answers.stream().filter(a -> a.status() != 200).toList();
    assertThat(refused).hasSize(5).allSatisfy(a -> {
      assertThat(a.status()).isEqualTo(409);
      assertThat(a.code()).isEqualTo("OUT_OF_STOCK");
      assertThat(a.body().path("sku").asText()).isEqualTo("LH01");
      assertThat(a.body().path("available").asInt()).isZero();
    });
    assertThat(stockOf("LH01")).isZero();

    // a request with one good and one short dish adds nothing
    String winner = tables.get(answers.indexOf(answers.stream().filter(a -> a.status() == 200).findFirst().orElseThrow()));
    int linesBefore = node.get("/api/v1/tables/" + winner, WAITER).body().path("lines").size();
    TestNode.Answer mixed = node.post("/api/v1/tables/" + winner + "/items", WAITER,
        "{\"items\":[{\"sku\":\"SC02\",\"qty\":1},{\"sku\":\"LH01\",\"qty\":1}]}");
    assertThat(mixed.code()).isEqualTo("OUT_OF_STOCK");
    assertThat(node.get("/api/v1/tables/" + winner, WAITER).body().path("lines").size()).isEqualTo(linesBefore);

    // a void gives the portion back
    assertThat(node.post("/api/v1/tables/" + winner + "/items/l1/void", WAITER, "{\"reason\":\"changed mind\"}").status())
        .isEqualTo(200);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (stockOf("LH01") == 0 && System.nanoTime() < deadline) Thread.sleep(100);
    assertThat(stockOf("LH01")).isEqualTo(1);
  }

  @Test
  void firingMakesOneTicketPerStationOnceAndTheKitchenMarksDishes() throws Exception {
    open("T20");
    node.post("/api/v1/tables/T20/items", WAITER, "{\"items\":[{\"sku\":\"SC01\",\"qty\":1},{\"sku\":\"DR01\",\"qty\":2,\"note\":\"少冰\"}]}");
    JsonNode fired = node.post("/api/v1/tables/T20/fire", WAITER, null, "fire-T20").body();
    assertThat(fired.path("tickets").findValuesAsText("stationId")).containsExactlyInAnyOrder("WOK", "BAR");
    assertThat(node.post("/api/v1/tables/T20/fire", WAITER, null, "fire-T20").body().path("tickets").size()).isEqualTo(2);
    assertThat(node.post("/api/v1/tables/T20/fire", WAITER, null).body().path("tickets").size()).isEqualTo(2);

    String barTicket = null;
    for (JsonNode t : fired.path("tickets")) if (t.path("stationId").asText().equals("BAR")) barTicket = t.path("ticketId").asText();
    JsonNode board = awaitTicket("BAR", barTicket);
    assertThat(board.path("lines").get(0).path("note").asText()).isEqualTo("少冰");

    assertThat(node.post("/api/v1/kitchen/tickets/" + barTicket + "/lines/l2/ready", KITCHEN, null).body().path("status").asText())
        .isEqualTo("READY");
    assertThat(lineStatus("T20", "l2")).isEqualTo("READY");
    assertThat(node.post("/api/v1/kitchen/tickets/" + barTicket + "/lines/l2/served", WAITER, null).body().path("status").asText())
        .isEqualTo("SERVED");
    assertThat(lineStatus("T20", "l2")).isEqualTo("SERVED");
    assertThat(node.post("/api/v1/kitchen/tickets/" + barTicket + "/lines/l9/ready", KITCHEN, null).status()).isEqualTo(404);
  }

  @Test
  void aTransferMovesEveryLineToTheNewTable() throws Exception {
    open("T25");
    open("T26");
    node.post("/api/v1/tables/T25/items", WAITER, "{\"items\":[{\"sku\":\"LZ01\",\"qty\":2},{\"sku\":\"DR03\",\"qty\":1}]}");
    node.post("/api/v1/tables/T25/fire", WAITER, null);
    assertThat(node.post("/api/v1/tables/T25/transfer", WAITER, "{\"toTableId\":\"T26\"}").code()).isEqualTo("TABLE_ALREADY_OPEN");
    TestNode.Answer moved = node.post("/api/v1/tables/T25/transfer", WAITER, "{\"toTableId\":\"T27\"}");
    assertThat(moved.status()).isEqualTo(200);
    assertThat(moved.body().path("tableId").asText()).isEqualTo("T27");
    assertThat(moved.body().path("lines").findValuesAsText("sku")).containsExactly("LZ01", "DR03");
    JsonNode old = node.get("/api/v1/tables/T25", WAITER).body();
    assertThat(old.path("status").asText()).isEqualTo("CLOSED");
    assertThat(old.path("movedTo").asText()).isEqualTo("T27");
    // the kitchen's tickets follow the order, also once the old table has a new party
    open("T25");
    String ticket = moved.body().path("tickets").get(0).path("ticketId").asText();
    assertThat(node.post("/api/v1/kitchen/tickets/" + ticket + "/lines/l1/ready", KITCHEN, null).status()).isEqualTo(200);
    assertThat(lineStatus("T27", "l1")).isEqualTo("READY");
    assertThat(node.post("/api/v1/kitchen/tickets/" + ticket + "/recall", KITCHEN, null).status()).isEqualTo(200);
    assertThat(lineStatus("T27", "l1")).isEqualTo("FIRED");
    // and the bill is asked where the order now sits
    assertThat(node.post("/api/v1/tables/T27/bill", WAITER, "{}").status()).isEqualTo(201);
  }

  @Test
  void aMergeJoinsTwoOrdersAndTheKitchenFollowsAndRecallsDishes() throws Exception {
    open("T14");
    open("T15");
    node.post("/api/v1/tables/T14/items", WAITER, "{\"items\":[{\"sku\":\"SC02\",\"qty\":1}]}");
    node.post("/api/v1/tables/T15/items", WAITER, "{\"items\":[{\"sku\":\"DR04\",\"qty\":2}]}");
    String ticket = node.post("/api/v1/tables/T15/fire", WAITER, null).body().path("tickets").get(0).path("ticketId").asText();
    JsonNode merged = node.post("/api/v1/tables/T14/merge", WAITER, "{\"fromTableId\":\"T15\"}").body();
    assertThat(merged.path("lines").findValuesAsText("sku")).containsExactly("SC02", "DR04");
    assertThat(merged.path("partySize").asInt()).isEqualTo(4);
    assertThat(node.get("/api/v1/tables/T15", WAITER).body().path("movedTo").asText()).isEqualTo("T14");

    JsonNode ready = node.post("/api/v1/kitchen/tickets/" + ticket + "/lines/l1/ready", KITCHEN, null).body();
    assertThat(ready.path("status").asText()).isEqualTo("READY");
    assertThat(lineStatus("T14", "T15_l1")).isEqualTo("READY");
    JsonNode recalled = node.post("/api/v1/kitchen/tickets/" + ticket + "/recall", KITCHEN, null).body();
    assertThat(recalled.path("lines").findValuesAsText("status")).containsOnly("FIRED");
    assertThat(node.post("/api/v1/kitchen/tickets/" + ticket + "/reprint", KITCHEN, null).status()).isEqualTo(200);
    // the board learns of the merge from another table's events: it follows within moments
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    String at = awaitTicket("BAR", ticket).path("tableId").asText();
    while (!at.equals("T14") && System.nanoTime() < deadline) {
      Thread.sleep(100);
      at = awaitTicket("BAR", ticket).path("tableId").asText();
    }
    assertThat(at).isEqualTo("T14");
  }

  @Test
  void theTableStreamDeliversChangesAsTheyHappenAndResumes() throws Exception {
    open("T29");
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    HttpClient client = HttpClient.newHttpClient();
    HttpRequest request = HttpRequest.newBuilder(URI.create(node.base() + "/api/v1/tables/T29/events"))
        .header("Authorization", "Bearer " + WAITER).build();
    var response = client.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(response.get().body(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) lines.add(line);
      } catch (Exception ignored) {
        // the stream ends with the test
      }
    });
    reader.setDaemon(true);
    reader.start();
    Thread.sleep(500);
    node.post("/api/v1/tables/T29/items", WAITER, "{\"items\":[{\"sku\":\"SC02\",\"qty\":1}]}");
    node.post("/api/v1/tables/T29/fire", WAITER, null);
    List<String> seen = new ArrayList<>();
    String lastId = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline && seen.stream().noneMatch(l -> l.contains("TicketFired"))) {
      String l = lines.poll(500, TimeUnit.MILLISECONDS);
      if (l == null) continue;
      seen.add(l);
      if (l.startsWith("id:") && seen.stream().noneMatch(x -> x.contains("TicketFired"))) lastId = l.substring(3).strip();
    }
    assertThat(seen).anyMatch(l -> l.startsWith("data:") && l.contains("\"type\":\"LinesAdded\""));
    assertThat(seen).anyMatch(l -> l.startsWith("data:") && l.contains("\"type\":\"TicketFired\""));
    response.cancel(true);

    // reconnecting after the LinesAdded event replays what came after it
    HttpResponse<java.io.InputStream> resumed = client.send(HttpRequest.newBuilder(
            URI.create(node.base() + "/api/v1/tables/T29/events"))
        .header("Authorization", "Bearer " + WAITER).header("Last-Event-ID", lastId).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    try (BufferedReader r = new BufferedReader(new InputStreamReader(resumed.body(), StandardCharsets.UTF_8))) {
      String first = r.readLine();
      assertThat(first).startsWith("data:").contains("TicketFired");
    }
  }

  static String lineStatus(String table, String lineId) throws Exception {
    for (JsonNode l : node.get("/api/v1/tables/" + table, WAITER).body().path("lines")) {
      if (l.path("lineId").asText().equals(lineId)) return l.path("status").asText();
    }
    throw new AssertionError("no line " + lineId + " at " + table);
  }

  static JsonNode awaitTicket(String station, String ticketId) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      for (JsonNode t : node.get("/api/v1/kitchen/stations/" + station + "/tickets", KITCHEN).body().path("tickets")) {
        if (t.path("ticketId").asText().equals(ticketId)) return t;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("ticket " + ticketId + " never reached the " + station + " board");
  }
}
