package io.orderengine.engine.table;

import io.orderengine.engine.CborSerializable;
import io.orderengine.engine.Money;
import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.bill.Bill;
import io.orderengine.engine.bill.BillLine;
import io.orderengine.engine.bill.BillSpec;
import io.orderengine.engine.venue.Stock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.pekko.Done;
import io.orderengine.engine.DomainEntity;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * A table of the venue and the order seated at it. One writer per table: every line, firing, bill
 * request and settlement of the order is an event of this entity.
 *
 * <p>The table hands its bills to the {@link Bill} entities and keeps re-sending each one until the
 * bill confirms it, so a crash between the two never leaves a bill the table knows but the
 * checkout does not.
 */
public final class Table
    extends DomainEntity<Table.Command, Table.Event, Table.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Table");
  public static final int TAG_COUNT = 4;
  public static final String TAG_PREFIX = "table-";
  static final int REMEMBERED_REQUESTS = 256;
  private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration REDELIVERY_DELAY = Duration.ofSeconds(2);

  public static String tagFor(String tableId) {
    return TAG_PREFIX + Math.floorMod(tableId.hashCode(), TAG_COUNT);
  }

  // ---- protocol ----

  public sealed interface Command extends CborSerializable {}

  public record Open(int partySize, String waiter, Instant at, ActorRef<StatusReply<View>> replyTo)
      implements Command {}

  public record AddLines(String requestId, List<NewLine> lines, Instant at, ActorRef<StatusReply<View>> replyTo)
      implements Command {
    public AddLines {
      lines = List.copyOf(lines);
    }
  }

  public record VoidLine(String requestId, String lineId, String reason, Instant at, ActorRef<StatusReply<View>> replyTo)
      implements Command {}

  public record Fire(String requestId, Instant at, ActorRef<StatusReply<View>> replyTo) implements Command {}

  public record RequestBill(String requestId, Split split, Instant at, ActorRef<StatusReply<BillsRequestedReply>> replyTo)
      implements Command {}

  public record Close(Instant at, ActorRef<StatusReply<View>> replyTo) implements Command {}

  public record Get(ActorRef<View> replyTo) implements Command {}

  /** Did a request of this id leave its mark here? Asked by the stock about a hold nobody confirmed. */
  public record HasRequest(String requestId, ActorRef<Boolean> replyTo) implements Command {}

  /** From the kitchen: a dish of a ticket is ready at the pass, or served at the table (传菜). */
  public record MarkLine(String ticketId, String lineId, Line.Status status, Instant at, ActorRef<StatusReply<View>> replyTo)
      implements Command {}

  public enum TicketAction {
    /** The ticket's dishes are cooked again (sent back, dropped): they return to FIRED. */
    RECALL,
    /** The ticket is printed again at its station; nothing else changes. */
    REPRINT
  }

  public record ActOnTicket(String requestId, String ticketId, TicketAction action, Instant at,
      ActorRef<StatusReply<View>> replyTo) implements Command {}

  /** Moves the open order, with every line and ticket, to a free table (换台). */
  /** {@code merge}: the target keeps its own order and takes these lines into it (并台). */
  public record TransferOut(String requestId, String toTableId, boolean merge, Instant at, ActorRef<StatusReply<View>> replyTo)
      implements Command {

    public TransferOut(String requestId, String toTableId, Instant at, ActorRef<StatusReply<View>> replyTo) {
      this(requestId, toTableId, false, at, replyTo);
    }
  }

  /** From another table: take its order. Asked again after a crash; taken once. */
  public record ReceiveOrder(String transferId, String fromTableId, MovedOrder order, boolean merge, Instant at,
      ActorRef<StatusReply<View>> replyTo) implements Command {}

  public record ChangePartySize(String requestId, int partySize, Instant at, ActorRef<StatusReply<View>> replyTo)
      implements Command {}

  /** From a {@link Bill}: it is paid in full. Redelivered until acknowledged; the table counts it once. */
  public record RecordBillSettled(String billId, Instant at, ActorRef<StatusReply<View>> replyTo) implements Command {}

  private record BillDelivered(String billId) implements Command {}

  private record BillDeliveryFailed(String billId) implements Command {}

  private record RedeliverBill(String billId) implements Command {}

  private record RemovalDelivered(String billId, String lineId) implements Command {}

  private record RemovalFailed(String billId, String lineId) implements Command {}

  private record RetryRemovals() implements Command {}

  private record MoveAnswered(String transferId, boolean accepted, Rejection code, String reason) implements Command {}

  private record RetryMove(String transferId) implements Command {}

  private record ResendMove() implements Command {}

  private record StockReturnAcked(String lineId) implements Command {}

  public sealed interface Event extends CborSerializable {
    String tableId();

    String orderId();
  }

  public record Opened(String tableId, String orderId, int partySize, String waiter, Instant at) implements Event {}

  public record LinesAdded(String tableId, String orderId, String requestId, List<Line> lines, Instant at)
      implements Event {}

  /** {@code billId} names the bill the line was on, if any: that bill gives back what was paid for it. */
  public record LineVoided(String tableId, String orderId, String requestId, String lineId, String reason, Instant at,
      String billId) implements Event {

    public LineVoided(String tableId, String orderId, String requestId, String lineId, String reason, Instant at) {
      this(tableId, orderId, requestId, lineId, reason, at, null);
    }
  }

  public record TicketFired(String tableId, String orderId, String requestId, Ticket ticket) implements Event {}

  public record LineReady(String tableId, String orderId, String ticketId, String lineId, String stationId, Instant at)
      implements Event {}

  public record LineServed(String tableId, String orderId, String ticketId, String lineId, String stationId, Instant at)
      implements Event {}

  public record BillsRequested(String tableId, String orderId, String requestId, List<BillSpec> bills, Instant at)
      implements Event {}

  /** The bill entity confirmed that it holds the bill. */
  public record BillHandedOver(String tableId, String orderId, String billId) implements Event {}

  public record BillSettled(String tableId, String orderId, String billId, Instant at) implements Event {}

  /** The stock took back the portions of a voided line. */
  public record StockReturned(String tableId, String orderId, String lineId) implements Event {}

  /** The bill confirmed that it dropped a voided line. */
  public record LineRemovalDelivered(String tableId, String orderId, String billId, String lineId) implements Event {}

  public record Closed(String tableId, String orderId, Instant at) implements Event {}

  public record TicketRecalled(String tableId, String orderId, String requestId, String ticketId, String stationId,
      List<String> lineIds, Instant at) implements Event {}

  public record TicketReprinted(String tableId, String orderId, String requestId, String ticketId, String stationId,
      Instant at) implements Event {}

  public record MoveStarted(String tableId, String orderId, String transferId, String toTableId, Instant at, boolean merge)
      implements Event {
    public MoveStarted(String tableId, String orderId, String transferId, String toTableId, Instant at) {
      this(tableId, orderId, transferId, toTableId, at, false);
    }
  }

  public record MovedOut(String tableId, String orderId, String transferId, String toTableId, Instant at) implements Event {}

  public record MoveRefused(String tableId, String orderId, String transferId, String reason, Instant at) implements Event {}

  public record MovedIn(String tableId, String orderId, String transferId, String fromTableId, MovedOrder order, Instant at)
      implements Event {}

  /** Another table's order joined this one; its lines keep their tickets, named {@code <fromTable>_<lineId>} here. */
  public record MergedIn(String tableId, String orderId, String transferId, String fromTableId, MovedOrder order, Instant at)
      implements Event {}

  public record PartySizeChanged(String tableId, String orderId, String requestId, int partySize, Instant at) implements Event {}

  // ---- views ----

  public enum Status {
    FREE,
    OPEN,
    CLOSED
  }

  public record BillRef(String billId, String requestId, BillSpec spec, boolean delivered, boolean settled)
      implements CborSerializable {}

  /** An earlier order of this table that moved to {@code toTableId} (merged into its order when {@code merge}). */
  public record Forward(String orderId, String toTableId, boolean merge) implements CborSerializable {}

  /** An order on its way to another table ({@code done} false), or gone there. */
  public record Move(String toTableId, String transferId, boolean done, boolean merge) implements CborSerializable {
    public Move(String toTableId, String transferId, boolean done) {
      this(toTableId, transferId, done, false);
    }
  }

  /** What moves with an order from one table to another. */
  public record MovedOrder(String orderId, int partySize, String waiter, Instant openedAt, List<Line> lines,
      List<Ticket> tickets, List<String> stockReturned) implements CborSerializable {}

  /** A voided line the bill must still be told about. */
  public record Removal(String billId, String lineId, String reason, boolean delivered) implements CborSerializable {}

  public record BillSummary(String billId, long subtotalMinor, int part, int parts, boolean settled)
      implements CborSerializable {}

  public record View(
      String tableId,
      String orderId,
      Status status,
      int partySize,
      String waiter,
      Instant openedAt,
      Instant closedAt,
      List<Line> lines,
      List<Ticket> tickets,
      long subtotalMinor,
      List<BillSummary> bills,
      String movedTo)
      implements CborSerializable {

    public List<String> billIds() {
      return bills.stream().map(BillSummary::billId).toList();
    }
  }

  public record BillsRequestedReply(List<BillSpec> bills, View table) implements CborSerializable {}

  // ---- pure core ----

  public record State(
      String tableId,
      Status status,
      int orderSeq,
      String orderId,
      int partySize,
      String waiter,
      Instant openedAt,
      Instant closedAt,
      List<Line> lines,
      List<Ticket> tickets,
      List<BillRef> bills,
      List<String> recentRequests,
      List<Removal> removals,
      List<String> stockReturned,
      Move move,
      List<Forward> forwards)
      implements CborSerializable {

    /** Where earlier orders of this table went (newest last), so their kitchen tickets still find them. */
    static final int FORWARDS_KEPT = 20;

    public State {
      forwards = forwards == null ? List.of() : forwards; // snapshots from before forwards existed
    }

    public State(String tableId, Status status, int orderSeq, String orderId, int partySize, String waiter,
        Instant openedAt, Instant closedAt, List<Line> lines, List<Ticket> tickets, List<BillRef> bills,
        List<String> recentRequests, List<Removal> removals, List<String> stockReturned, Move move) {
      this(tableId, status, orderSeq, orderId, partySize, waiter, openedAt, closedAt, lines, tickets, bills,
          recentRequests, removals, stockReturned, move, List.of());
    }

    /** The forwards to keep once the current order leaves this table for good. */
    List<Forward> forwardsOnLeaving() {
      if (move == null || !move.done() || orderId == null) return forwards;
      List<Forward> next = new ArrayList<>(forwards);
      next.add(new Forward(orderId, move.toTableId(), move.merge()));
      return List.copyOf(next.subList(Math.max(0, next.size() - FORWARDS_KEPT), next.size()));
    }

    /** The table a ticket's order moved to, when it moved on from here. */
    java.util.Optional<Forward> movedAway(String ticketId) {
      if (move != null && move.done() && orderId != null && ticketId.startsWith(orderId + "-K")) {
        return java.util.Optional.of(new Forward(orderId, move.toTableId(), move.merge()));
      }
      for (int i = forwards.size() - 1; i >= 0; i--) {
        if (ticketId.startsWith(forwards.get(i).orderId() + "-K")) return java.util.Optional.of(forwards.get(i));
      }
      return java.util.Optional.empty();
    }

    public State(String tableId, Status status, int orderSeq, String orderId, int partySize, String waiter,
        Instant openedAt, Instant closedAt, List<Line> lines, List<Ticket> tickets, List<BillRef> bills,
        List<String> recentRequests, List<Removal> removals, List<String> stockReturned) {
      this(tableId, status, orderSeq, orderId, partySize, waiter, openedAt, closedAt, lines, tickets, bills,
          recentRequests, removals, stockReturned, null);
    }

    public State(String tableId, Status status, int orderSeq, String orderId, int partySize, String waiter,
        Instant openedAt, Instant closedAt, List<Line> lines, List<Ticket> tickets, List<BillRef> bills,
        List<String> recentRequests, List<Removal> removals) {
      this(tableId, status, orderSeq, orderId, partySize, waiter, openedAt, closedAt, lines, tickets, bills,
          recentRequests, removals, List.of());
    }

    public State(String tableId, Status status, int orderSeq, String orderId, int partySize, String waiter,
        Instant openedAt, Instant closedAt, List<Line> lines, List<Ticket> tickets, List<BillRef> bills,
        List<String> recentRequests) {
      this(tableId, status, orderSeq, orderId, partySize, waiter, openedAt, closedAt, lines, tickets, bills,
          recentRequests, List.of());
    }

    public static State free(String tableId) {
      return new State(tableId, Status.FREE, 0, null, 0, null, null, null, List.of(), List.of(), List.of(), List.of(),
          List.of());
    }

    public boolean seen(String requestId) {
      return requestId != null && recentRequests.contains(requestId);
    }

    public List<Event> decideOpen(int partySize, String waiter, Instant at) {
      if (status == Status.OPEN) {
        throw new Rejected(Rejection.TABLE_ALREADY_OPEN, "table " + tableId + " already has order " + orderId);
      }
      if (partySize < 1 || partySize > 99) {
        throw new Rejected(Rejection.VALIDATION_FAILED, "partySize must be 1..99");
      }
      String nextOrderId = tableId + "-" + String.format("%04d", orderSeq + 1);
      return List.of(new Opened(tableId, nextOrderId, partySize, waiter, at));
    }

    public List<Event> decideAddLines(String requestId, List<NewLine> newLines, Instant at) {
      requireOpen();
      if (seen(requestId)) return List.of();
      if (newLines.isEmpty()) throw new Rejected(Rejection.VALIDATION_FAILED, "items must not be empty");
      List<Line> added = new ArrayList<>();
      int next = lines.size();
      for (NewLine n : newLines) {
        if (n.qty() < 1 || n.qty() > 999) throw new Rejected(Rejection.VALIDATION_FAILED, "qty must be 1..999");
        if (n.unitPriceMinor() < 0) throw new Rejected(Rejection.VALIDATION_FAILED, "unit price must not be negative");
        next++;
        if (n.seat() != null && (n.seat() < 1 || n.seat() > partySize)) {
          throw new Rejected(Rejection.VALIDATION_FAILED, "seat must be 1.." + partySize + " for a party of " + partySize);
        }
        added.add(new Line("l" + next, n.sku(), n.name(), n.stallId(), n.stationId(), n.qty(), n.unitPriceMinor(),
            n.note(), Line.Status.ORDERED, null, null, null, n.options(), n.seat()));
      }
      return List.of(new LinesAdded(tableId, orderId, requestId, added, at));
    }

    public List<Event> decideVoid(String requestId, String lineId, String reason, Instant at) {
      requireOpen();
      if (seen(requestId)) return List.of();
      Line line = line(lineId);
      if (line.voided()) throw new Rejected(Rejection.LINE_ALREADY_VOIDED, "line " + lineId + " is already voided");
      if (line.billed()) {
        long billsWithLine = bills.stream().filter(b -> b.spec().lines().stream().anyMatch(l -> l.lineId().equals(lineId))).count();
        if (billsWithLine > 1) {
          throw new Rejected(Rejection.LINE_ALREADY_BILLED,
              "line " + lineId + " is shared by the bills of an even split; void it before splitting");
        }
      }
      return List.of(new LineVoided(tableId, orderId, requestId, lineId, reason, at, line.billId()));
    }

    public List<Event> decideFire(String requestId, Instant at) {
      requireOpen();
      if (seen(requestId)) return List.of();
      Map<String, List<Line>> byStation = new LinkedHashMap<>();
      for (Line l : lines) {
        if (l.status() == Line.Status.ORDERED) {
          byStation.computeIfAbsent(l.stationId(), s -> new ArrayList<>()).add(l);
        }
      }
      List<Event> events = new ArrayList<>();
      int next = tickets.size();
      for (Map.Entry<String, List<Line>> e : byStation.entrySet()) {
        next++;
        Ticket ticket = new Ticket(orderId + "-K" + next, e.getKey(),
            e.getValue().stream().map(Line::lineId).toList(), at,
            e.getValue().stream().map(l -> new Ticket.Item(l.lineId(), l.sku(), l.name(), l.qty(), itemNote(l))).toList());
        events.add(new TicketFired(tableId, orderId, requestId, ticket));
      }
      return events;
    }

    /** FIRED → READY → SERVED; marking a dish as it already is changes nothing. */
    public List<Event> decideMarkLine(String ticketId, String lineId, Line.Status to, Instant at) {
      Ticket ticket = tickets.stream().filter(t -> t.ticketId().equals(ticketId)).findFirst()
          .orElseThrow(() -> new Rejected(Rejection.NOT_FOUND, "no ticket " + ticketId + " on table " + tableId));
      if (!ticket.lineIds().contains(lineId)) {
        throw new Rejected(Rejection.NOT_FOUND, "line " + lineId + " is not on ticket " + ticketId);
      }
      Line line = line(lineId);
      if (line.voided()) throw new Rejected(Rejection.LINE_ALREADY_VOIDED, "line " + lineId + " was voided");
      if (line.status() == to || line.status() == Line.Status.SERVED) return List.of();
      return switch (to) {
        case READY -> List.of(new LineReady(tableId, orderId, ticketId, lineId, ticket.stationId(), at));
        case SERVED -> List.of(new LineServed(tableId, orderId, ticketId, lineId, ticket.stationId(), at));
        default -> throw new Rejected(Rejection.VALIDATION_FAILED, "a dish is marked READY or SERVED");
      };
    }

    public List<Event> decideTicketAction(String requestId, String ticketId, TicketAction action, Instant at) {
      if (seen(requestId)) return List.of();
      Ticket ticket = tickets.stream().filter(t -> t.ticketId().equals(ticketId)).findFirst()
          .orElseThrow(() -> new Rejected(Rejection.NOT_FOUND, "no ticket " + ticketId + " on table " + tableId));
      if (action == TicketAction.REPRINT) {
        return List.of(new TicketReprinted(tableId, orderId, requestId, ticketId, ticket.stationId(), at));
      }
      List<String> redo = lines.stream()
          .filter(l -> ticket.lineIds().contains(l.lineId()))
          .filter(l -> l.status() == Line.Status.READY || l.status() == Line.Status.SERVED)
          .map(Line::lineId)
          .toList();
      if (redo.isEmpty()) return List.of();
      return List.of(new TicketRecalled(tableId, orderId, requestId, ticketId, ticket.stationId(), redo, at));
    }

    public List<Event> decideTransferOut(String requestId, String toTableId, Instant at) {
      return decideTransferOut(requestId, toTableId, false, at);
    }

    public List<Event> decideTransferOut(String requestId, String toTableId, boolean merge, Instant at) {
      if (move != null && !move.done() && move.transferId().equals(requestId)) return List.of();
      requireOpen();
      if (toTableId.equals(tableId)) throw new Rejected(Rejection.VALIDATION_FAILED, "an order moves to another table");
      if (!bills.isEmpty()) {
        throw new Rejected(Rejection.ORDER_HAS_BILLS, "order " + orderId + " already has bills; settle it where it is");
      }
      return List.of(new MoveStarted(tableId, orderId, requestId, toTableId, at, merge));
    }

    public MovedOrder movingOrder() {
      return new MovedOrder(orderId, partySize, waiter, openedAt, lines, tickets, stockReturned);
    }

    public List<Event> decideMoveAnswer(String transferId, boolean accepted, String reason, Instant at) {
      if (move == null || move.done() || !move.transferId().equals(transferId)) return List.of();
      return accepted
          ? List.of(new MovedOut(tableId, orderId, transferId, move.toTableId(), at))
          : List.of(new MoveRefused(tableId, orderId, transferId, reason, at));
    }

    public List<Event> decideReceive(String transferId, String fromTableId, MovedOrder order, boolean merge, Instant at) {
      if (!merge) return decideReceive(transferId, fromTableId, order, at);
      if (seen(transferId)) return List.of();
      requireOpen();
      if (!bills.isEmpty()) throw new Rejected(Rejection.ORDER_HAS_BILLS, "order " + orderId + " already has bills");
      return List.of(new MergedIn(tableId, orderId, transferId, fromTableId, order, at));
    }

    /** A merged line's name at this table. */
    public static String mergedLineId(String fromTableId, String lineId) {
      return fromTableId + "_" + lineId;
    }

    public List<Event> decideReceive(String transferId, String fromTableId, MovedOrder order, Instant at) {
      if (status == Status.OPEN) {
        if (order.orderId().equals(orderId)) return List.of();
        throw new Rejected(Rejection.TABLE_ALREADY_OPEN, "table " + tableId + " is taken by order " + orderId);
      }
      return List.of(new MovedIn(tableId, order.orderId(), transferId, fromTableId, order, at));
    }

    public List<Event> decidePartySize(String requestId, int size, Instant at) {
      requireOpen();
      if (seen(requestId) || size == partySize) return List.of();
      if (size < 1 || size > 99) throw new Rejected(Rejection.VALIDATION_FAILED, "partySize must be 1..99");
      return List.of(new PartySizeChanged(tableId, orderId, requestId, size, at));
    }

    /** What the cook reads: the choices made, then the diner's note. */
    private static String itemNote(Line l) {
      String choices = String.join(" / ", l.options());
      if (l.note() == null || l.note().isBlank()) return choices.isEmpty() ? null : choices;
      return choices.isEmpty() ? l.note() : choices + " · " + l.note();
    }

    public List<Event> decideRequestBill(String requestId, Split split, Instant at) {
      requireOpen();
      if (seen(requestId)) return List.of();
      List<Line> billable = lines.stream().filter(l -> !l.voided() && !l.billed()).toList();
      if (billable.isEmpty()) throw new Rejected(Rejection.NOTHING_TO_BILL, "every line of " + orderId + " is billed or voided");
      List<BillSpec> specs = new ArrayList<>();
      int next = bills.size();
      if (split instanceof Split.Whole) {
        specs.add(spec(orderId + "-B" + (next + 1), billable, sum(billable), 1, 1));
      } else if (split instanceof Split.Even even) {
        if (even.parts() < 2 || even.parts() > Split.MAX_PARTS) {
          throw new Rejected(Rejection.VALIDATION_FAILED, "an even split has 2.." + Split.MAX_PARTS + " parts");
        }
        if (sum(billable) < even.parts()) {
          throw new Rejected(Rejection.VALIDATION_FAILED, "too little to split into " + even.parts() + " parts");
        }
        List<Long> shares = Money.splitEvenly(sum(billable), even.parts());
        for (int i = 0; i < even.parts(); i++) {
          specs.add(spec(orderId + "-B" + (next + i + 1), billable, shares.get(i), i + 1, even.parts()));
        }
      } else if (split instanceof Split.ByLines byLines) {
        if (byLines.parts().isEmpty() || byLines.parts().size() > Split.MAX_PARTS) {
          throw new Rejected(Rejection.VALIDATION_FAILED, "a split by lines has 1.." + Split.MAX_PARTS + " parts");
        }
        Set<String> taken = new HashSet<>();
        int part = 0;
        for (List<String> ids : byLines.parts()) {
          part++;
          if (ids.isEmpty()) throw new Rejected(Rejection.VALIDATION_FAILED, "part " + part + " has no lines");
          List<Line> partLines = new ArrayList<>();
          for (String id : ids) {
            Line l = line(id);
            if (!taken.add(id)) throw new Rejected(Rejection.VALIDATION_FAILED, "line " + id + " is in two parts");
            if (l.voided()) throw new Rejected(Rejection.LINE_ALREADY_VOIDED, "line " + id + " is voided");
            if (l.billed()) throw new Rejected(Rejection.LINE_ALREADY_BILLED, "line " + id + " is on bill " + l.billId());
            partLines.add(l);
          }
          specs.add(spec(orderId + "-B" + (next + part), partLines, sum(partLines), part, byLines.parts().size()));
        }
      } else if (split instanceof Split.BySeat) {
        Map<Integer, List<Line>> bySeat = new java.util.TreeMap<>(java.util.Comparator.nullsLast(Integer::compare));
        for (Line l : billable) bySeat.computeIfAbsent(l.seat(), k -> new ArrayList<>()).add(l);
        int part = 0;
        for (List<Line> seatLines : bySeat.values()) {
          part++;
          specs.add(spec(orderId + "-B" + (next + part), seatLines, sum(seatLines), part, bySeat.size()));
        }
      } else {
        throw new Rejected(Rejection.VALIDATION_FAILED, "unknown split");
      }
      return List.of(new BillsRequested(tableId, orderId, requestId, specs, at));
    }

    public List<Event> decideClose(Instant at) {
      requireOpen();
      List<String> unbilled = lines.stream().filter(l -> !l.voided() && !l.billed()).map(Line::lineId).toList();
      if (!unbilled.isEmpty()) {
        throw new Rejected(Rejection.UNBILLED_LINES, "lines " + unbilled + " are not on any bill yet");
      }
      List<String> unsettled = bills.stream().filter(b -> !b.settled()).map(BillRef::billId).toList();
      if (!unsettled.isEmpty()) {
        throw new Rejected(Rejection.BILLS_UNSETTLED, "bills " + unsettled + " are not paid yet");
      }
      if (!undeliveredRemovals().isEmpty()) {
        throw new Rejected(Rejection.BILLS_UNSETTLED, "the refunds of voided lines are still on their way to their bills");
      }
      return List.of(new Closed(tableId, orderId, at));
    }

    public List<Event> decideBillSettled(String billId, Instant at) {
      return bills.stream().anyMatch(b -> b.billId().equals(billId) && !b.settled())
          ? List.of(new BillSettled(tableId, orderId, billId, at))
          : List.of();
    }

    public List<Event> decideBillDelivered(String billId) {
      return bills.stream().anyMatch(b -> b.billId().equals(billId) && !b.delivered())
          ? List.of(new BillHandedOver(tableId, orderId, billId))
          : List.of();
    }

    /** Voided lines whose portions the stock has not taken back yet. */
    public List<Line> portionsToReturn() {
      return lines.stream().filter(l -> l.voided() && !stockReturned.contains(l.lineId())).toList();
    }

    public List<Event> decideStockReturned(String lineId) {
      return portionsToReturn().stream().anyMatch(l -> l.lineId().equals(lineId))
          ? List.of(new StockReturned(tableId, orderId, lineId))
          : List.of();
    }

    public List<Removal> undeliveredRemovals() {
      return removals.stream().filter(r -> !r.delivered()).toList();
    }

    public List<Event> decideRemovalDelivered(String billId, String lineId) {
      return removals.stream().anyMatch(r -> r.billId().equals(billId) && r.lineId().equals(lineId) && !r.delivered())
          ? List.of(new LineRemovalDelivered(tableId, orderId, billId, lineId))
          : List.of();
    }

    private State withMove(Move next) {
      return new State(tableId, status, orderSeq, orderId, partySize, waiter, openedAt, closedAt, lines, tickets, bills,
          recentRequests, removals, stockReturned, next, forwards);
    }

    private State withRemovals(List<Removal> next) {
      return new State(tableId, status, orderSeq, orderId, partySize, waiter, openedAt, closedAt, lines, tickets, bills,
          recentRequests, List.copyOf(next), stockReturned, move, forwards);
    }

    public List<BillRef> undeliveredBills() {
      return bills.stream().filter(b -> !b.delivered()).toList();
    }

    public List<BillSpec> billsOfRequest(String requestId) {
      return bills.stream().filter(b -> requestId.equals(b.requestId())).map(BillRef::spec).toList();
    }

    public State apply(Event event) {
      if (event instanceof Opened e) {
        return new State(tableId, Status.OPEN, orderSeq + 1, e.orderId(), e.partySize(), e.waiter(), e.at(), null,
            List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), null, forwardsOnLeaving());
      }
      if (event instanceof LinesAdded e) {
        List<Line> next = new ArrayList<>(lines);
        next.addAll(e.lines());
        return withLines(next).remember(e.requestId());
      }
      if (event instanceof LineVoided e) {
        State next = withLines(replace(e.lineId(), l -> l.voidedFor(e.reason()))).remember(e.requestId());
        if (e.billId() == null) return next;
        List<Removal> pending = new ArrayList<>(removals);
        pending.add(new Removal(e.billId(), e.lineId(), e.reason(), false));
        return next.withRemovals(pending);
      }
      if (event instanceof TicketRecalled e) {
        List<Line> next = lines;
        for (String id : e.lineIds()) next = replaceIn(next, id, l -> l.withStatus(Line.Status.FIRED));
        return withLines(next).remember(e.requestId());
      }
      if (event instanceof TicketReprinted e) {
        return remember(e.requestId());
      }
      if (event instanceof MoveStarted e) {
        return withMove(new Move(e.toTableId(), e.transferId(), false, e.merge())).remember(e.transferId());
      }
      if (event instanceof MovedOut e) {
        return new State(tableId, Status.CLOSED, orderSeq, orderId, partySize, waiter, openedAt, e.at(), lines, tickets,
            bills, recentRequests, removals, stockReturned, new Move(e.toTableId(), e.transferId(), true, move != null && move.merge()),
            forwards);
      }
      if (event instanceof MergedIn e) {
        java.util.function.UnaryOperator<String> rename = id -> mergedLineId(e.fromTableId(), id);
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
        return new State(tableId, status, orderSeq, orderId, Math.min(99, partySize + e.order().partySize()), waiter, openedAt,
            closedAt, List.copyOf(nextLines), List.copyOf(nextTickets), bills, recentRequests, removals,
            List.copyOf(nextReturned), move, forwards).remember(e.transferId());
      }
      if (event instanceof MoveRefused) {
        return withMove(null);
      }
      if (event instanceof MovedIn e) {
        MovedOrder o = e.order();
        return new State(tableId, Status.OPEN, orderSeq, o.orderId(), o.partySize(), o.waiter(), o.openedAt(), null,
            o.lines(), o.tickets(), List.of(), List.of(e.transferId()), List.of(), o.stockReturned(), null,
            forwardsOnLeaving());
      }
      if (event instanceof PartySizeChanged e) {
        return new State(tableId, status, orderSeq, orderId, e.partySize(), waiter, openedAt, closedAt, lines, tickets,
            bills, recentRequests, removals, stockReturned, move, forwards).remember(e.requestId());
      }
      if (event instanceof LineReady e) {
        return withLines(replace(e.lineId(), l -> l.withStatus(Line.Status.READY)));
      }
      if (event instanceof LineServed e) {
        return withLines(replace(e.lineId(), l -> l.withStatus(Line.Status.SERVED)));
      }
      if (event instanceof StockReturned e) {
        List<String> next = new ArrayList<>(stockReturned);
        next.add(e.lineId());
        return new State(tableId, status, orderSeq, orderId, partySize, waiter, openedAt, closedAt, lines, tickets,
            bills, recentRequests, removals, List.copyOf(next), move, forwards);
      }
      if (event instanceof LineRemovalDelivered e) {
        return withRemovals(removals.stream()
            .map(r -> r.billId().equals(e.billId()) && r.lineId().equals(e.lineId())
                ? new Removal(r.billId(), r.lineId(), r.reason(), true) : r)
            .toList());
      }
      if (event instanceof TicketFired e) {
        List<Line> next = lines;
        for (String id : e.ticket().lineIds()) next = replaceIn(next, id, l -> l.firedOn(e.ticket().ticketId()));
        List<Ticket> nextTickets = new ArrayList<>(tickets);
        nextTickets.add(e.ticket());
        return new State(tableId, status, orderSeq, orderId, partySize, waiter, openedAt, closedAt, next,
            List.copyOf(nextTickets), bills, recentRequests, removals, stockReturned, move, forwards).remember(e.requestId());
      }
      if (event instanceof BillsRequested e) {
        List<Line> next = lines;
        List<BillRef> nextBills = new ArrayList<>(bills);
        for (BillSpec spec : e.bills()) {
          for (BillLine bl : spec.lines()) {
            next = replaceIn(next, bl.lineId(), l -> l.billed() ? l : l.billedBy(spec.billId()));
          }
          nextBills.add(new BillRef(spec.billId(), e.requestId(), spec, false, false));
        }
        return new State(tableId, status, orderSeq, orderId, partySize, waiter, openedAt, closedAt, next, tickets,
            List.copyOf(nextBills), recentRequests, removals, stockReturned, move, forwards).remember(e.requestId());
      }
      if (event instanceof BillHandedOver e) {
        return withBills(b -> b.billId().equals(e.billId()) ? new BillRef(b.billId(), b.requestId(), b.spec(), true, b.settled()) : b);
      }
      if (event instanceof BillSettled e) {
        return withBills(b -> b.billId().equals(e.billId()) ? new BillRef(b.billId(), b.requestId(), b.spec(), true, true) : b);
      }
      if (event instanceof Closed e) {
        return new State(tableId, Status.CLOSED, orderSeq, orderId, partySize, waiter, openedAt, e.at(), lines, tickets,
            bills, recentRequests, removals, stockReturned, move, forwards);
      }
      throw new IllegalStateException("unknown event " + event);
    }

    public View view() {
      long subtotal = sum(lines.stream().filter(l -> !l.voided()).toList());
      List<BillSummary> summaries = bills.stream()
          .map(b -> new BillSummary(b.billId(), b.spec().subtotalMinor(), b.spec().part(), b.spec().parts(), b.settled()))
          .toList();
      return new View(tableId, orderId, status, partySize, waiter, openedAt, closedAt, lines, tickets, subtotal, summaries,
          move != null && move.done() ? move.toTableId() : null);
    }

    private void requireOpen() {
      if (status != Status.OPEN) throw new Rejected(Rejection.TABLE_NOT_OPEN, "table " + tableId + " has no open order");
      if (move != null && !move.done()) {
        throw new Rejected(Rejection.TABLE_NOT_OPEN, "the order of table " + tableId + " is moving to " + move.toTableId());
      }
    }

    private Line line(String lineId) {
      return lines.stream()
          .filter(l -> l.lineId().equals(lineId))
          .findFirst()
          .orElseThrow(() -> new Rejected(Rejection.NOT_FOUND, "no line " + lineId + " on order " + orderId));
    }

    private BillSpec spec(String billId, List<Line> billLines, long subtotal, int part, int parts) {
      List<BillLine> bl = billLines.stream()
          .map(l -> new BillLine(l.lineId(), l.sku(), l.name(), l.stallId(), l.qty(), l.unitPriceMinor(), l.amountMinor()))
          .toList();
      return new BillSpec(billId, tableId, orderId, waiter, bl, subtotal, part, parts);
    }

    private static long sum(List<Line> ls) {
      long total = 0;
      for (Line l : ls) total = Math.addExact(total, l.amountMinor());
      return total;
    }

    private List<Line> replace(String lineId, Function<Line, Line> change) {
      return replaceIn(lines, lineId, change);
    }

    private static List<Line> replaceIn(List<Line> ls, String lineId, Function<Line, Line> change) {
      return ls.stream().map(l -> l.lineId().equals(lineId) ? change.apply(l) : l).toList();
    }

    private State withLines(List<Line> next) {
      return new State(tableId, status, orderSeq, orderId, partySize, waiter, openedAt, closedAt, List.copyOf(next),
          tickets, bills, recentRequests, removals, stockReturned, move, forwards);
    }

    private State withBills(Function<BillRef, BillRef> change) {
      return new State(tableId, status, orderSeq, orderId, partySize, waiter, openedAt, closedAt, lines, tickets,
          bills.stream().map(change).toList(), recentRequests, removals, stockReturned, move, forwards);
    }

    private State remember(String requestId) {
      if (requestId == null || recentRequests.contains(requestId)) return this;
      List<String> next = new ArrayList<>(recentRequests);
      next.add(requestId);
      if (next.size() > REMEMBERED_REQUESTS) next = next.subList(next.size() - REMEMBERED_REQUESTS, next.size());
      return new State(tableId, status, orderSeq, orderId, partySize, waiter, openedAt, closedAt, lines, tickets,
          bills, List.copyOf(next), removals, stockReturned, move, forwards);
    }
  }

  // ---- shell ----

  public static void init(ActorSystem<?> system) {
    ClusterSharding sharding = ClusterSharding.get(system);
    sharding.init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(),
        billId -> sharding.entityRefFor(Bill.ENTITY_KEY, billId),
        stockId -> sharding.entityRefFor(Stock.ENTITY_KEY, stockId))));
  }

  public static Behavior<Command> create(String tableId, Function<String, RecipientRef<Bill.Command>> bills) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new Table(tableId, ctx, timers, bills, stockId -> ctx.getSystem().ignoreRef())));
  }

  public static Behavior<Command> create(String tableId, Function<String, RecipientRef<Bill.Command>> bills,
      Function<String, RecipientRef<Stock.Command>> stock) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new Table(tableId, ctx, timers, bills, stock)));
  }

  private final String tableId;
  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final Function<String, RecipientRef<Bill.Command>> bills;
  private final Function<String, RecipientRef<Stock.Command>> stock;

  private Table(String tableId, ActorContext<Command> ctx, TimerScheduler<Command> timers,
      Function<String, RecipientRef<Bill.Command>> bills, Function<String, RecipientRef<Stock.Command>> stock) {
    super(PersistenceId.of(ENTITY_KEY.name(), tableId));
    this.tableId = tableId;
    this.ctx = ctx;
    this.timers = timers;
    this.bills = bills;
    this.stock = stock;
  }

  @Override
  public State emptyState() {
    return State.free(tableId);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Open.class, (s, c) -> decide(c.replyTo(), () -> s.decideOpen(c.partySize(), c.waiter(), c.at())))
        .onCommand(AddLines.class, (s, c) -> decide(c.replyTo(), () -> s.decideAddLines(c.requestId(), c.lines(), c.at())))
        .onCommand(VoidLine.class, this::onVoid)
        .onCommand(Fire.class, (s, c) -> decide(c.replyTo(), () -> s.decideFire(c.requestId(), c.at())))
        .onCommand(MarkLine.class, (s, c) -> {
          var away = s.movedAway(c.ticketId());
          if (away.isPresent()) {
            // the order moved on, and so did its kitchen tickets; a merged line has a new name there
            String lineId = away.get().merge() ? State.mergedLineId(tableId, c.lineId()) : c.lineId();
            tableRef(away.get().toTableId()).tell(new MarkLine(c.ticketId(), lineId, c.status(), c.at(), c.replyTo()));
            return Effect().noReply();
          }
          return decide(c.replyTo(), () -> s.decideMarkLine(c.ticketId(), c.lineId(), c.status(), c.at()));
        })
        .onCommand(TransferOut.class, this::onTransferOut)
        .onCommand(ActOnTicket.class, (s, c) -> {
          var away = s.movedAway(c.ticketId());
          if (away.isPresent()) {
            tableRef(away.get().toTableId()).tell(c);
            return Effect().noReply();
          }
          return decide(c.replyTo(), () -> s.decideTicketAction(c.requestId(), c.ticketId(), c.action(), c.at()));
        })
        .onCommand(RetryMove.class, (s, c) -> {
          if (s.move() != null && !s.move().done() && s.move().transferId().equals(c.transferId())) {
            timers.startSingleTimer("move", new ResendMove(), REDELIVERY_DELAY);
          }
          return Effect().noReply();
        })
        .onCommand(ResendMove.class, (s, c) -> {
          if (s.move() != null && !s.move().done()) sendOrder(s);
          return Effect().noReply();
        })
        .onCommand(ReceiveOrder.class, (s, c) ->
            decide(c.replyTo(), () -> s.decideReceive(c.transferId(), c.fromTableId(), c.order(), c.merge(), c.at())))
        .onCommand(ChangePartySize.class, (s, c) -> decide(c.replyTo(), () -> s.decidePartySize(c.requestId(), c.partySize(), c.at())))
        .onCommand(MoveAnswered.class, (s, c) -> {
          List<Event> events = s.decideMoveAnswer(c.transferId(), c.accepted(), c.reason(), Instant.now());
          return Effect().persist(events).thenRun(after -> {
            if (c.accepted()) answerMovers(StatusReply.success(after.view()));
            else answerMovers(Rejected.reply(c.code(), c.reason()));
          }).thenNoReply();
        })
        .onCommand(Close.class, (s, c) -> {
          // a bill that settled while its node went down tells its table when it wakes: wake it
          s.bills().stream().filter(b -> !b.settled())
              .forEach(b -> bills.apply(b.billId()).tell(new Bill.Get(ctx.getSystem().ignoreRef())));
          return decide(c.replyTo(), () -> s.decideClose(c.at()));
        })
        .onCommand(RequestBill.class, this::onRequestBill)
        .onCommand(RecordBillSettled.class, (s, c) -> decide(c.replyTo(), () -> s.decideBillSettled(c.billId(), c.at())))
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), s.view()))
        .onCommand(HasRequest.class, (s, c) -> Effect().reply(c.replyTo(), s.seen(c.requestId())))
        .onCommand(StockReturnAcked.class, (s, c) -> Effect().persist(s.decideStockReturned(c.lineId())).thenNoReply())
        .onCommand(BillDelivered.class, (s, c) -> Effect().persist(s.decideBillDelivered(c.billId())).thenNoReply())
        .onCommand(BillDeliveryFailed.class, (s, c) -> {
          timers.startSingleTimer("deliver-" + c.billId(), new RedeliverBill(c.billId()), REDELIVERY_DELAY);
          return Effect().noReply();
        })
        .onCommand(RemovalDelivered.class, (s, c) ->
            Effect().persist(s.decideRemovalDelivered(c.billId(), c.lineId())).thenNoReply())
        .onCommand(RemovalFailed.class, (s, c) -> {
          timers.startSingleTimer("remove-" + c.billId() + "-" + c.lineId(), new RetryRemovals(), REDELIVERY_DELAY);
          return Effect().noReply();
        })
        .onCommand(RetryRemovals.class, (s, c) -> {
          s.undeliveredRemovals().forEach(this::deliverRemoval);
          s.portionsToReturn().forEach(l -> returnPortions(s, l));
          return Effect().noReply();
        })
        .onCommand(RedeliverBill.class, (s, c) -> {
          s.undeliveredBills().stream().filter(b -> b.billId().equals(c.billId())).forEach(this::deliver);
          return Effect().noReply();
        })
        .build();
  }

  private ReplyEffect<Event, State> decide(ActorRef<StatusReply<View>> replyTo, java.util.function.Supplier<List<Event>> decision) {
    try {
      return Effect().persist(decision.get()).thenReply(replyTo, s -> StatusReply.success(s.view()));
    } catch (Rejected r) {
      return Effect().reply(replyTo, r.toReply());
    }
  }

  /** Callers waiting for a move to land; not persisted: they retry with the same key. */
  private final List<ActorRef<StatusReply<View>>> movers = new ArrayList<>();

  private void answerMovers(StatusReply<View> answer) {
    movers.forEach(m -> m.tell(answer));
    movers.clear();
  }

  private ReplyEffect<Event, State> onTransferOut(State state, TransferOut c) {
    try {
      List<Event> events = state.decideTransferOut(c.requestId(), c.toTableId(), c.merge(), c.at());
      movers.add(c.replyTo());
      if (events.isEmpty()) {
        if (state.move() != null && !state.move().done()) return Effect().noReply(); // joins the move under way
        return Effect().reply(c.replyTo(), StatusReply.success(state.view()));
      }
      return Effect().persist(events).thenRun(this::sendOrder).thenNoReply();
    } catch (Rejected r) {
      return Effect().reply(c.replyTo(), r.toReply());
    }
  }

  private void sendOrder(State s) {
    Move m = s.move();
    ctx.askWithStatus(View.class, tableRef(m.toTableId()), DELIVERY_TIMEOUT,
        replyTo -> new ReceiveOrder(m.transferId(), tableId, s.movingOrder(), m.merge(), Instant.now(), replyTo),
        (view, failure) -> {
          if (failure == null) return new MoveAnswered(m.transferId(), true, null, null);
          Throwable t = Rejected.unwrap(failure);
          return t instanceof Rejected r
              ? new MoveAnswered(m.transferId(), false, r.code(), r.detail())
              : new RetryMove(m.transferId());
        });
  }

  private RecipientRef<Command> tableRef(String id) {
    return ClusterSharding.get(ctx.getSystem()).entityRefFor(ENTITY_KEY, id);
  }

  private ReplyEffect<Event, State> onVoid(State state, VoidLine c) {
    try {
      List<Event> events = state.decideVoid(c.requestId(), c.lineId(), c.reason(), c.at());
      return Effect()
          .persist(events)
          .thenRun(s -> {
            s.undeliveredRemovals().forEach(this::deliverRemoval);
            s.portionsToReturn().forEach(l -> returnPortions(s, l));
          })
          .thenReply(c.replyTo(), s -> StatusReply.success(s.view()));
    } catch (Rejected r) {
      return Effect().reply(c.replyTo(), r.toReply());
    }
  }

  /** Keyed by the order and line, so the stock takes a redelivered return once. */
  private void returnPortions(State s, Line line) {
    ctx.askWithStatus(
        Done.class,
        stock.apply(Stock.VENUE_STOCK_ID),
        DELIVERY_TIMEOUT,
        replyTo -> new Stock.Return(s.orderId() + ":" + line.lineId(), Map.of(line.sku(), line.qty()), Instant.now(), replyTo),
        (ok, failure) -> failure == null ? new StockReturnAcked(line.lineId()) : new RemovalFailed("stock", line.lineId()));
  }

  private void deliverRemoval(Removal removal) {
    ctx.askWithStatus(
        Done.class,
        bills.apply(removal.billId()),
        DELIVERY_TIMEOUT,
        replyTo -> new Bill.RemoveLine(removal.lineId(), removal.reason(), Instant.now(), replyTo),
        (ok, failure) -> failure == null
            ? new RemovalDelivered(removal.billId(), removal.lineId())
            : new RemovalFailed(removal.billId(), removal.lineId()));
  }

  private ReplyEffect<Event, State> onRequestBill(State state, RequestBill c) {
    try {
      List<Event> events = state.decideRequestBill(c.requestId(), c.split(), c.at());
      return Effect()
          .persist(events)
          .thenRun(s -> s.undeliveredBills().forEach(this::deliver))
          .thenReply(c.replyTo(), s -> StatusReply.success(new BillsRequestedReply(s.billsOfRequest(c.requestId()), s.view())));
    } catch (Rejected r) {
      return Effect().reply(c.replyTo(), r.toReply());
    }
  }

  private void deliver(BillRef bill) {
    ctx.askWithStatus(
        Bill.View.class,
        bills.apply(bill.billId()),
        DELIVERY_TIMEOUT,
        replyTo -> new Bill.Open(bill.spec(), Instant.now(), replyTo),
        (view, failure) -> failure == null ? new BillDelivered(bill.billId()) : new BillDeliveryFailed(bill.billId()));
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), s -> {
          s.undeliveredBills().forEach(this::deliver);
          s.undeliveredRemovals().forEach(this::deliverRemoval);
          s.portionsToReturn().forEach(l -> returnPortions(s, l));
          if (s.move() != null && !s.move().done()) sendOrder(s);
        })
        .build();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(State::apply);
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return Set.of(tagFor(tableId));
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(50, 2);
  }
}
