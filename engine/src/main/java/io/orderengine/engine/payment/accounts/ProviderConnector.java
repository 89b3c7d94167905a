package io.orderengine.engine.payment.accounts;

import io.orderengine.engine.payment.Gateway;
import io.orderengine.engine.payment.Provider;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a venue's account at one provider becomes a gateway: which fields it has, which of them are
 * secret, whether a set of them is usable (checked when the owner configures it, so bad keys are
 * refused then, not at the first payment), and the adapter made from them.
 */
public interface ProviderConnector {
  Provider provider();

  /** Every field the account has, in the order the API documents them. */
  List<String> fields();

  /** The fields sealed before they are kept and never shown again. */
  Set<String> secretFields();

  /** Fields the caller may leave out: each is given its default here. */
  Map<String, String> withDefaults(Map<String, String> fields);

  /** Refuses an unusable account with an {@link IllegalArgumentException} naming the field and why (never its value). */
  void validate(Map<String, String> fields);

  /** The adapter for a venue, from its whole (opened) account. */
  Gateway connect(Map<String, String> fields);
}
