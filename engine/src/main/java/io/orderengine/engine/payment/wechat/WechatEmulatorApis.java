package io.orderengine.engine.payment.wechat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderengine.engine.payment.wire.WireRequest;
import io.orderengine.engine.payment.wire.WireResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The WeChat Pay APIs the emulator serves, each checked and answered as WeChat Pay does: the
 * request's merchant signature first, then the order's fields, then the trade's state in the
 * {@link WechatEmulatorBook}.
 */
final class WechatEmulatorApis {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TRADES = "/v3/pay/transactions/out-trade-no/";
  private static final String REFUNDS = "/v3/refund/domestic/refunds";
  static final String DOWNLOAD = "/v3/billdownload/file";

  private final WechatPayEmulator emulator;
  private final WechatEmulatorBook book;

  WechatEmulatorApis(WechatPayEmulator emulator, WechatEmulatorBook book) {
    this.emulator = emulator;
    this.book = book;
  }

  WireResponse serve(WireRequest r) {
    String pathAndQuery = r.path() + (r.query().isEmpty() ? "" : "?" + r.query());
    Optional<WechatPayAuthorization> auth = WechatPayAuthorization.parse(r.header("Authorization"));
    if (auth.isEmpty()) return emulator.error(401, "SIGN_ERROR", "Authorization 头缺失或格式错误");
    WechatPayEmulator.Merchant m = emulator.merchant(auth.get().mchId());
    if (m == null || !m.serialNo().equals(auth.get().serialNo()) || !emulator.fresh(auth.get().timestamp())
        || !emulator.verifies(m, auth.get(), WechatPayAuthorization.requestMessage(r.method(), pathAndQuery,
            auth.get().timestamp(), auth.get().nonce(), r.body()))) {
      return emulator.error(401, "SIGN_ERROR", "签名错误");
    }
    JsonNode body;
    try {
      body = r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
    } catch (JsonProcessingException e) {
      return emulator.error(400, "PARAM_ERROR", "请求体不是合法的JSON");
    }
    if (body.has("mchid") && !m.mchId().equals(body.path("mchid").asText())) {
      return emulator.error(400, "INVALID_REQUEST", "请求的商户号与签名的商户号不一致");
    }
    Map<String, String> query = query(r.query());
    String path = r.path();
    if (r.method().equals("POST") && path.equals("/v3/pay/transactions/native")) return nativeTrade(m, body);
    if (r.method().equals("POST") && path.equals("/v3/pay/transactions/jsapi")) return jsapiTrade(m, body);
    if (r.method().equals("POST") && path.equals("/v3/pay/transactions/codepay")) return codepay(m, body);
    if (path.startsWith(TRADES)) {
      String[] parts = path.substring(TRADES.length()).split("/");
      String no = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
      if (r.method().equals("GET") && parts.length == 1) {
        if (!m.mchId().equals(query.get("mchid"))) return emulator.error(400, "PARAM_ERROR", "缺少或错误的 mchid");
        return queryTrade(m, no);
      }
      if (r.method().equals("POST") && parts.length == 2 && parts[1].equals("close")) return closeTrade(m, no);
      if (r.method().equals("POST") && parts.length == 2 && parts[1].equals("reverse")) return reverseTrade(m, no);
    }
    if (r.method().equals("POST") && path.equals(REFUNDS)) return refund(m, body);
    if (r.method().equals("GET") && path.startsWith(REFUNDS + "/")) {
      return queryRefund(m, URLDecoder.decode(path.substring(REFUNDS.length() + 1), StandardCharsets.UTF_8));
    }
    if (r.method().equals("GET") && path.equals("/v3/bill/tradebill")) return tradeBill(m, query);
    if (r.method().equals("GET") && path.equals(DOWNLOAD)) return download(query.getOrDefault("token", ""));
    return emulator.error(404, "NOT_FOUND", "没有这个接口: " + r.method() + " " + path);
  }

  private WireResponse nativeTrade(WechatPayEmulator.Merchant m, JsonNode b) {
    Optional<WireResponse> invalid = invalidOrder(m, b);
    if (invalid.isPresent()) return invalid.get();
    String no = b.get("out_trade_no").asText();
    String token = UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    EmulatedTrade fresh = new EmulatedTrade(m.mchId(), m.appId(), no, "NATIVE", "NOTPAY", "订单未支付",
        b.path("amount").path("total").asLong(), b.path("description").asText(), text(b, "attach"), text(b, "notify_url"),
        token, null, emulator.now(), null, 0);
    EmulatedTrade t = book.create(fresh);
    if (!t.mchId().equals(m.mchId()) || !t.tradeType().equals("NATIVE") || t.totalMinor() != fresh.totalMinor()) {
      return emulator.error(400, "OUT_TRADE_NO_USED", "商户订单号重复");
    }
    if (t.paid()) return emulator.error(400, "ORDERPAID", "该订单已支付");
    if (!t.open()) return emulator.error(400, "ORDER_CLOSED", "该订单已关闭");
    return emulator.ok(JSON.createObjectNode().put("code_url", emulator.codeUrl(t)));
  }

  /**
   * JSAPI (paid inside WeChat): the order's checks as for Native, and a payer's openid, which WeChat Pay
   * takes only for the app id the order names (here: the merchant's, already checked). Answered
   * {@code prepay_id}; the same number again with the same amount answers the same prepay id.
   */
  private WireResponse jsapiTrade(WechatPayEmulator.Merchant m, JsonNode b) {
    Optional<WireResponse> invalid = invalidOrder(m, b);
    if (invalid.isPresent()) return invalid.get();
    String openid = b.path("payer").path("openid").asText("");
    if (openid.isEmpty()) return emulator.error(400, "PARAM_ERROR", "缺少参数 payer.openid");
    if (!openid.matches("[A-Za-z0-9_-]{1,128}")) return emulator.error(400, "PARAM_ERROR", "payer.openid 格式错误");
    if (!b.hasNonNull("notify_url")) return emulator.error(400, "PARAM_ERROR", "缺少参数 notify_url");
    String no = b.get("out_trade_no").asText();
    String prepay = "wx" + UUID.randomUUID().toString().replace("-", "").substring(0, 30);
    EmulatedTrade fresh = new EmulatedTrade(m.mchId(), m.appId(), no, "JSAPI", "NOTPAY", "订单未支付",
        b.path("amount").path("total").asLong(), b.path("description").asText(), text(b, "attach"), text(b, "notify_url"),
        prepay, null, emulator.now(), null, 0, openid);
    EmulatedTrade t = book.create(fresh);
    if (!t.mchId().equals(m.mchId()) || !t.tradeType().equals("JSAPI") || t.totalMinor() != fresh.totalMinor()
        || !openid.equals(t.payerOpenid())) {
      return emulator.error(400, "OUT_TRADE_NO_USED", "商户订单号重复");
    }
    if (t.paid()) return emulator.error(400, "ORDERPAID", "该订单已支付");
    if (!t.open()) return emulator.error(400, "ORDER_CLOSED", "该订单已关闭");
    return emulator.ok(JSON.createObjectNode().put("prepay_id", t.token()));
  }

  private WireResponse codepay(WechatPayEmulator.Merchant m, JsonNode b) {
    Optional<WireResponse> invalid = invalidOrder(m, b);
    if (invalid.isPresent()) return invalid.get();
    String no = b.get("out_trade_no").asText();
    String code = b.path("payer").path("auth_code").asText("");
    long total = b.path("amount").path("total").asLong();
    Optional<EmulatedTrade> existing = book.trade(no);
    if (existing.isPresent()) {
      EmulatedTrade t = existing.get();
      if (!t.mchId().equals(m.mchId()) || !t.tradeType().equals("MICROPAY") || t.totalMinor() != total) {
        return emulator.error(400, "OUT_TRADE_NO_USED", "商户订单号重复");
      }
      return codepayAnswer(t);
    }
    if (code.startsWith("DECLINE")) {
      return codepayAnswer(book.create(trade(m, b, "MICROPAY", "PAYERROR", "余额不足")));
    }
    if (!code.startsWith("USERPAYING") && !emulator.acceptsAnyCode() && !code.matches("1[0-5][0-9]{16}")) {
      return emulator.error(400, "AUTH_CODE_INVALID", "付款码无效，请重新扫码");
    }
    EmulatedTrade waiting = trade(m, b, "MICROPAY", "USERPAYING", "需要用户输入支付密码");
    return codepayAnswer(book.create(code.startsWith("USERPAYING") ? waiting
        : waiting.paidAt(emulator.transactionId("4200"), emulator.now())));
  }

  private WireResponse codepayAnswer(EmulatedTrade t) {
    if (t.state().equals("USERPAYING")) return emulator.error(202, "USERPAYING", "需要用户输入支付密码");
    if (t.state().equals("PAYERROR")) return emulator.error(403, "NOTENOUGH", "用户账户余额不足");
    if (!t.paid()) return emulator.error(400, "ORDER_CLOSED", "该订单已关闭");
    return emulator.ok(t.json());
  }

  private Optional<WireResponse> invalidOrder(WechatPayEmulator.Merchant m, JsonNode b) {
    if (!m.appId().equals(b.path("appid").asText())) {
      return Optional.of(emulator.error(400, "APPID_MCHID_NOT_MATCH", "appid和mchid不匹配"));
    }
    if (!b.path("out_trade_no").asText("").matches("[A-Za-z0-9_\\-|*]{6,32}")) {
      return Optional.of(emulator.error(400, "PARAM_ERROR", "out_trade_no 格式错误"));
    }
    String description = b.path("description").asText("");
    if (description.isEmpty() || description.codePointCount(0, description.length()) > 127) {
      return Optional.of(emulator.error(400, "PARAM_ERROR", "description 长度应为1到127"));
    }
    if (b.path("attach").asText("").length() > 128) return Optional.of(emulator.error(400, "PARAM_ERROR", "attach 超过128个字符"));
    if (b.path("amount").path("total").asLong(0) <= 0 || !"CNY".equals(b.path("amount").path("currency").asText("CNY"))) {
      return Optional.of(emulator.error(400, "PARAM_ERROR", "amount 错误"));
    }
    return Optional.empty();
  }

  private EmulatedTrade trade(WechatPayEmulator.Merchant m, JsonNode b, String type, String state, String desc) {
    return new EmulatedTrade(m.mchId(), m.appId(), b.get("out_trade_no").asText(), type, state, desc,
        b.path("amount").path("total").asLong(), b.path("description").asText(), text(b, "attach"), null, null, null,
        emulator.now(), null, 0);
  }

  private WireResponse queryTrade(WechatPayEmulator.Merchant m, String no) {
    return book.trade(m.mchId(), no).map(t -> emulator.ok(t.json()))
        .orElseGet(() -> emulator.error(404, "ORDER_NOT_EXIST", "订单不存在"));
  }

  private WireResponse closeTrade(WechatPayEmulator.Merchant m, String no) {
    if (book.trade(m.mchId(), no).isEmpty()) return emulator.error(404, "ORDER_NOT_EXIST", "订单不存在");
    EmulatedTrade after = book.change(no, was -> was.open() ? was.in("CLOSED", "订单已关闭") : was).orElseThrow();
    if (after.paid()) return emulator.error(400, "ORDERPAID", "订单已支付");
    return emulator.signedEmpty(204);
  }

  /** Reversal (撤销) of a codepay trade: an unpaid one is revoked, a paid one revoked and its money returned. */
  private WireResponse reverseTrade(WechatPayEmulator.Merchant m, String no) {
    Optional<EmulatedTrade> t = book.trade(m.mchId(), no);
    if (t.isEmpty()) return emulator.error(404, "ORDER_NOT_EXIST", "订单不存在");
    if (!t.get().tradeType().equals("MICROPAY")) return emulator.error(400, "INVALID_REQUEST", "只有付款码支付的订单可以撤销");
    book.change(no, was -> was.state().equals("REFUND") ? was : was.in("REVOKED", "已撤销"));
    return emulator.ok(JSON.createObjectNode().put("appid", m.appId()).put("mchid", m.mchId()).put("out_trade_no", no));
  }

  private WireResponse refund(WechatPayEmulator.Merchant m, JsonNode b) {
    String outTradeNo = b.path("out_trade_no").asText("");
    String outRefundNo = b.path("out_refund_no").asText("");
    if (!outRefundNo.matches("[A-Za-z0-9_\\-|*@]{1,64}")) return emulator.error(400, "PARAM_ERROR", "out_refund_no 格式错误");
    Optional<EmulatedRefund> seen = book.refund(outRefundNo);
    if (seen.isPresent()) {
      if (!seen.get().mchId().equals(m.mchId())) return emulator.error(400, "INVALID_REQUEST", "退款单号重复");
      return emulator.ok(emulator.settleIfDue(seen.get()).json());
    }
    Optional<EmulatedTrade> found = book.trade(m.mchId(), outTradeNo);
    if (found.isEmpty()) return emulator.error(404, "RESOURCE_NOT_EXISTS", "订单不存在");
    EmulatedTrade t = found.get();
    if (!t.paid()) return emulator.error(400, "INVALID_REQUEST", "订单未支付，不能退款");
    long amount = b.path("amount").path("refund").asLong(0);
    if (b.path("amount").path("total").asLong(0) != t.totalMinor()) return emulator.error(400, "PARAM_ERROR", "订单金额与原订单不一致");
    if (amount <= 0) return emulator.error(400, "INVALID_REQUEST", "申请退款金额超过订单可退金额");
    EmulatedRefund fresh = new EmulatedRefund(m.mchId(), outRefundNo, emulator.transactionId("5030"), outTradeNo,
        t.transactionId(), amount, t.totalMinor(), "PROCESSING", text(b, "notify_url"), emulator.now(), null);
    Optional<EmulatedRefund> booked = book.bookRefund(fresh);
    if (booked.isEmpty()) return emulator.error(400, "INVALID_REQUEST", "申请退款金额超过订单可退金额");
    if (booked.get().equals(fresh)) emulator.settleLater(fresh);
    return emulator.ok(booked.get().json());
  }

  private WireResponse queryRefund(WechatPayEmulator.Merchant m, String outRefundNo) {
    return book.refund(m.mchId(), outRefundNo).map(r -> emulator.ok(emulator.settleIfDue(r).json()))
        .orElseGet(() -> emulator.error(404, "RESOURCE_NOT_EXISTS", "退款单不存在"));
  }

  /** The trade bill of a Beijing day: trades paid and refunds paid back that day. */
  private WireResponse tradeBill(WechatPayEmulator.Merchant m, Map<String, String> query) {
    LocalDate day;
    try {
      day = LocalDate.parse(query.getOrDefault("bill_date", ""));
    } catch (RuntimeException e) {
      return emulator.error(400, "PARAM_ERROR", "bill_date 格式错误");
    }
    if (day.isAfter(emulator.now().atZone(EmulatedTrade.CHINA).toLocalDate())) {
      return emulator.error(400, "NO_STATEMENT_EXIST", "账单日期不能是将来");
    }
    WechatEmulatorBook.Day booked = book.day(m.mchId(), day);
    List<WechatTradeBill.Row> rows = new ArrayList<>();
    booked.trades().stream().flatMap(no -> book.trade(m.mchId(), no).stream())
        .sorted(Comparator.comparing(EmulatedTrade::successTime))
        .forEach(t -> rows.add(new WechatTradeBill.Row(t.successTime(), t.appId(), t.mchId(), t.transactionId(),
            t.outTradeNo(), t.tradeType(), "SUCCESS", t.totalMinor(), t.description(), t.attach(), null, null, 0, null)));
    booked.refunds().stream().flatMap(no -> book.refund(m.mchId(), no).stream())
        .filter(r -> r.successTime() != null)
        .sorted(Comparator.comparing(EmulatedRefund::successTime))
        .forEach(r -> {
          EmulatedTrade t = book.trade(r.outTradeNo()).orElseThrow();
          rows.add(new WechatTradeBill.Row(r.successTime(), t.appId(), t.mchId(), t.transactionId(), t.outTradeNo(),
              t.tradeType(), "REFUND", t.totalMinor(), t.description(), t.attach(), r.refundId(), r.outRefundNo(),
              r.refundMinor(), r.status()));
        });
    if (rows.isEmpty()) return emulator.error(400, "NO_STATEMENT_EXIST", "账单文件不存在");
    String file = WechatTradeBill.write(rows);
    String token = UUID.randomUUID().toString().replace("-", "");
    book.keepBill(token, file);
    return emulator.ok(JSON.createObjectNode().put("hash_type", "SHA1")
        .put("hash_value", WechatPayEmulator.sha1(file.getBytes(StandardCharsets.UTF_8)))
        .put("download_url", WechatPayConfig.DEFAULT_BASE_URL + DOWNLOAD + "?token=" + token));
  }

  /** A bill file: WeChat Pay does not sign it, the hash in the signed answer that named it does. */
  private WireResponse download(String token) {
    return book.bill(token)
        .map(file -> new WireResponse(200, Map.of("Content-Type", "text/plain; charset=utf-8"),
            file.getBytes(StandardCharsets.UTF_8)))
        .orElseGet(() -> emulator.error(404, "RESOURCE_NOT_EXISTS", "账单不存在或已过期"));
  }

  private static String text(JsonNode b, String field) {
    return b.hasNonNull(field) ? b.get(field).asText() : null;
  }

  private static Map<String, String> query(String query) {
    Map<String, String> params = new HashMap<>();
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) continue;
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      params.put(name, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return params;
  }
}
