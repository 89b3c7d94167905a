package io.orderengine.engine.bill;

import io.orderengine.engine.CborSerializable;
import java.util.List;

/**
 * The settlement data a table hands to the checkout: which order, which lines, and what this bill
 * is owed before discounts. {@code part} of {@code parts} tells an even split ("2 of 3") apart
 * from a whole bill (1 of 1); for an even split every part lists all lines and owes its share.
 */
public record BillSpec(
    String billId,
    String tableId,
    String orderId,
    String waiter,
    List<BillLine> lines,
    long subtotalMinor,
    int part,
    int parts)
    implements CborSerializable {

  public BillSpec {
    lines = List.copyOf(lines);
  }
}
