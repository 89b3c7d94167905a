package io.orderengine.engine.payment.wechat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class WechatTradeNumbersTest {
  private static final String WECHAT_TRADE_NO = "[A-Za-z0-9_\\-|*]{6,32}";
  private static final String WECHAT_REFUND_NO = "[A-Za-z0-9_\\-|*@]{1,64}";

  @Property
  void everyPaymentIdBecomesAValidOutTradeNo(@ForAll("paymentIds") String id) {
    assertThat(WechatTradeNumbers.outTradeNo(id)).matches(WECHAT_TRADE_NO);
  }

  @Property
  void anIdThatFitsReadsBackAndALongerOneDoesNot(@ForAll("paymentIds") String id) {
    String wire = WechatTradeNumbers.outTradeNo(id);
    if (id.length() <= WechatTradeNumbers.TRADE_MAX) {
      assertThat(WechatTradeNumbers.paymentId(wire)).contains(id);
    } else {
      assertThat(WechatTradeNumbers.paymentId(wire)).isEmpty();
    }
  }

  @Property
  void twoIdsNeverShareATradeNumber(@ForAll("paymentIds") String a, @ForAll("paymentIds") String b) {
    if (!a.equals(b)) assertThat(WechatTradeNumbers.outTradeNo(a)).isNotEqualTo(WechatTradeNumbers.outTradeNo(b));
    assertThat(WechatTradeNumbers.outTradeNo(a)).isEqualTo(WechatTradeNumbers.outTradeNo(a));
  }

  @Property
  void refundNumbersAreValidAndReadBackWhenTheyFit(@ForAll("paymentIds") String id) {
    String refundNo = id + "-R1";
    String wire = WechatTradeNumbers.outRefundNo(refundNo);
    assertThat(wire).matches(WECHAT_REFUND_NO);
    if (refundNo.length() <= WechatTradeNumbers.REFUND_MAX) assertThat(WechatTradeNumbers.refundNo(wire)).contains(refundNo);
  }

  @Property
  void aRefundCallbackFindsItsPaymentEvenBehindADigest(@ForAll("paymentIds") String id) {
    String refundNo = id + "-R2";
    assertThat(WechatTradeNumbers.paymentIdOfRefund(WechatTradeNumbers.outTradeNo(id), refundNo)).contains(id);
  }

  @Example
  void dotsAndShortIdsAreWrittenInWechatsAlphabet() {
    assertThat(WechatTradeNumbers.outTradeNo("p.1")).isEqualTo("p*1|||");
    assertThat(WechatTradeNumbers.paymentId("p*1|||")).contains("p.1");
    assertThat(WechatTradeNumbers.outTradeNo("x".repeat(40))).startsWith("|").hasSize(32);
  }

  @Example
  void whatIsNotOursIsRefused() {
    assertThatThrownBy(() -> WechatTradeNumbers.outTradeNo("a b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WechatTradeNumbers.outTradeNo("x".repeat(129))).isInstanceOf(IllegalArgumentException.class);
    assertThat(WechatTradeNumbers.paymentId("ab#cdef")).isEmpty();
  }

  @Provide
  Arbitrary<String> paymentIds() {
    return Arbitraries.strings().withChars("abcXYZ0189_.-").ofMinLength(1).ofMaxLength(WechatTradeNumbers.ATTACH_MAX);
  }
}
