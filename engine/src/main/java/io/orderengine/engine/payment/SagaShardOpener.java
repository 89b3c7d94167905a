package io.orderengine.engine.payment;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.HashCodeMessageExtractor;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.SelfUp;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * Starts every shard of payment sagas as the cluster comes up, before it is busy. Sharding's
 * coordinator writes each new shard of a remembering entity type to the journal before the shard
 * may start, one shard at a time; on a fresh database those hundred writes used to fall in the
 * first minute of a rush, where each took a few hundred milliseconds and the last payments waited
 * twenty seconds for their saga to start. On a restart the shards are remembered and already up;
 * each opener then costs its shard a start and a stop (two small journal writes).
 */
final class SagaShardOpener {

  /** Entity ids that only bring a shard of sagas up; no payment's id has this shape (ids are [A-Za-z0-9_-]). */
  static final String PREFIX = "~open-shard-";

  private SagaShardOpener() {}

  static boolean isOpener(String entityId) {
    return entityId.startsWith(PREFIX);
  }

  /**
   * The oldest node (it hosts the coordinator) brings the shards up, once it is up: nodes starting
   * together do not all add that work to the cluster's formation.
   */
  static void bringUpEveryShardOnceUp(ActorSystem<?> system, ClusterSharding sharding) {
    system.systemActorOf(Behaviors.<SelfUp>setup(ctx -> {
      Cluster cluster = Cluster.get(ctx.getSystem());
      cluster.subscriptions().tell(Subscribe.create(ctx.getSelf(), SelfUp.class));
      return Behaviors.receive(SelfUp.class).onMessage(SelfUp.class, up -> {
        Member self = cluster.selfMember();
        boolean oldest = StreamSupport.stream(up.currentClusterState().getMembers().spliterator(), false)
            .filter(m -> m.status() == MemberStatus.up()).noneMatch(m -> m.isOlderThan(self));
        if (oldest) bringUpEveryShard(ctx.getSystem(), sharding);
        return Behaviors.stopped();
      }).build();
    }), "payment-shard-opener", Props.empty());
  }

  private static void bringUpEveryShard(ActorSystem<?> system, ClusterSharding sharding) {
    int shards = system.settings().config().getInt("pekko.cluster.sharding.number-of-shards");
    HashCodeMessageExtractor<PaymentSaga.Command> extractor = new HashCodeMessageExtractor<>(shards);
    Set<String> reached = new HashSet<>();
    for (int i = 0; reached.size() < shards; i++) {
      String opener = PREFIX + i;
      if (reached.add(extractor.shardId(opener))) { // one every 10 ms, not all at once
        var ref = sharding.entityRefFor(PaymentSaga.ENTITY_KEY, opener);
        system.scheduler().scheduleOnce(Duration.ofMillis(10L * reached.size()),
            () -> ref.tell(new PaymentSaga.Get(system.ignoreRef())), system.executionContext());
      }
    }
  }
}
