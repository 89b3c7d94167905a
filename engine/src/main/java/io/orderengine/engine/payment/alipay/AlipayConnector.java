package io.orderengine.engine.payment.alipay;

import io.orderengine.engine.payment.Gateway;
import io.orderengine.engine.payment.Provider;
import io.orderengine.engine.payment.accounts.ProviderConnector;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A venue's Alipay app, as the owner configures it, made into the venue's {@link AlipayGateway}. */
public final class AlipayConnector implements ProviderConnector {
  private static final List<String> FIELDS = List.of("appId", "appPrivateKeyPem", "alipayPublicKeyPem", "notifyUrl",
      "gatewayUrl");

  private final HttpClient http;
  private final Clock clock;

  public AlipayConnector(HttpClient http, Clock clock) {
    this.http = http;
    this.clock = clock;
  }

  /** One client for every venue's calls, with the connect timeout a till can wait. */
  public static AlipayConnector standard() {
    return new AlipayConnector(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), Clock.systemUTC());
  }

  @Override
  public Provider provider() {
    return Provider.ALIPAY;
  }

  @Override
  public List<String> fields() {
    return FIELDS;
  }

  @Override
  public Set<String> secretFields() {
    return Set.of("appPrivateKeyPem");
  }

  @Override
  public Map<String, String> withDefaults(Map<String, String> fields) {
    Map<String, String> whole = new HashMap<>(fields);
    whole.putIfAbsent("gatewayUrl", AlipayConfig.ALIPAY_GATEWAY);
    return whole;
  }

  @Override
  public void validate(Map<String, String> fields) {
    config(fields);
  }

  @Override
  public Gateway connect(Map<String, String> fields) {
    return new AlipayGateway(config(fields), http, clock);
  }

  private static AlipayConfig config(Map<String, String> f) {
    return new AlipayConfig(f.get("appId"), f.get("appPrivateKeyPem"), f.get("alipayPublicKeyPem"), f.get("notifyUrl"),
        f.get("gatewayUrl"));
  }
}
