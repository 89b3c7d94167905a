package io.orderengine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes of one cluster on one PostgreSQL; ten tables order the last five portions through both
 * at once. The stock has one writer in the cluster, so exactly five win, whichever node they ask.
 */
class TwoNodeStockRaceTest {

  @Test
  void theLastPortionsGoToExactlyAsManyOrdersAcrossNodes(@TempDir Path dir) throws Exception {
    try (EmbeddedDatabase db = EmbeddedDatabase.start(dir.resolve("db"), 0)) {
      int seedPort = TestNode.freePort();
      List<String> seeds = List.of("127.0.0.1:" + seedPort);
      try (TestNode first = TestNode.start(settings(db, dir.resolve("a"), seedPort, seeds));
          TestNode second = TestNode.start(settings(db, dir.resolve("b"), TestNode.freePort(), seeds))) {
        assertThat(first.call("PUT", "/api/v1/menu/items/CR02/stock", "demo-manager", "{\"stock\":5}", null).status())
            .isEqualTo(200);
        List<TestNode> nodes = List.of(first, second);
        for (int i = 1; i <= 10; i++) {
          TestNode via = nodes.get(i % 2);
          assertThat(via.post(String.format("/api/v1/tables/T%02d/open", i), "demo-waiter", "{\"partySize\":2}").status())
              .isEqualTo(201);
        }
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Integer> statuses = new ArrayList<>();
        try {
          List<Future<TestNode.Answer>> orders = new ArrayList<>();
          for (int i = 1; i <= 10; i++) {
            TestNode via = nodes.get(i % 2);
            String path = String.format("/api/v1/tables/T%02d/items", i);
            orders.add(pool.submit(() -> via.post(path, "demo-waiter", "{\"items\":[{\"sku\":\"CR02\",\"qty\":1}]}")));
          }
          for (Future<TestNode.Answer> f : orders) statuses.add(f.get(60, TimeUnit.SECONDS).status());
        } finally {
          pool.shutdownNow();
        }
        assertThat(statuses.stream().filter(s -> s == 200).count()).isEqualTo(5);
        assertThat(statuses.stream().filter(s -> s == 409).count()).isEqualTo(5);
        long ordered = 0;
        for (int i = 1; i <= 10; i++) {
          ordered += second.get(String.format("/api/v1/tables/T%02d", i), "demo-waiter").body().path("lines").size();
        }
        assertThat(ordered).isEqualTo(5);
      }
    }
  }

  static NodeSettings settings(EmbeddedDatabase db, Path dataDir, int clusterPort, List<String> seeds) {
    return new NodeSettings(0, dataDir, db.jdbcUrl(), db.user(), "", "127.0.0.1", clusterPort, seeds, 0, true, null, 0);
  }
}
