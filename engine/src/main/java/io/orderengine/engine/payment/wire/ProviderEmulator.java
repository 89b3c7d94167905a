package io.orderengine.engine.payment.wire;

/**
 * A payment provider's server, emulated over its real wire protocol (signed requests and answers,
 * signed and encrypted notifications): what the demo node serves and the tests pay against, so the
 * engine's real adapters run the one code path they run against the provider.
 */
public interface ProviderEmulator {
  WireResponse handle(WireRequest request);
}
