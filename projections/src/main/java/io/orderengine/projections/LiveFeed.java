package io.orderengine.projections;

import io.orderengine.engine.VenueIds;
import io.orderengine.engine.venue.Stock;
import io.orderengine.engine.venue.Venue;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.sql.DataSource;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.Sequence;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The journal as live streams for screens. Every element carries a cursor: a client that
 * reconnects with the last cursor it saw (SSE's {@code Last-Event-ID}) resumes right after it and
 * misses nothing. A cursor is the sequence number for one entity's stream, or one offset per tag
 * ({@code table-0=812,bill-1=790}) for a stream of several tags.
 *
 * <p>The tags are global slices of all venues' events; a venue's stream reads them and keeps its
 * own venue's events, which the entity's id names ({@link #venueOf}).
 */
public final class LiveFeed {
  /** One journal event and the cursor that resumes after it. */
  public record Item(String cursor, String persistenceId, Object event) {
    public String venueId() {
      return venueOf(persistenceId);
    }
  }

  /** Entities that are a venue's own and named by it: its menu and its stock. */
  private static final Set<String> NAMED_BY_VENUE = Set.of(Venue.ENTITY_KEY.name(), Stock.ENTITY_KEY.name());

  private final JdbcReadJournal journal;
  private final DataSource dataSource;
  private final Executor blocking;

  public LiveFeed(ActorSystem<?> system, DataSource dataSource, Executor blocking) {
    this.journal = PersistenceQuery.get(system).getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
    this.dataSource = dataSource;
    this.blocking = blocking;
  }

  /** One entity's events from after {@code lastEventId}, or from now. */
  public Source<Item, NotUsed> entity(String persistenceId, Optional<String> lastEventId) {
    Optional<Long> after = lastEventId.flatMap(LiveFeed::parseLong);
    CompletableFuture<Long> from = after.isPresent()
        ? CompletableFuture.completedFuture(after.get() + 1)
        : journal.currentLastSequenceNumberByPersistenceId(persistenceId)
            .thenApply(last -> last.orElse(0L) + 1).toCompletableFuture();
    return Source.completionStageSource(from.thenApply(seqNr ->
            journal.eventsByPersistenceId(persistenceId, seqNr, Long.MAX_VALUE)
                .map(env -> new Item(Long.toString(env.sequenceNr()), env.persistenceId(), env.event()))))
        .mapMaterializedValue(m -> NotUsed.getInstance());
  }

  /**
   * The events of {@code venueId} in several tags, merged, from after the cursor {@code lastEventId},
   * or from now. The cursor counts every venue's events, so a resumed stream skips the others' too.
   */
  public Source<Item, NotUsed> tags(String venueId, List<String> tags, Optional<String> lastEventId) {
    return tags(tags, lastEventId).filter(item -> item.venueId().equals(venueId));
  }

  /** The events of several tags, of every venue, merged, from after the cursor {@code lastEventId}, or from now. */
  public Source<Item, NotUsed> tags(List<String> tags, Optional<String> lastEventId) {
    Map<String, Long> cursor = lastEventId.map(LiveFeed::parseCursor).orElse(Map.of());
    CompletableFuture<Long> now = cursor.isEmpty()
        ? CompletableFuture.supplyAsync(this::highestOrdering, blocking)
        : CompletableFuture.completedFuture(0L);
    return Source.completionStageSource(now.thenApply(head -> {
          Map<String, Long> offsets = new LinkedHashMap<>();
          for (String tag : tags) offsets.put(tag, cursor.getOrDefault(tag, cursor.isEmpty() ? head : 0L));
          List<Source<Tagged, NotUsed>> sources = new ArrayList<>();
          for (String tag : tags) {
            sources.add(journal.eventsByTag(tag, Offset.sequence(offsets.get(tag))).map(env -> new Tagged(tag, env)));
          }
          Source<Tagged, NotUsed> merged = sources.get(0);
          for (Source<Tagged, NotUsed> next : sources.subList(1, sources.size())) merged = merged.merge(next);
          return merged.map(new org.apache.pekko.japi.function.Function<Tagged, Item>() {
            private final Map<String, Long> seen = new LinkedHashMap<>(offsets);

            @Override
            public Item apply(Tagged t) {
              seen.put(t.tag(), ((Sequence) t.envelope().offset()).value());
              return new Item(format(seen), t.envelope().persistenceId(), t.envelope().event());
            }
          });
        }))
        .mapMaterializedValue(m -> NotUsed.getInstance());
  }

  private record Tagged(String tag, EventEnvelope envelope) {}

  /**
   * The venue of an entity, from its persistence id ({@code Table|V2.A1}): a venue's menu and stock
   * are named by the venue itself ({@code Stock|V2}), every other entity by an id that names it.
   */
  static String venueOf(String persistenceId) {
    int bar = persistenceId.indexOf('|');
    if (bar < 0) return VenueIds.venueOf(persistenceId);
    String id = persistenceId.substring(bar + 1);
    return NAMED_BY_VENUE.contains(persistenceId.substring(0, bar)) ? id : VenueIds.venueOf(id);
  }

  private long highestOrdering() {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(ordering), 0) FROM event_journal")) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the journal's head", e);
    }
  }

  static String format(Map<String, Long> offsets) {
    StringBuilder b = new StringBuilder();
    offsets.forEach((tag, offset) -> b.append(b.length() == 0 ? "" : ",").append(tag).append('=').append(offset));
    return b.toString();
  }

  static Map<String, Long> parseCursor(String text) {
    Map<String, Long> offsets = new LinkedHashMap<>();
    for (String part : text.split(",")) {
      String[] kv = part.split("=");
      if (kv.length == 2) parseLong(kv[1]).ifPresent(v -> offsets.put(kv[0].strip(), v));
    }
    return offsets;
  }

  private static Optional<Long> parseLong(String text) {
    try {
      return Optional.of(Long.parseLong(text.strip()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
