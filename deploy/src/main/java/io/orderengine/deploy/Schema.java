package io.orderengine.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates every table the node stores into; each script is idempotent, so this runs at every start. */
public final class Schema {
  private static final Logger log = LoggerFactory.getLogger(Schema.class);
  static final List<String> SCRIPTS = List.of("db/journal.sql", "db/http-api.sql", "db/kitchen.sql", "db/reports.sql", "db/print.sql");

  private Schema() {}

  public static void create(DataSource dataSource) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        // One node at a time: several nodes starting together must not race on CREATE.
        s.execute("SELECT pg_advisory_xact_lock(424242)");
        for (String script : SCRIPTS) {
          for (String statement : statements(read(script))) s.execute(statement);
        }
      }
      c.commit();
    }
    log.info("schema ready ({})", String.join(", ", SCRIPTS));
  }

  static List<String> statements(String sql) {
    StringBuilder withoutComments = new StringBuilder();
    for (String line : sql.split("\n")) {
      if (!line.strip().startsWith("--")) withoutComments.append(line).append('\n');
    }
    return java.util.Arrays.stream(withoutComments.toString().split(";"))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .toList();
  }

  private static String read(String resource) {
    try (InputStream in = Schema.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException("schema script " + resource + " is missing from the jar");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + resource, e);
    }
  }
}
