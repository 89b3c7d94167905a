package io.orderengine.http.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** API_TOKENS: tokens given by their SHA-256 or in clear, roles, names, and what is refused. */
class TokensTest {
  private final DinerTokens diners = new DinerTokens("a-venue-secret-of-some-length-000");

  @Test
  void aTokenGivenByItsHashAuthenticatesAndTheHashItselfDoesNot() {
    String token = "9f2c1e7a-long-random-cashier-token";
    String hash = Tokens.sha256(token);
    assertThat(Tokens.sha256("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    Tokens tokens = Tokens.of("sha256:" + hash.toUpperCase() + ":cashier:Li Na, w-token:waiter", false, diners);
    Principal li = tokens.principalOf("Bearer " + token).orElseThrow();
    assertThat(li.role()).isEqualTo(Role.CASHIER);
    assertThat(li.name()).isEqualTo("Li Na");
    assertThat(tokens.principalOf("Bearer " + hash)).isEmpty();
    assertThat(tokens.principalOf("bearer w-token").orElseThrow().role()).isEqualTo(Role.WAITER);
    assertThat(tokens.principalOf("Bearer demo-manager")).as("no demo tokens without DEMO").isEmpty();
    assertThat(tokens.principalOf("Bearer ")).isEmpty();
    assertThat(tokens.principalOf("Basic " + token)).isEmpty();
    assertThat(tokens.principalOf("Bearer " + "x".repeat(10_000))).isEmpty();
  }

  @Test
  void aBrokenEntryStopsTheNodeWithoutEchoingTheSecret() {
    assertThatThrownBy(() -> Tokens.of("sha256:abc:cashier", false, diners))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64 hex");
    assertThatThrownBy(() -> Tokens.of("s3cret-token:chef", false, diners))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chef").hasMessageNotContaining("s3cret");
    assertThatThrownBy(() -> Tokens.of("s3cret-token:admin:Ops:V1", false, diners))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no venue").hasMessageNotContaining("s3cret");
    assertThatThrownBy(() -> Tokens.of("s3cret-token", false, diners))
        .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("s3cret");
  }

  @Test
  void aTokenBelongsToTheVenueItNamesAndTheAdminToNone() {
    Tokens tokens = Tokens.of("m1:manager:Boss:V1, m2:manager:Old Hand, ops:admin:Platform", true, diners);
    assertThat(tokens.principalOf("Bearer m1").orElseThrow().venue()).isEqualTo("V1");
    assertThat(tokens.principalOf("Bearer m2").orElseThrow().venue()).as("no venue named: the first one").isEqualTo("main");
    Principal admin = tokens.principalOf("Bearer ops").orElseThrow();
    assertThat(admin.venue()).isNull();
    assertThat(admin.mayEnter("V1")).isTrue();
    assertThat(tokens.principalOf("Bearer m1").orElseThrow().mayEnter("V2")).isFalse();
    assertThat(tokens.principalOf("Bearer demo-manager").orElseThrow().venue()).isEqualTo("main");
    assertThat(tokens.principalOf("Bearer demo-admin")).as("the demo has no platform operator").isEmpty();
  }

  @Test
  void aSessionTokenIsAskedOfTheSessionsAndNeverMatchedAgainstConfiguredOnes() throws Exception {
    String token = "st1.main." + "A".repeat(43);
    Principal liNa = new Principal("Li Na", Role.WAITER, null, "main", "w07");
    Tokens tokens = Tokens.of(token + ":manager", false, diners).withSessions((t, venues) ->
        java.util.concurrent.CompletableFuture.completedFuture(t.equals(token) ? java.util.Optional.of(liNa) : java.util.Optional.empty()));

    assertThat(tokens.resolve("Bearer " + token).toCompletableFuture().get()).contains(liNa);
    assertThat(tokens.principalOf("Bearer " + token)).as("no configured entry stands for a session token").isEmpty();
    assertThat(Sessions.venueOf(token)).contains("main");
    assertThat(Sessions.venueOf("st1.main.short")).isEmpty();
  }
}
