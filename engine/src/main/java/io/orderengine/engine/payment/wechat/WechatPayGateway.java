package io.orderengine.engine.payment.wechat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.wechat.pay.java.core.cipher.AeadAesCipher;
import com.wechat.pay.java.core.cipher.AeadCipher;
import com.wechat.pay.java.core.cipher.RSASigner;
import com.wechat.pay.java.core.cipher.RSAVerifier;
import com.wechat.pay.java.core.cipher.Signer;
import com.wechat.pay.java.core.cipher.Verifier;
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
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
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
 * <p>The official SDK (wechatpay-java) gives the cryptography: its {@link RSASigner} signs requests,
 * its {@link RSAVerifier} in public-key mode checks answers and callbacks, and its {@link AeadAesCipher}
 * opens callback resources. Its services are not used: they block a thread on OkHttp for every call
 * and resolve their host from a fixed enum, so they could not run on the saga's asynchronous path nor
 * against {@code baseUrl} (a proxy or the emulator), and there is no codepay service at all; the
 * transport is {@code java.net.http} with Jackson instead. Its {@code NotificationParser} is not used
 * either: it maps through Gson into its own models, does not check a callback's age against our clock,
 * and puts the callback's text into its exception messages; the same two pieces it composes (the
 * verifier and the cipher) are composed here.
 */
public final class WechatPayGateway implements Gateway {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final Duration MAX_SKEW = Duration.ofMinutes(5);
  private static final String USER_AGENT = "order-engine-wechatpay/1 (java.net.http)";
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

  private final WechatPayConfig config;
  private final HttpClient http;
  private final Clock clock;
  private final Signer signer;
  private final Verifier verifier;
  private final AeadCipher cipher;

  public WechatPayGateway(WechatPayConfig config, HttpClient http, Clock clock) {
    this.config = config.validate();
    this.http = http;
    this.clock = clock;
    this.signer = new RSASigner(config.merchantSerialNo(), config.privateKey());
    this.verifier = new RSAVerifier(config.publicKey(), config.publicKeyId());
    this.cipher = new AeadAesCipher(config.apiV3Key().getBytes(StandardCharsets.US_ASCII));
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
      return call("POST", "/v3/pay/transactions/native", body).thenCompose(a -> {
        if (a.status() == 200 && a.body().hasNonNull("code_url")) {
          return done(new TradeResult(TradeResult.Status.PENDING, null, amountMinor, a.body().get("code_url").asText(), null));
        }
        if (TRADE_EXISTS.contains(a.code())) return query(TradeRef.of(tradeNo));
        throw a.unexpected();
      });
    });
  }

  @Override
  public CompletionStage<TradeResult> payWithCode(TradeRef trade, long amountMinor, String authCode, String description) {
    return start(() -> {
      if (authCode == null || authCode.isBlank()) return done(TradeResult.of(TradeResult.Status.DECLINED, "no payment code"));
      ObjectNode body = order(trade.tradeNo(), amountMinor, description);
      body.putObject("payer").put("auth_code", authCode.strip());
      body.putObject("scene_info").putObject("store_info").put("out_id", config.mchId());
      return call("POST", "/v3/pay/transactions/codepay", body).thenCompose(a -> {
        if (a.status() == 200 && a.body().hasNonNull("trade_state")) return done(transaction(a.body()));
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
      return call("POST", path, body).thenCompose(a -> {
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
      return call("POST", "/v3/refund/domestic/refunds", body).thenApply(a -> {
        if (a.status() == 200 && a.body().hasNonNull("status")) return refund(a.body());
        if (a.status() == 404) return new RefundResult(RefundResult.Status.NOT_FOUND, a.code() + ": " + a.message());
        if (REFUND_REFUSALS.contains(a.code())) return new RefundResult(RefundResult.Status.REJECTED, a.code() + ": " + a.message());
        throw a.unexpected();
      });
    }));
  }

  @Override
  public CompletionStage<RefundResult> queryRefund(TradeRef trade, String refundNo) {
    return start(() -> call("GET", "/v3/refund/domestic/refunds/" + encode(WechatTradeNumbers.outRefundNo(refundNo)), null)
        .thenApply(a -> {
          if (a.status() == 200 && a.body().hasNonNull("status")) return refund(a.body());
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
    String serial = headers.get("wechatpay-serial");
    String signature = headers.get("wechatpay-signature");
    String timestamp = headers.get("wechatpay-timestamp");
    String nonce = headers.get("wechatpay-nonce");
    if (serial == null || signature == null || timestamp == null || nonce == null || body == null) {
      throw new BadSignature("the callback lacks WeChat Pay's signature headers");
    }
    String type = headers.get("wechatpay-signature-type");
    if (type != null && !type.equals(WechatPayAuthorization.SCHEMA)) throw new BadSignature("the callback is signed with " + type);
    if (!serial.equals(config.publicKeyId())) throw new BadSignature("the callback is signed with another key than " + config.publicKeyId());
    if (!fresh(timestamp)) throw new BadSignature("the callback's timestamp is more than 5 minutes from now");
    if (!verifies(serial, WechatPayAuthorization.answerMessage(timestamp, nonce, body), signature)) {
      throw new BadSignature("the callback's signature does not verify with WeChat Pay's public key");
    }
    JsonNode event;
    try {
      event = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new BadSignature("the callback is not JSON");
    }
    JsonNode resource = event.path("resource");
    if (!"AEAD_AES_256_GCM".equals(resource.path("algorithm").asText())) throw new BadSignature("the callback's resource is not AEAD_AES_256_GCM");
    JsonNode plain;
    try {
      String text = cipher.decrypt(resource.path("associated_data").asText("").getBytes(StandardCharsets.UTF_8),
          resource.path("nonce").asText("").getBytes(StandardCharsets.UTF_8),
          Base64.getDecoder().decode(resource.path("ciphertext").asText("")));
      plain = JSON.readTree(text);
    } catch (RuntimeException | JsonProcessingException e) {
      throw new BadSignature("the callback's resource does not decrypt with this merchant's APIv3 key");
    }
    if (!config.mchId().equals(plain.path("mchid").asText())) throw new BadSignature("the callback is for another merchant");
    String id = event.path("id").asText("");
    if (id.isEmpty()) throw new BadSignature("the callback has no id");
    String eventType = event.path("event_type").asText("");
    if (eventType.startsWith("TRANSACTION.")) return tradeCallback(id, plain);
    if (eventType.startsWith("REFUND.")) return refundCallback(id, plain);
    throw new BadSignature("a callback of a kind this engine does not take: " + eventType);
  }

  private Notification tradeCallback(String id, JsonNode plain) throws BadSignature {
    if (!config.appId().equals(plain.path("appid").asText())) throw new BadSignature("the callback is for another app");
    String outTradeNo = plain.path("out_trade_no").asText("");
    String attach = plain.path("attach").asText("");
    String paymentId = !attach.isEmpty() && attachNames(attach, outTradeNo) ? attach
        : WechatTradeNumbers.paymentId(outTradeNo).orElseThrow(() -> new BadSignature("the callback names no payment of ours"));
    TradeResult result;
    try {
      result = transaction(plain);
    } catch (WechatPayCallFailed e) {
      throw new BadSignature("the callback's trade state is unknown");
    }
    return new Notification(id, Provider.WECHAT, paymentId, result.status(), result.gatewayTxnId(), result.amountMinor(),
        result.reason());
  }

  private RefundNotification refundCallback(String id, JsonNode plain) throws BadSignature {
    String refundNo = WechatTradeNumbers.refundNo(plain.path("out_refund_no").asText(""))
        .orElseThrow(() -> new BadSignature("the refund callback names no refund of ours"));
    String paymentId = WechatTradeNumbers.paymentIdOfRefund(plain.path("out_trade_no").asText(""), refundNo)
        .orElseThrow(() -> new BadSignature("the refund callback names no payment of ours"));
    String state = plain.path("refund_status").asText("");
    RefundResult.Status status;
    switch (state) {
      case "SUCCESS":
        status = RefundResult.Status.SUCCEEDED;
        break;
      case "PROCESSING":
        status = RefundResult.Status.PROCESSING;
        break;
      case "ABNORMAL":
      case "CLOSED":
        status = RefundResult.Status.REJECTED;
        break;
      default:
        throw new BadSignature("the refund callback's state is unknown: " + state);
    }
    return new RefundNotification(id, Provider.WECHAT, paymentId, refundNo, status,
        status == RefundResult.Status.REJECTED ? "refund " + state : null);
  }

  static boolean attachNames(String attach, String outTradeNo) {
    try {
      return WechatTradeNumbers.outTradeNo(attach).equals(outTradeNo);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  // ---- trades and refunds as WeChat Pay writes them

  /** A trade as the query answered it, with its type: whether to close or to reverse depends on it. */
  private record Found(TradeResult result, String tradeType) {}

  private CompletionStage<Found> queryTrade(String tradeNo) {
    String path = "/v3/pay/transactions/out-trade-no/" + encode(WechatTradeNumbers.outTradeNo(tradeNo))
        + "?mchid=" + encode(config.mchId());
    return call("GET", path, null).thenApply(a -> {
      if (a.status() == 200 && a.body().hasNonNull("trade_state")) {
        return new Found(transaction(a.body()), a.body().path("trade_type").asText(""));
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

  static TradeResult transaction(JsonNode t) {
    String state = t.path("trade_state").asText("");
    TradeResult.Status status;
    switch (state) {
      case "SUCCESS":
      case "REFUND":
        status = TradeResult.Status.SUCCEEDED;
        break;
      case "NOTPAY":
      case "USERPAYING":
      case "ACCEPT":
        status = TradeResult.Status.PENDING;
        break;
      case "CLOSED":
      case "REVOKED":
        status = TradeResult.Status.CLOSED;
        break;
      case "PAYERROR":
        status = TradeResult.Status.DECLINED;
        break;
      default:
        throw new WechatPayCallFailed("a trade_state WeChat Pay does not document: " + state);
    }
    String txn = t.path("transaction_id").asText("");
    String reason = status == TradeResult.Status.SUCCEEDED || status == TradeResult.Status.PENDING ? null
        : state + (t.hasNonNull("trade_state_desc") ? ": " + t.get("trade_state_desc").asText() : "");
    return new TradeResult(status, txn.isEmpty() ? null : txn, t.path("amount").path("total").asLong(0), null, reason);
  }

  private static RefundResult refund(JsonNode r) {
    String state = r.path("status").asText("");
    switch (state) {
      case "SUCCESS":
        return new RefundResult(RefundResult.Status.SUCCEEDED, null);
      case "PROCESSING":
        return new RefundResult(RefundResult.Status.PROCESSING, null);
      case "ABNORMAL":
      case "CLOSED":
        return new RefundResult(RefundResult.Status.REJECTED, "refund " + state);
      default:
        throw new WechatPayCallFailed("a refund status WeChat Pay does not document: " + state);
    }
  }

  private static String description(String text) {
    String d = text == null || text.isBlank() ? "order" : text.strip();
    return d.codePointCount(0, d.length()) <= DESCRIPTION_MAX ? d : d.substring(0, d.offsetByCodePoints(0, DESCRIPTION_MAX));
  }

  // ---- the daily trade bill

  private CompletionStage<List<StatementLine>> bill(LocalDate day) {
    return call("GET", "/v3/bill/tradebill?bill_date=" + day + "&bill_type=ALL", null).thenCompose(a -> {
      if (a.status() == 400 && "NO_STATEMENT_EXIST".equals(a.code())) return done(List.<StatementLine>of());
      if (a.status() != 200 || !a.body().hasNonNull("download_url")) throw a.unexpected();
      String hashType = a.body().path("hash_type").asText("");
      String hash = a.body().path("hash_value").asText("");
      URI url = URI.create(a.body().get("download_url").asText());
      String pathAndQuery = url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
      return download(pathAndQuery).thenApply(file -> {
        if (!"SHA1".equalsIgnoreCase(hashType) || !sha1(file).equalsIgnoreCase(hash)) {
          throw new WechatPayCallFailed("the trade bill of " + day + " does not match the hash WeChat Pay signed");
        }
        return WechatTradeBill.parse(new String(file, StandardCharsets.UTF_8));
      });
    });
  }

  /**
   * Downloads a bill file. WeChat Pay does not sign the file itself: the hash in the signed answer that
   * named it stands for it. The download goes to {@code baseUrl}, not to the host in the link, so a
   * proxy or the emulator serves it too.
   */
  private CompletionStage<byte[]> download(String pathAndQuery) {
    var auth = WechatPayAuthorization.sign(config.mchId(), signer, "GET", pathAndQuery, "", clock.instant());
    HttpRequest request = HttpRequest.newBuilder(URI.create(config.baseUrl() + pathAndQuery)).timeout(TIMEOUT)
        .header("Authorization", auth.header()).header("User-Agent", USER_AGENT).GET().build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).thenApply(r -> {
      if (r.statusCode() != 200) throw new WechatPayCallFailed("GET " + pathAndQuery + ": " + r.statusCode());
      return r.body();
    });
  }

  private static String sha1(byte[] file) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(file));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-1", e);
    }
  }

  // ---- the wire

  /** A signed answer, believed: its status and its JSON (missing when the body is empty). */
  private record Answer(String call, int status, JsonNode body) {
    String code() {
      return body.path("code").asText("");
    }

    String message() {
      return body.path("message").asText("");
    }

    WechatPayCallFailed unexpected() {
      return new WechatPayCallFailed(call + ": an answer WeChat Pay does not document here: " + status
          + (code().isEmpty() ? "" : " " + code() + " " + message()));
    }
  }

  private CompletionStage<Answer> call(String method, String pathAndQuery, JsonNode body) {
    String text;
    try {
      text = body == null ? "" : JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a request", e);
    }
    var auth = WechatPayAuthorization.sign(config.mchId(), signer, method, pathAndQuery, text, clock.instant());
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(config.baseUrl() + pathAndQuery)).timeout(TIMEOUT)
        .header("Authorization", auth.header())
        .header("Accept", "application/json")
        .header("User-Agent", USER_AGENT);
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8));
    }
    String name = method + " " + pathAndQuery;
    return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
        .thenApply(r -> believe(name, r));
  }

  private Answer believe(String name, HttpResponse<String> response) {
    int status = response.statusCode();
    String body = response.body() == null ? "" : response.body();
    if (status >= 500) throw new WechatPayCallFailed(name + ": WeChat Pay answered " + status);
    HttpHeaders h = response.headers();
    String serial = h.firstValue("Wechatpay-Serial").orElse(null);
    String signature = h.firstValue("Wechatpay-Signature").orElse(null);
    String timestamp = h.firstValue("Wechatpay-Timestamp").orElse(null);
    String nonce = h.firstValue("Wechatpay-Nonce").orElse(null);
    if (serial == null || signature == null || timestamp == null || nonce == null) {
      throw new WechatPayCallFailed(name + ": an answer (" + status + ") without WeChat Pay's signature");
    }
    if (!serial.equals(config.publicKeyId())) {
      throw new WechatPayCallFailed(name + ": an answer signed with " + serial + ", not " + config.publicKeyId());
    }
    if (!fresh(timestamp)) throw new WechatPayCallFailed(name + ": an answer signed more than 5 minutes from now");
    if (!verifies(serial, WechatPayAuthorization.answerMessage(timestamp, nonce, body), signature)) {
      throw new WechatPayCallFailed(name + ": an answer whose signature does not verify");
    }
    if (body.isEmpty()) return new Answer(name, status, MissingNode.getInstance());
    JsonNode json;
    try {
      json = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new WechatPayCallFailed(name + ": an answer (" + status + ") that is not JSON");
    }
    if (json == null || !json.isObject()) throw new WechatPayCallFailed(name + ": an answer (" + status + ") that is not a JSON object");
    if (json.path("code").asText("").startsWith("SYSTEM")) {
      throw new WechatPayCallFailed(name + ": WeChat Pay's system error " + json.path("code").asText());
    }
    return new Answer(name, status, json);
  }

  private boolean verifies(String serial, String message, String signature) {
    try {
      return verifier.verify(serial, message, signature);
    } catch (RuntimeException e) {
      return false;
    }
  }

  private boolean fresh(String timestamp) {
    try {
      long seconds = Long.parseLong(timestamp.strip());
      return Math.abs(clock.instant().getEpochSecond() - seconds) <= MAX_SKEW.toSeconds();
    } catch (NumberFormatException e) {
      return false;
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
