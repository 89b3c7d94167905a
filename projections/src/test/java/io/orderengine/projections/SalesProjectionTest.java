package io.orderengine.projections;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderengine.engine.bill.Bill;
import io.orderengine.engine.bill.Bill.BillTotals;
import io.orderengine.engine.bill.Bill.Method;
import io.orderengine.engine.bill.Bill.PaymentStatus;
import io.orderengine.engine.bill.Bill.RefundStatus;
import io.orderengine.engine.bill.BillLine;
import io.orderengine.engine.bill.BillSpec;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Bills' events, as the Bill entity persists them, through {@link SalesProjection}'s handler into
 * the report tables on a real PostgreSQL, and read back with the analysts' queries ({@link Reports}).
 */
class SalesProjectionTest extends ReportDatabaseTest {
  static final BusinessDay VENUE = new BusinessDay(ZoneId.of("Asia/Shanghai"), 0);
  static final BusinessDays DAYS = BusinessDays.everywhere(VENUE);
  static final String MAIN = "main";
  /** Noon in Shanghai on 24 November: the business day of every bill below. */
  static final Instant NOON = Instant.parse("2026-11-24T04:00:00Z");
  static final LocalDate DAY = LocalDate.parse("2026-11-24");

  final SalesProjection sales = new SalesProjection(DAYS);
  final SalesReport reports = new SalesReport(db.dataSource(), DAYS);

  static final BillLine KUNG_PAO = new BillLine("l1", "SC01", "宫保鸡丁", "S1", 2, 3800, 7600);
  static final BillLine NOODLES = new BillLine("l2", "LZ01", "兰州牛肉面", "S3", 1, 2700, 2700);
  static final BillLine TEA = new BillLine("l3", "DR01", "珍珠奶茶", "S5", 1, 1500, 1500);

  static Bill.Opened opened(String billId, List<BillLine> lines, long subtotal, int part, int parts) {
    String table = billId.substring(0, 3);
    return new Bill.Opened(new BillSpec(billId, table, table + "-0001", "w1", lines, subtotal, part, parts), 0, NOON);
  }

  static Bill.Payment payment(String paymentId, Method method, long amount, long tendered, PaymentStatus status, Instant at) {
    Instant finished = status == PaymentStatus.PENDING ? null : at;
    return new Bill.Payment(paymentId, method, amount, tendered, tendered - amount, status,
        method == Method.CASH ? null : paymentId, null, "req-" + paymentId, at, null, null, null, null, finished, "demo-cashier");
  }

  static Bill.RefundEntry refund(String refundId, String paymentId, Method method, long amount, RefundStatus status,
      String reason, Instant at, String takenBy) {
    return new Bill.RefundEntry(refundId, paymentId, method, amount, status, reason, null, "req-" + refundId, at,
        status == RefundStatus.PENDING ? null : at, takenBy);
  }

  @Test
  void aBillSettledWithADiscountAndARefundGivesItsGrossDiscountNetAndRefunds() throws Exception {
    String bill = "T05-0001-B1";
    BillTotals afterDiscount = new BillTotals(9100, 910, 0, 8190);
    db.handle(sales, "Bill|" + bill,
        opened(bill, List.of(KUNG_PAO, TEA), 9100, 1, 1),
        new Bill.DiscountApplied(bill, "disc-1", new Bill.Discount("D1", Bill.DiscountType.PERCENT, 10, 910, "regular",
            NOON.plusSeconds(60)), afterDiscount),
        new Bill.PaymentRecorded(bill, "T05", "pay-1",
            payment("T05-0001-B1-P1", Method.CASH, 8190, 10000, PaymentStatus.SUCCEEDED, NOON.plusSeconds(120))),
        new Bill.Settled(bill, "T05", "T05-0001", NOON.plusSeconds(120), afterDiscount),
        new Bill.RefundRecorded(bill, "T05", "refund-1",
            refund("T05-0001-B1-P1-R1", "T05-0001-B1-P1", Method.CASH, 500, RefundStatus.SUCCEEDED, "cold soup",
                NOON.plusSeconds(300), "demo-cashier")));

    assertThat(db.row("SELECT status, business_date::text AS day, subtotal_minor, discount_minor, total_minor, paid_minor, "
        + "refunded_minor, settled_at IS NOT NULL AS settled FROM report_bills WHERE bill_id = ?", bill))
        .containsExactly(Map.entry("status", "PAID"), Map.entry("day", "2026-11-24"), Map.entry("subtotal_minor", 9100L),
            Map.entry("discount_minor", 910L), Map.entry("total_minor", 8190L), Map.entry("paid_minor", 8190L),
            Map.entry("refunded_minor", 500L), Map.entry("settled", true));
    // what the bill kept (8190 - 500) over its lines in proportion to their amounts, to the fen
    assertThat(db.rows("SELECT line_id, gross_minor, net_minor FROM report_bill_lines WHERE bill_id = ? ORDER BY line_id", bill))
        .containsExactly(Map.of("line_id", "l1", "gross_minor", 7600L, "net_minor", 6422L),
            Map.of("line_id", "l3", "gross_minor", 1500L, "net_minor", 1268L));
    assertThat(db.row("SELECT method, amount_minor, tendered_minor, change_minor, status, taken_by FROM report_payments "
        + "WHERE payment_id = 'T05-0001-B1-P1'")).containsExactly(Map.entry("method", "CASH"), Map.entry("amount_minor", 8190L),
        Map.entry("tendered_minor", 10000L), Map.entry("change_minor", 1810L), Map.entry("status", "SUCCEEDED"),
        Map.entry("taken_by", "demo-cashier"));
    assertThat(db.row("SELECT payment_id, amount_minor, status, reason FROM report_refunds WHERE refund_id = 'T05-0001-B1-P1-R1'"))
        .containsExactly(Map.entry("payment_id", "T05-0001-B1-P1"), Map.entry("amount_minor", 500L),
            Map.entry("status", "SUCCEEDED"), Map.entry("reason", "cold soup"));

    // the rows the analysts read
    assertThat(reports.rows(MAIN, DAY, DAY, SalesReport.GroupBy.DAY))
        .containsExactly(new SalesReport.Row("2026-11-24", 1, 9100, 910, 7690, 500));
    assertThat(reports.rows(MAIN, DAY, DAY, SalesReport.GroupBy.METHOD))
        .containsExactly(new SalesReport.Row("CASH", 1, 8190, 0, 7690, 500));
    assertThat(reports.rows(MAIN, DAY, DAY, SalesReport.GroupBy.STALL)).extracting(SalesReport.Row::key, SalesReport.Row::grossMinor,
        SalesReport.Row::netMinor).containsExactly(
            org.assertj.core.groups.Tuple.tuple("S1", 7600L, 6422L), org.assertj.core.groups.Tuple.tuple("S5", 1500L, 1268L));
    assertThat(reports.rows(MAIN, DAY.plusDays(1), DAY.plusDays(1), SalesReport.GroupBy.DAY)).isEmpty();
    everyGroupingSumsTo(7690);
  }

  @Test
  void aLineVoidedAfterTheBillWasPaidLeavesTheBillAndIsRefunded() throws Exception {
    String bill = "T06-0001-B1";
    db.handle(sales, "Bill|" + bill,
        opened(bill, List.of(KUNG_PAO, NOODLES, TEA), 11800, 1, 1),
        new Bill.PaymentRecorded(bill, "T06", "pay-1",
            payment("T06-0001-B1-P1", Method.CASH, 11800, 11800, PaymentStatus.SUCCEEDED, NOON.plusSeconds(60))),
        new Bill.Settled(bill, "T06", "T06-0001", NOON.plusSeconds(60), new BillTotals(11800, 0, 0, 11800)));
    // as the Bill persists a void of a paid line: the line leaves the bill, then its money goes back
    db.handle(sales, "Bill|" + bill,
        new Bill.LineRemoved(bill, "l2", 2700, "never came", NOON.plusSeconds(600), new BillTotals(9100, 0, 0, 9100)),
        new Bill.RefundRecorded(bill, "T06", "void-l2",
            refund("T06-0001-B1-P1-R1", "T06-0001-B1-P1", Method.CASH, 2700, RefundStatus.SUCCEEDED,
                "line l2 voided: never came", NOON.plusSeconds(600), null)));

    assertThat(db.row("SELECT status, subtotal_minor, total_minor, paid_minor, refunded_minor FROM report_bills WHERE bill_id = ?",
        bill)).containsExactly(Map.entry("status", "PAID"), Map.entry("subtotal_minor", 9100L), Map.entry("total_minor", 9100L),
        Map.entry("paid_minor", 11800L), Map.entry("refunded_minor", 2700L));
    assertThat(db.rows("SELECT line_id, voided, net_minor FROM report_bill_lines WHERE bill_id = ? ORDER BY line_id", bill))
        .containsExactly(Map.of("line_id", "l1", "voided", false, "net_minor", 7600L),
            Map.of("line_id", "l2", "voided", true, "net_minor", 0L),
            Map.of("line_id", "l3", "voided", false, "net_minor", 1500L));
    assertThat(reports.rows(MAIN, DAY, DAY, SalesReport.GroupBy.ITEM)).extracting(SalesReport.Row::key, SalesReport.Row::grossMinor,
        SalesReport.Row::netMinor).containsExactly(
            org.assertj.core.groups.Tuple.tuple("DR01", 1500L, 1500L),
            org.assertj.core.groups.Tuple.tuple("LZ01", 0L, 0L),
            org.assertj.core.groups.Tuple.tuple("SC01", 7600L, 7600L));
    assertThat(reports.rows(MAIN, DAY, DAY, SalesReport.GroupBy.DAY))
        .containsExactly(new SalesReport.Row("2026-11-24", 1, 9100, 0, 9100, 2700));
    assertThat(reports.rows(MAIN, DAY, DAY, SalesReport.GroupBy.METHOD))
        .containsExactly(new SalesReport.Row("CASH", 1, 11800, 0, 9100, 2700));
    everyGroupingSumsTo(9100);
  }

  @Test
  void eventsHandledTwiceAreCountedOnce() throws Exception {
    // a QR payment: pending, then settled by the gateway's callback; every event after the first
    // reaches the handler a second time, in a later group, as a replay from an older offset would
    String bill = "T07-0001-B1";
    Bill.Opened opened = opened(bill, List.of(KUNG_PAO, TEA), 9100, 1, 1);
    Bill.PaymentRecorded pending = new Bill.PaymentRecorded(bill, "T07", "pay-1",
        payment("T07-0001-B1-P1", Method.WECHAT, 9100, 9100, PaymentStatus.PENDING, NOON.plusSeconds(60)));
    Bill.PaymentSettled paid = new Bill.PaymentSettled(bill, "T07-0001-B1-P1", PaymentStatus.SUCCEEDED, "wx-4200001",
        null, null, NOON.plusSeconds(90));
    BillTotals totals = new BillTotals(9100, 0, 0, 9100);
    Bill.Settled settled = new Bill.Settled(bill, "T07", "T07-0001", NOON.plusSeconds(90), totals);
    Bill.RefundRecorded refunding = new Bill.RefundRecorded(bill, "T07", "refund-1",
        refund("T07-0001-B1-P1-R1", "T07-0001-B1-P1", Method.WECHAT, 1500, RefundStatus.PENDING, "spilt", NOON.plusSeconds(400),
            "demo-cashier"));
    Bill.RefundSettled refunded = new Bill.RefundSettled(bill, "T07-0001-B1-P1-R1", true, null, NOON.plusSeconds(420));
    Bill.LineRemoved removed = new Bill.LineRemoved(bill, "l3", 1500, "spilt", NOON.plusSeconds(400),
        new BillTotals(7600, 0, 0, 7600));

    db.handle(sales, "Bill|" + bill, opened, pending, paid, settled, removed, refunding, refunded);
    db.handle(sales, "Bill|" + bill, opened);
    db.handle(sales, "Bill|" + bill, paid, settled);
    db.handle(sales, "Bill|" + bill, paid);
    db.handle(sales, "Bill|" + bill, refunded, removed);
    db.handle(sales, "Bill|" + bill, refunded);

    assertThat(db.row("SELECT status, subtotal_minor, paid_minor, refunded_minor FROM report_bills WHERE bill_id = ?", bill))
        .containsExactly(Map.entry("status", "PAID"), Map.entry("subtotal_minor", 7600L), Map.entry("paid_minor", 9100L),
            Map.entry("refunded_minor", 1500L));
    assertThat(db.rows("SELECT line_id, voided, net_minor FROM report_bill_lines WHERE bill_id = ? ORDER BY line_id", bill))
        .containsExactly(Map.of("line_id", "l1", "voided", false, "net_minor", 7600L),
            Map.of("line_id", "l3", "voided", true, "net_minor", 0L));
    assertThat(db.row("SELECT status, gateway_txn_id FROM report_payments WHERE payment_id = 'T07-0001-B1-P1'"))
        .containsExactly(Map.entry("status", "SUCCEEDED"), Map.entry("gateway_txn_id", "wx-4200001"));
    assertThat(db.row("SELECT count(*) AS n FROM report_refunds")).containsEntry("n", 1L);
    assertThat(reports.rows(MAIN, DAY, DAY, SalesReport.GroupBy.METHOD))
        .containsExactly(new SalesReport.Row("WECHAT", 1, 9100, 0, 7600, 1500));
    everyGroupingSumsTo(7600);
  }

  @Test
  void anEvenSplitCountsEachDishOnceAcrossItsShares() throws Exception {
    // two shares of one order: each lists every line and owes half; the dishes' gross adds up to the order
    db.handle(sales, "Bill|T08-0001-B1", opened("T08-0001-B1", List.of(KUNG_PAO, TEA), 4550, 1, 2),
        new Bill.PaymentRecorded("T08-0001-B1", "T08", "pay-1",
            payment("T08-0001-B1-P1", Method.CARD, 4550, 4550, PaymentStatus.SUCCEEDED, NOON.plusSeconds(60))),
        new Bill.Settled("T08-0001-B1", "T08", "T08-0001", NOON.plusSeconds(60), new BillTotals(4550, 0, 0, 4550)));
    db.handle(sales, "Bill|T08-0001-B2", opened("T08-0001-B2", List.of(KUNG_PAO, TEA), 4550, 2, 2),
        new Bill.PaymentRecorded("T08-0001-B2", "T08", "pay-2",
            payment("T08-0001-B2-P1", Method.CASH, 4550, 5000, PaymentStatus.SUCCEEDED, NOON.plusSeconds(70))),
        new Bill.Settled("T08-0001-B2", "T08", "T08-0001", NOON.plusSeconds(70), new BillTotals(4550, 0, 0, 4550)));

    assertThat(reports.rows(MAIN, DAY, DAY, SalesReport.GroupBy.ITEM)).extracting(SalesReport.Row::key, SalesReport.Row::bills,
        SalesReport.Row::grossMinor, SalesReport.Row::netMinor).containsExactly(
            org.assertj.core.groups.Tuple.tuple("DR01", 2L, 1500L, 1500L),
            org.assertj.core.groups.Tuple.tuple("SC01", 2L, 7600L, 7600L));
    assertThat(reports.rows(MAIN, DAY, DAY, SalesReport.GroupBy.METHOD)).containsExactly(
        new SalesReport.Row("CARD", 1, 4550, 0, 4550, 0), new SalesReport.Row("CASH", 1, 4550, 0, 4550, 0));
    everyGroupingSumsTo(9100);
  }

  /** Whatever the grouping, the net takings are the same money. */
  private void everyGroupingSumsTo(long net) throws Exception {
    for (SalesReport.GroupBy by : SalesReport.GroupBy.values()) {
      assertThat(reports.rows(MAIN, DAY, DAY, by).stream().mapToLong(SalesReport.Row::netMinor).sum()).as("net by " + by)
          .isEqualTo(net);
    }
  }
}
