package io.orderengine.engine.table;

import io.orderengine.engine.Decision;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.table.Table.Event;
import io.orderengine.engine.table.Table.TicketAction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What an order's lines become in the kitchen: tickets per station, dishes ready and served, tickets recalled or reprinted. */
final class Kitchen {
  private Kitchen() {}

  /**
   * One ticket per station for the lines not fired yet (of bill {@code billId} only, when given);
   * voided lines stay out.
   */
  static Decision<Event> fire(Order order, String requestId, String billId, Instant at) {
    if (order.seen(requestId)) return Decision.none();
    Map<String, List<Line>> byStation = new LinkedHashMap<>();
    for (Line l : order.lines()) {
      if (l.status() == Line.Status.ORDERED && (billId == null || billId.equals(l.billId()))) byStation.computeIfAbsent(l.stationId(), s -> new ArrayList<>()).add(l);
    }
    List<Event> events = new ArrayList<>();
    int next = order.tickets().size();
    for (Map.Entry<String, List<Line>> e : byStation.entrySet()) {
      next++;
      Ticket ticket = new Ticket(order.orderId() + "-K" + next, e.getKey(),
          e.getValue().stream().map(Line::lineId).toList(), at,
          e.getValue().stream().map(l -> new Ticket.Item(l.lineId(), l.sku(), l.name(), l.qty(), itemNote(l))).toList());
      events.add(new Table.TicketFired(order.tableId(), order.orderId(), requestId, ticket));
    }
    return Decision.accept(events);
  }

  /** FIRED → READY → SERVED; marking a dish as it already is changes nothing. */
  static Decision<Event> markLine(Order order, String ticketId, String lineId, Line.Status to, Instant at) {
    Optional<Ticket> found = ticket(order, ticketId);
    if (found.isEmpty()) return noTicket(order.tableId(), ticketId);
    Ticket ticket = found.get();
    if (!ticket.lineIds().contains(lineId)) {
      return Decision.refuse(Rejection.NOT_FOUND, "line " + lineId + " is not on ticket " + ticketId);
    }
    Optional<Line> line = order.line(lineId);
    if (line.isEmpty()) return order.noLine(lineId);
    if (line.get().voided()) return Decision.refuse(Rejection.LINE_ALREADY_VOIDED, "line " + lineId + " was voided");
    if (line.get().status() == to || line.get().status() == Line.Status.SERVED) return Decision.none();
    return switch (to) {
      case READY -> Decision.accept(new Table.LineReady(order.tableId(), order.orderId(), ticketId, lineId, ticket.stationId(), at));
      case SERVED -> Decision.accept(new Table.LineServed(order.tableId(), order.orderId(), ticketId, lineId, ticket.stationId(), at));
      default -> Decision.refuse(Rejection.VALIDATION_FAILED, "a dish is marked READY or SERVED");
    };
  }

  static Decision<Event> actOnTicket(Order order, String requestId, String ticketId, TicketAction action, Instant at) {
    if (order.seen(requestId)) return Decision.none();
    Optional<Ticket> found = ticket(order, ticketId);
    if (found.isEmpty()) return noTicket(order.tableId(), ticketId);
    Ticket ticket = found.get();
    if (action == TicketAction.REPRINT) {
      return Decision.accept(new Table.TicketReprinted(order.tableId(), order.orderId(), requestId, ticketId, ticket.stationId(), at));
    }
    List<String> redo = order.lines().stream()
        .filter(l -> ticket.lineIds().contains(l.lineId()))
        .filter(l -> l.status() == Line.Status.READY || l.status() == Line.Status.SERVED)
        .map(Line::lineId)
        .toList();
    if (redo.isEmpty()) return Decision.none();
    return Decision.accept(
        new Table.TicketRecalled(order.tableId(), order.orderId(), requestId, ticketId, ticket.stationId(), redo, at));
  }

  static <T> Decision<T> noTicket(String tableId, String ticketId) {
    return Decision.refuse(Rejection.NOT_FOUND, "no ticket " + ticketId + " on table " + tableId);
  }

  private static Optional<Ticket> ticket(Order order, String ticketId) {
    return order.tickets().stream().filter(t -> t.ticketId().equals(ticketId)).findFirst();
  }

  /** What the cook reads: the choices made, then the diner's note. */
  private static String itemNote(Line l) {
    String choices = String.join(" / ", l.options());
    if (l.note() == null || l.note().isBlank()) return choices.isEmpty() ? null : choices;
    return choices.isEmpty() ? l.note() : choices + " · " + l.note();
  }
}
