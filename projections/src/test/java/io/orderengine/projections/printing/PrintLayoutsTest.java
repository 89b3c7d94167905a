package io.orderengine.projections.printing;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderengine.engine.bill.Bill;
import io.orderengine.engine.bill.BillLine;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The receipt (小票) as the diner gets it: lines, discount, service charge, tenders with change, the QR code. */
class PrintLayoutsTest {
  static final Instant PAID = Instant.parse("2026-11-24T12:30:00Z");

  static Bill.View bill() {
    List<BillLine> lines = List.of(new BillLine("l1", "SC01", "宫保鸡丁", "S1", 2, 3800, 7600),
        new BillLine("l2", "DR01", "珍珠奶茶", "S5", 1, 1500, 1500));
    Bill.Payment cash = new Bill.Payment("B1-P1", Bill.Method.CASH, 5000, 10000, 5000, Bill.PaymentStatus.SUCCEEDED, null,
        null, "r1", PAID, null, null, null, null, PAID, "c1", null);
    Bill.Payment wechat = new Bill.Payment("B1-P2", Bill.Method.WECHAT, 4100, 0, 0, Bill.PaymentStatus.SUCCEEDED, "B1-P2",
        null, "r2", PAID, "1345", null, null, "4200", PAID, "c1", null);
    Bill.Payment declined = new Bill.Payment("B1-P3", Bill.Method.CARD, 100, 0, 0, Bill.PaymentStatus.FAILED, null,
        "declined", "r3", PAID, null, null, null, null, PAID, "c1", null);
    return new Bill.View(true, "T05-0001-B1", "T05", "T05-0001", "w1", Bill.Status.PAID, lines, 1, 1, 9100, 910, 910, 9100,
        9100, 0, 0, List.of(new Bill.Discount("d1", Bill.DiscountType.PERCENT, 10, 910, "会员 member", PAID)),
        List.of(cash, wechat, declined), PAID, PAID, 0, List.of(), List.of());
  }

  @Test
  void aReceiptHasTheLinesTheMoneyTheTendersWithChangeAndTheDinersPage() {
    PrintDocument receipt = PrintLayouts.receipt("夜市 Night Market", "T05", bill(), PAID, ZoneId.of("Asia/Shanghai"),
        Optional.of("https://pos.example.cn/t/T05?k=dt1"));
    String text = new String(receipt.render(32), EscPos.GB18030);
    assertThat(text).contains("夜市 Night\nMarket") // double size: 16 columns on 58 mm
        .contains("小票 RECEIPT").contains("桌 Table T05")
        .contains("2026-11-24 20:30:00") // Beijing time
        .contains("宫保鸡丁 x2").contains("76.00").contains("珍珠奶茶 x1").contains("15.00")
        .contains("优惠 Discount 会员 member").contains("-9.10").contains("服务费 Service").contains("9.10")
        .contains("合计 TOTAL").contains("91.00")
        .contains("现金 Cash 实收 Tendered").contains("100.00").contains("找零 Change").contains("50.00")
        .contains("微信 WeChat Pay").contains("41.00")
        .doesNotContain("银行卡") // a declined tender is not on the receipt
        .contains("https://pos.example.cn/t/T05?k=dt1").contains("谢谢光临");
    for (String line : text.split("\n")) {
      String printable = line.replaceAll("[\\x00-\\x1F]", "");
      if (!printable.contains("http")) assertThat(Columns.width(printable)).as(printable).isLessThanOrEqualTo(32 + 4);
    }
    // without a public address there is no QR code
    String without = new String(PrintLayouts.receipt("夜市", "T05", bill(), PAID, ZoneId.of("Asia/Shanghai"), Optional.empty())
        .render(48), EscPos.GB18030);
    assertThat(without).doesNotContain("扫码").doesNotContain("http");
  }
}
