package io.orderengine.projections;

import static io.orderengine.projections.SalesProjectionTest.DAY;
import static io.orderengine.projections.SalesProjectionTest.DAYS;
import static io.orderengine.projections.SalesProjectionTest.KUNG_PAO;
import static io.orderengine.projections.SalesProjectionTest.MAIN;
import static io.orderengine.projections.SalesProjectionTest.NOODLES;
import static io.orderengine.projections.SalesProjectionTest.NOON;
import static io.orderengine.projections.SalesProjectionTest.TEA;
import static org.assertj.core.api.Assertions.assertThat;

import io.orderengine.engine.Decision;
import io.orderengine.engine.bill.Bill;
import io.orderengine.engine.bill.Bill.Method;
import io.orderengine.engine.bill.Bill.PaymentStatus;
import io.orderengine.engine.bill.BillLine;
import io.orderengine.engine.bill.BillSpec;
import io.orderengine.engine.bill.BillState;
import io.orderengine.engine.bill.TerminalSlip;
import io.orderengine.engine.payment.StatementLine;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Cards taken on standalone terminals, as the Bill decides and persists them, through {@link SalesProjection}
 * into the report tables, and summed per terminal as the terminal's settlement slip would show them.
 */
class CardTerminalsTest extends ReportDatabaseTest {
  final SalesProjection sales = new SalesProjection(DAYS);
  final CardTerminals terminals = new CardTerminals(db.dataSource(), DAYS);

  /** A bill as its entity lives it: each step decided by the bill's core, its events projected in order. */
  final class Lived {
    final String billId;
    BillState state;

    Lived(String billId, List<BillLine> lines, Instant at) throws Exception {
      this.billId = billId;
      this.state = BillState.empty(billId);
      String table = billId.substring(0, billId.indexOf('-'));
      long subtotal = lines.stream().mapToLong(BillLine::amountMinor).sum();
      then(s -> s.decideOpen(new BillSpec(billId, table, table + "-0001", "w1", lines, subtotal, 1, 1), 0, at));
    }

    Lived then(Function<BillState, Decision<Bill.Event>> step) throws Exception {
      List<Bill.Event> events = step.apply(state).orThrow();
      for (Bill.Event e : events) state = state.apply(e);
      db.handle(sales, "Bill|" + billId, events.toArray(Bill.Event[]::new));
      return this;
    }

    Lived onTerminal(String requestId, long amount, TerminalSlip slip, Instant at) throws Exception {
      return then(s -> s.decidePay(requestId, Method.CARD, amount, null, null, null, "demo-cashier", slip, at));
    }
  }

  @Test
  void eachTerminalsPaymentsAndRefundsOfTheDayAreSummedAsItsSlipShowsThem() throws Exception {
    Instant later = NOON.plus(Duration.ofHours(3));
    // paid on T1, part refunded on T1, then a line voided: the engine gives the rest of the excess back in cash
    Lived a = new Lived("T01-0001-B1", List.of(KUNG_PAO, NOODLES), NOON)
        .onTerminal("k1", 10_300, new TerminalSlip("T1", "R1001", "4321"), NOON.plusSeconds(60))
        .then(s -> s.decideRefund("r1", "T01-0001-B1-P1", 1_000, "cold", "demo-cashier", null, "R1002", later))
        .then(s -> s.decideRemoveLine("l2", "never came", later));
    // part on T2, the rest in cash
    new Lived("T02-0001-B1", List.of(TEA), NOON)
        .onTerminal("k2", 1_000, new TerminalSlip("T2", "9", "1111"), NOON.plusSeconds(90))
        .then(s -> s.decidePay("c2", Method.CASH, 500, null, NOON.plusSeconds(95)));
    // a terminal the cashier did not name
    new Lived("T03-0001-B1", List.of(NOODLES), NOON).onTerminal("k3", 2_700, new TerminalSlip(null, "77", "2222"), NOON);
    // a card through the integrated gateway: the gateway's statement checks it, not a terminal's slip
    new Lived("T04-0001-B1", List.of(TEA), NOON)
        .then(s -> s.decidePay("g4", Method.CARD, 1_500, null, "6222", null, "demo-cashier", NOON))
        .then(s -> s.decidePaymentOutcome("T04-0001-B1-P1", PaymentStatus.SUCCEEDED, "txn-4", null, null, NOON.plusSeconds(5)));
    // the next business day, and another venue's terminal of the same name
    new Lived("T05-0001-B1", List.of(TEA), NOON.plus(Duration.ofDays(1)))
        .onTerminal("k5", 1_500, new TerminalSlip("T1", "R2001", "4321"), NOON.plus(Duration.ofDays(1)));
    new Lived("V2.T01-0001-B1", List.of(TEA), NOON).onTerminal("k6", 1_500, new TerminalSlip("T1", "R1001", "9999"), NOON);

    // the rows carry the slip
    assertThat(db.row("SELECT method, status, terminal_id, terminal_ref, card_last4 FROM report_payments WHERE payment_id = ?",
        "T01-0001-B1-P1")).containsExactly(Map.entry("method", "CARD"), Map.entry("status", "SUCCEEDED"),
            Map.entry("terminal_id", "T1"), Map.entry("terminal_ref", "R1001"), Map.entry("card_last4", "4321"));
    assertThat(db.rows("SELECT refund_id, method, amount_minor, status, terminal_id, terminal_ref FROM report_refunds "
        + "WHERE bill_id = ? ORDER BY refund_id", a.billId)).containsExactly(
            row("refund_id", "T01-0001-B1-P1-R1", "method", "CARD", "amount_minor", 1_000L, "status", "SUCCEEDED",
                "terminal_id", "T1", "terminal_ref", "R1002"),
            row("refund_id", "T01-0001-B1-P1-R2", "method", "CASH", "amount_minor", 1_700L, "status", "SUCCEEDED",
                "terminal_id", null, "terminal_ref", null));
    assertThat(db.row("SELECT terminal_ref, card_last4 FROM report_payments WHERE payment_id = 'T04-0001-B1-P1'"))
        .isEqualTo(row("terminal_ref", null, "card_last4", null));
    assertThat(db.row("SELECT status, paid_minor, refunded_minor FROM report_bills WHERE bill_id = ?", a.billId))
        .containsExactly(Map.entry("status", "PAID"), Map.entry("paid_minor", 10_300L), Map.entry("refunded_minor", 2_700L));

    assertThat(terminals.forDay(MAIN, DAY)).containsExactly(
        new CardTerminals.Row(null, 1, 2_700, 0, 0, 2_700),
        new CardTerminals.Row("T1", 1, 10_300, 1, 1_000, 9_300),
        new CardTerminals.Row("T2", 1, 1_000, 0, 0, 1_000));
    assertThat(terminals.forDay(MAIN, DAY.plusDays(1))).containsExactly(new CardTerminals.Row("T1", 1, 1_500, 0, 0, 1_500));
    assertThat(terminals.forDay("V2", DAY)).containsExactly(new CardTerminals.Row("T1", 1, 1_500, 0, 0, 1_500));
    assertThat(terminals.forDay(MAIN, DAY.minusDays(1))).isEmpty();

    // the gateway's card statement is checked against the gateway's cards only
    Reconciliation.Result card = new Reconciliation(db.dataSource(), DAYS).reconcile(MAIN, DAY, "CARD",
        List.of(new StatementLine("T04-0001-B1-P1", "txn-4", "SUCCESS", 1_500, 0, NOON.plusSeconds(5))));
    assertThat(card.matched()).isEqualTo(1);
    assertThat(card.mismatches()).isEmpty();
  }

  @Test
  void aRefundOnTheTerminalCountsOnTheDayItWasMadeAndOnTheTerminalItWasMadeOn() throws Exception {
    new Lived("T01-0001-B1", List.of(KUNG_PAO), NOON)
        .onTerminal("k1", 7_600, new TerminalSlip("T1", "R1", "4321"), NOON)
        .then(s -> s.decideRefund("r1", "T01-0001-B1-P1", 600, "late", "demo-cashier", "T2", null, NOON.plus(Duration.ofDays(1))));

    assertThat(terminals.forDay(MAIN, DAY)).containsExactly(new CardTerminals.Row("T1", 1, 7_600, 0, 0, 7_600));
    assertThat(terminals.forDay(MAIN, DAY.plusDays(1))).containsExactly(new CardTerminals.Row("T2", 0, 0, 1, 600, -600));
  }

  private static Map<String, Object> row(Object... keysAndValues) {
    Map<String, Object> row = new java.util.LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) row.put((String) keysAndValues[i], keysAndValues[i + 1]);
    return row;
  }
}
