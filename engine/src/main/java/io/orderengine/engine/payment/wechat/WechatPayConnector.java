package io.orderengine.engine.payment.wechat;

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

/** A venue's WeChat Pay merchant account, as the owner configures it, made into the venue's {@link WechatPayGateway}. */
public final class WechatPayConnector implements ProviderConnector {
  private static final List<String> FIELDS = List.of("mchId", "appId", "merchantSerialNo", "privateKeyPem", "apiV3Key",
      "publicKeyId", "publicKeyPem", "notifyUrl", "baseUrl");

  private final HttpClient http;
  private final Clock clock;

  public WechatPayConnector(HttpClient http, Clock clock) {
    this.http = http;
    this.clock = clock;
  }

  /** One client for every venue's calls, with the connect timeout a till can wait. */
  public static WechatPayConnector standard() {
    return new WechatPayConnector(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), Clock.systemUTC());
  }

  @Override
  public Provider provider() {
    return Provider.WECHAT;
  }

  @Override
  public List<String> fields() {
    return FIELDS;
  }

  @Override
  public Set<String> secretFields() {
    return Set.of("privateKeyPem", "apiV3Key");
  }

  @Override
  public Map<String, String> withDefaults(Map<String, String> fields) {
    Map<String, String> whole = new HashMap<>(fields);
    whole.putIfAbsent("baseUrl", WechatPayConfig.DEFAULT_BASE_URL);
    return whole;
  }

  @Override
  public void validate(Map<String, String> fields) {
    config(fields).validate();
  }

  @Override
  public Gateway connect(Map<String, String> fields) {
    return new WechatPayGateway(config(fields).validate(), http, clock);
  }

  private static WechatPayConfig config(Map<String, String> f) {
    return new WechatPayConfig(f.get("mchId"), f.get("appId"), f.get("merchantSerialNo"), f.get("privateKeyPem"),
        f.get("apiV3Key"), f.get("publicKeyId"), f.get("publicKeyPem"), f.get("notifyUrl"), f.get("baseUrl"));
  }
}
