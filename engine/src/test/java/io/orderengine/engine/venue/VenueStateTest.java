package io.orderengine.engine.venue;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderengine.engine.Decision;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.venue.Venue.Event;
import io.orderengine.engine.venue.Venue.ItemUpserted;
import io.orderengine.engine.venue.Venue.Seeded;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The venue's pure core, given / when / then. */
class VenueStateTest {

  static final MenuItem NOODLES = new MenuItem("N01", "牛肉面", "Beef noodles", "stall-1", "wok", "mains", 3800, true);
  static final MenuItem TEA = new MenuItem("T03", "茉莉花茶", "Jasmine tea", "stall-2", "drinks", "drinks", 600, true);
  static final VenueLayout LAYOUT = new VenueLayout("Night market",
      List.of(new Stall("stall-2", "茶", "Tea", 12), new Stall("stall-1", "面", "Noodles", 15)),
      List.of(new Station("wok", "炒锅", "Wok"), new Station("drinks", "饮品", "Drinks")),
      List.of(TEA, NOODLES),
      List.of("B2", "A1"));

  static VenueState after(VenueState state, Decision<Event> decision) {
    VenueState s = state;
    for (Event e : decision.orThrow()) s = s.apply(e);
    return s;
  }

  static VenueState seeded() {
    VenueState empty = VenueState.empty();
    return after(empty, empty.decideSeed(LAYOUT));
  }

  static Rejection refusal(Decision<Event> decision) {
    assertThat(decision).isInstanceOf(Decision.Refused.class);
    return ((Decision.Refused<Event>) decision).code();
  }

  @Test
  void an_empty_venue_is_laid_out_once() {
    VenueState empty = VenueState.empty();

    Decision<Event> decision = empty.decideSeed(LAYOUT);

    assertThat(empty.laidOut()).isFalse();
    assertThat(decision.orThrow()).containsExactly(new Seeded(LAYOUT));
    VenueState venue = after(empty, decision);
    assertThat(venue.laidOut()).isTrue();
    assertThat(venue.decideSeed(new VenueLayout("Other", List.of(), List.of(), List.of(), List.of("Z9"))))
        .isEqualTo(Decision.none());
  }

  @Test
  void an_empty_venue_refuses_items_since_it_has_no_stalls() {
    assertThat(refusal(VenueState.empty().decideUpsert(NOODLES))).isEqualTo(Rejection.VALIDATION_FAILED);
  }

  @Test
  void the_view_lists_everything_sorted() {
    Venue.View view = seeded().view();

    assertThat(view.name()).isEqualTo("Night market");
    assertThat(view.stalls()).extracting(Stall::stallId).containsExactly("stall-1", "stall-2");
    assertThat(view.stations()).extracting(Station::stationId).containsExactly("drinks", "wok");
    assertThat(view.items()).extracting(MenuItem::sku).containsExactly("N01", "T03");
    assertThat(view.tableIds()).containsExactly("A1", "B2");
    assertThat(view.hasTable("A1")).isTrue();
    assertThat(view.hasTable("C3")).isFalse();
    assertThat(view.item("T03")).contains(TEA);
    assertThat(view.item("X99")).isEmpty();
  }

  @Test
  void an_item_is_added_or_changed_and_an_unchanged_item_makes_no_event() {
    VenueState venue = seeded();
    MenuItem soldOut = new MenuItem("N01", "牛肉面", "Beef noodles", "stall-1", "wok", "mains", 3800, false);
    MenuItem dumplings = new MenuItem("D02", "饺子", "Dumplings", "stall-1", "wok", "mains", 1500, true);

    assertThat(venue.decideUpsert(NOODLES)).isEqualTo(Decision.none());
    assertThat(venue.decideUpsert(soldOut).orThrow()).containsExactly(new ItemUpserted(soldOut));
    VenueState changed = after(venue, venue.decideUpsert(soldOut));
    changed = after(changed, changed.decideUpsert(dumplings));
    assertThat(changed.view().item("N01")).hasValueSatisfying(i -> assertThat(i.available()).isFalse());
    assertThat(changed.view().items()).extracting(MenuItem::sku).containsExactly("D02", "N01", "T03");
  }

  @Test
  void an_item_of_an_unknown_stall_or_station_is_refused() {
    VenueState venue = seeded();

    assertThat(refusal(venue.decideUpsert(new MenuItem("X1", "x", "x", "stall-9", "wok", "c", 100, true))))
        .isEqualTo(Rejection.VALIDATION_FAILED);
    assertThat(refusal(venue.decideUpsert(new MenuItem("X1", "x", "x", "stall-1", "grill", "c", 100, true))))
        .isEqualTo(Rejection.VALIDATION_FAILED);
    assertThat(venue.view().item("X1")).isEmpty();
  }
}
