package io.orderengine.engine.venue;

import static io.orderengine.engine.venue.VenueStateTest.after;
import static io.orderengine.engine.venue.VenueStateTest.refusal;
import static org.assertj.core.api.Assertions.assertThat;

import io.orderengine.engine.Decision;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.venue.Venue.Created;
import io.orderengine.engine.venue.Venue.Event;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A venue created and set up from nothing, the pure core, given / when / then. */
class VenueSetupStateTest {

  static final Settings NODE = new Settings("Asia/Shanghai", "CNY", 4, 10, 10, 20, 5000);
  static final Stall NOODLE_STALL = new Stall("S1", "面", "Noodles", 15);
  static final Station WOK = new Station("WOK", "炒锅", "Wok");
  static final MenuItem NOODLES = new MenuItem("SC01", "牛肉面", "Beef noodles", "S1", "WOK", "mains", 3800, true);

  static VenueState created() {
    VenueState empty = VenueState.empty(NODE);
    return after(empty, empty.decideCreate("Night market", "Asia/Hong_Kong", "HKD"));
  }

  static VenueState setUp() {
    VenueState v = created();
    v = after(v, v.decidePutStall(NOODLE_STALL));
    v = after(v, v.decidePutStation(WOK));
    v = after(v, v.decidePutTable(new FloorTable("A1", "hall", 4)));
    return after(v, v.decideUpsert(NOODLES));
  }

  @Test
  void a_venue_is_created_with_the_nodes_settings_in_its_own_time_zone_and_currency() {
    VenueState empty = VenueState.empty(NODE);
    assertThat(empty.exists()).isFalse();

    List<Event> events = empty.decideCreate("Night market", "Asia/Hong_Kong", "HKD").orThrow();

    Settings expected = new Settings("Asia/Hong_Kong", "HKD", 4, 10, 10, 20, 5000);
    assertThat(events).containsExactly(new Created("Night market", expected));
    Venue.View view = after(empty, Decision.accept(events)).view();
    assertThat(view.exists()).isTrue();
    assertThat(view.created()).isTrue();
    assertThat(view.laidOut()).isFalse();
    assertThat(view.settings()).isEqualTo(expected);
  }

  @Test
  void the_same_creation_again_changes_nothing_and_another_is_refused() {
    VenueState venue = created();

    assertThat(venue.decideCreate("Night market", "Asia/Hong_Kong", "HKD")).isEqualTo(Decision.none());
    assertThat(refusal(venue.decideCreate("Day market", "Asia/Hong_Kong", "HKD"))).isEqualTo(Rejection.VENUE_EXISTS);
    assertThat(refusal(venue.decideCreate("Night market", "Asia/Shanghai", "HKD"))).isEqualTo(Rejection.VENUE_EXISTS);
  }

  @Test
  void a_bad_time_zone_currency_or_name_is_refused() {
    VenueState empty = VenueState.empty(NODE);

    assertThat(refusal(empty.decideCreate("x", "Mars/Olympus", "CNY"))).isEqualTo(Rejection.VALIDATION_FAILED);
    assertThat(refusal(empty.decideCreate("x", "Asia/Shanghai", "XYZ"))).isEqualTo(Rejection.VALIDATION_FAILED);
    assertThat(refusal(empty.decideCreate("x", "Asia/Tokyo", "JPY"))).isEqualTo(Rejection.VALIDATION_FAILED);
    assertThat(refusal(empty.decideCreate(" ", "Asia/Shanghai", "CNY"))).isEqualTo(Rejection.VALIDATION_FAILED);
  }

  @Test
  void the_venue_of_an_older_release_laid_out_by_its_seed_exists_and_may_be_created_over() {
    VenueState seeded = VenueStateTest.seeded();

    assertThat(seeded.exists()).isTrue();
    assertThat(seeded.view().created()).isFalse();
    assertThat(seeded.view().tables()).containsExactly(new FloorTable("A1", null, 0), new FloorTable("B2", null, 0));
    assertThat(seeded.view().settings()).isEqualTo(Settings.FALLBACK);
    VenueState created = after(seeded, seeded.decideCreate("美食广场", "Asia/Shanghai", "CNY"));
    assertThat(created.view().name()).isEqualTo("美食广场");
    assertThat(created.view().tableIds()).containsExactly("A1", "B2");
  }

  @Test
  void nothing_is_set_up_at_a_venue_nobody_created() {
    VenueState empty = VenueState.empty(NODE);

    assertThat(refusal(empty.decidePutStall(NOODLE_STALL))).isEqualTo(Rejection.NOT_FOUND);
    assertThat(refusal(empty.decidePutTable(new FloorTable("A1", null, 2)))).isEqualTo(Rejection.NOT_FOUND);
    assertThat(refusal(empty.decideSettings("x", Settings.Change.NONE))).isEqualTo(Rejection.NOT_FOUND);
  }

  @Test
  void settings_change_what_is_named_and_keep_the_rest() {
    VenueState venue = created();

    Decision<Event> decision = venue.decideSettings(null, new Settings.Change(null, 5, 15, 100, null, null));

    VenueState changed = after(venue, decision);
    assertThat(changed.view().name()).isEqualTo("Night market");
    assertThat(changed.view().settings()).isEqualTo(new Settings("Asia/Hong_Kong", "HKD", 5, 15, 100, 20, 5000));
    assertThat(changed.decideSettings("Night market", new Settings.Change(null, 5, null, null, null, null)))
        .isEqualTo(Decision.none());
    assertThat(refusal(venue.decideSettings(null, new Settings.Change(null, 24, null, null, null, null))))
        .isEqualTo(Rejection.VALIDATION_FAILED);
    assertThat(refusal(venue.decideSettings(null, new Settings.Change(null, null, null, 50, null, null))))
        .isEqualTo(Rejection.VALIDATION_FAILED);
    assertThat(refusal(venue.decideSettings(null, new Settings.Change("Nowhere/City", null, null, null, null, null))))
        .isEqualTo(Rejection.VALIDATION_FAILED);
  }

  @Test
  void a_stall_or_station_still_used_by_a_dish_stays() {
    VenueState venue = setUp();

    assertThat(refusal(venue.decideRemoveStall("S1"))).isEqualTo(Rejection.STALL_IN_USE);
    assertThat(refusal(venue.decideRemoveStation("WOK"))).isEqualTo(Rejection.STATION_IN_USE);
    assertThat(refusal(venue.decideRemoveStall("S9"))).isEqualTo(Rejection.NOT_FOUND);

    VenueState dishGone = after(venue, venue.decideRemoveItem("SC01"));
    assertThat(dishGone.view().item("SC01")).isEmpty();
    VenueState stallGone = after(dishGone, dishGone.decideRemoveStall("S1"));
    stallGone = after(stallGone, stallGone.decideRemoveStation("WOK"));
    assertThat(stallGone.view().stalls()).isEmpty();
    assertThat(stallGone.view().stations()).isEmpty();
  }

  @Test
  void tables_have_an_area_and_seats_and_leave_the_floor_plan() {
    VenueState venue = setUp();
    FloorTable terrace = new FloorTable("A1", "terrace", 6);

    assertThat(venue.decidePutTable(new FloorTable("A1", "hall", 4))).isEqualTo(Decision.none());
    VenueState moved = after(venue, venue.decidePutTable(terrace));
    assertThat(moved.view().table("A1")).contains(terrace);
    VenueState gone = after(moved, moved.decideRemoveTable("A1"));
    assertThat(gone.view().hasTable("A1")).isFalse();
    assertThat(refusal(gone.decideRemoveTable("A1"))).isEqualTo(Rejection.NOT_FOUND);
  }

  @Test
  void categories_are_listed_by_their_sort_and_dishes_keep_theirs_when_one_goes() {
    VenueState venue = setUp();
    venue = after(venue, venue.decidePutCategory(new Category("drinks", "饮品", "Drinks", 20)));
    venue = after(venue, venue.decidePutCategory(new Category("mains", "主食", "Mains", 10)));

    assertThat(venue.view().categories()).extracting(Category::categoryId).containsExactly("mains", "drinks");
    VenueState without = after(venue, venue.decideRemoveCategory("mains"));
    assertThat(without.view().categories()).extracting(Category::categoryId).containsExactly("drinks");
    assertThat(without.view().item("SC01")).hasValueSatisfying(i -> assertThat(i.category()).isEqualTo("mains"));
  }

  @Test
  void an_import_takes_every_entry_or_none_and_names_the_bad_one() {
    VenueState venue = created();
    MenuItem tea = new MenuItem("T1", "茶", "Tea", "S2", "BAR", "drinks", 600, true);
    MenuItem stray = new MenuItem("X1", "x", "x", "S9", "BAR", "drinks", 100, true);
    VenueSetup bad = new VenueSetup("Renamed", null, List.of(new Stall("S2", "茶", "Tea", 10)),
        List.of(new Station("BAR", "水吧", "Bar")), List.of(new FloorTable("B1", null, 2)), List.of(),
        List.of(tea, stray));

    Decision<Event> refused = venue.decideImport(bad);

    assertThat(refusal(refused)).isEqualTo(Rejection.VALIDATION_FAILED);
    assertThat(((Decision.Refused<Event>) refused).detail()).isEqualTo("items[1].stallId: unknown stall 'S9'");

    VenueSetup good = new VenueSetup("Renamed", new Settings.Change(null, null, 5, null, null, null),
        bad.stalls(), bad.stations(), bad.tables(), List.of(new Category("drinks", "饮品", null, 1)), List.of(tea));
    VenueState imported = after(venue, venue.decideImport(good));
    assertThat(imported.view().name()).isEqualTo("Renamed");
    assertThat(imported.view().settings().serviceChargePercent()).isEqualTo(5);
    assertThat(imported.view().item("T1")).contains(tea);
    assertThat(imported.view().tableIds()).containsExactly("B1");
    assertThat(imported.decideImport(good)).as("the same document again").isEqualTo(Decision.none());
  }

  @Test
  void an_import_with_an_entry_twice_is_refused() {
    VenueState venue = created();
    VenueSetup twice = new VenueSetup(null, null, List.of(), List.of(), List.of(new FloorTable("A1", null, 2),
        new FloorTable("A1", null, 4)), List.of(), List.of());

    Decision<Event> refused = venue.decideImport(twice);

    assertThat(refusal(refused)).isEqualTo(Rejection.VALIDATION_FAILED);
    assertThat(((Decision.Refused<Event>) refused).detail()).startsWith("tables[1]");
  }
}
