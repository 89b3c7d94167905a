package io.orderengine.engine.payment.wechat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.wechat.pay.java.core.cipher.AeadAesCipher;
import com.wechat.pay.java.core.cipher.RSASigner;
import com.wechat.pay.java.core.cipher.RSAVerifier;
import io.orderengine.engine.payment.BadSignature;
import io.orderengine.engine.payment.Callback;
import io.orderengine.engine.payment.Gateway;
import io.orderengine.engine.payment.Provider;
import io.orderengine.engine.payment.RefundResult;
import io.orderengine.engine.payment.StatementLine;
import io.orderengine.engine.payment.TradeRef;
import io.orderengine.engine.payment.TradeResult;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * WeChat Pay APIv3 for one merchant (a venue), in public-key mode: Native QR trades, 付款码 (codepay)
 * trades, queries, close and reversal, refunds, callbacks and the daily trade bill. Every request is
 * signed with the merchant's key and every answer is believed only once WeChat Pay's signature over it
 * verifies; an answer that is a 5xx, a system error, unsigned or not understood fails the stage with
 * {@link WechatPayCallFailed}, never becomes a refusal or a success.
 *
 * <p>The official SDK (wechatpay-java) is used for the cryptography, the part WeChat Pay specifies
 * byte for byte and maintains: its {@link RSASigner} signs requests, its {@link RSAVerifier} in
 * public-key mode checks answers and callbacks, and its {@link AeadAesCipher} opens callback resources.
 * Its services are not used, because they block a thread on OkHttp for every call, take their host
 * from a fixed enum (so they cannot be pointed at {@code baseUrl}, a proxy or the emulator) and have no
 * codepay at all, so the transport is {@code java.net.http}, asynchronous, with Jackson; nor is its
 * {@code NotificationParser}, which maps through Gson, does not check a callback's age against our
 * clock, and copies the callback's text into its exception messages.
 *
 * <p>The pieces: {@link WechatPayApi} signs and believes, {@link WechatPayCallbacks} reads callbacks,
 * {@link WechatPayStates} maps WeChat's states, {@link WechatTradeNumbers} writes our numbers in
 * WeChat's alphabet, {@link WechatTradeBill} reads the daily bill.
 */
public final class WechatPayGateway implements Gateway {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
  private static final int DESCRIPTION_MAX = 127;

  /** Codepay answers that refuse this authorization code for good: the saga declines the tender. */
  private static final Set<String> CODEPAY_REFUSALS = Set.of("AUTH_CODE_INVALID", "AUTHCODEEXPIRE", "AUTH_CODE_EXPIRE",
      "AUTH_CODE_ERROR", "NOTENOUGH", "NOT_ENOUGH", "TRADE_ERROR", "PAYER_ACCOUNT_ABNORMAL", "BUYER_MISMATCH",
      "NOTSUPORTCARD", "NOT_SUPPORT_CARD");
  /** Refund answers that refuse this refund for good. */
  private static final Set<String> REFUND_REFUSALS = Set.of("INVALID_REQUEST", "PARAM_ERROR", "USER_ACCOUNT_ABNORMAL",
      "NO_AUTH");
  /** Answers to a repeated trade number: the trade exists already and is paid or closed, so ask how it stands. */
  private static final Set<String> TRADE_EXISTS = Set.of("ORDERPAID", "ORDER_PAID", "ORDERCLOSED", "ORDER_CLOSED");

  /** What WeChat Pay takes as a payer's openid: 1 to 128 letters, digits, '_' or '-'. */
  public static final java.util.regex.Pattern OPENID = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,128}");

  private final WechatPayConfig config;
  private final Clock clock;
  private final RSASigner signer;
  private final java.security.SecureRandom random = new java.security.SecureRandom();
  private final WechatPayApi api;
  private final WechatPayCallbacks callbacks;

  public WechatPayGateway(WechatPayConfig config, HttpClient http, Clock clock) {
    this.config = config.validate();
    var check = new WechatPaySignatureCheck(config.publicKey(), config.publicKeyId(), clock);
    this.clock = clock;
    this.signer = new RSASigner(config.merchantSerialNo(), config.privateKey());
    this.api = new WechatPayApi(config, http, clock, signer, check);
    this.callbacks = new WechatPayCallbacks(config, check,
        new AeadAesCipher(config.apiV3Key().getBytes(StandardCharsets.US_ASCII)));
  }

  @Override
  public Provider provider() {
    return Provider.WECHAT;
  }

  /** What WeChat Pay takes as "received": 200 or 204 with no body; anything else makes it send again. */
  @Override
  public CallbackAnswer acknowledgement() {
    return new CallbackAnswer(204, "application/json", "");
  }

  @Override
  public CompletionStage<TradeResult> createQrTrade(String tradeNo, long amountMinor, String description) {
    return start(() -> {
      ObjectNode body = order(tradeNo, amountMinor, description);
      body.put("notify_url", config.notifyUrl());
      return api.call("POST", "/v3/pay/transactions/native", body).thenCompose(a -> {
        if (a.status() == 200 && a.body().hasNonNull("code_url")) {
          return done(new TradeResult(TradeResult.Status.PENDING, null, amountMinor, a.body().get("code_url").asText(), null));
        }
        if (TRADE_EXISTS.contains(a.code())) return query(TradeRef.of(tradeNo));
        throw a.unexpected();
      });
    });
  }

  @Override
  public boolean takesInAppPayments() {
    return true;
  }

  /**
   * JSAPI (the diner pays inside WeChat): {@code POST /v3/pay/transactions/jsapi} for the payer's openid,
   * answered {@code prepay_id}, then the parameters of {@code getBrandWCPayRequest} signed with the
   * merchant's key over {@code appId\ntimeStamp\nnonceStr\npackage\n} (JSAPI 调起支付). Asked again with
   * the same number, WeChat Pay answers the same prepay id; a trade already paid or closed is queried.
   */
  @Override
  public CompletionStage<TradeResult> createJsapiTrade(String tradeNo, long amountMinor, String description, String openid) {
    return start(() -> {
      if (openid == null || !OPENID.matcher(openid).matches()) {
        return done(TradeResult.of(TradeResult.Status.DECLINED, "no payer openid of WeChat's shape"));
      }
      ObjectNode body = order(tradeNo, amountMinor, description);
      body.put("notify_url", config.notifyUrl());
      body.putObject("payer").put("openid", openid);
      return api.call("POST", "/v3/pay/transactions/jsapi", body).thenCompose(a -> {
        if (a.status() == 200 && a.body().hasNonNull("prepay_id")) {
          return done(new TradeResult(TradeResult.Status.PENDING, null, amountMinor, null, null,
              jsapiPay(a.body().get("prepay_id").asText())));
        }
        if (TRADE_EXISTS.contains(a.code())) return query(TradeRef.of(tradeNo));
        throw a.unexpected();
      });
    });
  }

  /** The signed parameters of {@code WeixinJSBridge.invoke('getBrandWCPayRequest', …)} for a prepay id. */
  public io.orderengine.engine.JsapiPay jsapiPay(String prepayId) {
    String timeStamp = Long.toString(clock.instant().getEpochSecond());
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    String nonce = HexFormat.of().formatHex(bytes).toUpperCase();
    String pkg = "prepay_id=" + prepayId;
    String sign = signer.sign(io.orderengine.engine.JsapiPay.message(config.appId(), timeStamp, nonce, pkg)).getSign();
    return new io.orderengine.engine.JsapiPay(config.appId(), timeStamp, nonce, pkg, "RSA", sign);
  }

  @Override
  public CompletionStage<TradeResult> payWithCode(TradeRef trade, long amountMinor, String authCode, String description) {
    return start(() -> {
      if (authCode == null || authCode.isBlank()) return done(TradeResult.of(TradeResult.Status.DECLINED, "no payment code"));
      ObjectNode body = order(trade.tradeNo(), amountMinor, description);
      body.putObject("payer").put("auth_code", authCode.strip());
      body.putObject("scene_info").putObject("store_info").put("out_id", config.mchId());
      return api.call("POST", "/v3/pay/transactions/codepay", body).thenCompose(a -> {
        if (a.status() == 200 && a.body().hasNonNull("trade_state")) return done(WechatPayStates.trade(a.body()));
        if (a.status() == 202 || "USERPAYING".equals(a.code())) {
          return done(new TradeResult(TradeResult.Status.PENDING, null, amountMinor, null, "the customer is confirming"));
        }
        if (CODEPAY_REFUSALS.contains(a.code())) {
          return done(TradeResult.of(TradeResult.Status.DECLINED, a.code() + ": " + a.message()));
        }
        if (TRADE_EXISTS.contains(a.code()) || "OUT_TRADE_NO_USED".equals(a.code())) return query(trade);
        throw a.unexpected();
      });
    });
  }

  @Override
  public CompletionStage<TradeResult> query(TradeRef trade) {
    return start(() -> queryTrade(trade.tradeNo()).thenApply(Found::result));
  }

  /**
   * A Native trade is closed; a codepay trade still unpaid is reversed (撤销), as WeChat Pay prescribes
   * for 付款码 when the outcome is unclear: it closes the trade or, had the customer paid meanwhile,
   * returns the money. A trade already paid is left alone and reported paid.
   */
  @Override
  public CompletionStage<TradeResult> close(TradeRef trade) {
    return start(() -> queryTrade(trade.tradeNo()).thenCompose(found -> {
      if (found.result().status() != TradeResult.Status.PENDING) return done(found.result());
      String no = WechatTradeNumbers.outTradeNo(trade.tradeNo());
      ObjectNode body = JSON.createObjectNode();
      String path;
      if ("MICROPAY".equals(found.tradeType())) {
        body.put("appid", config.appId()).put("mchid", config.mchId());
        path = "/v3/pay/transactions/out-trade-no/" + encode(no) + "/reverse";
      } else {
        body.put("mchid", config.mchId());
        path = "/v3/pay/transactions/out-trade-no/" + encode(no) + "/close";
      }
      return api.call("POST", path, body).thenCompose(a -> {
        if (a.status() == 200 || a.status() == 204 || TRADE_EXISTS.contains(a.code())) return query(trade);
        throw a.unexpected();
      });
    }));
  }

  /** Refunds part or all of a paid trade; WeChat wants the trade's total, so the trade is asked first. */
  @Override
  public CompletionStage<RefundResult> refund(TradeRef trade, String refundNo, long amountMinor) {
    return start(() -> queryTrade(trade.tradeNo()).thenCompose(found -> {
      TradeResult paid = found.result();
      if (paid.status() == TradeResult.Status.NOT_FOUND) {
        return done(new RefundResult(RefundResult.Status.NOT_FOUND, "WeChat Pay knows no such trade"));
      }
      if (paid.status() != TradeResult.Status.SUCCEEDED) {
        return done(new RefundResult(RefundResult.Status.REJECTED, "the trade is " + paid.status() + ", not paid"));
      }
      if (amountMinor <= 0) throw new IllegalArgumentException("a refund of " + amountMinor + " fen");
      ObjectNode body = JSON.createObjectNode();
      body.put("out_trade_no", WechatTradeNumbers.outTradeNo(trade.tradeNo()));
      body.put("out_refund_no", WechatTradeNumbers.outRefundNo(refundNo));
      body.put("notify_url", config.notifyUrl());
      body.putObject("amount").put("refund", amountMinor).put("total", paid.amountMinor()).put("currency", "CNY");
      return api.call("POST", "/v3/refund/domestic/refunds", body).thenApply(a -> {
        if (a.status() == 200 && a.body().hasNonNull("status")) return WechatPayStates.refund(a.body());
        if (a.status() == 404) return new RefundResult(RefundResult.Status.NOT_FOUND, a.code() + ": " + a.message());
        if (REFUND_REFUSALS.contains(a.code())) return new RefundResult(RefundResult.Status.REJECTED, a.code() + ": " + a.message());
        throw a.unexpected();
      });
    }));
  }

  @Override
  public CompletionStage<RefundResult> queryRefund(TradeRef trade, String refundNo) {
    return start(() -> api.call("GET", "/v3/refund/domestic/refunds/" + encode(WechatTradeNumbers.outRefundNo(refundNo)), null)
        .thenApply(a -> {
          if (a.status() == 200 && a.body().hasNonNull("status")) return WechatPayStates.refund(a.body());
          if (a.status() == 404) return new RefundResult(RefundResult.Status.NOT_FOUND, a.code() + ": " + a.message());
          throw a.unexpected();
        }));
  }

  /**
   * The trades paid on {@code date} in {@code zone}. WeChat Pay's bills cover days of Beijing time, so
   * every Beijing day the asked day touches is fetched and the trades are cut to the asked day.
   */
  @Override
  public CompletionStage<List<StatementLine>> statement(LocalDate date, ZoneId zone) {
    return start(() -> {
      var from = date.atStartOfDay(zone).toInstant();
      var until = date.plusDays(1).atStartOfDay(zone).toInstant();
      LocalDate first = from.atZone(CHINA).toLocalDate();
      LocalDate last = until.minusNanos(1).atZone(CHINA).toLocalDate();
      CompletableFuture<List<StatementLine>> all = CompletableFuture.completedFuture(new ArrayList<>());
      for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
        LocalDate billDay = day;
        all = all.thenCompose(lines -> bill(billDay).thenApply(more -> {
          lines.addAll(more);
          return lines;
        }));
      }
      return all.thenApply(lines -> lines.stream()
          .filter(l -> !l.finishedAt().isBefore(from) && l.finishedAt().isBefore(until)).toList());
    });
  }

  @Override
  public Callback verifyCallback(Map<String, String> headers, String body) throws BadSignature {
    return callbacks.read(headers, body);
  }

  // ---- trades and refunds as WeChat Pay writes them

  /** A trade as the query answered it, with its type: whether to close or to reverse depends on it. */
  private record Found(TradeResult result, String tradeType) {}

  private CompletionStage<Found> queryTrade(String tradeNo) {
    String path = "/v3/pay/transactions/out-trade-no/" + encode(WechatTradeNumbers.outTradeNo(tradeNo))
        + "?mchid=" + encode(config.mchId());
    return api.call("GET", path, null).thenApply(a -> {
      if (a.status() == 200 && a.body().hasNonNull("trade_state")) {
        return new Found(WechatPayStates.trade(a.body()), a.body().path("trade_type").asText(""));
      }
      if (a.status() == 404) return new Found(TradeResult.of(TradeResult.Status.NOT_FOUND, a.code() + ": " + a.message()), "");
      throw a.unexpected();
    });
  }

  private ObjectNode order(String tradeNo, long amountMinor, String description) {
    if (amountMinor <= 0) throw new IllegalArgumentException("a trade of " + amountMinor + " fen");
    ObjectNode body = JSON.createObjectNode();
    body.put("appid", config.appId());
    body.put("mchid", config.mchId());
    body.put("description", description(description));
    body.put("out_trade_no", WechatTradeNumbers.outTradeNo(tradeNo));
    body.put("attach", tradeNo);
    body.putObject("amount").put("total", amountMinor).put("currency", "CNY");
    return body;
  }

  private static String description(String text) {
    String d = text == null || text.isBlank() ? "order" : text.strip();
    return d.codePointCount(0, d.length()) <= DESCRIPTION_MAX ? d : d.substring(0, d.offsetByCodePoints(0, DESCRIPTION_MAX));
  }

  // ---- the daily trade bill

  private CompletionStage<List<StatementLine>> bill(LocalDate day) {
    return api.call("GET", "/v3/bill/tradebill?bill_date=" + day + "&bill_type=ALL", null).thenCompose(a -> {
      if (a.status() == 400 && "NO_STATEMENT_EXIST".equals(a.code())) return done(List.<StatementLine>of());
      if (a.status() != 200 || !a.body().hasNonNull("download_url")) throw a.unexpected();
      String hashType = a.body().path("hash_type").asText("");
      String hash = a.body().path("hash_value").asText("");
      URI url = URI.create(a.body().get("download_url").asText());
      String pathAndQuery = url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
      return api.download(pathAndQuery).thenApply(file -> {
        if (!"SHA1".equalsIgnoreCase(hashType) || !sha1(file).equalsIgnoreCase(hash)) {
          throw new WechatPayCallFailed("the trade bill of " + day + " does not match the hash WeChat Pay signed");
        }
        return WechatTradeBill.parse(new String(file, StandardCharsets.UTF_8));
      });
    });
  }

  private static String sha1(byte[] file) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(file));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-1", e);
    }
  }

  private static String encode(String pathSegment) {
    return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8);
  }

  private static <T> CompletionStage<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }

  /** Runs the start of a call so that a bad argument also fails the stage rather than throwing at the caller. */
  private static <T> CompletionStage<T> start(java.util.function.Supplier<CompletionStage<T>> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
