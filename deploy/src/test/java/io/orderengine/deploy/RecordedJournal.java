package io.orderengine.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.postgresql.PGConnection;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A journal written by an earlier release, kept under {@code src/test/resources/journals/<release>/}
 * (see its README): the journal tables as PostgreSQL COPY text, and the answers that release gave.
 */
final class RecordedJournal {
  static final String JOURNAL_COLUMNS = "ordering, persistence_id, sequence_number, deleted, writer, write_timestamp, "
      + "adapter_manifest, event_ser_id, event_ser_manifest, event_payload, meta_ser_id, meta_ser_manifest, meta_payload";
  static final String SNAPSHOT_COLUMNS = "persistence_id, sequence_number, created, snapshot_ser_id, snapshot_ser_manifest, "
      + "snapshot_payload, meta_ser_id, meta_ser_manifest, meta_payload";

  private final String release;

  RecordedJournal(String release) {
    this.release = release;
  }

  /**
   * Creates the node's schema on the embedded PostgreSQL of {@code dataDir} and copies the journal
   * into it, before any node starts there; the node then finds the data as if it had written it.
   */
  void loadInto(Path dataDir) throws Exception {
    try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir, 0)) {
      PGSimpleDataSource dataSource = new PGSimpleDataSource();
      dataSource.setUrl(db.jdbcUrl());
      dataSource.setUser(db.user());
      Schema.create(dataSource);
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(false);
        var copy = c.unwrap(PGConnection.class).getCopyAPI();
        copy.copyIn("COPY event_journal (" + JOURNAL_COLUMNS + ") FROM STDIN", resource("event_journal.copy"));
        copy.copyIn("COPY event_tag (event_id, tag) FROM STDIN", resource("event_tag.copy"));
        copy.copyIn("COPY snapshot (" + SNAPSHOT_COLUMNS + ") FROM STDIN", resource("snapshot.copy"));
        try (Statement s = c.createStatement()) {
          // the rows came with their ordering: new events must be numbered after them
          s.execute("SELECT setval('event_journal_ordering_seq', (SELECT MAX(ordering) FROM event_journal))");
        }
        c.commit();
      }
    }
  }

  /** The recorded answers: GET path to the body the old release gave. */
  JsonNode answers() throws Exception {
    try (Reader in = resource("answers.json")) {
      return TestNode.JSON.readTree(in);
    }
  }

  private Reader resource(String name) {
    String path = "journals/" + release + "/" + name;
    InputStream in = RecordedJournal.class.getClassLoader().getResourceAsStream(path);
    if (in == null) throw new IllegalStateException("no test resource " + path);
    return new InputStreamReader(in, StandardCharsets.UTF_8);
  }
}
