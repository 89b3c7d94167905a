package io.orderengine.engine.venue;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderengine.engine.Decision;
import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random sequences of stock commands (limits set and lifted, holds taken, confirmed and released,
 * retried, portions returned, twice) against a plain model: no dish ever goes below zero, a hold is
 * refused exactly when a limited dish has fewer portions left than asked, and every retry is
 * applied once.
 */
class StockPropertiesTest {
  private static final List<String> SKUS = List.of("A", "B", "C");
  private static final Instant AT = Instant.parse("2026-11-24T12:00:00Z");

  sealed interface Step {}

  record SetLevel(String sku, Integer level) implements Step {}

  record Hold(String holdId, Map<String, Integer> items) implements Step {}

  record Confirm(String holdId) implements Step {}

  record Release(String holdId) implements Step {}

  record Return(String returnId, String holdId) implements Step {}

  @Property(tries = 1_000)
  void noDishGoesBelowZeroAndEveryRetryCountsOnce(@ForAll("steps") List<Step> steps) {
    StockState state = StockState.empty();
    Map<String, Integer> levels = new HashMap<>(); // absent: no limit
    Map<String, Map<String, Integer>> open = new HashMap<>();
    Map<String, Map<String, Integer>> confirmed = new HashMap<>();
    Set<String> returned = new HashSet<>();
    for (Step step : steps) {
      if (step instanceof SetLevel s) {
        state = apply(state, state.decideSetLevel(s.sku(), s.level(), AT));
        if (s.level() == null) levels.remove(s.sku());
        else levels.put(s.sku(), s.level());
      } else if (step instanceof Hold h) {
        boolean spent = open.containsKey(h.holdId()) || confirmed.containsKey(h.holdId());
        boolean short_ = h.items().entrySet().stream()
            .anyMatch(e -> levels.containsKey(e.getKey()) && levels.get(e.getKey()) < e.getValue());
        try {
          state = apply(state, state.decideHold(h.holdId(), "T01", "r-" + h.holdId(), h.items(), AT));
          assertThat(short_ && !spent).as("a hold with a dish short must be refused: " + step).isFalse();
          if (!spent) {
            Map<String, Integer> limited = new LinkedHashMap<>();
            h.items().forEach((sku, qty) -> {
              if (levels.containsKey(sku)) {
                limited.put(sku, qty);
                levels.put(sku, levels.get(sku) - qty);
              }
            });
            if (!limited.isEmpty()) open.put(h.holdId(), limited);
          }
        } catch (Rejected r) {
          assertThat(r.code()).isEqualTo(Rejection.OUT_OF_STOCK);
          assertThat(short_ && !spent).as("refused without a dish short: " + step).isTrue();
        }
      } else if (step instanceof Confirm c) {
        state = apply(state, state.decideConfirm(c.holdId()));
        Map<String, Integer> hold = open.remove(c.holdId());
        if (hold != null) confirmed.put(c.holdId(), hold);
      } else if (step instanceof Release r) {
        state = apply(state, state.decideRelease(r.holdId(), "gone"));
        Map<String, Integer> hold = open.remove(r.holdId());
        if (hold != null) hold.forEach((sku, qty) -> levels.computeIfPresent(sku, (k, left) -> left + qty));
      } else if (step instanceof Return r) {
        // a void gives back what a confirmed hold took, once per return id
        Map<String, Integer> hold = confirmed.get(r.holdId());
        if (hold == null) continue;
        state = apply(state, state.decideReturn(r.returnId(), hold, AT));
        if (returned.add(r.returnId())) hold.forEach((sku, qty) -> levels.computeIfPresent(sku, (k, left) -> left + qty));
      }
      assertThat(state.levels()).as("after " + step).isEqualTo(levels);
      assertThat(state.levels().values()).as("after " + step).allMatch(left -> left >= 0);
      assertThat(state.holds().keySet()).as("after " + step).isEqualTo(open.keySet());
    }
  }

  /** The decision's events applied; a refusal is thrown as {@link Rejected}. */
  private static StockState apply(StockState state, Decision<Stock.Event> decision) {
    for (Stock.Event e : decision.orThrow()) state = state.apply(e);
    return state;
  }

  @Provide
  Arbitrary<List<Step>> steps() {
    Arbitrary<String> sku = Arbitraries.of(SKUS);
    Arbitrary<String> holdId = Arbitraries.of("h1", "h2", "h3", "h4", "h5", "h6");
    Arbitrary<Map<String, Integer>> items = Arbitraries.maps(sku, Arbitraries.integers().between(1, 5)).ofMinSize(1).ofMaxSize(3);
    Arbitrary<Step> set = Combinators.combine(sku, Arbitraries.integers().between(0, 10).injectNull(0.2)).as(SetLevel::new);
    Arbitrary<Step> hold = Combinators.combine(holdId, items).as(Hold::new);
    Arbitrary<Step> confirm = holdId.map(Confirm::new);
    Arbitrary<Step> release = holdId.map(Release::new);
    Arbitrary<Step> giveBack = Combinators.combine(Arbitraries.of("v1", "v2", "v3"), holdId).as(Return::new);
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(2, set), net.jqwik.api.Tuple.of(5, hold), net.jqwik.api.Tuple.of(3, confirm),
            net.jqwik.api.Tuple.of(2, release), net.jqwik.api.Tuple.of(2, giveBack))
        .list().ofMinSize(1).ofMaxSize(40);
  }
}
