package io.orderengine.projections;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;

/**
 * A real PostgreSQL (the embedded one the node runs on) with the read side's DDL, and the one
 * seam every projection has: its {@code JdbcHandler}, given envelopes of real engine events in a
 * transaction that commits, as the exactly-once projection does with each group.
 */
final class ReportDatabase implements AutoCloseable {
  private final EmbeddedPostgres postgres;
  private long offset;

  private ReportDatabase(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /** The read side's DDL as the node runs it at every start. */
  static final List<String> SCRIPTS = List.of("db/kitchen.sql", "db/reports.sql", "db/print.sql");

  static ReportDatabase start() throws Exception {
    return startWith(SCRIPTS);
  }

  /** A database with the tables of {@code scripts}: an older release's, say. */
  static ReportDatabase startWith(List<String> scripts) throws Exception {
    ReportDatabase db = new ReportDatabase(EmbeddedPostgres.builder().start());
    db.apply(db.dataSource(), scripts);
    return db;
  }

  DataSource dataSource() {
    return postgres.getPostgresDatabase();
  }

  /** Another, empty database on the same server. */
  DataSource newDatabase(String name) throws SQLException {
    try (Connection c = dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return postgres.getDatabase("postgres", name);
  }

  /** Runs {@code scripts} (class path resources) statement by statement, as the node's schema does. */
  void apply(DataSource database, List<String> scripts) throws SQLException, IOException {
    try (Connection c = database.getConnection(); Statement s = c.createStatement()) {
      for (String script : scripts) {
        for (String statement : statements(read(script))) s.execute(statement);
      }
    }
  }

  /** Every report table emptied, between tests. */
  void empty() throws SQLException {
    try (Connection c = dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("TRUNCATE report_bills, report_bill_lines, report_payments, report_refunds, report_members, "
          + "report_member_movements, kitchen_ticket_lines, kitchen_order_moves, print_jobs, print_printer_states, print_ticket_lines");
    }
  }

  /** The events as one group: handled in order in one transaction, then committed. */
  @SafeVarargs
  final <E> void handle(JdbcHandler<EventEnvelope<E>, PooledJdbcSession> handler, String persistenceId, E... events)
      throws Exception {
    List<EventEnvelope<E>> envelopes = new ArrayList<>();
    for (E event : events) envelopes.add(envelope(persistenceId, event));
    handle(handler, envelopes);
  }

  <E> void handle(JdbcHandler<EventEnvelope<E>, PooledJdbcSession> handler, List<EventEnvelope<E>> envelopes)
      throws Exception {
    PooledJdbcSession session = new PooledJdbcSession(dataSource());
    try {
      for (EventEnvelope<E> envelope : envelopes) handler.process(session, envelope);
      session.commit();
    } catch (Exception e) {
      session.rollback();
      throw e;
    } finally {
      session.close();
    }
  }

  /** An envelope as the journal hands it out: the next offset, the entity's sequence number. */
  <E> EventEnvelope<E> envelope(String persistenceId, E event) {
    offset++;
    return EventEnvelope.create(Offset.sequence(offset), persistenceId, offset, event, System.currentTimeMillis());
  }

  /** Each row as column → value, in the order of {@code sql}. */
  List<Map<String, Object>> rows(String sql, Object... params) throws SQLException {
    return rows(dataSource(), sql, params);
  }

  static List<Map<String, Object>> rows(DataSource database, String sql, Object... params) throws SQLException {
    List<Map<String, Object>> rows = new ArrayList<>();
    try (Connection c = database.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
          rows.add(row);
        }
      }
    }
    return rows;
  }

  void execute(String sql) throws SQLException {
    try (Connection c = dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  Map<String, Object> row(String sql, Object... params) throws SQLException {
    List<Map<String, Object>> rows = rows(sql, params);
    if (rows.size() != 1) throw new AssertionError("expected one row of " + sql + ", got " + rows);
    return rows.get(0);
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }

  private static List<String> statements(String sql) {
    StringBuilder withoutComments = new StringBuilder();
    for (String line : sql.split("\n")) {
      if (!line.strip().startsWith("--")) withoutComments.append(line).append('\n');
    }
    return java.util.Arrays.stream(withoutComments.toString().split(";")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  private static String read(String resource) throws IOException {
    try (InputStream in = ReportDatabase.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException("no " + resource + " on the class path");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
