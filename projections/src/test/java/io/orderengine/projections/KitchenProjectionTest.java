package io.orderengine.projections;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderengine.engine.table.Table;
import io.orderengine.engine.table.Ticket;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Tables' kitchen events through {@link KitchenProjection}'s handler into {@code kitchen_ticket_lines}
 * on a real PostgreSQL, read back as a kitchen screen reads them ({@link KitchenBoard}).
 */
class KitchenProjectionTest extends ReportDatabaseTest {
  static final Instant FIRED = Instant.parse("2026-11-24T04:00:00Z");
  static final String MAIN = "main";

  final KitchenProjection kitchen = new KitchenProjection();
  final KitchenBoard board = new KitchenBoard(db.dataSource());

  static Table.TicketFired wokTicket(String table, String order) {
    return new Table.TicketFired(table, order, "fire-1", new Ticket(order + "-K1", "WOK", List.of("l1", "l2"), FIRED,
        List.of(new Ticket.Item("l1", "SC01", "宫保鸡丁", 2, "特辣 Hot · 不要香菜"), new Ticket.Item("l2", "SC08", "米饭", 1, null))));
  }

  @Test
  void aTicketGoesOnItsStationsBoardAndItsDishesMoveFromFiredToServed() throws Exception {
    db.handle(kitchen, "Table|T05", wokTicket("T05", "T05-0001"),
        new Table.TicketFired("T05", "T05-0001", "fire-1", new Ticket("T05-0001-K2", "BAR", List.of("l3"), FIRED,
            List.of(new Ticket.Item("l3", "DR01", "珍珠奶茶", 1, "少冰")))));
    assertThat(board.openTickets(MAIN, "WOK")).singleElement().satisfies(t -> {
      assertThat(t.ticketId()).isEqualTo("T05-0001-K1");
      assertThat(t.tableId()).isEqualTo("T05");
      assertThat(t.firedAt()).isEqualTo(FIRED);
      assertThat(t.lines()).extracting(KitchenBoard.TicketLine::lineId, KitchenBoard.TicketLine::qty,
          KitchenBoard.TicketLine::note, KitchenBoard.TicketLine::status).containsExactly(
              org.assertj.core.groups.Tuple.tuple("l1", 2, "特辣 Hot · 不要香菜", "FIRED"),
              org.assertj.core.groups.Tuple.tuple("l2", 1, null, "FIRED"));
    });
    assertThat(board.openTickets(MAIN, "BAR")).extracting(KitchenBoard.OpenTicket::ticketId).containsExactly("T05-0001-K2");

    Instant ready = FIRED.plusSeconds(300);
    db.handle(kitchen, "Table|T05",
        new Table.LineReady("T05", "T05-0001", "T05-0001-K1", "l1", "WOK", ready),
        new Table.LineServed("T05", "T05-0001", "T05-0001-K1", "l1", "WOK", ready.plusSeconds(30)),
        new Table.LineVoided("T05", "T05-0001", "void-1", "l2", "no rice", ready, null));
    // every dish of the WOK ticket served or voided: it leaves the board, and its times are kept
    assertThat(board.openTickets(MAIN, "WOK")).isEmpty();
    assertThat(db.rows("SELECT line_id, status, ready_at IS NOT NULL AS ready, served_at IS NOT NULL AS served "
        + "FROM kitchen_ticket_lines WHERE ticket_id = 'T05-0001-K1' ORDER BY line_id")).containsExactly(
            Map.of("line_id", "l1", "status", "SERVED", "ready", true, "served", true),
            Map.of("line_id", "l2", "status", "VOIDED", "ready", false, "served", false));
    assertThat(board.openTickets(MAIN, "BAR")).hasSize(1);
  }

  @Test
  void aTicketFollowsItsOrderToAnotherTableAndARecallPutsDishesBack() throws Exception {
    Table.TicketFired fired = wokTicket("T05", "T05-0001");
    db.handle(kitchen, "Table|T05", fired,
        new Table.LineReady("T05", "T05-0001", "T05-0001-K1", "l1", "WOK", FIRED.plusSeconds(60)));
    Table.MovedOrder order = new Table.MovedOrder("T05-0001", 2, "w1", FIRED.minusSeconds(600), List.of(),
        List.of(fired.ticket()), List.of());
    db.handle(kitchen, "Table|T09", new Table.MovedIn("T09", "T05-0001", "move-1", "T05", order, FIRED.plusSeconds(120)));
    db.handle(kitchen, "Table|T05", new Table.TicketRecalled("T09", "T05-0001", "recall-1", "T05-0001-K1", "WOK", List.of("l1"),
        FIRED.plusSeconds(180)));

    assertThat(board.openTickets(MAIN, "WOK")).singleElement().satisfies(t -> {
      assertThat(t.tableId()).isEqualTo("T09");
      assertThat(t.lines()).extracting(KitchenBoard.TicketLine::lineId, KitchenBoard.TicketLine::status,
          KitchenBoard.TicketLine::readyAt).containsExactly(
              org.assertj.core.groups.Tuple.tuple("l1", "FIRED", null),
              org.assertj.core.groups.Tuple.tuple("l2", "FIRED", null));
    });
    assertThat(db.row("SELECT recalls FROM kitchen_ticket_lines WHERE ticket_id = 'T05-0001-K1' AND line_id = 'l1'"))
        .containsEntry("recalls", 1);
  }

  @Test
  void eventsHandledTwiceAreCountedOnce() throws Exception {
    Table.TicketFired fired = wokTicket("T06", "T06-0001");
    Table.LineReady ready = new Table.LineReady("T06", "T06-0001", "T06-0001-K1", "l1", "WOK", FIRED.plusSeconds(60));
    Table.LineVoided voided = new Table.LineVoided("T06", "T06-0001", "void-1", "l2", "no rice", FIRED.plusSeconds(60), null);
    db.handle(kitchen, "Table|T06", fired, ready, voided);
    db.handle(kitchen, "Table|T06", fired, ready);
    db.handle(kitchen, "Table|T06", voided, fired);

    assertThat(db.rows("SELECT line_id, status, qty FROM kitchen_ticket_lines ORDER BY ticket_id, line_id")).containsExactly(
        Map.of("line_id", "l1", "status", "READY", "qty", 2), Map.of("line_id", "l2", "status", "VOIDED", "qty", 1));
  }
}
