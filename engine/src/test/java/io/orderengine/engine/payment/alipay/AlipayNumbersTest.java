package io.orderengine.engine.payment.alipay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/**
 * Our numbers in Alipay's: always 64 letters, digits and underscores at most, the same every time,
 * never two ids on one number, and read back from what Alipay returns.
 */
class AlipayNumbersTest {
  private static final String ALIPAY_NO = "[A-Za-z0-9_]{1,64}";

  @Provide
  Arbitrary<String> ids() {
    return Arbitraries.strings().withChars("abcXYZ019_.-").ofMinLength(1).ofMaxLength(AlipayNumbers.MAX_BODY);
  }

  @Property
  void aTradeNumberFitsAlipayAndReadsBack(@ForAll("ids") String id) {
    String out = AlipayNumbers.outTradeNo(id);
    assertThat(out).matches(ALIPAY_NO).isEqualTo(AlipayNumbers.outTradeNo(id));
    String body = AlipayNumbers.carriedInBody(id) ? id : null;
    assertThat(AlipayNumbers.tradeNo(out, body)).contains(id);
  }

  @Property
  void twoTradeNumbersNeverShareAnOutTradeNo(@ForAll("ids") String a, @ForAll("ids") String b) {
    Assume.that(!a.equals(b));
    assertThat(AlipayNumbers.outTradeNo(a)).isNotEqualTo(AlipayNumbers.outTradeNo(b));
  }

  @Property
  void aRefundNumberFitsAlipayAndReadsBackUnlessItIsADigest(@ForAll("ids") String trade, @ForAll("ids") String suffix,
      @ForAll boolean extendsTheTrade) {
    String refund = extendsTheTrade ? trade + suffix : suffix;
    String out = AlipayNumbers.outRequestNo(trade, refund);
    assertThat(out).matches(ALIPAY_NO);
    if (!out.startsWith("_z")) assertThat(AlipayNumbers.refundNo(trade, out)).contains(refund);
  }

  @Property
  void twoRefundsOfOneTradeNeverShareAnOutRequestNo(@ForAll("ids") String trade, @ForAll("ids") String a,
      @ForAll("ids") String b) {
    Assume.that(!a.equals(b));
    assertThat(AlipayNumbers.outRequestNo(trade, trade + a)).isNotEqualTo(AlipayNumbers.outRequestNo(trade, trade + b));
    assertThat(AlipayNumbers.outRequestNo(trade, a)).isNotEqualTo(AlipayNumbers.outRequestNo(trade, b));
  }

  @Example
  void shortIdsStayReadableAndTheSagasRefundNumbersAreShort() {
    assertThat(AlipayNumbers.outTradeNo("T01-0001-B1-P1")).isEqualTo("T01_h0001_hB1_hP1");
    String longId = "venue-with-a-rather-long-name.table-0042.bill-20261203-0001-P1-and-more";
    assertThat(AlipayNumbers.outTradeNo(longId)).startsWith("_z").hasSize(64);
    assertThat(AlipayNumbers.outRequestNo(longId, longId + "-R1")).isEqualTo("_s_hR1");
    assertThat(AlipayNumbers.refundNo(longId, "_s_hRBACK")).contains(longId + "-RBACK");
  }

  @Example
  void whatIsNotOursDoesNotReadBack() {
    assertThat(AlipayNumbers.tradeNo("a_x", null)).isEmpty();
    assertThat(AlipayNumbers.tradeNo("_z" + "0".repeat(62), "someone-else")).isEmpty();
    assertThat(AlipayNumbers.tradeNo("", null)).isEmpty();
    assertThatThrownBy(() -> AlipayNumbers.outTradeNo("has space")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AlipayNumbers.outTradeNo("x".repeat(AlipayNumbers.MAX_BODY + 1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Property
  void yuanAndFenConvertExactly(@ForAll @LongRange(min = 0, max = 10_000_000_000L) long fen) {
    String yuan = Yuan.of(fen);
    assertThat(yuan).matches("[0-9]+\\.[0-9]{2}");
    assertThat(Yuan.fen(yuan)).isEqualTo(fen);
  }

  @Example
  void aFractionOfAFenIsNoAmount() {
    assertThat(Yuan.of(1234)).isEqualTo("12.34");
    assertThat(Yuan.of(5)).isEqualTo("0.05");
    assertThat(Yuan.fen("12.3")).isEqualTo(1230);
    assertThatThrownBy(() -> Yuan.fen("0.001")).isInstanceOf(NumberFormatException.class);
    assertThatThrownBy(() -> Yuan.fen("abc")).isInstanceOf(NumberFormatException.class);
  }
}
