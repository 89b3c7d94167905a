package io.orderengine.projections;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import javax.sql.DataSource;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.javadsl.ProjectionManagement;

/**
 * Rebuilds a projection from the journal: every instance is paused, its tables emptied, its
 * offsets cleared, and it resumes from the first event. The journal is the truth; the tables follow.
 */
public final class Rebuild {
  /** The tables each projection owns. */
  static final Map<String, List<String>> TABLES = Map.of(
      SalesProjection.NAME, List.of("report_bill_lines", "report_payments", "report_refunds", "report_bills"),
      KitchenProjection.NAME, List.of("kitchen_ticket_lines", "kitchen_order_moves"),
      MemberProjection.NAME, List.of("report_member_movements", "report_members"));

  private final ActorSystem<?> system;
  private final DataSource dataSource;
  private final Executor blocking;

  public Rebuild(ActorSystem<?> system, DataSource dataSource, Executor blocking) {
    this.system = system;
    this.dataSource = dataSource;
    this.blocking = blocking;
  }

  public static boolean known(String name) {
    return TABLES.containsKey(name);
  }

  public CompletionStage<Done> rebuild(String name) {
    List<ProjectionId> ids = new ArrayList<>();
    for (int i = 0; i < Projections.names().size(); i++) {
      if (Projections.names().get(i).equals(name)) ids.add(ProjectionId.of(name, Projections.tags().get(i)));
    }
    ProjectionManagement management = ProjectionManagement.get(system);
    return all(ids, management::pause)
        .thenCompose(paused -> CompletableFuture.runAsync(() -> truncate(TABLES.get(name)), blocking))
        .thenCompose(emptied -> all(ids, management::clearOffset))
        .thenCompose(cleared -> all(ids, management::resume));
  }

  private static CompletionStage<Done> all(List<ProjectionId> ids,
      java.util.function.Function<ProjectionId, CompletionStage<Done>> step) {
    CompletableFuture<?>[] steps = ids.stream().map(id -> step.apply(id).toCompletableFuture()).toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(steps).thenApply(v -> Done.getInstance());
  }

  private void truncate(List<String> tables) {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.execute("TRUNCATE " + String.join(", ", tables));
    } catch (SQLException e) {
      throw new IllegalStateException("cannot empty " + tables, e);
    }
  }
}
