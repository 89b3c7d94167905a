package io.orderengine.projections.printing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * The bytes of an ESC/POS print job, the command set of the receipt and kitchen printers sold in
 * China (Epson, Xprinter, Gprinter, Sunmi...). Text goes in GB18030, what those printers read in
 * their Chinese mode; every command the job needs is here and nothing else.
 */
public final class EscPos {
  public static final Charset GB18030 = Charset.forName("GB18030");
  private static final byte ESC = 0x1B;
  private static final byte GS = 0x1D;
  private static final byte FS = 0x1C;

  public enum Align { LEFT, CENTER, RIGHT }

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** {@code ESC @} resets the printer, then {@code FS &} selects its Chinese character mode. */
  public EscPos init() {
    return bytes(ESC, '@', FS, '&');
  }

  public EscPos bold(boolean on) {
    return bytes(ESC, 'E', on ? 1 : 0);
  }

  /** Double width and height ({@code GS !}), or normal. */
  public EscPos doubleSize(boolean on) {
    return bytes(GS, '!', on ? 0x11 : 0x00);
  }

  public EscPos align(Align align) {
    return bytes(ESC, 'a', align.ordinal());
  }

  /** Text in GB18030; no line feed. */
  public EscPos text(String text) {
    out.writeBytes(text.getBytes(GB18030));
    return this;
  }

  public EscPos line(String text) {
    return text(text).feed();
  }

  public EscPos feed() {
    return bytes(0x0A);
  }

  /** {@code ESC d n}: feeds {@code n} lines. */
  public EscPos feed(int lines) {
    return bytes(ESC, 'd', lines);
  }

  /**
   * A QR code of {@code data} ({@code GS ( k}, function 165/167/169/180/181): model 2, module size
   * {@code moduleSize} dots, error correction M, stored then printed.
   */
  public EscPos qr(String data, int moduleSize) {
    byte[] payload = data.getBytes(StandardCharsets.UTF_8);
    if (payload.length > 7089) throw new IllegalArgumentException("too long for a QR code");
    bytes(GS, '(', 'k', 4, 0, 49, 65, 50, 0); // model 2
    bytes(GS, '(', 'k', 3, 0, 49, 67, moduleSize); // module size
    bytes(GS, '(', 'k', 3, 0, 49, 69, 49); // error correction M
    int len = payload.length + 3;
    bytes(GS, '(', 'k', len & 0xFF, (len >> 8) & 0xFF, 49, 80, 48); // store the data
    out.writeBytes(payload);
    return bytes(GS, '(', 'k', 3, 0, 49, 81, 48); // print it
  }

  /** Feeds the paper past the cutter, then {@code GS V 0} (full) or {@code GS V 1} (partial) cuts. */
  public EscPos cut(boolean full) {
    feed(4);
    return bytes(GS, 'V', full ? 0 : 1);
  }

  public byte[] toBytes() {
    return out.toByteArray();
  }

  private EscPos bytes(int... values) {
    for (int v : values) out.write(v);
    return this;
  }
}
