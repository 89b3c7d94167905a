package io.orderengine.engine.venue;

import io.orderengine.engine.CborSerializable;
import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import java.util.ArrayList;
import java.util.List;

/**
 * One dish on the menu: who cooks it (station), who sells it (stall), what it costs, and the
 * choices a diner makes (size, spice, extras), each of which may change the price.
 */
public record MenuItem(
    String sku,
    String name,
    String nameEn,
    String stallId,
    String stationId,
    String category,
    long priceMinor,
    boolean available,
    List<OptionGroup> options)
    implements CborSerializable {

  /** A choice a diner makes for a dish: one of its {@code choices}, or several when {@code multiple}. */
  public record OptionGroup(String groupId, String name, boolean required, boolean multiple, List<Choice> choices)
      implements CborSerializable {
    public OptionGroup {
      choices = List.copyOf(choices);
    }
  }

  public record Choice(String code, String name, long priceDeltaMinor) implements CborSerializable {}

  /** The choices made for one line and what they add to the unit price. */
  public record Chosen(List<String> names, long priceDeltaMinor) {}

  public MenuItem {
    options = options == null ? List.of() : List.copyOf(options);
  }

  public MenuItem(String sku, String name, String nameEn, String stallId, String stationId, String category,
      long priceMinor, boolean available) {
    this(sku, name, nameEn, stallId, stationId, category, priceMinor, available, List.of());
  }

  /** Checks the codes a diner chose against the dish's option groups. */
  public Chosen choose(List<String> codes) {
    List<String> names = new ArrayList<>();
    long delta = 0;
    List<String> unmatched = new ArrayList<>(codes);
    for (OptionGroup group : options) {
      List<Choice> picked = group.choices().stream().filter(c -> codes.contains(c.code())).toList();
      if (group.required() && picked.isEmpty()) {
        throw new Rejected(Rejection.VALIDATION_FAILED, sku + " needs a choice of " + group.name() + " ("
            + group.choices().stream().map(Choice::code).toList() + ")");
      }
      if (!group.multiple() && picked.size() > 1) {
        throw new Rejected(Rejection.VALIDATION_FAILED, sku + " takes one choice of " + group.name());
      }
      for (Choice c : picked) {
        names.add(c.name());
        delta += c.priceDeltaMinor();
        unmatched.remove(c.code());
      }
    }
    if (!unmatched.isEmpty()) {
      throw new Rejected(Rejection.VALIDATION_FAILED, sku + " has no options " + unmatched);
    }
    return new Chosen(names, delta);
  }
}
