package io.orderengine.engine.usecase;

import static io.orderengine.engine.usecase.Asks.answer;

import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.VenueIds;
import io.orderengine.engine.bill.Bill;
import io.orderengine.engine.table.DinerOrdering;
import io.orderengine.engine.table.Line;
import io.orderengine.engine.table.NewLine;
import io.orderengine.engine.table.Split;
import io.orderengine.engine.table.Table;
import io.orderengine.engine.table.Ticket;
import io.orderengine.engine.venue.MenuItem;
import io.orderengine.engine.venue.Stock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/** The floor: tables seated, dishes ordered and fired, the kitchen's tickets, bills asked for, tables closed. */
public final class Floor {

  /** One dish a caller wants at a table. */
  public record ItemRequest(String sku, int qty, String note, List<String> options, Integer seat) {
    public ItemRequest {
      options = options == null ? List.of() : List.copyOf(options);
    }

    public ItemRequest(String sku, int qty, String note) {
      this(sku, qty, note, List.of(), null);
    }
  }

  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final MenuBoard menu;

  public Floor(ActorSystem<?> system, Duration askTimeout, MenuBoard menu) {
    this.system = system;
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = askTimeout;
    this.menu = menu;
  }

  public CompletionStage<Table.View> openTable(String venueId, String tableId, int partySize, String waiter) {
    return tell(venueId, tableId, r -> new Table.Open(partySize, waiter, Instant.now(), r));
  }

  /**
   * Adds dishes to a table, all or none: their portions are held first (a short dish refuses the
   * whole request with OUT_OF_STOCK), then the table takes the lines, then the hold is confirmed. A
   * hold whose lines never arrive is given back by the stock itself.
   */
  public CompletionStage<Table.View> addItems(String venueId, String tableId, String requestId, List<ItemRequest> items) {
    return menu.knownTable(venueId, tableId).thenCompose(venue -> {
      List<NewLine> lines = new ArrayList<>();
      Map<String, Integer> portions = new LinkedHashMap<>();
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
      String table = VenueIds.qualify(venueId, tableId);
      String holdId = table + ":" + requestId;
      EntityRef<Stock.Command> stock = menu.stockRef(venueId);
      return answer(stock.<Stock.Levels>askWithStatus(
              r -> new Stock.Hold(holdId, table, requestId, portions, Instant.now(), r), askTimeout))
          .thenCompose(held -> answer(tableRef(table).<Table.View>askWithStatus(
                  r -> new Table.AddLines(requestId, lines, Instant.now(), r), askTimeout))
              .whenComplete((view, failure) -> {
                if (failure == null) {
                  stock.tell(new Stock.Confirm(holdId, system.ignoreRef()));
                } else if (Rejected.unwrap(failure) instanceof Rejected) {
                  stock.tell(new Stock.CancelHold(holdId, system.ignoreRef()));
                } // a timeout leaves the hold to the stock's own check with the table
              }));
    });
  }

  public CompletionStage<Table.View> voidLine(String venueId, String tableId, String requestId, String lineId, String reason) {
    return tell(venueId, tableId, r -> new Table.VoidLine(requestId, lineId, reason, Instant.now(), r));
  }

  public CompletionStage<Table.View> fire(String venueId, String tableId, String requestId) {
    return tell(venueId, tableId, r -> new Table.Fire(requestId, Instant.now(), r));
  }

  /** The table makes its bills and answers once each bill holds its own; their views are read then. */
  public CompletionStage<List<Bill.View>> requestBill(String venueId, String tableId, String requestId, Split split) {
    return menu.knownTable(venueId, tableId)
        .thenCompose(ok -> answer(tableRef(VenueIds.qualify(venueId, tableId)).<Table.BillsRequestedReply>askWithStatus(
            r -> new Table.RequestBill(requestId, split, Instant.now(), r), askTimeout)))
        .thenCompose(reply -> {
          List<CompletableFuture<Bill.View>> views = reply.bills().stream()
              .map(spec -> sharding.entityRefFor(Bill.ENTITY_KEY, spec.billId()).ask(Bill.Get::new, askTimeout)
                  .toCompletableFuture())
              .toList();
          return CompletableFuture.allOf(views.toArray(CompletableFuture[]::new))
              .thenApply(done -> views.stream().map(CompletableFuture::join).toList());
        });
  }

  /** The kitchen marks a dish of a ticket READY (at the pass) or SERVED (at the table); the table holds the truth. */
  public CompletionStage<Table.View> markLine(String venueId, String ticketId, String lineId, Line.Status status) {
    return answer(tableRef(tableOfTicket(venueId, ticketId)).askWithStatus(
        r -> new Table.MarkLine(ticketId, lineId, status, Instant.now(), r), askTimeout));
  }

  public CompletionStage<Table.View> actOnTicket(String venueId, String ticketId, String requestId, Table.TicketAction action) {
    return answer(tableRef(tableOfTicket(venueId, ticketId)).askWithStatus(
        r -> new Table.ActOnTicket(requestId, ticketId, action, Instant.now(), r), askTimeout));
  }

  /** Moves a table's open order, every line and ticket, to a free table. */
  public CompletionStage<Table.View> transfer(String venueId, String tableId, String requestId, String toTableId) {
    return move(venueId, tableId, toTableId, requestId, false).thenCompose(moved -> table(venueId, toTableId));
  }

  /** Merges another table's open order into this one (并台); the other table is then free. */
  public CompletionStage<Table.View> merge(String venueId, String tableId, String requestId, String fromTableId) {
    return move(venueId, fromTableId, tableId, requestId, true).thenCompose(moved -> table(venueId, tableId));
  }

  private CompletionStage<Table.View> move(String venueId, String from, String to, String requestId, boolean merge) {
    return menu.venue(venueId).thenCompose(venue -> {
      MenuBoard.requireTable(venue, from);
      MenuBoard.requireTable(venue, to);
      return answer(tableRef(VenueIds.qualify(venueId, from)).<Table.View>askWithStatus(
          r -> new Table.TransferOut(requestId, VenueIds.qualify(venueId, to), merge, Instant.now(), r), askTimeout));
    });
  }

  public CompletionStage<Table.View> changePartySize(String venueId, String tableId, String requestId, int partySize) {
    return tell(venueId, tableId, r -> new Table.ChangePartySize(requestId, partySize, Instant.now(), r));
  }

  /** Closes a table once every bill is settled; a bill tells its table itself, before its payer hears of it. */
  public CompletionStage<Table.View> closeTable(String venueId, String tableId) {
    return tell(venueId, tableId, r -> new Table.Close(Instant.now(), r));
  }

  public CompletionStage<Table.View> table(String venueId, String tableId) {
    return menu.knownTable(venueId, tableId)
        .thenCompose(ok -> tableRef(VenueIds.qualify(venueId, tableId)).ask(Table.Get::new, askTimeout));
  }

  /** Every table of the venue's floor plan with its current order. */
  public CompletionStage<List<Table.View>> tables(String venueId) {
    return menu.venue(venueId).thenCompose(venue -> {
      List<CompletableFuture<Table.View>> views = venue.tableIds().stream()
          .map(id -> tableRef(VenueIds.qualify(venueId, id)).ask(Table.Get::new, askTimeout).toCompletableFuture())
          .toList();
      return CompletableFuture.allOf(views.toArray(CompletableFuture[]::new))
          .thenApply(done -> views.stream().map(CompletableFuture::join).toList());
    });
  }

  /**
   * Completes when a diner holding the table's code may {@code act} there under the venue's choice
   * ({@link DinerOrdering}); fails with DINER_NOT_ALLOWED when not. Staff are not asked this.
   */
  public CompletionStage<Void> dinerMay(String venueId, String tableId, DinerOrdering.Act act) {
    return menu.knownTable(venueId, tableId).thenCombine(table(venueId, tableId), (venue, table) -> {
      venue.settings().dinerOrdering().refusal(act, table).ifPresent(why -> {
        throw new Rejected(Rejection.DINER_NOT_ALLOWED, why);
      });
      return null;
    });
  }

  /** One ask of a table the venue's floor plan has, answered with its view or its refusal. */
  private CompletionStage<Table.View> tell(String venueId, String tableId,
      Function<ActorRef<org.apache.pekko.pattern.StatusReply<Table.View>>, Table.Command> command) {
    return menu.knownTable(venueId, tableId).thenCompose(ok ->
        answer(tableRef(VenueIds.qualify(venueId, tableId)).askWithStatus(command::apply, askTimeout)));
  }

  /** The table a ticket of this venue was fired from; a ticket of another venue is as unknown as none. */
  private static String tableOfTicket(String venueId, String ticketId) {
    return Ticket.tableIdOf(ticketId)
        .filter(table -> VenueIds.belongsTo(table, venueId))
        .orElseThrow(() -> new Rejected(Rejection.NOT_FOUND, "no ticket " + ticketId));
  }

  private EntityRef<Table.Command> tableRef(String qualifiedTableId) {
    return sharding.entityRefFor(Table.ENTITY_KEY, qualifiedTableId);
  }
}
