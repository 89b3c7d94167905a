package io.orderengine.http.ledger;

import io.orderengine.http.json.ApiResult;
import io.orderengine.http.problems.Problems;
import io.orderengine.http.problems.ServiceUnavailable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the API keeps of every write it answers: the answer given under an {@code Idempotency-Key},
 * so that a retry gets it again even after a restart, and the audit entry (who did what, approved by
 * whom, and what they were told).
 *
 * <p>Both are kept before the caller hears the answer, and they are kept in batches: the requests
 * answered while one transaction commits go together in the next (the answers as one JDBC batch,
 * the audit entries as one {@code INSERT ... SELECT FROM unnest(arrays)}). A lunch rush thus costs
 * a commit per batch rather than one (or, with the audit trail as an entity, two) per request.
 *
 * <p>The stored answer is only half of the idempotency guarantee: every command also carries the key
 * to its entity, which ignores a key it has already applied. So a retry after a crash between the
 * work and the ledger is safe, and so are two copies of a request racing each other: the entity
 * applies one, and both get the answer kept first.
 */
public final class RequestLedger {
  private static final Logger log = LoggerFactory.getLogger(RequestLedger.class);

  /** At most this many requests share a transaction. */
  static final int MAX_BATCH = 500;
  /** Transactions in flight at once: one gathers the next batch while another waits for its commit. */
  static final int WRITERS = 2;

  /** One thing a member of staff (or a diner) did through the API, and what the API answered. */
  public record AuditEntry(Instant at, String who, String role, String approvedBy, String action, String method,
      String path, int status, String code, String requestId) {}

  /** What a key was used for: the method and path ({@code scope}) and a digest of the body. */
  public record Key(String scope, String key, String fingerprint) {}

  /** What a lookup found under a key before the work ran. */
  public sealed interface Claim {}

  /** The key is new: do the work. */
  public record Fresh() implements Claim {}

  /** The key was answered before: give that answer again. */
  public record Replay(ApiResult result) implements Claim {}

  /** The key was used with another body: 422. */
  public record Reused() implements Claim {}

  private record Pending(AuditEntry entry, Key key, ApiResult result, CompletableFuture<ApiResult> kept) {}

  private record Stored(String fingerprint, ApiResult result) {}

  private final DataSource dataSource;
  private final Executor blocking;
  /** Where the callers hear their answers, so that the writers go on to the next batch at once. */
  private final Executor answering;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  /** Audit rows are keyed by the ledger that wrote them (one per node start) and its own count. */
  private final String ledgerId = "ledger-" + UUID.randomUUID();
  private final AtomicLong seq = new AtomicLong();
  private final List<Thread> writers = new ArrayList<>();
  private volatile boolean running = true;

  /**
   * {@code blocking} runs the lookups (JDBC); {@code answering} completes the callers' answers after
   * a batch commits (what follows, rendering the HTTP response, runs there, not on a writer).
   */
  public RequestLedger(DataSource dataSource, Executor blocking, Executor answering) {
    this.dataSource = dataSource;
    this.blocking = blocking;
    this.answering = answering;
    for (int i = 0; i < WRITERS; i++) {
      Thread t = new Thread(this::writeBatches, "request-ledger-" + i);
      t.setDaemon(true);
      t.start();
      writers.add(t);
    }
  }

  /** {@code scope} is the method and path; two requests match when both it and the body do. */
  public static String fingerprint(String scope, String canonicalBody) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update((scope + "\n" + canonicalBody).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static ApiResult reused(String key) {
    return Problems.problem(422, "IDEMPOTENCY_KEY_REUSED",
        "Idempotency-Key '" + key + "' was already used with another request body");
  }

  private static final String SELECT_ANSWER =
      "SELECT fingerprint, status, content_type, body FROM idempotency_keys WHERE scope = ? AND idem_key = ?";

  /** What is kept under {@code key}, looked up before the work runs (a read, no commit). */
  public CompletionStage<Claim> lookup(Key key) {
    return CompletableFuture.supplyAsync(() -> {
      try (Connection c = dataSource.getConnection(); PreparedStatement sel = c.prepareStatement(SELECT_ANSWER)) {
        sel.setString(1, key.scope());
        sel.setString(2, key.key());
        try (ResultSet rs = sel.executeQuery()) {
          if (!rs.next()) return new Fresh();
          if (!rs.getString(1).equals(key.fingerprint())) return new Reused();
          int status = rs.getInt(2);
          if (rs.wasNull()) return new Fresh(); // a row claimed by an older release and never completed
          return new Replay(new ApiResult(status, rs.getString(3), rs.getString(4)));
        }
      } catch (SQLException e) {
        throw new ServiceUnavailable("cannot reach the idempotency store", e);
      }
    }, blocking);
  }

  /**
   * Keeps what a write leaves behind and completes, once it is committed, with the answer the caller
   * is to hear: {@code result}, or the answer a twin of this request (same key, same body) had kept
   * first, or 422 when the twin came with another body. {@code entry} is null for what is not
   * audited, {@code key} for requests without a key or answers not worth keeping.
   */
  public CompletionStage<ApiResult> keep(AuditEntry entry, Key key, ApiResult result) {
    if (entry == null && key == null) return CompletableFuture.completedFuture(result);
    CompletableFuture<ApiResult> kept = new CompletableFuture<>();
    queue.add(new Pending(entry, key, result, kept));
    if (!running && writers.stream().noneMatch(Thread::isAlive)) answerUnwritten(); // closed while this came in
    return kept;
  }

  /** Forgets answers older than {@code age}; clients retry within minutes, not weeks. */
  public int purgeOlderThan(Duration age) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "DELETE FROM idempotency_keys WHERE created_at < now() - (? * interval '1 second')")) {
      ps.setLong(1, age.toSeconds());
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new ServiceUnavailable("cannot purge idempotency keys", e);
    }
  }

  /** Writes what is queued, then stops taking more; for the node's shutdown, after HTTP has drained. */
  public void close() {
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

  /** Once no writer runs: whatever is still queued is answered as it is, its record not kept (and said so). */
  private void answerUnwritten() {
    for (Pending p; (p = queue.poll()) != null; ) {
      log.error("request ledger closed: {} {} answered {} without its record",
          p.entry() == null ? "" : p.entry().method(), p.entry() == null ? p.key().scope() : p.entry().path(), p.result().status());
      p.kept().complete(p.result());
    }
  }

  private void writeBatches() {
    List<Pending> batch = new ArrayList<>();
    while (running || !queue.isEmpty()) {
      try {
        Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) continue;
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        write(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        log.error("request ledger batch failed", e);
        answer(batch, Pending::result);
      } finally {
        batch.clear();
      }
    }
  }

  private void write(List<Pending> batch) {
    // the first request of the batch under each key is the one that may claim it
    Map<List<String>, Pending> claims = new HashMap<>();
    List<Pending> audited = new ArrayList<>();
    for (Pending p : batch) {
      if (p.key() != null) claims.putIfAbsent(List.of(p.key().scope(), p.key().key()), p);
      if (p.entry() != null) audited.add(p);
    }
    Map<List<String>, Stored> stored = new HashMap<>();
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        Set<List<String>> claimed = insertAnswers(c, claims.values());
        for (List<String> k : claimed) stored.put(k, new Stored(claims.get(k).key().fingerprint(), claims.get(k).result()));
        Set<List<String>> taken = new HashSet<>(claims.keySet());
        taken.removeAll(claimed);
        stored.putAll(answersUnder(c, taken));
        insertAudit(c, audited);
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      // The work is done and each entity remembers its key; only the answers and the entries are not kept.
      log.error("could not keep {} answers and audit entries: {}", batch.size(), e.toString());
      answer(batch, Pending::result);
      return;
    }
    answer(batch, p -> {
      if (p.key() == null) return p.result();
      Stored s = stored.get(List.of(p.key().scope(), p.key().key()));
      if (s == null || s.result() == null) return p.result(); // a row an older release claimed and never completed
      // a twin with another body won the key: this one changed nothing
      if (!s.fingerprint().equals(p.key().fingerprint())) return reused(p.key().key());
      return s.result();
    });
  }

  /** Completes each caller's answer on {@code answering}; the batch list is reused by its writer. */
  private void answer(List<Pending> batch, java.util.function.Function<Pending, ApiResult> answerOf) {
    List<Pending> done = List.copyOf(batch);
    answering.execute(() -> {
      for (Pending p : done) p.kept().complete(answerOf.apply(p));
    });
  }

  /**
   * Inserts each key's answer unless the key is taken; returns the keys inserted. A JDBC batch (one
   * round trip, each row its own parameters) rather than arrays: the answers are whole JSON bodies,
   * and an array parameter is sent as one escaped literal, which cost more than the rest of the ledger.
   */
  private static Set<List<String>> insertAnswers(Connection c, java.util.Collection<Pending> claims) throws SQLException {
    Set<List<String>> inserted = new HashSet<>();
    if (claims.isEmpty()) return inserted;
    List<Pending> rows = List.copyOf(claims);
    try (PreparedStatement ins = c.prepareStatement(
        "INSERT INTO idempotency_keys (scope, idem_key, fingerprint, status, content_type, body, completed_at) "
            + "VALUES (?, ?, ?, ?, ?, ?, now()) ON CONFLICT (scope, idem_key) DO NOTHING")) {
      for (Pending p : rows) {
        ins.setString(1, p.key().scope());
        ins.setString(2, p.key().key());
        ins.setString(3, p.key().fingerprint());
        ins.setInt(4, p.result().status());
        ins.setString(5, p.result().contentType());
        ins.setString(6, p.result().body());
        ins.addBatch();
      }
      int[] counts = ins.executeBatch();
      for (int i = 0; i < counts.length; i++) {
        if (counts[i] == 1) inserted.add(List.of(rows.get(i).key().scope(), rows.get(i).key().key()));
      }
    }
    return inserted;
  }

  /** The answers already kept under keys this batch found taken. */
  private static Map<List<String>, Stored> answersUnder(Connection c, Set<List<String>> taken) throws SQLException {
    Map<List<String>, Stored> found = new HashMap<>();
    if (taken.isEmpty()) return found;
    String[] scopes = new String[taken.size()], keys = new String[taken.size()];
    int i = 0;
    for (List<String> k : taken) {
      scopes[i] = k.get(0);
      keys[i++] = k.get(1);
    }
    try (PreparedStatement sel = c.prepareStatement(
        "SELECT i.scope, i.idem_key, i.fingerprint, i.status, i.content_type, i.body FROM idempotency_keys i "
            + "JOIN unnest(?::text[], ?::text[]) AS t(s, k) ON i.scope = t.s AND i.idem_key = t.k")) {
      sel.setArray(1, c.createArrayOf("text", scopes));
      sel.setArray(2, c.createArrayOf("text", keys));
      try (ResultSet rs = sel.executeQuery()) {
        while (rs.next()) {
          int status = rs.getInt(4);
          ApiResult answer = rs.wasNull() ? null : new ApiResult(status, rs.getString(5), rs.getString(6));
          found.put(List.of(rs.getString(1), rs.getString(2)), new Stored(rs.getString(3), answer));
        }
      }
    }
    return found;
  }

  private void insertAudit(Connection c, List<Pending> audited) throws SQLException {
    if (audited.isEmpty()) return;
    int n = audited.size();
    Long[] seqs = new Long[n], ats = new Long[n];
    Integer[] statuses = new Integer[n];
    String[] who = new String[n], roles = new String[n], approvers = new String[n], actions = new String[n],
        methods = new String[n], paths = new String[n], codes = new String[n], requestIds = new String[n];
    for (int i = 0; i < n; i++) {
      AuditEntry e = audited.get(i).entry();
      seqs[i] = seq.incrementAndGet();
      ats[i] = e.at().toEpochMilli();
      who[i] = e.who();
      roles[i] = e.role();
      approvers[i] = e.approvedBy();
      actions[i] = e.action();
      methods[i] = e.method();
      paths[i] = e.path();
      statuses[i] = e.status();
      codes[i] = e.code();
      requestIds[i] = e.requestId();
    }
    try (PreparedStatement ins = c.prepareStatement(
        "INSERT INTO audit_log (trail_id, seq, at, who, role, approved_by, action, method, path, status, code, request_id) "
            + "SELECT ?, sq, to_timestamp(ms / 1000.0), w, r, ap, ac, m, p, st, cd, rq FROM unnest(?::int8[], ?::int8[], "
            + "?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int4[], ?::text[], ?::text[]) "
            + "AS a(sq, ms, w, r, ap, ac, m, p, st, cd, rq)")) {
      ins.setString(1, ledgerId);
      Array[] arrays = {c.createArrayOf("int8", seqs), c.createArrayOf("int8", ats), c.createArrayOf("text", who),
          c.createArrayOf("text", roles), c.createArrayOf("text", approvers), c.createArrayOf("text", actions),
          c.createArrayOf("text", methods), c.createArrayOf("text", paths), c.createArrayOf("int4", statuses),
          c.createArrayOf("text", codes), c.createArrayOf("text", requestIds)};
      for (int i = 0; i < arrays.length; i++) ins.setArray(i + 2, arrays[i]);
      ins.executeUpdate();
    }
  }
}
