package io.orderengine.projections;

import io.orderengine.engine.table.Table;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;

/**
 * A venue's tables as the floor plan lists them, without waking a table that has nothing new to
 * say. A table whose every event the read side has folded ({@code floor_tables}, no later event in
 * the journal) is answered from there: the same state the table itself would hold. A table with
 * events the read side has not reached yet, just written to, is asked directly, so the list always
 * shows every acknowledged write. A passivated table, idle for minutes, is thus never recovered
 * only to be listed, and a point-of-sale page resyncing the floor every 30 s keeps no table in memory.
 */
public final class FloorPlan {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(FloorPlan.class);
  /** How the table rows are read, and the journal's last event of each table beside them. */
  private static final String SELECT = "SELECT t.id, f.seq_nr, f.serializer_id, f.manifest, f.state, "
      + "(SELECT max(j.sequence_number) FROM event_journal j WHERE j.persistence_id = ? || t.id) "
      + "FROM unnest(?::text[]) WITH ORDINALITY AS t(id, n) LEFT JOIN floor_tables f ON f.table_id = t.id ORDER BY t.n";

  private final DataSource dataSource;
  private final Executor blocking;
  private final Serialization serialization;

  public FloorPlan(ActorSystem<?> system, DataSource dataSource, Executor blocking) {
    this.dataSource = dataSource;
    this.blocking = blocking;
    this.serialization = SerializationExtension.get(Adapter.toClassic(system));
  }

  /** A table's view, or that the table must be asked: {@code view} null. */
  private record Found(String tableId, Table.View view) {}

  /** The views of {@code tableIds}, in that order; {@code ask} asks a table that has news. */
  public CompletionStage<List<Table.View>> tables(List<String> tableIds,
      Function<String, CompletionStage<Table.View>> ask) {
    return CompletableFuture.supplyAsync(() -> read(tableIds), blocking).thenCompose(found -> {
      List<CompletableFuture<Table.View>> views = new ArrayList<>(found.size());
      for (Found f : found) {
        views.add(f.view() != null ? CompletableFuture.completedFuture(f.view()) : ask.apply(f.tableId()).toCompletableFuture());
      }
      return CompletableFuture.allOf(views.toArray(CompletableFuture[]::new))
          .thenApply(done -> views.stream().map(CompletableFuture::join).toList());
    });
  }

  private List<Found> read(List<String> tableIds) {
    List<Found> found = new ArrayList<>(tableIds.size());
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SELECT)) {
      ps.setString(1, Table.ENTITY_KEY.name() + "|");
      ps.setArray(2, c.createArrayOf("text", tableIds.toArray(String[]::new)));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String tableId = rs.getString(1);
          long folded = rs.getLong(2);
          long written = rs.getLong(6); // 0: the table has no event at all
          if (written == 0) {
            found.add(new Found(tableId, Table.State.free(tableId).view()));
          } else if (folded >= written) {
            found.add(new Found(tableId,
                FloorProjection.state(serialization, rs.getInt(3), rs.getString(4), rs.getBytes(5)).view()));
          } else {
            found.add(new Found(tableId, null));
          }
        }
      }
    } catch (SQLException e) {
      // the read side is out of reach: every table is asked, as a table in memory can still answer
      log.warn("floor plan read side unavailable, asking every table: {}", e.toString());
      return tableIds.stream().map(id -> new Found(id, null)).toList();
    }
    return found;
  }
}
