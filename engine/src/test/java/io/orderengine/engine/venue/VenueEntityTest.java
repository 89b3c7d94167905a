package io.orderengine.engine.venue;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderengine.engine.EntityTestKitConfig;
import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The venue in its shell, on the in-memory journal: commands, replies, tag and recovery. */
class VenueEntityTest {

  private static final AtomicInteger VENUES = new AtomicInteger();
  private static ActorTestKit testKit;

  private String venueId;
  private EventSourcedBehaviorTestKit<Venue.Command, Venue.Event, VenueState> venue;

  @BeforeAll
  static void startSystem() {
    testKit = ActorTestKit.create(EntityTestKitConfig.config());
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void newVenue() {
    venueId = "venue-" + VENUES.incrementAndGet();
    venue = EventSourcedBehaviorTestKit.create(testKit.system(), Venue.create(venueId));
  }

  private static <T> T ok(StatusReply<T> reply) {
    assertThat(reply.isSuccess()).as("reply %s", reply).isTrue();
    return reply.getValue();
  }

  @Test
  void a_venue_is_seeded_once_and_answers_with_its_view() {
    assertThat(venue.<Venue.View>runCommand(Venue.Get::new).reply().laidOut()).isFalse();

    var seeded = venue.<StatusReply<Venue.View>>runCommand(r -> new Venue.Seed(VenueStateTest.LAYOUT, r));
    var again = venue.<StatusReply<Venue.View>>runCommand(r -> new Venue.Seed(
        new VenueLayout("Other", List.of(), List.of(), List.of(), List.of("Z9")), r));

    assertThat(seeded.event()).isEqualTo(new Venue.Seeded(VenueStateTest.LAYOUT));
    assertThat(ok(seeded.reply()).name()).isEqualTo("Night market");
    assertThat(ok(seeded.reply()).tableIds()).containsExactly("A1", "B2");
    assertThat(again.hasNoEvents()).isTrue();
    assertThat(ok(again.reply()).name()).isEqualTo("Night market");
    assertThat(venue.persistenceTestKit().persistedInStorage("Venue|" + venueId)).hasSize(1);
  }

  @Test
  void an_item_of_an_unknown_stall_is_refused_with_its_code() {
    venue.<StatusReply<Venue.View>>runCommand(r -> new Venue.Seed(VenueStateTest.LAYOUT, r));

    var refused = venue.<StatusReply<Venue.View>>runCommand(
        r -> new Venue.UpsertItem(new MenuItem("X1", "x", "x", "stall-9", "wok", "c", 100, true), r));

    assertThat(refused.hasNoEvents()).isTrue();
    assertThat(refused.reply().isError()).isTrue();
    assertThat(((Rejected) refused.reply().getError()).code()).isEqualTo(Rejection.VALIDATION_FAILED);
  }

  @Test
  void a_changed_item_survives_a_restart() {
    venue.<StatusReply<Venue.View>>runCommand(r -> new Venue.Seed(VenueStateTest.LAYOUT, r));
    MenuItem soldOut = new MenuItem("N01", "牛肉面", "Beef noodles", "stall-1", "wok", "mains", 3800, false);
    var changed = venue.<StatusReply<Venue.View>>runCommand(r -> new Venue.UpsertItem(soldOut, r));
    assertThat(changed.event()).isEqualTo(new Venue.ItemUpserted(soldOut));

    VenueState recovered = venue.restart().state();

    assertThat(recovered.view().item("N01")).contains(soldOut);
    assertThat(venue.<Venue.View>runCommand(Venue.Get::new).reply().item("N01")).contains(soldOut);
    assertThat(venue.<Venue.View>runCommand(Venue.Get::new).reply().items()).hasSize(2);
  }

  @Test
  void its_events_keep_the_venue_tag() {
    venue.<StatusReply<Venue.View>>runCommand(r -> new Venue.Seed(VenueStateTest.LAYOUT, r));

    assertThat(venue.persistenceTestKit().persistedInStorage("Venue|" + venueId)).hasSize(1);
    assertThat(venue.persistenceTestKit().persistedInStorage("Venue|" + venueId).get(0))
        .isInstanceOf(Venue.Seeded.class);
    assertThat(Venue.create(venueId).tagsFor(new Venue.Seeded(VenueStateTest.LAYOUT))).containsExactly("venue");
  }

  @Test
  void a_created_and_set_up_venue_survives_a_restart() {
    var created = venue.<StatusReply<Venue.View>>runCommand(r -> new Venue.Create("Night market", "Asia/Shanghai", "CNY", r));
    venue.<StatusReply<Venue.View>>runCommand(r -> new Venue.PutStall(VenueSetupStateTest.NOODLE_STALL, r));
    venue.<StatusReply<Venue.View>>runCommand(r -> new Venue.PutStation(VenueSetupStateTest.WOK, r));
    venue.<StatusReply<Venue.View>>runCommand(r -> new Venue.PutTable(new FloorTable("A1", "hall", 4), r));
    venue.<StatusReply<Venue.View>>runCommand(r -> new Venue.UpsertItem(VenueSetupStateTest.NOODLES, r));
    var again = venue.<StatusReply<Venue.View>>runCommand(r -> new Venue.Create("Night market", "Asia/Shanghai", "CNY", r));
    var other = venue.<StatusReply<Venue.View>>runCommand(r -> new Venue.Create("Day market", "Asia/Shanghai", "CNY", r));

    assertThat(created.event()).isInstanceOf(Venue.Created.class);
    assertThat(again.hasNoEvents()).isTrue();
    assertThat(ok(again.reply()).created()).isTrue();
    assertThat(((Rejected) other.reply().getError()).code()).isEqualTo(Rejection.VENUE_EXISTS);
    var inUse = venue.<StatusReply<Venue.View>>runCommand(r -> new Venue.RemoveStall("S1", r));
    assertThat(((Rejected) inUse.reply().getError()).code()).isEqualTo(Rejection.STALL_IN_USE);

    Venue.View recovered = venue.restart().state().view();

    assertThat(recovered.created()).isTrue();
    assertThat(recovered.name()).isEqualTo("Night market");
    assertThat(recovered.table("A1")).contains(new FloorTable("A1", "hall", 4));
    assertThat(recovered.item("SC01")).contains(VenueSetupStateTest.NOODLES);
    assertThat(venue.persistenceTestKit().persistedInStorage("Venue|" + venueId)).hasSize(5);
  }

  @Test
  void an_import_with_a_bad_entry_writes_nothing() {
    venue.<StatusReply<Venue.View>>runCommand(r -> new Venue.Create("Night market", "Asia/Shanghai", "CNY", r));
    VenueSetup bad = new VenueSetup(null, null, List.of(VenueSetupStateTest.NOODLE_STALL), List.of(),
        List.of(new FloorTable("A1", null, 2)), List.of(), List.of(VenueSetupStateTest.NOODLES));

    var refused = venue.<StatusReply<Venue.View>>runCommand(r -> new Venue.Import(bad, r));

    assertThat(refused.hasNoEvents()).isTrue();
    assertThat(refused.reply().getError().getMessage()).isEqualTo("items[0].stationId: unknown station 'WOK'");
    assertThat(venue.<Venue.View>runCommand(Venue.Get::new).reply().tableIds()).isEmpty();
  }
}
