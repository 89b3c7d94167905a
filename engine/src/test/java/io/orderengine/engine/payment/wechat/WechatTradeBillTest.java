package io.orderengine.engine.payment.wechat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orderengine.engine.payment.StatementLine;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WechatTradeBillTest {
  private static final Instant NOON = Instant.parse("2026-12-03T04:00:00Z");

  @Test
  void aBillReadsBackAsOneLinePerPaidTradeWithItsRefunds() {
    String longId = "venue-0042.bill-2026-12-03-table-17.payment-3";
    String file = WechatTradeBill.write(List.of(
        paid("v1*p1", "v1.p1", 1, "tea, hot"),
        paid(WechatTradeNumbers.outTradeNo(longId), longId, 123456, "banquet"),
        refund("v1*p1", "v1.p1", 1, "v1*p1-R1", 1, "SUCCESS"),
        refund(WechatTradeNumbers.outTradeNo(longId), longId, 123456, "R2", 456, "SUCCESS"),
        refund(WechatTradeNumbers.outTradeNo(longId), longId, 123456, "R3", 1000, "ABNORMAL"),
        refund("v1*old", "v1.old", 500, "v1*old-R1", 500, "SUCCESS")));

    List<StatementLine> lines = WechatTradeBill.parse(file);

    assertThat(lines).extracting(StatementLine::tradeNo).containsExactly("v1.p1", longId);
    assertThat(lines.get(0).amountMinor()).isEqualTo(1);
    assertThat(lines.get(0).refundedMinor()).isEqualTo(1);
    assertThat(lines.get(0).finishedAt()).isEqualTo(NOON);
    assertThat(lines.get(1).amountMinor()).isEqualTo(123456);
    assertThat(lines.get(1).refundedMinor()).as("only refunds paid back count").isEqualTo(456);
    assertThat(lines.get(1).gatewayTxnId()).isEqualTo("4200" + WechatTradeNumbers.outTradeNo(longId).hashCode());
  }

  @Test
  void theSummaryIsNotATradeAndAnEmptyBillHasNoLines() {
    assertThat(WechatTradeBill.parse(WechatTradeBill.write(List.of()))).isEmpty();
    assertThat(WechatTradeBill.write(List.of(paid("v1*p1", "v1.p1", 250, "x")))).contains("总交易单数").contains("`2.50");
  }

  @Test
  void aBillWithoutTheColumnsWeReadIsRefusedNotGuessed() {
    assertThatThrownBy(() -> WechatTradeBill.parse("交易时间,商户号\n`2026-12-03 12:00:00,`1900000109\n"))
        .isInstanceOf(WechatPayCallFailed.class).hasMessageContaining("no column");
    String bad = WechatTradeBill.write(List.of(paid("v1*p1", "v1.p1", 250, "x"))).replace("`2.50", "`2.5O");
    assertThatThrownBy(() -> WechatTradeBill.parse(bad)).isInstanceOf(WechatPayCallFailed.class);
  }

  private static WechatTradeBill.Row paid(String outTradeNo, String attach, long total, String description) {
    return new WechatTradeBill.Row(NOON, "wxd678efh567hg6787", "1900000109", "4200" + outTradeNo.hashCode(), outTradeNo,
        "NATIVE", "SUCCESS", total, description, attach, null, null, 0, null);
  }

  private static WechatTradeBill.Row refund(String outTradeNo, String attach, long total, String refundNo, long refund,
      String status) {
    return new WechatTradeBill.Row(NOON.plusSeconds(600), "wxd678efh567hg6787", "1900000109", "4200" + outTradeNo.hashCode(),
        outTradeNo, "NATIVE", "REFUND", total, "x", attach, "5030" + refundNo.hashCode(), refundNo, refund, status);
  }
}
