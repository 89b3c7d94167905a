package io.orderengine.engine.venue;

import io.orderengine.engine.CborSerializable;
import io.orderengine.engine.Decision;
import io.orderengine.engine.DomainEntity;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.venue.Stock.Event;
import io.orderengine.engine.venue.Stock.Held;
import io.orderengine.engine.venue.Stock.HoldConfirmed;
import io.orderengine.engine.venue.Stock.HoldEntry;
import io.orderengine.engine.venue.Stock.HoldReleased;
import io.orderengine.engine.venue.Stock.LevelSet;
import io.orderengine.engine.venue.Stock.Levels;
import io.orderengine.engine.venue.Stock.Returned;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The stock's pure core: what is left of every limited dish, the holds not yet confirmed, and the
 * keys of holds and returns already applied.
 *
 * <p>A hold expires {@link #HOLD_EXPIRES_AFTER} after it was taken; from then on the stock owes it a
 * check with its table ({@link #owed}): kept if the request that made it left lines, given back if
 * not. A check nobody answers is asked again {@link #RECHECK_AFTER} later.
 *
 * @param levels what is left of each dish with a limit; a dish not named is unlimited
 * @param holds the holds not yet confirmed nor released, by hold id
 * @param appliedKeys the last {@link #REMEMBERED_KEYS} confirmed holds and returns, oldest first
 */
public record StockState(Map<String, Integer> levels, Map<String, HoldEntry> holds, List<String> appliedKeys)
    implements CborSerializable, DomainEntity.Evolving<Event, StockState> {

  static final Duration HOLD_EXPIRES_AFTER = Duration.ofSeconds(30);
  static final Duration RECHECK_AFTER = Duration.ofSeconds(10);
  static final int REMEMBERED_KEYS = 4096;

  public static StockState empty() {
    return new StockState(Map.of(), Map.of(), List.of());
  }

  public Levels levelsView() {
    return new Levels(levels);
  }

  public Decision<Event> decideSetLevel(String sku, Integer level, Instant at) {
    if (level != null && level < 0) return Decision.refuse(Rejection.VALIDATION_FAILED, "stock is 0 or more, or null");
    return Decision.accept(new LevelSet(sku, level, at));
  }

  /** All or nothing: the first dish short names itself and what is left. */
  public Decision<Event> decideHold(String holdId, String tableId, String requestId, Map<String, Integer> items, Instant at) {
    if (holds.containsKey(holdId) || appliedKeys.contains(holdId)) return Decision.none();
    for (Map.Entry<String, Integer> e : items.entrySet()) {
      Integer left = levels.get(e.getKey());
      if (left != null && left < e.getValue()) return outOfStock(e.getKey(), left);
    }
    Map<String, Integer> limited = new LinkedHashMap<>();
    items.forEach((sku, qty) -> {
      if (levels.containsKey(sku)) limited.put(sku, qty);
    });
    // dishes without a limit hold nothing: most requests pass through without a write
    if (limited.isEmpty()) return Decision.none();
    return Decision.accept(new Held(new HoldEntry(holdId, tableId, requestId, limited, at.plus(HOLD_EXPIRES_AFTER))));
  }

  /** OUT_OF_STOCK, naming the dish that is short and how many portions are left, so the POS can say so. */
  static <E> Decision<E> outOfStock(String sku, int available) {
    return Decision.refuse(Rejection.OUT_OF_STOCK, "not enough " + sku + " left", Map.of("sku", sku, "available", available));
  }

  public Decision<Event> decideConfirm(String holdId) {
    return holds.containsKey(holdId) ? Decision.accept(new HoldConfirmed(holdId)) : Decision.none();
  }

  public Decision<Event> decideRelease(String holdId, String why) {
    return holds.containsKey(holdId) ? Decision.accept(new HoldReleased(holdId, why)) : Decision.none();
  }

  public Decision<Event> decideReturn(String returnId, Map<String, Integer> items, Instant at) {
    if (appliedKeys.contains(returnId)) return Decision.none();
    return Decision.accept(new Returned(returnId, items, at));
  }

  /** The table's answer about an expired hold: its request left lines, so it is kept, or it did not, so it goes back. */
  public Decision<Event> decideChecked(String holdId, boolean landed) {
    return landed ? decideConfirm(holdId) : decideRelease(holdId, "expired");
  }

  /** The holds owed a check with their table at {@code now}: those expired. */
  public List<HoldEntry> owed(Instant now) {
    return holds.values().stream().filter(h -> !h.expiresAt().isAfter(now)).toList();
  }

  /** When the next hold not yet expired at {@code now} expires. */
  public Optional<Instant> nextExpiryAfter(Instant now) {
    return holds.values().stream().map(HoldEntry::expiresAt).filter(at -> at.isAfter(now)).min(Comparator.naturalOrder());
  }

  @Override
  public StockState apply(Event event) {
    if (event instanceof LevelSet e) {
      Map<String, Integer> next = new LinkedHashMap<>(levels);
      if (e.level() == null) next.remove(e.sku());
      else next.put(e.sku(), e.level());
      return withLevels(next);
    }
    if (event instanceof Held e) {
      return withLevels(moved(e.hold().items(), -1)).withHold(e.hold());
    }
    if (event instanceof HoldConfirmed e) {
      return withoutHold(e.holdId()).remembering(e.holdId());
    }
    if (event instanceof HoldReleased e) {
      return withLevels(moved(holds.get(e.holdId()).items(), +1)).withoutHold(e.holdId());
    }
    if (event instanceof Returned e) {
      return withLevels(moved(e.items(), +1)).remembering(e.returnId());
    }
    throw new IllegalStateException("unknown event " + event);
  }

  /** The levels with {@code items} taken (-1) or given back (+1); unlimited dishes stay unlimited. */
  private Map<String, Integer> moved(Map<String, Integer> items, int sign) {
    Map<String, Integer> next = new LinkedHashMap<>(levels);
    items.forEach((sku, qty) -> next.computeIfPresent(sku, (k, left) -> left + sign * qty));
    return next;
  }

  private StockState withLevels(Map<String, Integer> next) {
    return new StockState(next, holds, appliedKeys);
  }

  private StockState withHold(HoldEntry hold) {
    Map<String, HoldEntry> next = new LinkedHashMap<>(holds);
    next.put(hold.holdId(), hold);
    return new StockState(levels, next, appliedKeys);
  }

  private StockState withoutHold(String holdId) {
    Map<String, HoldEntry> next = new LinkedHashMap<>(holds);
    next.remove(holdId);
    return new StockState(levels, next, appliedKeys);
  }

  private StockState remembering(String key) {
    List<String> next = new ArrayList<>(appliedKeys);
    next.add(key);
    if (next.size() > REMEMBERED_KEYS) next = next.subList(next.size() - REMEMBERED_KEYS, next.size());
    return new StockState(levels, holds, List.copyOf(next));
  }
}
