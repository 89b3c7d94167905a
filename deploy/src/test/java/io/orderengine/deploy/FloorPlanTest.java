package io.orderengine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/v1/tables} on a real node: every acknowledged write shows at once, and a table
 * that has gone to sleep (passivated) is listed from the read side without being woken, so a POS
 * resyncing the floor every 30 s keeps no table in memory.
 */
class FloorPlanTest {
  static final String WAITER = "demo-waiter";
  static final String ANALYST = "demo-analyst";
  static final String PASSIVATION = "pekko.cluster.sharding.passivation.default-strategy.idle-entity.timeout";

  @BeforeEach
  void quickPassivation() {
    System.setProperty(PASSIVATION, "2s");
    ConfigFactory.invalidateCaches();
  }

  @AfterEach
  void defaultPassivation() {
    System.clearProperty(PASSIVATION);
    ConfigFactory.invalidateCaches();
  }

  @Test
  void theFloorShowsEveryWriteAtOnceAndWakesNoSleepingTable(@TempDir Path dataDir) throws Exception {
    try (TestNode node = TestNode.start(dataDir)) {
      assertThat(node.post("/api/v1/tables/T03/open", WAITER, "{\"partySize\":3,\"waiter\":\"w9\"}", "floor-open").status())
          .isEqualTo(201);
      assertThat(node.post("/api/v1/tables/T03/items", WAITER,
          "{\"items\":[{\"sku\":\"SC01\",\"qty\":2},{\"sku\":\"DR01\",\"qty\":1}]}", "floor-items").status()).isEqualTo(200);
      JsonNode own = node.get("/api/v1/tables/T03", WAITER).body();

      // at once, whether or not the read side has the events yet
      JsonNode listed = tableIn(node, "T03");
      assertThat(listed.path("status").asText()).isEqualTo("OPEN");
      assertThat(listed.path("partySize").asInt()).isEqualTo(3);
      assertThat(listed.path("waiter").asText()).isEqualTo("w9");
      assertThat(listed.path("orderId").asText()).isEqualTo(own.path("orderId").asText());
      assertThat(listed.path("subtotalMinor").asLong()).isEqualTo(own.path("subtotalMinor").asLong()).isPositive();

      // the read side catches up and every table goes to sleep
      awaitFloorProjected(node);
      awaitTablesAsleep(node);

      // listed as they were, from the read side: no table woken
      JsonNode floor = node.get("/api/v1/tables", WAITER).body().path("tables");
      assertThat(floor.size()).isEqualTo(30);
      assertThat(tableIn(floor, "T03")).isEqualTo(listed);
      assertThat(tableIn(floor, "T04").path("status").asText()).isEqualTo("FREE");
      assertThat(tablesInMemory(node)).isZero();

      // a write to a sleeping table wakes that one, and shows at once again
      assertThat(node.post("/api/v1/tables/T03/items", WAITER, "{\"items\":[{\"sku\":\"SC01\",\"qty\":1}]}", "floor-more")
          .status()).isEqualTo(200);
      assertThat(tableIn(node, "T03").path("subtotalMinor").asLong()).isGreaterThan(listed.path("subtotalMinor").asLong());
    }
  }

  static JsonNode tableIn(TestNode node, String tableId) throws Exception {
    return tableIn(node.get("/api/v1/tables", WAITER).body().path("tables"), tableId);
  }

  static JsonNode tableIn(JsonNode tables, String tableId) {
    for (JsonNode t : tables) if (t.path("tableId").asText().equals(tableId)) return t;
    throw new AssertionError("no " + tableId + " in " + tables);
  }

  static void awaitFloorProjected(TestNode node) throws Exception {
    awaitTrue("the floor projection to catch up", () -> {
      JsonNode lag = node.get("/api/v1/reports/projection-lag", ANALYST).body().path("projections");
      boolean any = false;
      for (JsonNode row : lag) {
        if (!row.path("name").asText().startsWith("floor")) continue;
        any = true;
        if (row.path("pendingEvents").asLong() != 0) return false;
      }
      return any;
    });
  }

  static void awaitTablesAsleep(TestNode node) throws Exception {
    awaitTrue("every table to be passivated", () -> tablesInMemory(node) == 0);
  }

  static final Pattern TABLES_ALIVE = Pattern.compile("order_engine_entities\\{kind=\"Table\"} (-?\\d+)");

  static int tablesInMemory(TestNode node) throws Exception {
    String metrics = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(node.base() + "/metrics")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    Matcher m = TABLES_ALIVE.matcher(metrics);
    assertThat(m.find()).as("the Table entity count in /metrics").isTrue();
    return Integer.parseInt(m.group(1));
  }

  interface Check {
    boolean holds() throws Exception;
  }

  static void awaitTrue(String what, Check check) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (check.holds()) return;
      Thread.sleep(250);
    }
    throw new AssertionError("waited 30 s for " + what);
  }
}
