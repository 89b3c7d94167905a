package io.orderengine.engine.table;

import io.orderengine.engine.CborSerializable;
import io.orderengine.engine.Courier;
import io.orderengine.engine.Decision;
import io.orderengine.engine.DomainEntity;
import io.orderengine.engine.Rejected;
import io.orderengine.engine.bill.BillSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * A table of the venue and the order seated at it. One writer per table: every line, firing, bill
 * request and settlement of the order is an event of this entity. The decisions are the pure
 * {@link TableState}'s; this class holds the protocol and wires it to persistence.
 *
 * <p>What the table owes others (its bills to the checkout, voided lines to their bills, portions
 * to the stock, a moving order to its new table) is part of its state, and one {@link Courier}
 * carries it until each receiver acknowledges, so a crash between the two never loses it.
 */
public final class Table extends DomainEntity<Table.Command, Table.Event, TableState> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Table");
  public static final int TAG_COUNT = 4;
  public static final String TAG_PREFIX = "table-";

  public static String tagFor(String tableId) {
    return DomainEntity.tagFor(TAG_PREFIX, TAG_COUNT, tableId);
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

  /** Sends the dishes not sent yet to the kitchen; with {@code billId}, only those on that bill (a pay-first venue's paid ones). */
  public record Fire(String requestId, String billId, Instant at, ActorRef<StatusReply<View>> replyTo) implements Command {
    public Fire(String requestId, Instant at, ActorRef<StatusReply<View>> replyTo) {
      this(requestId, null, at, replyTo);
    }
  }

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

  /**
   * Moves the open order, with every line and ticket, to a free table (换台); with {@code merge}, the
   * target keeps its own order and takes these lines into it (并台).
   */
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

  /** From a bill: it is paid in full. Redelivered until acknowledged; the table counts it once. */
  public record RecordBillSettled(String billId, Instant at, ActorRef<StatusReply<View>> replyTo) implements Command {}

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

  /** What moves with an order from one table to another. */
  public record MovedOrder(String orderId, int partySize, String waiter, Instant openedAt, List<Line> lines,
      List<Ticket> tickets, List<String> stockReturned) implements CborSerializable {}

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

  /** What became of something the table owed; the courier's answers, sent by the table to itself only. */
  private record Delivery(Courier.Report report) implements Command {}

  // ---- shell ----

  public static void init(ActorSystem<?> system, BillDesk bills, PortionReturns stock) {
    ClusterSharding.get(system).init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), bills, stock)));
  }

  public static Behavior<Command> create(String tableId, BillDesk bills, PortionReturns stock) {
    return Behaviors.setup(ctx -> create(tableId, bills, stock,
        id -> ClusterSharding.get(ctx.getSystem()).entityRefFor(ENTITY_KEY, id)));
  }

  /** {@code tables}: how this table reaches another, for moves and the kitchen's news of a moved order. */
  static Behavior<Command> create(String tableId, BillDesk bills, PortionReturns stock,
      Function<String, RecipientRef<Command>> tables) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new Table(tableId, ctx, timers, bills, stock, tables)));
  }

  private final String tableId;
  private final ActorContext<Command> ctx;
  private final BillDesk bills;
  private final PortionReturns stock;
  private final Function<String, RecipientRef<Command>> tables;
  private final Courier<Command, Owed> courier;
  /** Callers waiting for a move to land, and for the bills of a request to be handed over; they retry with the same key. */
  private final List<ActorRef<StatusReply<View>>> movers = new ArrayList<>();
  private final Map<String, List<ActorRef<StatusReply<BillsRequestedReply>>>> billRequests = new HashMap<>();

  private Table(String tableId, ActorContext<Command> ctx, TimerScheduler<Command> timers, BillDesk bills,
      PortionReturns stock, Function<String, RecipientRef<Command>> tables) {
    super(ENTITY_KEY, tableId, TAG_PREFIX, TAG_COUNT);
    this.tableId = tableId;
    this.ctx = ctx;
    this.bills = bills;
    this.stock = stock;
    this.tables = tables;
    this.courier = new Courier<>(ctx, timers, Delivery::new, Owed::key, this::send, Owed.RESEND_AFTER);
  }

  @Override
  public TableState emptyState() {
    return TableState.free(tableId);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, TableState> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Open.class, (s, c) -> decide(s.decideOpen(c.partySize(), c.waiter(), c.at()), c.replyTo(), TableState::view))
        .onCommand(AddLines.class, (s, c) ->
            decide(s.decideAddLines(c.requestId(), c.lines(), c.at()), c.replyTo(), TableState::view))
        .onCommand(VoidLine.class, (s, c) ->
            decide(s.decideVoid(c.requestId(), c.lineId(), c.reason(), c.at()), c.replyTo(), TableState::view, (after, events) -> deliver(after)))
        .onCommand(Fire.class, (s, c) -> decide(s.decideFire(c.requestId(), c.billId(), c.at()), c.replyTo(), TableState::view))
        .onCommand(MarkLine.class, this::onMarkLine)
        .onCommand(ActOnTicket.class, this::onActOnTicket)
        .onCommand(ChangePartySize.class, (s, c) ->
            decide(s.decidePartySize(c.requestId(), c.partySize(), c.at()), c.replyTo(), TableState::view))
        .onCommand(TransferOut.class, this::onTransferOut)
        .onCommand(ReceiveOrder.class, (s, c) -> decide(
            s.decideReceive(c.transferId(), c.fromTableId(), c.order(), c.merge(), c.at()), c.replyTo(), TableState::view,
            (after, events) -> deliver(after)))
        .onCommand(RequestBill.class, this::onRequestBill)
        .onCommand(RecordBillSettled.class, (s, c) ->
            decide(s.decideBillSettled(c.billId(), c.at()), c.replyTo(), TableState::view))
        .onCommand(Close.class, this::onClose)
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), s.view()))
        .onCommand(HasRequest.class, (s, c) -> Effect().reply(c.replyTo(), s.seen(c.requestId())))
        .onCommand(Delivery.class, this::onDelivery)
        .build();
  }

  @Override
  public SignalHandler<TableState> signalHandler() {
    return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), this::deliver).build();
  }

  private void deliver(TableState s) {
    courier.deliver(s.owed());
  }

  private CompletionStage<?> send(Owed owed) {
    if (owed instanceof Owed.BillHandOver h) return bills.open(h.spec());
    if (owed instanceof Owed.LineRemoval r) return bills.removeLine(r.billId(), r.lineId(), r.reason());
    if (owed instanceof Owed.PortionReturn p) return stock.giveBack(p.returnId(), Map.of(p.sku(), p.qty()));
    Owed.OrderMove m = (Owed.OrderMove) owed;
    return AskPattern.<Command, View>askWithStatus(tables.apply(m.toTableId()),
        replyTo -> new ReceiveOrder(m.transferId(), tableId, m.order(), m.merge(), m.at(), replyTo),
        Owed.MOVE_TIMEOUT, ctx.getSystem().scheduler());
  }

  private ReplyEffect<Event, TableState> onDelivery(TableState s, Delivery d) {
    Optional<Decision<Event>> decided = courier.handle(d.report(), s::owed, failedKey -> {},
        (key, answer) -> s.decideDelivered(key, Instant.now()),
        (key, refusal) -> {
          Decision<Event> decision = s.decideRefused(key, refusal, Instant.now());
          if (decision.orThrow().isEmpty()) {
            ctx.getLog().error("{}: {} refused for good ({}); still owed, sent again on the next change or restart",
                tableId, key, refusal);
          }
          return decision;
        });
    if (decided.isEmpty()) return Effect().noReply(); // a resend went out, or a failed send waits for the timer
    List<Event> events = decided.get().orThrow();
    return Effect().persist(events).thenRun(after -> {
      deliver(after);
      answerBillRequests(after);
      for (Event e : events) {
        if (e instanceof MovedOut) answerMovers(StatusReply.success(after.view()));
        if (e instanceof MoveRefused && d.report() instanceof Courier.Refused r) answerMovers(r.refusal().toReply());
      }
    }).thenNoReply();
  }

  /** Answered once every bill of the request is held by its bill entity; a retry after that is answered at once. */
  private ReplyEffect<Event, TableState> onRequestBill(TableState s, RequestBill c) {
    Decision<Event> decision = s.decideRequestBill(c.requestId(), c.split(), c.at());
    if (decision instanceof Decision.Refused<Event> r) return Effect().reply(c.replyTo(), r.rejected().toReply());
    billRequests.computeIfAbsent(c.requestId(), k -> new ArrayList<>()).add(c.replyTo());
    return Effect().persist(decision.orThrow()).thenRun(after -> {
      deliver(after);
      answerBillRequests(after);
    }).thenNoReply();
  }

  private void answerBillRequests(TableState s) {
    billRequests.entrySet().removeIf(waiting -> {
      if (!s.handedOver(waiting.getKey())) return false;
      var reply = StatusReply.success(new BillsRequestedReply(s.billsOfRequest(waiting.getKey()), s.view()));
      waiting.getValue().forEach(r -> r.tell(reply));
      return true;
    });
  }

  /** Answered once the other table took the order, or refused it. */
  private ReplyEffect<Event, TableState> onTransferOut(TableState s, TransferOut c) {
    Decision<Event> decision = s.decideTransferOut(c.requestId(), c.toTableId(), c.merge(), c.at());
    if (decision instanceof Decision.Refused<Event> r) return Effect().reply(c.replyTo(), r.rejected().toReply());
    List<Event> events = decision.orThrow();
    if (events.isEmpty() && !(s instanceof TableState.Moving)) return Effect().reply(c.replyTo(), StatusReply.success(s.view()));
    movers.add(c.replyTo());
    return Effect().persist(events).thenRun(this::deliver).thenNoReply();
  }

  private void answerMovers(StatusReply<View> answer) {
    movers.forEach(m -> m.tell(answer));
    movers.clear();
  }

  private ReplyEffect<Event, TableState> onClose(TableState s, Close c) {
    // a settled bill tells its table when it next runs, and bills are not remembered entities: wake the unsettled ones
    if (s.order() != null) {
      s.order().bills().stream().filter(b -> b.delivered() && !b.settled()).forEach(b -> bills.open(b.spec()));
    }
    return decide(s.decideClose(c.at()), c.replyTo(), TableState::view);
  }

  /** The kitchen's news of an order that moved on goes where the order went; a merged line has a new name there. */
  private ReplyEffect<Event, TableState> onMarkLine(TableState s, MarkLine c) {
    var away = s.movedAway(c.ticketId());
    if (away.isEmpty()) return decide(s.decideMarkLine(c.ticketId(), c.lineId(), c.status(), c.at()), c.replyTo(), TableState::view);
    String lineId = away.get().merge() ? Order.mergedLineId(tableId, c.lineId()) : c.lineId();
    tables.apply(away.get().toTableId()).tell(new MarkLine(c.ticketId(), lineId, c.status(), c.at(), c.replyTo()));
    return Effect().noReply();
  }

  private ReplyEffect<Event, TableState> onActOnTicket(TableState s, ActOnTicket c) {
    var away = s.movedAway(c.ticketId());
    if (away.isEmpty()) {
      return decide(s.decideTicketAction(c.requestId(), c.ticketId(), c.action(), c.at()), c.replyTo(), TableState::view);
    }
    tables.apply(away.get().toTableId()).tell(c);
    return Effect().noReply();
  }
}
