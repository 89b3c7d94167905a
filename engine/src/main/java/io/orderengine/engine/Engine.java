package io.orderengine.engine;

import io.orderengine.engine.bill.Bill;
import io.orderengine.engine.bill.BillSpec;
import io.orderengine.engine.table.NewLine;
import io.orderengine.engine.table.Split;
import io.orderengine.engine.table.Table;
import io.orderengine.engine.venue.MenuItem;
import io.orderengine.engine.venue.Venue;
import io.orderengine.engine.venue.VenueLayout;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
  public record ItemRequest(String sku, int qty, String note) {}

  public record PaymentView(Bill.Payment payment, Bill.View bill) {}

  private final ClusterSharding sharding;
  private final Duration askTimeout;

  private Engine(ActorSystem<?> system, Duration askTimeout) {
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = askTimeout;
  }

  /** Starts the entities' sharding on this node and returns the engine that talks to them. */
  public static Engine start(ActorSystem<?> system, EngineSettings settings) {
    Venue.init(system);
    Table.init(system);
    Bill.init(system, settings.serviceChargePercent());
    return new Engine(system, settings.askTimeout());
  }

  // ---- venue ----

  public CompletionStage<Venue.View> venue() {
    return venueRef().ask(Venue.Get::new, askTimeout);
  }

  public CompletionStage<Venue.View> seed(VenueLayout layout) {
    return ask(venueRef().askWithStatus(r -> new Venue.Seed(layout, r), askTimeout));
  }

  public CompletionStage<Venue.View> upsertItem(MenuItem item) {
    return ask(venueRef().askWithStatus(r -> new Venue.UpsertItem(item, r), askTimeout));
  }

  // ---- tables ----

  public CompletionStage<Table.View> openTable(String tableId, int partySize, String waiter) {
    return knownTable(tableId).thenCompose(ok ->
        ask(tableRef(tableId).askWithStatus(r -> new Table.Open(partySize, waiter, Instant.now(), r), askTimeout)));
  }

  public CompletionStage<Table.View> addItems(String tableId, String requestId, List<ItemRequest> items) {
    return venue().thenCompose(venue -> {
      requireTable(venue, tableId);
      List<NewLine> lines = new ArrayList<>();
      for (ItemRequest item : items) {
        MenuItem menuItem = venue.item(item.sku())
            .orElseThrow(() -> new Rejected(Rejection.NOT_FOUND, "no dish with sku '" + item.sku() + "' on the menu"));
        if (!menuItem.available()) {
          throw new Rejected(Rejection.ITEM_UNAVAILABLE, menuItem.name() + " (" + item.sku() + ") is sold out");
        }
        lines.add(new NewLine(menuItem.sku(), menuItem.name(), menuItem.stallId(), menuItem.stationId(), item.qty(),
            menuItem.priceMinor(), item.note()));
      }
      return ask(tableRef(tableId).askWithStatus(r -> new Table.AddLines(requestId, lines, Instant.now(), r), askTimeout));
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

  /** Asks the table for its bills, then makes sure each bill entity holds its bill before answering. */
  public CompletionStage<List<Bill.View>> requestBill(String tableId, String requestId, Split split) {
    return knownTable(tableId)
        .thenCompose(ok -> ask(tableRef(tableId).<Table.BillsRequestedReply>askWithStatus(
            r -> new Table.RequestBill(requestId, split, Instant.now(), r), askTimeout)))
        .thenCompose(reply -> {
          List<CompletableFuture<Bill.View>> opened = new ArrayList<>();
          for (BillSpec spec : reply.bills()) {
            opened.add(ask(billRef(spec.billId()).<Bill.View>askWithStatus(
                r -> new Bill.Open(spec, Instant.now(), r), askTimeout)).toCompletableFuture());
          }
          return CompletableFuture.allOf(opened.toArray(CompletableFuture[]::new))
              .thenApply(done -> opened.stream().map(CompletableFuture::join).toList());
        });
  }

  public CompletionStage<Table.View> closeTable(String tableId) {
    return knownTable(tableId).thenCompose(ok ->
        ask(tableRef(tableId).askWithStatus(r -> new Table.Close(Instant.now(), r), askTimeout)));
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

  public CompletionStage<PaymentView> pay(String billId, String requestId, Bill.Method method, long amountMinor,
      Long tenderedMinor) {
    return ask(billRef(billId).<Bill.PaymentReply>askWithStatus(
            r -> new Bill.Pay(requestId, method, amountMinor, tenderedMinor, Instant.now(), r), askTimeout))
        .thenApply(reply -> new PaymentView(reply.payment(), reply.bill()));
  }

  public CompletionStage<Bill.View> discount(String billId, String requestId, Bill.DiscountType type, long value,
      String reason) {
    return ask(billRef(billId).askWithStatus(
        r -> new Bill.ApplyDiscount(requestId, type, value, reason, Instant.now(), r), askTimeout));
  }

  public CompletionStage<PaymentView> payment(String paymentId) {
    String billId = Bill.billIdOfPayment(paymentId)
        .orElseThrow(() -> new Rejected(Rejection.NOT_FOUND, "no payment " + paymentId));
    return bill(billId).thenApply(bill -> new PaymentView(
        bill.payment(paymentId).orElseThrow(() -> new Rejected(Rejection.NOT_FOUND, "no payment " + paymentId)),
        bill));
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
}
