package io.orderengine.engine.table;

import io.orderengine.engine.Decision;
import io.orderengine.engine.Money;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.bill.BillLine;
import io.orderengine.engine.bill.BillSpec;
import io.orderengine.engine.table.Table.Event;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** How the lines of an order not billed yet become bills, split the way the diners asked. */
final class Billing {
  private Billing() {}

  static Decision<Event> request(Order order, String requestId, Split split, Instant at) {
    if (order.seen(requestId)) return Decision.none();
    List<Line> billable = order.lines().stream().filter(l -> !l.voided() && !l.billed()).toList();
    if (billable.isEmpty()) {
      return Decision.refuse(Rejection.NOTHING_TO_BILL, "every line of " + order.orderId() + " is billed or voided");
    }
    int next = order.bills().size();
    List<BillSpec> specs = new ArrayList<>();
    if (split instanceof Split.Whole) {
      specs.add(spec(order, next + 1, billable, Order.sum(billable), 1, 1));
    } else if (split instanceof Split.Even even) {
      if (even.parts() < 2 || even.parts() > Split.MAX_PARTS) {
        return Decision.refuse(Rejection.VALIDATION_FAILED, "an even split has 2.." + Split.MAX_PARTS + " parts");
      }
      if (Order.sum(billable) < even.parts()) {
        return Decision.refuse(Rejection.VALIDATION_FAILED, "too little to split into " + even.parts() + " parts");
      }
      List<Long> shares = Money.splitEvenly(Order.sum(billable), even.parts());
      for (int i = 0; i < even.parts(); i++) {
        specs.add(spec(order, next + i + 1, billable, shares.get(i), i + 1, even.parts()));
      }
    } else if (split instanceof Split.ByLines byLines) {
      if (byLines.parts().isEmpty() || byLines.parts().size() > Split.MAX_PARTS) {
        return Decision.refuse(Rejection.VALIDATION_FAILED, "a split by lines has 1.." + Split.MAX_PARTS + " parts");
      }
      Set<String> taken = new HashSet<>();
      int part = 0;
      for (List<String> ids : byLines.parts()) {
        part++;
        if (ids.isEmpty()) return Decision.refuse(Rejection.VALIDATION_FAILED, "part " + part + " has no lines");
        List<Line> partLines = new ArrayList<>();
        for (String id : ids) {
          Optional<Line> found = order.line(id);
          if (found.isEmpty()) return order.noLine(id);
          Line l = found.get();
          if (!taken.add(id)) return Decision.refuse(Rejection.VALIDATION_FAILED, "line " + id + " is in two parts");
          if (l.voided()) return Decision.refuse(Rejection.LINE_ALREADY_VOIDED, "line " + id + " is voided");
          if (l.billed()) return Decision.refuse(Rejection.LINE_ALREADY_BILLED, "line " + id + " is on bill " + l.billId());
          partLines.add(l);
        }
        specs.add(spec(order, next + part, partLines, Order.sum(partLines), part, byLines.parts().size()));
      }
    } else if (split instanceof Split.BySeat) {
      Map<Integer, List<Line>> bySeat = new TreeMap<>(Comparator.nullsLast(Integer::compare));
      for (Line l : billable) bySeat.computeIfAbsent(l.seat(), k -> new ArrayList<>()).add(l);
      int part = 0;
      for (List<Line> seatLines : bySeat.values()) {
        part++;
        specs.add(spec(order, next + part, seatLines, Order.sum(seatLines), part, bySeat.size()));
      }
    } else {
      return Decision.refuse(Rejection.VALIDATION_FAILED, "unknown split");
    }
    return Decision.accept(new Table.BillsRequested(order.tableId(), order.orderId(), requestId, specs, at));
  }

  private static BillSpec spec(Order order, int billNo, List<Line> billLines, long subtotal, int part, int parts) {
    List<BillLine> bl = billLines.stream()
        .map(l -> new BillLine(l.lineId(), l.sku(), l.name(), l.stallId(), l.qty(), l.unitPriceMinor(), l.amountMinor()))
        .toList();
    return new BillSpec(order.orderId() + "-B" + billNo, order.tableId(), order.orderId(), order.waiter(), bl, subtotal,
        part, parts);
  }
}
