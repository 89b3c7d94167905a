package io.orderengine.engine.payment.alipay;

import static io.orderengine.engine.payment.alipay.AlipayOpenApi.DAY;
import static io.orderengine.engine.payment.alipay.AlipayOpenApi.beijingDay;
import static io.orderengine.engine.payment.alipay.AlipayOpenApi.error;
import static io.orderengine.engine.payment.alipay.AlipayOpenApi.invalidParameter;
import static io.orderengine.engine.payment.alipay.AlipayOpenApi.success;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderengine.engine.payment.alipay.AlipayRecords.BillDay;
import io.orderengine.engine.payment.alipay.AlipayRecords.BillEntry;
import io.orderengine.engine.payment.alipay.AlipayRecords.BillFile;
import io.orderengine.engine.payment.alipay.AlipayRecords.Refund;
import io.orderengine.engine.payment.alipay.AlipayRecords.Trade;
import io.orderengine.engine.payment.wire.EmulatorRecords;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The emulated Alipay's trade bills. Each app's Beijing day has an index record ({@link BillDay})
 * of the payments and refunds made on it, appended in an update of its own once the trade's change
 * is written; {@code alipay.data.dataservice.bill.downloadurl.query} writes the day's bill from it,
 * reading each trade as it now is, and keeps the file ({@link BillFile}) under a random token for
 * the download URL, so any emulator sharing the store serves it.
 */
final class AlipayBillDays {
  private final EmulatorRecords<Trade> trades;
  private final EmulatorRecords<BillDay> days;
  private final EmulatorRecords<BillFile> files;
  private final Clock clock;

  AlipayBillDays(EmulatorRecords<Trade> trades, EmulatorRecords<BillDay> days, EmulatorRecords<BillFile> files, Clock clock) {
    this.trades = trades;
    this.days = days;
    this.files = files;
    this.clock = clock;
  }

  /** Puts a payment (no request number) or a refund on its app's Beijing day of {@code at}, once. */
  void add(Trade t, Instant at, String requestNo) {
    LocalDate day = beijingDay(at);
    BillEntry entry = new BillEntry(t.outTradeNo(), requestNo);
    days.update(dayKey(t.appId(), day, bucketOf(t.outTradeNo())), before -> before.orElseGet(() -> new BillDay(t.appId(), day, List.of())).with(entry));
  }

  /** The day's bill, made now and kept under a token: the URL to download it at {@code baseUrl}. */
  ObjectNode billUrl(String appId, JsonNode biz, String baseUrl) {
    if (!"trade".equals(biz.path("bill_type").asText())) return invalidParameter();
    LocalDate day;
    try {
      day = LocalDate.parse(biz.path("bill_date").asText(""));
    } catch (DateTimeParseException e) {
      return invalidParameter();
    }
    if (!day.isBefore(beijingDay(clock.instant()).plusDays(1))) {
      return error("40004", "Business Failed", "isp.bill_not_exist", "账单不存在");
    }
    String token = AlipayOpenApi.token();
    files.put(token, new BillFile(appId, day, Base64.getEncoder().encodeToString(billZip(appId, day))));
    ObjectNode ok = success();
    ok.put("bill_download_url", baseUrl + "/downloadBillFile.resource?bizType=trade&fileType=csv.zip&bizDates="
        + DAY.format(day) + "&token=" + token);
    return ok;
  }

  Optional<byte[]> file(String token) {
    return token.isEmpty() ? Optional.empty() : files.get(token).map(b -> Base64.getDecoder().decode(b.zipBase64()));
  }

  /** The day's trade bill: a payment row per trade paid that Beijing day, a refund row per refund made that day. */
  private byte[] billZip(String appId, LocalDate day) {
    List<AlipayBill.Row> rows = new ArrayList<>();
    Map<String, Optional<Trade>> read = new HashMap<>();
    List<BillEntry> entries = new ArrayList<>();
    for (int b = 0; b < BUCKETS; b++) days.get(dayKey(appId, day, b)).ifPresent(d -> entries.addAll(d.entries()));
    for (BillEntry e : entries) {
      Trade t = read.computeIfAbsent(e.outTradeNo(), trades::get).filter(x -> x.ownedBy(appId)).orElse(null);
      if (t == null) continue;
      if (e.requestNo() == null) {
        if (t.paidAt() == null || !beijingDay(t.paidAt()).equals(day)) continue;
        rows.add(new AlipayBill.Row(t.tradeNo(), t.outTradeNo(), AlipayBill.PAYMENT, t.subject(), t.createdAt(), t.paidAt(),
            t.buyerLogonId(), t.totalFen(), ""));
      } else {
        Refund r = t.refund(e.requestNo()).filter(x -> x.at() != null && beijingDay(x.at()).equals(day)).orElse(null);
        if (r == null) continue;
        rows.add(new AlipayBill.Row(t.tradeNo(), t.outTradeNo(), AlipayBill.REFUND, t.subject(), t.createdAt(), r.at(),
            t.buyerLogonId(), -r.fen(), r.requestNo()));
      }
    }
    rows.sort(java.util.Comparator.comparing(AlipayBill.Row::finished));
    return AlipayBill.write(AlipayOpenApi.SELLER_ID + "0156", day, rows, clock.instant());
  }

  /**
   * A day's index is kept in this many records, by trade number: each write rewrites one record
   * whole, so a busy day's payments must not all land in one.
   */
  static final int BUCKETS = 16;

  private static int bucketOf(String outTradeNo) {
    return Math.floorMod(outTradeNo.hashCode(), BUCKETS);
  }

  private static String dayKey(String appId, LocalDate day, int bucket) {
    return appId + "-" + DAY.format(day) + "-" + bucket;
  }
}
