package io.orderengine.engine.table;

import java.util.Map;
import java.util.concurrent.CompletionStage;

/** How a table gives the portions of a voided line back to the stock; the stock adapts it. */
public interface PortionReturns {

  /** Completes once the stock holds the portions again; {@code returnId} makes a second call harmless. */
  CompletionStage<?> giveBack(String returnId, Map<String, Integer> portions);
}
