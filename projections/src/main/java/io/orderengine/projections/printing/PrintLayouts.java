package io.orderengine.projections.printing;

import io.orderengine.engine.bill.Bill;
import io.orderengine.engine.bill.BillLine;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

/**
 * What each print looks like, in Chinese first and English after, as kitchens and diners in China
 * expect: the kitchen ticket (厨房单), the void (退菜), the move notice (转台), the reprint (重印) and the
 * receipt (小票).
 */
public final class PrintLayouts {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private PrintLayouts() {}

  public record TicketLine(String lineId, String name, int qty, String note) {}

  public static PrintDocument ticket(String stationName, String tableId, String orderId, String ticketId, Instant firedAt,
      ZoneId zone, List<TicketLine> lines, boolean reprint, Instant printedAt) {
    PrintDocument.Builder b = new PrintDocument.Builder();
    if (reprint) b.title("** 重印 REPRINT **");
    b.title("厨房单 " + stationName).big("桌 Table " + tableId).text("单号 Order " + orderId)
        .text("下单 Fired " + TIME.format(firedAt.atZone(zone)));
    if (reprint) b.text("重印 Reprinted " + TIME.format(printedAt.atZone(zone)));
    b.rule();
    for (TicketLine l : lines) {
      b.big(l.qty() + " x " + l.name());
      if (l.note() != null && !l.note().isBlank()) b.text("  备注 Note: " + l.note());
    }
    return b.rule().text(ticketId).build();
  }

  public static PrintDocument voided(String stationName, String tableId, String orderId, TicketLine line, String reason,
      Instant at, ZoneId zone) {
    PrintDocument.Builder b = new PrintDocument.Builder().title("** 退菜 VOID **").title(stationName)
        .big("桌 Table " + tableId).text("单号 Order " + orderId).text("时间 Time " + TIME.format(at.atZone(zone))).rule()
        .big("-" + line.qty() + " x " + line.name() + " 不做了");
    if (reason != null && !reason.isBlank()) b.text("原因 Reason: " + reason);
    return b.rule().build();
  }

  public static PrintDocument moved(String stationName, String orderId, String fromTable, String toTable, Instant at,
      ZoneId zone, boolean merged) {
    return new PrintDocument.Builder().title(merged ? "** 并台 MERGE **" : "** 转台 MOVE **").title(stationName)
        .big(fromTable + " -> " + toTable).text("单号 Order " + orderId)
        .text("此单的菜请送到 " + toTable + " / serve this order's dishes at " + toTable)
        .text("时间 Time " + TIME.format(at.atZone(zone))).rule().build();
  }

  /** The diner's receipt: what was eaten, what it cost, how it was paid, and the page to see it again. */
  public static PrintDocument receipt(String venueName, String tableId, Bill.View bill, Instant paidAt, ZoneId zone,
      Optional<String> dinerPage) {
    PrintDocument.Builder b = new PrintDocument.Builder().title(venueName).center("小票 RECEIPT")
        .text("桌 Table " + tableId + (bill.parts() > 1 ? "  (" + bill.part() + "/" + bill.parts() + ")" : ""))
        .text("账单 Bill " + bill.billId())
        .text("时间 Time " + TIME.format(paidAt.atZone(zone))).rule();
    for (BillLine l : bill.lines()) {
      if (bill.removedLines() != null && bill.removedLines().contains(l.lineId())) continue;
      b.pair(l.name() + " x" + l.qty(), money(l.amountMinor()));
    }
    b.rule().pair("小计 Subtotal", money(bill.subtotalMinor()));
    for (Bill.Discount d : bill.discounts()) {
      b.pair("优惠 Discount" + (d.reason() == null || d.reason().isBlank() ? "" : " " + d.reason()), "-" + money(d.amountMinor()));
    }
    if (bill.serviceChargeMinor() != 0) b.pair("服务费 Service", money(bill.serviceChargeMinor()));
    b.boldPair("合计 TOTAL", money(bill.totalMinor())).rule();
    for (Bill.Payment p : bill.payments()) {
      if (p.status() != Bill.PaymentStatus.SUCCEEDED) continue;
      if (p.method() == Bill.Method.CASH && p.tenderedMinor() > 0) {
        b.pair(method(p.method()) + " 实收 Tendered", money(p.tenderedMinor()));
        b.pair("找零 Change", money(p.changeMinor()));
      } else {
        b.pair(method(p.method()), money(p.amountMinor()));
      }
    }
    if (bill.refundedMinor() > 0) b.pair("退款 Refunded", "-" + money(bill.refundedMinor()));
    b.rule();
    dinerPage.ifPresent(url -> b.qr(url).center("扫码查看 Scan to see your order"));
    return b.center("谢谢光临 Thank you").feed().build();
  }

  static String method(Bill.Method m) {
    switch (m) {
      case CASH: return "现金 Cash";
      case CARD: return "银行卡 Card";
      case WECHAT: return "微信 WeChat Pay";
      case ALIPAY: return "支付宝 Alipay";
      case MEMBER: return "会员 Member";
      default: return m.name();
    }
  }

  static String money(long minor) {
    String sign = minor < 0 ? "-" : "";
    long abs = Math.abs(minor);
    return sign + (abs / 100) + "." + String.format("%02d", abs % 100);
  }
}
