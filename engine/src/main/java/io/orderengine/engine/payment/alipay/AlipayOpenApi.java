package io.orderengine.engine.payment.alipay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderengine.engine.payment.alipay.AlipayEmulator.Stage;
import io.orderengine.engine.payment.alipay.AlipayEmulator.TradeView;
import io.orderengine.engine.payment.alipay.AlipayRecords.Refund;
import io.orderengine.engine.payment.alipay.AlipayRecords.Trade;
import io.orderengine.engine.payment.wire.EmulatorRecords;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The emulated Alipay's trade methods and the customer's side of a trade, over the records of its
 * store ({@link AlipayRecords}). Every change of a trade is a function of the record as read,
 * retried when another emulator sharing the store wrote it in between ({@link EmulatorRecords#update});
 * such a function only decides: it answers the next record, the answer to give, and what to do once
 * the record is written (notify, index the bill's day), which runs after the write, once.
 */
final class AlipayOpenApi {
  static final ObjectMapper JSON = new ObjectMapper();
  static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;
  static final String SELLER_ID = "2088000000000001";
  private static final Pattern ALIPAY_CODE = Pattern.compile("(2[5-9]|30)[0-9]{14,22}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final EmulatorRecords<Trade> trades;
  private final AlipayBillDays bills;
  private final AlipayNotifier notifier;
  private final Function<String, String> qrCodes;
  private final Clock clock;
  private final Consumer<String> madeHere;
  private final EmulatorRecords<String> qrTokens;
  private volatile boolean anyCode;

  /**
   * @param qrTokens the out_trade_no each QR code's token names, for the customer's side
   * @param madeHere told the {@code out_trade_no} of each trade this instance made (for the tests' listing) */
  AlipayOpenApi(EmulatorRecords<Trade> trades, AlipayBillDays bills, AlipayNotifier notifier,
      Function<String, String> qrCodes, Clock clock, Consumer<String> madeHere, EmulatorRecords<String> qrTokens) {
    this.qrTokens = qrTokens;
    this.trades = trades;
    this.bills = bills;
    this.notifier = notifier;
    this.qrCodes = qrCodes;
    this.clock = clock;
    this.madeHere = madeHere;
  }

  /** The demo's sandbox: any bar code but DECLINE… and USERPAYING… is a good one, as shared/API.md promises. */
  void acceptAnyPaymentCode() {
    anyCode = true;
  }

  /** What a change of a trade decided: the next record (null: none written), the answer, what to do after. */
  private record Step<R>(Trade next, R answer, Consumer<Trade> then) {}

  private static <R> Step<R> keep(R answer) {
    return new Step<>(null, answer, null);
  }

  private static <R> Step<R> write(Trade next, R answer) {
    return new Step<>(next, answer, null);
  }

  private static <R> Step<R> write(Trade next, R answer, Consumer<Trade> then) {
    return new Step<>(next, answer, then);
  }

  /** Changes the trade under {@code out} by {@code decide}; the decision that was written is the one acted on. */
  private <R> R change(String out, Function<Optional<Trade>, Step<R>> decide) {
    AtomicReference<Step<R>> decided = new AtomicReference<>();
    AtomicBoolean made = new AtomicBoolean();
    Trade after = trades.update(out, before -> {
      Step<R> s = decide.apply(before);
      decided.set(s);
      made.set(before.isEmpty() && s.next() != null);
      return s.next();
    });
    Step<R> s = decided.get();
    if (made.get()) madeHere.accept(out);
    if (s.then() != null) s.then().accept(after);
    return s.answer();
  }

  // ---- the customer ----

  boolean scan(String out) {
    return change(out, before -> before.filter(t -> t.stage() == Stage.UNSCANNED)
        .map(t -> write(t.scanned(), true)).orElseGet(() -> keep(false)));
  }

  /** The customer pays (scanning first if need be): TRADE_SUCCESS, notified and put on the day's bill. */
  boolean pay(String out) {
    Instant now = clock.instant();
    String notifyId = newNotifyId();
    return change(out, before -> before.filter(AlipayOpenApi::payable)
        .map(t -> write(t.scanned().paid(now).notifying(notifyId), true, this::paid))
        .orElseGet(() -> keep(false)));
  }

  /** The customer gives up (after scanning): Alipay closes the trade and says so. */
  boolean decline(String out) {
    Instant now = clock.instant();
    String notifyId = newNotifyId();
    return change(out, before -> before.filter(AlipayOpenApi::payable)
        .map(t -> write(t.scanned().closed(now).notifying(notifyId), true, (Consumer<Trade>) t2 -> notifier.sendTrade(t2, Map.of(), clock.instant())))
        .orElseGet(() -> keep(false)));
  }

  private static boolean payable(Trade t) {
    return t.stage() == Stage.UNSCANNED || t.stage() == Stage.WAIT_BUYER_PAY;
  }

  boolean redeliver(String out) {
    Trade t = trades.get(out).orElse(null);
    return t != null && t.lastNotifyId() != null && notifier.again(t.lastNotifyId());
  }

  Optional<TradeView> view(String out) {
    return trades.get(out).map(t -> {
      boolean answered = t.lastNotifyId() != null
          && notifier.notice(t.lastNotifyId()).map(AlipayRecords.Notice::answered).orElse(false);
      return new TradeView(t.appId(), t.outTradeNo(), t.tradeNo(), t.stage(), t.exists(), t.totalFen(), t.refundedFen(),
          t.qrCode(), t.refundsByNumber(), t.lastNotifyId(), answered);
    });
  }

  // ---- the trade methods ----

  ObjectNode precreate(String appId, JsonNode biz, String notifyUrl) {
    String out = biz.path("out_trade_no").asText("");
    Long fen = fen(biz.path("total_amount").asText(""));
    if (out.isEmpty() || fen == null || fen <= 0 || biz.path("subject").asText("").isEmpty()) return invalidParameter();
    String token = token();
    qrTokens.put(token, out); // before the trade: a code shown is always found
    Trade fresh = newTrade(appId, out, fen, biz, notifyUrl, qrCodes.apply(token), Stage.UNSCANNED, false);
    return change(out, before -> {
      Trade t = before.orElse(null);
      if (t == null) return write(fresh, qrAnswer(fresh));
      ObjectNode refused = t.ownedBy(appId) ? repeatRefusal(t, fen) : numberOfAnotherApp();
      return keep(refused != null ? refused : qrAnswer(t));
    });
  }

  ObjectNode pay(String appId, JsonNode biz, String notifyUrl) {
    String out = biz.path("out_trade_no").asText("");
    String code = biz.path("auth_code").asText("");
    Long fen = fen(biz.path("total_amount").asText(""));
    if (out.isEmpty() || fen == null || fen <= 0 || !"bar_code".equals(biz.path("scene").asText())
        || biz.path("subject").asText("").isEmpty()) {
      return invalidParameter();
    }
    Instant now = clock.instant();
    String notifyId = newNotifyId();
    boolean userPaying = code.startsWith("USERPAYING");
    Trade fresh = newTrade(appId, out, fen, biz, notifyUrl, null, Stage.WAIT_BUYER_PAY, true);
    return change(out, before -> {
      Trade t = before.orElse(null);
      if (t != null) {
        ObjectNode refused = t.ownedBy(appId) ? repeatRefusal(t, fen) : numberOfAnotherApp();
        return keep(refused != null ? refused : waiting(t));
      }
      if (code.startsWith("DECLINE")) {
        ObjectNode refused = error("40004", "Business Failed", "ACQ.BUYER_BALANCE_NOT_ENOUGH", "买家余额不足");
        refused.put("out_trade_no", out);
        return write(fresh.closed(now), refused);
      }
      if (!userPaying && !anyCode && !ALIPAY_CODE.matcher(code).matches()) {
        return keep(error("40004", "Business Failed", "ACQ.PAYMENT_AUTH_CODE_INVALID",
            "支付失败，获取顾客账户信息失败，请顾客刷新付款码后重新收款"));
      }
      if (userPaying) return write(fresh, waiting(fresh));
      Trade paid = fresh.paid(now).notifying(notifyId);
      ObjectNode ok = success();
      tradeFields(ok, paid);
      ok.put("gmt_payment", time(now));
      return write(paid, ok, this::paid);
    });
  }

  /** A pay or precreate under a number already used: what Alipay says of the trade it holds, or null to go on. */
  private static ObjectNode repeatRefusal(Trade t, long fen) {
    if (t.stage() == Stage.TRADE_SUCCESS) return error("40004", "Business Failed", "ACQ.TRADE_HAS_SUCCESS", "交易已被支付");
    if (t.stage() == Stage.TRADE_CLOSED) return error("40004", "Business Failed", "ACQ.TRADE_HAS_CLOSE", "交易已经关闭");
    if (t.totalFen() != fen) return error("40004", "Business Failed", "ACQ.CONTEXT_INCONSISTENT", "交易信息被篡改");
    return null;
  }

  /**
   * The emulator keeps one set of {@code out_trade_no} for all apps (Alipay keeps one per app): a
   * number another app used cannot be made again, and is refused as a trade that does not match.
   */
  private static ObjectNode numberOfAnotherApp() {
    return error("40004", "Business Failed", "ACQ.CONTEXT_INCONSISTENT", "交易信息被篡改");
  }

  private static ObjectNode qrAnswer(Trade t) {
    ObjectNode ok = success();
    ok.put("out_trade_no", t.outTradeNo());
    ok.put("qr_code", t.qrCode());
    return ok;
  }

  private static ObjectNode waiting(Trade t) {
    ObjectNode n = JSON.createObjectNode();
    n.put("code", "10003");
    n.put("msg", " order success pay inprocess");
    tradeFields(n, t);
    return n;
  }

  ObjectNode query(String appId, JsonNode biz) {
    Trade t = visible(appId, biz).orElse(null);
    if (t == null || !t.exists()) return tradeNotExist();
    ObjectNode ok = success();
    tradeFields(ok, t);
    ok.put("trade_status", t.stage().name());
    if (t.paidAt() != null) ok.put("send_pay_date", time(t.paidAt()));
    if (t.body() != null) ok.put("body", t.body());
    return ok;
  }

  ObjectNode closeTrade(String appId, JsonNode biz) {
    Instant now = clock.instant();
    return change(biz.path("out_trade_no").asText(""), before -> {
      Trade t = before.filter(x -> x.ownedBy(appId)).orElse(null);
      if (t == null) return keep(tradeNotExist());
      // Alipay: a code nobody scanned can no longer be paid, yet the answer says there is no trade
      if (t.stage() == Stage.UNSCANNED) return write(t.closed(now), tradeNotExist());
      if (!t.exists()) return keep(tradeNotExist());
      if (t.stage() != Stage.WAIT_BUYER_PAY) return keep(error("40004", "Business Failed", "ACQ.TRADE_STATUS_ERROR", "交易状态不合法"));
      ObjectNode ok = success();
      ok.put("trade_no", t.tradeNo());
      ok.put("out_trade_no", t.outTradeNo());
      return write(t.closed(now), ok);
    });
  }

  ObjectNode cancel(String appId, JsonNode biz) {
    String out = biz.path("out_trade_no").asText("");
    if (out.isEmpty()) return invalidParameter();
    Instant now = clock.instant();
    // a number Alipay never saw: the cancel succeeds and bars it, so a late payment cannot land
    Trade barred = Trade.made(appId, out, newTradeNo(now), 0, "", null, null, null, now, buyerId(), buyerLogonId(),
        Stage.TRADE_CLOSED, false).closed(now);
    return change(out, before -> {
      ObjectNode ok = success();
      ok.put("out_trade_no", out);
      ok.put("retry_flag", "N");
      if (before.isEmpty()) return write(barred, ok.put("action", "close"));
      Trade t = before.get();
      if (!t.ownedBy(appId)) return keep(tradeNotExist());
      ok.put("trade_no", t.tradeNo());
      if (t.stage() == Stage.TRADE_SUCCESS) {
        ok.put("action", "refund");
        ok.put("gmt_refund_pay", time(now));
        return write(t.refunded(new Refund("cancel", t.totalFen() - t.refundedFen(), null), now).closed(now), ok);
      }
      ok.put("action", "close");
      return t.stage() == Stage.TRADE_CLOSED ? keep(ok) : write(t.closed(now), ok);
    });
  }

  ObjectNode refund(String appId, JsonNode biz) {
    String out = biz.path("out_trade_no").asText("");
    Long fen = fen(biz.path("refund_amount").asText(""));
    String given = biz.path("out_request_no").asText("");
    if (fen == null || fen <= 0) return invalidParameter();
    String requestNo = given.isEmpty() ? out : given; // Alipay's default: the trade's own number
    Instant now = clock.instant();
    String notifyId = newNotifyId();
    return change(out, before -> {
      Trade t = before.filter(x -> x.ownedBy(appId) && x.exists()).orElse(null);
      if (t == null) return keep(tradeNotExist());
      Optional<Refund> earlier = t.refund(requestNo);
      if (earlier.isPresent()) {
        if (earlier.get().fen() != fen) return keep(error("40004", "Business Failed", "ACQ.DISCORDANT_REPEAT_REQUEST", "不一致的请求"));
        return keep(refundAnswer(t, "N"));
      }
      if (t.stage() != Stage.TRADE_SUCCESS) return keep(error("40004", "Business Failed", "ACQ.TRADE_STATUS_ERROR", "交易状态不合法"));
      if (fen > t.totalFen() - t.refundedFen()) {
        return keep(error("40004", "Business Failed", "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL", "退款金额超限"));
      }
      Trade after = t.refunded(new Refund(requestNo, fen, now), now).notifying(notifyId);
      return write(after, refundAnswer(after, "Y"), (Consumer<Trade>) written -> refunded(written, requestNo, now));
    });
  }

  private static ObjectNode refundAnswer(Trade t, String fundChange) {
    ObjectNode ok = success();
    ok.put("trade_no", t.tradeNo());
    ok.put("out_trade_no", t.outTradeNo());
    ok.put("buyer_logon_id", t.buyerLogonId());
    ok.put("fund_change", fundChange);
    ok.put("refund_fee", Yuan.of(t.refundedFen()));
    ok.put("buyer_user_id", t.buyerId());
    return ok;
  }

  ObjectNode refundQuery(String appId, JsonNode biz) {
    Trade t = visible(appId, biz).orElse(null);
    if (t == null || !t.exists()) return tradeNotExist();
    String requestNo = biz.path("out_request_no").asText("");
    ObjectNode ok = success();
    ok.put("trade_no", t.tradeNo());
    ok.put("out_trade_no", t.outTradeNo());
    Refund r = t.refund(requestNo).orElse(null);
    if (r == null) return ok; // Alipay's "no such refund": a success with nothing in it
    ok.put("out_request_no", requestNo);
    ok.put("total_amount", Yuan.of(t.totalFen()));
    ok.put("refund_amount", Yuan.of(r.fen()));
    ok.put("refund_status", "REFUND_SUCCESS");
    boolean withTime = false;
    for (JsonNode o : biz.path("query_options")) withTime |= o.asText().equals("gmt_refund_pay");
    if (withTime && r.at() != null) ok.put("gmt_refund_pay", time(r.at()));
    return ok;
  }

  /** The trade named in the request, when it is the asking app's. */
  private Optional<Trade> visible(String appId, JsonNode biz) {
    String out = biz.path("out_trade_no").asText("");
    return out.isEmpty() ? Optional.empty() : trades.get(out).filter(t -> t.ownedBy(appId));
  }

  // ---- after a change is written ----

  private void paid(Trade t) {
    notifier.sendTrade(t, Map.of(), clock.instant());
    bills.add(t, t.paidAt(), null);
  }

  private void refunded(Trade t, String requestNo, Instant at) {
    Map<String, String> refundFields = new LinkedHashMap<>();
    refundFields.put("out_biz_no", requestNo);
    refundFields.put("refund_fee", Yuan.of(t.refundedFen()));
    refundFields.put("gmt_refund", time(at));
    notifier.sendTrade(t, refundFields, clock.instant());
    bills.add(t, at, requestNo);
  }

  // ---- answers ----

  static ObjectNode success() {
    ObjectNode n = JSON.createObjectNode();
    n.put("code", "10000");
    n.put("msg", "Success");
    return n;
  }

  static ObjectNode error(String code, String msg, String subCode, String subMsg) {
    ObjectNode n = JSON.createObjectNode();
    n.put("code", code);
    n.put("msg", msg);
    n.put("sub_code", subCode);
    n.put("sub_msg", subMsg);
    return n;
  }

  static ObjectNode tradeNotExist() {
    return error("40004", "Business Failed", "ACQ.TRADE_NOT_EXIST", "交易不存在");
  }

  static ObjectNode invalidParameter() {
    return error("40004", "Business Failed", "ACQ.INVALID_PARAMETER", "参数无效");
  }

  private static void tradeFields(ObjectNode n, Trade t) {
    n.put("trade_no", t.tradeNo());
    n.put("out_trade_no", t.outTradeNo());
    n.put("buyer_logon_id", t.buyerLogonId());
    n.put("total_amount", Yuan.of(t.totalFen()));
    String paid = t.paidAt() == null ? "0.00" : Yuan.of(t.totalFen());
    n.put("receipt_amount", paid);
    n.put("buyer_pay_amount", paid);
    n.put("point_amount", "0.00");
    n.put("invoice_amount", paid);
    n.put("buyer_user_id", t.buyerId());
  }

  // ---- numbers ----

  private Trade newTrade(String appId, String out, long fen, JsonNode biz, String notifyUrl, String qrCode, Stage stage,
      boolean exists) {
    Instant now = clock.instant();
    return Trade.made(appId, out, newTradeNo(now), fen, biz.path("subject").asText(), biz.path("body").asText(null),
        notifyUrl, qrCode, now, buyerId(), buyerLogonId(), stage, exists);
  }

  /** Alipay's trade_no: the Beijing day, 22001, and 15 random digits, so emulators sharing a store never repeat one. */
  private static String newTradeNo(Instant now) {
    return DAY.format(beijingDay(now)) + "22001" + digits(15);
  }

  private String newNotifyId() {
    return DAY.format(beijingDay(clock.instant())) + digits(13) + digits(13);
  }

  private static String digits(int n) {
    StringBuilder s = new StringBuilder(n);
    for (int i = 0; i < n; i++) s.append((char) ('0' + RANDOM.nextInt(10)));
    return s.toString();
  }

  private static String buyerId() {
    return "2088102" + String.format("%09d", RANDOM.nextInt(1_000_000_000));
  }

  private static String buyerLogonId() {
    return "138****" + String.format("%04d", RANDOM.nextInt(10_000));
  }

  static String token() {
    byte[] b = new byte[12];
    RANDOM.nextBytes(b);
    StringBuilder s = new StringBuilder();
    for (byte x : b) s.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
    return "bax" + s;
  }

  private static Long fen(String yuan) {
    try {
      return Yuan.fen(yuan);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  static LocalDate beijingDay(Instant at) {
    return at.atZone(AlipayGateway.ALIPAY_ZONE).toLocalDate();
  }

  static String time(Instant at) {
    return AlipayGateway.TIMESTAMP.format(at.atZone(AlipayGateway.ALIPAY_ZONE));
  }
}
