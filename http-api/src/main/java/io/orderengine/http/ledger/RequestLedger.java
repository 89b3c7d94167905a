package io.orderengine.http.ledger;

import io.orderengine.http.json.ApiResult;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * What the API keeps of every write it answers: the answer given under an {@code Idempotency-Key}
 * ({@link IdempotencyStore}), so that a retry gets it again even after a restart, and the audit
 * entry ({@link AuditTrail}: who did what, approved by whom, and what they were told).
 *
 * <p>Both are kept before the caller hears the answer, and they are kept together, in batches
 * ({@link GroupCommit}): the requests answered while one transaction commits go together in the
 * next (the answers as one JDBC batch, the audit entries as one {@code INSERT ... SELECT FROM
 * unnest(arrays)}). A lunch rush thus costs a commit per batch rather than one (or, with the audit
 * trail as an entity, two) per request.
 *
 * <p>The stored answer is only half of the idempotency guarantee: every command also carries the key
 * to its entity, which ignores a key it has already applied. So a retry after a crash between the
 * work and the ledger is safe, and so are two copies of a request racing each other: the entity
 * applies one, and both get the answer kept first.
 */
public final class RequestLedger {
  /** At most this many requests share a transaction. */
  static final int MAX_BATCH = 500;
  /** Transactions in flight at once: one gathers the next batch while another waits for its commit. */
  static final int WRITERS = 2;

  private record Pending(AuditTrail.Entry entry, IdempotencyStore.Answer answer, ApiResult result) {}

  private final IdempotencyStore answers;
  private final AuditTrail trail;
  private final GroupCommit<Pending, ApiResult> writer;

  /**
   * {@code blocking} runs the lookups (JDBC); {@code answering} completes the callers' answers after
   * a batch commits (what follows, rendering the HTTP response, runs there, not on a writer).
   */
  public RequestLedger(DataSource dataSource, Executor blocking, Executor answering) {
    this(new IdempotencyStore(dataSource, blocking), new AuditTrail(dataSource), dataSource, answering);
  }

  public RequestLedger(IdempotencyStore answers, AuditTrail trail, DataSource dataSource, Executor answering) {
    this.answers = answers;
    this.trail = trail;
    this.writer = new GroupCommit<>("request-ledger", WRITERS, MAX_BATCH, dataSource, answering, this::write,
        Pending::result, RequestLedger::describe);
  }

  /** What is kept under {@code key}, looked up before the work runs (a read, no commit). */
  public CompletionStage<IdempotencyStore.Claim> lookup(IdempotencyStore.Key key) {
    return answers.lookup(key);
  }

  /**
   * Keeps what a write leaves behind and completes, once it is committed, with the answer the caller
   * is to hear: {@code result}, or the answer a twin of this request (same key, same body) had kept
   * first, or 422 when the twin came with another body. {@code entry} is null for what is not
   * audited, {@code key} for requests without a key or answers not worth keeping.
   */
  public CompletionStage<ApiResult> keep(AuditTrail.Entry entry, IdempotencyStore.Key key, ApiResult result) {
    if (entry == null && key == null) return CompletableFuture.completedFuture(result);
    return writer.submit(new Pending(entry, key == null ? null : new IdempotencyStore.Answer(key, result), result));
  }

  /** Forgets answers older than {@code age}; clients retry within minutes, not weeks. */
  public int purgeOlderThan(Duration age) {
    return answers.purgeOlderThan(age);
  }

  /** Writes what is queued, then stops taking more; for the node's shutdown, after HTTP has drained. */
  public void close() {
    writer.close();
  }

  /**
   * One batch, one transaction. If it fails, the work is done and each entity remembers its key;
   * only the answers and the entries are not kept, and each caller hears its answer as it was.
   */
  private Function<Pending, ApiResult> write(Connection c, List<Pending> batch) throws SQLException {
    List<IdempotencyStore.Answer> keyed = new ArrayList<>();
    List<AuditTrail.Entry> audited = new ArrayList<>();
    for (Pending p : batch) {
      if (p.answer() != null) keyed.add(p.answer());
      if (p.entry() != null) audited.add(p.entry());
    }
    Function<IdempotencyStore.Answer, ApiResult> kept = answers.keep(c, keyed);
    trail.append(c, audited);
    return p -> p.answer() == null ? p.result() : kept.apply(p.answer());
  }

  private static String describe(Pending p) {
    return p.entry() != null
        ? p.entry().method() + " " + p.entry().path() + " " + p.result().status()
        : p.answer().key().scope() + " " + p.result().status();
  }
}
