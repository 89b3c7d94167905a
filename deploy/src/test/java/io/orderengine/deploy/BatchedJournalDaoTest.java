package io.orderengine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderengine.engine.CborSerializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal's batched write path (the node's configured DAO) on the real database: many writers
 * at once, several events per write, every event tagged; each comes back by persistence id in order,
 * and by tag exactly once.
 */
class BatchedJournalDaoTest {
  record Append(List<String> values, ActorRef<Done> replyTo) implements CborSerializable {}

  record Appended(String value) implements CborSerializable {}

  static final class Log extends EventSourcedBehavior<Append, Appended, List<String>> {
    private final String tag;

    Log(String id, String tag) {
      super(PersistenceId.of("JournalTestLog", id));
      this.tag = tag;
    }

    @Override
    public List<String> emptyState() {
      return List.of();
    }

    @Override
    public CommandHandler<Append, Appended, List<String>> commandHandler() {
      return (state, c) -> Effect().persist(c.values().stream().map(Appended::new).toList())
          .thenReply(c.replyTo(), s -> Done.getInstance());
    }

    @Override
    public EventHandler<List<String>, Appended> eventHandler() {
      return (state, e) -> {
        List<String> next = new ArrayList<>(state);
        next.add(e.value());
        return next;
      };
    }

    @Override
    public Set<String> tagsFor(Appended event) {
      return Set.of(tag, "journal-test-all");
    }
  }

  @Test
  void concurrentTaggedBatchesAreWrittenWholeAndReadBackInOrder(@TempDir Path dataDir) throws Exception {
    int writers = 40;
    int writesEach = 5;
    try (TestNode node = TestNode.start(dataDir)) {
      ActorSystem<Void> system = node.system();
      assertThat(system.settings().config().getString("jdbc-journal.dao")).isEqualTo(BatchedJournalDao.class.getName());
      List<ActorRef<Append>> logs = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        logs.add(system.systemActorOf(new Log("w" + w, "journal-test-" + (w % 3)), "log-" + w,
            org.apache.pekko.actor.typed.Props.empty()));
      }
      for (int round = 0; round < writesEach; round++) {
        List<CompletableFuture<Done>> acks = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
          List<String> values = List.of("w" + w + "-" + round + "a", "w" + w + "-" + round + "b");
          ActorRef<Append> log = logs.get(w);
          acks.add(AskPattern.<Append, Done>ask(log, reply -> new Append(values, reply), Duration.ofSeconds(20),
              system.scheduler()).toCompletableFuture());
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
      }

      JdbcReadJournal journal = PersistenceQuery.get(system)
          .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
      for (int w = 0; w < writers; w++) {
        List<String> values = journal.currentEventsByPersistenceId("JournalTestLog|w" + w, 0, Long.MAX_VALUE)
            .map(e -> ((Appended) e.event()).value())
            .runWith(Sink.seq(), system).toCompletableFuture().get(10, TimeUnit.SECONDS);
        List<String> expected = new ArrayList<>();
        for (int round = 0; round < writesEach; round++) {
          expected.add("w" + w + "-" + round + "a");
          expected.add("w" + w + "-" + round + "b");
        }
        assertThat(values).as("writer " + w).containsExactlyElementsOf(expected);
      }
      List<EventEnvelope> all = journal.currentEventsByTag("journal-test-all", Offset.noOffset())
          .runWith(Sink.seq(), system).toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(all).hasSize(writers * writesEach * 2);
      assertThat(all.stream().map(e -> e.persistenceId() + "#" + e.sequenceNr()).distinct()).hasSize(all.size());
      CompletionStage<List<EventEnvelope>> byTag = journal.currentEventsByTag("journal-test-1", Offset.noOffset())
          .runWith(Sink.seq(), system);
      assertThat(byTag.toCompletableFuture().get(10, TimeUnit.SECONDS))
          .allSatisfy(e -> assertThat(e.persistenceId()).matches("JournalTestLog\\|w\\d+"))
          .hasSize((int) java.util.stream.IntStream.range(0, writers).filter(w -> w % 3 == 1).count() * writesEach * 2);
    }
  }
}
