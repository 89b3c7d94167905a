package io.orderengine.engine.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.bill.BillLine;
import io.orderengine.engine.bill.BillSpec;
import io.orderengine.engine.table.Table.BillHandedOver;
import io.orderengine.engine.table.Table.BillSettled;
import io.orderengine.engine.table.Table.BillsRequested;
import io.orderengine.engine.table.Table.Closed;
import io.orderengine.engine.table.Table.Event;
import io.orderengine.engine.table.Table.LineVoided;
import io.orderengine.engine.table.Table.LinesAdded;
import io.orderengine.engine.table.Table.Opened;
import io.orderengine.engine.table.Table.State;
import io.orderengine.engine.table.Table.Status;
import io.orderengine.engine.table.Table.TicketFired;
import java.time.Instant;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The table's pure core, given / when / then, without an actor system. */
class TableStateTest {

  static final String TABLE = "A1";
  static final Instant T0 = Instant.parse("2025-05-01T11:30:00Z");
  static final Instant T1 = T0.plusSeconds(600);

  static final NewLine NOODLES = new NewLine("N01", "Beef noodles", "stall-1", "wok", 1, 3800, null);
  static final NewLine DUMPLINGS = new NewLine("D02", "Pork dumplings", "stall-2", "steam", 2, 1500, "no chili");
  static final NewLine TEA = new NewLine("T03", "Jasmine tea", "stall-3", "drinks", 3, 600, null);

  // ---- given ----

  /** The state after the entity persisted these events. */
  static State after(State state, List<Event> events) {
    State s = state;
    for (Event e : events) s = s.apply(e);
    return s;
  }

  static State openTable() {
    State free = State.free(TABLE);
    return after(free, free.decideOpen(4, "mei", T0));
  }

  /** An open table with NOODLES (l1, 3800), DUMPLINGS (l2, 3000) and TEA (l3, 1800): 8600 in all. */
  static State ordered() {
    State s = openTable();
    return after(s, s.decideAddLines("add-1", List.of(NOODLES, DUMPLINGS, TEA), T0));
  }

  static State billedWhole() {
    State s = ordered();
    return after(s, s.decideRequestBill("bill-1", new Split.Whole(), T1));
  }

  static void assertRejected(ThrowingCallable call, Rejection code) {
    assertThatThrownBy(call).isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.code()).isEqualTo(code));
  }

  static Line line(State s, String lineId) {
    return s.lines().stream().filter(l -> l.lineId().equals(lineId)).findFirst().orElseThrow();
  }

  @Nested
  class Opening {

    @Test
    void a_free_table_opens_its_first_order() {
      State free = State.free(TABLE);

      List<Event> events = free.decideOpen(4, "mei", T0);

      assertThat(events).containsExactly(new Opened(TABLE, "A1-0001", 4, "mei", T0));
      State open = after(free, events);
      assertThat(open.status()).isEqualTo(Status.OPEN);
      assertThat(open.orderId()).isEqualTo("A1-0001");
      assertThat(open.view().partySize()).isEqualTo(4);
      assertThat(open.view().waiter()).isEqualTo("mei");
      assertThat(open.view().openedAt()).isEqualTo(T0);
    }

    @Test
    void an_open_table_cannot_be_opened_again() {
      State open = openTable();

      assertRejected(() -> open.decideOpen(2, "li", T1), Rejection.TABLE_ALREADY_OPEN);
    }

    @Test
    void the_party_has_one_to_99_guests() {
      State free = State.free(TABLE);

      assertRejected(() -> free.decideOpen(0, "mei", T0), Rejection.VALIDATION_FAILED);
      assertRejected(() -> free.decideOpen(100, "mei", T0), Rejection.VALIDATION_FAILED);
      assertThat(free.decideOpen(1, "mei", T0)).hasSize(1);
      assertThat(free.decideOpen(99, "mei", T0)).hasSize(1);
    }

    @Test
    void a_closed_table_reopens_with_the_next_order_and_nothing_of_the_last() {
      State settled = billedWhole();
      settled = after(settled, settled.decideBillSettled("A1-0001-B1", T1));
      State closed = after(settled, settled.decideClose(T1));

      List<Event> events = closed.decideOpen(2, "li", T1);

      assertThat(events).containsExactly(new Opened(TABLE, "A1-0002", 2, "li", T1));
      State reopened = after(closed, events);
      assertThat(reopened.lines()).isEmpty();
      assertThat(reopened.bills()).isEmpty();
      assertThat(reopened.tickets()).isEmpty();
      assertThat(reopened.closedAt()).isNull();
    }

    @Test
    void order_commands_on_a_free_table_are_refused() {
      State free = State.free(TABLE);

      assertRejected(() -> free.decideAddLines("r1", List.of(NOODLES), T0), Rejection.TABLE_NOT_OPEN);
      assertRejected(() -> free.decideFire("r2", T0), Rejection.TABLE_NOT_OPEN);
      assertRejected(() -> free.decideRequestBill("r3", new Split.Whole(), T0), Rejection.TABLE_NOT_OPEN);
      assertRejected(() -> free.decideClose(T0), Rejection.TABLE_NOT_OPEN);
    }
  }

  @Nested
  class AddingLines {

    @Test
    void lines_are_numbered_l1_l2_in_order_across_requests() {
      State open = openTable();

      List<Event> first = open.decideAddLines("add-1", List.of(NOODLES, DUMPLINGS), T0);
      State s = after(open, first);
      List<Event> second = s.decideAddLines("add-2", List.of(TEA), T1);
      s = after(s, second);

      assertThat(first).singleElement().isInstanceOfSatisfying(LinesAdded.class, e -> {
        assertThat(e.requestId()).isEqualTo("add-1");
        assertThat(e.orderId()).isEqualTo("A1-0001");
        assertThat(e.lines()).extracting(Line::lineId).containsExactly("l1", "l2");
      });
      assertThat(s.lines()).extracting(Line::lineId).containsExactly("l1", "l2", "l3");
      assertThat(s.lines()).extracting(Line::status).containsOnly(Line.Status.ORDERED);
      Line dumplings = line(s, "l2");
      assertThat(dumplings.sku()).isEqualTo("D02");
      assertThat(dumplings.stationId()).isEqualTo("steam");
      assertThat(dumplings.note()).isEqualTo("no chili");
      assertThat(dumplings.amountMinor()).isEqualTo(3000);
      assertThat(s.view().subtotalMinor()).isEqualTo(8600);
    }

    @Test
    void the_same_request_twice_adds_once() {
      State open = openTable();
      State once = after(open, open.decideAddLines("add-1", List.of(NOODLES, TEA), T0));

      List<Event> again = once.decideAddLines("add-1", List.of(NOODLES, TEA), T0);

      assertThat(again).isEmpty();
      assertThat(after(once, again).lines()).hasSize(2);
      assertThat(once.seen("add-1")).isTrue();
      assertThat(once.seen("add-2")).isFalse();
    }

    @Test
    void an_empty_or_malformed_request_is_refused() {
      State open = openTable();

      assertRejected(() -> open.decideAddLines("r1", List.of(), T0), Rejection.VALIDATION_FAILED);
      assertRejected(() -> open.decideAddLines("r2", List.of(new NewLine("X", "x", "s", "wok", 0, 100, null)), T0),
          Rejection.VALIDATION_FAILED);
      assertRejected(() -> open.decideAddLines("r3", List.of(new NewLine("X", "x", "s", "wok", 1000, 100, null)), T0),
          Rejection.VALIDATION_FAILED);
      assertRejected(() -> open.decideAddLines("r4", List.of(new NewLine("X", "x", "s", "wok", 1, -1, null)), T0),
          Rejection.VALIDATION_FAILED);
    }

    @Test
    void a_refused_request_is_not_remembered() {
      State open = openTable();
      assertRejected(() -> open.decideAddLines("r1", List.of(), T0), Rejection.VALIDATION_FAILED);

      assertThat(open.decideAddLines("r1", List.of(TEA), T0)).hasSize(1);
    }
  }

  @Nested
  class Voiding {

    @Test
    void a_voided_line_leaves_the_subtotal() {
      State s = ordered();

      List<Event> events = s.decideVoid("void-1", "l2", "sent back", T1);

      assertThat(events).containsExactly(new LineVoided(TABLE, "A1-0001", "void-1", "l2", "sent back", T1));
      State voided = after(s, events);
      assertThat(line(voided, "l2").voided()).isTrue();
      assertThat(line(voided, "l2").voidReason()).isEqualTo("sent back");
      assertThat(voided.view().subtotalMinor()).isEqualTo(8600 - 3000);
    }

    @Test
    void voiding_twice_is_refused() {
      State s = ordered();
      State voided = after(s, s.decideVoid("void-1", "l2", "sent back", T1));

      assertRejected(() -> voided.decideVoid("void-2", "l2", "again", T1), Rejection.LINE_ALREADY_VOIDED);
    }

    @Test
    void the_same_void_request_twice_is_answered_not_refused() {
      State s = ordered();
      State voided = after(s, s.decideVoid("void-1", "l2", "sent back", T1));

      assertThat(voided.decideVoid("void-1", "l2", "sent back", T1)).isEmpty();
    }

    @Test
    void a_billed_line_is_voided_and_its_bill_is_to_be_told() {
      State billed = billedWhole();

      List<Event> events = billed.decideVoid("void-1", "l1", "too late", T1);

      assertThat(events).hasSize(1);
      LineVoided voided = (LineVoided) events.get(0);
      assertThat(voided.billId()).isEqualTo(billed.bills().get(0).billId());
      State after = after(billed, events);
      assertThat(after.undeliveredRemovals()).extracting(Table.Removal::lineId).containsExactly("l1");
      State delivered = after(after, after.decideRemovalDelivered(voided.billId(), "l1"));
      assertThat(delivered.undeliveredRemovals()).isEmpty();
    }

    @Test
    void a_line_shared_by_an_even_split_cannot_be_voided() {
      State s = ordered();
      State split = after(s, s.decideRequestBill("bill-even", new Split.Even(2), T1));

      assertRejected(() -> split.decideVoid("void-1", "l1", "too late", T1), Rejection.LINE_ALREADY_BILLED);
    }

    @Test
    void an_unknown_line_is_not_found() {
      State s = ordered();

      assertRejected(() -> s.decideVoid("void-1", "l9", "?", T1), Rejection.NOT_FOUND);
    }
  }

  @Nested
  class Firing {

    @Test
    void one_ticket_per_station() {
      State s = ordered();
      s = after(s, s.decideAddLines("add-2", List.of(new NewLine("N05", "Fried rice", "stall-1", "wok", 1, 2800, null)), T0));

      List<Event> events = s.decideFire("fire-1", T1);

      assertThat(events).hasSize(3).allSatisfy(e -> assertThat(e).isInstanceOf(TicketFired.class));
      List<Ticket> tickets = events.stream().map(e -> ((TicketFired) e).ticket()).toList();
      assertThat(tickets).extracting(Ticket::ticketId).containsExactly("A1-0001-K1", "A1-0001-K2", "A1-0001-K3");
      assertThat(tickets).extracting(Ticket::stationId).containsExactly("wok", "steam", "drinks");
      assertThat(tickets.get(0).lineIds()).containsExactly("l1", "l4");
      assertThat(tickets.get(1).lineIds()).containsExactly("l2");
      assertThat(tickets.get(2).lineIds()).containsExactly("l3");

      State fired = after(s, events);
      assertThat(fired.lines()).allSatisfy(l -> assertThat(l.status()).isEqualTo(Line.Status.FIRED));
      assertThat(line(fired, "l4").ticketId()).isEqualTo("A1-0001-K1");
      assertThat(fired.tickets()).hasSize(3);
    }

    @Test
    void firing_again_makes_no_ticket() {
      State s = ordered();
      State fired = after(s, s.decideFire("fire-1", T1));

      assertThat(fired.decideFire("fire-2", T1)).isEmpty();
    }

    @Test
    void a_later_firing_sends_only_the_new_lines_and_skips_voided_ones() {
      State s = ordered();
      s = after(s, s.decideFire("fire-1", T0));
      s = after(s, s.decideAddLines("add-2", List.of(TEA, NOODLES), T1));
      s = after(s, s.decideVoid("void-1", "l5", "changed mind", T1));

      List<Event> events = s.decideFire("fire-2", T1);

      assertThat(events).singleElement().isInstanceOfSatisfying(TicketFired.class, e -> {
        assertThat(e.ticket().ticketId()).isEqualTo("A1-0001-K4");
        assertThat(e.ticket().stationId()).isEqualTo("drinks");
        assertThat(e.ticket().lineIds()).containsExactly("l4");
      });
    }

    @Test
    void the_same_fire_request_twice_fires_once() {
      State s = ordered();
      State fired = after(s, s.decideFire("fire-1", T1));
      State more = after(fired, fired.decideAddLines("add-2", List.of(TEA), T1));

      assertThat(more.decideFire("fire-1", T1)).isEmpty();
    }
  }

  @Nested
  class RequestingBills {

    @Test
    void whole_makes_one_bill_of_every_live_line() {
      State s = ordered();
      s = after(s, s.decideVoid("void-1", "l3", "spilled", T0));

      List<Event> events = s.decideRequestBill("bill-1", new Split.Whole(), T1);

      BillsRequested requested = (BillsRequested) events.get(0);
      assertThat(events).hasSize(1);
      assertThat(requested.requestId()).isEqualTo("bill-1");
      BillSpec spec = requested.bills().get(0);
      assertThat(requested.bills()).hasSize(1);
      assertThat(spec.billId()).isEqualTo("A1-0001-B1");
      assertThat(spec.tableId()).isEqualTo(TABLE);
      assertThat(spec.orderId()).isEqualTo("A1-0001");
      assertThat(spec.waiter()).isEqualTo("mei");
      assertThat(spec.subtotalMinor()).isEqualTo(6800);
      assertThat(spec.part()).isEqualTo(1);
      assertThat(spec.parts()).isEqualTo(1);
      assertThat(spec.lines()).containsExactly(
          new BillLine("l1", "N01", "Beef noodles", "stall-1", 1, 3800, 3800),
          new BillLine("l2", "D02", "Pork dumplings", "stall-2", 2, 1500, 3000));

      State billed = after(s, events);
      assertThat(line(billed, "l1").billId()).isEqualTo("A1-0001-B1");
      assertThat(line(billed, "l2").billId()).isEqualTo("A1-0001-B1");
      assertThat(line(billed, "l3").billed()).isFalse();
      assertThat(billed.undeliveredBills()).extracting(Table.BillRef::billId).containsExactly("A1-0001-B1");
      assertThat(billed.view().billIds()).containsExactly("A1-0001-B1");
    }

    @Test
    void even_shares_sum_to_the_subtotal() {
      State s = ordered();

      List<Event> events = s.decideRequestBill("bill-1", new Split.Even(3), T1);

      List<BillSpec> specs = ((BillsRequested) events.get(0)).bills();
      assertThat(specs).extracting(BillSpec::billId).containsExactly("A1-0001-B1", "A1-0001-B2", "A1-0001-B3");
      assertThat(specs).extracting(BillSpec::subtotalMinor).containsExactly(2867L, 2867L, 2866L);
      assertThat(specs.stream().mapToLong(BillSpec::subtotalMinor).sum()).isEqualTo(8600);
      assertThat(specs).extracting(BillSpec::part).containsExactly(1, 2, 3);
      assertThat(specs).allSatisfy(spec -> {
        assertThat(spec.parts()).isEqualTo(3);
        assertThat(spec.lines()).extracting(BillLine::lineId).containsExactly("l1", "l2", "l3");
      });
      State billed = after(s, events);
      assertThat(billed.lines()).allSatisfy(l -> assertThat(l.billed()).isTrue());
      assertThat(billed.bills()).hasSize(3);
    }

    @Test
    void an_even_split_has_two_to_twenty_parts() {
      State s = ordered();

      assertRejected(() -> s.decideRequestBill("b1", new Split.Even(1), T1), Rejection.VALIDATION_FAILED);
      assertRejected(() -> s.decideRequestBill("b2", new Split.Even(Split.MAX_PARTS + 1), T1), Rejection.VALIDATION_FAILED);
      assertThat(s.decideRequestBill("b3", new Split.Even(Split.MAX_PARTS), T1).get(0))
          .isInstanceOfSatisfying(BillsRequested.class, e -> assertThat(e.bills()).hasSize(Split.MAX_PARTS));
    }

    @Test
    void by_lines_makes_one_bill_per_group() {
      State s = ordered();

      List<Event> events = s.decideRequestBill("bill-1", new Split.ByLines(List.of(List.of("l3"), List.of("l1", "l2"))), T1);

      List<BillSpec> specs = ((BillsRequested) events.get(0)).bills();
      assertThat(specs).extracting(BillSpec::billId).containsExactly("A1-0001-B1", "A1-0001-B2");
      assertThat(specs).extracting(BillSpec::subtotalMinor).containsExactly(1800L, 6800L);
      assertThat(specs.get(0).lines()).extracting(BillLine::lineId).containsExactly("l3");
      assertThat(specs.get(1).lines()).extracting(BillLine::lineId).containsExactly("l1", "l2");
      assertThat(specs).extracting(BillSpec::parts).containsOnly(2);
      State billed = after(s, events);
      assertThat(line(billed, "l3").billId()).isEqualTo("A1-0001-B1");
      assertThat(line(billed, "l1").billId()).isEqualTo("A1-0001-B2");
    }

    @Test
    void by_lines_refuses_a_line_in_two_parts() {
      State s = ordered();

      assertRejected(() -> s.decideRequestBill("b1", new Split.ByLines(List.of(List.of("l1"), List.of("l2", "l1"))), T1),
          Rejection.VALIDATION_FAILED);
      assertRejected(() -> s.decideRequestBill("b2", new Split.ByLines(List.of(List.of("l1", "l1"))), T1),
          Rejection.VALIDATION_FAILED);
    }

    @Test
    void by_lines_refuses_a_voided_line() {
      State s = ordered();
      State voided = after(s, s.decideVoid("void-1", "l2", "sent back", T0));

      assertRejected(() -> voided.decideRequestBill("b1", new Split.ByLines(List.of(List.of("l1", "l2"))), T1),
          Rejection.LINE_ALREADY_VOIDED);
    }

    @Test
    void by_lines_refuses_an_unknown_line() {
      State s = ordered();

      assertRejected(() -> s.decideRequestBill("b1", new Split.ByLines(List.of(List.of("l1"), List.of("l7"))), T1),
          Rejection.NOT_FOUND);
    }

    @Test
    void by_lines_refuses_a_line_already_on_a_bill() {
      State s = ordered();
      State partly = after(s, s.decideRequestBill("bill-1", new Split.ByLines(List.of(List.of("l1"))), T1));

      assertRejected(() -> partly.decideRequestBill("bill-2", new Split.ByLines(List.of(List.of("l1", "l2"))), T1),
          Rejection.LINE_ALREADY_BILLED);
    }

    @Test
    void by_lines_refuses_an_empty_group_or_no_group() {
      State s = ordered();

      assertRejected(() -> s.decideRequestBill("b1", new Split.ByLines(List.of(List.of("l1"), List.of())), T1),
          Rejection.VALIDATION_FAILED);
      assertRejected(() -> s.decideRequestBill("b2", new Split.ByLines(List.of()), T1), Rejection.VALIDATION_FAILED);
    }

    @Test
    void a_later_request_bills_only_what_is_left_and_numbers_on() {
      State s = ordered();
      s = after(s, s.decideRequestBill("bill-1", new Split.ByLines(List.of(List.of("l1"))), T1));

      List<Event> events = s.decideRequestBill("bill-2", new Split.Whole(), T1);

      BillSpec spec = ((BillsRequested) events.get(0)).bills().get(0);
      assertThat(spec.billId()).isEqualTo("A1-0001-B2");
      assertThat(spec.lines()).extracting(BillLine::lineId).containsExactly("l2", "l3");
      assertThat(spec.subtotalMinor()).isEqualTo(4800);
    }

    @Test
    void nothing_left_to_bill_is_refused() {
      State billed = billedWhole();

      assertRejected(() -> billed.decideRequestBill("bill-2", new Split.Whole(), T1), Rejection.NOTHING_TO_BILL);
      assertRejected(() -> openTable().decideRequestBill("bill-3", new Split.Whole(), T1), Rejection.NOTHING_TO_BILL);
    }

    @Test
    void the_same_bill_request_twice_bills_once_and_answers_the_same_bills() {
      State billed = billedWhole();
      State more = after(billed, billed.decideAddLines("add-2", List.of(TEA), T1));

      assertThat(more.decideRequestBill("bill-1", new Split.Whole(), T1)).isEmpty();
      assertThat(more.billsOfRequest("bill-1")).extracting(BillSpec::billId).containsExactly("A1-0001-B1");
      assertThat(more.billsOfRequest("bill-9")).isEmpty();
    }
  }

  @Nested
  class HandingOverAndSettling {

    @Test
    void a_bill_is_handed_over_once() {
      State billed = billedWhole();

      List<Event> events = billed.decideBillDelivered("A1-0001-B1");

      assertThat(events).containsExactly(new BillHandedOver(TABLE, "A1-0001", "A1-0001-B1"));
      State delivered = after(billed, events);
      assertThat(delivered.undeliveredBills()).isEmpty();
      assertThat(delivered.decideBillDelivered("A1-0001-B1")).isEmpty();
      assertThat(delivered.decideBillDelivered("nope")).isEmpty();
    }

    @Test
    void a_settlement_reported_twice_counts_once() {
      State billed = billedWhole();

      List<Event> first = billed.decideBillSettled("A1-0001-B1", T1);
      State settled = after(billed, first);
      List<Event> second = settled.decideBillSettled("A1-0001-B1", T1.plusSeconds(5));

      assertThat(first).containsExactly(new BillSettled(TABLE, "A1-0001", "A1-0001-B1", T1));
      assertThat(second).isEmpty();
      assertThat(settled.view().bills()).singleElement().satisfies(b -> assertThat(b.settled()).isTrue());
      assertThat(settled.undeliveredBills()).isEmpty();
    }

    @Test
    void a_settlement_of_an_unknown_bill_changes_nothing() {
      assertThat(billedWhole().decideBillSettled("A1-0001-B7", T1)).isEmpty();
    }
  }

  @Nested
  class Closing {

    @Test
    void lines_not_on_a_bill_keep_the_table_open() {
      State s = ordered();
      State partly = after(s, s.decideRequestBill("bill-1", new Split.ByLines(List.of(List.of("l1"))), T1));

      assertRejected(() -> s.decideClose(T1), Rejection.UNBILLED_LINES);
      assertRejected(() -> partly.decideClose(T1), Rejection.UNBILLED_LINES);
    }

    @Test
    void unpaid_bills_keep_the_table_open() {
      State s = ordered();
      State billed = after(s, s.decideRequestBill("bill-1", new Split.Even(2), T1));
      State halfPaid = after(billed, billed.decideBillSettled("A1-0001-B1", T1));

      assertRejected(() -> billed.decideClose(T1), Rejection.BILLS_UNSETTLED);
      assertRejected(() -> halfPaid.decideClose(T1), Rejection.BILLS_UNSETTLED);
    }

    @Test
    void the_table_closes_once_every_bill_is_settled() {
      State s = ordered();
      s = after(s, s.decideVoid("void-1", "l3", "spilled", T0));
      s = after(s, s.decideRequestBill("bill-1", new Split.Even(2), T1));
      s = after(s, s.decideBillSettled("A1-0001-B1", T1));
      s = after(s, s.decideBillSettled("A1-0001-B2", T1));

      List<Event> events = s.decideClose(T1);

      assertThat(events).containsExactly(new Closed(TABLE, "A1-0001", T1));
      State closed = after(s, events);
      assertThat(closed.status()).isEqualTo(Status.CLOSED);
      assertThat(closed.view().closedAt()).isEqualTo(T1);
      assertRejected(() -> closed.decideClose(T1), Rejection.TABLE_NOT_OPEN);
      assertRejected(() -> closed.decideAddLines("add-9", List.of(TEA), T1), Rejection.TABLE_NOT_OPEN);
    }
  }

  @Test
  void tags_are_stable_and_within_the_fixed_set() {
    assertThat(Table.tagFor("A1")).isEqualTo(Table.tagFor("A1"));
    for (String id : List.of("A1", "A2", "B7", "terrace-12", "")) {
      assertThat(Table.tagFor(id)).isIn("table-0", "table-1", "table-2", "table-3");
    }
  }
}
