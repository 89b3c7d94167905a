package io.orderengine.engine.venue;

import static io.orderengine.engine.venue.VenueStateTest.after;
import static io.orderengine.engine.venue.VenueStateTest.refusal;
import static org.assertj.core.api.Assertions.assertThat;

import io.orderengine.engine.Decision;
import io.orderengine.engine.Rejection;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A venue's printers, the pure core, given / when / then. */
class VenuePrintersStateTest {

  static final Printer KITCHEN = new Printer("P1", "192.168.1.50", 9100, List.of("WOK"), false, 80);
  static final Printer TILL = new Printer("P2", "till.local", 9100, List.of(), true, 58);

  @Test
  void a_printer_is_put_replaced_and_put_again_without_change() {
    VenueState venue = VenueSetupStateTest.setUp();
    venue = after(venue, venue.decidePutPrinter(KITCHEN));
    venue = after(venue, venue.decidePutPrinter(TILL));
    assertThat(venue.view().printers()).containsExactly(KITCHEN, TILL);
    assertThat(venue.decidePutPrinter(KITCHEN)).isEqualTo(Decision.none());

    Printer moved = new Printer("P1", "192.168.1.51", 9100, List.of("WOK"), true, 58);
    venue = after(venue, venue.decidePutPrinter(moved));
    assertThat(venue.view().printer("P1")).contains(moved);
    assertThat(moved.columns()).isEqualTo(32);
  }

  @Test
  void a_printer_of_a_station_the_venue_lacks_is_refused_and_bad_settings_too() {
    VenueState venue = VenueSetupStateTest.setUp();
    assertThat(refusal(venue.decidePutPrinter(new Printer("P1", "10.0.0.9", 9100, List.of("GRILL"), false, 80))))
        .isEqualTo(Rejection.UNKNOWN_STATION);
    assertThat(refusal(venue.decidePutPrinter(new Printer("P1", "10.0.0.9", 0, List.of(), true, 80))))
        .isEqualTo(Rejection.VALIDATION_FAILED);
    assertThat(refusal(venue.decidePutPrinter(new Printer("P1", "10.0.0.9", 9100, List.of(), true, 76))))
        .isEqualTo(Rejection.VALIDATION_FAILED);
    assertThat(refusal(venue.decidePutPrinter(new Printer("P1", "http://x/y", 9100, List.of(), true, 80))))
        .isEqualTo(Rejection.VALIDATION_FAILED);
  }

  @Test
  void a_station_a_printer_prints_stays_and_a_removed_printer_is_gone() {
    VenueState venue = VenueSetupStateTest.setUp();
    venue = after(venue, venue.decideRemoveItem("SC01"));
    venue = after(venue, venue.decidePutPrinter(KITCHEN));
    assertThat(refusal(venue.decideRemoveStation("WOK"))).isEqualTo(Rejection.STATION_IN_USE);

    venue = after(venue, venue.decideRemovePrinter("P1"));
    assertThat(venue.view().printers()).isEmpty();
    assertThat(refusal(venue.decideRemovePrinter("P1"))).isEqualTo(Rejection.NOT_FOUND);
    assertThat(venue.decideRemoveStation("WOK").orThrow()).hasSize(1);
  }

  @Test
  void an_import_brings_printers_and_names_a_bad_one() {
    VenueState venue = VenueSetupStateTest.setUp();
    VenueSetup bad = new VenueSetup(null, null, List.of(), List.of(), List.of(), List.of(), List.of(),
        List.of(TILL, new Printer("P3", "10.0.0.3", 9100, List.of("GRILL"), false, 80)));
    assertThat(refusal(venue.decideImport(bad))).isEqualTo(Rejection.VALIDATION_FAILED);

    VenueSetup good = new VenueSetup(null, null, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(KITCHEN, TILL));
    venue = after(venue, venue.decideImport(good));
    assertThat(venue.view().printers()).containsExactly(KITCHEN, TILL);
    assertThat(venue.decideImport(good)).isEqualTo(Decision.none());
  }
}
