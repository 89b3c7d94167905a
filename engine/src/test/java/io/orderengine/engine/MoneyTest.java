package io.orderengine.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MoneyTest {

  @Test
  void percentOf_rounds_half_up_to_the_fen() {
    assertThat(Money.percentOf(1005, 10)).isEqualTo(101); // 100.5 -> 101
    assertThat(Money.percentOf(1004, 10)).isEqualTo(100); // 100.4 -> 100
    assertThat(Money.percentOf(1006, 10)).isEqualTo(101); // 100.6 -> 101
    assertThat(Money.percentOf(15, 10)).isEqualTo(2); // 1.5 -> 2
    assertThat(Money.percentOf(14, 10)).isEqualTo(1); // 1.4 -> 1
  }

  @Test
  void percentOf_edges() {
    assertThat(Money.percentOf(0, 50)).isZero();
    assertThat(Money.percentOf(12_345, 0)).isZero();
    assertThat(Money.percentOf(12_345, 100)).isEqualTo(12_345);
    assertThat(Money.percentOf(1, 49)).isZero();
    assertThat(Money.percentOf(1, 50)).isEqualTo(1);
  }

  @Test
  void percentOf_refuses_to_overflow() {
    assertThatThrownBy(() -> Money.percentOf(Long.MAX_VALUE, 2)).isInstanceOf(ArithmeticException.class);
  }

  @Test
  void splitEvenly_gives_the_remainder_to_the_first_shares() {
    assertThat(Money.splitEvenly(1000, 3)).containsExactly(334L, 333L, 333L);
    assertThat(Money.splitEvenly(1001, 3)).containsExactly(334L, 334L, 333L);
    assertThat(Money.splitEvenly(2, 3)).containsExactly(1L, 1L, 0L);
    assertThat(Money.splitEvenly(900, 3)).containsExactly(300L, 300L, 300L);
    assertThat(Money.splitEvenly(777, 1)).containsExactly(777L);
    assertThat(Money.splitEvenly(0, 4)).containsExactly(0L, 0L, 0L, 0L);
  }

  @Test
  void splitEvenly_needs_at_least_one_part() {
    assertThatThrownBy(() -> Money.splitEvenly(100, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Money.splitEvenly(100, -2)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void times_multiplies_and_refuses_to_overflow() {
    assertThat(Money.times(250, 3)).isEqualTo(750);
    assertThat(Money.times(250, 0)).isZero();
    assertThatThrownBy(() -> Money.times(Long.MAX_VALUE / 2 + 1, 2)).isInstanceOf(ArithmeticException.class);
  }

  @Test
  void format_shows_yuan_and_two_digit_fen() {
    assertThat(Money.format(1234)).isEqualTo("12.34");
    assertThat(Money.format(100)).isEqualTo("1.00");
    assertThat(Money.format(5)).isEqualTo("0.05");
    assertThat(Money.format(0)).isEqualTo("0.00");
    assertThat(Money.format(-5)).isEqualTo("-0.05");
    assertThat(Money.format(-1234)).isEqualTo("-12.34");
  }
}
