package io.orderengine.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;

/**
 * How many events a second the node's journal commits on a database, without HTTP or domain logic
 * in front of it: {@code writers} event-sourced entities each persist one tagged, table-sized event
 * at a time, as fast as their writes are confirmed, for {@code seconds}. Events are counted in the
 * database. The benchmark runs it once with the plugin's own journal DAO and once with the node's
 * {@code io.orderengine.deploy.BatchedJournalDao} (BENCHMARKS.md); its last line is JSON.
 *
 * <p>It runs on the node's jar, for the DAOs, Pekko and the node's persistence settings; only Pekko's
 * API is needed to compile it:
 *
 * <pre>java -cp deploy/bench/target/classes:deploy/target/order-engine.jar io.orderengine.bench.JournalBench url user password seconds writers [dao]</pre>
 */
public final class JournalBench {
  private JournalBench() {}

  /** The bench's events, serialized as the node's are (Jackson CBOR), bound in {@link #main}'s config. */
  interface Serialized {}

  /** A ticket's worth of text: the size of a typical event of this engine (200-300 bytes in CBOR). */
  private static final String NOTE = "2x 叉烧饭 (less rice), 1x 冻柠茶 (less ice) — seat 3, fire with the mains; ".repeat(2);

  record Write() implements Serialized {}

  record Written(String writer, long n, String note) implements Serialized {}

  private static final class Writer extends EventSourcedBehavior<Write, Written, Long> {
    private final String id;
    private final ActorRef<Write> self;
    private final long deadline;
    private final AtomicLongArray latencyMs;
    private final CountDownLatch done;
    private long startedAt;

    Writer(String runId, String id, ActorRef<Write> self, long deadline, AtomicLongArray latencyMs,
        CountDownLatch done) {
      super(PersistenceId.of("JournalBench", runId + "-" + id));
      this.id = id;
      this.self = self;
      this.deadline = deadline;
      this.latencyMs = latencyMs;
      this.done = done;
    }

    @Override
    public Long emptyState() {
      return 0L;
    }

    @Override
    public CommandHandler<Write, Written, Long> commandHandler() {
      return (n, c) -> {
        startedAt = System.nanoTime();
        return Effect().persist(new Written(id, n + 1, NOTE)).thenRun(s -> {
          long now = System.nanoTime();
          latencyMs.incrementAndGet((int) Math.min(latencyMs.length() - 1, (now - startedAt) / 1_000_000));
          if (now < deadline) self.tell(new Write());
          else done.countDown();
        });
      };
    }

    @Override
    public EventHandler<Long, Written> eventHandler() {
      return (n, e) -> e.n();
    }

    @Override
    public Set<String> tagsFor(Written event) {
      return Set.of("journal-bench");
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 5) {
      System.err.println("usage: JournalBench url user password seconds writers [dao]");
      System.exit(2);
    }
    String url = args[0];
    String user = args[1];
    String password = args[2];
    int seconds = Integer.parseInt(args[3]);
    int writers = Integer.parseInt(args[4]);
    Map<String, Object> o = new HashMap<>();
    String db = "pekko-persistence-jdbc.shared-databases.slick.db.";
    o.put(db + "url", url);
    o.put(db + "user", user);
    o.put(db + "password", password);
    o.put("pekko.actor.provider", "local");
    o.put("pekko.loglevel", "WARNING");
    if (args.length > 5) o.put("jdbc-journal.dao", args[5]);
    Config config = ConfigFactory.parseMap(o)
        .withFallback(ConfigFactory.parseString(
            "pekko.actor.serialization-bindings { \"" + Serialized.class.getName() + "\" = jackson-cbor }"))
        .withFallback(ConfigFactory.load());
    String dao = config.getString("jdbc-journal.dao");

    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "journal-bench", config);
    try {
      String runId = Long.toString(System.currentTimeMillis(), 36);
      // A first pass of half the length, so that connections, statements and the JIT are warm.
      run(system, runId + "w", writers, Duration.ofSeconds(Math.max(5, seconds / 2)));
      long before = count(url, user, password);
      long t0 = System.nanoTime();
      AtomicLongArray latency = run(system, runId, writers, Duration.ofSeconds(seconds));
      double elapsed = (System.nanoTime() - t0) / 1e9;
      long written = count(url, user, password) - before;
      System.out.printf("{\"dao\":\"%s\",\"writers\":%d,\"seconds\":%.1f,\"events\":%d,\"eventsPerSec\":%.0f,"
              + "\"p50Ms\":%d,\"p99Ms\":%d}%n",
          dao.substring(dao.lastIndexOf('.') + 1), writers, elapsed, written, written / elapsed,
          percentile(latency, 0.50), percentile(latency, 0.99));
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static AtomicLongArray run(ActorSystem<Void> system, String runId, int writers, Duration length)
      throws InterruptedException {
    AtomicLongArray latency = new AtomicLongArray(10_001);
    CountDownLatch done = new CountDownLatch(writers);
    long deadline = System.nanoTime() + length.toNanos();
    for (int i = 0; i < writers; i++) {
      String id = "w" + i;
      Behavior<Write> writer = Behaviors.setup(ctx -> new Writer(runId, id, ctx.getSelf(), deadline, latency, done));
      system.systemActorOf(writer, "writer-" + runId + "-" + i, org.apache.pekko.actor.typed.Props.empty())
          .tell(new Write());
    }
    if (!done.await(length.toSeconds() + 60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("writers did not finish within a minute of the deadline");
    }
    return latency;
  }

  private static long percentile(AtomicLongArray counts, double q) {
    long total = 0;
    for (int i = 0; i < counts.length(); i++) total += counts.get(i);
    long seen = 0;
    for (int i = 0; i < counts.length(); i++) {
      seen += counts.get(i);
      if (seen >= Math.ceil(total * q)) return i;
    }
    return counts.length() - 1;
  }

  private static long count(String url, String user, String password) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, user, password);
        PreparedStatement ps = c.prepareStatement(
            "SELECT count(*) FROM event_journal WHERE persistence_id LIKE 'JournalBench|%'");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
