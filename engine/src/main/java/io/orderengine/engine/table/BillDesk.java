package io.orderengine.engine.table;

import io.orderengine.engine.bill.BillSpec;
import java.util.concurrent.CompletionStage;

/**
 * How a table reaches the bills it makes; the checkout adapts these calls to its own commands.
 * Each completes once the bill holds what it was told, and asking again is harmless.
 */
public interface BillDesk {

  /** Hands a bill over with its settlement data. */
  CompletionStage<?> open(BillSpec spec);

  /** A line on the bill was voided: the bill drops it and gives back what was paid for it. */
  CompletionStage<?> removeLine(String billId, String lineId, String reason);
}
