package io.orderengine.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Rounding never creates or loses a fen. (Named *Test so that surefire's default includes pick it up.) */
class MoneyPropertiesTest {

  @Property
  void splitEvenly_shares_sum_to_the_whole(
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long amount, @ForAll @IntRange(min = 1, max = 200) int parts) {
    List<Long> shares = Money.splitEvenly(amount, parts);
    assertThat(shares).hasSize(parts);
    assertThat(shares.stream().mapToLong(Long::longValue).sum()).isEqualTo(amount);
  }

  @Property
  void splitEvenly_shares_differ_by_at_most_one_fen_and_the_larger_come_first(
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long amount, @ForAll @IntRange(min = 1, max = 200) int parts) {
    List<Long> shares = Money.splitEvenly(amount, parts);
    assertThat(Collections.max(shares) - Collections.min(shares)).isBetween(0L, 1L);
    for (int i = 1; i < shares.size(); i++) assertThat(shares.get(i)).isLessThanOrEqualTo(shares.get(i - 1));
  }

  @Property
  void percentOf_lies_between_zero_and_the_amount(
      @ForAll @LongRange(min = 0, max = 1_000_000_000_000L) long amount, @ForAll @IntRange(min = 0, max = 100) int percent) {
    assertThat(Money.percentOf(amount, percent)).isBetween(0L, amount);
  }

  @Property
  void percentOf_is_the_exact_share_rounded_half_up(
      @ForAll @LongRange(min = 0, max = 1_000_000_000_000L) long amount, @ForAll @IntRange(min = 0, max = 100) int percent) {
    long rounded = Money.percentOf(amount, percent);
    long error = amount * percent - rounded * 100; // in hundredths of a fen
    // half up: an exact half rounds up (error -50), anything below half rounds down (error < 50)
    assertThat(error).isBetween(-50L, 49L);
  }

  @Property
  void percentOf_never_shrinks_when_the_amount_grows(
      @ForAll @LongRange(min = 0, max = 1_000_000_000L) long amount,
      @ForAll @LongRange(min = 0, max = 1_000_000L) long more,
      @ForAll @IntRange(min = 0, max = 100) int percent) {
    assertThat(Money.percentOf(amount + more, percent)).isGreaterThanOrEqualTo(Money.percentOf(amount, percent));
  }

  @Property
  void format_reads_back_as_the_same_amount(@ForAll @LongRange(min = -Long.MAX_VALUE, max = Long.MAX_VALUE) long minor) {
    assertThat(new BigDecimal(Money.format(minor))).isEqualByComparingTo(BigDecimal.valueOf(minor, 2));
  }
}
