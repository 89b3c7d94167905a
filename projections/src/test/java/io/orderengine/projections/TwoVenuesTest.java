package io.orderengine.projections;

import static io.orderengine.projections.SalesProjectionTest.DAY;
import static io.orderengine.projections.SalesProjectionTest.KUNG_PAO;
import static io.orderengine.projections.SalesProjectionTest.NOON;
import static io.orderengine.projections.SalesProjectionTest.TEA;
import static io.orderengine.projections.SalesProjectionTest.payment;
import static io.orderengine.projections.SalesProjectionTest.refund;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.orderengine.engine.bill.Bill;
import io.orderengine.engine.bill.Bill.BillTotals;
import io.orderengine.engine.bill.Bill.Method;
import io.orderengine.engine.bill.Bill.PaymentStatus;
import io.orderengine.engine.bill.Bill.RefundStatus;
import io.orderengine.engine.bill.BillLine;
import io.orderengine.engine.bill.BillSpec;
import io.orderengine.engine.member.Member;
import io.orderengine.engine.payment.StatementLine;
import io.orderengine.engine.table.Table;
import io.orderengine.engine.table.Ticket;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two venues on one cluster, both with a table A1, a dish SC01, a station WOK, a member M001 and a
 * cashier called demo-cashier: venue {@code main} (bare ids, as before venues) and venue {@code V2}
 * (ids {@code V2.A1}, {@code V2.A1-0001-B1}, …). Every row lands with its venue and the venue's own
 * names, and no report of one venue counts a fen of the other's.
 */
class TwoVenuesTest extends ReportDatabaseTest {
  final SalesProjection sales = new SalesProjection(SalesProjectionTest.DAYS);
  final SalesReport reports = new SalesReport(db.dataSource(), SalesProjectionTest.DAYS);
  final KitchenProjection kitchen = new KitchenProjection();
  final KitchenBoard board = new KitchenBoard(db.dataSource());
  final MemberProjection members = new MemberProjection();

  /** Table A1 of {@code venue}'s one bill: the same dishes, paid in cash by a cashier of the same name, some refunded. */
  private void aBillAtA1(String tablePrefix, long refunded) throws Exception {
    String table = tablePrefix + "A1";
    String order = table + "-0001";
    String bill = order + "-B1";
    String pay = bill + "-P1";
    BillTotals totals = new BillTotals(9100, 0, 0, 9100);
    db.handle(sales, "Bill|" + bill,
        new Bill.Opened(new BillSpec(bill, table, order, "w1", List.of(KUNG_PAO, TEA), 9100, 1, 1), 0, NOON),
        new Bill.PaymentRecorded(bill, table, "pay-1", payment(pay, Method.CASH, 9100, 10000, PaymentStatus.SUCCEEDED,
            NOON.plusSeconds(60))),
        new Bill.Settled(bill, table, order, NOON.plusSeconds(60), totals),
        new Bill.RefundRecorded(bill, table, "refund-1", refund(pay + "-R1", pay, Method.CASH, refunded, RefundStatus.SUCCEEDED,
            "cold", NOON.plusSeconds(120), "demo-cashier")));
  }

  @Test
  void billsOfTwoVenuesLandWithTheirVenueAndTheTablesOwnNames() throws Exception {
    aBillAtA1("", 500);
    aBillAtA1("V2.", 1000);

    assertThat(db.rows("SELECT bill_id, venue_id, table_id, order_id FROM report_bills ORDER BY bill_id")).containsExactly(
        Map.of("bill_id", "A1-0001-B1", "venue_id", "main", "table_id", "A1", "order_id", "A1-0001"),
        Map.of("bill_id", "V2.A1-0001-B1", "venue_id", "V2", "table_id", "A1", "order_id", "V2.A1-0001"));
    assertThat(db.rows("SELECT venue_id, count(*) AS n FROM report_bill_lines GROUP BY venue_id ORDER BY venue_id"))
        .containsExactly(Map.of("venue_id", "V2", "n", 2L), Map.of("venue_id", "main", "n", 2L));
    assertThat(db.rows("SELECT payment_id, venue_id FROM report_payments ORDER BY payment_id")).containsExactly(
        Map.of("payment_id", "A1-0001-B1-P1", "venue_id", "main"), Map.of("payment_id", "V2.A1-0001-B1-P1", "venue_id", "V2"));
    assertThat(db.rows("SELECT refund_id, venue_id FROM report_refunds ORDER BY refund_id")).containsExactly(
        Map.of("refund_id", "A1-0001-B1-P1-R1", "venue_id", "main"), Map.of("refund_id", "V2.A1-0001-B1-P1-R1", "venue_id", "V2"));
  }

  @Test
  void aVenuesSalesReportCountsItsOwnBillsOnly() throws Exception {
    aBillAtA1("", 500);
    aBillAtA1("V2.", 1000);

    for (String venue : List.of("main", "V2")) {
      long kept = venue.equals("main") ? 8600 : 8100;
      long refunds = 9100 - kept;
      // what was kept over the two dishes by largest remainder: 7600 and 1500 of 9100
      long kungPao = venue.equals("main") ? 7182 : 6765;
      long tea = kept - kungPao;
      assertThat(reports.rows(venue, DAY, DAY, SalesReport.GroupBy.DAY)).as(venue)
          .containsExactly(new SalesReport.Row("2026-11-24", 1, 9100, 0, kept, refunds));
      assertThat(reports.rows(venue, DAY, DAY, SalesReport.GroupBy.METHOD)).as(venue)
          .containsExactly(new SalesReport.Row("CASH", 1, 9100, 0, kept, refunds));
      assertThat(reports.rows(venue, DAY, DAY, SalesReport.GroupBy.ITEM)).as(venue)
          .extracting(SalesReport.Row::key, SalesReport.Row::bills, SalesReport.Row::netMinor).containsExactly(
              tuple("DR01", 1L, tea), tuple("SC01", 1L, kungPao));
      for (SalesReport.GroupBy by : SalesReport.GroupBy.values()) {
        assertThat(reports.rows(venue, DAY, DAY, by).stream().mapToLong(SalesReport.Row::netMinor).sum())
            .as(venue + " by " + by).isEqualTo(kept);
      }
      assertThat(new StallSettlement(reports).forDay(venue, DAY, Map.of("S1", 10, "S5", 10)))
          .extracting(StallSettlement.Row::stallId, StallSettlement.Row::netMinor)
          .containsExactly(tuple("S1", kungPao), tuple("S5", tea));
    }
    assertThat(reports.rows("V3", DAY, DAY, SalesReport.GroupBy.DAY)).isEmpty();
  }

  @Test
  void eachVenueCountsItsOwnBusinessDay() throws Exception {
    // main trades in Shanghai from midnight; V2 in London from 06:00: noon in Shanghai is 04:00 in London, yesterday's trade there
    BusinessDay london = new BusinessDay(ZoneId.of("Europe/London"), 6);
    BusinessDays days = venue -> venue.equals("V2") ? london : SalesProjectionTest.VENUE;
    SalesProjection byVenue = new SalesProjection(days);
    for (String bill : List.of("A1-0001-B1", "V2.A1-0001-B1")) {
      String table = bill.substring(0, bill.indexOf("-0001"));
      db.handle(byVenue, "Bill|" + bill,
          new Bill.Opened(new BillSpec(bill, table, table + "-0001", "w1", List.of(TEA), 1500, 1, 1), 0, NOON));
    }
    assertThat(db.rows("SELECT venue_id, business_date::text AS day FROM report_bills ORDER BY venue_id")).containsExactly(
        Map.of("venue_id", "V2", "day", "2026-11-23"), Map.of("venue_id", "main", "day", "2026-11-24"));
  }

  @Test
  void aShiftClosesAgainstTheCashOfItsOwnVenue() throws Exception {
    aBillAtA1("", 500);
    aBillAtA1("V2.", 1000);
    CashierBooks books = new CashierBooks(db.dataSource(), new ProjectionLag(db.dataSource()), Runnable::run);

    // the same name took cash at both venues; each shift counts its own venue's
    assertThat(books.cash("main", List.of("demo-cashier"), NOON, NOON.plusSeconds(600)))
        .isEqualTo(new CashierBooks.Cash(9100, 500));
    assertThat(books.cash("V2", List.of("demo-cashier"), NOON, NOON.plusSeconds(600)))
        .isEqualTo(new CashierBooks.Cash(9100, 1000));
  }

  @Test
  void aVenueReconcilesTheTradesItMade() throws Exception {
    for (String prefix : List.of("", "V2.")) {
      String bill = prefix + "A1-0001-B1";
      db.handle(sales, "Bill|" + bill,
          new Bill.Opened(new BillSpec(bill, prefix + "A1", prefix + "A1-0001", "w1", List.of(TEA), 1500, 1, 1), 0, NOON),
          new Bill.PaymentRecorded(bill, prefix + "A1", "pay-1",
              payment(bill + "-P1", Method.WECHAT, 1500, 1500, PaymentStatus.SUCCEEDED, NOON.plusSeconds(60))));
    }
    // one merchant account for both venues: its statement lists both trades
    List<StatementLine> statement = List.of(
        new StatementLine("A1-0001-B1-P1", "wx-1", "SUCCESS", 1500, 0, NOON.plusSeconds(60)),
        new StatementLine("V2.A1-0001-B1-P1", "wx-2", "SUCCESS", 1500, 0, NOON.plusSeconds(60)));
    Reconciliation reconciliation = new Reconciliation(db.dataSource(), SalesProjectionTest.DAYS);

    for (String venue : List.of("main", "V2")) {
      Reconciliation.Result result = reconciliation.reconcile(venue, DAY, "WECHAT", statement);
      assertThat(result.matched()).as(venue).isEqualTo(1);
      assertThat(result.mismatches()).as(venue).isEmpty();
    }
  }

  static Table.TicketFired wokTicket(String table, String order) {
    return new Table.TicketFired(table, order, "fire-1", new Ticket(order + "-K1", "WOK", List.of("l1"), NOON,
        List.of(new Ticket.Item("l1", "SC01", "宫保鸡丁", 1, null))));
  }

  @Test
  void aStationsBoardShowsItsOwnVenuesTicketsWithTheTablesOwnNames() throws Exception {
    db.handle(kitchen, "Table|A1", wokTicket("A1", "A1-0001"));
    db.handle(kitchen, "Table|V2.A1", wokTicket("V2.A1", "V2.A1-0001"));
    // V2 moves its order to its own table B2
    Table.MovedOrder order = new Table.MovedOrder("V2.A1-0001", 2, "w1", NOON, List.of(), List.of(), List.of());
    db.handle(kitchen, "Table|V2.B2", new Table.MovedIn("V2.B2", "V2.A1-0001", "move-1", "V2.A1", order, NOON.plusSeconds(60)));

    assertThat(db.rows("SELECT ticket_id, venue_id, table_id FROM kitchen_ticket_lines ORDER BY ticket_id")).containsExactly(
        Map.of("ticket_id", "A1-0001-K1", "venue_id", "main", "table_id", "A1"),
        Map.of("ticket_id", "V2.A1-0001-K1", "venue_id", "V2", "table_id", "A1"));
    assertThat(db.row("SELECT venue_id, table_id FROM kitchen_order_moves WHERE order_id = 'V2.A1-0001'"))
        .containsExactly(Map.entry("venue_id", "V2"), Map.entry("table_id", "B2"));
    assertThat(board.openTickets("main", "WOK")).extracting(KitchenBoard.OpenTicket::ticketId, KitchenBoard.OpenTicket::tableId)
        .containsExactly(tuple("A1-0001-K1", "A1"));
    assertThat(board.openTickets("V2", "WOK")).extracting(KitchenBoard.OpenTicket::ticketId, KitchenBoard.OpenTicket::tableId)
        .containsExactly(tuple("V2.A1-0001-K1", "B2"));

    KitchenTimes times = new KitchenTimes(db.dataSource(), SalesProjectionTest.DAYS);
    db.handle(kitchen, "Table|A1", new Table.LineReady("A1", "A1-0001", "A1-0001-K1", "l1", "WOK", NOON.plusSeconds(300)));
    assertThat(times.forDay("main", DAY)).singleElement().satisfies(r -> {
      assertThat(r.linesReady()).isEqualTo(1);
      assertThat(r.meanSecondsToReady()).isEqualTo(300.0);
    });
    assertThat(times.forDay("V2", DAY)).singleElement().satisfies(r -> {
      assertThat(r.linesFired()).isEqualTo(1);
      assertThat(r.linesReady()).isZero();
    });
  }

  @Test
  void aMergedLineVoidedAtOneVenueLeavesTheOthersSameNamedTableAlone() throws Exception {
    // both venues merged their table A3's order into their A1; then V2 voids the merged line
    for (String prefix : List.of("", "V2.")) {
      db.handle(kitchen, "Table|" + prefix + "A3", wokTicket(prefix + "A3", prefix + "A3-0001"));
      Table.MovedOrder order = new Table.MovedOrder(prefix + "A3-0001", 2, "w1", NOON, List.of(), List.of(), List.of());
      db.handle(kitchen, "Table|" + prefix + "A1", new Table.MergedIn(prefix + "A1", prefix + "A1-0001", "merge-1",
          prefix + "A3", order, NOON.plusSeconds(60)));
    }
    db.handle(kitchen, "Table|V2.A1",
        new Table.LineVoided("V2.A1", "V2.A1-0001", "void-1", "V2.A3_l1", "changed mind", NOON.plusSeconds(120), null));

    assertThat(db.rows("SELECT ticket_id, status FROM kitchen_ticket_lines ORDER BY ticket_id")).containsExactly(
        Map.of("ticket_id", "A3-0001-K1", "status", "FIRED"), Map.of("ticket_id", "V2.A3-0001-K1", "status", "VOIDED"));
  }

  @Test
  void twoVenuesMayEachHaveAMemberM001() throws Exception {
    for (String prefix : List.of("", "V2.")) {
      String member = prefix + "M001";
      db.handle(members, "Member|" + member,
          new Member.Registered(member, "王小明", "13800138000", NOON),
          // the same Idempotency-Key at both venues: two different top-ups
          new Member.ToppedUp(member, "topup:k1", prefix.isEmpty() ? 20000 : 5000, "CASH", NOON.plusSeconds(60)),
          new Member.Debited(member, prefix + "A1-0001-B1-P2", 1000, 10, NOON.plusSeconds(120)));
    }
    assertThat(db.rows("SELECT venue_id, member_id, balance_minor, visits FROM report_members ORDER BY venue_id")).containsExactly(
        Map.of("venue_id", "V2", "member_id", "M001", "balance_minor", 4000L, "visits", 1),
        Map.of("venue_id", "main", "member_id", "M001", "balance_minor", 19000L, "visits", 1));
    assertThat(db.rows("SELECT venue_id, member_id, movement_id, amount_minor FROM report_member_movements "
        + "WHERE kind = 'TOP_UP' ORDER BY venue_id")).containsExactly(
            Map.of("venue_id", "V2", "member_id", "M001", "movement_id", "topup:k1", "amount_minor", 5000L),
            Map.of("venue_id", "main", "member_id", "M001", "movement_id", "topup:k1", "amount_minor", 20000L));
  }

  @Test
  void aMemberPaymentNamesTheMemberAsItsVenueKnowsThem() throws Exception {
    String bill = "V2.A1-0001-B1";
    Bill.Payment p = payment(bill + "-P1", Method.MEMBER, 1500, 1500, PaymentStatus.SUCCEEDED, NOON.plusSeconds(60));
    Bill.Payment byMember = new Bill.Payment(p.paymentId(), p.method(), p.amountMinor(), p.tenderedMinor(), p.changeMinor(),
        p.status(), p.gatewayTradeNo(), null, p.requestId(), p.at(), null, "V2.M001", null, null, p.finishedAt(), p.takenBy());
    db.handle(sales, "Bill|" + bill,
        new Bill.Opened(new BillSpec(bill, "V2.A1", "V2.A1-0001", "w1", List.of(TEA), 1500, 1, 1), 0, NOON),
        new Bill.PaymentRecorded(bill, "V2.A1", "pay-1", byMember));
    assertThat(db.row("SELECT venue_id, member_id FROM report_payments")).containsExactly(
        Map.entry("venue_id", "V2"), Map.entry("member_id", "M001"));
  }

  @Test
  void aLineMergedInFromAnotherTableIsNamedByTheVenuesOwnTable() throws Exception {
    String bill = "V2.A1-0001-B1";
    BillLine merged = new BillLine("V2.A3_l1", "SC01", "宫保鸡丁", "S1", 1, 3800, 3800);
    db.handle(sales, "Bill|" + bill,
        new Bill.Opened(new BillSpec(bill, "V2.A1", "V2.A1-0001", "w1", List.of(TEA, merged), 5300, 1, 1), 0, NOON),
        new Bill.LineRemoved(bill, "V2.A3_l1", 3800, "changed mind", NOON.plusSeconds(60), new BillTotals(1500, 0, 0, 1500)));
    assertThat(db.rows("SELECT line_id, voided FROM report_bill_lines ORDER BY line_id")).containsExactly(
        Map.of("line_id", "A3_l1", "voided", true), Map.of("line_id", "l3", "voided", false));
  }

  @Test
  void aLiveFeedItemBelongsToTheVenueItsEntityNames() {
    assertThat(LiveFeed.venueOf("Table|A1")).isEqualTo("main");
    assertThat(LiveFeed.venueOf("Table|V2.A1")).isEqualTo("V2");
    assertThat(LiveFeed.venueOf("Bill|V2.A1-0001-B1")).isEqualTo("V2");
    assertThat(LiveFeed.venueOf("PaymentSaga|V2.A1-0001-B1-P1")).isEqualTo("V2");
    // a venue's menu and stock are named by the venue itself
    assertThat(LiveFeed.venueOf("Venue|V2")).isEqualTo("V2");
    assertThat(LiveFeed.venueOf("Stock|V2")).isEqualTo("V2");
    assertThat(LiveFeed.venueOf("Stock|main")).isEqualTo("main");
  }
}
