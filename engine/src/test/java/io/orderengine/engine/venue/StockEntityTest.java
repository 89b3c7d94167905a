package io.orderengine.engine.venue;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderengine.engine.EntityTestKitConfig;
import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.venue.Stock.Levels;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The stock in its shell, on the in-memory journal. Its tables are a stand-in {@link Stock.HoldCheck}
 * that answers as the test says and records every question: an expired hold whose request never
 * landed is given back, one that landed is kept, and an unanswered check is asked again.
 */
class StockEntityTest {

  enum TableAnswer {
    LANDED,
    NOT_LANDED,
    SILENT
  }

  private static final AtomicInteger STOCKS = new AtomicInteger();
  private static ActorTestKit testKit;

  private String stockId;
  private final AtomicReference<TableAnswer> tableAnswer = new AtomicReference<>(TableAnswer.SILENT);
  private final List<String> asked = new CopyOnWriteArrayList<>();
  private EventSourcedBehaviorTestKit<Stock.Command, Stock.Event, StockState> stock;

  @BeforeAll
  static void startSystem() {
    testKit = ActorTestKit.create(EntityTestKitConfig.config());
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void newStock() {
    stockId = "stock-" + STOCKS.incrementAndGet();
  }

  private void start(Duration recheckAfter) {
    Stock.HoldCheck tables = (tableId, requestId) -> {
      asked.add(tableId + "/" + requestId);
      return answer(tableAnswer.get());
    };
    stock = EventSourcedBehaviorTestKit.create(testKit.system(), Stock.create(stockId, tables, recheckAfter));
    stock.<StatusReply<Levels>>runCommand(r -> new Stock.SetLevel("N01", 5, Instant.now(), r));
  }

  private static CompletionStage<Boolean> answer(TableAnswer answer) {
    return switch (answer) {
      case LANDED -> CompletableFuture.completedFuture(true);
      case NOT_LANDED -> CompletableFuture.completedFuture(false);
      case SILENT -> CompletableFuture.failedFuture(new TimeoutException("table shard unavailable"));
    };
  }

  /** A hold of two noodles taken {@code age} ago. */
  private StatusReply<Levels> hold(String holdId, Duration age) {
    return stock.<StatusReply<Levels>>runCommand(
        r -> new Stock.Hold(holdId, "A1", "req-" + holdId, Map.of("N01", 2), Instant.now().minus(age), r)).reply();
  }

  private static final Duration EXPIRED = StockState.HOLD_EXPIRES_AFTER.plusSeconds(1);

  private List<Object> journal() {
    return stock.persistenceTestKit().persistedInStorage("Stock|" + stockId);
  }

  private void awaitLast(Stock.Event event) {
    TestProbe<Object> probe = testKit.createTestProbe();
    probe.awaitAssert(Duration.ofSeconds(5), () -> {
      assertThat(journal()).last().isEqualTo(event);
      return null;
    });
  }

  @Test
  void a_hold_takes_portions_and_its_confirmation_keeps_them() {
    start(StockState.RECHECK_AFTER);

    assertThat(hold("h1", Duration.ZERO).getValue().of("N01")).isEqualTo(3);
    var confirmed = stock.<StatusReply<Done>>runCommand(r -> new Stock.Confirm("h1", r));

    assertThat(confirmed.event()).isEqualTo(new Stock.HoldConfirmed("h1"));
    assertThat(stock.<Levels>runCommand(Stock.Get::new).reply().of("N01")).isEqualTo(3);
    assertThat(asked).as("a hold confirmed in time is never checked").isEmpty();
  }

  @Test
  void a_hold_with_a_dish_short_is_refused_with_the_dish_and_what_is_left() {
    start(StockState.RECHECK_AFTER);

    StatusReply<Levels> refused = stock.<StatusReply<Levels>>runCommand(
        r -> new Stock.Hold("h1", "A1", "r1", Map.of("N01", 6), Instant.now(), r)).reply();

    assertThat(refused.isError()).isTrue();
    Rejected r = (Rejected) refused.getError();
    assertThat(r.code()).isEqualTo(Rejection.OUT_OF_STOCK);
    assertThat(r.extras()).isEqualTo(Map.of("sku", "N01", "available", 5));
  }

  @Test
  void an_expired_hold_whose_request_never_landed_is_given_back() {
    start(StockState.RECHECK_AFTER);
    tableAnswer.set(TableAnswer.NOT_LANDED);

    hold("h1", EXPIRED);

    awaitLast(new Stock.HoldReleased("h1", "expired"));
    assertThat(asked).containsExactly("A1/req-h1");
    assertThat(stock.<Levels>runCommand(Stock.Get::new).reply().of("N01")).isEqualTo(5);
    assertThat(stock.getState().holds()).isEmpty();
  }

  @Test
  void an_expired_hold_whose_request_landed_is_kept() {
    start(StockState.RECHECK_AFTER);
    tableAnswer.set(TableAnswer.LANDED);

    hold("h1", EXPIRED);

    awaitLast(new Stock.HoldConfirmed("h1"));
    assertThat(asked).containsExactly("A1/req-h1");
    assertThat(stock.<Levels>runCommand(Stock.Get::new).reply().of("N01")).isEqualTo(3);
  }

  @Test
  void a_hold_is_checked_when_it_expires_and_not_before() {
    start(StockState.RECHECK_AFTER);
    tableAnswer.set(TableAnswer.NOT_LANDED);

    hold("h1", StockState.HOLD_EXPIRES_AFTER.minusMillis(700));
    assertThat(asked).isEmpty();

    awaitLast(new Stock.HoldReleased("h1", "expired"));
    assertThat(asked).containsExactly("A1/req-h1");
  }

  @Test
  void a_check_nobody_answers_is_asked_again() {
    start(Duration.ofMillis(200));

    hold("h1", EXPIRED);
    TestProbe<Object> probe = testKit.createTestProbe();
    probe.awaitAssert(Duration.ofSeconds(5), () -> {
      assertThat(asked).hasSizeGreaterThanOrEqualTo(2);
      return null;
    });
    assertThat(stock.getState().holds()).containsOnlyKeys("h1");
    tableAnswer.set(TableAnswer.LANDED);

    awaitLast(new Stock.HoldConfirmed("h1"));
    assertThat(asked).allMatch("A1/req-h1"::equals);
  }

  @Test
  void after_a_restart_the_expired_holds_are_checked_again() {
    start(Duration.ofMinutes(5)); // no timer asks again within the test: only the recovery can
    hold("h1", EXPIRED);
    TestProbe<Object> probe = testKit.createTestProbe();
    probe.awaitAssert(Duration.ofSeconds(5), () -> {
      assertThat(asked).hasSize(1);
      return null;
    });
    tableAnswer.set(TableAnswer.NOT_LANDED);
    assertThat(stock.getState().holds()).containsOnlyKeys("h1");
    assertThat(stock.getState().levelsView().of("N01")).isEqualTo(3);

    stock.restart(); // the recovered stock asks at once: its state is not read here, it races that

    awaitLast(new Stock.HoldReleased("h1", "expired"));
    assertThat(asked).hasSize(2);
    assertThat(stock.<Levels>runCommand(Stock.Get::new).reply().of("N01")).isEqualTo(5);
  }
}
