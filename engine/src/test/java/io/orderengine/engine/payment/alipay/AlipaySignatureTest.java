package io.orderengine.engine.payment.alipay;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Alipay's RSA2 rule against the examples of its own open-platform documentation: what is signed
 * in a request (「自行实现签名」), what is verified in an async notification (「异步通知验签」),
 * and which text of an answer is verified (「同步响应参数验签」). The documents publish no key
 * pair, so the signature itself is checked with keys made here.
 */
class AlipaySignatureTest {
  private static final KeyPair KEYS = AlipayEmulator.generateKeys();
  private static final KeyPair OTHER = AlipayEmulator.generateKeys();

  /** 「自行实现签名」: the request of alipay.mobile.public.menu.add and its 待签名字符串, as documented. */
  @Test
  void aRequestIsSignedOverItsSortedParametersWithSignTypeAndWithoutSign() {
    String biz = "{\"button\":[{\"actionParam\":\"ZFB_HFCZ\",\"actionType\":\"out\",\"name\":\"话费充值\"},"
        + "{\"name\":\"查询\",\"subButton\":[{\"actionParam\":\"ZFB_YECX\",\"actionType\":\"out\",\"name\":\"余额查询\"},"
        + "{\"actionParam\":\"ZFB_LLCX\",\"actionType\":\"out\",\"name\":\"流量查询\"},"
        + "{\"actionParam\":\"ZFB_HFCX\",\"actionType\":\"out\",\"name\":\"话费查询\"}]},"
        + "{\"actionParam\":\"http://m.alipay.com\",\"actionType\":\"link\",\"name\":\"最新优惠\"}]}";
    Map<String, String> request = new LinkedHashMap<>();
    request.put("app_id", "2014072300007148");
    request.put("method", "alipay.mobile.public.menu.add");
    request.put("charset", "GBK");
    request.put("sign_type", "RSA2");
    request.put("timestamp", "2014-07-24 03:07:50");
    request.put("biz_content", biz);
    request.put("sign", "e9zEAe4TTQ4LPLQvETPoLGXTiURcxiAKfMVQ6Hrrsx2hmyIEGvSfAQzbLxHrhyZ48wOJXTsD4FPnt+YGdK57+fP1BCbf9rIVycfjhYC"
        + "qlFhbTu9pFnZgT55W+xbAFb9y7vL0MyAxwXUXvZtQVqEwW7pURtKilbcBTEW7TAxzgro=");
    request.put("version", "1.0");
    request.put("notify_url", ""); // an empty parameter is left out

    assertThat(AlipaySignature.requestContent(request)).isEqualTo("app_id=2014072300007148&biz_content=" + biz
        + "&charset=GBK&method=alipay.mobile.public.menu.add&sign_type=RSA2&timestamp=2014-07-24 03:07:50&version=1.0");
  }

  /**
   * 「异步通知验签」: the documented notification of trade 2016071921001003030200089909, decoded.
   * The document's 待验签字符串 omits {@code gmt_create} although the notification carries it: the
   * rule (every parameter but sign and sign_type) keeps it, between gmt_close and gmt_payment.
   */
  @Test
  void aNotificationIsVerifiedOverItsSortedParametersWithoutSignAndSignType() {
    Map<String, String> notification = new LinkedHashMap<>();
    String[] documented = ("total_amount=2.00&buyer_id=2088102116773037&body=大乐透2.1&trade_no=2016071921001003030200089909"
        + "&refund_fee=0.00&notify_time=2016-07-19 14:10:49&subject=大乐透2.1&sign_type=RSA2&charset=utf-8"
        + "&notify_type=trade_status_sync&out_trade_no=0719141034-6418&gmt_close=2016-07-19 14:10:46"
        + "&gmt_payment=2016-07-19 14:10:47&trade_status=TRADE_SUCCESS&version=1.0"
        + "&sign=kPbQIjX+xQc8F0/A6/AocELIjhhZnGbcBN6G4MM/HmfWL4ZiHM6fWl5NQhzXJusaklZ1LFuMo+lHQUELAYeugH8LYFvxnNajOvZhuxNFbN2"
        + "LhF0l/KL8ANtj8oyPM4NN7Qft2kWJTDJUpQOzCzNnV9hDxh5AaT9FPqRS6ZKxnzM="
        + "&gmt_create=2016-07-19 14:10:44&app_id=2015102700040153&seller_id=2088102119685838"
        + "&notify_id=4a91b7a78a503640467525113fb7d8bg8e").split("&");
    for (String pair : documented) notification.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));

    assertThat(AlipaySignature.notificationContent(notification)).isEqualTo("app_id=2015102700040153&body=大乐透2.1"
        + "&buyer_id=2088102116773037&charset=utf-8&gmt_close=2016-07-19 14:10:46&gmt_create=2016-07-19 14:10:44"
        + "&gmt_payment=2016-07-19 14:10:47&notify_id=4a91b7a78a503640467525113fb7d8bg8e&notify_time=2016-07-19 14:10:49"
        + "&notify_type=trade_status_sync&out_trade_no=0719141034-6418&refund_fee=0.00&seller_id=2088102119685838"
        + "&subject=大乐透2.1&total_amount=2.00&trade_no=2016071921001003030200089909&trade_status=TRADE_SUCCESS&version=1.0");
  }

  /** 「同步响应参数验签」: the documented answer of alipay.trade.refund; what is verified is its response object, verbatim. */
  @Test
  void anAnswerIsVerifiedOverTheExactTextOfItsResponseObject() {
    String response = "{\"code\":\"10000\",\"msg\":\"Success\",\"buyer_logon_id\":\"dvr***@sandbox.com\","
        + "\"buyer_user_id\":\"2088102174881929\",\"fund_change\":\"Y\",\"gmt_refund_pay\":\"2018-06-20 10:51:02\","
        + "\"out_trade_no\":\"2018620104753419\",\"refund_fee\":\"0.01\",\"send_back_fee\":\"0.00\","
        + "\"trade_no\":\"2018062021001004920200514505\"}";
    String body = "{\"alipay_trade_refund_response\":" + response + ",\"sign\":\"A/XC4scJe8dF/Gv29g/dzf6bkBtz5H0pnv4eDZzEpz/0"
        + "QFlQFNqk9dSS072MTZMbZO1h9M//8PntWCNPRQAEYdkS4vBVcHPbJnDkdFjD75bI/ZwXZEJaH4OWmkV4vvJD4/K1MVXLRXpiKtzwVMPGyBn0L2Yv"
        + "fIi3I/5dOGPYwI2sq6NalCfJydr3dwJ4Jf36Od/5jnofMv0IE2joyReywQhL45vOtGzsJhvJ5WUsxezuyK3UJ4SXmy6dNZb1qGRNlYeoaLiKTQ50G"
        + "Ope7IdQsBOFz88Tg/DcqRgbrTak97A3WOYiTWG2HgD5nRWOmHrQ6KdJbfiYzYSfkjUmwly19g==\"}";

    assertThat(AlipaySignature.memberText(body, "alipay_trade_refund_response")).contains(response);
    assertThat(AlipaySignature.memberText(body, "alipay_trade_query_response")).isEmpty();
  }

  @Test
  void theResponseTextIsCutAsWrittenEvenWithBracesInStringsAndSpacing() {
    String response = "{ \"code\" : \"40004\", \"sub_msg\": \"交易不存在 } {\", \"nested\": {\"a\": [1, {\"b\": \"}\"}]} }";
    String body = "{\"sign\":\"x\", \"alipay_trade_query_response\" : " + response + " }";
    assertThat(AlipaySignature.memberText(body, "alipay_trade_query_response")).contains(response);
    assertThat(AlipaySignature.memberText("<html>502</html>", "alipay_trade_query_response")).isEmpty();
    assertThat(AlipaySignature.memberText("{\"alipay_trade_query_response\":\"text\"}", "alipay_trade_query_response")).isEmpty();
  }

  @Test
  void aSignatureVerifiesWithItsOwnKeyOverItsOwnContentOnly() {
    String content = "app_id=2021000000000001&biz_content={\"out_trade_no\":\"T1\"}&charset=utf-8&method=alipay.trade.query";
    String sign = AlipaySignature.sign(content, KEYS.getPrivate());

    assertThat(AlipaySignature.verify(content, sign, KEYS.getPublic())).isTrue();
    assertThat(AlipaySignature.verify(content + "&x=1", sign, KEYS.getPublic())).isFalse();
    assertThat(AlipaySignature.verify(content, sign, OTHER.getPublic())).isFalse();
    assertThat(AlipaySignature.verify(content, "not base64 !", KEYS.getPublic())).isFalse();
    assertThat(AlipaySignature.verify(content, null, KEYS.getPublic())).isFalse();
  }

  @Test
  void keysReadWithOrWithoutTheirPemArmour() {
    String pem = AlipaySignature.pem(KEYS.getPublic());
    String bare = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    assertThat(AlipaySignature.publicKey(bare)).isEqualTo(KEYS.getPublic());
    assertThat(AlipaySignature.privateKey(AlipaySignature.pem(KEYS.getPrivate()))).isEqualTo(KEYS.getPrivate());
  }
}
