package io.orderengine.http.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderengine.http.problems.Forbidden;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** A table's code opens that table only, and only under the secret that signed it. */
class DinerTokensTest {
  private final DinerTokens tokens = new DinerTokens("a-venue-secret-of-some-length");

  @Test
  void a_token_names_its_table_and_nothing_else() {
    String t07 = tokens.issue("main", "T07");
    assertThat(tokens.tableOf(t07)).contains("T07");
    assertThat(tokens.tableOf(t07.replace("dt1.T07.", "dt1.T08."))).isEmpty();
    assertThat(new DinerTokens("another-venue-secret-entirely").tableOf(t07)).isEmpty();
    assertThat(tokens.tableOf("dt1.T07.")).isEmpty();
    assertThat(tokens.tableOf("demo-waiter")).isEmpty();
  }

  @Test
  void a_diner_principal_is_held_to_its_table() {
    Tokens all = Tokens.of("pos-1:cashier:Li", true, tokens);
    Principal diner = all.principalOf("Bearer " + tokens.issue("main", "T07")).orElseThrow();
    assertThat(diner.role()).isEqualTo(Role.DINER);
    diner.requireTable("T07");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> diner.requireTable("T08")).isInstanceOf(Forbidden.class);
    assertThat(all.principalOf("Bearer demo-diner")).isEmpty();
    assertThat(all.principalOf("Bearer pos-1").orElseThrow().name()).isEqualTo("Li");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Tokens.of("x:diner", false, tokens))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Property(tries = 200)
  void a_changed_character_in_the_mac_is_refused(@ForAll @AlphaChars @StringLength(min = 1, max = 32) String table,
      @ForAll("positions") int position) {
    String token = tokens.issue("main", table);
    int at = token.length() - 1 - position;
    char c = token.charAt(at);
    String forged = token.substring(0, at) + (c == 'A' ? 'B' : 'A') + token.substring(at + 1);
    assertThat(tokens.tableOf(token)).contains(table);
    assertThat(tokens.tableOf(forged)).isEmpty();
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<Integer> positions() {
    return net.jqwik.api.Arbitraries.integers().between(0, 21);
  }
}
