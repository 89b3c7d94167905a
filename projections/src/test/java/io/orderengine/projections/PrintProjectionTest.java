package io.orderengine.projections;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderengine.engine.Rejected;
import io.orderengine.engine.bill.Bill;
import io.orderengine.engine.table.Table;
import io.orderengine.engine.table.Ticket;
import io.orderengine.engine.venue.Printer;
import io.orderengine.engine.venue.Settings;
import io.orderengine.engine.venue.Station;
import io.orderengine.engine.venue.Venue;
import io.orderengine.projections.printing.EscPos;
import io.orderengine.projections.printing.PrintDocument;
import io.orderengine.projections.printing.PrintJobs;
import io.orderengine.projections.printing.PrintSetup;
import io.orderengine.projections.printing.TicketPrintProjection;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * Tables' events through {@link TicketPrintProjection}'s handler into {@code print_jobs} on a real
 * PostgreSQL: one job per event and printer of the station, however often the event is handled; a
 * void only of what was fired; reprints and move notices from what was fired; a move of a stuck job
 * takes the jobs behind it along, in order.
 */
class PrintProjectionTest extends ReportDatabaseTest {
  static final Instant NOW = Instant.now();

  /** The venue main with two printers at the wok and one at the bar. */
  static final Venue.View VENUE = new Venue.View(true, "夜市", List.of(),
      List.of(new Station("WOK", "炒锅", "Wok"), new Station("BAR", "吧台", "Bar")), List.of(), List.of(), true,
      Settings.FALLBACK, List.of(), List.of(), List.of(
          new Printer("P1", "10.0.0.1", 9100, List.of("WOK"), false, 80),
          new Printer("P2", "10.0.0.2", 9100, List.of("WOK", "BAR"), true, 58)));

  static final PrintSetup SETUP = new PrintSetup() {
    @Override
    public CompletionStage<Venue.View> venue(String venueId) {
      return CompletableFuture.completedFuture(VENUE);
    }

    @Override
    public CompletionStage<Bill.View> bill(String venueId, String billId) {
      return CompletableFuture.failedFuture(new IllegalStateException("no bills here"));
    }

    @Override
    public Optional<String> dinerPage(String venueId, String tableId) {
      return Optional.empty();
    }
  };

  final TicketPrintProjection tickets = new TicketPrintProjection(SETUP);
  final PrintJobs jobs = new PrintJobs(db.dataSource());

  static Table.TicketFired wok(String table, String order, String k) {
    return new Table.TicketFired(table, order, "fire-" + k, new Ticket(order + "-" + k, "WOK", List.of("l1"), NOW,
        List.of(new Ticket.Item("l1", "SC01", "宫保鸡丁", 2, "不辣"))));
  }

  static <E> EventEnvelope<E> at(String pid, long seqNr, E event) {
    return EventEnvelope.create(Offset.sequence(seqNr), pid, seqNr, event, System.currentTimeMillis());
  }

  @Test
  void aFiredTicketIsOneJobAtEachPrinterOfItsStationEvenWhenTheEventComesTwice() throws Exception {
    EventEnvelope<Table.Event> fired = at("Table|T05", 3, wok("T05", "T05-0001", "K1"));
    db.handle(tickets, List.of(fired));
    db.handle(tickets, List.of(fired)); // a replay after a crash before the offset was stored
    assertThat(db.rows("SELECT job_id, printer_id, kind, subject FROM print_jobs ORDER BY seq")).containsExactly(
        Map.of("job_id", "Table.T05.3.P1", "printer_id", "P1", "kind", "TICKET", "subject", "T05-0001-K1"),
        Map.of("job_id", "Table.T05.3.P2", "printer_id", "P2", "kind", "TICKET", "subject", "T05-0001-K1"));
    String document = (String) db.row("SELECT document FROM print_jobs WHERE printer_id = 'P2'").get("document");
    String printed = new String(PrintDocument.fromJson(document).render(32), EscPos.GB18030);
    assertThat(printed).contains("2 x 宫保鸡丁").contains("不辣").contains("T05").contains("炒锅");

    // a bar ticket prints only where the bar's tickets go
    db.handle(tickets, List.of(at("Table|T05", 4, new Table.TicketFired("T05", "T05-0001", "f2",
        new Ticket("T05-0001-K2", "BAR", List.of("l2"), NOW, List.of(new Ticket.Item("l2", "DR01", "珍珠奶茶", 1, null)))))));
    assertThat(jobs.queues("main").get("P2")).extracting(PrintJobs.Waiting::subject).containsExactly("T05-0001-K1", "T05-0001-K2");
    assertThat(jobs.queues("main").get("P1")).hasSize(1);
  }

  @Test
  void aVoidAReprintAndAMovePrintWhatWasFiredAndAnOldEventPrintsNothing() throws Exception {
    db.handle(tickets, List.of(at("Table|T05", 3, wok("T05", "T05-0001", "K1")),
        at("Table|T05", 4, new Table.LineVoided("T05", "T05-0001", "v1", "l9", "never fired", NOW)),
        at("Table|T05", 5, new Table.LineVoided("T05", "T05-0001", "v2", "l1", "客人不要了", NOW)),
        at("Table|T05", 6, new Table.TicketReprinted("T05", "T05-0001", "r1", "T05-0001-K1", "WOK", NOW)),
        at("Table|T07", 2, new Table.MovedIn("T07", "T05-0001", "tr1", "T05",
            new Table.MovedOrder("T05-0001", 2, "w1", NOW, List.of(), List.of(), List.of()), NOW))));
    assertThat(db.rows("SELECT kind FROM print_jobs WHERE printer_id = 'P1' ORDER BY seq")).extracting(r -> r.get("kind"))
        .containsExactly("TICKET", "VOID", "REPRINT", "MOVE");
    String voided = text("Table.T05.5.P1");
    assertThat(voided).contains("退菜 VOID").contains("宫保鸡丁").contains("客人不要了");
    assertThat(text("Table.T05.6.P1")).contains("重印 REPRINT").contains("2 x 宫保鸡丁");
    assertThat(text("Table.T07.2.P1")).contains("转台 MOVE").contains("T05 -> T07");

    EventEnvelope<Table.Event> old = EventEnvelope.create(Offset.sequence(9), "Table|T09", 9, (Table.Event) wok("T09", "T09-0001", "K1"),
        System.currentTimeMillis() - TicketPrintProjection.TOO_OLD.toMillis() - 60_000);
    db.handle(tickets, List.of(old));
    assertThat(db.rows("SELECT 1 FROM print_jobs WHERE subject LIKE 'T09%'")).isEmpty();
  }

  @Test
  void aMovedJobTakesTheJobsBehindItAlongInOrderToTheEndOfTheOtherQueue() throws Exception {
    db.handle(tickets, List.of(at("Table|T01", 1, wok("T01", "T01-0001", "K1")), at("Table|T02", 1, wok("T02", "T02-0001", "K1")),
        at("Table|T03", 1, wok("T03", "T03-0001", "K1"))));
    List<String> moved = jobs.move("main", "P1", "Table.T02.1.P1", "P2");
    assertThat(moved).containsExactly("Table.T02.1.P1", "Table.T03.1.P1");
    assertThat(jobs.queues("main").get("P1")).extracting(PrintJobs.Waiting::jobId).containsExactly("Table.T01.1.P1");
    assertThat(jobs.queues("main").get("P2")).extracting(PrintJobs.Waiting::jobId, PrintJobs.Waiting::movedFrom).containsExactly(
        Assertions.tuple("Table.T01.1.P2", null), Assertions.tuple("Table.T02.1.P2", null), Assertions.tuple("Table.T03.1.P2", null),
        Assertions.tuple("Table.T02.1.P1", "P1"), Assertions.tuple("Table.T03.1.P1", "P1"));
    Assertions.assertThatThrownBy(() -> jobs.move("main", "P1", "Table.T02.1.P1", "P2")).isInstanceOf(Rejected.class);
  }

  private String text(String jobId) throws Exception {
    String document = (String) db.row("SELECT document FROM print_jobs WHERE job_id = ?", jobId).get("document");
    return new String(PrintDocument.fromJson(document).render(48), EscPos.GB18030);
  }
}
