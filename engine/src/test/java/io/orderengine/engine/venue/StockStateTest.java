package io.orderengine.engine.venue;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderengine.engine.Decision;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.venue.Stock.Event;
import io.orderengine.engine.venue.Stock.Held;
import io.orderengine.engine.venue.Stock.HoldConfirmed;
import io.orderengine.engine.venue.Stock.HoldEntry;
import io.orderengine.engine.venue.Stock.HoldReleased;
import io.orderengine.engine.venue.Stock.Returned;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The stock's pure core, given / when / then. */
class StockStateTest {

  static final Instant T0 = Instant.parse("2025-05-01T12:30:00Z");
  static final Instant EXPIRES = T0.plus(StockState.HOLD_EXPIRES_AFTER);

  static StockState after(StockState s, Decision<Event> decision) {
    for (Event e : decision.orThrow()) s = s.apply(e);
    return s;
  }

  /** Noodles limited to 5, dumplings to 2, tea unlimited. */
  static StockState limited() {
    StockState s = StockState.empty();
    s = after(s, s.decideSetLevel("N01", 5, T0));
    return after(s, s.decideSetLevel("D02", 2, T0));
  }

  @Test
  void a_hold_takes_the_portions_of_limited_dishes_only() {
    StockState s = limited();

    Decision<Event> held = s.decideHold("h1", "A1", "r1", Map.of("N01", 2, "T03", 4), T0);

    assertThat(held.orThrow()).containsExactly(new Held(new HoldEntry("h1", "A1", "r1", Map.of("N01", 2), EXPIRES)));
    StockState next = after(s, held);
    assertThat(next.levelsView().remaining()).isEqualTo(Map.of("N01", 3, "D02", 2));
    assertThat(next.holds()).containsOnlyKeys("h1");
    assertThat(next.decideHold("h1", "A1", "r1", Map.of("N01", 2), T0)).as("a retried hold").isEqualTo(Decision.none());
    assertThat(s.decideHold("h2", "A1", "r2", Map.of("T03", 9), T0)).as("only unlimited dishes").isEqualTo(Decision.none());
  }

  @Test
  void a_hold_with_one_dish_short_is_refused_whole_naming_the_dish_and_what_is_left() {
    StockState s = limited();

    Decision<Event> refused = s.decideHold("h1", "A1", "r1", Map.of("N01", 1, "D02", 3), T0);

    assertThat(refused).isInstanceOf(Decision.Refused.class);
    Decision.Refused<Event> r = (Decision.Refused<Event>) refused;
    assertThat(r.code()).isEqualTo(Rejection.OUT_OF_STOCK);
    assertThat(r.extras()).isEqualTo(Map.of("sku", "D02", "available", 2));
  }

  @Test
  void a_negative_level_is_refused() {
    Decision<Event> refused = StockState.empty().decideSetLevel("N01", -1, T0);

    assertThat(((Decision.Refused<Event>) refused).code()).isEqualTo(Rejection.VALIDATION_FAILED);
  }

  @Test
  void a_hold_is_owed_a_check_from_its_expiry_on() {
    StockState s = after(limited(), limited().decideHold("h1", "A1", "r1", Map.of("N01", 2), T0));
    s = after(s, s.decideHold("h2", "B2", "r2", Map.of("D02", 1), T0.plusSeconds(5)));

    assertThat(s.owed(EXPIRES.minusMillis(1))).isEmpty();
    assertThat(s.nextExpiryAfter(T0)).contains(EXPIRES);
    assertThat(s.owed(EXPIRES)).extracting(HoldEntry::holdId).containsExactly("h1");
    assertThat(s.nextExpiryAfter(EXPIRES)).contains(EXPIRES.plusSeconds(5));
    assertThat(s.owed(EXPIRES.plusSeconds(5))).extracting(HoldEntry::holdId).containsExactly("h1", "h2");
    assertThat(s.nextExpiryAfter(EXPIRES.plusSeconds(5))).isEmpty();
  }

  @Test
  void a_checked_hold_whose_request_landed_is_kept_and_one_that_did_not_goes_back() {
    StockState s = after(limited(), limited().decideHold("h1", "A1", "r1", Map.of("N01", 2), T0));
    s = after(s, s.decideHold("h2", "B2", "r2", Map.of("N01", 1), T0));

    Decision<Event> kept = s.decideChecked("h1", true);
    Decision<Event> givenBack = s.decideChecked("h2", false);

    assertThat(kept.orThrow()).containsExactly(new HoldConfirmed("h1"));
    assertThat(givenBack.orThrow()).containsExactly(new HoldReleased("h2", "expired"));
    StockState done = after(after(s, kept), givenBack);
    assertThat(done.levelsView().of("N01")).isEqualTo(3);
    assertThat(done.holds()).isEmpty();
    assertThat(done.owed(EXPIRES)).isEmpty();
    assertThat(done.decideChecked("h2", false)).as("an answer that comes twice").isEqualTo(Decision.none());
    assertThat(done.decideHold("h1", "A1", "r1", Map.of("N01", 2), T0)).as("a confirmed hold is not held again")
        .isEqualTo(Decision.none());
  }

  @Test
  void portions_come_back_once_per_return() {
    StockState s = after(limited(), limited().decideHold("h1", "A1", "r1", Map.of("N01", 2), T0));
    s = after(s, s.decideConfirm("h1"));

    Decision<Event> returned = s.decideReturn("A1-0001:l1", Map.of("N01", 1), T0);

    assertThat(returned.orThrow()).containsExactly(new Returned("A1-0001:l1", Map.of("N01", 1), T0));
    StockState back = after(s, returned);
    assertThat(back.levelsView().of("N01")).isEqualTo(4);
    assertThat(back.decideReturn("A1-0001:l1", Map.of("N01", 1), T0)).isEqualTo(Decision.none());
  }
}
