package io.orderengine.engine.payment;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * A payment provider that misbehaves on cue, for testing the saga against an unreliable outside
 * party. It keeps one trade per trade number the way a real provider does (a repeated call answers
 * about the same trade), and lets a test script its faults per kind of call: time out, never answer,
 * fail a number of times and then work. Its callbacks go to an outbox the test delivers from, so a
 * test can lose them, deliver them twice, or deliver them late.
 *
 * <p>Thread-safe: the saga calls it from its actor, the test drives the customer from its own thread.
 */
final class FaultyGateway implements Gateway {

  enum Call {
    INITIATE,
    QUERY,
    CLOSE,
    REFUND,
    QUERY_REFUND
  }

  /** What the customer's code does when the cashier scans it. */
  enum CodeOutcome {
    APPROVED,
    DECLINED,
    INSUFFICIENT_BALANCE,
    /** The customer confirms on the phone: pending until {@link #customerPays()}. */
    USERPAYING
  }

  private enum Fault {
    /** Fails the way an ask or HTTP client times out: a failed future, a moment later. */
    TIME_OUT,
    /** Never completes: the answer is lost on the way back. */
    HANG
  }

  private static final Duration TIMEOUT_AFTER = Duration.ofMillis(20);

  private final Provider provider;
  private final Map<Call, Deque<Fault>> faults = new EnumMap<>(Call.class);
  private final Map<Call, Integer> calls = new EnumMap<>(Call.class);
  private final List<Call> callLog = new ArrayList<>();
  private final List<String> initiatedTrades = new ArrayList<>();
  private final List<Notification> outbox = new ArrayList<>();
  private final Map<String, Long> refunds = new LinkedHashMap<>();

  private CodeOutcome codeOutcome = CodeOutcome.APPROVED;
  private boolean announceApprovals;
  private boolean loseCallbacks;
  private boolean callbacksTwice;
  private int queryLag;
  private boolean hidesUnpaid;
  private RefundResult.Status refundAnswer = RefundResult.Status.SUCCEEDED;

  private String tradeNo;
  private long amountMinor;
  private TradeResult.Status trade; // null: no trade yet
  private String txnId;
  private int notifications;

  FaultyGateway(Provider provider) {
    this.provider = provider;
    for (Call c : Call.values()) {
      faults.put(c, new ArrayDeque<>());
      calls.put(c, 0);
    }
  }

  // ---- scripting ----

  /** The next {@code times} calls of this kind time out; later ones work. */
  synchronized FaultyGateway timeOut(Call call, int times) {
    for (int i = 0; i < times; i++) faults.get(call).add(Fault.TIME_OUT);
    return this;
  }

  /** The next {@code times} calls of this kind never answer. */
  synchronized FaultyGateway hang(Call call, int times) {
    for (int i = 0; i < times; i++) faults.get(call).add(Fault.HANG);
    return this;
  }

  synchronized FaultyGateway codeOutcome(CodeOutcome outcome) {
    this.codeOutcome = outcome;
    return this;
  }

  /** A code approved at once is also announced by callback: the trade is answered twice. */
  synchronized FaultyGateway announceApprovals() {
    this.announceApprovals = true;
    return this;
  }

  /** Callbacks are made but never reach the merchant. */
  synchronized FaultyGateway loseCallbacks() {
    this.loseCallbacks = true;
    return this;
  }

  /** Every callback reaches the merchant twice, with the same notification id. */
  synchronized FaultyGateway callbacksTwice() {
    this.callbacksTwice = true;
    return this;
  }

  /** Queries find no trade until the customer has paid it (Alipay shows a precreated QR trade only once scanned). */
  synchronized FaultyGateway hidesUnpaidTrades() {
    this.hidesUnpaid = true;
    return this;
  }

  /** After the customer pays, this many queries still answer PENDING (the provider's books lag behind). */
  synchronized FaultyGateway queryLag(int queries) {
    this.queryLag = queries;
    return this;
  }

  synchronized FaultyGateway refundAnswer(RefundResult.Status status) {
    this.refundAnswer = status;
    return this;
  }

  // ---- the customer ----

  /** The customer pays a pending trade; the provider announces it by callback. */
  synchronized boolean customerPays() {
    if (trade != TradeResult.Status.PENDING) return false;
    pay();
    return true;
  }

  /** The customer's payment went through at the provider although the merchant had closed the trade. */
  synchronized void customerPaysAfterClose() {
    pay();
  }

  private void pay() {
    trade = TradeResult.Status.SUCCEEDED;
    txnId = "TX-" + tradeNo;
    announce(TradeResult.Status.SUCCEEDED);
  }

  /** A callback about this trade as the provider would word it, with a fresh notification id; not queued. */
  synchronized Notification notification(TradeResult.Status status) {
    notifications++;
    return new Notification(tradeNo + "-N" + notifications, provider, tradeNo, status,
        status == TradeResult.Status.SUCCEEDED ? "TX-" + tradeNo : null, amountMinor,
        status == TradeResult.Status.DECLINED ? "card declined" : null);
  }

  private void announce(TradeResult.Status status) {
    Notification n = notification(status);
    if (loseCallbacks) return;
    outbox.add(n);
    if (callbacksTwice) outbox.add(n);
  }

  /** The callbacks that reached the merchant since the last call, in order. */
  synchronized List<Notification> takeCallbacks() {
    List<Notification> taken = List.copyOf(outbox);
    outbox.clear();
    return taken;
  }

  // ---- what happened ----

  synchronized int calls(Call call) {
    return calls.get(call);
  }

  synchronized List<Call> callLog() {
    return List.copyOf(callLog);
  }

  /** The trade number of every payment call, hung ones included, in order. */
  synchronized List<String> initiatedTrades() {
    return List.copyOf(initiatedTrades);
  }

  synchronized TradeResult.Status trade() {
    return trade;
  }

  synchronized Map<String, Long> refunds() {
    return Map.copyOf(refunds);
  }

  // ---- Gateway ----

  @Override
  public Provider provider() {
    return provider;
  }

  @Override
  public synchronized CompletionStage<TradeResult> createQrTrade(String tradeNo, long amountMinor, String description) {
    initiatedTrades.add(tradeNo);
    return answer(Call.INITIATE, () -> {
      create(tradeNo, amountMinor, TradeResult.Status.PENDING);
      return result();
    });
  }

  @Override
  public synchronized CompletionStage<TradeResult> payWithCode(TradeRef ref, long amountMinor, String authCode, String description) {
    initiatedTrades.add(ref.tradeNo());
    return answer(Call.INITIATE, () -> {
      if (trade == null) {
        create(ref.tradeNo(), amountMinor, TradeResult.Status.PENDING);
        switch (codeOutcome) {
          case APPROVED -> {
            trade = TradeResult.Status.SUCCEEDED;
            txnId = "TX-" + tradeNo;
            if (announceApprovals) announce(TradeResult.Status.SUCCEEDED);
          }
          case DECLINED -> trade = TradeResult.Status.DECLINED;
          case INSUFFICIENT_BALANCE -> trade = TradeResult.Status.INSUFFICIENT_BALANCE;
          case USERPAYING -> { }
        }
      }
      return result();
    });
  }

  @Override
  public CompletionStage<TradeResult> query(TradeRef ref) {
    return answer(Call.QUERY, () -> {
      if (trade == null) return TradeResult.of(TradeResult.Status.NOT_FOUND, "no trade " + ref.tradeNo());
      if (hidesUnpaid && trade == TradeResult.Status.PENDING) {
        return TradeResult.of(TradeResult.Status.NOT_FOUND, "no trade " + ref.tradeNo() + " until it is scanned");
      }
      if (trade == TradeResult.Status.SUCCEEDED && queryLag > 0) {
        queryLag--;
        return new TradeResult(TradeResult.Status.PENDING, null, amountMinor, null, null);
      }
      return result();
    });
  }

  @Override
  public CompletionStage<TradeResult> close(TradeRef ref) {
    return answer(Call.CLOSE, () -> {
      if (trade == null) return TradeResult.of(TradeResult.Status.NOT_FOUND, "no trade " + ref.tradeNo());
      if (trade == TradeResult.Status.PENDING) trade = TradeResult.Status.CLOSED;
      return result();
    });
  }

  @Override
  public CompletionStage<RefundResult> refund(TradeRef ref, String refundNo, long amount) {
    return answer(Call.REFUND, () -> {
      refunds.putIfAbsent(refundNo, amount);
      return new RefundResult(refundAnswer, null);
    });
  }

  @Override
  public CompletionStage<RefundResult> queryRefund(TradeRef ref, String refundNo) {
    return answer(Call.QUERY_REFUND, () -> refunds.containsKey(refundNo)
        ? new RefundResult(RefundResult.Status.SUCCEEDED, null)
        : new RefundResult(RefundResult.Status.NOT_FOUND, "no refund " + refundNo));
  }

  @Override
  public CompletionStage<java.util.List<StatementLine>> statement(java.time.LocalDate date, java.time.ZoneId zone) {
    return java.util.concurrent.CompletableFuture.completedFuture(java.util.List.of());
  }

  @Override
  public Notification verifyCallback(Map<String, String> headers, String body) throws BadSignature {
    throw new BadSignature("the faulty gateway hands its callbacks to the test, not over HTTP");
  }

  // ---- internals ----

  private void create(String no, long amount, TradeResult.Status initial) {
    if (trade != null) return;
    tradeNo = no;
    amountMinor = amount;
    trade = initial;
  }

  private TradeResult result() {
    String qr = trade == TradeResult.Status.PENDING ? "faulty://" + provider.wire() + "/" + tradeNo : null;
    String reason = switch (trade) {
      case DECLINED -> "card declined";
      case INSUFFICIENT_BALANCE -> "balance too low";
      default -> null;
    };
    return new TradeResult(trade, txnId, amountMinor, qr, reason);
  }

  private synchronized <T> CompletionStage<T> answer(Call call, Supplier<T> work) {
    calls.merge(call, 1, Integer::sum);
    callLog.add(call);
    Fault fault = faults.get(call).poll();
    if (fault == Fault.HANG) {
      return new CompletableFuture<>();
    }
    if (fault == Fault.TIME_OUT) {
      CompletableFuture<T> late = new CompletableFuture<>();
      CompletableFuture.delayedExecutor(TIMEOUT_AFTER.toMillis(), TimeUnit.MILLISECONDS)
          .execute(() -> late.completeExceptionally(new TimeoutException(provider.wire() + " " + call + " timed out")));
      return late;
    }
    return CompletableFuture.completedFuture(work.get());
  }
}
