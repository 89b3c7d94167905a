package io.orderengine.engine.payment.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.orderengine.engine.EntityTestKitConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The emulators' records, in memory and as sharded event-sourced entities on a one-node cluster: a
 * write over a stale version is refused, and changes made at once from many threads all count.
 */
class EmulatorStoreTest {
  record Counter(long count, List<String> by, Instant at) {}

  private static ActorTestKit testKit;
  private static StoredRecords stored;

  @BeforeAll
  static void startCluster() {
    testKit = ActorTestKit.create("EmulatorStoreTest", ConfigFactory.parseString("""
        pekko.actor.provider = cluster
        pekko.remote.artery.canonical.hostname = 127.0.0.1
        pekko.remote.artery.canonical.port = 0
        """).withFallback(PersistenceTestKitPlugin.getInstance().config()).withFallback(EntityTestKitConfig.config()));
    Cluster.get(testKit.system()).manager().tell(Join.create(Cluster.get(testKit.system()).selfMember().address()));
    stored = StoredRecords.start(testKit.system(), Duration.ofSeconds(5));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void a_write_over_a_stale_version_is_refused_in_memory_and_in_the_journal() {
    for (EmulatorStore store : List.of(EmulatorStore.inMemory(), stored)) {
      String key = "trade:v1|p*" + System.nanoTime(); // Pekko reserves | in entity ids: the store escapes it
      assertThat(store.read(key)).isEmpty();
      assertThat(store.write(key, 0, "{\"a\":1}")).isTrue();
      assertThat(store.write(key, 0, "{\"a\":2}")).as("a second first write").isFalse();
      assertThat(store.read(key)).contains(new EmulatorStore.Entry(1, "{\"a\":1}"));
      assertThat(store.write(key, 1, "{\"a\":3}")).isTrue();
      assertThat(store.write(key, 1, "{\"a\":4}")).as("over version 1 again").isFalse();
      assertThat(store.read(key)).contains(new EmulatorStore.Entry(2, "{\"a\":3}"));
    }
  }

  @Test
  void changes_made_at_once_all_count() throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      for (EmulatorStore store : List.of(EmulatorStore.inMemory(), stored)) {
        EmulatorRecords<Counter> counters = new EmulatorRecords<>(store, "counter", Counter.class);
        String id = "c-" + System.nanoTime();
        CompletableFuture.allOf(IntStream.range(0, 40).mapToObj(i -> CompletableFuture.runAsync(() ->
            counters.update(id, was -> {
              Counter c = was.orElse(new Counter(0, List.of(), Instant.EPOCH));
              List<String> by = new java.util.ArrayList<>(c.by());
              by.add("t" + i);
              return new Counter(c.count() + 1, List.copyOf(by), Instant.parse("2026-12-03T12:00:00Z"));
            }), threads)).toArray(CompletableFuture[]::new)).get();
        Counter c = counters.get(id).orElseThrow();
        assertThat(c.count()).isEqualTo(40);
        assertThat(c.by()).hasSize(40).doesNotHaveDuplicates();
        assertThat(c.at()).isEqualTo(Instant.parse("2026-12-03T12:00:00Z"));
        assertThat(counters.update(id, was -> null)).as("a change that writes nothing").isEqualTo(c);
        assertThat(counters.get("nobody")).isEqualTo(Optional.empty());
      }
    } finally {
      threads.shutdownNow();
    }
  }
}
