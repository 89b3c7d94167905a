package io.orderengine.engine.payment.accounts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.payment.Gateway;
import io.orderengine.engine.payment.Provider;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * A node's side of the venues' merchant accounts: the owner's fields checked, split into settings
 * and sealed secrets, and kept by the venue's {@link ProviderAccounts}; and for the payment sagas,
 * the venue's adapter at a provider, made once per account and kept while the account stands. A
 * node re-reads a venue's accounts every {@link #REFRESH} (one ask in the background), so an account
 * changed through another node is used here within about that long (one changed here at once).
 */
public final class VenueAccounts {
  static final Duration REFRESH = Duration.ofSeconds(5);
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(VenueAccounts.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Connected(ProviderAccounts.View view, Map<Provider, Gateway> gateways, long atNanos) {}

  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final Map<Provider, ProviderConnector> connectors = new EnumMap<>(Provider.class);
  private final Optional<SecretBox> box;
  private final Map<String, Connected> connected = new ConcurrentHashMap<>();
  private final java.util.Set<String> refreshing = ConcurrentHashMap.newKeySet();

  /** {@code box} empty: the node has no PAYMENT_SECRETS_KEY, so no account can be configured or used. */
  public VenueAccounts(ActorSystem<?> system, Duration askTimeout, Iterable<ProviderConnector> connectors,
      Optional<SecretBox> box) {
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = askTimeout;
    connectors.forEach(c -> this.connectors.put(c.provider(), c));
    this.box = box;
  }

  public Optional<ProviderConnector> connector(Provider provider) {
    return Optional.ofNullable(connectors.get(provider));
  }

  /**
   * Connects a venue's account: {@code fields} as the owner sent them, secrets in the clear; checked
   * before anything is kept, so bad keys are refused now, with the field named.
   */
  public CompletionStage<ProviderAccounts.View> configure(String venueId, Provider provider, Map<String, String> fields,
      String by, Instant at) {
    ProviderConnector connector = connector(provider).orElseThrow(() ->
        new Rejected(Rejection.NOT_FOUND, "no merchant accounts at " + provider.wire()));
    SecretBox secrets = requireBox();
    for (String name : fields.keySet()) {
      if (!connector.fields().contains(name)) {
        throw new Rejected(Rejection.VALIDATION_FAILED, "'" + name + "' is not a field of a " + provider.wire()
            + " account (" + String.join(", ", connector.fields()) + ")");
      }
    }
    Map<String, String> whole = connector.withDefaults(fields);
    try {
      connector.validate(whole);
    } catch (IllegalArgumentException e) {
      throw new Rejected(Rejection.VALIDATION_FAILED, e.getMessage());
    }
    Map<String, String> settings = new TreeMap<>();
    Map<String, String> secret = new TreeMap<>();
    whole.forEach((k, v) -> (connector.secretFields().contains(k) ? secret : settings).put(k, v));
    ProviderAccount account = new ProviderAccount(provider, settings, secrets.seal(json(secret)),
        secrets.fingerprint(json(new TreeMap<>(whole))), at, by);
    return ref(venueId).<ProviderAccounts.View>askWithStatus(r -> new ProviderAccounts.Put(account, r), askTimeout)
        .thenApply(view -> forget(venueId, view));
  }

  public CompletionStage<ProviderAccounts.View> remove(String venueId, Provider provider, String by, Instant at) {
    return ref(venueId).<ProviderAccounts.View>askWithStatus(r -> new ProviderAccounts.Remove(provider, at, by, r), askTimeout)
        .thenApply(view -> forget(venueId, view));
  }

  public CompletionStage<ProviderAccounts.View> accounts(String venueId) {
    return ref(venueId).ask(ProviderAccounts.Get::new, askTimeout);
  }

  /** The venue's adapter at a provider, or empty when the venue has no account there. */
  public CompletionStage<Optional<Gateway>> gateway(String venueId, Provider provider) {
    Connected known = connected.get(venueId);
    if (known == null) {
      return accounts(venueId).thenApply(view -> Optional.ofNullable(connect(venueId, view, null).gateways().get(provider)));
    }
    if (System.nanoTime() - known.atNanos() >= REFRESH.toNanos() && refreshing.add(venueId)) {
      // one ask refreshes the venue's accounts; payments meanwhile go on with the ones held
      accounts(venueId).thenAccept(view -> connect(venueId, view, known))
          .whenComplete((done, failure) -> refreshing.remove(venueId));
    }
    return CompletableFuture.completedFuture(Optional.ofNullable(known.gateways().get(provider)));
  }

  private Connected connect(String venueId, ProviderAccounts.View view, Connected known) {
    Map<Provider, Gateway> gateways = new EnumMap<>(Provider.class);
    for (ProviderAccount account : view.accounts()) {
      Gateway kept = known == null ? null : known.view().account(account.provider())
          .filter(a -> a.fingerprint().equals(account.fingerprint()))
          .map(a -> known.gateways().get(account.provider())).orElse(null);
      if (kept != null) {
        gateways.put(account.provider(), kept);
        continue;
      }
      ProviderConnector connector = connectors.get(account.provider());
      if (connector == null || box.isEmpty()) continue; // a node without the key (or the adapter) takes none
      try {
        gateways.put(account.provider(), connector.connect(open(account)));
      } catch (RuntimeException unusable) {
        // sealed under another key, or kept by a release that checked less: the venue takes no payment
        // through it (PROVIDER_NOT_CONFIGURED) until the owner connects it again; the message names no secret
        log.error("venue {}: its {} account cannot be used on this node: {}", venueId, account.provider().wire(),
            unusable.getMessage());
      }
    }
    Connected now = new Connected(view, Map.copyOf(gateways), System.nanoTime());
    connected.put(venueId, now);
    return now;
  }

  private Map<String, String> open(ProviderAccount account) {
    Map<String, String> whole = new HashMap<>(account.settings());
    try {
      whole.putAll(JSON.readValue(requireBox().open(account.sealedSecrets()), new TypeReference<Map<String, String>>() {}));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a sealed account does not read as fields");
    }
    return whole;
  }

  private ProviderAccounts.View forget(String venueId, ProviderAccounts.View view) {
    connected.remove(venueId);
    return view;
  }

  private SecretBox requireBox() {
    return box.orElseThrow(() -> new Rejected(Rejection.SECRETS_KEY_MISSING,
        "this node has no PAYMENT_SECRETS_KEY: set the same key (Base64 of 32 random bytes) on every node to keep merchant secrets"));
  }

  private static String json(Map<String, String> fields) {
    try {
      return JSON.writeValueAsString(new LinkedHashMap<>(fields));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private EntityRef<ProviderAccounts.Command> ref(String venueId) {
    return sharding.entityRefFor(ProviderAccounts.ENTITY_KEY, venueId);
  }
}
