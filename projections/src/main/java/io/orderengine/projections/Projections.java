package io.orderengine.projections;

import io.orderengine.engine.bill.Bill;
import io.orderengine.engine.table.Table;
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
    for (int i = 0; i < Table.TAG_COUNT; i++) names.add(FloorProjection.NAME);
    for (int i = 0; i < Bill.TAG_COUNT; i++) names.add(SalesProjection.NAME);
    names.add(MemberProjection.NAME);
    return names;
  }

  public static List<String> tags() {
    List<String> tags = new ArrayList<>();
    for (int i = 0; i < Table.TAG_COUNT; i++) tags.add(Table.TAG_PREFIX + i);
    for (int i = 0; i < Table.TAG_COUNT; i++) tags.add(Table.TAG_PREFIX + i);
    for (int i = 0; i < Bill.TAG_COUNT; i++) tags.add(Bill.TAG_PREFIX + i);
    tags.add(io.orderengine.engine.member.Member.TAG);
    return tags;
  }

  public static void start(ActorSystem<?> system, DataSource dataSource, BusinessDay businessDay) throws Exception {
    org.apache.pekko.projection.jdbc.javadsl.JdbcProjection
        .createTablesIfNotExists(() -> new PooledJdbcSession(dataSource), system)
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
    List<String> tableTags = new ArrayList<>();
    for (int i = 0; i < Table.TAG_COUNT; i++) tableTags.add(Table.TAG_PREFIX + i);
    ShardedDaemonProcess.get(system).init(
        ProjectionBehavior.Command.class,
        KitchenProjection.NAME,
        tableTags.size(),
        i -> ProjectionBehavior.create(KitchenProjection.create(system, dataSource, tableTags.get(i))),
        ShardedDaemonProcessSettings.create(system),
        Optional.of(ProjectionBehavior.stopMessage()));
    ShardedDaemonProcess.get(system).init(
        ProjectionBehavior.Command.class,
        FloorProjection.NAME,
        tableTags.size(),
        i -> ProjectionBehavior.create(FloorProjection.create(system, dataSource, tableTags.get(i))),
        ShardedDaemonProcessSettings.create(system),
        Optional.of(ProjectionBehavior.stopMessage()));
    List<String> billTags = new ArrayList<>();
    for (int i = 0; i < Bill.TAG_COUNT; i++) billTags.add(Bill.TAG_PREFIX + i);
    ShardedDaemonProcess.get(system).init(
        ProjectionBehavior.Command.class,
        SalesProjection.NAME,
        billTags.size(),
        i -> ProjectionBehavior.create(SalesProjection.create(system, dataSource, billTags.get(i), businessDay)),
        ShardedDaemonProcessSettings.create(system),
        Optional.of(ProjectionBehavior.stopMessage()));
    runOnce(system, MemberProjection.NAME, () -> MemberProjection.create(system, dataSource));
  }

  /** A projection of a single tag: one instance in the whole cluster. */
  private static void runOnce(ActorSystem<?> system, String name,
      java.util.function.Supplier<org.apache.pekko.projection.Projection<?>> projection) {
    ShardedDaemonProcess.get(system).init(
        ProjectionBehavior.Command.class,
        name,
        1,
        i -> ProjectionBehavior.create(projection.get()),
        ShardedDaemonProcessSettings.create(system),
        Optional.of(ProjectionBehavior.stopMessage()));
  }
}
