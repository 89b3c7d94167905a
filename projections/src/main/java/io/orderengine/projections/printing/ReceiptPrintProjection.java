package io.orderengine.projections.printing;

import io.orderengine.engine.VenueIds;
import io.orderengine.engine.bill.Bill;
import io.orderengine.engine.venue.Printer;
import io.orderengine.engine.venue.Venue;
import io.orderengine.projections.PooledJdbcSession;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;

/**
 * A bill paid in full ({@link Bill.Settled}) into a receipt job at each of its venue's receipt
 * printers, exactly once. The receipt is the bill as its entity shows it when the job is made: its
 * lines, discounts, service charge and tenders with change.
 */
public final class ReceiptPrintProjection extends JdbcHandler<EventEnvelope<Bill.Event>, PooledJdbcSession> {
  public static final String NAME = "print-receipts";

  private final PrintSetup setup;

  public ReceiptPrintProjection(PrintSetup setup) {
    this.setup = setup;
  }

  @Override
  public void process(PooledJdbcSession session, EventEnvelope<Bill.Event> envelope) throws Exception {
    if (!(envelope.event() instanceof Bill.Settled settled)) return;
    if (Instant.ofEpochMilli(envelope.timestamp()).isBefore(Instant.now().minus(TicketPrintProjection.TOO_OLD))) return;
    String venueId = VenueIds.venueOf(settled.billId());
    Venue.View venue = setup.venue(venueId).toCompletableFuture()
        .get(TicketPrintProjection.ASK.toMillis(), TimeUnit.MILLISECONDS);
    List<Printer> printers = venue.printers().stream().filter(Printer::receipts).toList();
    if (printers.isEmpty()) return;
    Bill.View bill = setup.bill(venueId, settled.billId()).toCompletableFuture()
        .get(TicketPrintProjection.ASK.toMillis(), TimeUnit.MILLISECONDS);
    String table = VenueIds.localOf(settled.tableId());
    PrintDocument doc = PrintLayouts.receipt(venue.name().isBlank() ? venueId : venue.name(), table, bill, settled.at(),
        ZoneId.of(venue.settings().timeZone()), setup.dinerPage(venueId, table));
    String jobBase = envelope.persistenceId().replace('|', '.') + "." + envelope.sequenceNr();
    session.withConnection(c -> {
      for (Printer p : printers) {
        PrintJobs.insert(c, new PrintJobs.NewJob(jobBase + "." + p.printerId(), venueId, p.printerId(), PrintJobs.Kind.RECEIPT,
            settled.billId(), doc, settled.at()));
      }
      return null;
    });
  }
}
