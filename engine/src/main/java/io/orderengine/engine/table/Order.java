package io.orderengine.engine.table;

import io.orderengine.engine.CborSerializable;
import io.orderengine.engine.Decision;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.VenueIds;
import io.orderengine.engine.bill.BillLine;
import io.orderengine.engine.bill.BillSpec;
import io.orderengine.engine.table.Table.Event;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The order seated at a table: its lines, kitchen tickets and bills, the requests it has seen, and
 * what it still owes the bills and the stock. Immutable; each event makes a new one.
 */
public record Order(
    String tableId,
    String orderId,
    int partySize,
    String waiter,
    Instant openedAt,
    List<Line> lines,
    List<Ticket> tickets,
    List<BillRef> bills,
    List<String> recentRequests,
    List<Removal> removals,
    List<String> stockReturned)
    implements CborSerializable {

  static final int REMEMBERED_REQUESTS = 256;

  /** A bill of the order: handed over ({@code delivered}) once the bill entity holds it. */
  public record BillRef(String billId, String requestId, BillSpec spec, boolean delivered, boolean settled)
      implements CborSerializable {}

  /** A voided line its bill must be told about. */
  public record Removal(String billId, String lineId, String reason, boolean delivered) implements CborSerializable {}

  public Order {
    lines = List.copyOf(lines);
    tickets = List.copyOf(tickets);
    bills = List.copyOf(bills);
    recentRequests = List.copyOf(recentRequests);
    removals = List.copyOf(removals);
    stockReturned = List.copyOf(stockReturned);
  }

  static Order opened(Table.Opened e) {
    return new Order(e.tableId(), e.orderId(), e.partySize(), e.waiter(), e.at(), List.of(), List.of(), List.of(),
        List.of(), List.of(), List.of());
  }

  static Order movedIn(Table.MovedIn e) {
    Table.MovedOrder o = e.order();
    return new Order(e.tableId(), o.orderId(), o.partySize(), o.waiter(), o.openedAt(), o.lines(), o.tickets(), List.of(),
        List.of(e.transferId()), List.of(), o.stockReturned());
  }

  Table.MovedOrder moving() {
    return new Table.MovedOrder(orderId, partySize, waiter, openedAt, lines, tickets, stockReturned);
  }

  // ---- queries ----

  public boolean seen(String requestId) {
    return requestId != null && recentRequests.contains(requestId);
  }

  Optional<Line> line(String lineId) {
    return lines.stream().filter(l -> l.lineId().equals(lineId)).findFirst();
  }

  <T> Decision<T> noLine(String lineId) {
    return Decision.refuse(Rejection.NOT_FOUND, "no line " + lineId + " on order " + orderId);
  }

  long subtotalMinor() {
    return sum(lines.stream().filter(l -> !l.voided()).toList());
  }

  static long sum(List<Line> ls) {
    long total = 0;
    for (Line l : ls) total = Math.addExact(total, l.amountMinor());
    return total;
  }

  public List<BillRef> undeliveredBills() {
    return bills.stream().filter(b -> !b.delivered()).toList();
  }

  public List<Removal> undeliveredRemovals() {
    return removals.stream().filter(r -> !r.delivered()).toList();
  }

  /** Voided lines whose portions the stock has not taken back yet. */
  public List<Line> portionsToReturn() {
    return lines.stream().filter(l -> l.voided() && !stockReturned.contains(l.lineId())).toList();
  }

  public List<BillSpec> billsOfRequest(String requestId) {
    return bills.stream().filter(b -> requestId.equals(b.requestId())).map(BillRef::spec).toList();
  }

  boolean handedOver(String requestId) {
    return bills.stream().filter(b -> requestId.equals(b.requestId())).allMatch(BillRef::delivered);
  }

  /**
   * Bills first, then what they must drop (once the bill holds it, so it can drop it), then the
   * portions of voided lines back to the stock.
   */
  List<Owed> owed() {
    List<Owed> owed = new ArrayList<>();
    undeliveredBills().forEach(b -> owed.add(new Owed.BillHandOver(b.spec())));
    undeliveredRemovals().stream()
        .filter(r -> bills.stream().anyMatch(b -> b.billId().equals(r.billId()) && b.delivered()))
        .forEach(r -> owed.add(new Owed.LineRemoval(r.billId(), r.lineId(), r.reason())));
    portionsToReturn().forEach(l -> owed.add(new Owed.PortionReturn(orderId, l.lineId(), l.sku(), l.qty())));
    return owed;
  }

  Table.View view(Table.Status status, Instant closedAt, String movedTo) {
    List<Table.BillSummary> summaries = bills.stream()
        .map(b -> new Table.BillSummary(b.billId(), b.spec().subtotalMinor(), b.spec().part(), b.spec().parts(), b.settled()))
        .toList();
    return new Table.View(tableId, orderId, status, partySize, waiter, openedAt, closedAt, lines, tickets, subtotalMinor(),
        summaries, movedTo);
  }

  // ---- decisions on an open order ----

  Decision<Event> decideAddLines(String requestId, List<NewLine> newLines, Instant at) {
    if (seen(requestId)) return Decision.none();
    if (newLines.isEmpty()) return Decision.refuse(Rejection.VALIDATION_FAILED, "items must not be empty");
    List<Line> added = new ArrayList<>();
    int next = lines.size();
    for (NewLine n : newLines) {
      if (n.qty() < 1 || n.qty() > 999) return Decision.refuse(Rejection.VALIDATION_FAILED, "qty must be 1..999");
      if (n.unitPriceMinor() < 0) return Decision.refuse(Rejection.VALIDATION_FAILED, "unit price must not be negative");
      if (n.seat() != null && (n.seat() < 1 || n.seat() > partySize)) {
        return Decision.refuse(Rejection.VALIDATION_FAILED, "seat must be 1.." + partySize + " for a party of " + partySize);
      }
      next++;
      added.add(new Line("l" + next, n.sku(), n.name(), n.stallId(), n.stationId(), n.qty(), n.unitPriceMinor(),
          n.note(), Line.Status.ORDERED, null, null, null, n.options(), n.seat()));
    }
    return Decision.accept(new Table.LinesAdded(tableId, orderId, requestId, added, at));
  }

  Decision<Event> decideVoid(String requestId, String lineId, String reason, Instant at) {
    if (seen(requestId)) return Decision.none();
    Optional<Line> found = line(lineId);
    if (found.isEmpty()) return noLine(lineId);
    Line line = found.get();
    if (line.voided()) return Decision.refuse(Rejection.LINE_ALREADY_VOIDED, "line " + lineId + " is already voided");
    long billsWithLine = bills.stream()
        .filter(b -> b.spec().lines().stream().anyMatch(l -> l.lineId().equals(lineId)))
        .count();
    if (billsWithLine > 1) {
      return Decision.refuse(Rejection.LINE_ALREADY_BILLED,
          "line " + lineId + " is shared by the bills of an even split; void it before splitting");
    }
    return Decision.accept(new Table.LineVoided(tableId, orderId, requestId, lineId, reason, at, line.billId()));
  }

  Decision<Event> decidePartySize(String requestId, int size, Instant at) {
    if (seen(requestId) || size == partySize) return Decision.none();
    if (size < 1 || size > 99) return Decision.refuse(Rejection.VALIDATION_FAILED, "partySize must be 1..99");
    return Decision.accept(new Table.PartySizeChanged(tableId, orderId, requestId, size, at));
  }

  Decision<Event> decideClose(Instant at) {
    List<String> unbilled = lines.stream().filter(l -> !l.voided() && !l.billed()).map(Line::lineId).toList();
    if (!unbilled.isEmpty()) {
      return Decision.refuse(Rejection.UNBILLED_LINES, "lines " + unbilled + " are not on any bill yet");
    }
    List<String> unsettled = bills.stream().filter(b -> !b.settled()).map(BillRef::billId).toList();
    if (!unsettled.isEmpty()) return Decision.refuse(Rejection.BILLS_UNSETTLED, "bills " + unsettled + " are not paid yet");
    if (!undeliveredRemovals().isEmpty()) {
      return Decision.refuse(Rejection.BILLS_UNSETTLED, "the refunds of voided lines are still on their way to their bills");
    }
    return Decision.accept(new Table.Closed(tableId, orderId, at));
  }

  /** The merge of another table's order into this one. */
  Decision<Event> decideMergeIn(String transferId, String fromTableId, Table.MovedOrder order, Instant at) {
    if (seen(transferId)) return Decision.none();
    if (!bills.isEmpty()) return Decision.refuse(Rejection.ORDER_HAS_BILLS, "order " + orderId + " already has bills");
    return Decision.accept(new Table.MergedIn(tableId, orderId, transferId, fromTableId, order, at));
  }

  // ---- news from the bills and the stock: each counted once ----

  Decision<Event> decideBillSettled(String billId, Instant at) {
    return bills.stream().anyMatch(b -> b.billId().equals(billId) && !b.settled())
        ? Decision.accept(new Table.BillSettled(tableId, orderId, billId, at))
        : Decision.none();
  }

  Decision<Event> decideBillDelivered(String billId) {
    return bills.stream().anyMatch(b -> b.billId().equals(billId) && !b.delivered())
        ? Decision.accept(new Table.BillHandedOver(tableId, orderId, billId))
        : Decision.none();
  }

  Decision<Event> decideRemovalDelivered(String billId, String lineId) {
    return removals.stream().anyMatch(r -> r.billId().equals(billId) && r.lineId().equals(lineId) && !r.delivered())
        ? Decision.accept(new Table.LineRemovalDelivered(tableId, orderId, billId, lineId))
        : Decision.none();
  }

  Decision<Event> decideStockReturned(String lineId) {
    return portionsToReturn().stream().anyMatch(l -> l.lineId().equals(lineId))
        ? Decision.accept(new Table.StockReturned(tableId, orderId, lineId))
        : Decision.none();
  }

  // ---- events ----

  /** An event about the order itself (not about where it sits). */
  Order apply(Event event) {
    if (event instanceof Table.LinesAdded e) {
      List<Line> next = new ArrayList<>(lines);
      next.addAll(e.lines());
      return withLines(next).remember(e.requestId());
    }
    if (event instanceof Table.LineVoided e) {
      Order next = withLines(replace(lines, e.lineId(), l -> l.voidedFor(e.reason()))).remember(e.requestId());
      if (e.billId() == null) return next;
      List<Removal> pending = new ArrayList<>(removals);
      pending.add(new Removal(e.billId(), e.lineId(), e.reason(), false));
      return next.withRemovals(pending);
    }
    if (event instanceof Table.TicketFired e) {
      List<Line> next = lines;
      for (String id : e.ticket().lineIds()) next = replace(next, id, l -> l.firedOn(e.ticket().ticketId()));
      List<Ticket> nextTickets = new ArrayList<>(tickets);
      nextTickets.add(e.ticket());
      return withLines(next).withTickets(nextTickets).remember(e.requestId());
    }
    if (event instanceof Table.LineReady e) return withLines(replace(lines, e.lineId(), l -> l.withStatus(Line.Status.READY)));
    if (event instanceof Table.LineServed e) return withLines(replace(lines, e.lineId(), l -> l.withStatus(Line.Status.SERVED)));
    if (event instanceof Table.TicketRecalled e) {
      List<Line> next = lines;
      for (String id : e.lineIds()) next = replace(next, id, l -> l.withStatus(Line.Status.FIRED));
      return withLines(next).remember(e.requestId());
    }
    if (event instanceof Table.TicketReprinted e) return remember(e.requestId());
    if (event instanceof Table.PartySizeChanged e) return withPartySize(e.partySize()).remember(e.requestId());
    if (event instanceof Table.MoveStarted e) return remember(e.transferId());
    if (event instanceof Table.MergedIn e) return mergedIn(e);
    if (event instanceof Table.BillsRequested e) {
      List<Line> next = lines;
      List<BillRef> nextBills = new ArrayList<>(bills);
      for (BillSpec spec : e.bills()) {
        for (BillLine bl : spec.lines()) next = replace(next, bl.lineId(), l -> l.billed() ? l : l.billedBy(spec.billId()));
        nextBills.add(new BillRef(spec.billId(), e.requestId(), spec, false, false));
      }
      return withLines(next).withBills(nextBills).remember(e.requestId());
    }
    if (event instanceof Table.BillHandedOver e) {
      return withBills(bills.stream()
          .map(b -> b.billId().equals(e.billId()) ? new BillRef(b.billId(), b.requestId(), b.spec(), true, b.settled()) : b)
          .toList());
    }
    if (event instanceof Table.BillSettled e) {
      return withBills(bills.stream()
          .map(b -> b.billId().equals(e.billId()) ? new BillRef(b.billId(), b.requestId(), b.spec(), true, true) : b)
          .toList());
    }
    if (event instanceof Table.StockReturned e) {
      List<String> next = new ArrayList<>(stockReturned);
      next.add(e.lineId());
      return withStockReturned(next);
    }
    if (event instanceof Table.LineRemovalDelivered e) {
      return withRemovals(removals.stream()
          .map(r -> r.billId().equals(e.billId()) && r.lineId().equals(e.lineId())
              ? new Removal(r.billId(), r.lineId(), r.reason(), true) : r)
          .toList());
    }
    // Opened, MovedIn, MovedOut, MoveRefused, Closed: the table's stage changes, the order does not
    return this;
  }

  /** A merged line's name at this table: the table it came from, as its venue names it, and its own. */
  public static String mergedLineId(String fromTableId, String lineId) {
    return VenueIds.localOf(fromTableId) + "_" + lineId;
  }

  private Order mergedIn(Table.MergedIn e) {
    UnaryOperator<String> rename = id -> mergedLineId(e.fromTableId(), id);
    List<Line> nextLines = new ArrayList<>(lines);
    for (Line l : e.order().lines()) {
      nextLines.add(new Line(rename.apply(l.lineId()), l.sku(), l.name(), l.stallId(), l.stationId(), l.qty(),
          l.unitPriceMinor(), l.note(), l.status(), l.voidReason(), l.ticketId(), null, l.options(), null));
    }
    List<Ticket> nextTickets = new ArrayList<>(tickets);
    for (Ticket t : e.order().tickets()) {
      nextTickets.add(new Ticket(t.ticketId(), t.stationId(), t.lineIds().stream().map(rename).toList(), t.firedAt(),
          t.items().stream().map(i -> new Ticket.Item(rename.apply(i.lineId()), i.sku(), i.name(), i.qty(), i.note())).toList()));
    }
    List<String> nextReturned = new ArrayList<>(stockReturned);
    e.order().stockReturned().forEach(id -> nextReturned.add(rename.apply(id)));
    return withPartySize(Math.min(99, partySize + e.order().partySize()))
        .withLines(nextLines).withTickets(nextTickets).withStockReturned(nextReturned).remember(e.transferId());
  }

  private static List<Line> replace(List<Line> ls, String lineId, Function<Line, Line> change) {
    return ls.stream().map(l -> l.lineId().equals(lineId) ? change.apply(l) : l).toList();
  }

  private Order remember(String requestId) {
    if (requestId == null || recentRequests.contains(requestId)) return this;
    List<String> next = new ArrayList<>(recentRequests);
    next.add(requestId);
    return withRecentRequests(next.subList(Math.max(0, next.size() - REMEMBERED_REQUESTS), next.size()));
  }

  // ---- copies ----

  private Order withPartySize(int next) {
    return new Order(tableId, orderId, next, waiter, openedAt, lines, tickets, bills, recentRequests, removals, stockReturned);
  }

  private Order withLines(List<Line> next) {
    return new Order(tableId, orderId, partySize, waiter, openedAt, next, tickets, bills, recentRequests, removals, stockReturned);
  }

  private Order withTickets(List<Ticket> next) {
    return new Order(tableId, orderId, partySize, waiter, openedAt, lines, next, bills, recentRequests, removals, stockReturned);
  }

  private Order withBills(List<BillRef> next) {
    return new Order(tableId, orderId, partySize, waiter, openedAt, lines, tickets, next, recentRequests, removals, stockReturned);
  }

  private Order withRecentRequests(List<String> next) {
    return new Order(tableId, orderId, partySize, waiter, openedAt, lines, tickets, bills, next, removals, stockReturned);
  }

  private Order withRemovals(List<Removal> next) {
    return new Order(tableId, orderId, partySize, waiter, openedAt, lines, tickets, bills, recentRequests, next, stockReturned);
  }

  private Order withStockReturned(List<String> next) {
    return new Order(tableId, orderId, partySize, waiter, openedAt, lines, tickets, bills, recentRequests, removals, next);
  }
}
