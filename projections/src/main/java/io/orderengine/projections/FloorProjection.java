package io.orderengine.projections;

import io.orderengine.engine.table.Table;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.projection.Projection;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.eventsourced.javadsl.EventSourcedProvider;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;
import org.apache.pekko.projection.jdbc.javadsl.JdbcProjection;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;

/**
 * Every table's state into {@code floor_tables}, folded from its events by the table's own pure
 * core ({@link Table.State#apply}), so the row is exactly what the table would answer. A group
 * of events is folded in memory and each table touched is written once, with the projection's
 * offset, in one transaction; the states of the tables folded lately stay in memory for the next.
 */
public final class FloorProjection extends JdbcHandler<List<EventEnvelope<Table.Event>>, PooledJdbcSession> {
  public static final String NAME = "floor";

  /** States kept between groups, per instance (one tag), the least recently folded leaving first. */
  static final int KEPT_STATES = 1_000;

  private final Serialization serialization;
  /**
   * The states of the tables folded lately, so that a busy table is not read back and deserialized
   * for every group. Safe across a group that fails to commit: a state here is a pure function of its
   * table's events up to {@code seqNr}, events already folded are skipped, and the retry writes the
   * same state again.
   */
  private final Map<String, Folded> kept = new LinkedHashMap<>(KEPT_STATES * 2, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Folded> eldest) {
      return size() > KEPT_STATES;
    }
  };

  private FloorProjection(Serialization serialization) {
    this.serialization = serialization;
  }

  public static Projection<EventEnvelope<Table.Event>> create(ActorSystem<?> system, DataSource dataSource, String tag) {
    Serialization serialization = SerializationExtension.get(Adapter.toClassic(system));
    return JdbcProjection.groupedWithin(ProjectionId.of(NAME, tag),
            EventSourcedProvider.<Table.Event>eventsByTag(system, Projections.READ_JOURNAL, tag),
            () -> new PooledJdbcSession(dataSource), () -> new FloorProjection(serialization), system)
        .withGroup(Grouped.GROUP_SIZE, Grouped.GROUP_WITHIN);
  }

  /** A table's state and the last of its events folded into it. */
  record Folded(long seqNr, Table.State state) {}

  @Override
  public void process(PooledJdbcSession session, List<EventEnvelope<Table.Event>> envelopes) throws Exception {
    session.withConnection(c -> {
      Map<String, Folded> tables = new LinkedHashMap<>();
      java.util.Set<String> unknown = new java.util.LinkedHashSet<>();
      for (EventEnvelope<Table.Event> envelope : envelopes) {
        String tableId = tableIdOf(envelope.persistenceId());
        if (tables.containsKey(tableId)) continue;
        Folded known = kept.get(tableId);
        if (known != null) tables.put(tableId, known);
        else unknown.add(tableId);
      }
      tables.putAll(load(c, unknown));
      Map<String, Folded> changed = new LinkedHashMap<>();
      for (EventEnvelope<Table.Event> envelope : envelopes) {
        String tableId = tableIdOf(envelope.persistenceId());
        Folded before = tables.getOrDefault(tableId, new Folded(0, Table.State.free(tableId)));
        if (envelope.sequenceNr() <= before.seqNr()) continue; // folded already (a replayed group)
        Folded after = new Folded(envelope.sequenceNr(), before.state().apply(envelope.event()));
        tables.put(tableId, after);
        changed.put(tableId, after);
      }
      store(c, changed);
      kept.putAll(changed);
      return null;
    });
  }

  /** {@code Table|T12} is table {@code T12}. */
  static String tableIdOf(String persistenceId) {
    return persistenceId.substring(persistenceId.indexOf('|') + 1);
  }

  private Map<String, Folded> load(Connection c, java.util.Collection<String> tableIds) throws java.sql.SQLException {
    Map<String, Folded> found = new LinkedHashMap<>();
    if (tableIds.isEmpty()) return found;
    String[] ids = tableIds.toArray(String[]::new);
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT table_id, seq_nr, serializer_id, manifest, state FROM floor_tables WHERE table_id = ANY(?)")) {
      Array array = c.createArrayOf("text", ids);
      ps.setArray(1, array);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          found.put(rs.getString(1), new Folded(rs.getLong(2), state(serialization, rs.getInt(3), rs.getString(4), rs.getBytes(5))));
        }
      }
    }
    return found;
  }

  private void store(Connection c, Map<String, Folded> changed) throws java.sql.SQLException {
    if (changed.isEmpty()) return;
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO floor_tables (table_id, seq_nr, serializer_id, manifest, state) VALUES (?, ?, ?, ?, ?) "
            + "ON CONFLICT (table_id) DO UPDATE SET seq_nr = EXCLUDED.seq_nr, serializer_id = EXCLUDED.serializer_id, "
            + "manifest = EXCLUDED.manifest, state = EXCLUDED.state")) {
      for (Map.Entry<String, Folded> e : changed.entrySet()) {
        Table.State state = e.getValue().state();
        Serializer serializer = serialization.findSerializerFor(state);
        ps.setString(1, e.getKey());
        ps.setLong(2, e.getValue().seqNr());
        ps.setInt(3, serializer.identifier());
        ps.setString(4, Serializers.manifestFor(serializer, state));
        ps.setBytes(5, serializer.toBinary(state));
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  static Table.State state(Serialization serialization, int serializerId, String manifest, byte[] bytes) {
    return (Table.State) serialization.deserialize(bytes, serializerId, manifest).get();
  }
}
