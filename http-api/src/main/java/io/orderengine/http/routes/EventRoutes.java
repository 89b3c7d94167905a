package io.orderengine.http.routes;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import io.orderengine.engine.VenueIds;
import io.orderengine.engine.bill.Bill;
import io.orderengine.engine.payment.PaymentSaga;
import io.orderengine.engine.table.Table;
import io.orderengine.engine.venue.Stock;
import io.orderengine.engine.venue.Venue;
import io.orderengine.http.auth.Principal;
import io.orderengine.http.auth.Role;
import io.orderengine.http.auth.Roles;
import io.orderengine.http.auth.Tokens;
import io.orderengine.http.json.Json;
import io.orderengine.http.ledger.RequestLedger;
import io.orderengine.http.problems.Problems;
import io.orderengine.projections.LiveFeed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.marshalling.sse.EventStreamMarshalling;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Live events as server-sent events: for one table, for one kitchen station, and for the whole
 * venue, always of the venue the request acts at (tables by their venue's own names). Each event
 * is a {@code data:} line of JSON with at least {@code type} and the id it concerns; its {@code id:}
 * is a cursor, so a client reconnecting with {@code Last-Event-ID} misses nothing. A heartbeat
 * comes every 15 seconds.
 */
public final class EventRoutes extends RequestHandling {
  static final Duration HEARTBEAT = Duration.ofSeconds(15);
  /** Events that name no station but may change a station's tickets: a dish voided, an order moved or merged. */
  static final java.util.Set<String> EVERY_STATION = java.util.Set.of("LineVoided", "MovedIn", "MergedIn");
  private final LiveFeed feed;

  public EventRoutes(LiveFeed feed, Tokens tokens, RequestLedger ledger) {
    super(tokens, ledger);
    this.feed = feed;
  }

  public Route route() {
    return optionalHeaderValueByName("Last-Event-ID", last -> concat(
        path(segment("tables").slash(segment()).slash("events"), tableId -> get(() -> stream(Roles.READERS_AND_DINER, who -> {
          requireId("tableId", tableId);
          who.requireTable(tableId);
          return feed.entity("Table|" + VenueIds.qualify(who.venue(), tableId), last);
        }, e -> true))),
        path(segment("kitchen").slash("stations").slash(segment()).slash("events"), stationId -> get(() ->
            stream(Roles.READERS, who -> {
              requireId("stationId", stationId);
              return feed.tags(who.venue(), tableTags(), last);
            }, e -> stationId.equals(e.get("stationId")) || EVERY_STATION.contains(e.get("type"))))),
        path("events", () -> get(() -> stream(Roles.READERS, who -> feed.tags(who.venue(), allTags(), last), e -> true)))));
  }

  private Route stream(java.util.Set<Role> roles, java.util.function.Function<Principal, Source<LiveFeed.Item, NotUsed>> items,
      Predicate<Map<String, Object>> keep) {
    return authorizedRoute(roles, who -> {
      Source<LiveFeed.Item, NotUsed> source;
      try {
        source = items.apply(who);
      } catch (RuntimeException e) {
        return complete(Problems.from(e).toResponse());
      }
      Source<ServerSentEvent, NotUsed> events = source
          .mapConcat(item -> describe(item.event()).filter(keep).map(e -> List.of(sse(item.cursor(), e))).orElse(List.of()))
          .keepAlive(HEARTBEAT, ServerSentEvent::heartbeat);
      return completeOK(events, EventStreamMarshalling.toEventStream());
    });
  }

  private static ServerSentEvent sse(String cursor, Map<String, Object> event) {
    return ServerSentEvent.create(Json.write(event), (String) event.get("type"), cursor);
  }

  static List<String> tableTags() {
    List<String> tags = new ArrayList<>();
    for (int i = 0; i < Table.TAG_COUNT; i++) tags.add(Table.TAG_PREFIX + i);
    return tags;
  }

  static List<String> allTags() {
    List<String> tags = new ArrayList<>(tableTags());
    for (int i = 0; i < Bill.TAG_COUNT; i++) tags.add(Bill.TAG_PREFIX + i);
    for (int i = 0; i < PaymentSaga.TAG_COUNT; i++) tags.add(PaymentSaga.TAG_PREFIX + i);
    tags.add(Stock.TAG);
    tags.add(Venue.TAG);
    return tags;
  }

  /** A journal event as staff and diners see it; events of no interest to screens give nothing. */
  static Optional<Map<String, Object>> describe(Object event) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (event instanceof Table.Event e) {
      put(m, "type", event.getClass().getSimpleName(), "tableId", local(e.tableId()), "orderId", e.orderId());
      if (e instanceof Table.Opened o) put(m, "partySize", o.partySize(), "waiter", o.waiter(), "at", o.at());
      else if (e instanceof Table.LinesAdded a) put(m, "lineIds", a.lines().stream().map(l -> l.lineId()).toList(), "at", a.at());
      else if (e instanceof Table.LineVoided v) put(m, "lineId", v.lineId(), "reason", v.reason(), "at", v.at());
      else if (e instanceof Table.TicketFired f) put(m, "ticketId", f.ticket().ticketId(), "stationId", f.ticket().stationId(),
          "lineIds", f.ticket().lineIds(), "at", f.ticket().firedAt());
      else if (e instanceof Table.LineReady r) put(m, "ticketId", r.ticketId(), "lineId", r.lineId(), "stationId", r.stationId(),
          "status", "READY", "at", r.at());
      else if (e instanceof Table.LineServed r) put(m, "ticketId", r.ticketId(), "lineId", r.lineId(), "stationId", r.stationId(),
          "status", "SERVED", "at", r.at());
      else if (e instanceof Table.BillsRequested b) put(m, "billIds", b.bills().stream().map(x -> x.billId()).toList(), "at", b.at());
      else if (e instanceof Table.BillSettled b) put(m, "billId", b.billId(), "at", b.at());
      else if (e instanceof Table.Closed c) put(m, "at", c.at());
      else if (e instanceof Table.MovedOut o) put(m, "toTableId", local(o.toTableId()), "at", o.at());
      else if (e instanceof Table.MovedIn i) put(m, "fromTableId", local(i.fromTableId()), "at", i.at());
      else if (e instanceof Table.MergedIn i) put(m, "fromTableId", local(i.fromTableId()), "mergedOrderId", i.order().orderId(),
          "at", i.at());
      else if (e instanceof Table.PartySizeChanged p) put(m, "partySize", p.partySize(), "at", p.at());
      else if (e instanceof Table.TicketRecalled r) put(m, "ticketId", r.ticketId(), "stationId", r.stationId(),
          "lineIds", r.lineIds(), "at", r.at());
      else if (e instanceof Table.TicketReprinted r) put(m, "ticketId", r.ticketId(), "stationId", r.stationId(), "at", r.at());
      else return Optional.empty();
      return Optional.of(m);
    }
    if (event instanceof Bill.Event e) {
      put(m, "type", "Bill" + event.getClass().getSimpleName(), "billId", e.billId());
      if (e instanceof Bill.Opened o) put(m, "tableId", local(o.spec().tableId()), "subtotalMinor", o.spec().subtotalMinor());
      else if (e instanceof Bill.PaymentRecorded p) put(m, "tableId", local(p.tableId()), "paymentId", p.payment().paymentId(),
          "method", p.payment().method().name(), "amountMinor", p.payment().amountMinor(), "status", p.payment().status().name());
      else if (e instanceof Bill.PaymentSettled p) put(m, "paymentId", p.paymentId(), "status", p.status().name());
      else if (e instanceof Bill.RefundRecorded r) put(m, "tableId", local(r.tableId()), "refundId", r.refund().refundId(),
          "paymentId", r.refund().paymentId(), "amountMinor", r.refund().amountMinor(), "status", r.refund().status().name());
      else if (e instanceof Bill.RefundSettled r) put(m, "refundId", r.refundId(), "status", r.succeeded() ? "SUCCEEDED" : "FAILED");
      else if (e instanceof Bill.DiscountApplied d) put(m, "amountMinor", d.discount().amountMinor(), "discountType", d.discount().type().name());
      else if (e instanceof Bill.Settled s) {
        m.put("type", "BillPaid");
        put(m, "tableId", local(s.tableId()), "orderId", s.orderId(), "at", s.at());
      }
      else if (e instanceof Bill.LineRemoved r) put(m, "lineId", r.lineId(), "amountMinor", r.amountMinor());
      else return Optional.empty();
      return Optional.of(m);
    }
    if (event instanceof PaymentSaga.Event e) {
      put(m, "type", "Payment" + event.getClass().getSimpleName(), "paymentId", e.paymentId());
      if (e instanceof PaymentSaga.Started s) put(m, "billId", s.spec().billId(), "tableId", local(s.spec().tableId()),
          "method", s.spec().provider().name(), "amountMinor", s.spec().amountMinor(), "status", "PENDING");
      else if (e instanceof PaymentSaga.AwaitingCustomer) put(m, "status", "PENDING");
      else if (e instanceof PaymentSaga.Succeeded s) put(m, "status", "SUCCEEDED", "amountMinor", s.amountMinor());
      else if (e instanceof PaymentSaga.Failed f) put(m, "status", "FAILED", "failureCode", f.failureCode());
      else if (e instanceof PaymentSaga.Cancelled) put(m, "status", "CANCELLED");
      else if (e instanceof PaymentSaga.Expired) put(m, "status", "EXPIRED");
      else return Optional.empty();
      return Optional.of(m);
    }
    if (event instanceof Stock.LevelSet e) {
      put(m, "type", "StockLevelSet", "sku", e.sku(), "stock", e.level(), "at", e.at());
      return Optional.of(m);
    }
    if (event instanceof Venue.ItemUpserted e) {
      put(m, "type", "MenuItemChanged", "sku", e.item().sku(), "available", e.item().available(), "priceMinor", e.item().priceMinor());
      return Optional.of(m);
    }
    return Optional.empty();
  }

  /** A table as its venue knows it: {@code A1}, not {@code V2.A1}. */
  private static String local(String tableId) {
    return tableId == null ? null : VenueIds.localOf(tableId);
  }

  private static void put(Map<String, Object> m, Object... kv) {
    for (int i = 0; i < kv.length; i += 2) if (kv[i + 1] != null) m.put((String) kv[i], kv[i + 1]);
  }
}
