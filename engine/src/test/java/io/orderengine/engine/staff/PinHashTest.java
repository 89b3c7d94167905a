package io.orderengine.engine.staff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orderengine.engine.Rejected;
import org.junit.jupiter.api.Test;

class PinHashTest {

  @Test
  void a_pin_matches_its_own_hash_only_and_each_hash_has_its_own_salt() {
    PinHash a = PinHash.of("4071", 10_000);
    PinHash b = PinHash.of("4071", 10_000);

    assertThat(a.matches("4071")).isTrue();
    assertThat(a.matches("4072")).isFalse();
    assertThat(a.matches("40710")).isFalse();
    assertThat(a.salt()).isNotEqualTo(b.salt());
    assertThat(a.hash()).isNotEqualTo(b.hash());
    assertThat(a.algorithm()).isEqualTo("PBKDF2WithHmacSHA256");
    assertThat(a.toString()).doesNotContain(a.hash()).doesNotContain(a.salt());
  }

  @Test
  void a_pin_is_four_to_twelve_digits() {
    assertThat(PinHash.isWellFormed("1234")).isTrue();
    assertThat(PinHash.isWellFormed("123456789012")).isTrue();
    assertThat(PinHash.isWellFormed("123")).isFalse();
    assertThat(PinHash.isWellFormed("1234567890123")).isFalse();
    assertThat(PinHash.isWellFormed("12a4")).isFalse();
    assertThat(PinHash.isWellFormed("١٢٣٤")).as("digits of other scripts").isFalse();
    assertThat(PinHash.isWellFormed(null)).isFalse();
    assertThatThrownBy(() -> PinHash.of("12", 10_000)).isInstanceOf(Rejected.class);
  }
}
