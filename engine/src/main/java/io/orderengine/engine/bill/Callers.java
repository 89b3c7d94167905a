package io.orderengine.engine.bill;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The callers a bill answers once what a key names has been delivered: a payer hears a non-cash
 * tender's first word from its saga (a wallet's QR link), and whoever settles the bill hears of it
 * once the table holds it too, so a close right after succeeds. Kept in memory only, by the shell:
 * a caller whose bill restarted asks again, and is answered from the journal.
 */
final class Callers {

  private final Map<String, List<Consumer<BillState>>> waiting = new HashMap<>();

  /** Answers with {@code after} at once, or once what {@code awaited} names is delivered. */
  void answer(BillState after, Optional<String> awaited, Consumer<BillState> answer) {
    awaited.ifPresentOrElse(key -> hold(key, answer), () -> answer.accept(after));
  }

  /**
   * What {@code key} names was delivered, or failed for now: its callers hear what the bill knows
   * ({@code s}); a settlement still on its way to the table holds them until the table has it.
   */
  void release(String key, BillState s) {
    List<Consumer<BillState>> answers = waiting.remove(key);
    if (answers == null) return;
    Optional<String> next = Owed.TABLE.equals(key) ? Optional.empty() : awaitedByAnyone(s);
    answers.forEach(a -> answer(s, next, a));
  }

  private void hold(String key, Consumer<BillState> answer) {
    waiting.computeIfAbsent(key, k -> new ArrayList<>()).add(answer);
  }

  /** Whoever settles the bill hears of it once the table holds it too. */
  static Optional<String> awaitedByAnyone(BillState s) {
    return s.awaitsTable() ? Optional.of(Owed.TABLE) : Optional.empty();
  }

  /** The payer of a non-cash tender hears the gateway's first word (a wallet's QR link) before the answer. */
  static Optional<String> awaitedByPayer(BillState s, String requestId) {
    return s.owed().stream()
        .filter(o -> o instanceof Owed.PaymentToStart p
            && s.paymentOfRequest(requestId).map(x -> x.paymentId().equals(p.order().paymentId())).orElse(false))
        .map(Owed::key).findFirst()
        .or(() -> awaitedByAnyone(s));
  }
}
