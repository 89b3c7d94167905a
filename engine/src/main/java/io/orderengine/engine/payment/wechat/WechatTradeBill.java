package io.orderengine.engine.payment.wechat;

import io.orderengine.engine.payment.StatementLine;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * WeChat Pay's daily trade bill (交易账单, {@code bill_type=ALL}) read into statement lines: one line
 * per trade paid that day, with what was refunded of it in the same bill. The file is a header row,
 * one row per trade or refund whose every field starts with a back-tick (so that spreadsheets keep
 * long numbers as text), then a summary header and its row. Fields are split on {@code ,`} so a comma
 * in a description does not shift the columns; amounts are yuan with two decimals; times are Beijing time.
 */
public final class WechatTradeBill {
  private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final String SUMMARY = "总交易单数";

  static final List<String> HEADER = List.of("交易时间", "公众账号ID", "商户号", "特约商户号", "设备号", "微信订单号",
      "商户订单号", "用户标识", "交易类型", "交易状态", "付款银行", "货币种类", "应结订单金额", "代金券金额", "微信退款单号",
      "商户退款单号", "退款金额", "充值券退款金额", "退款类型", "退款状态", "商品名称", "商户数据包", "手续费", "费率", "订单金额",
      "申请退款金额", "费率备注");
  static final List<String> SUMMARY_HEADER = List.of(SUMMARY, "应结订单总金额", "退款总金额", "充值券退款总金额",
      "手续费总金额", "订单总金额", "申请退款总金额");

  private WechatTradeBill() {}

  public static List<StatementLine> parse(String file) {
    String[] rows = file.replace("\r", "").strip().split("\n");
    if (rows.length == 0 || rows[0].isBlank()) return List.of();
    String[] header = rows[0].replace("\uFEFF", "").split(",");
    Map<String, Integer> column = new HashMap<>();
    for (int i = 0; i < header.length; i++) column.put(header[i].strip(), i);
    for (String needed : List.of("交易时间", "微信订单号", "商户订单号", "交易状态", "订单金额", "申请退款金额", "退款状态", "商户数据包")) {
      if (!column.containsKey(needed)) throw new WechatPayCallFailed("the trade bill has no column " + needed);
    }
    Map<String, StatementLine> paid = new LinkedHashMap<>();
    List<String[]> refunds = new ArrayList<>();
    for (int r = 1; r < rows.length && !rows[r].startsWith(SUMMARY); r++) {
      if (rows[r].isBlank()) continue;
      String[] f = fields(rows[r]);
      if (f.length < header.length - 1) throw new WechatPayCallFailed("the trade bill's row " + r + " has " + f.length + " fields");
      String state = at(f, column, "交易状态");
      if (state.equals("SUCCESS")) {
        String tradeNo = tradeNo(at(f, column, "商户订单号"), at(f, column, "商户数据包"));
        Instant at = LocalDateTime.parse(at(f, column, "交易时间"), TIME).atZone(CHINA).toInstant();
        paid.put(tradeNo, new StatementLine(tradeNo, at(f, column, "微信订单号"), "SUCCESS", fen(at(f, column, "订单金额")), 0, at));
      } else if (state.equals("REFUND")) {
        refunds.add(f);
      }
    }
    for (String[] f : refunds) {
      if (!at(f, column, "退款状态").equals("SUCCESS")) continue;
      String tradeNo = tradeNo(at(f, column, "商户订单号"), at(f, column, "商户数据包"));
      StatementLine line = paid.get(tradeNo);
      if (line == null) continue;
      paid.put(tradeNo, new StatementLine(line.tradeNo(), line.gatewayTxnId(), line.state(), line.amountMinor(),
          line.refundedMinor() + fen(at(f, column, "申请退款金额")), line.finishedAt()));
    }
    return List.copyOf(paid.values());
  }

  /**
   * One row as WeChat Pay writes it: a trade paid ({@code state} SUCCESS, no refund fields) or a
   * refund paid back (REFUND, with the refund's number, amount and status).
   */
  public record Row(Instant at, String appId, String mchId, String transactionId, String outTradeNo, String tradeType,
      String state, long totalMinor, String description, String attach, String refundId, String outRefundNo,
      long refundMinor, String refundStatus) {
    boolean refund() {
      return refundId != null;
    }
  }

  /** The bill file of these rows, with its summary: what the emulator serves. */
  public static String write(List<Row> rows) {
    StringBuilder file = new StringBuilder(String.join(",", HEADER)).append("\r\n");
    long settled = 0;
    long refunded = 0;
    for (Row r : rows) {
      List<String> f = List.of(TIME.format(r.at().atZone(CHINA)), r.appId(), r.mchId(), "0", "", r.transactionId(),
          r.outTradeNo(), "oEmulated", r.tradeType(), r.state(), "OTHERS", "CNY", r.refund() ? "0.00" : yuan(r.totalMinor()),
          "0.00", r.refund() ? r.refundId() : "0", r.refund() ? r.outRefundNo() : "0",
          r.refund() ? yuan(r.refundMinor()) : "0.00", "0.00", r.refund() ? "ORIGINAL" : "",
          r.refund() ? r.refundStatus() : "", r.description(), r.attach() == null ? "" : r.attach(), "0.00000", "0.60%",
          yuan(r.totalMinor()), r.refund() ? yuan(r.refundMinor()) : "0.00", "");
      file.append("`").append(String.join(",`", f)).append("\r\n");
      if (r.refund()) {
        refunded += r.refundMinor();
      } else {
        settled += r.totalMinor();
      }
    }
    file.append(String.join(",", SUMMARY_HEADER)).append("\r\n");
    file.append("`").append(rows.size()).append(",`").append(yuan(settled - refunded)).append(",`").append(yuan(refunded))
        .append(",`0.00,`0.00000,`").append(yuan(settled)).append(",`").append(yuan(refunded)).append("\r\n");
    return file.toString();
  }

  /** A bill amount (yuan, two decimals) in fen. */
  static long fen(String yuan) {
    if (yuan.isEmpty()) return 0;
    try {
      return new BigDecimal(yuan).movePointRight(2).longValueExact();
    } catch (ArithmeticException | NumberFormatException e) {
      throw new WechatPayCallFailed("the trade bill holds an amount that is not yuan and fen: " + yuan);
    }
  }

  /** Fen as the bill writes them. */
  static String yuan(long fen) {
    return BigDecimal.valueOf(fen).movePointLeft(2).setScale(2).toPlainString();
  }

  private static String tradeNo(String outTradeNo, String attach) {
    if (WechatPayCallbacks.attachNames(attach, outTradeNo)) return attach;
    return WechatTradeNumbers.paymentId(outTradeNo).orElse(outTradeNo);
  }

  private static String[] fields(String row) {
    String line = row.startsWith("`") ? row.substring(1) : row;
    return line.split(",`", -1);
  }

  private static String at(String[] fields, Map<String, Integer> column, String name) {
    int i = column.get(name);
    return i < fields.length ? fields[i].strip() : "";
  }
}
