package io.orderengine.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The database's own limits, measured on the database the node uses, in the same run: how many
 * single-row transactions it commits a second at 16 connections (the ceiling of every design that
 * commits once per write), and how many rows a second it inserts in batches (the physical insert
 * limit). Rows have the journal's shape and size. Prints one JSON line.
 *
 * <p>Arguments: jdbcUrl user password secondsPerMeasure payloadBytes
 */
public final class RawPostgres {
  private static final String TABLE = "bench_raw_journal";

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String user = args[1];
    String password = args.length > 2 ? args[2] : "";
    int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 10;
    int payloadBytes = args.length > 4 ? Integer.parseInt(args[4]) : 300;
    RawPostgres raw = new RawPostgres(url, user, password, payloadBytes);
    raw.create();
    try {
      raw.warmUp();
      double commits = raw.singleRowCommits(16, seconds);
      Map<Integer, Double> batched = new LinkedHashMap<>();
      for (int connections : new int[] {1, 4, 16}) batched.put(connections, raw.batchedRows(connections, 500, seconds));
      double best = batched.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
      StringBuilder json = new StringBuilder();
      json.append("{\"rawCommitsPerSec\":").append(Math.round(commits))
          .append(",\"rawBatchedRowsPerSec\":").append(Math.round(best))
          .append(",\"rawBatchedByConnections\":{");
      batched.forEach((c, v) -> json.append('"').append(c).append("\":").append(Math.round(v)).append(','));
      json.setLength(json.length() - 1);
      json.append("},\"rawPayloadBytes\":").append(payloadBytes).append('}');
      System.out.println(json);
    } finally {
      raw.drop();
    }
  }

  private final String url;
  private final String user;
  private final String password;
  private final byte[] payload;

  private RawPostgres(String url, String user, String password, int payloadBytes) {
    this.url = url;
    this.user = user;
    this.password = password;
    this.payload = new byte[payloadBytes];
    ThreadLocalRandom.current().nextBytes(payload);
  }

  private Connection connect() throws SQLException {
    // pgjdbc folds a JDBC batch into multi-row INSERTs with this flag, as the journal's batching does
    String sep = url.contains("?") ? "&" : "?";
    return DriverManager.getConnection(url + sep + "reWriteBatchedInserts=true", user, password);
  }

  /** The journal's table, columns, keys and indexes, under another name. */
  private void create() throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + TABLE);
      s.execute("CREATE TABLE " + TABLE + " (ordering BIGSERIAL, persistence_id VARCHAR(255) NOT NULL, "
          + "sequence_number BIGINT NOT NULL, deleted BOOLEAN DEFAULT FALSE NOT NULL, writer VARCHAR(255) NOT NULL, "
          + "write_timestamp BIGINT, adapter_manifest VARCHAR(255), event_ser_id INTEGER NOT NULL, "
          + "event_ser_manifest VARCHAR(255) NOT NULL, event_payload BYTEA NOT NULL, meta_ser_id INTEGER, "
          + "meta_ser_manifest VARCHAR(255), meta_payload BYTEA, PRIMARY KEY (persistence_id, sequence_number))");
      s.execute("CREATE UNIQUE INDEX " + TABLE + "_ordering_idx ON " + TABLE + " (ordering)");
    }
  }

  private void drop() throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + TABLE);
    }
  }

  private void warmUp() throws Exception {
    singleRowCommits(4, 1);
    batchedRows(1, 500, 1);
  }

  private static final String INSERT = "INSERT INTO " + TABLE + " (persistence_id, sequence_number, writer, "
      + "write_timestamp, adapter_manifest, event_ser_id, event_ser_manifest, event_payload) VALUES (?,?,?,?,?,?,?,?)";

  private void bind(PreparedStatement ps, String persistenceId, long seq) throws SQLException {
    ps.setString(1, persistenceId);
    ps.setLong(2, seq);
    ps.setString(3, "bench-writer-0000-0000-0000-000000000000");
    ps.setLong(4, System.currentTimeMillis());
    ps.setString(5, "");
    ps.setInt(6, 33);
    ps.setString(7, "io.orderengine.engine.table.Table$LinesAdded");
    ps.setBytes(8, payload);
  }

  /** One row per transaction, autocommit, on {@code connections} connections for {@code seconds}. */
  private double singleRowCommits(int connections, int seconds) throws Exception {
    return run(connections, seconds, (c, worker, stop) -> {
      long rows = 0;
      try (PreparedStatement ps = c.prepareStatement(INSERT)) {
        String pid = "Commit|" + worker + "-" + System.nanoTime();
        while (!stop.get()) {
          bind(ps, pid, ++rows);
          ps.executeUpdate();
        }
      }
      return rows;
    });
  }

  /** Batches of {@code batch} rows, one transaction each, on {@code connections} connections. */
  private double batchedRows(int connections, int batch, int seconds) throws Exception {
    return run(connections, seconds, (c, worker, stop) -> {
      long rows = 0;
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(INSERT)) {
        while (!stop.get()) {
          for (int i = 0; i < batch; i++) {
            // a batch spreads over many entities, as the journal's does
            bind(ps, "Batch|" + worker + "-" + (rows + i) % 1000 + "-" + System.nanoTime(), rows + i);
            ps.addBatch();
          }
          ps.executeBatch();
          c.commit();
          rows += batch;
        }
      }
      return rows;
    });
  }

  interface Work {
    long run(Connection c, int worker, AtomicBoolean stop) throws Exception;
  }

  private double run(int connections, int seconds, Work work) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(connections);
    AtomicBoolean stop = new AtomicBoolean();
    List<Future<Long>> done = new ArrayList<>();
    List<Connection> open = new ArrayList<>();
    for (int i = 0; i < connections; i++) open.add(connect());
    long start = System.nanoTime();
    for (int i = 0; i < connections; i++) {
      int worker = i;
      Connection c = open.get(i);
      done.add(pool.submit(() -> work.run(c, worker, stop)));
    }
    Thread.sleep(seconds * 1000L);
    stop.set(true);
    long rows = 0;
    for (Future<Long> f : done) rows += f.get();
    double elapsed = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    for (Connection c : open) c.close();
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("TRUNCATE " + TABLE);
    }
    return rows / elapsed;
  }
}
