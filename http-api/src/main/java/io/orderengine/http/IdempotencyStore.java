package io.orderengine.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Durable memory of the answers given to requests with an {@code Idempotency-Key}.
 *
 * <p>A key is looked up before the work runs (a read, no commit) and its answer stored after it
 * (one commit); a retry with the same key and body gets the stored answer, the same key with
 * another body gets 422. The stored answer is only half of the guarantee: every command also
 * carries the key to its entity, which ignores a key it has already applied, so a retry after a
 * crash between the work and the store is safe, and so are two copies of a request racing each
 * other: the entity applies one, and both get the answer stored first.
 */
public final class IdempotencyStore {
  private final DataSource dataSource;
  private final Executor blocking;

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

  private sealed interface Claim {}

  private record Fresh() implements Claim {}

  private record Replay(ApiResult result) implements Claim {}

  private record Reused() implements Claim {}

  /** Runs {@code work} once per (scope, key, fingerprint) and answers retries with its first answer. */
  public CompletionStage<ApiResult> run(String scope, String key, String fingerprint, Supplier<CompletionStage<ApiResult>> work) {
    return CompletableFuture.supplyAsync(() -> lookup(scope, key, fingerprint), blocking).thenCompose(found -> {
      if (found instanceof Replay replay) return CompletableFuture.completedFuture(replay.result().asReplay());
      if (found instanceof Reused) return CompletableFuture.completedFuture(reused(key));
      return work.get().thenCompose(result -> {
        // A 5xx is not an answer worth keeping: the client is told to retry with the same key. Nor is a
        // 403: a refusal for want of authority changed nothing, and the same request may come back with a
        // manager's approval under the same key.
        if (result.status() >= 500 || result.status() == 403) return CompletableFuture.completedFuture(result);
        return CompletableFuture.supplyAsync(() -> store(scope, key, fingerprint, result), blocking);
      });
    });
  }

  private static ApiResult reused(String key) {
    return Problems.problem(422, "IDEMPOTENCY_KEY_REUSED",
        "Idempotency-Key '" + key + "' was already used with another request body");
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

  private static final String SELECT_ANSWER =
      "SELECT fingerprint, status, content_type, body FROM idempotency_keys WHERE scope = ? AND idem_key = ?";

  private Claim lookup(String scope, String key, String fingerprint) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement sel = c.prepareStatement(SELECT_ANSWER)) {
      sel.setString(1, scope);
      sel.setString(2, key);
      return answerIn(sel, fingerprint);
    } catch (SQLException e) {
      throw new ServiceUnavailable("cannot reach the idempotency store", e);
    }
  }

  private static Claim answerIn(PreparedStatement select, String fingerprint) throws SQLException {
    try (ResultSet rs = select.executeQuery()) {
      if (!rs.next()) return new Fresh();
      if (!rs.getString(1).equals(fingerprint)) return new Reused();
      int status = rs.getInt(2);
      if (rs.wasNull()) return new Fresh(); // a row claimed by an older release and never completed
      return new Replay(new ApiResult(status, rs.getString(3), rs.getString(4)));
    }
  }

  /** Stores the answer unless a twin stored one first; returns the answer that was kept. */
  private ApiResult store(String scope, String key, String fingerprint, ApiResult result) {
    try (Connection c = dataSource.getConnection()) {
      try (PreparedStatement ins = c.prepareStatement(
          "INSERT INTO idempotency_keys (scope, idem_key, fingerprint, status, content_type, body, completed_at) "
              + "VALUES (?, ?, ?, ?, ?, ?, now()) ON CONFLICT (scope, idem_key) DO UPDATE "
              + "SET status = EXCLUDED.status, content_type = EXCLUDED.content_type, body = EXCLUDED.body, "
              + "completed_at = EXCLUDED.completed_at "
              + "WHERE idempotency_keys.status IS NULL AND idempotency_keys.fingerprint = EXCLUDED.fingerprint")) {
        ins.setString(1, scope);
        ins.setString(2, key);
        ins.setString(3, fingerprint);
        ins.setInt(4, result.status());
        ins.setString(5, result.contentType());
        ins.setString(6, result.body());
        if (ins.executeUpdate() == 1) return result;
      }
      try (PreparedStatement sel = c.prepareStatement(SELECT_ANSWER)) {
        sel.setString(1, scope);
        sel.setString(2, key);
        Claim kept = answerIn(sel, fingerprint);
        if (kept instanceof Replay replay) return replay.result();
        if (kept instanceof Reused) return reused(key); // a twin with another body won the key: this one changed nothing
        return result;
      }
    } catch (SQLException e) {
      // The work is done and the entity remembers the key; the answer just is not stored.
      return result;
    }
  }
}
