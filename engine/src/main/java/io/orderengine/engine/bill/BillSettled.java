package io.orderengine.engine.bill;

import java.time.Instant;

/** What a bill announces once it is paid in full: its table may close when all its bills have. */
public record BillSettled(String billId, String tableId, String orderId, Instant at) {}
