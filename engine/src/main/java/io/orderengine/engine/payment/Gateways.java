package io.orderengine.engine.payment;

import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.payment.accounts.VenueAccounts;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The gateway a venue takes a tender through: its own merchant account at WeChat Pay or Alipay
 * when the owner connected one ({@link VenueAccounts}), else what the node itself offers every
 * venue (the member accounts always; the built-in sandbox wallets and card terminal on a demo node).
 */
public final class Gateways {
  private final Map<Provider, Gateway> nodeWide = new EnumMap<>(Provider.class);
  private final VenueAccounts venues;

  /** The node's own gateways only (no venue has an account of its own). */
  public Gateways(List<Gateway> nodeWide) {
    this(nodeWide, null);
  }

  public Gateways(List<Gateway> nodeWide, VenueAccounts venues) {
    nodeWide.forEach(g -> this.nodeWide.put(g.provider(), g));
    this.venues = venues;
  }

  public CompletionStage<Optional<Gateway>> find(String venueId, Provider provider) {
    Optional<Gateway> own = Optional.ofNullable(nodeWide.get(provider));
    if (venues == null || provider == Provider.MEMBER || provider == Provider.CARD) {
      return CompletableFuture.completedFuture(own);
    }
    return venues.gateway(venueId, provider).thenApply(account -> account.or(() -> own));
  }

  /** The venue's gateway at {@code provider}, or {@code PROVIDER_NOT_CONFIGURED}. */
  public CompletionStage<Gateway> of(String venueId, Provider provider) {
    return find(venueId, provider).thenApply(found -> found.orElseThrow(() -> new Rejected(Rejection.PROVIDER_NOT_CONFIGURED,
        provider == Provider.CARD
            ? "no integrated card terminal here: take the card on the venue's own terminal and record it with terminalRef and cardLast4"
            : "the venue has no " + provider.wire() + " merchant account: its owner connects one at PUT /api/v1/venues/"
                + venueId + "/payment-providers/" + provider.wire())));
  }
}
