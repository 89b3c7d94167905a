package io.orderengine.engine;

import io.orderengine.engine.bill.Bill;
import io.orderengine.engine.bill.BillSpec;
import io.orderengine.engine.member.Member;
import io.orderengine.engine.member.MemberWallet;
import io.orderengine.engine.payment.BadSignature;
import io.orderengine.engine.payment.Gateway;
import io.orderengine.engine.payment.Gateways;
import io.orderengine.engine.payment.Notification;
import io.orderengine.engine.payment.PaymentSaga;
import io.orderengine.engine.payment.Provider;
import io.orderengine.engine.payment.sandbox.SandboxCallbacks;
import io.orderengine.engine.payment.sandbox.SandboxGateway;
import io.orderengine.engine.payment.sandbox.SandboxTrade;
import io.orderengine.engine.table.NewLine;
import io.orderengine.engine.table.Split;
import io.orderengine.engine.table.Table;
import io.orderengine.engine.venue.MenuItem;
import io.orderengine.engine.venue.Stock;
import io.orderengine.engine.venue.Venue;
import io.orderengine.engine.venue.VenueLayout;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * The engine as its callers see it: every use case is one method that talks to the sharded
 * entities and answers with a view, or fails with {@link Rejected}. It holds no state of its own.
 */
public final class Engine {

  /** One dish a caller wants at a table. */
  public record ItemRequest(String sku, int qty, String note, List<String> options, Integer seat) {
    public ItemRequest {
      options = options == null ? List.of() : List.copyOf(options);
    }

    public ItemRequest(String sku, int qty, String note) {
      this(sku, qty, note, List.of(), null);
    }
  }

  /** A payment as its bill records it: the bill is the one place that says what a payment's status is. */
  public record PaymentView(Bill.Payment payment, Bill.View bill) {}

  public record RefundView(Bill.RefundEntry refund, Bill.View bill) {}

  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final Gateways gateways;
  private final SandboxCallbacks sandboxCallbacks;

  private Engine(ActorSystem<?> system, Duration askTimeout, Gateways gateways, SandboxCallbacks sandboxCallbacks) {
    this.system = system;
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = askTimeout;
    this.gateways = gateways;
    this.sandboxCallbacks = sandboxCallbacks;
  }

  /** Starts the entities' sharding on this node and returns the engine that talks to them. */
  public static Engine start(ActorSystem<?> system, EngineSettings settings) {
    List<Gateway> available = new ArrayList<>();
    available.add(new MemberWallet(system));
    SandboxCallbacks callbacks = null;
    if (settings.sandbox()) {
      callbacks = new SandboxCallbacks();
      SandboxTrade.init(system, callbacks);
      for (Provider p : SandboxGateway.SANDBOX_PROVIDERS) available.add(new SandboxGateway(system, p));
    }
    Gateways gateways = new Gateways(available);
    Entities.start(system, settings, gateways);
    return new Engine(system, settings.askTimeout(), gateways, callbacks);
  }

  /** The sandbox providers call back to this base URL (the node's own HTTP address); no-op without the sandbox. */
  public void pointSandboxAt(String baseUrl) {
    if (sandboxCallbacks != null) sandboxCallbacks.pointAt(baseUrl);
  }

  public boolean sandboxEnabled() {
    return sandboxCallbacks != null;
  }

  // ---- venue ----

  /**
   * How long this node answers from the venue's last view before asking the venue again. Every
   * table command checks the floor plan and the menu; one entity answering them all would cap the
   * whole venue, so each node keeps the view a moment. A menu change made through this node shows
   * at once; one made through another node within this long.
   */
  static final Duration VENUE_VIEW_TTL = Duration.ofSeconds(1);

  private record CachedVenue(Venue.View view, long atNanos) {}

  private volatile CachedVenue cachedVenue;

  public CompletionStage<Venue.View> venue() {
    CachedVenue cached = cachedVenue;
    if (cached != null && System.nanoTime() - cached.atNanos() < VENUE_VIEW_TTL.toNanos()) {
      return CompletableFuture.completedFuture(cached.view());
    }
    return venueRef().ask(Venue.Get::new, askTimeout).thenApply(this::remember);
  }

  private Venue.View remember(Venue.View view) {
    if (view.laidOut()) cachedVenue = new CachedVenue(view, System.nanoTime());
    return view;
  }

  public CompletionStage<Venue.View> seed(VenueLayout layout) {
    return ask(venueRef().<Venue.View>askWithStatus(r -> new Venue.Seed(layout, r), askTimeout)).thenApply(this::remember);
  }

  public CompletionStage<Venue.View> upsertItem(MenuItem item) {
    return ask(venueRef().<Venue.View>askWithStatus(r -> new Venue.UpsertItem(item, r), askTimeout)).thenApply(this::remember);
  }

  /** The menu with what is left of each dish that has a limit. */
  public record Menu(Venue.View venue, Stock.Levels stock) {}

  public CompletionStage<Menu> menu() {
    return venue().thenCombine(stockLevels(), Menu::new);
  }

  public CompletionStage<Stock.Levels> stockLevels() {
    return stockRef().ask(Stock.Get::new, askTimeout);
  }

  /** {@code level} null lifts the limit. */
  public CompletionStage<Stock.Levels> setStock(String sku, Integer level) {
    return venue().thenCompose(venue -> {
      venue.item(sku).orElseThrow(() -> new Rejected(Rejection.NOT_FOUND, "no dish with sku '" + sku + "' on the menu"));
      return ask(stockRef().askWithStatus(r -> new Stock.SetLevel(sku, level, Instant.now(), r), askTimeout));
    });
  }

  // ---- tables ----

  public CompletionStage<Table.View> openTable(String tableId, int partySize, String waiter) {
    return knownTable(tableId).thenCompose(ok ->
        ask(tableRef(tableId).askWithStatus(r -> new Table.Open(partySize, waiter, Instant.now(), r), askTimeout)));
  }

  /**
   * Adds dishes to a table, all or none: their portions are held first (a short dish refuses the
   * whole request with OUT_OF_STOCK), then the table takes the lines, then the hold is confirmed. A
   * hold whose lines never arrive is given back by the stock itself.
   */
  public CompletionStage<Table.View> addItems(String tableId, String requestId, List<ItemRequest> items) {
    return venue().thenCompose(venue -> {
      requireTable(venue, tableId);
      List<NewLine> lines = new ArrayList<>();
      Map<String, Integer> portions = new java.util.LinkedHashMap<>();
      for (ItemRequest item : items) {
        MenuItem menuItem = venue.item(item.sku())
            .orElseThrow(() -> new Rejected(Rejection.NOT_FOUND, "no dish with sku '" + item.sku() + "' on the menu"));
        if (!menuItem.available()) {
          throw new Rejected(Rejection.ITEM_UNAVAILABLE, menuItem.name() + " (" + item.sku() + ") is sold out");
        }
        MenuItem.Chosen chosen = menuItem.choose(item.options());
        lines.add(new NewLine(menuItem.sku(), menuItem.name(), menuItem.stallId(), menuItem.stationId(), item.qty(),
            menuItem.priceMinor() + chosen.priceDeltaMinor(), item.note(), chosen.names(), item.seat()));
        portions.merge(menuItem.sku(), item.qty(), Integer::sum);
      }
      String holdId = tableId + ":" + requestId;
      return ask(stockRef().<Stock.Levels>askWithStatus(
              r -> new Stock.Hold(holdId, tableId, requestId, portions, Instant.now(), r), askTimeout))
          .thenCompose(held -> ask(tableRef(tableId).<Table.View>askWithStatus(
                  r -> new Table.AddLines(requestId, lines, Instant.now(), r), askTimeout))
              .whenComplete((view, failure) -> {
                if (failure == null) {
                  stockRef().tell(new Stock.Confirm(holdId, ignore()));
                } else if (Rejected.unwrap(failure) instanceof Rejected) {
                  stockRef().tell(new Stock.CancelHold(holdId, ignore()));
                } // a timeout leaves the hold to the stock's own check with the table
              }));
    });
  }

  public CompletionStage<Table.View> voidLine(String tableId, String requestId, String lineId, String reason) {
    return knownTable(tableId).thenCompose(ok -> ask(tableRef(tableId).askWithStatus(
        r -> new Table.VoidLine(requestId, lineId, reason, Instant.now(), r), askTimeout)));
  }

  public CompletionStage<Table.View> fire(String tableId, String requestId) {
    return knownTable(tableId).thenCompose(ok ->
        ask(tableRef(tableId).askWithStatus(r -> new Table.Fire(requestId, Instant.now(), r), askTimeout)));
  }

  /** The table makes its bills and answers once each bill holds its own; their views are read then. */
  public CompletionStage<List<Bill.View>> requestBill(String tableId, String requestId, Split split) {
    return knownTable(tableId)
        .thenCompose(ok -> ask(tableRef(tableId).<Table.BillsRequestedReply>askWithStatus(
            r -> new Table.RequestBill(requestId, split, Instant.now(), r), askTimeout)))
        .thenCompose(reply -> {
          List<CompletableFuture<Bill.View>> views = reply.bills().stream()
              .map(spec -> billRef(spec.billId()).ask(Bill.Get::new, askTimeout).toCompletableFuture())
              .toList();
          return CompletableFuture.allOf(views.toArray(CompletableFuture[]::new))
              .thenApply(done -> views.stream().map(CompletableFuture::join).toList());
        });
  }

  /** The kitchen marks a dish of a ticket READY (at the pass) or SERVED (at the table); the table holds the truth. */
  public CompletionStage<Table.View> markLine(String ticketId, String lineId, io.orderengine.engine.table.Line.Status status) {
    String tableId = io.orderengine.engine.table.Ticket.tableIdOf(ticketId)
        .orElseThrow(() -> new Rejected(Rejection.NOT_FOUND, "no ticket " + ticketId));
    return knownTable(tableId).thenCompose(ok -> ask(tableRef(tableId).askWithStatus(
        r -> new Table.MarkLine(ticketId, lineId, status, Instant.now(), r), askTimeout)));
  }

  /** Moves a table's open order, every line and ticket, to a free table. */
  public CompletionStage<Table.View> transfer(String tableId, String requestId, String toTableId) {
    return venue().thenCompose(venue -> {
      requireTable(venue, tableId);
      requireTable(venue, toTableId);
      return ask(tableRef(tableId).<Table.View>askWithStatus(
              r -> new Table.TransferOut(requestId, toTableId, Instant.now(), r), askTimeout))
          .thenCompose(moved -> table(toTableId));
    });
  }

  /** Merges another table's open order into this one (并台); the other table is then free. */
  public CompletionStage<Table.View> merge(String tableId, String requestId, String fromTableId) {
    return venue().thenCompose(venue -> {
      requireTable(venue, tableId);
      requireTable(venue, fromTableId);
      return ask(tableRef(fromTableId).<Table.View>askWithStatus(
              r -> new Table.TransferOut(requestId, tableId, true, Instant.now(), r), askTimeout))
          .thenCompose(moved -> table(tableId));
    });
  }

  public CompletionStage<Table.View> changePartySize(String tableId, String requestId, int partySize) {
    return knownTable(tableId).thenCompose(ok -> ask(tableRef(tableId).askWithStatus(
        r -> new Table.ChangePartySize(requestId, partySize, Instant.now(), r), askTimeout)));
  }

  public CompletionStage<Table.View> actOnTicket(String ticketId, String requestId, Table.TicketAction action) {
    String tableId = io.orderengine.engine.table.Ticket.tableIdOf(ticketId)
        .orElseThrow(() -> new Rejected(Rejection.NOT_FOUND, "no ticket " + ticketId));
    return knownTable(tableId).thenCompose(ok -> ask(tableRef(tableId).askWithStatus(
        r -> new Table.ActOnTicket(requestId, ticketId, action, Instant.now(), r), askTimeout)));
  }

  /** Closes a table once every bill is settled; a bill tells its table itself, before its payer hears of it. */
  public CompletionStage<Table.View> closeTable(String tableId) {
    return knownTable(tableId).thenCompose(ok -> askClose(tableId));
  }

  private CompletionStage<Table.View> askClose(String tableId) {
    return ask(tableRef(tableId).askWithStatus(r -> new Table.Close(Instant.now(), r), askTimeout));
  }

  public CompletionStage<Table.View> table(String tableId) {
    return knownTable(tableId).thenCompose(ok -> tableRef(tableId).ask(Table.Get::new, askTimeout));
  }

  /** Every table of the floor plan with its current order. */
  public CompletionStage<List<Table.View>> tables() {
    return venue().thenCompose(venue -> {
      List<CompletableFuture<Table.View>> views = venue.tableIds().stream()
          .map(id -> tableRef(id).ask(Table.Get::new, askTimeout).toCompletableFuture())
          .toList();
      return CompletableFuture.allOf(views.toArray(CompletableFuture[]::new))
          .thenApply(done -> views.stream().map(CompletableFuture::join).toList());
    });
  }

  // ---- bills and payments ----

  public CompletionStage<Bill.View> bill(String billId) {
    return billRef(billId).ask(Bill.Get::new, askTimeout).thenApply(view -> {
      if (!view.exists()) throw new Rejected(Rejection.NOT_FOUND, "no bill " + billId);
      return view;
    });
  }

  /**
   * Takes a tender. Cash is settled by the bill at once; any other tender reserves its amount on the
   * bill and runs a payment saga, and the answer waits (briefly) for the gateway's first word.
   */
  public CompletionStage<PaymentView> pay(String billId, String requestId, Bill.Method method, long amountMinor,
      Long tenderedMinor, String authCode, String memberId) {
    return pay(billId, requestId, method, amountMinor, tenderedMinor, authCode, memberId, null);
  }

  public CompletionStage<PaymentView> pay(String billId, String requestId, Bill.Method method, long amountMinor,
      Long tenderedMinor, String authCode, String memberId, String takenBy) {
    if (method != Bill.Method.CASH) gateways.of(Provider.valueOf(method.name())); // refuses a tender nobody here takes
    // the bill starts the saga itself and answers with the gateway's first word, so the ask waits that long too
    return ask(billRef(billId).<Bill.PaymentReply>askWithStatus(
            r -> new Bill.Pay(requestId, method, amountMinor, tenderedMinor, authCode, memberId, takenBy, Instant.now(), r),
            askTimeout.plus(Entities.FIRST_GATEWAY_ANSWER)))
        .thenApply(reply -> new PaymentView(reply.payment(), reply.bill()));
  }

  public CompletionStage<PaymentView> pay(String billId, String requestId, Bill.Method method, long amountMinor,
      Long tenderedMinor) {
    return pay(billId, requestId, method, amountMinor, tenderedMinor, null, null);
  }

  /** Closes a pending payment at its gateway; if the customer paid first, the payment stands and says so. */
  public CompletionStage<PaymentView> cancelPayment(String paymentId) {
    return payment(paymentId).thenCompose(current -> {
      if (current.payment().method() == Bill.Method.CASH) {
        throw new Rejected(Rejection.PAYMENT_NOT_PENDING, "cash payment " + paymentId + " is not pending");
      }
      return ask(sagaRef(paymentId).<PaymentSaga.View>askWithStatus(r -> new PaymentSaga.Cancel(Instant.now(), r),
              Entities.FIRST_GATEWAY_ANSWER))
          .thenCompose(saga -> payment(paymentId));
    });
  }

  public CompletionStage<RefundView> refund(String billId, String requestId, String paymentId, long amountMinor,
      String reason, String takenBy) {
    return ask(billRef(billId).<Bill.RefundReply>askWithStatus(
            r -> new Bill.Refund(requestId, paymentId, amountMinor, reason, takenBy, Instant.now(), r), askTimeout))
        .thenApply(reply -> new RefundView(reply.refund(), reply.bill()));
  }

  /** A gateway's callback: verified with the provider's key, then handed to the payment's saga. */
  public CompletionStage<PaymentSaga.View> gatewayNotification(Provider provider, Map<String, String> headers, String body) {
    Gateway gateway = gateways.find(provider)
        .orElseThrow(() -> new Rejected(Rejection.NOT_FOUND, "no " + provider.wire() + " gateway on this node"));
    Notification n;
    try {
      n = gateway.verifyCallback(headers, body);
    } catch (BadSignature e) {
      throw new Rejected(Rejection.BAD_SIGNATURE, e.getMessage());
    }
    return ask(sagaRef(n.tradeNo()).<PaymentSaga.View>askWithStatus(r -> new PaymentSaga.Notify(n, Instant.now(), r), askTimeout));
  }

  /** The provider's statement of a day, for reconciliation. */
  public CompletionStage<List<io.orderengine.engine.payment.StatementLine>> statement(Provider provider,
      java.time.LocalDate date, java.time.ZoneId zone) {
    Gateway gateway = gateways.find(provider)
        .orElseThrow(() -> new Rejected(Rejection.NOT_FOUND, "no " + provider.wire() + " gateway on this node"));
    return gateway.statement(date, zone);
  }

  // ---- cashier shifts ----

  public CompletionStage<io.orderengine.engine.shift.Shift.View> openShift(String shiftId, String cashier, String openedBy,
      long openingFloatMinor) {
    return ask(shiftRef(shiftId).askWithStatus(
        r -> new io.orderengine.engine.shift.Shift.Open(cashier, openedBy, openingFloatMinor, Instant.now(), r), askTimeout));
  }

  public CompletionStage<io.orderengine.engine.shift.Shift.View> shift(String shiftId) {
    return shiftRef(shiftId).ask(io.orderengine.engine.shift.Shift.Get::new, askTimeout).thenApply(v -> {
      if (v.status() == io.orderengine.engine.shift.Shift.Status.NONE) throw new Rejected(Rejection.NOT_FOUND, "no shift " + shiftId);
      return v;
    });
  }

  public CompletionStage<io.orderengine.engine.shift.Shift.View> moveCash(String shiftId, String requestId, long amountMinor,
      String reason) {
    return ask(shiftRef(shiftId).askWithStatus(
        r -> new io.orderengine.engine.shift.Shift.Move(requestId, amountMinor, reason, Instant.now(), r), askTimeout));
  }

  /** Closes a shift with the cash counted; the cash its tenders took and gave back comes from the books. */
  public CompletionStage<io.orderengine.engine.shift.Shift.View> closeShift(String shiftId, long countedMinor, long takenMinor,
      long refundedMinor) {
    return ask(shiftRef(shiftId).askWithStatus(
        r -> new io.orderengine.engine.shift.Shift.Close(countedMinor, takenMinor, refundedMinor, Instant.now(), r), askTimeout));
  }

  private EntityRef<io.orderengine.engine.shift.Shift.Command> shiftRef(String shiftId) {
    return sharding.entityRefFor(io.orderengine.engine.shift.Shift.ENTITY_KEY, shiftId);
  }

  // ---- members ----

  public CompletionStage<Member.View> registerMember(String memberId, String name, String phone) {
    return ask(memberRef(memberId).askWithStatus(r -> new Member.Register(name, phone, Instant.now(), r), askTimeout));
  }

  public CompletionStage<Member.View> member(String memberId) {
    return memberRef(memberId).ask(Member.Get::new, askTimeout).thenApply(view -> {
      if (!view.exists()) throw new Rejected(Rejection.NOT_FOUND, "no member " + memberId);
      return view;
    });
  }

  public CompletionStage<Member.View> topUp(String memberId, String requestId, long amountMinor, String method) {
    return ask(memberRef(memberId).askWithStatus(r -> new Member.TopUp(requestId, amountMinor, method, Instant.now(), r), askTimeout));
  }

  // ---- the sandbox: the outside world's wallets, for demos and tests ----

  public CompletionStage<SandboxTrade.View> sandboxTrade(Provider provider, String tradeNo) {
    return sandboxRef(provider, tradeNo).ask(SandboxTrade.Query::new, askTimeout).thenApply(v -> {
      if (!v.exists()) throw new Rejected(Rejection.NOT_FOUND, "no trade " + tradeNo + " at the " + provider.wire() + " sandbox");
      return v;
    });
  }

  public CompletionStage<SandboxTrade.View> sandboxCustomerPays(Provider provider, String tradeNo) {
    return ask(sandboxRef(provider, tradeNo).askWithStatus(r -> new SandboxTrade.CustomerPays(Instant.now(), r), askTimeout));
  }

  public CompletionStage<SandboxTrade.View> sandboxCustomerDeclines(Provider provider, String tradeNo, String reason) {
    return ask(sandboxRef(provider, tradeNo).askWithStatus(r -> new SandboxTrade.CustomerDeclines(reason, Instant.now(), r), askTimeout));
  }

  public CompletionStage<SandboxTrade.View> sandboxRedeliver(Provider provider, String tradeNo) {
    return ask(sandboxRef(provider, tradeNo).askWithStatus(SandboxTrade.Redeliver::new, askTimeout));
  }

  public CompletionStage<Bill.View> discount(String billId, String requestId, Bill.DiscountType type, long value,
      String reason) {
    return ask(billRef(billId).askWithStatus(
        r -> new Bill.ApplyDiscount(requestId, type, value, reason, Instant.now(), r), askTimeout));
  }

  public CompletionStage<PaymentView> payment(String paymentId) {
    String billId = Bill.billIdOfPayment(paymentId)
        .orElseThrow(() -> new Rejected(Rejection.NOT_FOUND, "no payment " + paymentId));
    return bill(billId).thenCompose(bill -> {
      Bill.Payment p = bill.payment(paymentId).orElseThrow(() -> new Rejected(Rejection.NOT_FOUND, "no payment " + paymentId));
      if (!p.qrTrade() || p.qrCodeUrl() != null) return CompletableFuture.completedFuture(new PaymentView(p, bill));
      // a wallet trade taken before bills kept the QR link (or whose gateway never gave one): its saga has it
      return sagaRef(paymentId).ask(PaymentSaga.Get::new, askTimeout)
          .thenApply(saga -> new PaymentView(p.withQrCode(saga.qrCodeUrl()), bill));
    });
  }

  /** How many entities of each kind live on this node right now, for the metrics. */
  public CompletionStage<Map<String, Integer>> activeEntities() {
    List<org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey<?>> keys = List.of(Venue.ENTITY_KEY, Stock.ENTITY_KEY,
        Table.ENTITY_KEY, Bill.ENTITY_KEY, PaymentSaga.ENTITY_KEY, Member.ENTITY_KEY,
        io.orderengine.engine.shift.Shift.ENTITY_KEY);
    Map<String, CompletableFuture<Integer>> counts = new java.util.LinkedHashMap<>();
    for (var key : keys) {
      counts.put(key.name(), org.apache.pekko.actor.typed.javadsl.AskPattern.<org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery,
              org.apache.pekko.cluster.sharding.ShardRegion.CurrentShardRegionState>ask(sharding.shardState(),
              replyTo -> new org.apache.pekko.cluster.sharding.typed.GetShardRegionState(key, replyTo), askTimeout, system.scheduler())
          .thenApply(state -> state.getShards().stream().mapToInt(sh -> sh.getEntityIds().size()).sum())
          .exceptionally(e -> -1)
          .toCompletableFuture());
    }
    return CompletableFuture.allOf(counts.values().toArray(CompletableFuture[]::new)).thenApply(done -> {
      Map<String, Integer> out = new java.util.LinkedHashMap<>();
      counts.forEach((k, v) -> out.put(k, v.join()));
      return out;
    });
  }

  // ---- plumbing ----

  private CompletionStage<Venue.View> knownTable(String tableId) {
    return venue().thenApply(venue -> requireTable(venue, tableId));
  }

  private static Venue.View requireTable(Venue.View venue, String tableId) {
    if (!venue.hasTable(tableId)) throw new Rejected(Rejection.NOT_FOUND, "no table " + tableId + " in this venue");
    return venue;
  }

  /** Turns a refusal carried in a StatusReply back into {@link Rejected}. */
  private static <T> CompletionStage<T> ask(CompletionStage<T> reply) {
    return reply.handle((value, failure) -> {
      if (failure == null) return CompletableFuture.completedFuture(value);
      return CompletableFuture.<T>failedFuture(Rejected.unwrap(failure));
    }).thenCompose(f -> f);
  }

  private EntityRef<Venue.Command> venueRef() {
    return sharding.entityRefFor(Venue.ENTITY_KEY, Venue.VENUE_ID);
  }

  private EntityRef<Table.Command> tableRef(String tableId) {
    return sharding.entityRefFor(Table.ENTITY_KEY, tableId);
  }

  private EntityRef<Bill.Command> billRef(String billId) {
    return sharding.entityRefFor(Bill.ENTITY_KEY, billId);
  }

  private EntityRef<Stock.Command> stockRef() {
    return sharding.entityRefFor(Stock.ENTITY_KEY, Stock.VENUE_STOCK_ID);
  }

  private <T> org.apache.pekko.actor.typed.ActorRef<T> ignore() {
    return system.ignoreRef();
  }

  private EntityRef<PaymentSaga.Command> sagaRef(String paymentId) {
    return sharding.entityRefFor(PaymentSaga.ENTITY_KEY, paymentId);
  }

  private EntityRef<Member.Command> memberRef(String memberId) {
    return sharding.entityRefFor(Member.ENTITY_KEY, memberId);
  }

  private EntityRef<SandboxTrade.Command> sandboxRef(Provider provider, String tradeNo) {
    if (sandboxCallbacks == null || !SandboxGateway.SANDBOX_PROVIDERS.contains(provider)) {
      throw new Rejected(Rejection.NOT_FOUND, "no " + provider.wire() + " sandbox on this node");
    }
    return sharding.entityRefFor(SandboxTrade.ENTITY_KEY, SandboxTrade.entityId(provider, tradeNo));
  }
}
