package io.orderengine.projections;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.orderengine.engine.bill.Bill;
import io.orderengine.engine.bill.Bill.BillTotals;
import io.orderengine.engine.bill.Bill.Method;
import io.orderengine.engine.bill.Bill.PaymentStatus;
import io.orderengine.engine.bill.Bill.RefundStatus;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.projection.ProjectionBehavior;
import org.apache.pekko.projection.jdbc.javadsl.JdbcProjection;
import org.junit.jupiter.api.Test;

/**
 * The sales projection as the node runs it ({@link SalesProjection#create}: grouped, exactly once,
 * by tag from the JDBC journal), on a real ActorSystem and PostgreSQL. The handler alone adds a
 * recorded payment's money each time it sees the event; what keeps a redelivered group from
 * counting it twice is that the rows and the offset commit together. Here the first commit fails
 * after the rows were written, so the group is delivered again; and a restarted projection resumes
 * after what it committed. Either way each payment and refund is counted once.
 */
class SalesProjectionRunTest {
  static final BusinessDay VENUE = SalesProjectionTest.VENUE;
  static final String BILL = "T05-0001-B1";

  @Test
  void aGroupDeliveredAgainAfterAFailedCommitAndARestartedProjectionCountEachPaymentOnce() throws Exception {
    try (ReportDatabase db = ReportDatabase.start()) {
      try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
        for (String statement : journalSchema()) s.execute(statement);
      }
      AtomicInteger failedCommits = new AtomicInteger();
      AtomicInteger commitsToFail = new AtomicInteger();
      DataSource failing = failingCommits(db.dataSource(), commitsToFail, failedCommits);
      String tag = Bill.tagFor(BILL);

      ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "sales-run", config(db));
      try {
        JdbcProjection.createTablesIfNotExists(() -> new PooledJdbcSession(db.dataSource()), system)
            .toCompletableFuture().get(30, TimeUnit.SECONDS);
        persist(system, BILL, tag, SalesProjectionTest.opened(BILL, List.of(SalesProjectionTest.KUNG_PAO,
                SalesProjectionTest.TEA), 9100, 1, 1),
            new Bill.PaymentRecorded(BILL, "T05", "pay-1", SalesProjectionTest.payment("T05-0001-B1-P1", Method.CASH, 9100,
                10000, PaymentStatus.SUCCEEDED, SalesProjectionTest.NOON.plusSeconds(60))),
            new Bill.Settled(BILL, "T05", "T05-0001", SalesProjectionTest.NOON.plusSeconds(60),
                new BillTotals(9100, 0, 0, 9100)),
            new Bill.RefundRecorded(BILL, "T05", "refund-1", SalesProjectionTest.refund("T05-0001-B1-P1-R1", "T05-0001-B1-P1",
                Method.CASH, 500, RefundStatus.SUCCEEDED, "cold soup", SalesProjectionTest.NOON.plusSeconds(300), "demo-cashier")));
        commitsToFail.set(1);
        system.systemActorOf(ProjectionBehavior.create(SalesProjection.create(system, failing, tag, SalesProjectionTest.DAYS)), "sales",
            Props.empty());
        awaitRow(db, "SELECT paid_minor, refunded_minor FROM report_bills WHERE bill_id = '" + BILL + "'",
            Map.of("paid_minor", 9100L, "refunded_minor", 500L));
        assertThat(failedCommits.get()).as("the first group's commit failed, so it was delivered again").isEqualTo(1);
      } finally {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }

      // a new node: the projection starts again from its stored offset; only the new payment is new
      ActorSystem<Void> again = ActorSystem.create(Behaviors.empty(), "sales-run", config(db));
      try {
        persist(again, BILL, tag, new Bill.RefundRecorded(BILL, "T05", "refund-2",
            SalesProjectionTest.refund("T05-0001-B1-P1-R2", "T05-0001-B1-P1", Method.CASH, 100, RefundStatus.SUCCEEDED,
                "late dish", SalesProjectionTest.NOON.plusSeconds(900), "demo-cashier")));
        again.systemActorOf(ProjectionBehavior.create(SalesProjection.create(again, db.dataSource(), tag, SalesProjectionTest.DAYS)), "sales",
            Props.empty());
        awaitRow(db, "SELECT paid_minor, refunded_minor FROM report_bills WHERE bill_id = '" + BILL + "'",
            Map.of("paid_minor", 9100L, "refunded_minor", 600L));
        assertThat(db.row("SELECT count(*) AS n FROM report_refunds")).containsEntry("n", 2L);
        assertThat(new SalesReport(db.dataSource(), SalesProjectionTest.DAYS).rows(SalesProjectionTest.MAIN, SalesProjectionTest.DAY, SalesProjectionTest.DAY,
            SalesReport.GroupBy.METHOD)).containsExactly(new SalesReport.Row("CASH", 1, 9100, 0, 8500, 600));
      } finally {
        again.terminate();
        again.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    }
  }

  /** Stands in for the Bill entity's persistence: the same persistence id, events and tag. */
  record Persist(Bill.Event event, ActorRef<Long> replyTo) {}

  static EventSourcedBehavior<Persist, Bill.Event, Long> billJournal(String billId, String tag) {
    return new EventSourcedBehavior<>(PersistenceId.of("Bill", billId)) {
      @Override
      public Long emptyState() {
        return 0L;
      }

      @Override
      public CommandHandler<Persist, Bill.Event, Long> commandHandler() {
        return (state, cmd) -> Effect().persist(cmd.event()).thenRun(s -> cmd.replyTo().tell(s));
      }

      @Override
      public EventHandler<Long, Bill.Event> eventHandler() {
        return (state, event) -> state + 1;
      }

      @Override
      public Set<String> tagsFor(Bill.Event event) {
        return Set.of(tag);
      }
    };
  }

  private static void persist(ActorSystem<Void> system, String billId, String tag, Bill.Event... events) throws Exception {
    ActorRef<Persist> journal = system.systemActorOf(billJournal(billId, tag), "bill-" + System.nanoTime(), Props.empty());
    for (Bill.Event e : events) {
      AskPattern.<Persist, Long>ask(journal, r -> new Persist(e, r), Duration.ofSeconds(10), system.scheduler())
          .toCompletableFuture().get(15, TimeUnit.SECONDS);
    }
  }

  private static void awaitRow(ReportDatabase db, String sql, Map<String, Object> expected) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    Object last = null;
    while (System.nanoTime() < deadline) {
      List<Map<String, Object>> rows = db.rows(sql);
      last = rows;
      if (rows.size() == 1 && rows.get(0).equals(expected)) {
        // and it stays so: nothing arrives later to count it again
        Thread.sleep(1500);
        assertThat(db.rows(sql)).containsExactly(expected);
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("never " + expected + " from " + sql + "; last " + last);
  }

  /** The pool's connections, whose next {@code commitsToFail} commits roll back and fail instead. */
  static DataSource failingCommits(DataSource real, AtomicInteger commitsToFail, AtomicInteger failed) {
    return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
        (proxy, method, args) -> {
          Object result = invoke(real, method, args);
          if (!method.getName().equals("getConnection")) return result;
          Connection connection = (Connection) result;
          return Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
              (p, m, a) -> {
                if (m.getName().equals("commit") && commitsToFail.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                  connection.rollback();
                  failed.incrementAndGet();
                  throw new SQLException("commit failed (injected by the test)");
                }
                return invoke(connection, m, a);
              });
        });
  }

  private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static Config config(ReportDatabase db) throws SQLException {
    String url;
    try (Connection c = db.dataSource().getConnection()) {
      url = c.getMetaData().getURL();
    }
    return ConfigFactory.parseString("""
        pekko.loglevel = WARNING
        pekko.persistence.journal.plugin = "jdbc-journal"
        pekko.persistence.snapshot-store.plugin = "jdbc-snapshot-store"
        jdbc-journal.use-shared-db = "slick"
        jdbc-snapshot-store.use-shared-db = "slick"
        jdbc-read-journal.use-shared-db = "slick"
        jdbc-read-journal.refresh-interval = 100ms
        jdbc-read-journal.journal-sequence-retrieval.query-delay = 100ms
        pekko-persistence-jdbc.shared-databases.slick {
          profile = "slick.jdbc.PostgresProfile$"
          db {
            driver = "org.postgresql.Driver"
            url = "%s"
            user = "postgres"
            password = ""
            connectionPool = "HikariCP"
            numThreads = 2
            maxConnections = 2
            minConnections = 1
          }
        }
        pekko.projection.jdbc.dialect = postgres-dialect
        pekko.projection.jdbc.blocking-jdbc-dispatcher.thread-pool-executor.fixed-pool-size = 2
        pekko.projection.restart-backoff.min-backoff = 200ms
        pekko.projection.restart-backoff.max-backoff = 1s
        """.formatted(url)).withFallback(ConfigFactory.load());
  }

  /** The plugin's own PostgreSQL schema for the journal, as shipped in its jar. */
  private static List<String> journalSchema() throws IOException {
    try (InputStream in = SalesProjectionRunTest.class.getClassLoader()
        .getResourceAsStream("schema/postgres/postgres-create-schema.sql")) {
      String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return java.util.Arrays.stream(sql.split(";")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
  }
}
