package io.orderengine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes in three JVMs on 127.0.0.1 and one PostgreSQL. One node is killed with SIGKILL: every
 * table acknowledged before is served by the others, writes go on, and the node rejoins.
 */
class ClusterFailoverTest {
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  static final String WAITER = "demo-waiter";

  record Jvm(Process process, int httpPort, int clusterPort, Path log) {
    /** The end of the node's own log, for a failure message: the temporary directory does not outlive the test. */
    String logTail() {
      try {
        List<String> lines = java.nio.file.Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
      } catch (java.io.IOException e) {
        return "(no log: " + e.getMessage() + ")";
      }
    }
  }

  @Test
  void aKilledNodesTablesAreServedByTheOthersAndItRejoins(@TempDir Path dir) throws Exception {
    try (EmbeddedDatabase db = EmbeddedDatabase.start(dir.resolve("db"), 0)) {
      int[] cluster = {TestNode.freePort(), TestNode.freePort(), TestNode.freePort()};
      String seeds = "127.0.0.1:" + cluster[0] + ",127.0.0.1:" + cluster[1];
      List<Jvm> nodes = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) nodes.add(start(db, dir.resolve("n" + i), cluster[i], seeds));
        for (Jvm n : nodes) awaitReady(n, Duration.ofSeconds(90));

        List<String> tables = List.of("T01", "T02", "T03", "T04", "T05", "T06", "T07", "T08");
        for (int i = 0; i < tables.size(); i++) {
          Jvm via = nodes.get(i % 3);
          assertThat(call(via, "POST", "/api/v1/tables/" + tables.get(i) + "/open", "{\"partySize\":2}").statusCode()).isEqualTo(201);
          Jvm other = nodes.get((i + 1) % 3);
          assertThat(call(other, "POST", "/api/v1/tables/" + tables.get(i) + "/items",
              "{\"items\":[{\"sku\":\"SC01\",\"qty\":1}]}").statusCode()).isEqualTo(200);
        }

        Jvm victim = nodes.get(2);
        victim.process().destroyForcibly().waitFor();
        long killedAt = System.nanoTime();
        Jvm survivor = nodes.get(0);
        for (String table : tables) {
          JsonNode view = awaitTable(survivor, table, Duration.ofSeconds(45));
          assertThat(view.path("lines").size()).as(table).isEqualTo(1);
        }
        assertThat(call(nodes.get(1), "POST", "/api/v1/tables/T03/items", "{\"items\":[{\"sku\":\"DR01\",\"qty\":1}]}")
            .statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).isLessThan(Duration.ofSeconds(60));

        Jvm back = start(db, dir.resolve("n2b"), victim.clusterPort(), seeds);
        nodes.set(2, back);
        awaitReady(back, Duration.ofSeconds(90));
        JsonNode t03 = TestNode.JSON.readTree(call(back, "GET", "/api/v1/tables/T03", null).body());
        assertThat(t03.path("lines").size()).isEqualTo(2);
        long up = awaitUpMembers(survivor, 3, Duration.ofSeconds(60));
        assertThat(up).isEqualTo(3);
      } finally {
        for (Jvm n : nodes) n.process().destroyForcibly().waitFor();
      }
    }
  }

  static Jvm start(EmbeddedDatabase db, Path dataDir, int clusterPort, String seeds) throws Exception {
    int http = TestNode.freePort();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx384m", "-cp", System.getProperty("java.class.path"),
        "io.orderengine.deploy.Main");
    Map<String, String> env = pb.environment();
    env.put("HTTP_PORT", Integer.toString(http));
    env.put("CLUSTER_HOST", "127.0.0.1");
    env.put("CLUSTER_PORT", Integer.toString(clusterPort));
    env.put("CLUSTER_SEED_NODES", seeds);
    env.put("MANAGEMENT_PORT", Integer.toString(TestNode.freePort()));
    env.put("DATABASE_URL", db.jdbcUrl());
    env.put("DATABASE_USER", db.user());
    env.put("DATABASE_PASSWORD", "");
    env.put("DATA_DIR", dataDir.toString());
    env.put("DEMO", "true");
    Path log = Path.of(dataDir + ".log");
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    return new Jvm(pb.start(), http, clusterPort, log);
  }

  static HttpResponse<String> call(Jvm n, String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + n.httpPort() + path))
        .timeout(Duration.ofSeconds(15)).header("Authorization", "Bearer " + WAITER);
    if (body != null) b.header("Content-Type", "application/json");
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static void awaitReady(Jvm n, Duration limit) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      if (!n.process().isAlive()) {
        throw new AssertionError("node on " + n.httpPort() + " exited (" + n.process().exitValue() + "):\n" + n.logTail());
      }
      try {
        if (call(n, "GET", "/health/ready", null).statusCode() == 200) return;
      } catch (java.io.IOException notYet) {
        // starting
      }
      Thread.sleep(250);
    }
    throw new AssertionError("node on " + n.httpPort() + " not ready after " + limit + ":\n" + n.logTail());
  }

  static JsonNode awaitTable(Jvm n, String table, Duration limit) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    HttpResponse<String> last = null;
    while (System.nanoTime() < deadline) {
      try {
        last = call(n, "GET", "/api/v1/tables/" + table, null);
        if (last.statusCode() == 200) return TestNode.JSON.readTree(last.body());
      } catch (java.io.IOException e) {
        // shards are moving
      }
      Thread.sleep(250);
    }
    throw new AssertionError(table + " not served after the crash: " + (last == null ? "no answer" : last.body()));
  }

  static long awaitUpMembers(Jvm n, int expected, Duration limit) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    long up = 0;
    while (System.nanoTime() < deadline) {
      String text = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + n.httpPort() + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      for (String line : text.split("\n")) {
        if (line.startsWith("order_engine_cluster_members ")) up = Long.parseLong(line.substring(line.indexOf(' ') + 1).strip());
      }
      if (up == expected) return up;
      Thread.sleep(500);
    }
    return up;
  }
}
