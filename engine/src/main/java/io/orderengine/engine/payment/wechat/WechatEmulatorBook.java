package io.orderengine.engine.payment.wechat;

import io.orderengine.engine.payment.wire.EmulatorRecords;
import io.orderengine.engine.payment.wire.EmulatorStore;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * What the WeChat Pay emulator knows, in its {@link EmulatorStore}: trades by {@code out_trade_no},
 * refunds by {@code out_refund_no}, the QR tokens, each trade's refunds, each merchant's days (for the
 * trade bill), the bill files and each trade's last callback. Numbers are unique across merchants
 * here (the engine's trade numbers name their venue); a merchant never sees another's records.
 */
final class WechatEmulatorBook {
  record RefundNos(List<String> outRefundNos) {}

  /** The trades paid and the refunds paid back on one Beijing day, in that order. */
  record Day(List<String> trades, List<String> refunds) {}

  record BillFile(String text) {}

  private final EmulatorRecords<EmulatedTrade> trades;
  private final EmulatorRecords<EmulatedRefund> refunds;
  private final EmulatorRecords<String> tokens;
  private final EmulatorRecords<RefundNos> refundsOfTrade;
  private final EmulatorRecords<Day> days;
  private final EmulatorRecords<BillFile> bills;
  private final EmulatorRecords<WechatCallbackSender.Callback> callbacks;

  WechatEmulatorBook(EmulatorStore store) {
    this.trades = new EmulatorRecords<>(store, "wechat-trade", EmulatedTrade.class);
    this.refunds = new EmulatorRecords<>(store, "wechat-refund", EmulatedRefund.class);
    this.tokens = new EmulatorRecords<>(store, "wechat-token", String.class);
    this.refundsOfTrade = new EmulatorRecords<>(store, "wechat-trade-refunds", RefundNos.class);
    this.days = new EmulatorRecords<>(store, "wechat-day", Day.class);
    this.bills = new EmulatorRecords<>(store, "wechat-bill", BillFile.class);
    this.callbacks = new EmulatorRecords<>(store, "wechat-callback", WechatCallbackSender.Callback.class);
  }

  Optional<EmulatedTrade> trade(String outTradeNo) {
    return trades.get(outTradeNo);
  }

  Optional<EmulatedTrade> trade(String mchId, String outTradeNo) {
    return trades.get(outTradeNo).filter(t -> t.mchId().equals(mchId));
  }

  Optional<EmulatedTrade> tradeByToken(String token) {
    return tokens.get(token).flatMap(trades::get);
  }

  /** The trade under {@code fresh}'s number: {@code fresh} if there was none, else the one there. */
  EmulatedTrade create(EmulatedTrade fresh) {
    if (fresh.token() != null) tokens.put(fresh.token(), fresh.outTradeNo());
    EmulatedTrade t = trades.getOrCreate(fresh.outTradeNo(), () -> fresh);
    if (t.equals(fresh) && t.successTime() != null) noteTrade(t);
    return t;
  }

  /**
   * Changes a trade; answers it as it then is, or empty when there is none. A change that pays the
   * trade enters it in its merchant's day.
   */
  Optional<EmulatedTrade> change(String outTradeNo, UnaryOperator<EmulatedTrade> change) {
    AtomicReference<EmulatedTrade> before = new AtomicReference<>();
    EmulatedTrade after = trades.update(outTradeNo, was -> {
      before.set(was.orElse(null));
      return was.map(change).orElse(null);
    });
    if (after != null && after.successTime() != null && (before.get() == null || before.get().successTime() == null)) {
      noteTrade(after);
    }
    return Optional.ofNullable(after);
  }

  Optional<EmulatedRefund> refund(String outRefundNo) {
    return refunds.get(outRefundNo);
  }

  Optional<EmulatedRefund> refund(String mchId, String outRefundNo) {
    return refunds.get(outRefundNo).filter(r -> r.mchId().equals(mchId));
  }

  /**
   * Books a refund within what is left of its trade: the refund, or empty when the trade's refunds
   * would pass its total. Two refunds of one trade asked at once are weighed one after the other.
   */
  Optional<EmulatedRefund> bookRefund(EmulatedRefund fresh) {
    AtomicReference<Boolean> fits = new AtomicReference<>(false);
    refundsOfTrade.update(fresh.outTradeNo(), was -> {
      List<String> nos = was.map(RefundNos::outRefundNos).orElse(List.of());
      if (nos.contains(fresh.outRefundNo())) {
        fits.set(true);
        return was.orElseThrow();
      }
      long asked = 0;
      for (String no : nos) asked += refunds.get(no).map(EmulatedRefund::refundMinor).orElse(0L);
      fits.set(asked + fresh.refundMinor() <= fresh.totalMinor());
      if (!fits.get()) return null;
      List<String> more = new ArrayList<>(nos);
      more.add(fresh.outRefundNo());
      return new RefundNos(List.copyOf(more));
    });
    if (!fits.get()) return Optional.empty();
    return Optional.of(refunds.getOrCreate(fresh.outRefundNo(), () -> fresh));
  }

  /**
   * Pays a PROCESSING refund back: the refund as it then is, and whether this call did it (the one
   * that did counts it on the trade and in the day, and sends the callback).
   */
  Optional<EmulatedRefund> settle(String outRefundNo, Instant at, AtomicReference<Boolean> settledHere) {
    settledHere.set(false);
    EmulatedRefund r = refunds.update(outRefundNo, was -> {
      settledHere.set(was.isPresent() && was.get().status().equals("PROCESSING"));
      return was.map(x -> settledHere.get() ? x.succeededAt(at) : x).orElse(null);
    });
    if (r != null && settledHere.get()) {
      trades.update(r.outTradeNo(), was -> was.map(t -> t.refunded(r.refundMinor())).orElse(null));
      days.update(dayKey(r.mchId(), r.successTime(), r.outTradeNo()), was -> with(was, null, r.outRefundNo()));
    }
    return Optional.ofNullable(r);
  }

  /** The merchant's day, gathered from its buckets. */
  Day day(String mchId, LocalDate day) {
    List<String> t = new ArrayList<>();
    List<String> r = new ArrayList<>();
    for (int b = 0; b < BUCKETS; b++) {
      days.get(mchId + "|" + day + "|" + b).ifPresent(d -> {
        t.addAll(d.trades());
        r.addAll(d.refunds());
      });
    }
    return new Day(List.copyOf(t), List.copyOf(r));
  }

  void keepBill(String token, String text) {
    bills.put(token, new BillFile(text));
  }

  Optional<String> bill(String token) {
    return bills.get(token).map(BillFile::text);
  }

  void keepCallback(String outTradeNo, WechatCallbackSender.Callback callback) {
    callbacks.put(outTradeNo, callback);
  }

  Optional<WechatCallbackSender.Callback> callback(String outTradeNo) {
    return callbacks.get(outTradeNo);
  }

  private void noteTrade(EmulatedTrade t) {
    days.update(dayKey(t.mchId(), t.successTime(), t.outTradeNo()), was -> with(was, t.outTradeNo(), null));
  }

  /**
   * A day is kept in this many records, by trade number: each write rewrites one record whole, so a
   * busy day's trades must not all land in one.
   */
  static final int BUCKETS = 16;

  private static String dayKey(String mchId, Instant at, String outTradeNo) {
    return mchId + "|" + at.atZone(EmulatedTrade.CHINA).toLocalDate() + "|" + Math.floorMod(outTradeNo.hashCode(), BUCKETS);
  }

  private static Day with(Optional<Day> was, String trade, String refund) {
    Day d = was.orElse(new Day(List.of(), List.of()));
    if ((trade != null && d.trades().contains(trade)) || (refund != null && d.refunds().contains(refund))) return d;
    List<String> t = new ArrayList<>(d.trades());
    List<String> r = new ArrayList<>(d.refunds());
    if (trade != null) t.add(trade);
    if (refund != null) r.add(refund);
    return new Day(List.copyOf(t), List.copyOf(r));
  }
}
