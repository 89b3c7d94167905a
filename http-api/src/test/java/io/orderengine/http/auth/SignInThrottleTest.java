package io.orderengine.http.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SignInThrottleTest {
  final AtomicLong now = new AtomicLong();
  final SignInThrottle throttle = new SignInThrottle(3, Duration.ofSeconds(30), Duration.ofMinutes(2), Duration.ofMinutes(15), 2,
      now::get);

  void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void an_address_waits_after_its_free_failures_doubling_up_to_the_ceiling_and_is_forgotten_when_quiet() {
    for (int i = 0; i < 3; i++) {
      assertThat(throttle.wait("10.0.0.9")).isEmpty();
      throttle.failed("10.0.0.9");
    }
    assertThat(throttle.wait("10.0.0.9")).contains(Duration.ofSeconds(30));
    assertThat(throttle.wait("10.0.0.8")).as("another address").isEmpty();

    advance(Duration.ofSeconds(30));
    assertThat(throttle.wait("10.0.0.9")).isEmpty();
    throttle.failed("10.0.0.9");
    assertThat(throttle.wait("10.0.0.9")).contains(Duration.ofSeconds(60));
    for (int i = 0; i < 10; i++) throttle.failed("10.0.0.9");
    assertThat(throttle.wait("10.0.0.9")).as("never more than the ceiling").contains(Duration.ofMinutes(2));

    advance(Duration.ofMinutes(16));
    assertThat(throttle.wait("10.0.0.9")).as("quiet for 15 minutes: forgotten").isEmpty();
  }

  @Test
  void it_remembers_a_bounded_number_of_addresses() {
    for (int i = 0; i < 3; i++) throttle.failed("a");
    throttle.failed("b");
    throttle.failed("c");
    assertThat(throttle.wait("a")).as("the least recently seen went first").isEmpty();
  }
}
