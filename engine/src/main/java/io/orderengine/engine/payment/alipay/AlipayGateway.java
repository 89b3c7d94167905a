package io.orderengine.engine.payment.alipay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderengine.engine.payment.BadSignature;
import io.orderengine.engine.payment.Callback;
import io.orderengine.engine.payment.Gateway;
import io.orderengine.engine.payment.Notification;
import io.orderengine.engine.payment.Provider;
import io.orderengine.engine.payment.RefundNotification;
import io.orderengine.engine.payment.RefundResult;
import io.orderengine.engine.payment.StatementLine;
import io.orderengine.engine.payment.TradeRef;
import io.orderengine.engine.payment.TradeResult;
import io.orderengine.engine.payment.alipay.AlipayClient.Answer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The engine's client of Alipay's OpenAPI for face-to-face payments (当面付), on the wire protocol
 * itself: a signed form POST to the gateway, a JSON answer whose signature is checked with
 * Alipay's public key before a word of it is believed, and signed form notifications.
 *
 * <p>What an answer means, in one place: {@code 10000} is success; {@code 10003} from
 * {@code alipay.trade.pay} is a customer still confirming on the phone (PENDING: the saga
 * queries); {@code 40004} with a sub_code is a business answer, read per call below. Everything
 * else ({@code 20000}, a 5xx, a body that is not Alipay's, a signature that does not verify, a
 * sub_code not listed) fails the stage with {@link AlipayCallFailed}: the saga retries and
 * queries, and doubt never turns into DECLINED or SUCCEEDED.
 */
public final class AlipayGateway implements Gateway {
  public static final ZoneId ALIPAY_ZONE = ZoneId.of("Asia/Shanghai");
  static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  /**
   * A notification is stale once its {@code notify_time} is older than this. Alipay re-sends an
   * unanswered notification for about 25 hours (4m, 10m, 10m, 1h, 2h, 6h, 15h: the last one 24 h
   * 22 m after the first), under the same {@code notify_id}; nothing genuine is older. The
   * signature is what keeps forgeries out; this bound only refuses a captured notification played
   * back after Alipay itself would have stopped, and the saga counts each {@code notify_id} once.
   */
  public static final Duration NOTIFICATION_MAX_AGE = Duration.ofHours(25);
  /** How far ahead of our clock a notification's {@code notify_time} may be (clocks disagree). */
  public static final Duration NOTIFICATION_MAX_AHEAD = Duration.ofMinutes(10);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_SUBJECT = 256;

  /** {@code 40004} sub_codes of pay and precreate that say no trade was made: a definite refusal. */
  static final Set<String> PAYMENT_REFUSALS = Set.of(
      "ACQ.PAYMENT_AUTH_CODE_INVALID", "ACQ.BUYER_BALANCE_NOT_ENOUGH", "ACQ.BUYER_BANKCARD_BALANCE_NOT_ENOUGH",
      "ACQ.ERROR_BALANCE_PAYMENT_DISABLE", "ACQ.BUYER_SELLER_EQUAL", "ACQ.TRADE_BUYER_NOT_MATCH",
      "ACQ.BUYER_ENABLE_STATUS_FORBID", "ACQ.PULL_MOBILE_CASHIER_FAIL", "ACQ.MOBILE_PAYMENT_SWITCH_OFF",
      "ACQ.PAYMENT_FAIL", "ACQ.BUYER_PAYMENT_AMOUNT_DAY_LIMIT_ERROR", "ACQ.BUYER_PAYMENT_AMOUNT_MONTH_LIMIT_ERROR",
      "ACQ.BEYOND_PAY_RESTRICTION", "ACQ.BEYOND_PER_RECEIPT_RESTRICTION", "ACQ.ERROR_BUYER_CERTIFY_LEVEL_LIMIT",
      "ACQ.PAYMENT_REQUEST_HAS_RISK", "ACQ.NO_PAYMENT_INSTRUMENTS_AVAILABLE", "ACQ.USER_FACE_PAYMENT_SWITCH_OFF",
      "ACQ.INVALID_PARAMETER", "ACQ.ACCESS_FORBIDDEN", "ACQ.EXIST_FORBIDDEN_WORD", "ACQ.PARTNER_ERROR",
      "ACQ.TOTAL_FEE_EXCEED", "ACQ.SELLER_BEEN_BLOCKED", "ACQ.INVALID_STORE_ID");
  /** {@code 40004} sub_codes of a refund that say no money moved and none will under this number. */
  static final Set<String> REFUND_REFUSALS = Set.of(
      "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL", "ACQ.TRADE_NOT_EXIST", "ACQ.TRADE_HAS_FINISHED", "ACQ.TRADE_STATUS_ERROR",
      "ACQ.REASON_TRADE_REFUND_FEE_ERR", "ACQ.TRADE_NOT_ALLOW_REFUND", "ACQ.REASON_TRADE_BEEN_FREEZEN",
      "ACQ.INVALID_PARAMETER");

  private final AlipayConfig config;
  private final HttpClient http;
  private final Clock clock;
  private final PublicKey alipayKey;
  private final AlipayClient client;

  public AlipayGateway(AlipayConfig config, HttpClient http, Clock clock) {
    this.config = config;
    this.http = http;
    this.clock = clock;
    this.alipayKey = config.alipayPublicKey();
    this.client = new AlipayClient(config, http, clock);
  }

  @Override
  public Provider provider() {
    return Provider.ALIPAY;
  }

  /** {@code alipay.trade.precreate}: PENDING with the QR code the customer scans. */
  @Override
  public CompletionStage<TradeResult> createQrTrade(String tradeNo, long amountMinor, String description) {
    ObjectNode biz = tradeBiz(tradeNo, amountMinor, description);
    return client.call("alipay.trade.precreate", biz, true).thenCompose(a -> {
      if (a.success()) {
        return done(new TradeResult(TradeResult.Status.PENDING, null, amountMinor, a.text("qr_code"), null));
      }
      return paymentRefusal(TradeRef.of(tradeNo), a);
    });
  }

  /** {@code alipay.trade.pay}, scene {@code bar_code}: approved, declined, or the customer still confirming. */
  @Override
  public CompletionStage<TradeResult> payWithCode(TradeRef trade, long amountMinor, String authCode, String description) {
    if (authCode == null || authCode.isBlank()) {
      return done(TradeResult.of(TradeResult.Status.DECLINED, "no payment code was scanned"));
    }
    ObjectNode biz = tradeBiz(trade.tradeNo(), amountMinor, description);
    biz.put("scene", "bar_code");
    biz.put("auth_code", authCode.strip());
    return client.call("alipay.trade.pay", biz, true).thenCompose(a -> {
      if (a.success()) {
        return done(new TradeResult(TradeResult.Status.SUCCEEDED, a.text("trade_no"), amount(a, "total_amount"), null, null));
      }
      if (a.code().equals("10003")) {
        return done(new TradeResult(TradeResult.Status.PENDING, a.text("trade_no"), amountMinor, null,
            "the customer is confirming the payment"));
      }
      return paymentRefusal(trade, a);
    });
  }

  /** {@code alipay.trade.query}; a trade closed after it was paid (refunded in full) still reads as paid. */
  @Override
  public CompletionStage<TradeResult> query(TradeRef trade) {
    return client.call("alipay.trade.query", outTradeNo(trade), false).thenApply(a -> {
      if (a.success()) return tradeStatus(a);
      if (a.is("ACQ.TRADE_NOT_EXIST")) return TradeResult.of(TradeResult.Status.NOT_FOUND, "Alipay has no such trade");
      throw a.unclear();
    });
  }

  /**
   * Asks how the trade stands first: a paid one stays paid. One Alipay shows unpaid is closed
   * ({@code alipay.trade.close}); one Alipay does not show at all is cancelled
   * ({@code alipay.trade.cancel}, 撤销), as Alipay prescribes when a payment's result is unknown: a
   * bar-code payment whose answer was lost may still arrive, a QR code may still be scanned, and a
   * cancel makes sure neither takes money afterwards.
   */
  @Override
  public CompletionStage<TradeResult> close(TradeRef trade) {
    return query(trade).thenCompose(now -> switch (now.status()) {
      case PENDING -> closeUnpaid(trade);
      case NOT_FOUND -> cancel(trade);
      default -> done(now);
    });
  }

  private CompletionStage<TradeResult> closeUnpaid(TradeRef trade) {
    return client.call("alipay.trade.close", outTradeNo(trade), false).thenCompose(a -> {
      if (a.success()) return done(new TradeResult(TradeResult.Status.CLOSED, a.text("trade_no"), 0, null, "closed unpaid"));
      if (a.is("ACQ.TRADE_NOT_EXIST")) return cancel(trade);
      if (a.is("ACQ.TRADE_STATUS_ERROR")) return query(trade); // it moved (paid, or closed) since we asked
      throw a.unclear();
    });
  }

  private CompletionStage<TradeResult> cancel(TradeRef trade) {
    return client.call("alipay.trade.cancel", outTradeNo(trade), false).thenApply(a -> {
      if (!a.success()) throw a.unclear();
      if ("Y".equals(a.text("retry_flag"))) throw new AlipayCallFailed("Alipay asks for the cancel to be repeated");
      String reason = "refund".equals(a.text("action"))
          ? "cancelled after the customer paid: Alipay returned the money"
          : "cancelled before the customer paid";
      return new TradeResult(TradeResult.Status.CLOSED, a.text("trade_no"), 0, null, reason);
    });
  }

  /**
   * {@code alipay.trade.refund} under our refund number, so a retry is the same refund.
   * {@code fund_change=Y} says money moved now; otherwise (a retry of a refund that moved earlier,
   * or a refusal) the refund query says how it stands, and only a refusal of a refund Alipay does
   * not know is REJECTED.
   */
  @Override
  public CompletionStage<RefundResult> refund(TradeRef trade, String refundNo, long amountMinor) {
    ObjectNode biz = outTradeNo(trade);
    biz.put("refund_amount", Yuan.of(amountMinor));
    biz.put("out_request_no", AlipayNumbers.outRequestNo(trade.tradeNo(), refundNo));
    return client.call("alipay.trade.refund", biz, false).thenCompose(a -> {
      if (a.success() && "Y".equals(a.text("fund_change"))) return done(new RefundResult(RefundResult.Status.SUCCEEDED, null));
      if (a.success()) {
        return queryRefund(trade, refundNo).thenApply(r ->
            r.status() == RefundResult.Status.NOT_FOUND ? new RefundResult(RefundResult.Status.PROCESSING, "accepted, not yet settled") : r);
      }
      if (a.code().equals("40004") && REFUND_REFUSALS.contains(a.subCode())) {
        return queryRefund(trade, refundNo).thenApply(r ->
            r.status() == RefundResult.Status.NOT_FOUND ? new RefundResult(RefundResult.Status.REJECTED, a.reason()) : r);
      }
      throw a.unclear();
    });
  }

  /**
   * {@code alipay.trade.fastpay.refund.query}: a refund Alipay returns with
   * {@code refund_status=REFUND_SUCCESS} succeeded; one it returns without that status is still
   * being processed; an answer without the refund means Alipay never took it (retry it under the
   * same number, as the docs say): NOT_FOUND.
   */
  @Override
  public CompletionStage<RefundResult> queryRefund(TradeRef trade, String refundNo) {
    ObjectNode biz = outTradeNo(trade);
    biz.put("out_request_no", AlipayNumbers.outRequestNo(trade.tradeNo(), refundNo));
    biz.putArray("query_options").add("gmt_refund_pay");
    return client.call("alipay.trade.fastpay.refund.query", biz, false).thenApply(a -> {
      if (a.success()) {
        if (a.text("out_request_no") == null || a.text("refund_amount") == null) {
          return new RefundResult(RefundResult.Status.NOT_FOUND, "Alipay has no refund " + refundNo);
        }
        return "REFUND_SUCCESS".equals(a.text("refund_status"))
            ? new RefundResult(RefundResult.Status.SUCCEEDED, null)
            : new RefundResult(RefundResult.Status.PROCESSING, "Alipay is processing the refund");
      }
      if (a.is("ACQ.TRADE_NOT_EXIST")) return new RefundResult(RefundResult.Status.NOT_FOUND, "Alipay has no such trade");
      throw a.unclear();
    });
  }

  /**
   * The trades finished on {@code date} in {@code zone}, from Alipay's trade bills
   * ({@code alipay.data.dataservice.bill.downloadurl.query}, then the zip it points to). Bills are
   * cut by Beijing day, so every Beijing day the asked day touches is read and the lines filtered.
   */
  @Override
  public CompletionStage<List<StatementLine>> statement(LocalDate date, ZoneId zone) {
    Instant from = date.atStartOfDay(zone).toInstant();
    Instant to = date.plusDays(1).atStartOfDay(zone).toInstant();
    LocalDate first = from.atZone(ALIPAY_ZONE).toLocalDate();
    LocalDate last = to.minusNanos(1).atZone(ALIPAY_ZONE).toLocalDate();
    List<CompletableFuture<List<StatementLine>>> bills = new ArrayList<>();
    for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) bills.add(bill(d).toCompletableFuture());
    return CompletableFuture.allOf(bills.toArray(CompletableFuture[]::new)).thenApply(x -> bills.stream()
        .flatMap(b -> b.join().stream())
        .filter(l -> l.finishedAt() != null && !l.finishedAt().isBefore(from) && l.finishedAt().isBefore(to))
        .toList());
  }

  private CompletionStage<List<StatementLine>> bill(LocalDate beijingDay) {
    ObjectNode biz = JSON.createObjectNode();
    biz.put("bill_type", "trade");
    biz.put("bill_date", beijingDay.toString());
    return client.call("alipay.data.dataservice.bill.downloadurl.query", biz, false).thenCompose(a -> {
      if (a.is("isp.bill_not_exist")) return done(List.<StatementLine>of());
      if (!a.success() || a.text("bill_download_url") == null) throw a.unclear();
      HttpRequest get = HttpRequest.newBuilder(URI.create(a.text("bill_download_url"))).timeout(REQUEST_TIMEOUT).GET().build();
      return http.sendAsync(get, HttpResponse.BodyHandlers.ofByteArray()).thenApply(r -> {
        if (r.statusCode() / 100 != 2) throw new AlipayCallFailed("the bill download answered HTTP " + r.statusCode());
        return AlipayBill.read(r.body());
      });
    });
  }

  /**
   * An async notification, a UTF-8 form: verified with Alipay's public key over its sorted
   * parameters without {@code sign} and {@code sign_type}, then required to be for our app and
   * fresh (see {@link #NOTIFICATION_MAX_AGE}). One carrying refund fields ({@code out_biz_no},
   * {@code refund_fee}, {@code gmt_refund}) is about a refund; any other about the trade.
   */
  @Override
  public Callback verifyCallback(Map<String, String> headers, String body) throws BadSignature {
    Map<String, String> params;
    try {
      params = FormBody.parse(body);
    } catch (IllegalArgumentException e) {
      throw new BadSignature("the notification is not a well-formed form");
    }
    String signType = params.get("sign_type");
    if (signType != null && !signType.isEmpty() && !signType.equals("RSA2")) {
      throw new BadSignature("the notification is not signed with RSA2");
    }
    if (!AlipaySignature.verify(AlipaySignature.notificationContent(params), params.get("sign"), alipayKey)) {
      throw new BadSignature("the notification's signature does not verify with Alipay's public key");
    }
    if (!config.appId().equals(params.get("app_id"))) throw new BadSignature("the notification is for another app");
    requireFresh(params.get("notify_time"));
    String notifyId = params.get("notify_id");
    Optional<String> tradeNo = AlipayNumbers.tradeNo(params.get("out_trade_no"), params.get("body"));
    if (notifyId == null || notifyId.isEmpty() || tradeNo.isEmpty()) {
      throw new BadSignature("the notification names no trade of ours");
    }
    boolean refund = present(params, "out_biz_no") || present(params, "gmt_refund")
        || (present(params, "refund_fee") && fenOr(params.get("refund_fee"), 0) > 0);
    if (refund) {
      String outBizNo = params.get("out_biz_no");
      String refundNo = AlipayNumbers.refundNo(tradeNo.get(), outBizNo).orElse(outBizNo);
      return new RefundNotification(notifyId, Provider.ALIPAY, tradeNo.get(), refundNo, RefundResult.Status.SUCCEEDED, null);
    }
    String status = params.getOrDefault("trade_status", "");
    TradeResult.Status read = switch (status) {
      case "TRADE_SUCCESS", "TRADE_FINISHED" -> TradeResult.Status.SUCCEEDED;
      case "TRADE_CLOSED" -> present(params, "gmt_payment") ? TradeResult.Status.SUCCEEDED : TradeResult.Status.CLOSED;
      case "WAIT_BUYER_PAY" -> TradeResult.Status.PENDING;
      default -> throw new BadSignature("the notification has no trade status Alipay defines");
    };
    return new Notification(notifyId, Provider.ALIPAY, tradeNo.get(), read, params.get("trade_no"),
        fenOr(params.get("total_amount"), 0), read == TradeResult.Status.CLOSED ? "closed unpaid" : null);
  }

  /** Alipay stops re-sending once it reads exactly {@code success}. */
  @Override
  public CallbackAnswer acknowledgement() {
    return CallbackAnswer.text("success");
  }

  /** Anything but {@code success} makes Alipay send the notification again later. */
  @Override
  public CallbackAnswer refusal(String why) {
    return CallbackAnswer.text("failure");
  }

  // ---- reading answers ----

  private TradeResult tradeStatus(Answer a) {
    String txn = a.text("trade_no");
    long amount = amount(a, "total_amount");
    String status = a.text("trade_status");
    if (status == null) throw new AlipayCallFailed("alipay.trade.query answered without a trade_status");
    return switch (status) {
      case "WAIT_BUYER_PAY" -> new TradeResult(TradeResult.Status.PENDING, txn, amount, null, "waiting for the customer");
      case "TRADE_SUCCESS", "TRADE_FINISHED" -> new TradeResult(TradeResult.Status.SUCCEEDED, txn, amount, null, null);
      // TRADE_CLOSED is both "closed unpaid" and "paid, then refunded in full": only the second was paid to the seller
      case "TRADE_CLOSED" -> a.text("send_pay_date") != null
          ? new TradeResult(TradeResult.Status.SUCCEEDED, txn, amount, null, "paid, then refunded in full")
          : new TradeResult(TradeResult.Status.CLOSED, txn, amount, null, "closed unpaid");
      default -> throw new AlipayCallFailed("alipay.trade.query answered an unknown trade_status");
    };
  }

  /** A pay or precreate that was not a success: a definite refusal, a trade that was made before, or doubt. */
  private CompletionStage<TradeResult> paymentRefusal(TradeRef trade, Answer a) {
    if (a.is("ACQ.TRADE_HAS_SUCCESS")) return query(trade); // a retry of a trade paid meanwhile: read it as it stands
    if (a.is("ACQ.TRADE_HAS_CLOSE")) return done(TradeResult.of(TradeResult.Status.CLOSED, a.reason()));
    if (a.code().equals("40004") && PAYMENT_REFUSALS.contains(a.subCode())) {
      return done(TradeResult.of(TradeResult.Status.DECLINED, a.reason()));
    }
    throw a.unclear();
  }

  private static long amount(Answer a, String field) {
    try {
      return Yuan.fen(a.text(field));
    } catch (NumberFormatException e) {
      throw new AlipayCallFailed(a.method() + " answered no readable " + field);
    }
  }

  // ---- making requests (sent and read by AlipayClient) ----

  private ObjectNode tradeBiz(String tradeNo, long amountMinor, String description) {
    ObjectNode biz = JSON.createObjectNode();
    biz.put("out_trade_no", AlipayNumbers.outTradeNo(tradeNo));
    biz.put("total_amount", Yuan.of(amountMinor));
    String subject = description == null || description.isBlank() ? "order " + tradeNo : description.strip();
    biz.put("subject", subject.length() > MAX_SUBJECT ? subject.substring(0, MAX_SUBJECT) : subject);
    if (AlipayNumbers.carriedInBody(tradeNo)) biz.put("body", tradeNo);
    return biz;
  }

  private static ObjectNode outTradeNo(TradeRef trade) {
    ObjectNode biz = JSON.createObjectNode();
    biz.put("out_trade_no", AlipayNumbers.outTradeNo(trade.tradeNo()));
    return biz;
  }

  private void requireFresh(String notifyTime) throws BadSignature {
    Instant at;
    try {
      at = LocalDateTime.parse(notifyTime == null ? "" : notifyTime, TIMESTAMP).atZone(ALIPAY_ZONE).toInstant();
    } catch (DateTimeParseException e) {
      throw new BadSignature("the notification has no readable notify_time");
    }
    Instant now = clock.instant();
    if (at.isBefore(now.minus(NOTIFICATION_MAX_AGE)) || at.isAfter(now.plus(NOTIFICATION_MAX_AHEAD))) {
      throw new BadSignature("the notification is stale");
    }
  }

  private static boolean present(Map<String, String> params, String key) {
    String v = params.get(key);
    return v != null && !v.isEmpty();
  }

  private static long fenOr(String yuan, long otherwise) {
    try {
      return Yuan.fen(yuan);
    } catch (NumberFormatException e) {
      return otherwise;
    }
  }

  private static <T> CompletableFuture<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }
}
