package io.orderengine.projections.printing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ESC/POS bytes a printer receives, and the layout in columns. */
class EscPosTest {

  @Test
  void a_dish_name_goes_out_in_gb18030() {
    byte[] bytes = new EscPos().text("宫保鸡丁").toBytes();
    // 宫 B9AC 保 B1A3 鸡 BCA6 丁 B6A1: the GB2312 codes GB18030 keeps
    assertThat(bytes).containsExactly(0xB9, 0xAC, 0xB1, 0xA3, 0xBC, 0xA6, 0xB6, 0xA1);
  }

  @Test
  void a_job_starts_with_a_reset_and_chinese_mode_and_ends_with_a_cut() {
    byte[] job = new PrintDocument.Builder().title("厨房单").text("2 x 宫保鸡丁").build().render(32);
    assertThat(Arrays.copyOfRange(job, 0, 4)).containsExactly(0x1B, '@', 0x1C, '&');
    assertThat(Arrays.copyOfRange(job, job.length - 6, job.length)).containsExactly(0x1B, 'd', 4, 0x1D, 'V', 1);
    assertThat(new EscPos().cut(true).toBytes()).endsWith(new byte[] {0x1D, 'V', 0});
    assertThat(indexOf(job, "宫保鸡丁".getBytes(EscPos.GB18030))).isPositive();
  }

  @Test
  void bold_double_size_and_alignment_are_the_escpos_commands() {
    assertThat(new EscPos().bold(true).doubleSize(true).align(EscPos.Align.CENTER).toBytes())
        .containsExactly(0x1B, 'E', 1, 0x1D, '!', 0x11, 0x1B, 'a', 1);
    assertThat(new EscPos().bold(false).doubleSize(false).align(EscPos.Align.RIGHT).toBytes())
        .containsExactly(0x1B, 'E', 0, 0x1D, '!', 0, 0x1B, 'a', 2);
  }

  @Test
  void a_qr_code_is_stored_then_printed_with_gs_paren_k() {
    byte[] qr = new EscPos().qr("https://x.cn/t/A1", 4).toBytes();
    byte[] store = {0x1D, '(', 'k', 20, 0, 49, 80, 48}; // 17 bytes of data + 3
    assertThat(indexOf(qr, store)).isPositive();
    assertThat(qr).endsWith(new byte[] {0x1D, '(', 'k', 3, 0, 49, 81, 48});
    assertThat(new String(qr, java.nio.charset.StandardCharsets.ISO_8859_1)).contains("https://x.cn/t/A1");
  }

  @Test
  void chinese_counts_two_columns_and_wraps_at_the_paper_width() {
    assertThat(Columns.width("宫保鸡丁 x2")).isEqualTo(11);
    String name = "特色招牌香辣干锅牛蛙配秘制酱料和时令蔬菜"; // 20 characters, 40 columns
    List<String> lines = Columns.wrap(name, 32);
    assertThat(lines).containsExactly("特色招牌香辣干锅牛蛙配秘制酱料和", "时令蔬菜");
    assertThat(lines).allSatisfy(l -> assertThat(Columns.width(l)).isLessThanOrEqualTo(32));
    // an odd width: a Chinese character is never split, the line is one column short
    assertThat(Columns.wrap("宫保鸡丁", 7)).containsExactly("宫保鸡", "丁");
    assertThat(Columns.wrap("Kung Pao Chicken with peanuts", 16)).containsExactly("Kung Pao Chicken", "with peanuts");
  }

  @Test
  void a_pair_puts_the_amount_flush_right_and_wraps_the_name_before_it() {
    List<String> lines = Columns.pair("宫保鸡丁 x2", "76.00", 32);
    assertThat(lines).containsExactly("宫保鸡丁 x2" + " ".repeat(16) + "76.00");
    assertThat(Columns.width(lines.get(0))).isEqualTo(32);
    List<String> long80 = Columns.pair("特色招牌香辣干锅牛蛙配秘制酱料和时令蔬菜 x1", "128.00", 48);
    assertThat(long80).allSatisfy(l -> assertThat(Columns.width(l)).isLessThanOrEqualTo(48));
    assertThat(long80.get(0)).endsWith("128.00");
  }

  @Test
  void a_document_survives_its_json_and_renders_at_either_width() {
    PrintDocument doc = new PrintDocument.Builder().title("小票 RECEIPT").pair("宫保鸡丁 x2", "76.00").rule()
        .qr("https://x.cn").feed().build();
    assertThat(PrintDocument.fromJson(doc.toJson())).isEqualTo(doc);
    String at58 = new String(doc.render(32), EscPos.GB18030);
    String at80 = new String(doc.render(48), EscPos.GB18030);
    assertThat(at58).contains("-".repeat(32) + "\n").doesNotContain("-".repeat(33));
    assertThat(at80).contains("-".repeat(48) + "\n");
  }

  static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
      return i;
    }
    return -1;
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) out.writeBytes(p);
    return out.toByteArray();
  }
}
