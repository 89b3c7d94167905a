package io.orderengine.http.ledger;

import io.orderengine.http.json.ApiResult;
import io.orderengine.http.problems.Problems;
import io.orderengine.http.problems.ServiceUnavailable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * The answers given under an {@code Idempotency-Key} ({@code idempotency_keys}, db/http-api.sql), so
 * that a retry gets the first answer again, even after a restart; the same key with another body is
 * refused with 422. Answers are written by the {@link RequestLedger}'s batches, looked up here.
 */
public final class IdempotencyStore {
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

  /** An answer to keep under its key. */
  record Answer(Key key, ApiResult result) {}

  private record Stored(String fingerprint, ApiResult result) {}

  private static final String SELECT_ANSWER =
      "SELECT fingerprint, status, content_type, body FROM idempotency_keys WHERE scope = ? AND idem_key = ?";

  private final DataSource dataSource;
  private final Executor blocking;

  /** {@code blocking} runs the lookups (JDBC). */
  public IdempotencyStore(DataSource dataSource, Executor blocking) {
    this.dataSource = dataSource;
    this.blocking = blocking;
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

  /**
   * Keeps a batch's answers in the caller's transaction: the first answer of the batch under each
   * key claims it, unless the key is taken already. Returns what each answer's caller is to hear
   * once committed: its own answer, or the answer a twin (same key, same body) kept first, or 422
   * when the twin came with another body.
   */
  Function<Answer, ApiResult> keep(Connection c, List<Answer> answers) throws SQLException {
    Map<List<String>, Answer> claims = new HashMap<>();
    for (Answer a : answers) claims.putIfAbsent(idOf(a.key()), a);
    Map<List<String>, Stored> stored = new HashMap<>();
    Set<List<String>> claimed = insertAnswers(c, claims.values());
    for (List<String> k : claimed) stored.put(k, new Stored(claims.get(k).key().fingerprint(), claims.get(k).result()));
    Set<List<String>> taken = new HashSet<>(claims.keySet());
    taken.removeAll(claimed);
    stored.putAll(answersUnder(c, taken));
    return a -> {
      Stored s = stored.get(idOf(a.key()));
      if (s == null || s.result() == null) return a.result(); // a row an older release claimed and never completed
      // a twin with another body won the key: this one changed nothing
      if (!s.fingerprint().equals(a.key().fingerprint())) return reused(a.key().key());
      return s.result();
    };
  }

  private static List<String> idOf(Key key) {
    return List.of(key.scope(), key.key());
  }

  /**
   * Inserts each key's answer unless the key is taken; returns the keys inserted. A JDBC batch (one
   * round trip, each row its own parameters) rather than arrays: the answers are whole JSON bodies,
   * and an array parameter is sent as one escaped literal, which cost more than the rest of the ledger.
   */
  private static Set<List<String>> insertAnswers(Connection c, java.util.Collection<Answer> claims) throws SQLException {
    Set<List<String>> inserted = new HashSet<>();
    if (claims.isEmpty()) return inserted;
    List<Answer> rows = List.copyOf(claims);
    try (PreparedStatement ins = c.prepareStatement(
        "INSERT INTO idempotency_keys (scope, idem_key, fingerprint, status, content_type, body, completed_at) "
            + "VALUES (?, ?, ?, ?, ?, ?, now()) ON CONFLICT (scope, idem_key) DO NOTHING")) {
      for (Answer a : rows) {
        ins.setString(1, a.key().scope());
        ins.setString(2, a.key().key());
        ins.setString(3, a.key().fingerprint());
        ins.setInt(4, a.result().status());
        ins.setString(5, a.result().contentType());
        ins.setString(6, a.result().body());
        ins.addBatch();
      }
      int[] counts = ins.executeBatch();
      for (int i = 0; i < counts.length; i++) {
        if (counts[i] == 1) inserted.add(idOf(rows.get(i).key()));
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
}
