package io.orderengine.engine.payment.wire;

import io.orderengine.engine.CborSerializable;
import io.orderengine.engine.DomainEntity;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;

/**
 * A demo node's {@link EmulatorStore}: each record of the emulated providers is a sharded,
 * event-sourced entity, so the emulators served by every node of a cluster share their trades and
 * remember them across restarts, as the real providers do.
 */
public final class StoredRecords implements EmulatorStore {
  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "EmulatorRecord");
  static final String TAG = "emulator-record";

  public sealed interface Command extends CborSerializable {}

  public record Read(ActorRef<Stored> replyTo) implements Command {}

  /** Writes over {@code expectedVersion} only; answers whether it did. */
  public record Write(long expectedVersion, String json, ActorRef<Boolean> replyTo) implements Command {}

  public record Written(long version, String json) implements CborSerializable {}

  /** The record's state: version 0 and no JSON before its first write. */
  public record Stored(long version, String json) implements CborSerializable, DomainEntity.Evolving<Written, Stored> {
    @Override
    public Stored apply(Written event) {
      return new Stored(event.version(), event.json());
    }
  }

  private final ClusterSharding sharding;
  private final Duration timeout;

  private StoredRecords(ClusterSharding sharding, Duration timeout) {
    this.sharding = sharding;
    this.timeout = timeout;
  }

  /** Starts the records' sharding on this node and answers the store over them. */
  public static StoredRecords start(ActorSystem<?> system, Duration timeout) {
    ClusterSharding sharding = ClusterSharding.get(system);
    sharding.init(Entity.of(ENTITY_KEY, ctx -> new Record(ctx.getEntityId())));
    return new StoredRecords(sharding, timeout);
  }

  @Override
  public Optional<Entry> read(String key) {
    Stored s = await(sharding.entityRefFor(ENTITY_KEY, entityId(key)).ask(Read::new, timeout));
    return s.version() == 0 ? Optional.empty() : Optional.of(new Entry(s.version(), s.json()));
  }

  @Override
  public boolean write(String key, long expectedVersion, String json) {
    return await(sharding.entityRefFor(ENTITY_KEY, entityId(key)).<Boolean>ask(r -> new Write(expectedVersion, json, r), timeout));
  }

  /** A record's entity id: its key, with what Pekko reserves ({@code |}) and anything unusual escaped, one to one. */
  static String entityId(String key) {
    return java.net.URLEncoder.encode(key, java.nio.charset.StandardCharsets.UTF_8);
  }

  private <T> T await(java.util.concurrent.CompletionStage<T> answer) {
    try {
      return answer.toCompletableFuture().get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading the emulator's records", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("the emulator's records did not answer", e);
    }
  }

  private static final class Record extends DomainEntity<Command, Written, Stored> {
    Record(String entityId) {
      super(ENTITY_KEY, entityId, TAG);
    }

    @Override
    public Stored emptyState() {
      return new Stored(0, null);
    }

    @Override
    public CommandHandlerWithReply<Command, Written, Stored> commandHandler() {
      return newCommandHandlerWithReplyBuilder().forAnyState()
          .onCommand(Read.class, (s, c) -> Effect().reply(c.replyTo(), s))
          .onCommand(Write.class, (s, c) -> s.version() != c.expectedVersion()
              ? Effect().reply(c.replyTo(), false)
              : Effect().persist(new Written(s.version() + 1, c.json())).thenReply(c.replyTo(), after -> true))
          .build();
    }
  }
}
