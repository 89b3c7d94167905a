package io.orderengine.engine.payment;

import io.orderengine.engine.CborSerializable;

/** Names a trade at its gateway: our trade number, and for stored value the member account it draws on. */
public record TradeRef(String tradeNo, String account) implements CborSerializable {
  public static TradeRef of(String tradeNo) {
    return new TradeRef(tradeNo, null);
  }
}
