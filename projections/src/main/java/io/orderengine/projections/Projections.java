package io.orderengine.projections;

import io.orderengine.engine.bill.Bill;
import io.orderengine.engine.table.Table;
import io.orderengine.projections.printing.ReceiptPrintProjection;
import io.orderengine.projections.printing.TicketPrintProjection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.ShardedDaemonProcessSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.apache.pekko.projection.ProjectionBehavior;

/**
 * Starts every projection of the read side: one instance per tag, spread over the cluster as a
 * sharded daemon process, so each tag is projected by exactly one node at a time.
 */
public final class Projections {
  public static final String READ_JOURNAL = "jdbc-read-journal";

  private Projections() {}

  /** Every (projection, tag) pair that runs, in the same order, for lag reports. */
  public static List<String> names() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < Table.TAG_COUNT; i++) names.add(KitchenProjection.NAME);
    for (int i = 0; i < Bill.TAG_COUNT; i++) names.add(SalesProjection.NAME);
    names.add(MemberProjection.NAME);
    return names;
  }

  public static List<String> tags() {
    List<String> tags = new ArrayList<>(tagsOf(Table.TAG_PREFIX, Table.TAG_COUNT));
    tags.addAll(tagsOf(Bill.TAG_PREFIX, Bill.TAG_COUNT));
    tags.add(io.orderengine.engine.member.Member.TAG);
    return tags;
  }

  /** {@code prefix0} to {@code prefix<count-1>}: an entity type's tags. */
  private static List<String> tagsOf(String prefix, int count) {
    List<String> tags = new ArrayList<>(count);
    for (int i = 0; i < count; i++) tags.add(prefix + i);
    return tags;
  }

  /**
   * The tags are the entity types' few global slices, not one per venue: a projection instance per
   * venue and slice would be thousands of instances polling the journal for a thousand venues. Each
   * row names its venue instead (projections/README.md, "Venues").
   */
  public static void start(ActorSystem<?> system, DataSource dataSource, BusinessDays businessDays) throws Exception {
    start(system, dataSource, businessDays, null);
  }

  /** {@code printing} null: no print jobs are made (a node that prints nothing). */
  public static void start(ActorSystem<?> system, DataSource dataSource, BusinessDays businessDays,
      io.orderengine.projections.printing.PrintSetup printing) throws Exception {
    org.apache.pekko.projection.jdbc.javadsl.JdbcProjection
        .createTablesIfNotExists(() -> new PooledJdbcSession(dataSource), system)
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
    perTag(system, KitchenProjection.NAME, tagsOf(Table.TAG_PREFIX, Table.TAG_COUNT),
        tag -> KitchenProjection.create(system, dataSource, tag));
    perTag(system, SalesProjection.NAME, tagsOf(Bill.TAG_PREFIX, Bill.TAG_COUNT),
        tag -> SalesProjection.create(system, dataSource, tag, businessDays));
    perTag(system, MemberProjection.NAME, List.of(io.orderengine.engine.member.Member.TAG),
        tag -> MemberProjection.create(system, dataSource));
    if (printing != null) {
      // print jobs: exactly once, like a report table, so an event never makes two jobs nor none
      perTag(system, TicketPrintProjection.NAME, tagsOf(Table.TAG_PREFIX, Table.TAG_COUNT),
          tag -> Grouped.projection(system, org.apache.pekko.projection.ProjectionId.of(TicketPrintProjection.NAME, tag),
              org.apache.pekko.projection.eventsourced.javadsl.EventSourcedProvider.<Table.Event>eventsByTag(system, READ_JOURNAL, tag),
              () -> new PooledJdbcSession(dataSource), () -> new TicketPrintProjection(printing)));
      perTag(system, ReceiptPrintProjection.NAME, tagsOf(Bill.TAG_PREFIX, Bill.TAG_COUNT),
          tag -> Grouped.projection(system, org.apache.pekko.projection.ProjectionId.of(ReceiptPrintProjection.NAME, tag),
              org.apache.pekko.projection.eventsourced.javadsl.EventSourcedProvider.<Bill.Event>eventsByTag(system, READ_JOURNAL, tag),
              () -> new PooledJdbcSession(dataSource), () -> new ReceiptPrintProjection(printing)));
    }
  }

  /** One instance of projection {@code name} per tag, each running on exactly one node of the cluster. */
  private static void perTag(ActorSystem<?> system, String name, List<String> tags,
      java.util.function.Function<String, org.apache.pekko.projection.Projection<?>> projection) {
    ShardedDaemonProcess.get(system).init(
        ProjectionBehavior.Command.class,
        name,
        tags.size(),
        i -> ProjectionBehavior.create(projection.apply(tags.get(i))),
        ShardedDaemonProcessSettings.create(system),
        Optional.of(ProjectionBehavior.stopMessage()));
  }
}
