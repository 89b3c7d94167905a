package io.orderengine.engine.payment.alipay;

import io.orderengine.engine.payment.StatementLine;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Alipay's trade bill (业务明细): a zip holding GBK CSV files, of which the detail file (name with
 * 业务明细, not 汇总) has {@code #} comment lines, a header row, then one row per business event:
 * 交易 (a payment) or 退款 (a refund, with a negative amount). Columns are found by their header,
 * not their position, and cells lose the tabs and spaces Alipay pads them with. The emulator
 * writes its bills with {@link #write}, so the format lives in this one place.
 */
public final class AlipayBill {
  public static final Charset GBK = Charset.forName("GBK");
  static final String DETAIL = "业务明细";
  static final String SUMMARY = "汇总";
  static final String TXN = "支付宝交易号";
  static final String OUT_TRADE_NO = "商户订单号";
  static final String KIND = "业务类型";
  static final String FINISHED = "完成时间";
  static final String AMOUNT = "订单金额（元）";
  static final String PAYMENT = "交易";
  static final String REFUND = "退款";
  /** The header row, in Alipay's order (the bill has more columns after these; readers go by name). */
  static final List<String> HEADER = List.of(TXN, OUT_TRADE_NO, KIND, "商品名称", "创建时间", FINISHED, "门店编号",
      "门店名称", "操作员", "终端号", "对方账户", AMOUNT, "商家实收（元）", "支付宝红包（元）", "集分宝（元）",
      "支付宝优惠（元）", "商家优惠（元）", "券核销金额（元）", "券名称", "商家红包消费金额（元）", "卡消费金额（元）",
      "退款批次号/请求号", "服务费（元）", "分润（元）", "备注");

  private AlipayBill() {}

  /** One row of the detail file: a payment, or a refund with its (negative) amount and request number. */
  public record Row(String alipayTradeNo, String outTradeNo, String kind, String subject, Instant created,
      Instant finished, String buyer, long amountFen, String requestNo) {}

  /** The bill of an account's day as Alipay zips it: the detail file and its summary, GBK throughout. */
  public static byte[] write(String account, LocalDate day, List<Row> rows, Instant exportedAt) {
    StringBuilder csv = new StringBuilder();
    csv.append("#支付宝业务明细查询\n#账号：[").append(account).append("]\n");
    csv.append("#起始日期：[").append(day).append(" 00:00:00]   终止日期：[").append(day.plusDays(1)).append(" 00:00:00]\n");
    csv.append("#-----------------------------------------业务明细列表----------------------------------------\n");
    csv.append(String.join(",", HEADER)).append('\n');
    for (Row r : rows) {
      String amount = Yuan.of(r.amountFen());
      List<String> cells = List.of(r.alipayTradeNo() + "\t", r.outTradeNo() + "\t", r.kind(), r.subject().replace(",", " "),
          time(r.created()), time(r.finished()), "", "", "", "", r.buyer(), amount, amount, "0.00", "0.00", "0.00", "0.00",
          "0.00", "", "0.00", "0.00", r.requestNo(), "0.00", "0.00", "");
      csv.append(String.join(",", cells)).append('\n');
    }
    long payments = rows.stream().filter(r -> r.kind().equals(PAYMENT)).count();
    csv.append("#-----------------------------------------业务明细列表结束------------------------------------\n");
    csv.append("#交易合计：").append(payments).append("笔，退款合计：").append(rows.size() - payments).append("笔\n");
    csv.append("#导出时间：[").append(time(exportedAt)).append("]\n");
    String prefix = account + "_" + DateTimeFormatter.BASIC_ISO_DATE.format(day);
    try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ZipOutputStream zip = new ZipOutputStream(bytes, GBK)) {
      zip.putNextEntry(new ZipEntry(prefix + "_" + DETAIL + ".csv"));
      zip.write(csv.toString().getBytes(GBK));
      zip.closeEntry();
      zip.putNextEntry(new ZipEntry(prefix + "_" + DETAIL + "(" + SUMMARY + ").csv"));
      zip.write(("#支付宝业务汇总查询\n#交易合计：" + payments + "笔\n").getBytes(GBK));
      zip.closeEntry();
      zip.finish();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException("cannot write a bill", e);
    }
  }

  private static String time(Instant at) {
    return AlipayGateway.TIMESTAMP.format(at.atZone(AlipayGateway.ALIPAY_ZONE));
  }

  /**
   * One line per trade paid in the bill, its refunds in the bill summed against it. A trade whose
   * {@code out_trade_no} is a digest (see {@link AlipayNumbers}) keeps that digest as its number:
   * the bill does not carry the trade's body.
   */
  public static List<StatementLine> read(byte[] zip) {
    String csv = detailFile(zip);
    Map<String, Integer> column = null;
    Map<String, StatementLine> trades = new LinkedHashMap<>();
    Map<String, Long> refunded = new LinkedHashMap<>();
    for (String raw : csv.split("\r?\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) continue;
      List<String> cells = cells(line);
      if (column == null) {
        if (!cells.contains(TXN)) continue;
        column = new LinkedHashMap<>();
        for (int i = 0; i < cells.size(); i++) column.put(cells.get(i), i);
        continue;
      }
      String txn = cell(cells, column, TXN);
      String outTradeNo = cell(cells, column, OUT_TRADE_NO);
      String kind = cell(cells, column, KIND);
      long amount = Yuan.fen(cell(cells, column, AMOUNT));
      if (PAYMENT.equals(kind)) {
        String tradeNo = AlipayNumbers.tradeNo(outTradeNo, null).orElse(outTradeNo);
        trades.put(txn, new StatementLine(tradeNo, txn, "SUCCESS", amount, 0, finishedAt(cell(cells, column, FINISHED))));
      } else if (REFUND.equals(kind)) {
        refunded.merge(txn, Math.abs(amount), Long::sum);
      }
    }
    if (column == null) throw new AlipayCallFailed("the bill has no detail header");
    List<StatementLine> lines = new ArrayList<>();
    trades.forEach((txn, l) -> lines.add(new StatementLine(l.tradeNo(), l.gatewayTxnId(), l.state(), l.amountMinor(),
        refunded.getOrDefault(txn, 0L), l.finishedAt())));
    return lines;
  }

  private static String detailFile(byte[] zip) {
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip), GBK)) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        if (e.getName().contains(DETAIL) && !e.getName().contains(SUMMARY)) return new String(in.readAllBytes(), GBK);
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new AlipayCallFailed("the bill is not a readable zip");
    }
    throw new AlipayCallFailed("the bill holds no detail file");
  }

  /** A bill row's cells; Alipay writes no quotes, so a comma always separates. */
  static List<String> cells(String line) {
    List<String> cells = new ArrayList<>();
    for (String c : line.split(",", -1)) cells.add(c.strip());
    return cells;
  }

  private static String cell(List<String> cells, Map<String, Integer> column, String name) {
    Integer i = column.get(name);
    if (i == null || i >= cells.size()) throw new AlipayCallFailed("the bill has no column " + name);
    return cells.get(i);
  }

  private static Instant finishedAt(String text) {
    if (text.isEmpty()) return null;
    try {
      return LocalDateTime.parse(text, AlipayGateway.TIMESTAMP).atZone(AlipayGateway.ALIPAY_ZONE).toInstant();
    } catch (DateTimeParseException e) {
      throw new AlipayCallFailed("the bill has an unreadable time");
    }
  }
}
