package io.orderengine.engine.payment.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderengine.engine.Decision;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.payment.Provider;
import io.orderengine.engine.payment.accounts.ProviderAccounts.AccountRemoved;
import io.orderengine.engine.payment.accounts.ProviderAccounts.AccountSet;
import io.orderengine.engine.payment.accounts.ProviderAccounts.Event;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProviderAccountsStateTest {
  private static final Instant AT = Instant.parse("2026-12-03T10:00:00Z");

  private static ProviderAccount account(Provider provider, String fingerprint) {
    return new ProviderAccount(provider, Map.of("appId", "app-1"), "v1.k.sealed", fingerprint, AT, "owner");
  }

  @Test
  void anAccountIsKeptPerProviderAndTheSameAccountAgainChangesNothing() {
    ProviderAccountsState s = ProviderAccountsState.empty();
    Decision<Event> first = s.decidePut(account(Provider.WECHAT, "f1"));
    assertThat(first.orThrow()).singleElement().isInstanceOf(AccountSet.class);
    s = s.apply(first.orThrow().get(0));

    assertThat(s.decidePut(account(Provider.WECHAT, "f1")).orThrow()).isEmpty();
    assertThat(s.decidePut(account(Provider.WECHAT, "f2")).orThrow()).singleElement().isInstanceOf(AccountSet.class);
    assertThat(s.view().account(Provider.WECHAT)).get().extracting(ProviderAccount::fingerprint).isEqualTo("f1");
    assertThat(s.view().account(Provider.ALIPAY)).isEmpty();
    assertThat(s.view().version()).isEqualTo(1);
  }

  @Test
  void aRemovedAccountIsGoneAndRemovingNoneChangesNothing() {
    ProviderAccountsState s = ProviderAccountsState.empty().apply(new AccountSet(account(Provider.ALIPAY, "f")));
    Decision<Event> removal = s.decideRemove(Provider.ALIPAY, AT, "owner");
    assertThat(removal.orThrow()).singleElement().isInstanceOf(AccountRemoved.class);
    s = s.apply(removal.orThrow().get(0));

    assertThat(s.view().accounts()).isEmpty();
    assertThat(s.view().version()).isEqualTo(2);
    assertThat(s.decideRemove(Provider.ALIPAY, AT, "owner").orThrow()).isEmpty();
  }

  @Test
  void onlyTheWalletsTakeAMerchantAccount() {
    Decision<Event> refused = ProviderAccountsState.empty().decidePut(account(Provider.MEMBER, "f"));
    assertThat(refused).isInstanceOfSatisfying(Decision.Refused.class,
        r -> assertThat(r.rejected().code()).isEqualTo(Rejection.VALIDATION_FAILED));
  }
}
