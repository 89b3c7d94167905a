package io.orderengine.engine.table;

import io.orderengine.engine.bill.BillSpec;
import java.time.Duration;
import java.time.Instant;

/**
 * What a table still owes another entity until that one acknowledges it. It is read off the
 * table's state ({@link TableState#owed()}), so it survives a crash; the {@link io.orderengine.engine.Courier}
 * carries it. The key names the message, and the receiver applies a message of one key once.
 */
public sealed interface Owed {

  /** After a failed delivery, everything still owed goes out again this much later. */
  Duration RESEND_AFTER = Duration.ofSeconds(2);

  /** How long the table waits for another table to take a moving order. */
  Duration MOVE_TIMEOUT = Duration.ofSeconds(5);

  String key();

  /** A requested bill, to the bill entity that will collect it. */
  record BillHandOver(BillSpec spec) implements Owed {
    public String key() {
      return "bill:" + spec.billId();
    }
  }

  /** A voided line, to the bill it was on; owed once that bill holds it. */
  record LineRemoval(String billId, String lineId, String reason) implements Owed {
    public String key() {
      return "removal:" + billId + ":" + lineId;
    }
  }

  /** The portions of a voided line, back to the stock. */
  record PortionReturn(String orderId, String lineId, String sku, int qty) implements Owed {
    /** The stock's key for the return: the same line is given back once. */
    public String returnId() {
      return orderId + ":" + lineId;
    }

    public String key() {
      return "stock:" + returnId();
    }
  }

  /** The order, to the table it moves to (or merges into, when {@code merge}). */
  record OrderMove(String transferId, String toTableId, boolean merge, Table.MovedOrder order, Instant at)
      implements Owed {
    public String key() {
      return keyOf(transferId);
    }

    static String keyOf(String transferId) {
      return "move:" + transferId;
    }
  }
}
