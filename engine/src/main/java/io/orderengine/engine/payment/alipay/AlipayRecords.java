package io.orderengine.engine.payment.alipay;

import io.orderengine.engine.payment.alipay.AlipayEmulator.Stage;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the emulated Alipay keeps in its {@link io.orderengine.engine.payment.wire.EmulatorStore},
 * as immutable values written whole as JSON: a change is a new value over the one read, so the
 * emulators of several nodes sharing one store act as one Alipay. No record here has a method
 * named {@code get…} or {@code is…}: Jackson would take it for a field.
 */
final class AlipayRecords {
  private AlipayRecords() {}

  /** A refund of a trade under its request number; {@code at} is null for the refund a cancel makes. */
  record Refund(String requestNo, long fen, Instant at) {}

  /**
   * A trade, kept under its {@code out_trade_no} alone; {@code appId} is the app that made it, and
   * no other app sees it. {@code lastNotifyId} names its last notification ({@link Notice}).
   */
  record Trade(String appId, String outTradeNo, String tradeNo, long totalFen, String subject, String body,
      String notifyUrl, String qrCode, Instant createdAt, String buyerId, String buyerLogonId, Stage stage,
      boolean exists, Instant paidAt, Instant closedAt, long refundedFen, List<Refund> refunds, String lastNotifyId) {

    Trade {
      refunds = refunds == null ? List.of() : List.copyOf(refunds);
    }

    /** A trade just made: nothing paid, refunded or notified yet. */
    static Trade made(String appId, String outTradeNo, String tradeNo, long totalFen, String subject, String body,
        String notifyUrl, String qrCode, Instant createdAt, String buyerId, String buyerLogonId, Stage stage, boolean exists) {
      return new Trade(appId, outTradeNo, tradeNo, totalFen, subject, body, notifyUrl, qrCode, createdAt, buyerId,
          buyerLogonId, stage, exists, null, null, 0, List.of(), null);
    }

    boolean ownedBy(String app) {
      return appId.equals(app);
    }

    boolean notifies() {
      return notifyUrl != null && !notifyUrl.isEmpty();
    }

    /** The customer scanned the code: the trade exists, waiting for payment. */
    Trade scanned() {
      return new Trade(appId, outTradeNo, tradeNo, totalFen, subject, body, notifyUrl, qrCode, createdAt, buyerId,
          buyerLogonId, Stage.WAIT_BUYER_PAY, true, paidAt, closedAt, refundedFen, refunds, lastNotifyId);
    }

    Trade paid(Instant at) {
      return new Trade(appId, outTradeNo, tradeNo, totalFen, subject, body, notifyUrl, qrCode, createdAt, buyerId,
          buyerLogonId, Stage.TRADE_SUCCESS, exists, at, closedAt, refundedFen, refunds, lastNotifyId);
    }

    Trade closed(Instant at) {
      return new Trade(appId, outTradeNo, tradeNo, totalFen, subject, body, notifyUrl, qrCode, createdAt, buyerId,
          buyerLogonId, Stage.TRADE_CLOSED, exists, paidAt, at, refundedFen, refunds, lastNotifyId);
    }

    /** The refund added; the trade closes once refunded in full (at the refund's time, or now for a cancel's). */
    Trade refunded(Refund refund, Instant now) {
      List<Refund> more = new ArrayList<>(refunds);
      more.add(refund);
      long total = refundedFen + refund.fen();
      Trade t = new Trade(appId, outTradeNo, tradeNo, totalFen, subject, body, notifyUrl, qrCode, createdAt, buyerId,
          buyerLogonId, stage, exists, paidAt, closedAt, total, more, lastNotifyId);
      return total == totalFen ? t.closed(now) : t;
    }

    /** The notification about to be sent of this state, when the trade has somewhere to send it. */
    Trade notifying(String notifyId) {
      if (!notifies()) return this;
      return new Trade(appId, outTradeNo, tradeNo, totalFen, subject, body, notifyUrl, qrCode, createdAt, buyerId,
          buyerLogonId, stage, exists, paidAt, closedAt, refundedFen, refunds, notifyId);
    }

    Optional<Refund> refund(String requestNo) {
      return refunds.stream().filter(r -> r.requestNo().equals(requestNo)).findFirst();
    }

    Map<String, Long> refundsByNumber() {
      Map<String, Long> m = new LinkedHashMap<>();
      for (Refund r : refunds) m.put(r.requestNo(), r.fen());
      return Map.copyOf(m);
    }
  }

  /** A signed notification: the same {@code notify_id} and form on every re-send, until one is answered. */
  record Notice(String notifyId, String outTradeNo, String url, String form, boolean answered) {
    Notice asAnswered() {
      return new Notice(notifyId, outTradeNo, url, form, true);
    }
  }

  /** What happened on a Beijing day for the bill: a payment (no request number) or a refund under its number. */
  record BillEntry(String outTradeNo, String requestNo) {}

  /** The index of an app's Beijing day: its payments and refunds, each once, in the order they were made. */
  record BillDay(String appId, LocalDate day, List<BillEntry> entries) {
    BillDay {
      entries = entries == null ? List.of() : List.copyOf(entries);
    }

    BillDay with(BillEntry entry) {
      if (entries.contains(entry)) return this;
      List<BillEntry> more = new ArrayList<>(entries);
      more.add(entry);
      return new BillDay(appId, day, more);
    }
  }

  /** A bill file made for a download URL, served to whoever holds the URL's token. */
  record BillFile(String appId, LocalDate day, String zipBase64) {}
}
