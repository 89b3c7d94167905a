package io.orderengine.engine.table;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.orderengine.engine.CborSerializable;
import io.orderengine.engine.Decision;
import io.orderengine.engine.DomainEntity;
import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.bill.BillSpec;
import io.orderengine.engine.table.Table.Event;
import io.orderengine.engine.table.Table.MovedOrder;
import io.orderengine.engine.table.Table.Status;
import io.orderengine.engine.table.Table.TicketAction;
import io.orderengine.engine.table.Table.View;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The table's pure core, one record per stage of its life: {@link Free} (never seated),
 * {@link Seated}, {@link Moving} (its order on the way to another table), {@link MovedAway} and
 * {@link Closed}. Each decides a command as a {@link Decision} and folds the events into the next
 * stage; what the order is made of lives in {@link Order}, whatever the stage.
 *
 * <p>A command a stage does not take is refused here, once: the defaults below are the answers of
 * a table without an open order, and the stages that answer otherwise override them.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "stage")
@JsonSubTypes({
  @JsonSubTypes.Type(value = TableState.Free.class, name = "FREE"),
  @JsonSubTypes.Type(value = TableState.Seated.class, name = "SEATED"),
  @JsonSubTypes.Type(value = TableState.Moving.class, name = "MOVING"),
  @JsonSubTypes.Type(value = TableState.MovedAway.class, name = "MOVED_AWAY"),
  @JsonSubTypes.Type(value = TableState.Closed.class, name = "CLOSED")
})
public sealed interface TableState extends CborSerializable, DomainEntity.Evolving<Event, TableState> {

  /** Where earlier orders of this table went (newest last), so their kitchen tickets still find them. */
  int FORWARDS_KEPT = 20;

  /** An earlier order of this table that moved to {@code toTableId} (merged into its order when {@code merge}). */
  record Forward(String orderId, String toTableId, boolean merge) implements CborSerializable {}

  static TableState free(String tableId) {
    return new Free(tableId);
  }

  String tableId();

  /** How many orders were opened here: the next is numbered on. */
  int orderSeq();

  List<Forward> forwards();

  /** The order at the table, open or last; null while {@link Free}. */
  Order order();

  View view();

  /** What the table still owes other entities; the shell hands it to the courier. */
  default List<Owed> owed() {
    return order() == null ? List.of() : order().owed();
  }

  default boolean seen(String requestId) {
    return order() != null && order().seen(requestId);
  }

  default List<BillSpec> billsOfRequest(String requestId) {
    return order() == null ? List.of() : order().billsOfRequest(requestId);
  }

  /** Every bill of the request is held by its bill entity (none at all counts as handed over). */
  default boolean handedOver(String requestId) {
    return order() == null || order().handedOver(requestId);
  }

  /** The table a ticket's order moved to, when it moved on from here. */
  default Optional<Forward> movedAway(String ticketId) {
    for (int i = forwards().size() - 1; i >= 0; i--) {
      if (ticketId.startsWith(forwards().get(i).orderId() + "-K")) return Optional.of(forwards().get(i));
    }
    return Optional.empty();
  }

  // ---- decisions; the defaults answer for a table without an open order ----

  default <T> Decision<T> notOpen() {
    return Decision.refuse(Rejection.TABLE_NOT_OPEN, "table " + tableId() + " has no open order");
  }

  default Decision<Event> decideOpen(int partySize, String waiter, Instant at) {
    if (partySize < 1 || partySize > 99) return Decision.refuse(Rejection.VALIDATION_FAILED, "partySize must be 1..99");
    String orderId = tableId() + "-" + String.format("%04d", orderSeq() + 1);
    return Decision.accept(new Table.Opened(tableId(), orderId, partySize, waiter, at));
  }

  default Decision<Event> decideAddLines(String requestId, List<NewLine> lines, Instant at) {
    return notOpen();
  }

  default Decision<Event> decideVoid(String requestId, String lineId, String reason, Instant at) {
    return notOpen();
  }

  default Decision<Event> decideFire(String requestId, String billId, Instant at) {
    return notOpen();
  }

  default Decision<Event> decidePartySize(String requestId, int partySize, Instant at) {
    return notOpen();
  }

  default Decision<Event> decideRequestBill(String requestId, Split split, Instant at) {
    return notOpen();
  }

  default Decision<Event> decideClose(Instant at) {
    return notOpen();
  }

  /** The kitchen works on the tickets of the order at the table, open or not. */
  default Decision<Event> decideMarkLine(String ticketId, String lineId, Line.Status to, Instant at) {
    return order() == null ? Kitchen.noTicket(tableId(), ticketId) : Kitchen.markLine(order(), ticketId, lineId, to, at);
  }

  default Decision<Event> decideTicketAction(String requestId, String ticketId, TicketAction action, Instant at) {
    return order() == null
        ? Kitchen.noTicket(tableId(), ticketId)
        : Kitchen.actOnTicket(order(), requestId, ticketId, action, at);
  }

  default Decision<Event> decideTransferOut(String requestId, String toTableId, boolean merge, Instant at) {
    return notOpen();
  }

  /** Another table's order arrives: a free or cleared table takes it; a merge needs an open order. */
  default Decision<Event> decideReceive(String transferId, String fromTableId, MovedOrder order, boolean merge, Instant at) {
    if (merge) return seen(transferId) ? Decision.none() : notOpen();
    return Decision.accept(new Table.MovedIn(tableId(), order.orderId(), transferId, fromTableId, order, at));
  }

  default Decision<Event> decideBillSettled(String billId, Instant at) {
    return order() == null ? Decision.none() : order().decideBillSettled(billId, at);
  }

  /** The receiver of what was owed under {@code key} acknowledged it; nothing if it is no longer owed. */
  default Decision<Event> decideDelivered(String key, Instant at) {
    Optional<Owed> owed = owed().stream().filter(o -> o.key().equals(key)).findFirst();
    if (owed.isEmpty()) return Decision.none();
    if (owed.get() instanceof Owed.BillHandOver h) return order().decideBillDelivered(h.spec().billId());
    if (owed.get() instanceof Owed.LineRemoval r) return order().decideRemovalDelivered(r.billId(), r.lineId());
    if (owed.get() instanceof Owed.PortionReturn p) return order().decideStockReturned(p.lineId());
    return Decision.none();
  }

  /** The receiver said no for good. Only a table refuses for good (a move); the rest stays owed. */
  default Decision<Event> decideRefused(String key, Rejected refusal, Instant at) {
    return Decision.none();
  }

  // ---- events ----

  /** A new order sits down wherever the table was; the rest changes the stage or the order in it. */
  default TableState apply(Event event) {
    if (event instanceof Table.Opened e) return new Seated(Order.opened(e), orderSeq() + 1, forwardsOnLeaving());
    if (event instanceof Table.MovedIn e) return new Seated(Order.movedIn(e), orderSeq(), forwardsOnLeaving());
    return next(event);
  }

  /** This stage after an event of its order. */
  TableState next(Event event);

  default List<Forward> forwardsOnLeaving() {
    return forwards();
  }

  // ---- the stages ----

  /** No order has sat here yet. */
  record Free(String tableId) implements TableState {
    public int orderSeq() {
      return 0;
    }

    public List<Forward> forwards() {
      return List.of();
    }

    public Order order() {
      return null;
    }

    public View view() {
      return new View(tableId, null, Status.FREE, 0, null, null, null, List.of(), List.of(), 0, List.of(), null);
    }

    public TableState next(Event event) {
      return this;
    }
  }

  /** An open order: the only stage that takes orders, voids, firings, bill requests and moves. */
  record Seated(Order order, int orderSeq, List<Forward> forwards) implements TableState {
    public Seated {
      forwards = List.copyOf(forwards);
    }

    public String tableId() {
      return order.tableId();
    }

    public View view() {
      return order.view(Status.OPEN, null, null);
    }

    public Decision<Event> decideOpen(int partySize, String waiter, Instant at) {
      return Decision.refuse(Rejection.TABLE_ALREADY_OPEN, "table " + tableId() + " already has order " + order.orderId());
    }

    public Decision<Event> decideAddLines(String requestId, List<NewLine> lines, Instant at) {
      return order.decideAddLines(requestId, lines, at);
    }

    public Decision<Event> decideVoid(String requestId, String lineId, String reason, Instant at) {
      return order.decideVoid(requestId, lineId, reason, at);
    }

    public Decision<Event> decideFire(String requestId, String billId, Instant at) {
      return Kitchen.fire(order, requestId, billId, at);
    }

    public Decision<Event> decidePartySize(String requestId, int partySize, Instant at) {
      return order.decidePartySize(requestId, partySize, at);
    }

    public Decision<Event> decideRequestBill(String requestId, Split split, Instant at) {
      return Billing.request(order, requestId, split, at);
    }

    public Decision<Event> decideClose(Instant at) {
      return order.decideClose(at);
    }

    public Decision<Event> decideTransferOut(String requestId, String toTableId, boolean merge, Instant at) {
      if (toTableId.equals(tableId())) return Decision.refuse(Rejection.VALIDATION_FAILED, "an order moves to another table");
      if (!order.bills().isEmpty()) {
        return Decision.refuse(Rejection.ORDER_HAS_BILLS, "order " + order.orderId() + " already has bills; settle it where it is");
      }
      return Decision.accept(new Table.MoveStarted(tableId(), order.orderId(), requestId, toTableId, at, merge));
    }

    public Decision<Event> decideReceive(String transferId, String fromTableId, MovedOrder moved, boolean merge, Instant at) {
      if (merge) return order.decideMergeIn(transferId, fromTableId, moved, at);
      if (moved.orderId().equals(order.orderId())) return Decision.none();
      return Decision.refuse(Rejection.TABLE_ALREADY_OPEN, "table " + tableId() + " is taken by order " + order.orderId());
    }

    public TableState next(Event event) {
      if (event instanceof Table.MoveStarted e) {
        return new Moving(order.apply(e), orderSeq, forwards, e.transferId(), e.toTableId(), e.merge(), e.at());
      }
      if (event instanceof Table.Closed e) return new Closed(order, orderSeq, forwards, e.at());
      return new Seated(order.apply(event), orderSeq, forwards);
    }
  }

  /** The order is on its way to {@code toTableId}; it takes nothing new until the other table answers. */
  record Moving(Order order, int orderSeq, List<Forward> forwards, String transferId, String toTableId, boolean merge,
      Instant startedAt) implements TableState {
    public Moving {
      forwards = List.copyOf(forwards);
    }

    public String tableId() {
      return order.tableId();
    }

    public View view() {
      return order.view(Status.OPEN, null, null);
    }

    public <T> Decision<T> notOpen() {
      return Decision.refuse(Rejection.TABLE_NOT_OPEN, "the order of table " + tableId() + " is moving to " + toTableId);
    }

    public List<Owed> owed() {
      List<Owed> owed = new ArrayList<>(order.owed());
      owed.add(new Owed.OrderMove(transferId, toTableId, merge, order.moving(), startedAt));
      return owed;
    }

    public Decision<Event> decideOpen(int partySize, String waiter, Instant at) {
      return Decision.refuse(Rejection.TABLE_ALREADY_OPEN, "table " + tableId() + " already has order " + order.orderId());
    }

    /** The same move asked again joins it. */
    public Decision<Event> decideTransferOut(String requestId, String to, boolean merging, Instant at) {
      return transferId.equals(requestId) ? Decision.none() : notOpen();
    }

    public Decision<Event> decideReceive(String id, String fromTableId, MovedOrder moved, boolean merging, Instant at) {
      if (merging) return seen(id) ? Decision.none() : notOpen();
      if (moved.orderId().equals(order.orderId())) return Decision.none();
      return Decision.refuse(Rejection.TABLE_ALREADY_OPEN, "table " + tableId() + " is taken by order " + order.orderId());
    }

    public Decision<Event> decideDelivered(String key, Instant at) {
      if (!key.equals(Owed.OrderMove.keyOf(transferId))) return TableState.super.decideDelivered(key, at);
      return Decision.accept(new Table.MovedOut(tableId(), order.orderId(), transferId, toTableId, at));
    }

    public Decision<Event> decideRefused(String key, Rejected refusal, Instant at) {
      if (!key.equals(Owed.OrderMove.keyOf(transferId))) return Decision.none();
      return Decision.accept(new Table.MoveRefused(tableId(), order.orderId(), transferId, refusal.detail(), at));
    }

    public TableState next(Event event) {
      if (event instanceof Table.MovedOut e) return new MovedAway(order, orderSeq, forwards, e.toTableId(), merge, e.at());
      if (event instanceof Table.MoveRefused) return new Seated(order, orderSeq, forwards);
      return new Moving(order.apply(event), orderSeq, forwards, transferId, toTableId, merge, startedAt);
    }
  }

  /** The order left for {@code toTableId}; its kitchen tickets, and what it owed the stock, went with it. */
  record MovedAway(Order order, int orderSeq, List<Forward> forwards, String toTableId, boolean merge, Instant movedAt)
      implements TableState {
    public MovedAway {
      forwards = List.copyOf(forwards);
    }

    public String tableId() {
      return order.tableId();
    }

    public View view() {
      return order.view(Status.CLOSED, movedAt, toTableId);
    }

    /** The other table owes the stock the portions of the order's voided lines now: one sender. */
    public List<Owed> owed() {
      return List.of();
    }

    public Optional<Forward> movedAway(String ticketId) {
      if (ticketId.startsWith(order.orderId() + "-K")) return Optional.of(new Forward(order.orderId(), toTableId, merge));
      return TableState.super.movedAway(ticketId);
    }

    /** The move asked again after it landed: done. */
    public Decision<Event> decideTransferOut(String requestId, String to, boolean merging, Instant at) {
      return seen(requestId) && to.equals(toTableId) ? Decision.none() : notOpen();
    }

    public List<Forward> forwardsOnLeaving() {
      List<Forward> next = new ArrayList<>(forwards);
      next.add(new Forward(order.orderId(), toTableId, merge));
      return List.copyOf(next.subList(Math.max(0, next.size() - FORWARDS_KEPT), next.size()));
    }

    public TableState next(Event event) {
      return new MovedAway(order.apply(event), orderSeq, forwards, toTableId, merge, movedAt);
    }
  }

  /** The order paid and left; the table shows it until the next one sits down. */
  record Closed(Order order, int orderSeq, List<Forward> forwards, Instant closedAt) implements TableState {
    public Closed {
      forwards = List.copyOf(forwards);
    }

    public String tableId() {
      return order.tableId();
    }

    public View view() {
      return order.view(Status.CLOSED, closedAt, null);
    }

    public TableState next(Event event) {
      return new Closed(order.apply(event), orderSeq, forwards, closedAt);
    }
  }
}
