package io.orderengine.engine.payment.accounts;

import io.orderengine.engine.CborSerializable;
import io.orderengine.engine.Decision;
import io.orderengine.engine.DomainEntity;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.payment.Provider;
import io.orderengine.engine.payment.accounts.ProviderAccounts.AccountRemoved;
import io.orderengine.engine.payment.accounts.ProviderAccounts.AccountSet;
import io.orderengine.engine.payment.accounts.ProviderAccounts.Event;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/** A venue's provider accounts, the pure core: at most one account per provider. */
public record ProviderAccountsState(Map<Provider, ProviderAccount> accounts, long version)
    implements CborSerializable, DomainEntity.Evolving<Event, ProviderAccountsState> {

  public static ProviderAccountsState empty() {
    return new ProviderAccountsState(Map.of(), 0);
  }

  public Decision<Event> decidePut(ProviderAccount account) {
    if (account.provider() != Provider.WECHAT && account.provider() != Provider.ALIPAY) {
      return Decision.refuse(Rejection.VALIDATION_FAILED, account.provider().wire() + " takes no merchant account");
    }
    ProviderAccount kept = accounts.get(account.provider());
    if (kept != null && kept.fingerprint().equals(account.fingerprint())) return Decision.none();
    return Decision.accept(new AccountSet(account));
  }

  public Decision<Event> decideRemove(Provider provider, Instant at, String by) {
    return accounts.containsKey(provider) ? Decision.accept(new AccountRemoved(provider, at, by)) : Decision.none();
  }

  @Override
  public ProviderAccountsState apply(Event event) {
    Map<Provider, ProviderAccount> next = new EnumMap<>(Provider.class);
    next.putAll(accounts);
    if (event instanceof AccountSet e) {
      next.put(e.account().provider(), e.account());
    } else if (event instanceof AccountRemoved e) {
      next.remove(e.provider());
    } else {
      throw new IllegalStateException("unknown event " + event);
    }
    return new ProviderAccountsState(Map.copyOf(next), version + 1);
  }

  public ProviderAccounts.View view() {
    return new ProviderAccounts.View(accounts.values().stream()
        .sorted(java.util.Comparator.comparing(ProviderAccount::provider)).toList(), version);
  }
}
