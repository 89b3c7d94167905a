package io.orderengine.http.ledger;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Many callers' rows in one transaction: whatever is submitted while one transaction commits goes
 * together into the next, so a rush costs a commit per batch rather than one per request. Each
 * caller hears its answer only once its batch is committed.
 *
 * <p>A batch that cannot be written is not retried: each caller is told {@code unwritten} (for the
 * request ledger, the answer as the work gave it), since the work itself is already done.
 */
final class GroupCommit<T, R> {
  private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

  /** What one batch writes, on a connection whose transaction the writer commits. */
  interface Batch<T, R> {
    /** Writes {@code items} without committing; returns what each item's caller hears once committed. */
    Function<T, R> write(Connection connection, List<T> items) throws SQLException;
  }

  private record Pending<T, R>(T item, CompletableFuture<R> done) {}

  private final String name;
  private final int maxBatch;
  private final DataSource dataSource;
  private final Executor answering;
  private final Batch<T, R> batch;
  private final Function<T, R> unwritten;
  private final Function<T, String> describe;
  private final BlockingQueue<Pending<T, R>> queue = new LinkedBlockingQueue<>();
  private final List<Thread> writers = new ArrayList<>();
  private volatile boolean running = true;

  /**
   * {@code writers} transactions may be in flight at once (one gathers the next batch while another
   * waits for its commit), each of at most {@code maxBatch} items. Callers hear their answers on
   * {@code answering}, so that a writer goes on to the next batch at once. {@code describe} names an
   * item in the log when it is answered without its rows.
   */
  GroupCommit(String name, int writers, int maxBatch, DataSource dataSource, Executor answering, Batch<T, R> batch,
      Function<T, R> unwritten, Function<T, String> describe) {
    this.name = name;
    this.maxBatch = maxBatch;
    this.dataSource = dataSource;
    this.answering = answering;
    this.batch = batch;
    this.unwritten = unwritten;
    this.describe = describe;
    for (int i = 0; i < writers; i++) {
      Thread t = new Thread(this::writeBatches, name + "-" + i);
      t.setDaemon(true);
      t.start();
      this.writers.add(t);
    }
  }

  CompletionStage<R> submit(T item) {
    CompletableFuture<R> done = new CompletableFuture<>();
    queue.add(new Pending<>(item, done));
    if (!running && writers.stream().noneMatch(Thread::isAlive)) answerUnwritten(); // closed while this came in
    return done;
  }

  /** Writes what is queued, then stops taking more. */
  void close() {
    running = false;
    for (Thread t : writers) {
      try {
        t.join(TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    answerUnwritten();
  }

  /** Once no writer runs: whatever is still queued is answered as it is, its rows not written (and said so). */
  private void answerUnwritten() {
    for (Pending<T, R> p; (p = queue.poll()) != null; ) {
      log.error("{} closed: {} answered without its record", name, describe.apply(p.item()));
      p.done().complete(unwritten.apply(p.item()));
    }
  }

  private void writeBatches() {
    List<Pending<T, R>> pending = new ArrayList<>();
    while (running || !queue.isEmpty()) {
      try {
        Pending<T, R> first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) continue;
        pending.add(first);
        queue.drainTo(pending, maxBatch - 1);
        write(pending);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        log.error("{} batch failed", name, e);
        answer(pending, unwritten);
      } finally {
        pending.clear();
      }
    }
  }

  private void write(List<Pending<T, R>> pending) {
    List<T> items = pending.stream().map(Pending::item).toList();
    Function<T, R> answers;
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        answers = batch.write(c, items);
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      log.error("{}: could not write a batch of {}: {}", name, items.size(), e.toString());
      answer(pending, unwritten);
      return;
    }
    answer(pending, answers);
  }

  /** Completes each caller's answer on {@code answering}; the pending list is reused by its writer. */
  private void answer(List<Pending<T, R>> pending, Function<T, R> answerOf) {
    List<Pending<T, R>> done = List.copyOf(pending);
    answering.execute(() -> {
      for (Pending<T, R> p : done) p.done().complete(answerOf.apply(p.item()));
    });
  }
}
