package io.orderengine.engine.venue;

import io.orderengine.engine.CborSerializable;
import io.orderengine.engine.Decision;
import io.orderengine.engine.DomainEntity;
import io.orderengine.engine.VenueIds;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.venue.VenueDirectory.Event;
import io.orderengine.engine.venue.VenueDirectory.Registered;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/** The directory's pure core: which venues exist, since when. */
public record VenueDirectoryState(Map<String, Instant> registered)
    implements CborSerializable, DomainEntity.Evolving<Event, VenueDirectoryState> {

  public static VenueDirectoryState empty() {
    return new VenueDirectoryState(Map.of());
  }

  public Decision<Event> decideRegister(String venueId, Instant at) {
    if (venueId == null || !VenueIds.VENUE_ID.matcher(venueId).matches()) {
      return Decision.refuse(Rejection.VALIDATION_FAILED, "venueId must match " + VenueIds.VENUE_ID.pattern());
    }
    return registered.containsKey(venueId) ? Decision.none() : Decision.accept(new Registered(venueId, at));
  }

  @Override
  public VenueDirectoryState apply(Event event) {
    if (event instanceof Registered r) {
      Map<String, Instant> next = new TreeMap<>(registered);
      next.put(r.venueId(), r.at());
      return new VenueDirectoryState(Map.copyOf(next));
    }
    throw new IllegalStateException("unknown event " + event);
  }

  public VenueDirectory.Listing listing() {
    return new VenueDirectory.Listing(registered.keySet().stream().sorted().toList());
  }
}
