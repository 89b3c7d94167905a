package io.orderengine.engine.payment.accounts;

import io.orderengine.engine.CborSerializable;
import io.orderengine.engine.payment.Provider;
import java.time.Instant;
import java.util.Map;

/**
 * A venue's merchant account at one provider, as the journal keeps it: the settings anyone at the
 * venue's back office may see (merchant and app ids, key ids, the public keys, the URLs) in the
 * clear, and the secrets (private keys, the APIv3 key) only as one {@link SecretBox}-sealed text.
 * {@code fingerprint} is a keyed digest of the whole account: the same account configured again is
 * known as such.
 */
public record ProviderAccount(Provider provider, Map<String, String> settings, String sealedSecrets,
    String fingerprint, Instant configuredAt, String configuredBy) implements CborSerializable {

  public ProviderAccount {
    settings = Map.copyOf(settings);
  }
}
