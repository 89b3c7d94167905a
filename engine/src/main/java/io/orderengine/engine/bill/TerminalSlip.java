package io.orderengine.engine.bill;

import io.orderengine.engine.CborSerializable;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a cashier copies from the slip of a bank's standalone card terminal (POS机), which has no API:
 * the terminal's id (终端号, optional: a venue with one terminal need not name it), the terminal's
 * reference of the transaction (参考号 or 凭证号, as printed), and the card's last four digits. A
 * payment or refund carrying a slip was made on the terminal already; the engine only records it.
 * A refund's slip may lack the reference (a cashier who did not keep it); a payment's never does.
 */
public record TerminalSlip(String terminalId, String terminalRef, String cardLast4) implements CborSerializable {

  /** A terminal id: an id of the API's usual shape. */
  public static final Pattern TERMINAL_ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");
  /** A reference as printed: 1–64 visible ASCII characters (0x21–0x7E), no spaces, no control characters. */
  public static final Pattern TERMINAL_REF = Pattern.compile("[\\x21-\\x7E]{1,64}");
  public static final Pattern CARD_LAST4 = Pattern.compile("[0-9]{4}");

  /** Why this slip cannot be recorded, if it cannot; {@code refund}: a refund's slip may lack its reference. */
  public Optional<String> problem(boolean refund) {
    if (terminalId != null && !TERMINAL_ID.matcher(terminalId).matches()) {
      return Optional.of("terminalId must match [A-Za-z0-9_-]{1,32}");
    }
    if (terminalRef == null ? !refund : !TERMINAL_REF.matcher(terminalRef).matches()) {
      return Optional.of("terminalRef is 1..64 visible ASCII characters, without spaces");
    }
    if (cardLast4 == null || !CARD_LAST4.matcher(cardLast4).matches()) {
      return Optional.of("cardLast4 is the card's last 4 digits");
    }
    return Optional.empty();
  }

  /** The same transaction on the same terminal: a terminal never prints one reference twice in a batch. */
  boolean sameTransaction(TerminalSlip other) {
    return other != null && terminalRef != null && terminalRef.equals(other.terminalRef)
        && Objects.equals(terminalId, other.terminalId);
  }

  /** The slip of a refund of the payment this slip records, on {@code terminalId} (null: the payment's). */
  TerminalSlip refundedOn(String otherTerminalId, String refundRef) {
    return new TerminalSlip(otherTerminalId == null ? terminalId : otherTerminalId, refundRef, cardLast4);
  }
}
