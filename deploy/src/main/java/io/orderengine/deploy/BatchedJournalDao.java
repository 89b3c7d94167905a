package io.orderengine.deploy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.persistence.jdbc.config.EventJournalTableColumnNames;
import org.apache.pekko.persistence.jdbc.config.EventTagTableColumnNames;
import org.apache.pekko.persistence.jdbc.config.JournalConfig;
import org.apache.pekko.persistence.jdbc.journal.dao.DefaultJournalDao;
import org.apache.pekko.persistence.jdbc.journal.dao.JournalTables;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.stream.Materializer;
import scala.Option;
import scala.Tuple2;
import scala.collection.immutable.Seq;
import scala.collection.immutable.Set;
import scala.concurrent.ExecutionContext;
import scala.concurrent.Future;
import scala.runtime.BoxedUnit;
import slick.dbio.DBIOAction;
import slick.jdbc.JdbcBackend;
import slick.jdbc.JdbcProfile;
import slick.jdbc.SimpleJdbcAction;

/**
 * pekko-persistence-jdbc's journal, writing a batch of tagged events in two statements.
 *
 * <p>The plugin's own write path for tagged events inserts each row on its own (Slick's
 * {@code insertAndReturn ++=} runs one statement per row to learn each row's {@code ordering}) and
 * then the tags; every event of this engine is tagged, so a batch of 200 events cost 400 round
 * trips. Here a batch is two statements in one transaction: the events as arrays, one per column,
 * {@code INSERT ... SELECT * FROM unnest(...) RETURNING ordering}, then the tags the same way. The
 * statements' text never changes with the batch size, so PostgreSQL parses and plans each once per
 * connection. Reads, deletes and
 * the batching queue in front of the writes stay the plugin's. Enabled by {@code jdbc-journal.dao}
 * in persistence.conf; the schema is the plugin's (db/journal.sql).
 */
public final class BatchedJournalDao extends DefaultJournalDao {
  private final String insertEvents;
  private final String insertTags;

  public BatchedJournalDao(JdbcBackend.JdbcDatabaseDef db, JdbcProfile profile, JournalConfig journalConfig,
      Serialization serialization, ExecutionContext ec, Materializer mat) {
    super(db, profile, journalConfig, serialization, ec, mat);
    var events = journalConfig.eventJournalTableConfiguration();
    EventJournalTableColumnNames c = events.columnNames();
    this.insertEvents = "INSERT INTO " + qualified(events.schemaName(), events.tableName()) + " ("
        + String.join(", ", c.persistenceId(), c.sequenceNumber(), c.deleted(), c.writer(), c.writeTimestamp(),
            c.adapterManifest(), c.eventSerId(), c.eventSerManifest(), c.eventPayload(), c.metaSerId(),
            c.metaSerManifest(), c.metaPayload())
        + ") SELECT * FROM unnest(?::varchar[], ?::int8[], ?::bool[], ?::varchar[], ?::int8[], ?::varchar[],"
        + " ?::int4[], ?::varchar[], ?::bytea[], ?::int4[], ?::varchar[], ?::bytea[])"
        + " RETURNING " + c.ordering() + ", " + c.persistenceId() + ", " + c.sequenceNumber();
    var tags = journalConfig.eventTagTableConfiguration();
    EventTagTableColumnNames t = tags.columnNames();
    this.insertTags = "INSERT INTO " + qualified(tags.schemaName(), tags.tableName()) + " (" + t.eventId() + ", "
        + t.tag() + ") SELECT * FROM unnest(?::int8[], ?::varchar[])";
  }

  private static String qualified(Option<String> schema, String table) {
    return schema.isDefined() ? schema.get() + "." + table : table;
  }

  @Override
  public Future<BoxedUnit> writeJournalRows(Seq<Tuple2<JournalTables.JournalPekkoSerializationRow, Set<String>>> xs) {
    // as the plugin does: by sequence number (a stable sort), so that each entity's events get their
    // journal ordering in the order of their sequence numbers
    List<Tuple2<JournalTables.JournalPekkoSerializationRow, Set<String>>> sorted = new ArrayList<>(xs.size());
    xs.iterator().foreach(sorted::add);
    sorted.sort(java.util.Comparator.comparingLong(r -> r._1().sequenceNumber()));
    List<JournalTables.JournalPekkoSerializationRow> rows = new ArrayList<>(sorted.size());
    List<Set<String>> tags = new ArrayList<>(sorted.size());
    for (var row : sorted) {
      rows.add(row._1());
      tags.add(row._2());
    }
    SimpleJdbcAction<BoxedUnit> action = SimpleJdbcAction.apply(ctx -> {
      write(ctx.connection(), rows, tags);
      return BoxedUnit.UNIT;
    });
    // Slick's run takes DBIOAction[R, NoStream, Nothing]: covariance in the effect that Java cannot say.
    @SuppressWarnings({"unchecked", "rawtypes"})
    Future<BoxedUnit> done = db().run((DBIOAction) action);
    return done;
  }

  private void write(Connection connection, List<JournalTables.JournalPekkoSerializationRow> rows,
      List<Set<String>> tags) {
    try {
      boolean autoCommit = connection.getAutoCommit();
      connection.setAutoCommit(false);
      try {
        insert(connection, rows, tags);
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("writing " + rows.size() + " journal rows failed: " + e.getMessage(), e);
    }
  }

  private void insert(Connection connection, List<JournalTables.JournalPekkoSerializationRow> rows,
      List<Set<String>> tags) throws SQLException {
    int n = rows.size();
    String[] persistenceIds = new String[n];
    Long[] sequenceNumbers = new Long[n];
    Boolean[] deleted = new Boolean[n];
    String[] writers = new String[n];
    Long[] timestamps = new Long[n];
    String[] adapterManifests = new String[n];
    Integer[] serIds = new Integer[n];
    String[] serManifests = new String[n];
    byte[][] payloads = new byte[n][];
    Integer[] metaSerIds = new Integer[n];
    String[] metaSerManifests = new String[n];
    byte[][] metaPayloads = new byte[n][];
    for (int i = 0; i < n; i++) {
      var r = rows.get(i);
      persistenceIds[i] = r.persistenceId();
      sequenceNumbers[i] = r.sequenceNumber();
      deleted[i] = r.deleted();
      writers[i] = r.writer();
      timestamps[i] = r.writeTimestamp();
      adapterManifests[i] = r.adapterManifest();
      serIds[i] = r.eventSerId();
      serManifests[i] = r.eventSerManifest();
      payloads[i] = r.eventPayload();
      metaSerIds[i] = r.metaSerId().isDefined() ? (Integer) r.metaSerId().get() : null;
      metaSerManifests[i] = r.metaSerManifest().isDefined() ? r.metaSerManifest().get() : null;
      metaPayloads[i] = r.metaPayload().isDefined() ? r.metaPayload().get() : null;
    }
    Map<String, Long> orderingOf = new HashMap<>(n * 2);
    try (PreparedStatement ps = connection.prepareStatement(insertEvents)) {
      ps.setArray(1, connection.createArrayOf("varchar", persistenceIds));
      ps.setArray(2, connection.createArrayOf("int8", sequenceNumbers));
      ps.setArray(3, connection.createArrayOf("bool", deleted));
      ps.setArray(4, connection.createArrayOf("varchar", writers));
      ps.setArray(5, connection.createArrayOf("int8", timestamps));
      ps.setArray(6, connection.createArrayOf("varchar", adapterManifests));
      ps.setArray(7, connection.createArrayOf("int4", serIds));
      ps.setArray(8, connection.createArrayOf("varchar", serManifests));
      ps.setArray(9, connection.createArrayOf("bytea", payloads));
      ps.setArray(10, connection.createArrayOf("int4", metaSerIds));
      ps.setArray(11, connection.createArrayOf("varchar", metaSerManifests));
      ps.setArray(12, connection.createArrayOf("bytea", metaPayloads));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) orderingOf.put(key(rs.getString(2), rs.getLong(3)), rs.getLong(1));
      }
    }
    List<Long> tagEvents = new ArrayList<>(n);
    List<String> tagNames = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      var r = rows.get(i);
      Long ordering = orderingOf.get(key(r.persistenceId(), r.sequenceNumber()));
      if (ordering == null) {
        throw new IllegalStateException("no ordering came back for " + r.persistenceId() + "#" + r.sequenceNumber());
      }
      var t = tags.get(i).iterator();
      while (t.hasNext()) {
        tagEvents.add(ordering);
        tagNames.add(t.next());
      }
    }
    if (tagEvents.isEmpty()) return;
    try (PreparedStatement ps = connection.prepareStatement(insertTags)) {
      ps.setArray(1, connection.createArrayOf("int8", tagEvents.toArray(Long[]::new)));
      ps.setArray(2, connection.createArrayOf("varchar", tagNames.toArray(String[]::new)));
      ps.executeUpdate();
    }
  }

  private static String key(String persistenceId, long sequenceNumber) {
    return persistenceId + '\u0000' + sequenceNumber;
  }
}
