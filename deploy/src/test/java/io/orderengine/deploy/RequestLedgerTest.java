package io.orderengine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.orderengine.http.json.ApiResult;
import io.orderengine.http.ledger.AuditTrail;
import io.orderengine.http.ledger.IdempotencyStore;
import io.orderengine.http.ledger.RequestLedger;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The request ledger on the real database: answers kept under their keys and audit entries written
 * together in batches; twins of a request (same key) in one batch or in two get the answer kept
 * first, or 422 when their bodies differ; nothing is answered before it is committed.
 */
class RequestLedgerTest {
  @TempDir
  static Path dataDir;

  static EmbeddedDatabase database;
  static HikariDataSource dataSource;
  static ExecutorService blocking;
  static RequestLedger ledger;

  @BeforeAll
  static void start() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    database = EmbeddedDatabase.start(dataDir, port);
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(database.jdbcUrl());
    hc.setUsername(database.user());
    hc.setMaximumPoolSize(6);
    dataSource = new HikariDataSource(hc);
    Schema.create(dataSource);
    blocking = Executors.newFixedThreadPool(4);
    ledger = new RequestLedger(dataSource, blocking, blocking);
  }

  @AfterAll
  static void stop() throws Exception {
    if (ledger != null) ledger.close();
    if (blocking != null) blocking.shutdownNow();
    if (dataSource != null) dataSource.close();
    if (database != null) database.close();
  }

  static AuditTrail.Entry entry(String who, String requestId, int status) {
    return new AuditTrail.Entry(Instant.now(), who, "waiter", null, "items", "POST", "/api/v1/tables/T1/items",
        status, status >= 400 ? "SOMETHING" : null, requestId, null, "main");
  }

  static IdempotencyStore.Key key(String key, String body) {
    String scope = "POST /api/v1/tables/T1/items";
    return new IdempotencyStore.Key(scope, key, IdempotencyStore.fingerprint(scope, body));
  }

  static ApiResult answer(String body) {
    return new ApiResult(200, "application/json", body);
  }

  @Test
  void manyRequestsAtOnceAreEachKeptAndAuditedOnce() throws Exception {
    int requests = 2_000;
    List<CompletableFuture<ApiResult>> kept = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      kept.add(ledger.keep(entry("many", "many-" + i, 200), key("many-" + i, "{\"n\":" + i + "}"),
          answer("{\"n\":" + i + "}")).toCompletableFuture());
    }
    for (int i = 0; i < requests; i++) {
      assertThat(kept.get(i).get(30, TimeUnit.SECONDS).body()).isEqualTo("{\"n\":" + i + "}");
    }
    assertThat(count("SELECT count(*) FROM idempotency_keys WHERE idem_key LIKE 'many-%'")).isEqualTo(requests);
    assertThat(count("SELECT count(*) FROM audit_log WHERE who = 'many'")).isEqualTo(requests);
    assertThat(count("SELECT count(DISTINCT (trail_id, seq)) FROM audit_log WHERE who = 'many'")).isEqualTo(requests);
    // and each is there for the retry
    IdempotencyStore.Claim again = ledger.lookup(key("many-7", "{\"n\":7}")).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(again).isInstanceOf(IdempotencyStore.Replay.class);
    assertThat(((IdempotencyStore.Replay) again).result().body()).isEqualTo("{\"n\":7}");
  }

  @Test
  void twinsGetTheAnswerKeptFirstAndAnotherBodyUnderTheSameKeyIsRefused() throws Exception {
    // Two copies of a request (same key, same body) and a third with another body under that key, all at
    // once: they may share a batch or not. Both copies did their work (the entity applied it once); the
    // answer kept first is the one every copy gets, and whichever body lost the key is refused with 422.
    int rounds = 100;
    List<List<CompletableFuture<ApiResult>>> all = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      all.add(List.of(
          ledger.keep(entry("twin", "t-" + r, 200), key("twin-" + r, "{\"a\":1}"), answer("{\"copy\":1}")).toCompletableFuture(),
          ledger.keep(entry("twin", "t-" + r, 200), key("twin-" + r, "{\"a\":1}"), answer("{\"copy\":2}")).toCompletableFuture(),
          ledger.keep(entry("twin", "t-" + r, 200), key("twin-" + r, "{\"a\":2}"), answer("{\"other\":true}")).toCompletableFuture()));
    }
    for (int r = 0; r < rounds; r++) {
      ApiResult copy1 = all.get(r).get(0).get(30, TimeUnit.SECONDS);
      ApiResult copy2 = all.get(r).get(1).get(30, TimeUnit.SECONDS);
      ApiResult other = all.get(r).get(2).get(30, TimeUnit.SECONDS);
      assertThat(copy2).isEqualTo(copy1);
      if (copy1.status() == 200) {
        assertThat(copy1.body()).isIn("{\"copy\":1}", "{\"copy\":2}");
        assertThat(other.status()).isEqualTo(422);
        assertThat(other.body()).contains("IDEMPOTENCY_KEY_REUSED");
      } else {
        assertThat(copy1.status()).isEqualTo(422);
        assertThat(other.body()).isEqualTo("{\"other\":true}");
      }
      // and a twin coming later finds the kept answer in the table
      IdempotencyStore.Claim later = ledger.lookup(key("twin-" + r, "{\"a\":1}")).toCompletableFuture().get(10, TimeUnit.SECONDS);
      if (copy1.status() == 200) {
        assertThat(later).isEqualTo(new IdempotencyStore.Replay(copy1));
      } else {
        assertThat(later).isInstanceOf(IdempotencyStore.Reused.class);
      }
    }
    ApiResult late = ledger.keep(null, key("twin-0", "{\"a\":1}"), answer("{\"late\":true}"))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    // the key already holds round 0's answer: a late copy gets that one (or, if the other body won it, a refusal)
    ApiResult first = all.get(0).get(0).get(30, TimeUnit.SECONDS);
    if (first.status() == 200) {
      assertThat(late).isEqualTo(first);
    } else {
      assertThat(late.status()).isEqualTo(422);
      assertThat(late.body()).contains("IDEMPOTENCY_KEY_REUSED");
    }
    // every copy that did work is on record
    assertThat(count("SELECT count(*) FROM audit_log WHERE who = 'twin'")).isEqualTo(3L * rounds);
  }

  @Test
  void anAuditEntryWithoutAKeyAndAKeyWithoutAnEntryAreKeptAlone() throws Exception {
    ApiResult refused = new ApiResult(409, "application/problem+json", "{\"code\":\"TABLE_NOT_OPEN\"}");
    assertThat(ledger.keep(entry("alone", "a-1", 409), null, refused).toCompletableFuture().get(10, TimeUnit.SECONDS))
        .isEqualTo(refused);
    assertThat(count("SELECT count(*) FROM audit_log WHERE who = 'alone' AND status = 409 AND code = 'SOMETHING'"))
        .isEqualTo(1);
    assertThat(ledger.keep(null, key("alone-key", "{}"), answer("{}")).toCompletableFuture().get(10, TimeUnit.SECONDS).body())
        .isEqualTo("{}");
    assertThat(ledger.lookup(key("alone-key", "{}")).toCompletableFuture().get(10, TimeUnit.SECONDS))
        .isInstanceOf(IdempotencyStore.Replay.class);
    assertThat(ledger.lookup(key("never-used", "{}")).toCompletableFuture().get(10, TimeUnit.SECONDS))
        .isInstanceOf(IdempotencyStore.Fresh.class);
  }

  @Test
  void manyLookupsAtOnceEachFindWhatIsKeptUnderTheirOwnKey() throws Exception {
    // kept first: every third key answered, and under every ninth the body differs from what is asked below
    int keys = 1_500;
    List<CompletableFuture<ApiResult>> kept = new ArrayList<>();
    for (int i = 0; i < keys; i += 3) {
      String body = i % 9 == 0 ? "{\"other\":" + i + "}" : "{\"n\":" + i + "}";
      kept.add(ledger.keep(null, key("look-" + i, body), answer("{\"answer\":" + i + "}")).toCompletableFuture());
    }
    for (CompletableFuture<ApiResult> k : kept) k.get(30, TimeUnit.SECONDS);

    // then all asked about at once, each twice, racing each other on the blocking pool
    List<CompletableFuture<IdempotencyStore.Claim>> found = new ArrayList<>();
    for (int i = 0; i < 2 * keys; i++) {
      int n = i % keys;
      found.add(ledger.lookup(key("look-" + n, "{\"n\":" + n + "}")).toCompletableFuture());
    }
    for (int i = 0; i < 2 * keys; i++) {
      int n = i % keys;
      IdempotencyStore.Claim claim = found.get(i).get(30, TimeUnit.SECONDS);
      if (n % 9 == 0) {
        assertThat(claim).as("key %d", n).isInstanceOf(IdempotencyStore.Reused.class);
      } else if (n % 3 == 0) {
        assertThat(claim).as("key %d", n)
            .isEqualTo(new IdempotencyStore.Replay(answer("{\"answer\":" + n + "}")));
      } else {
        assertThat(claim).as("key %d", n).isInstanceOf(IdempotencyStore.Fresh.class);
      }
    }
  }

  static long count(String sql) throws Exception {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
