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
    for (int i = 0; i < Bill.TAG_COUNT; i++) names.add(SalesProjection.NAME);
    names.add(MemberProjection.NAME);
    return names;
  }

  public static List<String> tags() {
    List<String> tags = new ArrayList<>();
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
    List<String> billTags = new ArrayList<>();
    for (int i = 0; i < Bill.TAG_COUNT; i++) billTags.add(Bill.TAG_PREFIX + i);
    perTag(system, KitchenProjection.NAME, tableTags, tag -> KitchenProjection.create(system, dataSource, tag));
    perTag(system, SalesProjection.NAME, billTags, tag -> SalesProjection.create(system, dataSource, tag, businessDay));
    perTag(system, MemberProjection.NAME, List.of(io.orderengine.engine.member.Member.TAG),
        tag -> MemberProjection.create(system, dataSource));
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
