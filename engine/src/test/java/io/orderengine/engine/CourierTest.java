package io.orderengine.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The courier reads each report for its entity once: an answer, a refusal, a failed send, the resend of what is owed. */
class CourierTest {

  private static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  sealed interface Cmd {}

  record Owe(List<String> owed) implements Cmd {}

  record Report(Courier.Report report) implements Cmd {}

  /** An entity that owes {@code owed} and tells {@code seen} what {@link Courier#handle} handed it. */
  static Behavior<Cmd> entity(List<String> owed, ActorRef<String> seen, AtomicInteger flakySends) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      Courier<Cmd, String> courier = new Courier<>(ctx, timers, Report::new, m -> m, m -> send(m, flakySends),
          Duration.ofMillis(50));
      return Behaviors.receive(Cmd.class)
          .onMessage(Owe.class, c -> {
            courier.deliver(c.owed());
            return Behaviors.same();
          })
          .onMessage(Report.class, c -> {
            courier.handle(c.report(), () -> owed, key -> seen.tell("failed " + key),
                    (key, answer) -> "delivered " + key + ": " + answer,
                    (key, refusal) -> "refused " + key + ": " + refusal.code())
                .ifPresent(seen::tell);
            return Behaviors.same();
          })
          .build();
    }));
  }

  private static CompletionStage<?> send(String message, AtomicInteger flakySends) {
    if (message.equals("refused")) return CompletableFuture.failedFuture(new Rejected(Rejection.NOT_FOUND, "unknown"));
    if (message.equals("flaky") && flakySends.incrementAndGet() == 1) {
      return CompletableFuture.failedFuture(new IllegalStateException("down"));
    }
    return CompletableFuture.completedFuture("held");
  }

  @Test
  void each_report_goes_to_what_the_entity_gave_for_it_and_a_failed_send_goes_again() {
    TestProbe<String> seen = testKit.createTestProbe(String.class);
    AtomicInteger flakySends = new AtomicInteger();
    List<String> owed = List.of("flaky");
    ActorRef<Cmd> entity = testKit.spawn(entity(owed, seen.ref(), flakySends));

    entity.tell(new Owe(List.of("ok", "refused", "flaky")));

    assertThat(seen.receiveSeveralMessages(3)).containsExactlyInAnyOrder(
        "delivered ok: held", "refused refused: NOT_FOUND", "failed flaky");
    // the resend timer sends what the entity still owes, and this time it gets through
    assertThat(seen.receiveMessage(Duration.ofSeconds(3))).isEqualTo("delivered flaky: held");
    assertThat(flakySends).hasValue(2);
    seen.expectNoMessage(Duration.ofMillis(200));
  }
}
