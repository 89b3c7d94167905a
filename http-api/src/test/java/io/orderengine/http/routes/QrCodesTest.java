package io.orderengine.http.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import io.orderengine.http.problems.BadRequest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The SVG a table card prints is read back by a QR decoder as the very link it was made from. */
class QrCodesTest {
  private static final Pattern SIZE = Pattern.compile("viewBox=\"0 0 (\\d+) (\\d+)\"");
  private static final Pattern RUN = Pattern.compile("M(\\d+) (\\d+)h(\\d+)v1h-\\d+z");

  @Test
  void a_table_link_survives_the_round_trip_through_the_svg() throws Exception {
    String link = "https://pos.example.com/t/T07?k=dt1.T07.s9H4a2EZlNoQcJSzErEbRg";
    assertThat(decode(QrCodes.svg(link))).isEqualTo(link);
    assertThat(decode(QrCodes.svg("扫码点餐 T07"))).isEqualTo("扫码点餐 T07");
  }

  @Test
  void empty_or_overlong_text_is_refused() {
    assertThatThrownBy(() -> QrCodes.svg("")).isInstanceOf(BadRequest.class);
    assertThatThrownBy(() -> QrCodes.svg("x".repeat(QrCodes.MAX_LENGTH + 1))).isInstanceOf(BadRequest.class);
  }

  /** Paints the SVG's dark runs four pixels to a module and decodes the picture. */
  private static String decode(String svg) throws Exception {
    Matcher size = SIZE.matcher(svg);
    assertThat(size.find()).isTrue();
    int modules = Integer.parseInt(size.group(1));
    int scale = 4;
    int side = modules * scale;
    int[] pixels = new int[side * side];
    java.util.Arrays.fill(pixels, 0xFFFFFF);
    Matcher run = RUN.matcher(svg);
    while (run.find()) {
      int x = Integer.parseInt(run.group(1));
      int y = Integer.parseInt(run.group(2));
      int length = Integer.parseInt(run.group(3));
      for (int py = y * scale; py < (y + 1) * scale; py++) {
        for (int px = x * scale; px < (x + length) * scale; px++) pixels[py * side + px] = 0;
      }
    }
    var bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(side, side, pixels)));
    return new QRCodeReader().decode(bitmap).getText();
  }
}
