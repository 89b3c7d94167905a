package io.orderengine.engine.venue;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderengine.engine.Decision;
import io.orderengine.engine.venue.VenueDirectory.Event;
import io.orderengine.engine.venue.VenueDirectory.Registered;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The directory of venues, the pure core. */
class VenueDirectoryStateTest {
  static final Instant AT = Instant.parse("2026-12-03T02:00:00Z");

  @Test
  void a_venue_is_listed_once_and_the_list_is_sorted() {
    VenueDirectoryState empty = VenueDirectoryState.empty();

    VenueDirectoryState listed = empty;
    for (String id : new String[] {"V2", "V1"}) {
      for (Event e : listed.decideRegister(id, AT).orThrow()) listed = listed.apply(e);
    }

    assertThat(empty.decideRegister("V1", AT).orThrow()).containsExactly(new Registered("V1", AT));
    assertThat(listed.listing().venueIds()).containsExactly("V1", "V2");
    assertThat(listed.listing().has("V2")).isTrue();
    assertThat(listed.listing().has("V3")).isFalse();
    assertThat(listed.decideRegister("V1", AT.plusSeconds(5))).isEqualTo(Decision.none());
    assertThat(listed.decideRegister("no.dots", AT).accepted()).isFalse();
  }
}
