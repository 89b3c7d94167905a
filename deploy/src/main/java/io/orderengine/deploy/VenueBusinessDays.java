package io.orderengine.deploy;

import io.orderengine.engine.usecase.MenuBoard;
import io.orderengine.engine.venue.Settings;
import io.orderengine.engine.venue.Venue;
import io.orderengine.projections.BusinessDay;
import io.orderengine.projections.BusinessDays;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Each venue's business day as its settings say (time zone, the hour its day starts), remembered on
 * this node and refreshed in the background every {@link #REFRESH}, so a change of a venue's time
 * zone reaches the bills it opens next. Report routes call this on Pekko's dispatcher, so it answers
 * from what the node holds: the day it remembers, or the venue's view the node last saw (the node
 * fetches every venue's view at start, and each change passes through it). Only a venue the node has
 * never seen is asked while the caller waits a moment; in practice that is a projection (on its own
 * blocking threads) meeting a venue made on another node. A venue that cannot be asked runs on the
 * node's own day.
 */
final class VenueBusinessDays implements BusinessDays {
  static final Duration REFRESH = Duration.ofMinutes(1);
  private static final Duration FIRST_ASK = Duration.ofSeconds(5);

  private record Known(BusinessDay day, long atNanos) {}

  private final MenuBoard venues;
  private final BusinessDay nodeDay;
  private final Map<String, Known> known = new ConcurrentHashMap<>();

  VenueBusinessDays(MenuBoard venues, BusinessDay nodeDay) {
    this.venues = venues;
    this.nodeDay = nodeDay;
  }

  @Override
  public BusinessDay of(String venueId) {
    Known k = known.get(venueId);
    if (k != null) {
      if (System.nanoTime() - k.atNanos() > REFRESH.toNanos()) {
        known.put(venueId, new Known(k.day(), System.nanoTime())); // one refresh at a time
        venues.venue(venueId).thenAccept(v -> remember(venueId, v.settings()));
      }
      return k.day();
    }
    Optional<Venue.View> seen = venues.lastSeen(venueId);
    if (seen.isPresent()) return remember(venueId, seen.get().settings());
    try {
      return remember(venueId, venues.venue(venueId).toCompletableFuture()
          .get(FIRST_ASK.toMillis(), TimeUnit.MILLISECONDS).settings());
    } catch (Exception unreachable) {
      return nodeDay;
    }
  }

  private BusinessDay remember(String venueId, Settings settings) {
    BusinessDay day = new BusinessDay(ZoneId.of(settings.timeZone()), settings.businessDayStartsAtHour());
    known.put(venueId, new Known(day, System.nanoTime()));
    return day;
  }
}
