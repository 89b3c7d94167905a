package io.orderengine.engine.bill;

import java.util.concurrent.CompletionStage;

/** How a bill reaches its table; the table adapts it. Completes once the table holds the news. */
public interface TableDesk {

  CompletionStage<?> settled(BillSettled notice);
}
