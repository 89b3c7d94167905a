package io.orderengine.http.routes;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import io.orderengine.http.problems.BadRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * QR codes as SVG, encoded by ZXing: a table card's link for diners, a wallet payment's code for
 * the customer's phone. One square per dark module, merged into runs along each row, so the SVG
 * prints sharp at any size.
 */
public final class QrCodes {
  /** Longer text makes a code too dense to scan from a table card or a POS screen. */
  public static final int MAX_LENGTH = 1024;
  private static final int QUIET_ZONE = 4;

  private QrCodes() {}

  public static String svg(String text) {
    if (text.isEmpty() || text.length() > MAX_LENGTH) {
      throw new BadRequest("a QR code holds 1 to " + MAX_LENGTH + " characters");
    }
    BitMatrix modules;
    try {
      modules = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0, Map.of(
          EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M,
          EncodeHintType.CHARACTER_SET, StandardCharsets.UTF_8.name(),
          EncodeHintType.MARGIN, QUIET_ZONE));
    } catch (WriterException e) {
      throw new BadRequest("this text does not fit in a QR code");
    }
    int width = modules.getWidth();
    int height = modules.getHeight();
    StringBuilder path = new StringBuilder();
    for (int y = 0; y < height; y++) {
      int x = 0;
      while (x < width) {
        if (!modules.get(x, y)) {
          x++;
          continue;
        }
        int run = x;
        while (run < width && modules.get(run, y)) run++;
        path.append('M').append(x).append(' ').append(y).append('h').append(run - x).append("v1h-").append(run - x).append('z');
        x = run;
      }
    }
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + width + " " + height
        + "\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>"
        + "<path fill=\"#000\" d=\"" + path + "\"/></svg>";
  }
}
