package io.orderengine.engine.payment;

import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The gateways this node can take money through, one per provider. */
public final class Gateways {
  private final Map<Provider, Gateway> byProvider = new EnumMap<>(Provider.class);

  public Gateways(List<Gateway> gateways) {
    gateways.forEach(g -> byProvider.put(g.provider(), g));
  }

  public Optional<Gateway> find(Provider provider) {
    return Optional.ofNullable(byProvider.get(provider));
  }

  public Gateway of(Provider provider) {
    return find(provider).orElseThrow(() ->
        new Rejected(Rejection.METHOD_NOT_SUPPORTED, "no " + provider.wire() + " gateway is configured on this node"));
  }
}
