package io.orderengine.projections.printing;

import io.orderengine.engine.bill.Bill;
import io.orderengine.engine.venue.Venue;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** What printing asks the engine: a venue's printers and name, a paid bill, the diner's page of a table. */
public interface PrintSetup {
  CompletionStage<Venue.View> venue(String venueId);

  CompletionStage<Bill.View> bill(String venueId, String billId);

  /** The diner's page of the venue's table {@code tableId} (its own name), when the node has a public address. */
  Optional<String> dinerPage(String venueId, String tableId);
}
