package io.orderengine.projections;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderengine.engine.bill.Bill;
import io.orderengine.engine.venue.Printer;
import io.orderengine.engine.venue.Venue;
import io.orderengine.projections.printing.EscPos;
import io.orderengine.projections.printing.PrintSetup;
import io.orderengine.projections.printing.PrintSpooler;
import io.orderengine.projections.printing.TicketPrintProjection;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.junit.jupiter.api.Test;

/**
 * Two spoolers (two nodes) on one real PostgreSQL and one printer: every job arrives once, in the
 * order it was queued, though both spoolers try the printer at the same time.
 */
class PrintSpoolerTest extends ReportDatabaseTest {

  @Test
  void twoSpoolersSendEachJobOnceAndInOrder() throws Exception {
    List<String> received = new CopyOnWriteArrayList<>();
    try (ServerSocket printer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread listener = new Thread(() -> {
        while (!printer.isClosed()) {
          try (Socket c = printer.accept(); InputStream in = c.getInputStream()) {
            ByteArrayOutputStream job = new ByteArrayOutputStream();
            in.transferTo(job);
            String text = new String(job.toByteArray(), EscPos.GB18030);
            int at = text.indexOf("桌 Table ");
            received.add(text.substring(at + 8, at + 11));
            Thread.sleep(20); // a printer is slow: the other spooler has time to try
          } catch (Exception e) {
            // closed
          }
        }
      });
      listener.setDaemon(true);
      listener.start();

      Venue.View venue = withPrinter(new Printer("P1", "127.0.0.1", printer.getLocalPort(), List.of("WOK"), false, 58));
      PrintSetup setup = new PrintSetup() {
        @Override
        public CompletionStage<Venue.View> venue(String venueId) {
          return CompletableFuture.completedFuture(venue);
        }

        @Override
        public CompletionStage<Bill.View> bill(String venueId, String billId) {
          return CompletableFuture.failedFuture(new IllegalStateException("no bills"));
        }

        @Override
        public Optional<String> dinerPage(String venueId, String tableId) {
          return Optional.empty();
        }
      };
      TicketPrintProjection tickets = new TicketPrintProjection(setup);
      List<String> tables = new ArrayList<>();
      List<EventEnvelope<io.orderengine.engine.table.Table.Event>> fired = new ArrayList<>();
      for (int i = 1; i <= 20; i++) {
        String table = String.format("T%02d", i);
        tables.add(table);
        fired.add(PrintProjectionTest.at("Table|" + table, 1, PrintProjectionTest.wok(table, table + "-0001", "K1")));
      }
      db.handle(tickets, fired);

      try (PrintSpooler one = new PrintSpooler(db.dataSource(), setup, Duration.ofMillis(50), Duration.ofMillis(100),
          Duration.ofSeconds(1));
          PrintSpooler two = new PrintSpooler(db.dataSource(), setup, Duration.ofMillis(50), Duration.ofMillis(100),
              Duration.ofSeconds(1))) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (received.size() < 20 && System.nanoTime() < deadline) Thread.sleep(50);
        Thread.sleep(500); // a second copy would come now
      }
      assertThat(received).containsExactlyElementsOf(tables);
      assertThat(db.rows("SELECT 1 FROM print_jobs WHERE printed_at IS NULL")).isEmpty();
    }
  }

  static Venue.View withPrinter(Printer printer) {
    Venue.View v = PrintProjectionTest.VENUE;
    return new Venue.View(v.laidOut(), v.name(), v.stalls(), v.stations(), v.items(), v.tableIds(), v.created(), v.settings(),
        v.tables(), v.categories(), List.of(printer));
  }
}
