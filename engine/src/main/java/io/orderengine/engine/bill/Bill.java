package io.orderengine.engine.bill;

import io.orderengine.engine.CborSerializable;
import io.orderengine.engine.Courier;
import io.orderengine.engine.DomainEntity;
import io.orderengine.engine.JsapiPay;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;

/**
 * One bill of an order: the settlement data it was made from, its discounts, and every tender
 * taken against it. It owns the hops that start from it: a non-cash tender's saga is started by
 * the bill (and the payer answered with the gateway's first word), refunds are asked of that saga,
 * and the table hears that the bill is paid, each through a {@link Courier} until acknowledged.
 * A caller who made the bill settle is answered once the table holds it, so a close right after
 * succeeds.
 *
 * <p>This class is what the bill speaks, its commands, events (the journal's schema: they keep their
 * names here), values and views, and how its entity is started; the pure core is {@link BillState},
 * the event-sourced shell {@link BillEntity}.
 */
public final class Bill {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Bill");
  public static final int TAG_COUNT = 4;
  public static final String TAG_PREFIX = "bill-";

  private Bill() {}

  public static String tagFor(String billId) {
    return DomainEntity.tagFor(TAG_PREFIX, TAG_COUNT, billId);
  }

  public enum Status {
    OPEN,
    PARTIALLY_PAID,
    PAID,
    VOIDED
  }

  public enum Method {
    CASH,
    CARD,
    WECHAT,
    ALIPAY,
    MEMBER
  }

  public enum PaymentStatus {
    PENDING,
    SUCCEEDED,
    FAILED,
    CANCELLED,
    EXPIRED
  }

  public enum DiscountType {
    PERCENT,
    AMOUNT,
    /** 抹零: the odd fen of a cash payment, written off by the venue's rounding rule. */
    ROUNDING
  }

  // ---- protocol ----

  public sealed interface Command extends CborSerializable {}

  /** What became of something the bill told another entity; from its own courier. */
  record Delivery(Courier.Report report) implements Command {}

  /**
   * Makes the bill from its table's settlement data, on the venue's terms of the moment; {@code terms}
   * null takes the node's defaults (a caller that does not know the venue's). Opening it again changes nothing.
   */
  public record Open(BillSpec spec, Terms terms, Instant at, ActorRef<StatusReply<View>> replyTo) implements Command {
    public Open(BillSpec spec, Instant at, ActorRef<StatusReply<View>> replyTo) {
      this(spec, null, at, replyTo);
    }
  }

  /** What a venue charges on a bill: the service charge, and the cash rounding (0 = none) in minor units. */
  public record Terms(int serviceChargePercent, int cashRoundingMinor) implements CborSerializable {}

  public record Pay(
      String requestId,
      Method method,
      long amountMinor,
      Long tenderedMinor,
      String authCode,
      String memberId,
      String takenBy,
      Instant at,
      ActorRef<StatusReply<PaymentReply>> replyTo,
      TerminalSlip terminal,
      String openid)
      implements Command {

    /** {@code openid}: the diner's WeChat openid, for a WECHAT payment made inside WeChat (JSAPI); else null. */
    public Pay(String requestId, Method method, long amountMinor, Long tenderedMinor, String authCode, String memberId,
        String takenBy, Instant at, ActorRef<StatusReply<PaymentReply>> replyTo, TerminalSlip terminal) {
      this(requestId, method, amountMinor, tenderedMinor, authCode, memberId, takenBy, at, replyTo, terminal, null);
    }

    public Pay(String requestId, Method method, long amountMinor, Long tenderedMinor, Instant at,
        ActorRef<StatusReply<PaymentReply>> replyTo) {
      this(requestId, method, amountMinor, tenderedMinor, null, null, null, at, replyTo);
    }

    public Pay(String requestId, Method method, long amountMinor, Long tenderedMinor, String authCode, String memberId,
        String takenBy, Instant at, ActorRef<StatusReply<PaymentReply>> replyTo) {
      this(requestId, method, amountMinor, tenderedMinor, authCode, memberId, takenBy, at, replyTo, null);
    }
  }

  /** From a payment's saga: how a non-cash payment ended. Reported until acknowledged; applied once. */
  public record RecordPaymentOutcome(String paymentId, PaymentStatus status, String gatewayTxnId, String failureCode,
      String failureReason, Instant at, ActorRef<StatusReply<Done>> replyTo) implements Command {}

  /**
   * {@code terminalId}, {@code terminalRef}: for a payment taken on a standalone terminal, the terminal the
   * cashier refunded on (null: the payment's) and its reference of the refund (null: not kept).
   */
  public record Refund(String requestId, String paymentId, long amountMinor, String reason, String takenBy, Instant at,
      ActorRef<StatusReply<RefundReply>> replyTo, String terminalId, String terminalRef) implements Command {

    public Refund(String requestId, String paymentId, long amountMinor, String reason, String takenBy, Instant at,
        ActorRef<StatusReply<RefundReply>> replyTo) {
      this(requestId, paymentId, amountMinor, reason, takenBy, at, replyTo, null, null);
    }
  }

  /** From a payment saga: how a refund ended. Redelivered until acknowledged; applied once. */
  public record RecordRefundOutcome(String refundId, String paymentId, boolean succeeded, String reason, Instant at,
      ActorRef<StatusReply<Done>> replyTo) implements Command {}

  public record ApplyDiscount(
      String requestId, DiscountType type, long value, String reason, Instant at, ActorRef<StatusReply<View>> replyTo)
      implements Command {}

  public record Get(ActorRef<View> replyTo) implements Command {}

  /** From the table: a line of this bill was voided. What was paid for it goes back by itself. */
  public record RemoveLine(String lineId, String reason, Instant at, ActorRef<StatusReply<Done>> replyTo) implements Command {}

  public sealed interface Event extends CborSerializable {
    String billId();
  }

  public record Opened(BillSpec spec, int serviceChargePercent, Instant at, int cashRoundingMinor) implements Event {
    public Opened(BillSpec spec, int serviceChargePercent, Instant at) {
      this(spec, serviceChargePercent, at, 0);
    }

    @Override
    public String billId() {
      return spec.billId();
    }
  }

  public record DiscountApplied(String billId, String requestId, Discount discount, BillTotals totals) implements Event {
    public DiscountApplied(String billId, String requestId, Discount discount) {
      this(billId, requestId, discount, null);
    }
  }

  public record PaymentRecorded(String billId, String tableId, String requestId, Payment payment) implements Event {}

  public record PaymentSettled(String billId, String paymentId, PaymentStatus status, String gatewayTxnId,
      String failureCode, String failureReason, Instant at) implements Event {}

  public record RefundRecorded(String billId, String tableId, String requestId, RefundEntry refund) implements Event {}

  public record RefundSettled(String billId, String refundId, boolean succeeded, String reason, Instant at) implements Event {}

  /**
   * Paid in full; the table is to be told. {@code totals}: the bill's money when it settled, for the
   * read side (null in events of early versions).
   */
  public record Settled(String billId, String tableId, String orderId, Instant at, BillTotals totals) implements Event {
    public Settled(String billId, String tableId, String orderId, Instant at) {
      this(billId, tableId, orderId, at, null);
    }
  }

  /** The money of a bill at one moment, carried by the events that change it. */
  public record BillTotals(long subtotalMinor, long discountMinor, long serviceChargeMinor, long totalMinor)
      implements CborSerializable {}

  public record TableInformed(String billId) implements Event {}

  /**
   * The saga of a non-cash payment took it on; {@code qrCodeUrl}: what the diner scans, for a wallet trade;
   * {@code jsapi}: what the diner's page inside WeChat pays a JSAPI trade with (null otherwise, and in old events).
   */
  public record PaymentUnderway(String billId, String paymentId, String qrCodeUrl, Instant at, JsapiPay jsapi)
      implements Event {
    public PaymentUnderway(String billId, String paymentId, String qrCodeUrl, Instant at) {
      this(billId, paymentId, qrCodeUrl, at, null);
    }
  }

  /** The saga of a payment took a refund of it on. */
  public record RefundUnderway(String billId, String refundId) implements Event {}

  public record LineRemoved(String billId, String lineId, long amountMinor, String reason, Instant at, BillTotals totals)
      implements Event {
    public LineRemoved(String billId, String lineId, long amountMinor, String reason, Instant at) {
      this(billId, lineId, amountMinor, reason, at, null);
    }
  }

  // ---- values and views ----

  public record Discount(String discountId, DiscountType type, long value, long amountMinor, String reason, Instant at)
      implements CborSerializable {}

  /**
   * {@code terminal}: the slip of a card taken on a standalone terminal (null for every other tender, and in old events).
   * {@code openid}: the payer of a WECHAT payment made inside WeChat (JSAPI), and {@code jsapi} what the diner's
   * page pays it with, once the saga has it (both null for every other tender, and in old events).
   */
  public record Payment(
      String paymentId,
      Method method,
      long amountMinor,
      long tenderedMinor,
      long changeMinor,
      PaymentStatus status,
      String gatewayTradeNo,
      String failureReason,
      String requestId,
      Instant at,
      String authCode,
      String memberId,
      String failureCode,
      String gatewayTxnId,
      Instant finishedAt,
      String takenBy,
      String qrCodeUrl,
      TerminalSlip terminal,
      String openid,
      JsapiPay jsapi)
      implements CborSerializable {

    public Payment(String paymentId, Method method, long amountMinor, long tenderedMinor, long changeMinor,
        PaymentStatus status, String gatewayTradeNo, String failureReason, String requestId, Instant at, String authCode,
        String memberId, String failureCode, String gatewayTxnId, Instant finishedAt, String takenBy, String qrCodeUrl,
        TerminalSlip terminal) {
      this(paymentId, method, amountMinor, tenderedMinor, changeMinor, status, gatewayTradeNo, failureReason, requestId,
          at, authCode, memberId, failureCode, gatewayTxnId, finishedAt, takenBy, qrCodeUrl, terminal, null, null);
    }

    public Payment(String paymentId, Method method, long amountMinor, long tenderedMinor, long changeMinor,
        PaymentStatus status, String gatewayTradeNo, String failureReason, String requestId, Instant at, String authCode,
        String memberId, String failureCode, String gatewayTxnId, Instant finishedAt, String takenBy, String qrCodeUrl) {
      this(paymentId, method, amountMinor, tenderedMinor, changeMinor, status, gatewayTradeNo, failureReason, requestId,
          at, authCode, memberId, failureCode, gatewayTxnId, finishedAt, takenBy, qrCodeUrl, null);
    }

    public Payment(String paymentId, Method method, long amountMinor, long tenderedMinor, long changeMinor,
        PaymentStatus status, String gatewayTradeNo, String failureReason, String requestId, Instant at, String authCode,
        String memberId, String failureCode, String gatewayTxnId, Instant finishedAt, String takenBy) {
      this(paymentId, method, amountMinor, tenderedMinor, changeMinor, status, gatewayTradeNo, failureReason, requestId,
          at, authCode, memberId, failureCode, gatewayTxnId, finishedAt, takenBy, null);
    }

    public Payment(String paymentId, Method method, long amountMinor, long tenderedMinor, long changeMinor,
        PaymentStatus status, String gatewayTradeNo, String failureReason, String requestId, Instant at, String authCode,
        String memberId, String failureCode, String gatewayTxnId, Instant finishedAt) {
      this(paymentId, method, amountMinor, tenderedMinor, changeMinor, status, gatewayTradeNo, failureReason, requestId,
          at, authCode, memberId, failureCode, gatewayTxnId, finishedAt, null);
    }

    Payment settled(PaymentStatus next, String txnId, String code, String reason, Instant when) {
      return new Payment(paymentId, method, amountMinor, tenderedMinor, changeMinor, next, gatewayTradeNo, reason,
          requestId, at, authCode, memberId, code, txnId, when, takenBy, qrCodeUrl, terminal, openid, jsapi);
    }

    Payment by(String who) {
      return new Payment(paymentId, method, amountMinor, tenderedMinor, changeMinor, status, gatewayTradeNo,
          failureReason, requestId, at, authCode, memberId, failureCode, gatewayTxnId, finishedAt, who, qrCodeUrl, terminal,
          openid, jsapi);
    }

    /** A wallet trade the diner pays on the phone, by scanning a code or inside WeChat (no code of the diner's was scanned). */
    public boolean qrTrade() {
      return (method == Method.WECHAT || method == Method.ALIPAY) && (authCode == null || authCode.isBlank());
    }

    public Payment withQrCode(String url) {
      return new Payment(paymentId, method, amountMinor, tenderedMinor, changeMinor, status, gatewayTradeNo,
          failureReason, requestId, at, authCode, memberId, failureCode, gatewayTxnId, finishedAt, takenBy, url, terminal,
          openid, jsapi);
    }

    /** A WECHAT payment the diner makes inside WeChat (JSAPI), as the payer {@code openid}. */
    public boolean inApp() {
      return method == Method.WECHAT && openid != null && (authCode == null || authCode.isBlank());
    }

    Payment forPayer(String payerOpenid) {
      return new Payment(paymentId, method, amountMinor, tenderedMinor, changeMinor, status, gatewayTradeNo,
          failureReason, requestId, at, authCode, memberId, failureCode, gatewayTxnId, finishedAt, takenBy, qrCodeUrl,
          terminal, payerOpenid, jsapi);
    }

    public Payment withJsapi(JsapiPay pay) {
      return new Payment(paymentId, method, amountMinor, tenderedMinor, changeMinor, status, gatewayTradeNo,
          failureReason, requestId, at, authCode, memberId, failureCode, gatewayTxnId, finishedAt, takenBy, qrCodeUrl,
          terminal, openid, pay);
    }

    /** A card the cashier took on a bank's standalone terminal: recorded, never sent to a gateway. */
    public boolean onStandaloneTerminal() {
      return terminal != null;
    }

    Payment on(TerminalSlip slip) {
      return new Payment(paymentId, method, amountMinor, tenderedMinor, changeMinor, status, gatewayTradeNo,
          failureReason, requestId, at, authCode, memberId, failureCode, gatewayTxnId, finishedAt, takenBy, qrCodeUrl, slip,
          openid, jsapi);
    }
  }

  public enum RefundStatus {
    PENDING,
    SUCCEEDED,
    FAILED
  }

  /**
   * {@code takenBy}: who gave the money back (null when a void refunded it by itself). {@code method}: how
   * the money went back, the payment's own method but for a standalone card's automatic refund, given in
   * cash ({@link ExcessRefunds}). {@code terminal}: the slip of a refund made on a standalone terminal.
   */
  public record RefundEntry(String refundId, String paymentId, Method method, long amountMinor, RefundStatus status,
      String reason, String failureReason, String requestId, Instant at, Instant finishedAt, String takenBy,
      TerminalSlip terminal)
      implements CborSerializable {

    public RefundEntry(String refundId, String paymentId, Method method, long amountMinor, RefundStatus status,
        String reason, String failureReason, String requestId, Instant at, Instant finishedAt, String takenBy) {
      this(refundId, paymentId, method, amountMinor, status, reason, failureReason, requestId, at, finishedAt, takenBy, null);
    }

    public RefundEntry(String refundId, String paymentId, Method method, long amountMinor, RefundStatus status,
        String reason, String failureReason, String requestId, Instant at, Instant finishedAt) {
      this(refundId, paymentId, method, amountMinor, status, reason, failureReason, requestId, at, finishedAt, null);
    }
  }

  public record RefundReply(RefundEntry refund, View bill) implements CborSerializable {}

  public record View(
      boolean exists,
      String billId,
      String tableId,
      String orderId,
      String waiter,
      Status status,
      List<BillLine> lines,
      int part,
      int parts,
      long subtotalMinor,
      long discountMinor,
      long serviceChargeMinor,
      long totalMinor,
      long paidMinor,
      long refundedMinor,
      long dueMinor,
      List<Discount> discounts,
      List<Payment> payments,
      Instant openedAt,
      Instant settledAt,
      long pendingMinor,
      List<RefundEntry> refunds,
      List<String> removedLines)
      implements CborSerializable {

    public Optional<Payment> payment(String paymentId) {
      return payments.stream().filter(p -> p.paymentId().equals(paymentId)).findFirst();
    }

    public Optional<RefundEntry> refund(String refundId) {
      return refunds.stream().filter(r -> r.refundId().equals(refundId)).findFirst();
    }
  }

  public record PaymentReply(Payment payment, View bill) implements CborSerializable {}

  /** The bill a payment id belongs to: payment ids are made as {@code <billId>-P<n>}. */
  public static Optional<String> billIdOfPayment(String paymentId) {
    int at = paymentId.lastIndexOf("-P");
    if (at <= 0 || at + 2 >= paymentId.length()) return Optional.empty();
    for (int i = at + 2; i < paymentId.length(); i++) {
      if (!Character.isDigit(paymentId.charAt(i))) return Optional.empty();
    }
    return Optional.of(paymentId.substring(0, at));
  }

  // ---- the entity ----

  public static void init(ActorSystem<?> system, int serviceChargePercent, int cashRoundingMinor, TableDesk tables,
      PaymentDesk payments) {
    ClusterSharding.get(system).init(Entity.of(ENTITY_KEY,
        ctx -> create(ctx.getEntityId(), serviceChargePercent, cashRoundingMinor, tables, payments)));
  }

  /** The bill's entity, {@link BillEntity}: the node's terms apply to a bill opened without the venue's. */
  public static Behavior<Command> create(String billId, int serviceChargePercent, int cashRoundingMinor, TableDesk tables,
      PaymentDesk payments) {
    return BillEntity.create(billId, new Terms(serviceChargePercent, cashRoundingMinor), tables, payments);
  }
}
